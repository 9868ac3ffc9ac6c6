"""The print file: letters spliced into one document, a section per letter, pages from 1."""

from __future__ import annotations

import io
import itertools
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]

from gongwen import Converter, HandlingYear, Organisation
from gongwen import standard as gb
from gongwen.api import render_reply
from gongwen.findings import Severity
from gongwen.ooxml.compat import for_libreoffice
from gongwen.output.merge import LetterMerger, MergeError, merge_letters
from gongwen.verify import verify_pages
from gongwen.verify.layout import Page, read_pages

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}


@pytest.fixture(scope="module")
def letters(example_year: HandlingYear, example_org: Organisation) -> list[bytes]:
    return [
        render_reply(rec.case, rec.reply, example_org, check=False).data
        for rec in example_year.cases
        if rec.reply is not None
    ]


def _doc(data: bytes) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))


def _texts(root: etree._Element) -> list[str]:
    return ["".join(p.itertext()) for p in root.iter(f"{{{W}}}p")]


def test_one_section_per_letter_with_page_numbers_restarting(letters: list[bytes]) -> None:
    merged = merge_letters(letters)
    assert isinstance(merged, bytes)
    z = zipfile.ZipFile(io.BytesIO(merged))
    root = _doc(merged)
    sections = root.findall(".//w:sectPr", NS)
    assert len(sections) == len(letters)
    body = root.find("w:body", NS)
    assert body is not None and body[-1] is sections[-1]  # the last letter's is the body's
    for sect in sections[:-1]:
        assert sect.getparent().tag == f"{{{W}}}pPr"  # in the letter's last paragraph
        assert sect.find("w:type", NS).get(f"{{{W}}}val") == "oddPage"  # double-sided
    for sect in sections:
        assert sect.find("w:pgNumType", NS).get(f"{{{W}}}start") == "1"
    # titlePg and the header/footer references of each letter are kept and resolve.
    rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    originals = [_doc(d).find(".//w:body/w:sectPr", NS) for d in letters]
    for sect, orig in zip(sections, originals, strict=True):
        assert (sect.find("w:titlePg", NS) is None) == (orig.find("w:titlePg", NS) is None)
        refs = sect.findall("w:headerReference", NS) + sect.findall("w:footerReference", NS)
        assert len(refs) == len(orig.findall("w:headerReference", NS)) + len(
            orig.findall("w:footerReference", NS)
        )
        for ref in refs:
            assert "word/" + targets[ref.get(f"{{{R}}}id")] in z.namelist()
    # identical headers/footers are stored once, however many letters there are.
    parts = [n for n in z.namelist() if n.startswith(("word/gw", "word/header", "word/footer"))]
    assert len(parts) <= 8
    # every paragraph of every letter, in order.
    want = [t for d in letters for t in _texts(_doc(d))]
    assert _texts(root) == want
    # the content types name every new part
    ct = z.read("[Content_Types].xml").decode()
    for n in parts:
        assert f'PartName="/{n}"' in ct


def test_merge_is_deterministic_and_streams_to_a_file(tmp_path: Path, letters: list[bytes]) -> None:
    a = merge_letters(letters[:3])
    m = LetterMerger()
    for d in letters[:3]:
        m.add(d)
    path = m.finish(tmp_path / "合订本.docx")
    assert isinstance(path, Path) and path.read_bytes() == a
    assert not list(tmp_path.glob("*.part"))


def test_merge_errors() -> None:
    with pytest.raises(MergeError):
        LetterMerger().finish()
    with pytest.raises(MergeError):
        LetterMerger().add(b"not a docx")


def test_simplex_starts_each_letter_on_the_next_page(letters: list[bytes]) -> None:
    m = LetterMerger(simplex=True)
    for d in letters[:3]:
        m.add(d)
    for merged in (merge_letters(letters[:3], simplex=True), m.finish()):
        assert isinstance(merged, bytes)
        kinds = [t.get(f"{{{W}}}val") for t in _doc(merged).iterfind(".//w:sectPr/w:type", NS)]
        assert kinds == ["nextPage"] * 3


