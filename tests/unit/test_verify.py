"""GB/T 9704 verifier (rules D1–D14) on documents built in the test.

Two good documents: the real reply-letter template rendered with docxtpl, and a "hand-typed"
letter built with python-docx using direct formatting (as a typist in Word would). Each bad
variant changes one thing in a good document's XML. Layout numbers come from GB/T 9704
(docs/standard.md, gongwen.standard), not from the checker's constants.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docxtpl import DocxTemplate
from lxml import etree  # type: ignore[import-untyped]
from typer.testing import CliRunner

import gongwen.cli.verify  # noqa: F401  (registers the command)
from gongwen.cli.app import app
from gongwen.errors import DocxPackageError
from gongwen.findings import Finding, Severity
from gongwen.models.config import CheckConfig
from gongwen.verify import verify
from tests.conftest import ROOT

TEMPLATE = ROOT / "templates" / "docx" / "reply_letter.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

# GB/T 9704 numbers (docs/standard.md)
A4_W, A4_H = 11906, 16838
TOP, BOTTOM, LEFT, RIGHT = 2098, 1984, 1588, 1474
LINE = 579  # 28.95 pt exact
SZ_BODY, SZ_TITLE, SZ_PAGE = 32, 44, 28

BODY = [
    {
        "kind": "p",
        "head": "",
        "text": "您提出的关于加强社区养老服务设施建设的建议收悉。现答复如下：",
    },
    {"kind": "h1", "head": "一、基本情况", "text": ""},
    {
        "kind": "p",
        "head": "",
        "text": "近年来，我区高度重视养老服务体系建设，已建成服务站32个。" * 3,
    },
    {"kind": "h2", "head": "（一）关于设施布局。", "text": "我们将结合城市更新统筹推进。"},
    {"kind": "h3", "head": "1.资金保障。", "text": "区财政每年安排专项资金。"},
    {"kind": "p", "head": "", "text": "下一步，我们将继续完善政策措施，推动养老服务提质增效。" * 4},
    {"kind": "p", "head": "", "text": "感谢您对民政工作的关心和支持。" * 4},
]


def render_template() -> bytes:
    """The real reply-letter template rendered with docxtpl."""
    tpl = DocxTemplate(str(TEMPLATE))
    tpl.render(
        {
            "org_mark": "某某市某某区民政局",
            "mark_left": "A类",
            "mark_right": "公开属性：主动公开",
            "title": "关于区人大十八届三次会议第15号建议的答复",
            "salutation": "张三代表：",
            "body": BODY,
            "closing": "",
            "sign_org": "某某区民政局",
            "date": "2024年7月1日",
            "note": "（联系人：李四，电话：12345678）",
            "copy_to": "区人大常委会代表工作室。",
        }
    )
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- hand-typed letter


def _fonts(run_or_style_rpr: etree._Element, east_asia: str) -> None:
    rfonts = run_or_style_rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = etree.SubElement(run_or_style_rpr, qn("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        rfonts.set(qn(attr), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")


def _run(par, text: str, font: str = "仿宋_GB2312", size: int = SZ_BODY, **kw: object):  # type: ignore[no-untyped-def]
    run = par.add_run(text)
    run.font.size = Pt(size / 2)
    _fonts(run._r.get_or_add_rPr(), font)
    if kw.get("bold"):
        run.font.bold = True
    return run


def _body_format(par, indent: bool = True) -> None:  # type: ignore[no-untyped-def]
    pf = par.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Twips(LINE)
    pf.space_before = pf.space_after = Pt(0)
    if indent:
        ind = par._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), "200")
        ind.set(qn("w:firstLine"), "640")


def _page_field(par) -> None:  # type: ignore[no-untyped-def]
    _run(par, "— ", "宋体", SZ_PAGE)
    for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None)):
        r = _run(par, "", "宋体", SZ_PAGE)
        if kind:
            etree.SubElement(r._r, qn("w:fldChar")).set(qn("w:fldCharType"), kind)
        else:
            el = etree.SubElement(r._r, qn("w:instrText"))
            el.text = instr
    _run(par, "1", "宋体", SZ_PAGE)
    etree.SubElement(_run(par, "", "宋体", SZ_PAGE)._r, qn("w:fldChar")).set(
        qn("w:fldCharType"), "end"
    )
    _run(par, " —", "宋体", SZ_PAGE)


def build_letter() -> bytes:
    """A letter formatted by hand with direct formatting, following GB/T 9704."""
    doc = Document()
    styles = doc.styles.element
    dd_rpr = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    _fonts(dd_rpr, "仿宋_GB2312")
    for rpr in styles.iter(qn("w:rPr")):  # no theme fonts anywhere
        rf = rpr.find(qn("w:rFonts"))
        if rf is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rf.attrib.pop(qn(attr), None)
    doc.styles["Normal"].font.size = Pt(SZ_BODY / 2)  # the character grid counts in this size
    # 段落—中文版式: “允许标点溢出边界” unticked in Normal (punctuation stays in the text area)
    normal_ppr = doc.styles["Normal"].element.get_or_add_pPr()
    etree.SubElement(normal_ppr, qn("w:overflowPunct")).set(qn("w:val"), "0")
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Twips(A4_W), Twips(A4_H)
    sec.top_margin, sec.bottom_margin = Twips(TOP), Twips(BOTTOM)
    sec.left_margin, sec.right_margin = Twips(LEFT), Twips(RIGHT)
    grid = sec._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = etree.SubElement(sec._sectPr, qn("w:docGrid"))
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE))
    grid.set(qn("w:charSpace"), "-848")

    mark = doc.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = _run(mark, "某某市某某区民政局", "方正小标宋简体", 72)
    r.font.color.rgb = None
    r._r.get_or_add_rPr().append(etree.fromstring(f'<w:color xmlns:w="{W}" w:val="FF0000"/>'))
    rule = doc.add_paragraph()
    rule._p.get_or_add_pPr().append(
        etree.fromstring(
            f'<w:pBdr xmlns:w="{W}"><w:bottom w:val="thickThinSmallGap" w:sz="24" '
            'w:space="1" w:color="FF0000"/></w:pBdr>'
        )
    )
    doc.add_paragraph()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _body_format(title, indent=False)
    _run(title, "关于区政协第15号提案的答复", "方正小标宋简体", SZ_TITLE)
    doc.add_paragraph()
    sal = doc.add_paragraph()
    _body_format(sal, indent=False)
    _run(sal, "李四委员：")
    for kind, head, text in (
        ("p", "", "您提出的关于改善老旧小区停车条件的提案收悉，现答复如下："),
        ("h1", "一、基本情况", ""),
        ("p", "", "今年以来，我局会同相关部门开展专项调研，新增停车泊位1200个。" * 3),
        ("h2", "（一）关于停车设施。", "我们将加快建设进度。"),
        ("h3", "1.资金保障。", "区财政安排专项资金。"),
        ("h4", "（1）加强监管。", "开展联合检查。"),
        ("p", "", "下一步，我局将继续会同有关部门完善停车设施规划，推进错时共享停车。" * 4),
        ("p", "", "感谢您对我局工作的关心和支持。"),
    ):
        par = doc.add_paragraph()
        _body_format(par)
        font = {"h1": "黑体", "h2": "楷体_GB2312"}.get(kind, "仿宋_GB2312")
        if head:
            _run(par, head, font)
        if text:
            _run(par, text)
    doc.add_paragraph()
    for text in ("某某区民政局", "2024年7月1日"):
        par = doc.add_paragraph()
        _body_format(par, indent=False)
        par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        par.paragraph_format.right_indent = Twips(1280)
        _run(par, text)

    doc.settings.odd_and_even_pages_header_footer = True
    odd = sec.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Twips(280)
    _page_field(odd)
    even = sec.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Twips(280)
    _page_field(even)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- XML editing


def edit(data: bytes, part: str, fn: Callable[[etree._Element], None]) -> bytes:
    """Apply ``fn`` to one XML part of a docx and return the new package."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            raw = src.read(item.filename)
            if item.filename == part:
                root = etree.fromstring(raw)
                fn(root)
                raw = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(item, raw)
    return out.getvalue()


