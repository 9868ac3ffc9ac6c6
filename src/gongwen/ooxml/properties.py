"""Effective run and paragraph properties of a WordprocessingML document; its sections.

Effective properties follow Word's order: direct run ``rPr`` → character style chain →
paragraph style chain (``w:basedOn``) → ``docDefaults``; a paragraph without ``w:pStyle`` uses
the default paragraph style. Each ``w:rFonts`` slot (ascii, hAnsi, eastAsia, cs) is inherited on
its own; a theme attribute (``w:eastAsiaTheme`` …) beats the explicit name on the same element
and is resolved through the theme part's major/minor fonts. Numbering-level properties and table
styles are not applied.

>>> pkg = Package.open("答复函.docx")                       # doctest: +SKIP
>>> reader = PropertyReader.from_package(pkg)               # doctest: +SKIP
>>> reader.style_run_props("Normal").east_asia              # doctest: +SKIP
'仿宋_GB2312'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from gongwen.ooxml import A_NS, R_NS
from gongwen.ooxml.package import Package, Relationships
from gongwen.ooxml.text import block_children, on, to_int, w, wattr

__all__ = [
    "FONT_SLOTS",
    "THEME_ATTRS",
    "FontSlot",
    "HeaderFooterPart",
    "ParaProps",
    "PropertyReader",
    "RunProps",
    "Section",
    "Styles",
    "read_header_footer_parts",
    "read_sections",
    "theme_fonts",
]

FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
THEME_ATTRS = {
    "ascii": "asciiTheme",
    "hAnsi": "hAnsiTheme",
    "eastAsia": "eastAsiaTheme",
    "cs": "cstheme",
}
DOC_DEFAULTS = "styles.xml docDefaults"


@dataclass(frozen=True)
class FontSlot:
    """One ``w:rFonts`` slot as resolved: explicit name and/or theme font, and where it was set."""

    name: str | None
    theme: str | None
    origin: str


@dataclass(frozen=True)
class RunProps:
    """Effective run properties."""

    size: int | None  # half-points
    fonts: dict[str, FontSlot]
    color: str | None  # upper-case RRGGBB or "AUTO"
    bold: bool
    vert_align: str | None

    @property
    def east_asia(self) -> str | None:
        """The explicit east-Asian font name in force (None when unset or overridden by a theme)."""
        slot = self.fonts.get("eastAsia")
        return slot.name if slot is not None and slot.theme is None else None


@dataclass(frozen=True)
class ParaProps:
    """Effective paragraph properties (twips unless named ``*_chars``, hundredths of a char)."""

    style_id: str | None
    align: str | None
    first_line: int | None
    first_line_chars: int | None
    hanging: int | None
    hanging_chars: int | None
    left: int | None
    left_chars: int | None
    right: int | None
    right_chars: int | None
    line: int | None
    line_rule: str | None
    frame_x_align: str | None
    borders: dict[str, str | None]  # side → colour of paragraph borders

    @property
    def centred(self) -> bool:
        """True for ``w:jc="center"``."""
        return self.align == "center"

    @property
    def right_aligned(self) -> bool:
        """True for ``w:jc="right"``/``"end"``."""
        return self.align in ("right", "end")


class Styles:
    """``styles.xml``: docDefaults, styles by id, the default paragraph style, basedOn chains."""

    def __init__(self, root: ET.Element | None) -> None:
        self.root = root
        self.by_id: dict[str, ET.Element] = {}
        self.default_para: str | None = None
        self.default_rpr: ET.Element | None = None
        self.default_ppr: ET.Element | None = None
        if root is None:
            return
        for s in root.iter(w("style")):
            sid = wattr(s, "styleId")
            if sid is None:
                continue
            self.by_id[sid] = s
            if wattr(s, "type") == "paragraph" and wattr(s, "default") in ("1", "true", "on"):
                self.default_para = sid
        self.default_rpr = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
        self.default_ppr = root.find(f"{w('docDefaults')}/{w('pPrDefault')}/{w('pPr')}")

    def chain(self, style_id: str | None) -> list[tuple[str, ET.Element]]:
        """The style and its ``w:basedOn`` ancestors, base-most first (cycles cut)."""
        out: list[tuple[str, ET.Element]] = []
        seen: set[str] = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            s = self.by_id[style_id]
            out.append((style_id, s))
            style_id = wattr(s.find(w("basedOn")), "val")
        return out[::-1]

    def used(self, roots: Iterable[ET.Element]) -> set[str]:
        """Style ids applied in ``roots`` (with their basedOn ancestors and the default style)."""
        direct: set[str] = set()
        if self.default_para:
            direct.add(self.default_para)
        for root in roots:
            for tag in ("pStyle", "rStyle", "tblStyle"):
                for el in root.iter(w(tag)):
                    val = wattr(el, "val")
                    if val:
                        direct.add(val)
        out: set[str] = set()
        for sid in direct:
            out.update(s for s, _ in self.chain(sid))
        return out


def theme_fonts(root: ET.Element | None) -> dict[str, str]:
    """The theme's fonts by the names ``w:rFonts`` theme attributes use (``minorEastAsia`` …)."""
    out: dict[str, str] = {}
    if root is None:
        return out
    for kind in ("major", "minor"):
        font = root.find(f".//{{{A_NS}}}{kind}Font")
        if font is None:
            continue
        latin = font.find(f"{{{A_NS}}}latin")
        ea = font.find(f"{{{A_NS}}}ea")
        cs = font.find(f"{{{A_NS}}}cs")
        hans = next(
            (
                f.get("typeface", "")
                for f in font.findall(f"{{{A_NS}}}font")
                if f.get("script") == "Hans"
            ),
            "",
        )
        latin_face = latin.get("typeface", "") if latin is not None else ""
        out[f"{kind}HAnsi"] = out[f"{kind}Ascii"] = latin_face
        out[f"{kind}EastAsia"] = (ea.get("typeface", "") if ea is not None else "") or hans
        out[f"{kind}Bidi"] = cs.get("typeface", "") if cs is not None else ""
    return out