def test_the_copy_for_libreoffice_starts_letters_by_their_page_number(
    letters: list[bytes],
) -> None:
    """LibreOffice emulates ``oddPage`` with a page-style copy that drops the header/footer
    heights and, after ``titlePg``, is followed by the first-page style (page 2 without a
    number); the copy it is handed breaks ``nextPage`` at page 1, which it puts on a right-hand
    page itself. The merged file keeps ``oddPage`` for Word and WPS."""
    merged = _bytes(merge_letters(letters[:3]))
    copy = _doc(for_libreoffice(merged))
    sections = copy.findall(".//w:sectPr", NS)
    assert [t.get(f"{{{W}}}val") for t in copy.iterfind(".//w:sectPr/w:type", NS)] == [
        "nextPage"
    ] * len(sections)
    assert all(s.find("w:pgNumType", NS).get(f"{{{W}}}start") == "1" for s in sections)
    assert all(s.find("w:titlePg", NS) is not None for s in sections)
    kinds = [t.get(f"{{{W}}}val") for t in _doc(merged).iterfind(".//w:sectPr/w:type", NS)]
    assert kinds == ["oddPage"] * 3


@pytest.fixture(scope="module")
def odd_lengths(example_year: HandlingYear, example_org: Organisation) -> list[bytes]:
    """Letters of one, two and three pages (the one-page letter's 抄送 at the foot of page 1)."""
    rec = next(r for r in example_year.cases if r.reply is not None)
    assert rec.reply is not None
    para = (
        "我局高度重视，组织专门力量进行研究，结合全区实际情况，逐项提出落实措施，"
        "并将持续跟踪办理进展，确保各项措施落到实处。"
    ) * 2

    def letter(body: str) -> bytes:
        assert rec.reply is not None
        reply = rec.reply.model_copy(update={"body": body})
        return render_reply(rec.case, reply, example_org, check=False).data

    one = letter("经研究，现答复如下：我局将认真落实。")
    two = render_reply(rec.case, rec.reply, example_org, check=False).data
    three = letter("\n\n".join([para] * 8))
    return [one, two, three, one]


def _first_difference(got: Page, want: Page) -> str:
    """The first printed line that is not the same at the same place (0.2 mm), or ``""``."""
    for a, b in itertools.zip_longest(got.lines, want.lines):
        if a is None or b is None or a.text != b.text:
            return f"{a and a.text!r} instead of {b and b.text!r}"
        if abs(a.top - b.top) > 0.2 or abs(a.x0 - b.x0) > 0.2:
            return f"{a.text!r} at {a.x0:.1f}/{a.top:.1f} mm instead of {b.x0:.1f}/{b.top:.1f} mm"
    return ""


@pytest.mark.libreoffice
@pytest.mark.parametrize("simplex", [False, True], ids=["duplex", "simplex"])
def test_each_letter_prints_in_the_merged_file_as_it_does_alone(
    odd_lengths: list[bytes], converter: Converter, simplex: bool
) -> None:
    """Every page of every letter, as LibreOffice prints it: the same lines at the same places
    as the letter alone (a one-page letter's 抄送 inside the text area, not 5 mm lower), page 1
    without a number, page k with “— k —” on the side its parity says; the page rules pass.
    (The PDF export leaves out the blank versos, so the pages line up one to one.)"""
    alone = [read_pages(converter.to_pdf(d)) for d in odd_lengths]
    counts = [len(pages) for pages in alone]
    assert 1 in counts and any(n >= 3 and n % 2 for n in counts), counts
    merged_docx = _bytes(merge_letters(odd_lengths, simplex=simplex))
    merged = read_pages(converter.to_pdf(merged_docx))
    want = [page for pages in alone for page in pages]
    assert len(merged) == len(want)
    start = 0
    for n in counts:
        for k in range(1, n + 1):
            page = merged[start + k - 1]
            diff = _first_difference(page, want[start + k - 1])
            assert not diff, f"page {k} of a {n}-page letter: {diff}"
            numbers = [ln for ln in page.lines if ln.top > gb.TEXT_BOTTOM_MM]
            if k == 1:
                assert not numbers  # §10.1: a letter's first page shows no number
                continue
            printed = ["".join(ln.text.split()) for ln in numbers]
            assert printed == ["".join(gb.PAGE_NUMBER_FORMAT.format(k).split())], printed
            centre = (numbers[0].x0 + numbers[0].x1) / 2
            assert (centre > gb.PAGE_WIDTH_MM / 2) == (k % 2 == 1)  # odd right, even left
        start += n
    errors = [f for f in verify_pages(merged_docx, converter) if f.severity is Severity.ERROR]
    assert not errors, [f.message for f in errors]