def paragraphs_with(root: etree._Element, text: str) -> list[etree._Element]:
    """Top-level body paragraphs whose text contains ``text``."""
    return [p for p in root.find("w:body", NS).findall("w:p", NS) if text in "".join(p.itertext())]


def set_rpr(p: etree._Element, xml: str) -> None:
    """Add a run property (e.g. ``<w:sz w:val="24"/>``) to every text run of ``p``."""
    for r in p.findall(".//w:r", NS):
        if r.find("w:t", NS) is None:
            continue
        rpr = r.find("w:rPr", NS)
        if rpr is None:
            rpr = etree.SubElement(r, qn("w:rPr"))
            r.insert(0, rpr)
        el = etree.fromstring(f'<x xmlns:w="{W}">{xml}</x>')[0]
        old = rpr.find(el.tag)
        if old is not None:
            rpr.remove(old)
        rpr.append(el)


def footer_part(data: bytes, typ: str) -> str:
    """The zip name of the footer part of ``typ`` in the first section."""
    z = zipfile.ZipFile(io.BytesIO(data))
    doc = etree.fromstring(z.read("word/document.xml"))
    rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
    ref = doc.find(f".//w:sectPr/w:footerReference[@w:type='{typ}']", NS)
    rid = ref.get(qn("r:id"))
    target: str = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return "word/" + target


