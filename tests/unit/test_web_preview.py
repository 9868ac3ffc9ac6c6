"""The page preview and PDF downloads through the warm LibreOffice converter (in process)."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.unit.web_support import case_id, client, form_fields

pytestmark = pytest.mark.libreoffice

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client(tmp_path_factory.mktemp("web-preview"), demo=True) as c:
        yield c


def _images(html: str) -> list[str]:
    return re.findall(r'<img class="page" alt="第\d+页" src="([^"]+)"', html)


def test_preview_shows_every_page_and_the_page_rules(demo: TestClient) -> None:
    cid = case_id(demo, "提案008")
    html = demo.get(f"/cases/{cid}/preview").text
    images = _images(html)
    assert len(images) >= 1 and f"/cases/{cid}/preview/1/reply/1.png" in images[0]
    assert "版面检查（P1–P8）未发现问题" in html or "page-findings" in html
    png = demo.get(images[0])
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(PNG)
    assert demo.get(f"/cases/{cid}/preview/1/reply/99.png").status_code == 404


def test_preview_after_save_is_the_new_revision_and_quick(demo: TestClient) -> None:
    cid = case_id(demo, "建议096")
    fields = form_fields(demo.get(f"/cases/{cid}").text)
    first = demo.get(_images(demo.get(f"/cases/{cid}/preview").text)[0]).content
    paragraphs = fields["body"].split("\n\n")
    fields["body"] = paragraphs[0]  # a short, one-page letter
    assert demo.post(f"/cases/{cid}", data=fields).status_code == 303
    started = time.perf_counter()
    html = demo.get(f"/cases/{cid}/preview").text
    images = _images(html)
    second = demo.get(images[0]).content
    took = time.perf_counter() - started
    assert len(images) == 1 and "/preview/2/reply/1.png" in images[0]
    assert second.startswith(PNG) and second != first
    print(f"one-page letter preview after save (warm converter): {took:.2f} s")
    assert took < 15  # a loose bound on a shared machine; the figure is printed above


def test_documents_download_as_pdf(demo: TestClient) -> None:
    cid = case_id(demo, "提案015")
    r = demo.get(f"/cases/{cid}/documents/0?format=pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    report = demo.get("/report/download?format=pdf")
    assert report.status_code == 200 and report.content.startswith(b"%PDF")


def test_a_follow_up_has_its_own_preview(demo: TestClient) -> None:
    cid = case_id(demo, "提案015")
    fields = form_fields(demo.get(f"/cases/{cid}").text, "follow-form")
    fields.update(
        kind="跟踪答复",
        date="2024-11-05",
        doc_number="临经信函〔2024〕41号",
        body="现将办理结果答复如下：\n\n相关措施已于2024年10月全部落实。",
    )
    r = demo.post(f"/cases/{cid}/follow-ups", data=fields)
    assert r.status_code == 303 and "target=follow-1" in r.headers["location"]
    html = demo.get(f"/cases/{cid}/preview?target=follow-1").text
    images = _images(html)
    assert images and f"/cases/{cid}/preview/2/follow-1/1.png" in images[0]
    png = demo.get(images[0])
    assert png.status_code == 200 and png.content.startswith(PNG)
    first = _images(demo.get(f"/cases/{cid}/preview?target=reply").text)
    assert "/reply/1.png" in first[0] and demo.get(first[0]).content != png.content


def test_a_reply_with_an_attachment_previews_and_downloads_with_it(demo: TestClient) -> None:
    cid = case_id(demo, "提案031")
    fields = form_fields(demo.get(f"/cases/{cid}").text)
    pages_before = len(_images(demo.get(f"/cases/{cid}/preview").text))
    fields["attachment_title"] = "补助申报指南"
    content = (
        "一、申报条件\n\n在本区登记注册的中小企业。\n\n二、申报材料\n\n申请表、营业执照复印件。"
    )
    r = demo.post(
        f"/cases/{cid}",
        data=fields,
        files={"attachment_file": ("指南.txt", content.encode(), "text/plain")},
    )
    assert r.status_code == 303, r.text
    docx = demo.get(f"/cases/{cid}/documents/0?format=docx")
    assert docx.status_code == 200, docx.text
    from docx import Document

    texts = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert any(t.replace(" ", "").replace("\u3000", "") == "附件：补助申报指南" for t in texts)
    assert "在本区登记注册的中小企业。" in texts  # the attachment's own page
    html = demo.get(f"/cases/{cid}/preview").text
    assert len(_images(html)) == pages_before + 1  # the attachment starts a new page
    pdf = demo.get(f"/cases/{cid}/documents/0?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
