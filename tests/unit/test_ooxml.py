"""The OOXML layer: a docx as a package (parts, relationships, content types) and the property
reader (docDefaults, style inheritance, theme fonts), on small hand-made packages."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from gongwen.errors import DocxPackageError
from gongwen.ooxml import CT_NS, PKG_REL_NS, R_NS, W_NS, qn
from gongwen.ooxml.markup import body_tags, inline_picture_run, max_drawing_id, root_start_tag
from gongwen.ooxml.package import ContentTypes, Package, Relationships, rels_part_name
from gongwen.ooxml.properties import (
    PropertyReader,
    Styles,
    read_header_footer_parts,
    read_sections,
)
from gongwen.ooxml.text import emu, field_text, mm, own_runs, run_text, twips, w

W = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
A = "http://schemas.openxmlformats.org/drawingml/2006/main"

STYLES = f"""<w:styles {W}>
  <w:docDefaults>
    <w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="宋体"/>
      <w:sz w:val="21"/></w:rPr></w:rPrDefault>
    <w:pPrDefault><w:pPr><w:spacing w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>
  </w:docDefaults>
  <w:style w:type="paragraph" w:default="1" w:styleId="Normal">
    <w:rPr><w:rFonts w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr>
    <w:pPr><w:jc w:val="both"/><w:ind w:firstLineChars="200"/></w:pPr>
  </w:style>
  <w:style w:type="paragraph" w:styleId="Title">
    <w:basedOn w:val="Normal"/>
    <w:pPr><w:jc w:val="center"/><w:ind w:firstLine="0"/></w:pPr>
    <w:rPr><w:rFonts w:eastAsia="方正小标宋简体"/><w:sz w:val="44"/></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:styleId="Sub"><w:basedOn w:val="Title"/>
    <w:rPr><w:b/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>
  <w:style w:type="paragraph" w:styleId="Themed">
    <w:rPr><w:rFonts w:eastAsia="黑体" w:eastAsiaTheme="minorEastAsia"/></w:rPr>
  </w:style>
  <w:style w:type="character" w:styleId="Red"><w:rPr><w:color w:val="ff0000"/></w:rPr></w:style>
</w:styles>"""

THEME = f"""<a:theme xmlns:a="{A}"><a:themeElements><a:fontScheme name="x">
  <a:majorFont><a:latin typeface="Calibri Light"/><a:ea typeface=""/><a:cs typeface=""/>
    <a:font script="Hans" typeface="等线 Light"/></a:majorFont>
  <a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface="Arial"/>
    <a:font script="Hans" typeface="等线"/></a:minorFont>
</a:fontScheme></a:themeElements></a:theme>"""

DOCUMENT = f"""<w:document {W}><w:body>
  <w:p><w:pPr><w:pStyle w:val="Sub"/></w:pPr><w:r><w:t>标题</w:t></w:r></w:p>
  <w:p><w:r><w:rPr><w:rStyle w:val="Red"/><w:sz w:val="28"/></w:rPr><w:t>正文</w:t>
    <w:tab/><w:t>续</w:t></w:r></w:p>
  <w:p><w:pPr><w:pStyle w:val="Themed"/></w:pPr><w:r><w:t>主题</w:t></w:r></w:p>
  <w:p><w:r><w:t>第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>
    <w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>
    <w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页</w:t></w:r></w:p>
  <w:sectPr><w:footerReference w:type="default" r:id="rId9"/>
    <w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:bottom="1984" w:left="1588"
    w:right="1474"/><w:titlePg/></w:sectPr>