def codes(findings: list[Finding], severity: Severity | None = None) -> set[str]:
    """Codes of the findings (of one severity)."""
    return {f.code for f in findings if severity is None or f.severity is severity}


def only(findings: list[Finding], code: str) -> list[Finding]:
    """Findings of one rule."""
    return [f for f in findings if f.code == code]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def template_doc() -> bytes:
    return render_template()


@pytest.fixture(scope="module")
def letter() -> bytes:
    return build_letter()


@pytest.fixture(params=["template", "letter"])
def good(request: pytest.FixtureRequest, template_doc: bytes, letter: bytes) -> bytes:
    return template_doc if request.param == "template" else letter


# --------------------------------------------------------------------------- good documents


def test_good_documents_pass_every_rule(good: bytes) -> None:
    findings = verify(good)
    assert findings == [], [str(f) for f in findings]


def test_verify_accepts_a_path(tmp_path: Path, letter: bytes) -> None:
    f = tmp_path / "good.docx"
    f.write_bytes(letter)
    assert verify(f) == []
    assert verify(str(f)) == []


# --------------------------------------------------------------------------- D1 D2 page


def _sect(root: etree._Element) -> etree._Element:
    return root.find("w:body/w:sectPr", NS)


def test_d1_letter_paper(good: bytes) -> None:
    def letter_size(root: etree._Element) -> None:
        pg = _sect(root).find("w:pgSz", NS)
        pg.set(qn("w:w"), "12240")
        pg.set(qn("w:h"), "15840")

    findings = verify(edit(good, "word/document.xml", letter_size))
    d1 = only(findings, "D1")
    assert len(d1) == 1 and d1[0].severity is Severity.ERROR
    assert d1[0].path == "document.sectPr[1]" and "A4" in d1[0].message


def test_d1_within_one_mm(good: bytes) -> None:
    def near(root: etree._Element) -> None:
        _sect(root).find("w:pgSz", NS).set(qn("w:w"), str(A4_W + 50))

    assert "D1" not in codes(verify(edit(good, "word/document.xml", near)))


def test_d2_wrong_margins(good: bytes) -> None:
    def word_default(root: etree._Element) -> None:
        mar = _sect(root).find("w:pgMar", NS)
        for side in ("top", "bottom", "left", "right"):
            mar.set(qn(f"w:{side}"), "1134")

    d2 = only(verify(edit(good, "word/document.xml", word_default)), "D2")
    assert len(d2) == 4 and all(f.severity is Severity.ERROR for f in d2)
    assert any("上边距为20.0毫米" in f.message and "37毫米" in f.message for f in d2)


def test_d2_tolerance(good: bytes) -> None:
    def slightly_off(root: etree._Element) -> None:
        mar = _sect(root).find("w:pgMar", NS)
        mar.set(qn("w:top"), str(TOP + 50))  # < 1 mm
        mar.set(qn("w:left"), str(LEFT - 120))  # > 2 mm

    d2 = only(verify(edit(good, "word/document.xml", slightly_off)), "D2")
    assert len(d2) == 1 and "左边距" in d2[0].message


def test_d1_d2_landscape_section_for_tables(letter: bytes) -> None:
    def landscape(root: etree._Element) -> None:
        sect = _sect(root)
        sect.find("w:pgSz", NS).attrib.update(
            {qn("w:w"): str(A4_H), qn("w:h"): str(A4_W), qn("w:orient"): "landscape"}
        )
        mar = sect.find("w:pgMar", NS)  # the portrait margins turned a quarter
        for side, value in (("top", LEFT), ("bottom", RIGHT), ("left", TOP), ("right", BOTTOM)):
            mar.set(qn(f"w:{side}"), str(value))

    found = verify(edit(letter, "word/document.xml", landscape))
    assert not codes(found) & {"D1", "D2"}

    def unturned(root: etree._Element) -> None:
        landscape(root)
        mar = _sect(root).find("w:pgMar", NS)
        for side, value in (("top", TOP), ("bottom", BOTTOM), ("left", LEFT), ("right", RIGHT)):
            mar.set(qn(f"w:{side}"), str(value))

    assert "D2" in codes(verify(edit(letter, "word/document.xml", unturned)), Severity.ERROR)


