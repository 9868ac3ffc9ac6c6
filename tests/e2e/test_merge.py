"""The print file: letters spliced into one document, a section per letter, pages from 1."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]

from gongwen import Converter, HandlingYear, Organisation
from gongwen.api import render_reply
from gongwen.output.merge import LetterMerger, MergeError, merge_letters

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


def _soffice_pdf(tmp_path: Path, docs: dict[str, bytes]) -> dict[str, bytes]:
    """PDFs with LibreOffice's automatically inserted blank pages kept, as a duplex printer
    prints them (the PDF export drops them unless told not to)."""
    for name, data in docs.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
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
