"""gongwen.preview: LibreOffice PDF/PNG previews, warm converter, preview-only font mapping.

Layout numbers come from GB/T 9704 (docs/standard.md, gongwen.standard): A4 210×297 mm, top margin
37 mm, left margin 28 mm, right 26 mm, bottom 35 mm. Fonts: 仿宋 → FandolFang (TeX Live) else
Noto Serif CJK SC; 小标宋 → Noto Serif CJK SC Bold; 楷体 → AR PL UKai CN; 黑体 → Noto Sans CJK SC.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import struct
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from pdfminer.pdfcolor import PDFColorSpace
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdffont import PDFFont
from pdfminer.pdfinterp import PDFGraphicState, PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.utils import Matrix

from gongwen.preview import Converter, PreviewError, PreviewWarning, raster
from gongwen.preview import converter as preview

MM = 72 / 25.4  # points per millimetre
A4_PT = (210 * MM, 297 * MM)  # 595.3 × 841.9
TOP_MM, LEFT_MM = 37, 28
FANDOL_DIR = Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol")

# The test letter: (text, east-Asian font, size in pt). Line 1 is flush left (margin check).
SALUTATION = "张三委员："
HEADING1 = "一、总体情况"
HEADING2 = "（一）工作进展"
TITLE = "关于加强城市公共交通建设的建议的答复"
BODY = "您提出的“关于加强城市公共交通建设”的建议收悉——现答复如下：2024年共新开线路12条……"
ANNEX = "附件1"
LETTER_LINES: list[tuple[str, str, float]] = [
    (SALUTATION, "仿宋_GB2312", 16),
    (HEADING1, "黑体", 16),
    (HEADING2, "楷体_GB2312", 16),
    (TITLE, "方正小标宋简体", 22),
    (BODY, "仿宋_GB2312", 16),
]
# Page 2 (after a page break).
LETTER_PAGE2: list[tuple[str, str, float]] = [(ANNEX, "黑体", 16)]


def _need(binary: str) -> None:
    """A tool a test needs besides LibreOffice (fc-match): under CI a missing one fails the test,
    locally it skips. LibreOffice and pdftoppm: ``@pytest.mark.libreoffice`` (tests/conftest.py)."""
    if shutil.which(binary) is None:
        msg = f"{binary} not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + " (CI must install it)")
        pytest.skip(msg)


def _set_font(run: object, name: str, size: float) -> None:
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    rpr = run._r.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("ascii", "hAnsi", "eastAsia"):
        rfonts.set(qn(f"w:{attr}"), name)
    rfonts.set(qn("w:hint"), "eastAsia")


def make_docx(pages: list[list[tuple[str, str, float]]]) -> bytes:
    """A GB/T 9704 page (A4, margins 37/28/26/35 mm) with one paragraph per (text, font, pt)."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.left_margin = Mm(TOP_MM), Mm(LEFT_MM)
    sec.right_margin, sec.bottom_margin = Mm(26), Mm(35)
    for i, lines in enumerate(pages):
        if i:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for text, font, size in lines:
            para = doc.add_paragraph()
            para.paragraph_format.space_before = Pt(0)
            para.paragraph_format.space_after = Pt(0)
            _set_font(para.add_run(text), font, size)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def letter() -> bytes:
    return make_docx([LETTER_LINES, LETTER_PAGE2])


@pytest.fixture(scope="module")
def cold_pdf(letter: bytes) -> bytes:
    return preview.to_pdf(letter)


def _squeeze(text: str) -> str:
    # LibreOffice, like Word, puts a small gap between CJK and Latin/digits (w:autoSpaceDN);
    # pdfplumber reads it as a space. The documents here contain no real spaces.
    return re.sub(r"\s+", "", text)


def page_lines(pdf: bytes) -> list[list[str]]:
    """Each page's text lines (whitespace removed)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = [(p.extract_text() or "").splitlines() for p in doc.pages]
    return [[_squeeze(ln) for ln in lines if ln.strip()] for lines in pages]


def fonts_by_line(pdf: bytes, page: int = 0) -> dict[str, set[str]]:
    """Text line → set of font names (subset prefix removed) of its characters."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        lines = doc.pages[page].extract_text_lines(return_chars=True)
    return {
        _squeeze(ln["text"]): {c["fontname"].split("+", 1)[-1] for c in ln["chars"]} for ln in lines
    }