# --------------------------------------------------------------------------- D3 body font


def test_d3_twelve_point_body(good: bytes) -> None:
    def small(root: etree._Element) -> None:
        for p in paragraphs_with(root, "近年来") + paragraphs_with(root, "今年以来"):
            set_rpr(p, '<w:sz w:val="24"/>')

    d3 = only(verify(edit(good, "word/document.xml", small)), "D3")
    assert len(d3) == 1 and d3[0].severity is Severity.ERROR
    assert "小四（12磅）" in d3[0].message and d3[0].path.startswith("paragraph[")
    # office words: which paragraph and how it begins, no XML names
    assert re.search(r"第\d+段“", d3[0].message) and "三号（16磅）" in d3[0].message
    assert "paragraph[" not in d3[0].message and "w:sz" not in d3[0].message


def test_d3_songti_body(good: bytes) -> None:
    def songti(root: etree._Element) -> None:
        for p in paragraphs_with(root, "感谢您"):
            set_rpr(p, '<w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/>')

    d3 = only(verify(edit(good, "word/document.xml", songti)), "D3")
    assert len(d3) == 1 and "“宋体”" in d3[0].message


def test_d3_accepts_fangsong_aliases(letter: bytes) -> None:
    def alias(root: etree._Element) -> None:
        for name, text in (("FangSong", "感谢您"), ("仿宋", "今年以来")):
            for p in paragraphs_with(root, text):
                set_rpr(p, f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}"/>')

    assert "D3" not in codes(verify(edit(letter, "word/document.xml", alias)))


# --------------------------------------------------------------------------- D4 line spacing


def test_d4_single_spacing(good: bytes) -> None:
    def single(root: etree._Element) -> None:
        for p in paragraphs_with(root, "感谢您"):
            ppr = p.find("w:pPr", NS)
            ppr.append(
                etree.fromstring(f'<w:spacing xmlns:w="{W}" w:line="240" w:lineRule="auto"/>')
            )
            for sp in ppr.findall("w:spacing", NS)[:-1]:
                ppr.remove(sp)

    d4 = only(verify(edit(good, "word/document.xml", single)), "D4")
    assert len(d4) == 1 and d4[0].severity is Severity.ERROR and "1倍行距" in d4[0].message


def test_d4_exact_but_too_wide(letter: bytes) -> None:
    def wide(root: etree._Element) -> None:
        for sp in root.iter(qn("w:spacing")):
            if sp.get(qn("w:line")) == str(LINE):
                sp.set(qn("w:line"), "600")  # 30 pt: only 21 lines fit

    d4 = only(verify(edit(letter, "word/document.xml", wide)), "D4")
    errors = [f for f in d4 if f.severity is Severity.ERROR]
    assert len(errors) == 1 and "固定值30磅" in errors[0].message
    # the grid (579) no longer matches the body spacing either
    assert any(f.severity is Severity.WARNING for f in d4)


def test_d4_missing_doc_grid_is_a_warning(good: bytes) -> None:
    def no_grid(root: etree._Element) -> None:
        sect = _sect(root)
        sect.remove(sect.find("w:docGrid", NS))

    d4 = only(verify(edit(good, "word/document.xml", no_grid)), "D4")
    assert len(d4) == 1 and d4[0].severity is Severity.WARNING and "文档网格" in d4[0].message


# --------------------------------------------------------------------------- D5 indent


def test_d5_no_first_line_indent(good: bytes) -> None:
    def flush(root: etree._Element) -> None:
        for p in paragraphs_with(root, "感谢您"):
            ppr = p.find("w:pPr", NS)
            ppr.append(
                etree.fromstring(f'<w:ind xmlns:w="{W}" w:firstLine="0" w:firstLineChars="0"/>')
            )
            for ind in ppr.findall("w:ind", NS)[:-1]:
                ppr.remove(ind)

    d5 = only(verify(edit(good, "word/document.xml", flush)), "D5")
    assert len(d5) == 1 and d5[0].severity is Severity.ERROR and "首行缩进为0" in d5[0].message


