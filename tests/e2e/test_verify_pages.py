"""The page verifier (rules P1–P8) on LibreOffice's pages: seeded defects are caught, the demo
documents of every kind pass (``gongwen verify`` and ``gongwen verify --pages``)."""

from __future__ import annotations

import functools
import io
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongwen import Organisation, render_reply
from gongwen.cli import app
from gongwen.findings import Finding, Severity, Subject
from gongwen.models.year import CaseRecord
from gongwen.preview import Converter
from gongwen.verify import verify, verify_pages
from tests.conftest import TODAY

pytestmark = pytest.mark.libreoffice  # the warm ``converter`` fixture (tests/conftest.py)


def _edit(data: bytes, part: str, change: Callable[[str], str]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if re.fullmatch(part, info.filename):
                body = change(body.decode("utf-8")).encode("utf-8")
            dst.writestr(info, body)
    return out.getvalue()


def _errors(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code and f.severity is Severity.ERROR]


@pytest.fixture(scope="module")
def letter(example_record: Callable[[str], CaseRecord], example_org: Organisation) -> bytes:
    """A one-reply letter (信函格式) of the example year."""
    rec = example_record("建议072")
    assert rec.reply is not None
    return render_reply(rec.case, rec.reply, example_org, today=TODAY, check=False).data


def _paragraph_with(xml: str, text: str) -> tuple[int, int]:
    """Start and end offsets of the top-level ``<w:p>`` containing ``text``."""
    at = xml.index(text)
    start = max(xml.rfind("<w:p>", 0, at), xml.rfind("<w:p ", 0, at))
    end = xml.index("</w:p>", at) + len("</w:p>")
    return start, end


# --------------------------------------------------------------------------- seeded defects


def test_stray_copy_to_page_is_caught(letter: bytes, converter: Converter) -> None:
    def push_cc(xml: str) -> str:
        # The 抄送 sits in a frame anchored before the closing sentence, so a break before it
        # moves the whole closing block. Unframe it, put it after the 附注 and start a page.
        start, end = _paragraph_with(xml, "抄送")
        para = re.sub(r"<w:framePr\b[^>]*/>", "", xml[start:end])
        para = para.replace("</w:pPr>", "<w:pageBreakBefore/></w:pPr>", 1)
        xml = xml[:start] + xml[end:]
        _, after_note = _paragraph_with(xml, "（联系人")
        return xml[:after_note] + para + xml[after_note:]

    findings = verify_pages(_edit(letter, "word/document.xml", push_cc), converter)
    p1 = _errors(findings, "P1")
    assert p1 and "只有抄送，没有正文" in p1[0].message and "“抄送：" in p1[0].message
    assert p1[0].subject is Subject.PAGE and re.match(r"第\d页", p1[0].message)


def test_empty_page_one_is_caught(letter: bytes, converter: Converter) -> None:
    def chain(xml: str) -> str:
        # Everything from the salutation on keeps with the next paragraph and starts a page.
        start, end = _paragraph_with(xml, "代表：")
        para = xml[start:end].replace("<w:pPr>", "<w:pPr><w:pageBreakBefore/><w:keepNext/>", 1)
        return xml[:start] + para + xml[end:].replace("<w:pPr>", "<w:pPr><w:keepNext/>")

    findings = verify_pages(_edit(letter, "word/document.xml", chain), converter)
    assert _errors(findings, "P2") and "第1页" in _errors(findings, "P2")[0].message
    p4 = _errors(findings, "P4")
    assert p4 and "下方空了" in p4[0].message


def test_overprinted_mark_is_caught(letter: bytes, converter: Converter) -> None:
    long_name = "东江市临湖区经济和信息化局东江市临湖区经济和信息化局"
    changed = _edit(
        letter,
        "word/document.xml",
        lambda xml: xml.replace(">东江市临湖区经济和信息化局<", f">{long_name}<", 1),
    )
    p5 = _errors(verify_pages(changed, converter), "P5")
    assert p5 and "发文机关标志" in p5[0].message and "第1页" in p5[0].message


def test_hanging_punctuation_is_caught(letter: bytes, converter: Converter) -> None:
    # 26 characters fill the first line after the two-character indent; the 27th is a comma.
    text = "一" * 26 + "，" + "二" * 20 + "。"

    def hang(xml: str) -> str:
        # overflowPunct on (Word hangs); the preview inverts it for LibreOffice, which then hangs.
        xml = re.sub(r'<w:overflowPunct w:val="[^"]*"/>', '<w:overflowPunct w:val="1"/>', xml)
        return xml.replace("感谢您对我局工作的关心和支持，欢迎继续提出宝贵意见。", text, 1)

    changed = _edit(letter, r"word/(document|styles)\.xml", hang)
    p6 = _errors(verify_pages(changed, converter), "P6")
    assert p6 and "伸出版心右边缘" in p6[0].message and "“，”" in p6[0].message


def test_page_number_on_the_wrong_side_is_caught(letter: bytes, converter: Converter) -> None:
    changed = _edit(
        letter, r"word/footer\d+\.xml", lambda xml: xml.replace('w:val="left"', 'w:val="right"')
    )
    p8 = _errors(verify_pages(changed, converter), "P8")
    assert p8 and "双页码应居左" in p8[0].message


# --------------------------------------------------------------------------- the demo documents


@functools.cache
def _demo() -> Path:
    out = Path(tempfile.mkdtemp(prefix="gongwen-verify-pages-"))
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--force"])
    assert result.exit_code == 0, result.output
    return out


def _demo_names() -> list[str]:
    names = sorted(p.name for p in _demo().glob("*.docx"))
    # every kind is judged, the merged print file (答复函合订本) included
    assert [k for k in ("征询意见表", "合订本", "工作总结") if not any(k in n for n in names)] == []
    return names


@pytest.mark.parametrize("name", _demo_names())
def test_demo_document_passes(name: str, converter: Converter) -> None:
    path = _demo() / name
    docx = verify(path)
    assert not [f for f in docx if f.severity is Severity.ERROR], [str(f) for f in docx]
    pages = [f for f in verify_pages(path, converter) if f.severity is Severity.ERROR]
    assert not pages, [f.message for f in pages]


def test_cli_verify_pages_exit_codes(cli_runner: CliRunner, letter: bytes, tmp_path: Path) -> None:
    path = tmp_path / "答复函.docx"
    path.write_bytes(
        _edit(
            letter,
            r"word/footer\d+\.xml",
            lambda xml: xml.replace('w:val="left"', 'w:val="right"'),
        )
    )
    result = cli_runner.invoke(app, ["verify", "--pages", str(path)])
    assert result.exit_code == 1 and "P8" in result.output
    form = next(p for p in _demo().glob("*征询意见表.docx"))
    result = cli_runner.invoke(app, ["verify", "--pages", str(form)])
    assert result.exit_code == 0, result.output


@pytest.mark.libreoffice
def test_render_api_runs_the_page_rules_on_request() -> None:
    from gongwen import ArgumentError, load_organisation, load_year, render_reply
    from tests.conftest import EXAMPLES

    year = load_year(EXAMPLES / "year2024.yaml")
    org = load_organisation(EXAMPLES / "organisation.yaml")
    rec = year.cases[0]
    assert rec.reply is not None
    plain = render_reply(rec.case, rec.reply, org, check=False)
    paged = render_reply(rec.case, rec.reply, org, check=False, verify="pages")
    assert plain.findings == ()
    assert all(f.severity.value != "error" for f in paged.findings), paged.findings
    with pytest.raises(ArgumentError, match="verify"):
        render_reply(rec.case, rec.reply, org, check=False, verify="all")  # type: ignore[arg-type]