class PropertyReader:
    """Resolves effective properties against a document's styles and theme."""

    def __init__(self, styles: Styles, fonts: dict[str, str] | None = None) -> None:
        self.styles = styles
        self.theme_fonts: dict[str, str] = dict(fonts or {})

    @classmethod
    def from_package(cls, pkg: Package, main: str | None = None) -> PropertyReader:
        """Styles and theme of the main document part (found through its relationships)."""
        main = main or pkg.main_part
        styles = Styles(pkg.xml(pkg.related(main, "styles")))
        return cls(styles, theme_fonts(pkg.xml(pkg.related(main, "theme"))))

    def theme_font(self, theme: str) -> str:
        """The typeface a theme font reference stands for ("" when unknown)."""
        return self.theme_fonts.get(theme, "")

    def run_props(self, run: ET.Element, para_style: str | None, origin: str) -> RunProps:
        """Effective properties of a run in a paragraph of style ``para_style``."""
        rpr = run.find(w("rPr"))
        levels = self._style_levels(para_style)
        rstyle = wattr(rpr.find(w("rStyle")) if rpr is not None else None, "val")
        levels += [
            (f"styles.xml style[{sid}]", s.find(w("rPr"))) for sid, s in self.styles.chain(rstyle)
        ]
        levels.append((origin, rpr))
        return merge_rpr(levels)

    def style_run_props(self, para_style: str | None) -> RunProps:
        """Effective run properties that a paragraph style gives its text."""
        return merge_rpr(self._style_levels(para_style))

    def _style_levels(self, para_style: str | None) -> list[tuple[str, ET.Element | None]]:
        levels: list[tuple[str, ET.Element | None]] = [(DOC_DEFAULTS, self.styles.default_rpr)]
        levels += [
            (f"styles.xml style[{sid}]", s.find(w("rPr")))
            for sid, s in self.styles.chain(para_style)
        ]
        return levels

    def para_props(self, p: ET.Element) -> ParaProps:
        """Effective paragraph properties (direct → style chain → docDefaults)."""
        ppr = p.find(w("pPr"))
        style_id = wattr(ppr.find(w("pStyle")) if ppr is not None else None, "val")
        style_id = style_id or self.styles.default_para
        levels = (
            [self.styles.default_ppr]
            + [s.find(w("pPr")) for _, s in self.styles.chain(style_id)]
            + [ppr]
        )
        vals: dict[str, str | None] = {}
        borders: dict[str, str | None] = {}
        groups = (
            ("firstLine", "firstLineChars", "hanging", "hangingChars"),
            ("left", "leftChars", "start", "startChars"),
            ("right", "rightChars", "end", "endChars"),
        )
        for lv in levels:
            if lv is None:
                continue
            jc = wattr(lv.find(w("jc")), "val")
            if jc is not None:
                vals["jc"] = jc
            ind = lv.find(w("ind"))
            if ind is not None:
                for names in groups:
                    if any(wattr(ind, n) is not None for n in names):
                        for n in names:
                            vals[n] = wattr(ind, n)
            sp = lv.find(w("spacing"))
            if sp is not None and wattr(sp, "line") is not None:
                vals["line"] = wattr(sp, "line")
                vals["lineRule"] = wattr(sp, "lineRule") or "auto"
            fr = lv.find(w("framePr"))
            if fr is not None:
                vals["xAlign"] = wattr(fr, "xAlign")
            bdr = lv.find(w("pBdr"))
            if bdr is not None:
                for side in bdr:
                    if wattr(side, "val") not in (None, "nil", "none"):
                        borders[side.tag.split("}")[-1]] = wattr(side, "color")
        align = vals.get("jc")
        align = {"start": "left", "end": "right"}.get(align or "", align)

        def num(a: str, b: str) -> int | None:
            return to_int(vals.get(a)) if vals.get(a) is not None else to_int(vals.get(b))

        return ParaProps(
            style_id=style_id,
            align=align,
            first_line=to_int(vals.get("firstLine")),
            first_line_chars=to_int(vals.get("firstLineChars")),
            hanging=to_int(vals.get("hanging")),
            hanging_chars=to_int(vals.get("hangingChars")),
            left=num("left", "start"),
            left_chars=num("leftChars", "startChars"),
            right=num("right", "end"),
            right_chars=num("rightChars", "endChars"),
            line=to_int(vals.get("line")),
            line_rule=vals.get("lineRule"),
            frame_x_align=vals.get("xAlign"),
            borders=borders,
        )