def test_d5_twips_indent_within_tolerance(letter: bytes) -> None:
    def twips(root: etree._Element) -> None:
        for ind in root.iter(qn("w:ind")):
            if ind.get(qn("w:firstLineChars")):
                del ind.attrib[qn("w:firstLineChars")]
                ind.set(qn("w:firstLine"), "660")

    assert "D5" not in codes(verify(edit(letter, "word/document.xml", twips)))


def test_d5_full_width_spaces_are_a_warning(letter: bytes) -> None:
    def spaces(root: etree._Element) -> None:
        (p,) = paragraphs_with(root, "感谢您")
        ppr = p.find("w:pPr", NS)
        ppr.remove(ppr.find("w:ind", NS))
        p.find(".//w:t", NS).text = "\u3000\u3000" + p.find(".//w:t", NS).text

    d5 = only(verify(edit(letter, "word/document.xml", spaces)), "D5")
    assert [f.severity for f in d5] == [Severity.WARNING]


# --------------------------------------------------------------------------- D6 headings


def test_d6_level_one_heading_in_fangsong(good: bytes) -> None:
    def fangsong(root: etree._Element) -> None:
        (p,) = paragraphs_with(root, "一、基本情况")
        set_rpr(
            p, '<w:rFonts w:ascii="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:eastAsia="仿宋_GB2312"/>'
        )

    d6 = only(verify(edit(good, "word/document.xml", fangsong)), "D6")
    assert len(d6) == 1 and "一级标题" in d6[0].message and "黑体" in d6[0].message


def test_d6_level_two_heading_checks_the_heading_run_only(letter: bytes) -> None:
    def heiti(root: etree._Element) -> None:
        (p,) = paragraphs_with(root, "（一）关于停车设施")
        runs = p.findall("w:r", NS)
        runs[0].find("w:rPr/w:rFonts", NS).set(qn("w:eastAsia"), "黑体")

    d6 = only(verify(edit(letter, "word/document.xml", heiti)), "D6")
    assert len(d6) == 1 and "二级标题" in d6[0].message and "楷体" in d6[0].message


# --------------------------------------------------------------------------- D7 title


def _title(root: etree._Element) -> etree._Element:
    return (paragraphs_with(root, "的答复") or paragraphs_with(root, "提案的答复"))[0]


def test_d7_bold_title(good: bytes) -> None:
    d7 = only(verify(edit(good, "word/document.xml", lambda r: set_rpr(_title(r), "<w:b/>"))), "D7")
    assert len(d7) == 1 and d7[0].severity is Severity.ERROR and "加粗" in d7[0].message


def test_d7_songti_bold_stand_in_is_a_warning(letter: bytes) -> None:
    def standin(root: etree._Element) -> None:
        set_rpr(_title(root), '<w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/>')
        set_rpr(_title(root), "<w:b/>")

    d7 = only(verify(edit(letter, "word/document.xml", standin)), "D7")
    assert [f.severity for f in d7] == [Severity.WARNING] and "替代字体" in d7[0].message


def test_d7_small_left_aligned_title(letter: bytes) -> None:
    def small(root: etree._Element) -> None:
        t = _title(root)
        set_rpr(t, '<w:sz w:val="32"/>')
        t.find("w:pPr/w:jc", NS).set(qn("w:val"), "left")
        t.find(".//w:t", NS).text = "关于区政协第15号提案的答复"

    d7 = only(verify(edit(letter, "word/document.xml", small)), "D7")
    assert d7 and all(f.severity is Severity.ERROR for f in d7)


# --------------------------------------------------------------------------- D8 red


def test_d8_red_body_text(good: bytes) -> None:
    def red(root: etree._Element) -> None:
        for p in paragraphs_with(root, "感谢您"):
            set_rpr(p, '<w:color w:val="FF0000"/>')

    d8 = only(verify(edit(good, "word/document.xml", red)), "D8")
    assert len(d8) == 1 and d8[0].severity is Severity.ERROR and "感谢您" in d8[0].message


def test_d8_dark_red_counts_and_organ_mark_is_allowed(letter: bytes) -> None:
    def red(root: etree._Element) -> None:
        set_rpr(paragraphs_with(root, "李四委员")[0], '<w:color w:val="C00000"/>')

    d8 = only(verify(edit(letter, "word/document.xml", red)), "D8")
    assert len(d8) == 1 and "李四委员" in d8[0].message  # the red 发文机关标志 is not flagged


