"""GB/T 9704-2012 layout of the reply templates (templates/docx), rendered with docxtpl.

The expected numbers are GB/T 9704's, taken from gongwen.standard (which
tests/unit/test_standard.py pins to the standard's literal values; docs/standard.md), never from
templates/builder. The font-name sets are this test's own, narrower than the verifier's.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
from docxtpl import DocxTemplate
from lxml import etree  # type: ignore[import-untyped]

from gongwen import standard as gb
from gongwen.ooxml import NSMAP, W_NS
from tests.conftest import ROOT

TEMPLATES = ROOT / "templates" / "docx"
LETTERS = ("reply_letter.docx", "co_opinion.docx")
ALL = (*LETTERS, "reply_file.docx")

# ---- GB/T 9704 values (docs/standard.md) ---------------------------------------------------------
PAGE_W, PAGE_H = gb.PAGE_WIDTH_TWIPS, gb.PAGE_HEIGHT_TWIPS
MM = gb.TWIPS_PER_MM
MARGINS_MM = {side: m.mm for side, m in gb.MARGINS.items()}
TOLERANCE = round(gb.MARGIN_TOLERANCE_MM * MM)  # ±1 mm in twips
BODY_SZ, TITLE_SZ = gb.BODY_SIZE.sz, gb.TITLE_SIZE.sz
PAGE_NUMBER_SZ, COPY_TO_SZ = gb.PAGE_NUMBER_SIZE.sz, gb.RECORD_SIZE.sz
LINE_MIN, LINE_MAX = gb.LINE_PITCH_MIN_TWIPS, gb.LINE_PITCH_MAX_TWIPS
CHAR_SPACE = gb.DOC_GRID_CHAR_SPACE  # -848
ONE_CHAR = gb.CHAR_TWIPS  # one 三号 character, twips
FANGSONG = {"仿宋", "仿宋_GB2312", "FangSong", "FangSong_GB2312", "仿宋_GBK"}
KAITI = {"楷体", "楷体_GB2312", "KaiTi", "KaiTi_GB2312", "楷体_GBK"}
HEITI = {"黑体", "SimHei"}
XIAOBIAOSONG = {"方正小标宋简体", "方正小标宋_GBK", "小标宋"}
SONGTI = {"宋体", "SimSun"}
HEADING_FONTS = {"h1": HEITI, "h2": KAITI, "h3": FANGSONG, "h4": FANGSONG}
RED = gb.RED
NS = {prefix: NSMAP[prefix] for prefix in ("w", "a", "wp", "r")}


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


# ---- sample context -----------------------------------------------------------------------------
def sample_body() -> list[dict[str, str]]:
    body = [
        {
            "kind": "p",
            "head": "",
            "text": "您提出的《关于加快推进数字经济发展的提案》（第8号）收悉。",
        },
        {"kind": "h1", "head": "一、总体情况", "text": ""},
        {"kind": "p", "head": "", "text": "近年来，我局坚持问题导向，R&D投入<逐年>增加。"},
        {"kind": "h2", "head": "（一）加强组织领导。", "text": "成立工作专班，建立例会制度。"},
        {"kind": "h3", "head": "1.完善政策体系。", "text": "出台三年行动计划。"},
        {"kind": "h4", "head": "（1）", "text": "落实专项资金2000万元。"},
        {"kind": "h1", "head": "二、下一步打算", "text": ""},
    ]
    for i in range(1, 27):
        body.append(
            {
                "kind": "p",
                "head": "",
                "text": f"第{i}段：我局将继续加强与相关部门的沟通协作，认真研究吸纳您提出的"
                "意见建议，进一步优化营商环境，推动数字经济企业集聚发展。",
            }
        )
    return body


COMMON: dict[str, Any] = {
    "org_mark": "宁波市海曙区经济发展局",
    "title": "关于区政协三届一次会议第8号提案的答复",
    "salutation": "张三委员：",
    "body": sample_body(),
    "closing": "感谢您对我局工作的关心和支持，欢迎继续提出宝贵意见。",
    "sign_org": "宁波市海曙区经济发展局",
    "date": "2024年6月18日",
    "note": "（联系人：王五，联系电话：0574-87654321）",
    "copy_to": "区政协提案委员会，区政府办公室。",
}


def _fits(mark: str, name: str, issuer: str, date: str) -> dict[str, Any]:
    """The one-line keys ``documents.reply.letterhead_context`` computes."""
    letter, file = gb.letter_mark_fit(mark), gb.file_mark_fit(mark)
    assert letter is not None and file is not None
    return {
        "letter_mark_sz": letter.sz,
        "letter_mark_w": letter.scale,
        "file_mark_sz": file.sz,
        "file_mark_w": file.scale,
        "sign_org_w": gb.sign_org_scale(name) or 100,
        "issuer_w": gb.issuer_scale(issuer, date) or 100,
        # a one-line mark: no further lines (two-line marks, 联合行文: tests/unit/test_joint_marks)
        "mark_rows": [mark],
        "letter_rows_twips": 0,
        "letter_rows_emu": 0,
        "file_names_w": 0,
        "file_gap_w": 0,
        "file_word_w": 0,
    }


COMMON.update(
    _fits(COMMON["org_mark"], COMMON["sign_org"], "宁波市海曙区经济发展局办公室", COMMON["date"])
)
CONTEXTS: dict[str, dict[str, Any]] = {
    "reply_letter.docx": {**COMMON, "mark_left": "A类　公开", "mark_right": "海经发函〔2024〕15号"},
    "co_opinion.docx": {
        **COMMON,
        "salutation": "区发展和改革局：",
        "mark_left": "",
        "mark_right": "海经发函〔2024〕16号",
    },
    "reply_file.docx": {
        **COMMON,
        "marks": "A类　主动公开",
        "doc_number": "海经发〔2024〕15号",
        "signer": "",
        "issuer": "宁波市海曙区经济发展局办公室",
        "issue_date": "2024年6月18日",
    },
}


def render(name: str, context: dict[str, Any], out: Path) -> Path:
    tpl = DocxTemplate(str(TEMPLATES / name))
    tpl.render(context, jinja2.Environment(autoescape=True))
    tpl.save(str(out))
    return out


# ---- a small OOXML reader with style inheritance ------------------------------------------------
class Docx:
    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as z:
            self.xml = {n: z.read(n) for n in z.namelist() if n.endswith(".xml")}
            rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        self.parts = {n: etree.fromstring(b) for n, b in self.xml.items()}
        self.doc = self.parts["word/document.xml"]
        self.styles_root = self.parts["word/styles.xml"]
        self.styles = {s.get(w("styleId")): s for s in self.styles_root.iter(w("style"))}
        self.targets = {r.get("Id"): "word/" + r.get("Target") for r in rels}
        self.sect = self.doc.find(f"{w('body')}/{w('sectPr')}")

    def hf_parts(self) -> list[str]:
        return [n for n in self.parts if re.match(r"word/(header|footer)\d*\.xml$", n)]

    def footer(self, kind: str) -> etree._Element | None:
        for ref in self.sect.findall(w("footerReference")):
            if ref.get(w("type")) == kind:
                return self.parts[self.targets[ref.get(f"{{{NS['r']}}}id")]]
        return None

    def chain(self, style_id: str | None) -> Iterator[etree._Element]:
        while style_id and style_id in self.styles:
            s = self.styles[style_id]
            yield s
            based = s.find(w("basedOn"))
            style_id = based.get(w("val")) if based is not None else None

    def _default_style(self, kind: str) -> str | None:
        for sid, s in self.styles.items():
            if s.get(w("type")) == kind and s.get(w("default")) == "1":
                return str(sid)
        return None

    def pstyle(self, p: etree._Element) -> str | None:
        e = p.find(f"{w('pPr')}/{w('pStyle')}")
        return e.get(w("val")) if e is not None else self._default_style("paragraph")

    def ppr(self, p: etree._Element, tag: str, attr: str) -> str | None:
        """Effective paragraph property: direct, then the style chain, then docDefaults."""
        sources = [p.find(w("pPr"))]
        sources += [s.find(w("pPr")) for s in self.chain(self.pstyle(p))]
        sources.append(self.styles_root.find(f"{w('docDefaults')}/{w('pPrDefault')}/{w('pPr')}"))
        for src in sources:
            if src is None:
                continue
            e = src.find(w(tag))
            if e is not None and e.get(w(attr)) is not None:
                return str(e.get(w(attr)))
        return None

    def rpr(self, p: etree._Element, r: etree._Element, tag: str, attr: str) -> str | None:
        """Effective run property: direct, character style, paragraph style, docDefaults."""
        sources = [r.find(w("rPr"))]
        rs = r.find(f"{w('rPr')}/{w('rStyle')}")
        if rs is not None:
            sources += [s.find(w("rPr")) for s in self.chain(rs.get(w("val")))]
        sources += [s.find(w("rPr")) for s in self.chain(self.pstyle(p))]
        sources.append(self.styles_root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}"))
        for src in sources:
            if src is None:
                continue
            e = src.find(w(tag))
            if e is not None:
                v = e.get(w(attr))
                if v is not None:
                    return str(v)
                if tag in ("b", "bCs"):
                    return "1"
        return None

    def paragraphs(self) -> list[etree._Element]:
        return list(self.doc.find(w("body")).iter(w("p")))


def text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")))


def text_runs(p: etree._Element) -> list[etree._Element]:
    return [r for r in p.findall(w("r")) if r.find(w("t")) is not None and text(r)]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Docx]:
    out = tmp_path_factory.mktemp("rendered")
    return {n: Docx(render(n, CONTEXTS[n], out / n)) for n in ALL}


def find_p(d: Docx, content: str) -> etree._Element:
    found = [p for p in d.paragraphs() if text(p) == content]
    assert len(found) == 1, f"{content!r}: {len(found)} paragraphs"
    return found[0]


# ---- page ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ALL)
def test_page_size_and_margins(rendered: dict[str, Docx], name: str) -> None:
    d = rendered[name]
    pg = d.sect.find(w("pgSz"))
    assert (int(pg.get(w("w"))), int(pg.get(w("h")))) == (PAGE_W, PAGE_H)
    mar = d.sect.find(w("pgMar"))
    for side, mm_value in MARGINS_MM.items():
        assert abs(int(mar.get(w(side))) - mm_value * MM) <= TOLERANCE, side


@pytest.mark.parametrize("name", ALL)
def test_line_spacing_and_grid(rendered: dict[str, Docx], name: str) -> None:
    d = rendered[name]
    grid = d.sect.find(w("docGrid"))
    assert grid.get(w("type")) == "linesAndChars"
    pitch = int(grid.get(w("linePitch")))
    assert LINE_MIN <= pitch <= LINE_MAX
    assert gb.LINES_PER_PAGE * pitch <= PAGE_H - round(
        (MARGINS_MM["top"] + MARGINS_MM["bottom"]) * MM
    )
    assert abs(int(grid.get(w("charSpace"))) - CHAR_SPACE) <= 4
    for block in CONTEXTS[name]["body"]:
        p = find_p(d, block["head"] + block["text"])
        assert d.ppr(p, "spacing", "lineRule") == "exact"
        assert int(d.ppr(p, "spacing", "line") or 0) == pitch


@pytest.mark.parametrize("name", ALL)
def test_body_text(rendered: dict[str, Docx], name: str) -> None:
    d = rendered[name]
    paras = [b for b in CONTEXTS[name]["body"] if b["kind"] == "p"]
    assert len(paras) >= 27
    for block in paras:
        p = find_p(d, block["text"])
        first_chars = d.ppr(p, "ind", "firstLineChars")
        first = d.ppr(p, "ind", "firstLine")
        assert first_chars == "200" or abs(int(first or 0) - 2 * ONE_CHAR) <= 20
        for r in text_runs(p):
            assert d.rpr(p, r, "sz", "val") == str(BODY_SZ)
            assert d.rpr(p, r, "rFonts", "eastAsia") in FANGSONG
    # autoescape: markup characters arrive as text
    assert any("R&D投入<逐年>" in text(p) for p in d.paragraphs())


@pytest.mark.parametrize("name", ALL)
def test_body_blocks_one_paragraph_each(rendered: dict[str, Docx], name: str) -> None:
    d = rendered[name]
    ctx = CONTEXTS[name]
    # the bottom frame (抄送, 版记) is anchored before the closing: see test_bottom_frame
    flow = [p for p in d.paragraphs() if p.find(f"{w('pPr')}/{w('framePr')}") is None]
    texts = [text(p) for p in flow]
    start = texts.index(ctx["salutation"]) + 1
    expected = [b["head"] + b["text"] for b in ctx["body"]]
    assert texts[start : start + len(expected)] == expected
    assert texts[start + len(expected)] == ctx["closing"]
    # nothing empty or left over between the title and the date
    middle = texts[texts.index(ctx["title"]) : texts.index(ctx["date"]) + 1]
    assert all(t.strip() for t in middle)
    assert not any("{%" in t or "{{" in t for t in texts)
    styles = [d.pstyle(p) for p in flow[start : start + len(expected)]]
    # the closing sentence keeps with the signature (§7.3.5), in its own style; the last body
    # paragraph does so only when there is no closing sentence
    assert ctx["body"][-1]["kind"] == "p" and ctx["closing"]
    assert styles[-1] == "GwBody" and d.pstyle(flow[start + len(expected)]) == "GwClosing"
    by_kind: dict[str, set[str | None]] = {}
    for block, style in zip(ctx["body"], styles, strict=True):
        by_kind.setdefault(block["kind"], set()).add(style)
    assert all(len(v) == 1 for v in by_kind.values())  # one style per kind
    assert len(set.union(*by_kind.values())) == 5  # p, h1…h4 each their own


@pytest.mark.parametrize("name", ALL)
def test_heading_fonts(rendered: dict[str, Docx], name: str) -> None:
    d = rendered[name]
    for block in CONTEXTS[name]["body"]:
        if block["kind"] == "p":
            continue
        p = find_p(d, block["head"] + block["text"])
        runs = text_runs(p)
        head = [r for r in runs if text(r) == block["head"]]
        assert head, block
        assert d.rpr(p, head[0], "rFonts", "eastAsia") in HEADING_FONTS[block["kind"]]
        assert d.rpr(p, head[0], "sz", "val") == str(BODY_SZ)
        assert d.rpr(p, head[0], "b", "val") in (None, "0", "false")
        for r in runs:
            if r is not head[0]:
                assert d.rpr(p, r, "rFonts", "eastAsia") in FANGSONG  # run-in text


@pytest.mark.parametrize("name", ALL)
def test_title(rendered: dict[str, Docx], name: str) -> None:
    d = rendered[name]
    p = find_p(d, CONTEXTS[name]["title"])
    assert d.ppr(p, "jc", "val") == "center"
    for r in text_runs(p):
        assert d.rpr(p, r, "sz", "val") == str(TITLE_SZ)
        assert d.rpr(p, r, "rFonts", "eastAsia") in XIAOBIAOSONG
        assert d.rpr(p, r, "b", "val") in (None, "0", "false")


@pytest.mark.parametrize("name", ALL)
def test_signature_date_note_copy_to(rendered: dict[str, Docx], name: str) -> None:
    d = rendered[name]
    ctx = CONTEXTS[name]
    date = find_p(d, ctx["date"])
    assert d.ppr(date, "jc", "val") == "right"
    assert abs(int(d.ppr(date, "ind", "right") or 0) - 4 * ONE_CHAR) <= 20  # 右空四字
    sign = [p for p in d.paragraphs() if text(p) == ctx["sign_org"]][-1]  # not the mark's
    assert d.ppr(sign, "jc", "val") == "center"
    note = find_p(d, ctx["note"])
    assert abs(int(d.ppr(note, "ind", "firstLine") or 0) - 2 * ONE_CHAR) <= 20
    copy_to = find_p(d, "抄送：" + ctx["copy_to"])
    for r in text_runs(copy_to):
        assert d.rpr(copy_to, r, "sz", "val") == str(COPY_TO_SZ)
        assert d.rpr(copy_to, r, "rFonts", "eastAsia") in FANGSONG


@pytest.mark.parametrize("name", LETTERS)
def test_letter_drops_empty_optional_paragraphs(tmp_path: Path, name: str) -> None:
    ctx = {**CONTEXTS[name], "closing": "", "note": "", "copy_to": ""}
    d = Docx(render(name, ctx, tmp_path / name))
    texts = [text(p) for p in d.paragraphs()]
    assert texts[-1] == ctx["date"]
    assert texts[-2] == ctx["sign_org"]
    assert texts[-3] == ctx["body"][-1]["text"]


def test_file_variants(tmp_path: Path) -> None:
    ctx = {**CONTEXTS["reply_file.docx"], "signer": "李四", "marks": "", "copy_to": ""}
    d = Docx(render("reply_file.docx", ctx, tmp_path / "f.docx"))
    texts = [text(p) for p in d.paragraphs()]
    assert texts[0] == ctx["org_mark"] + "文件"  # no empty 份号 line
    assert ctx["doc_number"] + "签发人：李四" in texts
    signer = find_p(d, ctx["doc_number"] + "签发人：李四")
    name_run = next(r for r in text_runs(signer) if text(r) == "李四")
    assert d.rpr(signer, name_run, "rFonts", "eastAsia") in KAITI
    label = next(r for r in text_runs(signer) if text(r) == "签发人：")
    assert d.rpr(signer, label, "rFonts", "eastAsia") in FANGSONG
    assert not any(t.startswith("抄送") for t in texts)
    assert texts.count(ctx["issuer"] + ctx["issue_date"] + "印发") == 1


def _framed(d: Docx) -> list[etree._Element]:
    return [p for p in d.paragraphs() if p.find(f"{w('pPr')}/{w('framePr')}") is not None]


@pytest.mark.parametrize("name", ALL)
def test_bottom_frame(rendered: dict[str, Docx], name: str) -> None:
    """抄送 (letter, §10.1) or 版记 (file, §7.4) in one frame as wide as the text area at the
    bottom of the text area, anchored to the closing sentence (it moves with the closing block)."""
    d = rendered[name]
    framed = _framed(d)
    assert framed
    for p in framed:
        fr = p.find(f"{w('pPr')}/{w('framePr')}")
        assert {k.split("}")[1]: v for k, v in fr.attrib.items()} == {
            "w": str(gb.TEXT_WIDTH_TWIPS), "wrap": "notBeside", "vAnchor": "margin",
            "hAnchor": "margin", "xAlign": "center", "yAlign": "bottom",
        }  # fmt: skip
    after = framed[-1].getnext()
    assert text(after) == CONTEXTS[name]["closing"]


def test_file_record_rules(rendered: dict[str, Docx]) -> None:
    d = rendered["reply_file.docx"]
    assert not d.doc.findall(f".//{w('tbl')}")
    framed = _framed(d)
    ctx = CONTEXTS["reply_file.docx"]
    assert [text(p) for p in framed] == [
        "抄送：" + ctx["copy_to"],
        "",
        ctx["issuer"] + ctx["issue_date"] + "印发",
    ]
    # every paragraph: the same top and bottom rule, 0.35 mm (sz 8) — drawn above and below the
    # frame — and the thin middle rule (0.25 mm): a shaded paragraph exactly that high
    for p in framed:
        bdr = p.find(f"{w('pPr')}/{w('pBdr')}")
        assert [(b.tag.split("}")[1], b.get(w("sz"))) for b in bdr] == [
            ("top", "8"),
            ("bottom", "8"),
        ]
    thin = framed[1].find(w("pPr"))
    assert thin.find(w("shd")).get(w("fill")) == "000000"
    line = int(thin.find(w("spacing")).get(w("line")))
    assert abs(line / 20 * gb.MM_PER_PT - gb.RECORD_THIN_RULE_MM) < 0.05


# ---- fonts, colours -----------------------------------------------------------------------------
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


@pytest.mark.parametrize("name", ALL)
def test_no_theme_fonts_and_every_style_has_fonts(rendered: dict[str, Docx], name: str) -> None:
    d = rendered[name]
    checked = ["word/styles.xml", "word/document.xml", *d.hf_parts()]
    for part in checked:
        for attr in THEME_ATTRS:
            assert f"w:{attr}".encode() not in d.xml[part], (part, attr)
    assert d.styles_root.find(w("latentStyles")) is None
    default = d.styles_root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('rFonts')}")
    assert default.get(w("eastAsia")) in FANGSONG
    assert default.get(w("hint")) == "eastAsia"
    for sid, s in d.styles.items():
        fonts = s.find(f"{w('rPr')}/{w('rFonts')}")
        assert fonts is not None and fonts.get(w("eastAsia")), sid
        assert fonts.get(w("ascii")) and fonts.get(w("hAnsi")), sid
    assert len(d.styles) <= 40  # unused styles removed


@pytest.mark.parametrize("name", ALL)
def test_red_only_on_mark_and_rules(rendered: dict[str, Docx], name: str) -> None:
    d = rendered[name]
    mark = CONTEXTS[name]["org_mark"]
    for table_border in d.doc.iter(w("tblBorders")):
        assert all((b.get(w("color")) or "000000") == "000000" for b in table_border)
    for part in ["word/document.xml", *d.hf_parts()]:
        root = d.parts[part]
        for p in root.iter(w("p")):
            for r in text_runs(p):
                colour = (d.rpr(p, r, "color", "val") or "000000").upper()
                in_box = any(a.tag == w("txbxContent") for a in p.iterancestors())
                if text(p) == mark + "文件" or (in_box and text(p) == mark):
                    assert colour == RED, text(p)
                else:
                    assert colour in ("000000", "AUTO"), (text(p), colour)
            # paragraph borders: red only for the separator under the doc number (§7.2.3)
            for style in [p.find(w("pPr")), *(x.find(w("pPr")) for x in d.chain(d.pstyle(p)))]:
                for b in [] if style is None else style.iter(w("top"), w("bottom")):
                    if (b.get(w("color")) or "").upper() == RED:
                        assert text(p).startswith(CONTEXTS[name].get("doc_number", "?")), text(p)
        for clr in root.iter(f"{{{NS['a']}}}srgbClr"):  # drawing colours: the red rules only
            assert clr.get("val") == RED
            assert clr.getparent().getparent().tag == f"{{{NS['a']}}}ln"


def test_red_rules_are_where_the_spec_puts_them(rendered: dict[str, Docx]) -> None:
    for name in LETTERS:
        lines = rendered[name].doc.findall(".//wp:anchor", NS)
        rules = [a for a in lines if a.find(".//a:prstGeom[@prst='line']", NS) is not None]
        assert len(rules) == 4  # two double rules
        for a in rules:
            cx = int(a.find("wp:extent", NS).get("cx"))
            x = int(a.find("wp:positionH/wp:posOffset", NS).text)
            assert abs(cx - gb.mm_to_emu(gb.LETTER_RULE_LENGTH_MM)) <= gb.EMU_PER_MM  # 170 mm
            centred = (gb.PAGE_WIDTH_MM - gb.LETTER_RULE_LENGTH_MM) / 2  # on the 210 mm paper
            assert abs(x - gb.mm_to_emu(centred)) <= gb.EMU_PER_MM
            assert a.find("wp:positionH", NS).get("relativeFrom") == "page"
    # the file format's separator: a red bottom border on the doc-number paragraph, 156 mm
    d = rendered["reply_file.docx"]
    p = find_p(d, CONTEXTS["reply_file.docx"]["doc_number"])
    style = d.styles[d.pstyle(p)]
    bottom = style.find(f"{w('pPr')}/{w('pBdr')}/{w('bottom')}")
    assert bottom.get(w("color")) == RED
    assert d.ppr(p, "ind", "left") in (None, "0") and d.ppr(p, "ind", "right") in (None, "0")


# ---- footers ------------------------------------------------------------------------------------
def page_field_text(ftr: etree._Element) -> str:
    """Footer text with a complex PAGE field written as {PAGE} (its cached result dropped)."""
    out: list[str] = []
    state, instr = "text", ""
    for r in ftr.iter(w("r")):
        fld = r.find(w("fldChar"))
        if fld is not None:
            kind = fld.get(w("fldCharType"))
            if kind == "begin":
                state, instr = "instr", ""
            elif kind == "separate":
                out.append("{" + instr.strip() + "}")
                state = "result"
            else:
                state = "text"
            continue
        if state == "instr":
            instr += "".join(t.text or "" for t in r.iter(w("instrText")))
        elif state == "text":
            out.append(text(r))
    return "".join(out)


@pytest.mark.parametrize("name", ALL)
def test_page_number_footers(rendered: dict[str, Docx], name: str) -> None:
    d = rendered[name]
    assert d.parts["word/settings.xml"].find(w("evenAndOddHeaders")) is not None
    for kind, jc, side in (("default", "right", "right"), ("even", "left", "left")):
        ftr = d.footer(kind)
        assert ftr is not None, kind
        assert page_field_text(ftr) == "— {PAGE} —"
        p = next(p for p in ftr.iter(w("p")) if text(p))
        assert d.ppr(p, "jc", "val") == jc
        assert abs(int(d.ppr(p, "ind", side) or 0) - ONE_CHAR) <= 20  # one character in
        for r in text_runs(p):
            assert d.rpr(p, r, "sz", "val") == str(PAGE_NUMBER_SZ)
            assert d.rpr(p, r, "rFonts", "eastAsia") in SONGTI
            assert d.rpr(p, r, "rFonts", "ascii") in SONGTI
    title_pg = d.sect.find(w("titlePg"))
    if name in LETTERS:
        assert title_pg is not None and title_pg.get(w("val")) in (None, "1", "true")
        first = d.footer("first")
        assert first is not None and "PAGE" not in etree.tostring(first).decode()
    else:
        assert title_pg is None or title_pg.get(w("val")) in ("0", "false")


# ---- builder and committed files ----------------------------------------------------------------
def test_build_script_reproduces_committed_templates(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "templates" / "build.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for name in ALL:
        with zipfile.ZipFile(TEMPLATES / name) as a, zipfile.ZipFile(tmp_path / name) as b:
            parts = sorted(
                n
                for n in a.namelist()
                if re.match(r"word/(document|styles|settings|header\d*|footer\d*)\.xml$", n)
            )
            assert parts == sorted(
                n
                for n in b.namelist()
                if re.match(r"word/(document|styles|settings|header\d*|footer\d*)\.xml$", n)
            )
            for part in parts:
                assert a.read(part).decode() == b.read(part).decode(), (name, part)


@pytest.mark.parametrize("name", ALL)
def test_templates_are_small(name: str) -> None:
    assert (TEMPLATES / name).stat().st_size < 20_000
    with zipfile.ZipFile(TEMPLATES / name) as z:
        assert len(z.read("word/styles.xml")) < 20_000


# ---- the rendered PDF (LibreOffice) -------------------------------------------------------------
@pytest.mark.libreoffice
def test_letter_pdf_geometry(tmp_path: Path) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    docx = render("reply_letter.docx", CONTEXTS["reply_letter.docx"], tmp_path / "l.docx")
    env = dict(os.environ)
    fonts = ROOT / "src" / "gongwen" / "fontconfig" / "fonts.conf"
    if fonts.exists():
        env["FONTCONFIG_FILE"] = str(fonts)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=120,
    )
    pt_mm = gb.MM_PER_PT
    one_char = gb.SANHAO.mm  # page numbers one character in (5.6 mm)
    with pdfplumber.open(tmp_path / "l.pdf") as pdf:
        assert len(pdf.pages) >= 3
        p1 = pdf.pages[0]
        mark = [c for c in p1.chars if c["size"] > 30]
        assert "".join(c["text"] for c in mark) == COMMON["org_mark"]
        assert abs(min(c["top"] for c in mark) * pt_mm - gb.LETTER_MARK_TOP_MM) <= 1.5
        body = [c for c in p1.chars if abs(c["size"] - 16) < 0.1]
        assert abs(min(c["x0"] for c in body) * pt_mm - gb.MARGIN_LEFT_MM) <= 1  # text edge
        rules = [g for g in p1.lines + p1.rects if (g["x1"] - g["x0"]) * pt_mm > 160]
        assert len(rules) >= 4
        for g in rules:
            assert abs((g["x1"] - g["x0"]) * pt_mm - gb.LETTER_RULE_LENGTH_MM) <= 1
        assert not [c for c in p1.chars if c["text"] == "—"]  # no page number on page 1
        for index, side in ((1, "left"), (2, "right")):
            page = pdf.pages[index]
            dash = sorted((c for c in page.chars if c["text"] == "—"), key=lambda c: c["x0"])
            assert len(dash) == 2
            number = "".join(
                c["text"]
                for c in page.chars
                if dash[0]["x0"] < c["x0"] < dash[1]["x0"] and abs(c["top"] - dash[0]["top"]) < 5
            )
            assert number.strip() == str(index + 1)
            if side == "left":
                assert abs(dash[0]["x0"] * pt_mm - (gb.MARGIN_LEFT_MM + one_char)) <= 1.5
            else:
                right_edge = gb.PAGE_WIDTH_MM - gb.MARGIN_RIGHT_MM
                assert abs(dash[1]["x1"] * pt_mm - (right_edge - one_char)) <= 1.5
            # 一字线 7 mm below the text area (297 - 35 = 262 mm)
            centre = (dash[0]["top"] + dash[0]["bottom"]) / 2 * pt_mm
            assert abs(centre - (gb.TEXT_BOTTOM_MM + gb.PAGE_NUMBER_BELOW_TEXT_MM)) <= 1.5
