"""Walking WordprocessingML elements (``xml.etree``): blocks, runs, visible text, fields; units.

:func:`w`/:func:`wattr` name ``w:`` elements and attributes; :func:`on` reads a toggle (``w:b``);
:func:`mm` and :func:`twips` convert lengths. The walkers look through content controls
(``w:sdt``) and skip ``mc:Fallback`` copies, so text in a text box is seen once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree import ElementTree as ET

from gongwen.ooxml import MC_NS, W_NS

__all__ = [
    "EMU_PER_MM",
    "TWIPS_PER_MM",
    "block_children",
    "emu",
    "field_text",
    "has_line_shape",
    "mm",
    "on",
    "own_runs",
    "run_text",
    "table_paragraphs",
    "textbox_paragraphs",
    "to_int",
    "twips",
    "w",
    "wattr",
]

TWIPS_PER_MM = 1440 / 25.4
EMU_PER_MM = 36000
_FALSE = {"0", "false", "off"}


def w(tag: str) -> str:
    """Qualified WordprocessingML name: ``w("p")`` → ``{…/main}p``."""
    return f"{{{W_NS}}}{tag}"


def wattr(el: ET.Element | None, name: str) -> str | None:
    """A ``w:`` attribute of ``el`` (None when ``el`` or the attribute is missing)."""
    return None if el is None else el.get(w(name))


def to_int(value: str | None) -> int | None:
    """An integer attribute value (``"240"``, ``"12.0"``); None when missing or not a number."""
    if value is None:
        return None
    try:
        return round(float(value))
    except ValueError:
        return None


def on(el: ET.Element | None) -> bool | None:
    """A toggle element (``w:b``): None when absent, else its value."""
    if el is None:
        return None
    return (wattr(el, "val") or "true").lower() not in _FALSE


def mm(value: int) -> float:
    """Twips to millimetres."""
    return value / TWIPS_PER_MM


def twips(millimetres: float) -> int:
    """Millimetres to twips (rounded)."""
    return round(millimetres * TWIPS_PER_MM)


def emu(millimetres: float) -> int:
    """Millimetres to EMU (DrawingML lengths: 36 000 per mm)."""
    return round(millimetres * EMU_PER_MM)


def block_children(container: ET.Element) -> Iterator[ET.Element]:
    """Block-level ``w:p``/``w:tbl`` children, looking through content controls."""
    for el in container:
        if el.tag in (w("p"), w("tbl")):
            yield el
        elif el.tag in (w("sdt"), w("sdtContent"), w("customXml")):
            yield from block_children(el)


def table_paragraphs(tbl: ET.Element) -> list[ET.Element]:
    """Paragraphs inside a table's cells (nested tables included), in order."""
    out: list[ET.Element] = []
    for tr in tbl.iter(w("tc")):
        for el in block_children(tr):
            if el.tag == w("p"):
                out.append(el)
    return out


def own_runs(p: ET.Element) -> list[ET.Element]:
    """The paragraph's runs, not those of text boxes anchored in it (nor mc:Fallback copies)."""
    out: list[ET.Element] = []

    def walk(el: ET.Element) -> None:
        for child in el:
            if child.tag == w("r"):
                out.append(child)
            elif child.tag in (
                w("p"),
                w("txbxContent"),
                f"{{{MC_NS}}}Fallback",
                w("pPr"),
                w("rPr"),
            ):
                continue
            else:
                walk(child)

    walk(p)
    return out


def textbox_paragraphs(p: ET.Element) -> list[ET.Element]:
    """Paragraphs inside text boxes anchored in ``p`` (skipping mc:Fallback duplicates)."""
    out: list[ET.Element] = []

    def walk(el: ET.Element, inside: bool) -> None:
        for child in el:
            if child.tag == f"{{{MC_NS}}}Fallback":
                continue
            if child.tag == w("txbxContent"):
                walk(child, True)
            elif inside and child.tag == w("p"):
                out.append(child)
                walk(child, False)
            elif inside and child.tag == w("tbl"):
                out.extend(table_paragraphs(child))
            else:
                walk(child, inside)

    for child in p:
        if child.tag != w("pPr"):
            walk(child, False)
    return out


def has_line_shape(p: ET.Element) -> bool:
    """True when a drawn line (DrawingML connector/line or VML line) is anchored in ``p``."""
    for el in p.iter():
        tag = el.tag.split("}")[-1]
        if (
            tag == "cNvCnPr"
            or (tag == "prstGeom" and el.get("prst") in ("line", "straightConnector1"))
            or tag == "line"
        ):
            return True
    return False


def run_text(r: ET.Element) -> str:
    """Visible text of a run (tabs as ``\\t``, breaks as ``\\n``; field codes excluded)."""
    out: list[str] = []
    for el in r:
        if el.tag == w("t"):
            out.append(el.text or "")
        elif el.tag == w("tab"):
            out.append("\t")
        elif el.tag in (w("br"), w("cr")):
            out.append("\n")
        elif el.tag == w("noBreakHyphen"):
            out.append("-")
    return "".join(out)


_PAGE_FIELD = re.compile(r"^\s*PAGE\b", re.IGNORECASE)


def field_text(p: ET.Element) -> tuple[str, bool, list[ET.Element]]:
    """Paragraph text with each PAGE field's result replaced by ``n``.

    Returns the text, whether a PAGE field is present, and the runs that carry the page number
    (its result runs, or the field's first run when it has no cached result).
    """
    out: list[str] = []
    page_runs: list[ET.Element] = []
    stack: list[dict[str, object]] = []  # complex fields: instr, mode, emitted
    found = False

    def in_instr() -> bool:
        return any(f["mode"] == "instr" for f in stack)

    def in_page_result() -> bool:
        return any(f["mode"] == "result" and _PAGE_FIELD.match(str(f["instr"])) for f in stack)

    def walk(el: ET.Element) -> None:
        nonlocal found
        for child in el:
            tag = child.tag
            if tag in (w("txbxContent"), f"{{{MC_NS}}}Fallback", w("pPr"), w("rPr")):
                continue
            if tag == w("fldSimple"):
                if _PAGE_FIELD.match(wattr(child, "instr") or ""):
                    found = True
                    out.append("n")
                    page_runs.extend(child.iter(w("r")))
                else:
                    walk(child)
            elif tag == w("r"):
                for rc in child:
                    if rc.tag == w("fldChar"):
                        kind = wattr(rc, "fldCharType")
                        if kind == "begin":
                            stack.append({"instr": "", "mode": "instr", "first": child})
                        elif kind == "separate" and stack:
                            stack[-1]["mode"] = "result"
                            if _PAGE_FIELD.match(str(stack[-1]["instr"])):
                                found = True
                                out.append("n")
                                stack[-1]["emitted"] = True
                        elif kind == "end" and stack:
                            f = stack.pop()
                            if _PAGE_FIELD.match(str(f["instr"])) and not f.get("emitted"):
                                found = True
                                out.append("n")
                                first = f["first"]
                                if isinstance(first, ET.Element):
                                    page_runs.append(first)
                    elif rc.tag == w("instrText") and stack and stack[-1]["mode"] == "instr":
                        stack[-1]["instr"] = str(stack[-1]["instr"]) + (rc.text or "")
                    elif rc.tag == w("t"):
                        if in_instr():
                            continue
                        if in_page_result():
                            page_runs.append(child)
                            continue
                        out.append(rc.text or "")
                    elif rc.tag == w("tab") and not in_instr() and not in_page_result():
                        out.append("\t")
            elif tag != w("p"):
                walk(child)

    walk(p)
    return "".join(out), found, page_runs