def test_d8_red_title_is_not_a_mark(letter: bytes) -> None:
    def red(root: etree._Element) -> None:
        set_rpr(_title(root), '<w:color w:val="FF0000"/>')

    assert "D8" in codes(verify(edit(letter, "word/document.xml", red)), Severity.ERROR)


# --------------------------------------------------------------------------- D9 page numbers


def test_d9_missing_page_number(good: bytes) -> None:
    part = footer_part(good, "default")

    def no_field(root: etree._Element) -> None:
        for p in root.findall("w:p", NS):
            root.remove(p)
        root.append(etree.fromstring(f'<w:p xmlns:w="{W}"/>'))

    d9 = only(verify(edit(good, part, no_field)), "D9")
    assert len(d9) == 1 and d9[0].severity is Severity.ERROR and "PAGE" in d9[0].message


def test_d9_single_page_without_footer_is_only_a_warning() -> None:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Twips(A4_W), Twips(A4_H)
    doc.add_paragraph("一页的短函。")
    buf = io.BytesIO()
    doc.save(buf)
    d9 = only(verify(buf.getvalue()), "D9")
    assert [f.severity for f in d9] == [Severity.WARNING] and "单页" in d9[0].message


def test_d9_hyphens_are_a_warning(good: bytes) -> None:
    part = footer_part(good, "even")

    def hyphen(root: etree._Element) -> None:
        for t in root.iter(qn("w:t")):
            t.text = (t.text or "").replace("—", "-")

    d9 = only(verify(edit(good, part, hyphen)), "D9")
    assert [f.severity for f in d9] == [Severity.WARNING] and d9[0].fix == "— n —"


def test_d9_page_number_size_and_words(good: bytes) -> None:
    part = footer_part(good, "default")

    def wrong(root: etree._Element) -> None:
        for r in root.iter(qn("w:r")):
            rpr = r.find("w:rPr", NS)
            if rpr is None:
                rpr = etree.SubElement(r, qn("w:rPr"))
                r.insert(0, rpr)
            for old in rpr.findall("w:sz", NS):
                rpr.remove(old)
            rpr.append(etree.fromstring(f'<w:sz xmlns:w="{W}" w:val="21"/>'))
        ts = list(root.iter(qn("w:t")))
        ts[0].text, ts[-1].text = "第", "页"

    d9 = only(verify(edit(good, part, wrong)), "D9")
    assert {f.severity for f in d9} == {Severity.ERROR}
    assert any("第n页" in f.message for f in d9) and any("五号" in f.message for f in d9)


# --------------------------------------------------------------------------- D10 placement


def test_d10_centred_odd_page_number(good: bytes) -> None:
    part = footer_part(good, "default")

    def centre(root: etree._Element) -> None:
        root.find(".//w:jc", NS).set(qn("w:val"), "center")

    d10 = only(verify(edit(good, part, centre)), "D10")
    assert len(d10) == 1 and d10[0].severity is Severity.ERROR and "居中" in d10[0].message


def test_d10_even_and_odd_headers_off(good: bytes) -> None:
    def off(root: etree._Element) -> None:
        root.remove(root.find("w:evenAndOddHeaders", NS))

    d10 = only(verify(edit(good, "word/settings.xml", off)), "D10")
    assert len(d10) == 1 and d10[0].path == "settings.xml"


def test_d10_wps_frame_outside_needs_no_even_footer(letter: bytes) -> None:
    part = footer_part(letter, "default")

    def frame(root: etree._Element) -> None:
        ppr = root.find(".//w:pPr", NS)
        ppr.insert(
            0,
            etree.fromstring(
                f'<w:framePr xmlns:w="{W}" w:wrap="around" w:vAnchor='
                '"text" w:hAnchor="margin" w:xAlign="outside" w:y="1"/>'
            ),
        )

    def off(root: etree._Element) -> None:
        root.remove(root.find("w:evenAndOddHeaders", NS))

    data = edit(edit(letter, part, frame), "word/settings.xml", off)
    assert "D10" not in codes(verify(data))


def test_d10_number_flush_against_the_edge_is_a_warning(letter: bytes) -> None:
    part = footer_part(letter, "default")

    def flush(root: etree._Element) -> None:
        ppr = root.find(".//w:pPr", NS)
        ppr.remove(ppr.find("w:ind", NS))

    d10 = only(verify(edit(letter, part, flush)), "D10")
    assert [f.severity for f in d10] == [Severity.WARNING] and "空一字" in d10[0].message