def fandol_installed() -> bool:
    return (FANDOL_DIR / "FandolFang-Regular.otf").is_file()


# Expected PDF font names per family (as LibreOffice embeds them). Noto CJK's OTC faces share one
# CFF table, so the embedded name is "NotoSansCJKjp-…" even though the SC face is used.
def expected_font(family: str) -> re.Pattern[str]:
    if family == "仿宋":
        pat = r"FandolFang" if fandol_installed() else r"NotoSerifCJK\w*-Regular"
    elif family == "小标宋":
        pat = r"NotoSerifCJK\w*-Bold"
    elif family == "楷体":
        pat = r"UKaiCN"
    elif family == "黑体":
        pat = r"NotoSansCJK\w*-Regular"
    else:
        raise AssertionError(family)
    return re.compile(pat)


# --------------------------------------------------------------------------- missing tools


def test_missing_soffice_has_chinese_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, letter: bytes
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no soffice anywhere
    monkeypatch.delenv("GONGWEN_SOFFICE", raising=False)
    with pytest.raises(PreviewError, match="未找到 LibreOffice") as info:
        preview.to_pdf(letter)
    assert "libreoffice-writer-nogui" in str(info.value)
    with pytest.raises(PreviewError, match="libreoffice-writer-nogui"):
        preview.to_png(letter)
    with pytest.raises(PreviewError, match="libreoffice-writer-nogui"):
        Converter()
    assert issubclass(PreviewError, RuntimeError)


@pytest.mark.libreoffice
def test_missing_pdftoppm_has_chinese_message(
    monkeypatch: pytest.MonkeyPatch, letter: bytes
) -> None:
    monkeypatch.setattr(raster, "_PDFTOPPM_NAME", "pdftoppm-not-installed-here")
    with pytest.raises(PreviewError, match="未找到 pdftoppm") as info:
        preview.to_png(letter)
    assert "poppler-utils" in str(info.value)


@pytest.mark.libreoffice
def test_rejects_non_docx_input(tmp_path: Path) -> None:
    with pytest.raises(PreviewError, match="不是 docx"):
        preview.to_pdf(b"plain text, not a zip")
    with pytest.raises(PreviewError, match="找不到"):
        preview.to_pdf(tmp_path / "missing.docx")


# --------------------------------------------------------------------------- fontconfig