def _soffice_pdf(tmp_path: Path, docs: dict[str, bytes]) -> dict[str, bytes]:
    """PDFs with LibreOffice's automatically inserted blank pages kept, as a duplex printer
    prints them (the PDF export drops them unless told not to). LibreOffice gets the copy the
    preview hands it (:func:`gongwen.ooxml.compat.for_libreoffice`)."""
    for name, data in docs.items():
        (tmp_path / f"{name}.docx").write_bytes(for_libreoffice(data))
    keep_blank = '{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            f"pdf:writer_pdf_Export:{keep_blank}",
            "--outdir",
            str(tmp_path),
            *(str(tmp_path / f"{name}.docx") for name in docs),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return {name: (tmp_path / f"{name}.pdf").read_bytes() for name in docs}


@pytest.mark.libreoffice
def test_each_letter_starts_on_an_odd_page(
    tmp_path: Path,
    letters: list[bytes],
    example_year: HandlingYear,
    example_org: Organisation,
    converter: Converter,
) -> None:
    """Double-sided: a letter of an odd number of pages is followed by a blank verso without a
    page number, so the next letter starts on the front of a sheet.

    (With ``simplex`` Word and WPS insert no blank page; LibreOffice still inserts one before a
    page numbered 1 that follows an odd page, but its PDF export and its printing with "print
    automatically inserted blank pages" off leave them out — the page count below.)"""
    import pdfplumber

    rec = next(r for r in example_year.cases if r.reply is not None)
    assert rec.reply is not None
    short = rec.reply.model_copy(update={"body": "经研究，现答复如下：我局将认真落实。"})
    one_page = render_reply(rec.case, short, example_org, check=False).data
    chosen = [one_page, letters[0], one_page, one_page]
    docs = {f"l{i}": d for i, d in enumerate(chosen)}
    docs["duplex"] = _bytes(merge_letters(chosen))
    pdfs = {k: pdfplumber.open(io.BytesIO(v)) for k, v in _soffice_pdf(tmp_path, docs).items()}
    counts = [len(pdfs[f"l{i}"].pages) for i in range(len(chosen))]
    assert counts[0] == 1
    simplex = converter.to_pdf(_bytes(merge_letters(chosen, simplex=True)))
    assert len(pdfplumber.open(io.BytesIO(simplex)).pages) == sum(counts)
    duplex = pdfs["duplex"].pages
    assert len(duplex) == sum(n + n % 2 for n in counts[:-1]) + counts[-1]
    start = 0
    for n in counts:
        assert start % 2 == 0  # 0-based even: the front of a sheet, an odd page
        assert "答复" in (duplex[start].extract_text() or "")
        if n % 2 and start + n < len(duplex):
            assert not (duplex[start + n].extract_text() or "").strip()  # blank, no number
        start += n + n % 2


def _bytes(merged: bytes | Path) -> bytes:
    assert isinstance(merged, bytes)
    return merged


@pytest.mark.libreoffice
def test_page_count_is_the_sum_of_the_letters(tmp_path: Path, letters: list[bytes]) -> None:
    chosen = letters[:3]
    files = []
    for i, d in enumerate(chosen):
        p = tmp_path / f"l{i}.docx"
        p.write_bytes(d)
        files.append(p)
    merged = tmp_path / "merged.docx"
    merged.write_bytes(merge_letters(chosen, simplex=True))  # type: ignore[arg-type]
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, [*files, merged]),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )

    def pages(p: Path) -> int:
        out = subprocess.run(["pdfinfo", str(p)], capture_output=True, text=True, check=True)
        return int(next(x for x in out.stdout.splitlines() if x.startswith("Pages")).split()[1])

    assert pages(tmp_path / "merged.pdf") == sum(pages(p.with_suffix(".pdf")) for p in files)