# --------------------------------------------------------------------------- D11 theme fonts


def test_d11_theme_font_on_body_run(good: bytes) -> None:
    def theme(root: etree._Element) -> None:
        for p in paragraphs_with(root, "感谢您"):
            set_rpr(p, '<w:rFonts w:eastAsia="仿宋_GB2312" w:eastAsiaTheme="minorEastAsia"/>')

    found = verify(edit(good, "word/document.xml", theme))
    d11 = only(found, "D11")
    assert d11 and all(f.severity is Severity.ERROR for f in d11)
    assert "eastAsiaTheme" in d11[0].message and d11[0].path.endswith(".run[1]")


def test_d11_theme_font_in_unused_style_is_a_warning(good: bytes) -> None:
    def unused(root: etree._Element) -> None:
        root.append(
            etree.fromstring(
                f'<w:style xmlns:w="{W}" w:type="paragraph" w:styleId="Unused">'
                '<w:name w:val="Unused"/><w:rPr><w:rFonts w:asciiTheme="majorHAnsi" '
                'w:eastAsiaTheme="majorEastAsia"/></w:rPr></w:style>'
            )
        )

    d11 = only(verify(edit(good, "word/styles.xml", unused)), "D11")
    assert [f.severity for f in d11] == [Severity.WARNING]
    assert d11[0].path == "styles.xml style[Unused]" and "未使用" in d11[0].message


def test_d11_python_docx_default_document_uses_theme_fonts() -> None:
    doc = Document()
    p = doc.add_paragraph()
    p.add_run("正文文字。").font.name = "仿宋_GB2312"  # sets ascii/hAnsi only
    buf = io.BytesIO()
    doc.save(buf)
    found = verify(buf.getvalue())
    assert "D11" in codes(found, Severity.ERROR)
    assert "D13" in codes(found, Severity.ERROR)  # no w:eastAsia anywhere


# --------------------------------------------------------------------------- D12 date


def _set_date(text: str) -> Callable[[etree._Element], None]:
    def fn(root: etree._Element) -> None:
        (p,) = paragraphs_with(root, "2024年7月1日")
        ts = p.findall(".//w:t", NS)
        ts[0].text = text
        for t in ts[1:]:
            t.text = ""

    return fn


@pytest.mark.parametrize("text", ["二〇二四年七月一日", "2024年07月01日", "２０２４年７月１日"])
def test_d12_bad_date_line(good: bytes, text: str) -> None:
    d12 = only(verify(edit(good, "word/document.xml", _set_date(text))), "D12")
    assert len(d12) == 1 and d12[0].severity is Severity.ERROR
    assert d12[0].fix == "2024年7月1日"


def test_d12_impossible_date(letter: bytes) -> None:
    d12 = only(verify(edit(letter, "word/document.xml", _set_date("2024年2月30日"))), "D12")
    assert len(d12) == 1 and d12[0].fix is None and "不是有效日期" in d12[0].message


def test_d12_good_date_with_other_day(letter: bytes) -> None:
    found = verify(edit(letter, "word/document.xml", _set_date("2024年12月31日")))
    assert "D12" not in codes(found)


# --------------------------------------------------------------------------- D13 east-Asian font


def test_d13_no_east_asian_font_anywhere(good: bytes) -> None:
    def strip(root: etree._Element) -> None:
        for rf in root.iter(qn("w:rFonts")):
            rf.attrib.pop(qn("w:eastAsia"), None)

    data = edit(edit(good, "word/styles.xml", strip), "word/document.xml", strip)
    found = verify(data)
    d13 = only(found, "D13")
    assert (
        len(d13) == 1 and d13[0].severity is Severity.ERROR and "未设置中文字体" in d13[0].message
    )
    assert "D3" not in codes(found)  # the font is reported once, by D13


# --------------------------------------------------------------------------- D14 punctuation


def _drop_overflow_punct(root: etree._Element) -> None:
    for el in list(root.iter(qn("w:overflowPunct"))):
        el.getparent().remove(el)


def test_d14_overflow_punctuation_left_at_the_default(good: bytes) -> None:
    found = verify(edit(good, "word/styles.xml", _drop_overflow_punct))
    d14 = only(found, "D14")
    assert d14 and all(f.severity is Severity.WARNING for f in d14)
    assert "标点可能悬挂在版心之外" in d14[0].message
    assert "允许标点溢出边界" in d14[0].message and "未设置" in d14[0].message
    assert codes(found) == {"D14"}  # nothing else changes


