"""Printed pages of replies with attachments (GB/T 9704 §7.3.4, §7.3.7; issue #12).

A sweep over both formats, one to three attachments and short and long bodies, laid out by one
warm LibreOffice: every output passes the page rules (P1–P8), the 附件说明 sits two characters in
with the numbers under each other, each attachment starts a new page with "附件N" flush left on
line 1 and its title centred on line 3, the attachment pages carry page numbers, and the 抄送 (or
the 版记) is on the last page, after the attachments. Positions against ``gongwen.standard``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from gongwen import Converter, Organisation, render_reply
from gongwen import standard as gb
from gongwen.documents.reply import Variant
from gongwen.findings import Severity
from gongwen.models.reply import Attachment
from gongwen.models.year import CaseRecord
from gongwen.verify import verify
from gongwen.verify.document import Kind
from gongwen.verify.layout import Line, Page, read_pages
from gongwen.verify.pages import check_pdf
from tests.conftest import TODAY

pytestmark = pytest.mark.libreoffice

CHAR_MM = gb.TEXT_WIDTH_MM / gb.CHARS_PER_LINE
LINE_MM = gb.LINE_PITCH_TWIPS / gb.TWIPS_PER_MM
TOL_MM = 1.2  # glyph side bearings and the 28-character compression


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("att")
    plan = docx.Document()
    plan.add_paragraph("一、工作目标")
    plan.add_paragraph("到2025年底，全区建成社区养老服务站30个，覆盖率达到百分之九十以上。" * 4)
    plan.add_paragraph("二、保障措施")
    plan.add_paragraph("加强组织领导，落实经费保障，定期督查通报。" * 20)
    plan.save(str(folder / "plan.docx"))
    (folder / "list.txt").write_text(
        "第一批：东湖社区、西湖社区。\n\n第二批：南山社区、北山社区。", encoding="gb18030"
    )
    (folder / "short.txt").write_text("全区共有社区养老服务站18个。", encoding="utf-8")
    return {
        "plan": folder / "plan.docx",
        "list": folder / "list.txt",
        "short": folder / "short.txt",
    }


def _attachments(files: dict[str, Path], count: int) -> tuple[Attachment, ...]:
    options = [
        Attachment(title="海曙区社区养老服务设施建设实施方案", file=files["plan"]),
        Attachment(title="2024年社区养老服务站建设名单", file=files["list"]),
        Attachment(title="社区养老服务站基本情况", file=files["short"]),
    ]
    return tuple(options[:count])


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _content(page: Page) -> list[Line]:
    return [ln for ln in page.lines if not re.fullmatch(r"—\s*\d+\s*—", ln.text.strip())]


def _numbered(page: Page) -> bool:
    return any(re.fullmatch(r"—\s*\d+\s*—", ln.text.strip()) for ln in page.lines)


@pytest.mark.parametrize("variant", ["letter", "file"])
@pytest.mark.parametrize("count", [1, 2, 3])
@pytest.mark.parametrize("extra", [0, 5, 14])
def test_letters_with_attachments_print_as_the_standard_says(
    variant: Variant,
    count: int,
    extra: int,
    files: dict[str, Path],
    example_record: Callable[[str], CaseRecord],
    example_org: Organisation,
    converter: Converter,
) -> None:
    rec = example_record("提案008")
    assert rec.reply is not None
    filler = "我局高度重视这件提案的办理工作，认真研究落实，取得阶段性成效。" * 3
    body = "\n\n".join([filler] * extra + [rec.reply.body])  # 0, 1 or 2 pages more
    reply = rec.reply.model_copy(update={"attachments": _attachments(files, count), "body": body})
    data = render_reply(rec.case, reply, example_org, variant=variant, today=TODAY).data
    pdf = converter.to_pdf(data)
    kind = Kind.LETTER if variant == "letter" else Kind.DOCUMENT
    errors = [f for f in check_pdf(pdf, kind) if f.severity is Severity.ERROR]
    assert errors == [], [f.message for f in errors]
    # the docx rules (D1–D14) too: attachment labels, titles and content are what they should be
    docx_errors = [f for f in verify(data) if f.severity is Severity.ERROR]
    assert docx_errors == [], [f.message for f in docx_errors]

    pages = read_pages(pdf)
    starts = [
        i
        for i, p in enumerate(pages)
        if _content(p) and re.fullmatch(r"附件\d*", _squash(_content(p)[0].text))
    ]
    assert len(starts) == count  # each attachment on a page of its own
    labels = [_squash(_content(pages[i])[0].text) for i in starts]
    assert labels == (["附件"] if count == 1 else [f"附件{n}" for n in range(1, count + 1)])

    # 附件说明: under the body, before the signature, two characters in (§7.3.4)
    main = [ln for p in pages[: starts[0]] for ln in _content(p)]
    texts = [_squash(ln.text) for ln in main]
    first = next(i for i, t in enumerate(texts) if t.startswith("附件："))
    note = main[first : first + count]
    indent = gb.MARGIN_LEFT_MM + gb.ATTACHMENT_NOTE_INDENT_CHARS * CHAR_MM
    assert note[0].x0 == pytest.approx(indent, abs=TOL_MM)
    names = [a.title for a in reply.attachments]
    if count == 1:
        assert _squash(note[0].text) == f"附件：{names[0]}"
    else:
        for n, (ln, name) in enumerate(zip(note, names, strict=True), start=1):
            assert _squash(ln.text).endswith(f"{n}.{name}")
        # numbers under each other, right after "附件：" (three characters)
        number_x = [ln.chars[3].x0 if n == 0 else ln.x0 for n, ln in enumerate(note)]
        for x in number_x:
            assert x == pytest.approx(indent + 3 * CHAR_MM, abs=TOL_MM)
    # a blank line between the body and the 附件说明
    above = main[first - 1]
    assert note[0].top - above.top == pytest.approx(2 * LINE_MM, abs=1.0)
    sign = max(i for i, t in enumerate(texts) if t == _squash(example_org.name))
    assert first < sign  # before the signature (the name's last line; the first is the mark)

    text_centre = gb.MARGIN_LEFT_MM + gb.TEXT_WIDTH_MM / 2
    for i in starts:
        lines = _content(pages[i])
        label, title = lines[0], lines[1]
        # line 1, flush left, 黑体 三号 (§7.3.7)
        assert label.x0 == pytest.approx(gb.MARGIN_LEFT_MM, abs=TOL_MM)
        assert label.top == pytest.approx(gb.MARGIN_TOP_MM, abs=LINE_MM / 2)
        assert label.size == pytest.approx(gb.SANHAO.pt, abs=0.6)
        # title centred on line 3, at the size of a document title
        assert (title.x0 + title.x1) / 2 == pytest.approx(text_centre, abs=TOL_MM)
        assert title.size == pytest.approx(gb.TITLE_SIZE.pt, abs=0.6)
        slot = (title.bottom - gb.MARGIN_TOP_MM) / LINE_MM
        assert gb.ATTACHMENT_TITLE_LINE - 1 < slot <= gb.ATTACHMENT_TITLE_LINE
        assert _numbered(pages[i])  # attachment pages carry page numbers
        assert lines[2].top > title.bottom  # content follows the title

    # 抄送 (版记) on the last page, after the attachments (§7.3.7, §10.1)
    record = [
        (n, ln)
        for n, p in enumerate(pages)
        for ln in _content(p)
        if _squash(ln.text).startswith("抄送")
    ]
    assert record and all(n == len(pages) - 1 for n, _ in record)
    assert len(pages) - 1 >= starts[-1]