def merge_rpr(levels: list[tuple[str, ET.Element | None]]) -> RunProps:
    """Run properties of ``(origin, rPr)`` levels, base-most first; later levels win."""
    size: int | None = None
    color: str | None = None
    bold = False
    vert: str | None = None
    fonts: dict[str, FontSlot] = {}
    for origin, rpr in levels:
        if rpr is None:
            continue
        sz = to_int(wattr(rpr.find(w("sz")), "val"))
        size = sz if sz is not None else size
        c = wattr(rpr.find(w("color")), "val")
        color = c.upper() if c is not None else color
        b = on(rpr.find(w("b")))
        bold = b if b is not None else bold
        va = wattr(rpr.find(w("vertAlign")), "val")
        vert = va if va is not None else vert
        rf = rpr.find(w("rFonts"))
        if rf is not None:
            for slot in FONT_SLOTS:
                name, theme = wattr(rf, slot), wattr(rf, THEME_ATTRS[slot])
                if name is not None or theme is not None:
                    fonts[slot] = FontSlot(name, theme, origin)
    return RunProps(size, fonts, color, bold, vert)


# --------------------------------------------------------------------------- sections


@dataclass
class Section:
    """One ``w:sectPr`` with its page settings and (inherited) header/footer part names.

    ``headers``/``footers`` map a reference type (``default``, ``first``, ``even``) to the file
    name of the part (``footer1.xml``), as finding paths show it.
    """

    index: int
    element: ET.Element
    page_w: int | None
    page_h: int | None
    margins: dict[str, int | None]
    title_pg: bool
    grid_type: str | None
    line_pitch: int | None
    headers: dict[str, str] = field(default_factory=dict)
    footers: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """Finding path of the section."""
        return f"document.sectPr[{self.index}]"


@dataclass
class HeaderFooterPart:
    """A header or footer part and the (section, type) pairs that use it.

    ``name`` is the part's file name (``footer1.xml``), ``part`` its full part name.
    """

    name: str
    kind: str  # "header" | "footer"
    root: ET.Element
    uses: list[tuple[int, str]]
    part: str = ""


def read_sections(document: ET.Element, rels: Relationships) -> list[Section]:
    """The sections of a document part in order (paragraph ``sectPr`` first, the body's last).

    Header/footer references a section does not repeat are inherited from the previous one.
    """
    body = document.find(w("body"))
    if body is None:
        return []
    elements = [
        p.find(f"{w('pPr')}/{w('sectPr')}") for p in block_children(body) if p.tag == w("p")
    ]
    found = [e for e in elements if e is not None]
    last = body.find(w("sectPr"))
    if last is not None:
        found.append(last)
    sections: list[Section] = []
    headers: dict[str, str] = {}
    footers: dict[str, str] = {}
    for i, s in enumerate(found, start=1):
        pg = s.find(w("pgSz"))
        mar = s.find(w("pgMar"))
        grid = s.find(w("docGrid"))
        for kind, store in (("header", headers), ("footer", footers)):
            for ref in s.findall(w(f"{kind}Reference")):
                typ = wattr(ref, "type") or "default"
                rel = rels.get(ref.get(f"{{{R_NS}}}id", ""))
                if rel is not None:
                    store[typ] = rel.target.split("/")[-1]
        margins = {
            k: to_int(wattr(mar, k))
            for k in ("top", "bottom", "left", "right", "gutter", "header", "footer")
        }
        sections.append(
            Section(
                index=i,
                element=s,
                page_w=to_int(wattr(pg, "w")),
                page_h=to_int(wattr(pg, "h")),
                margins=margins,
                title_pg=on(s.find(w("titlePg"))) or False,
                grid_type=wattr(grid, "type"),
                line_pitch=to_int(wattr(grid, "linePitch")),
                headers=dict(headers),
                footers=dict(footers),
            )
        )
    return sections


def read_header_footer_parts(
    pkg: Package, sections: list[Section], main: str | None = None
) -> dict[str, HeaderFooterPart]:
    """The header/footer parts the sections use, by file name (missing parts left out)."""
    main = main or pkg.main_part
    by_name = {
        (r.target_part or "").rsplit("/", 1)[-1]: r.target_part
        for kind in ("header", "footer")
        for r in pkg.rels(main).of_type(kind)
        if r.target_part
    }
    parts: dict[str, HeaderFooterPart] = {}
    for sec in sections:
        for kind, refs in (("header", sec.headers), ("footer", sec.footers)):
            for typ, name in refs.items():
                if name not in parts:
                    part = by_name.get(name)
                    root = pkg.xml(part) if part else None
                    if root is None:
                        continue
                    parts[name] = HeaderFooterPart(name, kind, root, [], part or "")
                parts[name].uses.append((sec.index, typ))
    return parts