def test_d14_turned_on_in_one_paragraph(letter: bytes) -> None:
    def hang(root: etree._Element) -> None:
        (p,) = paragraphs_with(root, "今年以来")
        ppr = p.find("w:pPr", NS)
        # a bare toggle means on; schema position after w:keepNext… and before w:spacing
        ppr.find("w:spacing", NS).addprevious(etree.Element(qn("w:overflowPunct")))

    d14 = only(verify(edit(letter, "word/document.xml", hang)), "D14")
    assert len(d14) == 1 and d14[0].severity is Severity.WARNING
    assert "段落格式" in d14[0].message and "共1段" in d14[0].message


def test_d14_seeded_document_with_overflow_on() -> None:
    doc = Document()
    styles = doc.styles.element
    defaults = styles.find("w:docDefaults", NS)
    ppr_default = defaults.find("w:pPrDefault", NS)
    if ppr_default is None:
        ppr_default = etree.SubElement(defaults, qn("w:pPrDefault"))
    ppr = ppr_default.find("w:pPr", NS)
    if ppr is None:
        ppr = etree.SubElement(ppr_default, qn("w:pPr"))
    on = etree.Element(qn("w:overflowPunct"))
    on.set(qn("w:val"), "1")
    ppr.insert(0, on)  # before w:spacing (CT_PPrBase order)
    doc.add_paragraph("您提出的建议收悉，现答复如下。")
    doc.add_paragraph("没有标点的段落")
    buf = io.BytesIO()
    doc.save(buf)
    d14 = only(verify(buf.getvalue()), "D14")
    assert len(d14) == 1
    assert "文档默认段落格式" in d14[0].message and "共1段" in d14[0].message


# --------------------------------------------------------------------------- engine, inputs


def test_config_disables_and_downgrades(good: bytes) -> None:
    def red(root: etree._Element) -> None:
        for p in paragraphs_with(root, "感谢您"):
            set_rpr(p, '<w:color w:val="FF0000"/><w:sz w:val="24"/>')

    data = edit(good, "word/document.xml", red)
    found = verify(data, CheckConfig(disabled=("D3",), severity={"D8": "warning"}))
    assert "D3" not in codes(found)
    assert [f.severity for f in only(found, "D8")] == [Severity.WARNING]


def test_not_a_docx() -> None:
    with pytest.raises(DocxPackageError, match="不是有效的 docx 文件"):
        verify(b"%PDF-1.7 not a zip")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(DocxPackageError, match="不是有效的 docx 文件"):
        verify(buf.getvalue())


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocxPackageError, match=r"nope\.docx"):
        verify(tmp_path / "nope.docx")


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def files(tmp_path: Path, letter: bytes) -> dict[str, Path]:
    good = tmp_path / "good.docx"
    good.write_bytes(letter)
    bad = tmp_path / "bad.docx"
    bad.write_bytes(edit(letter, "word/document.xml", lambda r: set_rpr(_title(r), "<w:b/>")))
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    return {"good": good, "bad": bad, "broken": broken}


def test_cli_exit_codes(files: dict[str, Path], cli_runner: CliRunner) -> None:
    runner = cli_runner
    ok = runner.invoke(app, ["verify", str(files["good"])])
    assert ok.exit_code == 0, ok.output
    assert "1个文件：1个通过" in ok.output
    bad = runner.invoke(app, ["verify", str(files["good"]), str(files["bad"])])
    assert bad.exit_code == 1
    assert "D7" in bad.output and "错误" in bad.output
    assert "2个文件：1个通过，1个有错误" in bad.output
    broken = runner.invoke(app, ["verify", str(files["broken"]), str(files["good"])])
    assert broken.exit_code == 2 and "不是有效的 docx 文件" in broken.output
    missing = runner.invoke(app, ["verify", str(files["good"].with_name("missing.docx"))])
    assert missing.exit_code == 2


def test_cli_json(files: dict[str, Path], cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(
        app, ["verify", "--format", "json", str(files["good"]), str(files["bad"])]
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [d["file"] for d in data] == [str(files["good"]), str(files["bad"])]
    assert data[0]["ok"] is True and data[0]["findings"] == []
    assert data[1]["ok"] is False
    assert {f["code"] for f in data[1]["findings"]} == {"D7"}
    assert data[1]["findings"][0]["severity"] == "error"