</w:body></w:document>"""

FOOTER = f"<w:ftr {W}><w:p><w:r><w:t>— 1 —</w:t></w:r></w:p></w:ftr>"

RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _rels(*rels: tuple[str, str, str]) -> str:
    items = "".join(f'<Relationship Id="{i}" Type="{RT}/{t}" Target="{g}"/>' for i, t, g in rels)
    return f'<Relationships xmlns="{PKG_REL_NS}">{items}</Relationships>'


def make_docx(
    main: str = "word/document.xml", override: dict[str, str | None] | None = None
) -> bytes:
    """A small docx; ``override`` replaces (or with None drops) members by name."""
    folder, _, name = main.rpartition("/")
    members: dict[str, str | None] = {
        "[Content_Types].xml": (
            f'<Types xmlns="{CT_NS}"><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{main}" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": _rels(("rId1", "officeDocument", main)),
        main: DOCUMENT,
        f"{folder}/_rels/{name}.rels": _rels(
            ("rId2", "styles", "styles.xml"),
            ("rId3", "theme", "theme/theme1.xml"),
            ("rId9", "footer", "footer1.xml"),
            ("rId4", "hyperlink", "https://example.org"),
        ).replace(
            'Target="https://example.org"', 'Target="https://example.org" TargetMode="External"'
        ),
        f"{folder}/styles.xml": STYLES,
        f"{folder}/theme/theme1.xml": THEME,
        f"{folder}/footer1.xml": FOOTER,
    }
    members.update(override or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, text in members.items():
            if text is not None:
                z.writestr(n, text)
    return buf.getvalue()


def _paragraphs(pkg: Package) -> list[ET.Element]:
    root = pkg.xml(pkg.main_part)
    assert root is not None
    return list(root.iter(w("p")))


# --------------------------------------------------------------------------- package


def test_package_parts_relationships_and_content_types(tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    path.write_bytes(make_docx())
    pkg = Package.open(path)
    assert pkg.name == str(path) and pkg.main_part == "word/document.xml"
    assert "word/styles.xml" in pkg and pkg.get("word/nothing.xml") is None
    rels = pkg.rels(pkg.main_part)
    assert rels.source == "word/document.xml" and len(rels) == 4
    assert rels.first_part("theme") == "word/theme/theme1.xml"
    link = rels.get("rId4")
    assert link is not None and link.external and link.target_part is None
    assert [r.kind for r in pkg.rels("")] == ["officeDocument"]
    assert pkg.related(pkg.main_part, "styles") == "word/styles.xml"
    assert pkg.related(pkg.main_part, "settings") is None
    types = pkg.content_types
    assert (types.of("word/document.xml") or "").endswith("document.main+xml")
    assert types.of("word/styles.xml") == "application/xml"
    assert types.of("word/media/x.png") is None


def test_main_part_is_found_through_relationships() -> None:
    pkg = Package(make_docx(main="doc/main.xml"))
    assert pkg.main_part == "doc/main.xml"
    assert pkg.related(pkg.main_part, "styles") == "doc/styles.xml"
    reader = PropertyReader.from_package(pkg)
    assert reader.styles.default_para == "Normal"


def test_relationships_and_content_types_round_trip() -> None:
    rels = Relationships.parse(
        _rels(("rId1", "styles", "styles.xml")).encode(), "word/document.xml"
    )
    rid = rels.add(f"{RT}/image", "media/image1.png")
    assert rid == "rId2" and rels.next_id() == "rId3"
    rels.add(f"{RT}/hyperlink", "https://example.org/?a=1&b=2", "rIdX", external=True)
    again = Relationships.parse(rels.to_xml(), "word/document.xml")
    assert [(r.id, r.kind, r.target, r.external) for r in again] == [
        ("rId1", "styles", "styles.xml", False),
        ("rId2", "image", "media/image1.png", False),
        ("rIdX", "hyperlink", "https://example.org/?a=1&b=2", True),
    ]
    image = again.get("rId2")
    assert image is not None and image.target_part == "word/media/image1.png"
    types = ContentTypes({"xml": "application/xml"}, {"/word/document.xml": "main"})
    types.add_default("PNG", "image/png")
    types.add_default("xml", "ignored")
    back = ContentTypes.parse(types.to_xml())
    assert back.defaults == {"xml": "application/xml", "png": "image/png"}
    assert back.of("word/media/a.png") == "image/png" and back.of("/word/document.xml") == "main"
    assert rels_part_name("word/document.xml") == "word/_rels/document.xml.rels"
    assert rels_part_name("") == "_rels/.rels"


def test_not_a_zip() -> None:
    with pytest.raises(DocxPackageError, match="不是 zip 压缩包"):
        Package(b"%PDF-1.7 not a zip")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocxPackageError, match=r"无法读取 .*nope\.docx"):
        Package.open(tmp_path / "nope.docx")


def test_missing_document_part() -> None:
    with pytest.raises(DocxPackageError, match=r"缺少主文档部件 word/document\.xml"):
        _ = Package(make_docx(override={"word/document.xml": None})).main_part
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(DocxPackageError, match="缺少主文档部件"):
        _ = Package(buf.getvalue()).main_part
    with pytest.raises(DocxPackageError, match=r"缺少部件 word/x\.xml"):
        Package(make_docx()).read("word/x.xml")


def test_bad_xml_part() -> None:
    pkg = Package(make_docx(override={"word/styles.xml": "<w:styles"}))
    with pytest.raises(DocxPackageError, match=r"部件 word/styles\.xml 不是有效的 XML"):
        pkg.xml("word/styles.xml")
    with pytest.raises(DocxPackageError, match="不是有效的 XML"):
        Package(make_docx(override={"_rels/.rels": "<Relationships"})).rels("")


# --------------------------------------------------------------------------- properties


def test_doc_defaults_and_default_paragraph_style() -> None:
    pkg = Package(make_docx(override={"word/styles.xml": STYLES.replace('w:default="1" ', "")}))
    reader = PropertyReader.from_package(pkg)
    assert reader.styles.default_para is None
    props = reader.style_run_props(None)
    assert props.size == 21
    assert props.fonts["eastAsia"].name == "宋体"
    assert props.fonts["eastAsia"].origin == "styles.xml docDefaults"
    body = reader.para_props(_paragraphs(pkg)[1])
    assert body.style_id is None and body.line == 240 and body.line_rule == "auto"
    assert body.align is None


def test_style_inheritance() -> None:
    pkg = Package(make_docx())
    reader = PropertyReader.from_package(pkg)
    title, body, _, _ = _paragraphs(pkg)
    assert [s for s, _ in reader.styles.chain("Sub")] == ["Normal", "Title", "Sub"]
    assert [s for s, _ in reader.styles.chain("Loop")] == ["Loop"]  # cycles are cut
    pp = reader.para_props(title)
    assert pp.style_id == "Sub" and pp.centred
    # w:ind from Title replaces Normal's first-line group as a whole
    assert pp.first_line == 0 and pp.first_line_chars is None
    assert pp.line == 240  # from docDefaults
    run = reader.run_props(own_runs(title)[0], pp.style_id, "paragraph[1].run[1]")
    assert run.size == 44 and run.bold and run.east_asia == "方正小标宋简体"
    assert run.fonts["ascii"].name == "Times New Roman"  # slots inherit one by one
    assert run.fonts["eastAsia"].origin == "styles.xml style[Title]"
    # the default paragraph style, a character style and direct formatting, in that order
    bp = reader.para_props(body)
    assert bp.style_id == "Normal" and bp.align == "both" and bp.first_line_chars == 200
    r = reader.run_props(own_runs(body)[0], bp.style_id, "paragraph[2].run[1]")
    assert (r.size, r.color, r.bold, r.east_asia) == (28, "FF0000", False, "仿宋_GB2312")
    assert run_text(own_runs(body)[0]) == "正文\t续"
    root = pkg.xml(pkg.main_part)
    assert root is not None
    assert reader.styles.used([root]) == {"Normal", "Title", "Sub", "Red", "Themed"}


def test_theme_fonts() -> None:
    pkg = Package(make_docx())
    reader = PropertyReader.from_package(pkg)
    assert reader.theme_font("minorEastAsia") == "等线"  # the Hans script font when ea is empty
    assert reader.theme_font("majorHAnsi") == "Calibri Light"
    assert reader.theme_font("minorBidi") == "Arial"
    assert reader.theme_font("nothing") == ""
    themed = _paragraphs(pkg)[2]
    pp = reader.para_props(themed)
    r = reader.run_props(own_runs(themed)[0], pp.style_id, "x")
    slot = r.fonts["eastAsia"]
    assert (slot.name, slot.theme) == ("黑体", "minorEastAsia")
    assert r.east_asia is None  # the theme attribute wins over the name
    no_theme = PropertyReader.from_package(
        Package(make_docx(override={"word/theme/theme1.xml": None}))
    )
    assert no_theme.theme_fonts == {}
    assert Styles(None).chain("Normal") == []


def test_sections_and_footers() -> None:
    pkg = Package(make_docx())
    root = pkg.xml(pkg.main_part)
    assert root is not None
    sections = read_sections(root, pkg.rels(pkg.main_part))
    (s,) = sections
    assert (s.page_w, s.page_h, s.title_pg) == (11906, 16838, True)
    assert s.margins["top"] == 2098 and s.footers == {"default": "footer1.xml"}
    parts = read_header_footer_parts(pkg, sections)
    assert list(parts) == ["footer1.xml"]
    assert parts["footer1.xml"].part == "word/footer1.xml"
    assert parts["footer1.xml"].uses == [(1, "default")]
    gone = Package(make_docx(override={"word/footer1.xml": None}))
    assert read_header_footer_parts(gone, sections) == {}


def test_text_helpers() -> None:
    pkg = Package(make_docx())
    text, found, runs = field_text(_paragraphs(pkg)[3])
    assert (text, found, len(runs)) == ("第n页", True, 1)
    assert round(mm(twips(37)), 1) == 37.0 and emu(150) == 5_400_000
    assert qn("w:p") == w("p") == qn("p")


def test_markup_helpers() -> None:
    start = root_start_tag(f"<?xml version='1.0'?>\n<!-- c --><w:document {W}><w:body/>")
    assert start == f"<w:document {W}>"
    assert body_tags(start) == (b"<w:body>", b"</w:body></w:document>")
    run = inline_picture_run("rId7", 5_400_000, 2_000_000, 1001)
    assert run.startswith("</w:t></w:r><w:r><w:drawing>") and run.endswith(
        '<w:t xml:space="preserve">'
    )
    inner = inline_picture_run("rId7", 5_400_000, 2_000_000, 1001, in_text=False)
    xml = f"<w:p {W}>{inner}</w:p>"
    el = ET.fromstring(xml)  # well-formed on its own: namespaces are declared on wp:inline
    blip = el.find(f".//{{{A}}}blip")
    assert blip is not None and blip.get(f"{{{R_NS}}}embed") == "rId7"
    assert max_drawing_id(xml) == 1001 and max_drawing_id("<w:p/>") == 0