def _fc_match(conf: Path, family: str) -> str:
    _need("fc-match")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    out = subprocess.run(
        ["fc-match", "-f", "%{family[0]}|%{style[0]}", f"{family}:lang=zh-cn"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return out.stdout


@pytest.mark.parametrize(
    ("name", "family", "style"),
    [
        ("仿宋_GB2312", "仿宋", "Regular"),
        ("仿宋", "仿宋", "Regular"),
        ("FangSong", "仿宋", "Regular"),
        ("方正小标宋简体", "Noto Serif CJK SC", "Bold"),
        ("小标宋", "Noto Serif CJK SC", "Bold"),
        ("楷体_GB2312", "AR PL UKai CN", None),
        ("楷体", "AR PL UKai CN", None),
        ("KaiTi", "AR PL UKai CN", None),
        ("黑体", "Noto Sans CJK SC", "Regular"),
        ("SimHei", "Noto Sans CJK SC", "Regular"),
        ("宋体", "Noto Serif CJK SC", "Regular"),
        ("SimSun", "Noto Serif CJK SC", "Regular"),
    ],
)
def test_fontconfig_maps_canonical_names(name: str, family: str, style: str | None) -> None:
    if family == "仿宋":
        family = "FandolFang" if fandol_installed() else "Noto Serif CJK SC"
    got_family, got_style = _fc_match(preview.FONTCONFIG_FILE, name).split("|")
    assert got_family == family
    if style:
        assert got_style == style


def test_fontconfig_fangsong_falls_back_to_noto_serif_without_fandol(tmp_path: Path) -> None:
    conf = tmp_path / "fonts.conf"
    text = preview.FONTCONFIG_FILE.read_text(encoding="utf-8")
    conf.write_text(re.sub(r"<dir>[^<]*fandol[^<]*</dir>", "", text), encoding="utf-8")
    assert _fc_match(conf, "仿宋_GB2312").startswith("Noto Serif CJK SC|Regular")
    assert _fc_match(conf, "楷体_GB2312").startswith("AR PL UKai CN|")


def test_fontconfig_is_preview_only() -> None:
    # The process that imports gongwen keeps the system configuration.
    assert os.environ.get("FONTCONFIG_FILE") != str(preview.FONTCONFIG_FILE)


# --------------------------------------------------------------------------- cold PDF


@pytest.mark.libreoffice
def test_pdf_pages_size_and_text(cold_pdf: bytes) -> None:
    with pdfplumber.open(io.BytesIO(cold_pdf)) as doc:
        assert len(doc.pages) == 2
        for page in doc.pages:
            assert page.width == pytest.approx(A4_PT[0], abs=1)
            assert page.height == pytest.approx(A4_PT[1], abs=1)
    pages = page_lines(cold_pdf)
    text1 = "".join(pages[0])
    for line, _, _ in LETTER_LINES:
        assert line in text1
    assert pages[1] == [ANNEX]


@pytest.mark.libreoffice
def test_first_line_sits_at_the_margins(cold_pdf: bytes) -> None:
    with pdfplumber.open(io.BytesIO(cold_pdf)) as doc:
        chars = doc.pages[0].chars
    first = min(chars, key=lambda c: (round(c["top"]), c["x0"]))
    assert first["text"] == SALUTATION[0]
    assert first["x0"] == pytest.approx(LEFT_MM * MM, abs=1 * MM)
    assert first["top"] == pytest.approx(TOP_MM * MM, abs=1 * MM)


@pytest.mark.libreoffice
def test_fonts_embedded_and_per_family(cold_pdf: bytes) -> None:
    with pdfplumber.open(io.BytesIO(cold_pdf)) as doc:
        # Every font is embedded as a subset (the "ABCDEF+" prefix) with a font program.
        for page in doc.pages:
            for char in page.chars:
                assert re.match(r"^[A-Z]{6}\+", char["fontname"]), char["fontname"]
    fonts = fonts_by_line(cold_pdf)
    wanted = {SALUTATION: "仿宋", HEADING1: "黑体", HEADING2: "楷体", TITLE: "小标宋"}
    for line, family in wanted.items():
        assert line in fonts, (line, list(fonts))
        pattern = expected_font(family)
        # every character of the line comes from the intended family: no fallback font
        assert all(pattern.search(f) for f in fonts[line]), (line, fonts[line])
    body = next(text for text in fonts if text.startswith(BODY[:8]))
    assert all(expected_font("仿宋").search(f) for f in fonts[body]), fonts[body]
    # 仿宋, 黑体, 楷体 and 小标宋 text come from four different fonts.
    distinct = {frozenset(fonts[line]) for line in wanted}
    assert len(distinct) == 4, fonts


@pytest.mark.libreoffice
def test_no_latin_fallback_or_missing_glyphs(cold_pdf: bytes) -> None:
    with pdfplumber.open(io.BytesIO(cold_pdf)) as doc:
        chars = [c for page in doc.pages for c in page.chars]
    text = _squeeze("".join(c["text"] for c in chars))
    # all characters present, none replaced or unmapped
    for line, _, _ in [*LETTER_LINES, *LETTER_PAGE2]:
        assert line in text
    assert "\ufffd" not in text and "(cid:" not in text
    fonts = {c["fontname"].split("+", 1)[-1] for c in chars}
    cjk = re.compile(r"FandolFang|NotoSerifCJK|NotoSansCJK|UKaiCN")
    assert all(cjk.search(f) for f in fonts), fonts
    assert _notdef_glyphs(cold_pdf) == []


def _notdef_glyphs(pdf: bytes) -> list[tuple[str, int]]:
    """(font, code) of every character drawn with the .notdef glyph (tofu)."""
    used: list[tuple[PDFFont, int]] = []

    class Recorder(PDFTextDevice):
        def render_char(
            self,
            matrix: Matrix,
            font: PDFFont,
            fontsize: float,
            scaling: float,
            rise: float,
            cid: int,
            ncs: PDFColorSpace,
            graphicstate: PDFGraphicState,
        ) -> float:
            used.append((font, cid))
            return font.char_width(cid) * fontsize * scaling

    doc = PDFDocument(PDFParser(io.BytesIO(pdf)))
    rsrc = PDFResourceManager()
    interp = PDFPageInterpreter(rsrc, Recorder(rsrc))
    for page in PDFPage.create_pages(doc):
        interp.process_page(page)

    bad: list[tuple[str, int]] = []
    encodings: dict[int, dict[int, str]] = {}
    for font, code in used:
        desc = font.descriptor
        name = str(font.fontname)
        if id(font) not in encodings:
            enc: dict[int, str] = {}
            if "FontFile" in desc:  # Type 1: built-in encoding "dup <code> /<glyph> put"
                stream = resolve1(desc["FontFile"])
                clear = stream.get_data()[: resolve1(stream.attrs["Length1"])].decode("latin-1")
                enc = {int(c): g for c, g in re.findall(r"dup (\d+) /(\S+) put", clear)}
            elif "FontFile2" in desc:  # TrueType subset: code → glyph via its cmap
                tt = TTFont(io.BytesIO(resolve1(desc["FontFile2"]).get_data()))
                for table in tt["cmap"].tables:
                    for c, g in table.cmap.items():
                        enc.setdefault(c & 0xFF, g)
                order = tt.getGlyphOrder()
                enc = {c: (".notdef" if order.index(g) == 0 else g) for c, g in enc.items()}
            else:
                bad.append((name, -1))  # not embedded
            encodings[id(font)] = enc
        glyph = encodings[id(font)].get(code, ".notdef")
        if glyph in (".notdef", "cid0", "glyph00000"):
            bad.append((name, code))
    return bad


# --------------------------------------------------------------------------- PNG


@pytest.mark.libreoffice
def test_png_one_per_page_sized_by_dpi(letter: bytes) -> None:
    dpi = 50
    pngs = preview.to_png(letter, dpi=dpi)
    assert len(pngs) == 2
    for png in pngs:
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert png[12:16] == b"IHDR"
        width, height = struct.unpack(">II", png[16:24])
        assert width == pytest.approx(210 / 25.4 * dpi, abs=1)
        assert height == pytest.approx(297 / 25.4 * dpi, abs=1)


@pytest.mark.libreoffice
def test_pdf_to_png_renders_an_existing_pdf(cold_pdf: bytes) -> None:
    pngs = raster.pdf_to_png(cold_pdf, dpi=72)
    assert len(pngs) == 2
    assert struct.unpack(">II", pngs[1][16:24]) == pytest.approx((595, 842), abs=1)
    with pytest.raises(PreviewError, match="pdftoppm"):
        raster.pdf_to_png(b"%PDF-1.4 broken", dpi=72)


# --------------------------------------------------------------------------- warm converter


@pytest.mark.libreoffice
def test_warm_converter_matches_cold(converter: Converter, letter: bytes, cold_pdf: bytes) -> None:
    assert converter.warm
    other = make_docx([[("关于推进老旧小区改造的建议的答复", "方正小标宋简体", 22)]])
    third = make_docx([[(f"第{i}段：城市道路养护。", "仿宋_GB2312", 16) for i in range(1, 4)]])
    results = [converter.to_pdf(doc) for doc in (letter, other, third, letter)]
    assert page_lines(results[0]) == page_lines(cold_pdf)
    assert page_lines(results[3]) == page_lines(cold_pdf)
    assert page_lines(results[1]) == [["关于推进老旧小区改造的建议的答复"]]
    assert page_lines(results[2]) == [[f"第{i}段：城市道路养护。" for i in range(1, 4)]]
    assert fonts_by_line(results[0]) == fonts_by_line(cold_pdf)


@pytest.mark.libreoffice
def test_warm_converter_accepts_paths_and_pngs(
    converter: Converter, letter: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "答复函.docx"
    path.write_bytes(letter)
    assert len(page_lines(converter.to_pdf(path))) == 2
    assert len(page_lines(converter.to_pdf(str(path)))) == 2
    pngs = converter.to_png(path, dpi=30)
    assert len(pngs) == 2 and all(p.startswith(b"\x89PNG") for p in pngs)


@pytest.mark.libreoffice
def test_warm_converter_reports_unreadable_document(converter: Converter) -> None:
    # A zip that is not a document: LibreOffice refuses it, without a restart.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not a docx")
    before = converter.restarts
    with pytest.raises(PreviewError, match="未能"):
        converter.to_pdf(buf.getvalue())
    assert converter.restarts == before


def _office_pid(conv: Converter) -> int:
    office = conv._office
    assert office is not None and office.poll() is None
    return office.pid


@pytest.mark.libreoffice
def test_warm_converter_restarts_after_crash_and_hang(letter: bytes) -> None:
    with Converter() as conv:
        conv.to_pdf(letter)
        profile = conv._profile
        assert profile is not None and conv._pipe is not None
        # LibreOffice's socket files: the UNO pipe and its single-instance pipe
        sockets = [
            Path("/tmp", f"OSL_PIPE_{os.getuid()}_{name}")
            for name in (conv._pipe, preview._ipc_pipe_name(profile))
        ]
        assert all(s.exists() for s in sockets)
        os.killpg(_office_pid(conv), signal.SIGKILL)  # LibreOffice crashes
        assert len(page_lines(conv.to_pdf(letter))) == 2
        assert conv.restarts == 1
        assert not profile.exists()  # the old profile is removed
        assert not any(s.exists() for s in sockets)  # and what the killed one left in /tmp
        os.killpg(_office_pid(conv), signal.SIGSTOP)  # LibreOffice hangs
        assert len(page_lines(conv.to_pdf(letter, timeout=5))) == 2
        assert conv.restarts == 2
        profile = conv._profile
        office = conv._office
    # close() shut LibreOffice down and removed the profile
    assert office is not None and office.poll() is not None
    assert profile is not None and not profile.exists()
    with pytest.raises(PreviewError, match="已关闭"):
        conv.to_pdf(letter)


@pytest.mark.libreoffice
def test_warm_converter_gives_up_after_one_restart(
    letter: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Converter(start_timeout=20) as conv:
        conv.to_pdf(letter)
        # From now on LibreOffice cannot start: the restart fails, PreviewError follows.
        monkeypatch.setattr(conv, "_soffice", shutil.which("false") or "/bin/false")
        os.killpg(_office_pid(conv), signal.SIGKILL)
        with pytest.raises(PreviewError, match="重启后仍然失败"):
            conv.to_pdf(letter)


@pytest.mark.libreoffice
def test_converter_without_uno_falls_back_to_cold(
    letter: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GONGWEN_UNO_PYTHON", raising=False)
    # no interpreter that can import uno
    monkeypatch.setattr(preview, "_UNO_PYTHONS", (shutil.which("false") or "/bin/false",))
    monkeypatch.setattr(preview, "_bundled_python", lambda soffice: None)
    with pytest.warns(PreviewWarning, match="python3-uno"):
        conv = Converter()
    with conv:
        assert not conv.warm
        assert page_lines(conv.to_pdf(letter))[1] == [ANNEX]


@pytest.mark.libreoffice
def test_warm_converter_recycles_libreoffice(letter: bytes) -> None:
    with Converter(recycle_after=2) as conv:
        pids, profiles = [], []
        for _ in range(3):
            assert len(page_lines(conv.to_pdf(letter))) == 2
            pids.append(_office_pid(conv))
            profiles.append(conv._profile)
        assert pids[0] == pids[1] != pids[2]  # a fresh LibreOffice after two conversions
        assert profiles[0] is not None and not profiles[0].exists()
        assert conv.restarts == 0  # recycling is not a crash
