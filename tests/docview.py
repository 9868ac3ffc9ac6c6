"""A normalised, reviewable view of a .docx for snapshot tests (never raw zip bytes).

Per paragraph: where it is (body/header/footer/table), style, alignment, indents, spacing; per run:
text, east-Asian font, size, colour, bold. Plus section settings. Effective values are resolved
through the style chain and docDefaults, so a change in the template's styles shows up too.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


class _Styles:
    def __init__(self, xml: bytes) -> None:
        root = etree.fromstring(xml)
        self.by_id = {s.get(_w("styleId")): s for s in root.iter(_w("style"))}
        dd = root.find("w:docDefaults", NS)
        self.default_rpr = dd.find("w:rPrDefault/w:rPr", NS) if dd is not None else None
        self.default_ppr = dd.find("w:pPrDefault/w:pPr", NS) if dd is not None else None
        self.default_para = next(
            (
                s.get(_w("styleId"))
                for s in root.iter(_w("style"))
                if s.get(_w("type")) == "paragraph" and s.get(_w("default")) == "1"
            ),
            None,
        )

    def chain(self, style_id: str | None) -> list[Any]:
        out = []
        seen = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            s = self.by_id[style_id]
            out.append(s)
            based = s.find("w:basedOn", NS)
            style_id = based.get(_w("val")) if based is not None else None
        return out


def _attr(el: Any, path: str, attr: str) -> str | None:
    if el is None:
        return None
    found = el.find(path, NS)
    return found.get(_w(attr)) if found is not None else None


def _first(*values: str | None) -> str | None:
    for v in values:
        if v is not None:
            return v
    return None


def _run_prop(styles: _Styles, run: Any, pstyle: str | None, path: str, attr: str) -> str | None:
    vals = [_attr(run.find("w:rPr", NS), path, attr)]
    rstyle = _attr(run.find("w:rPr", NS), "w:rStyle", "val")
    vals += [_attr(s.find("w:rPr", NS), path, attr) for s in styles.chain(rstyle)]
    vals += [_attr(s.find("w:rPr", NS), path, attr) for s in styles.chain(pstyle)]
    vals.append(_attr(styles.default_rpr, path, attr))
    return _first(*vals)


def _para_prop(styles: _Styles, p: Any, pstyle: str | None, path: str, attr: str) -> str | None:
    vals = [_attr(p.find("w:pPr", NS), path, attr)]
    vals += [_attr(s.find("w:pPr", NS), path, attr) for s in styles.chain(pstyle)]
    vals.append(_attr(styles.default_ppr, path, attr))
    return _first(*vals)


def _bold(styles: _Styles, run: Any, pstyle: str | None) -> bool:
    for rpr in [run.find("w:rPr", NS)] + [s.find("w:rPr", NS) for s in styles.chain(pstyle)]:
        if rpr is not None and rpr.find("w:b", NS) is not None:
            return rpr.find("w:b", NS).get(_w("val"), "true") not in ("0", "false")
    return False


def _run_text(run: Any) -> str:
    out = []
    for el in run:
        tag = etree.QName(el).localname
        if tag == "t":
            out.append(el.text or "")
        elif tag == "tab":
            out.append("\t")
        elif tag == "br":
            out.append("\n" if el.get(_w("type")) != "page" else "\f")
        elif tag == "instrText":
            out.append("{" + (el.text or "").strip() + "}")
    return "".join(out)


def _paragraphs(styles: _Styles, root: Any, where: str) -> list[dict[str, Any]]:
    out = []
    for p in root.iter(_w("p")):
        in_table = any(etree.QName(a).localname == "tbl" for a in p.iterancestors())
        pstyle = _attr(p.find("w:pPr", NS), "w:pStyle", "val") or styles.default_para
        runs = []
        for r in p.iter(_w("r")):
            text = _run_text(r)
            if not text:
                continue
            runs.append(
                {
                    "text": text,
                    "font": _run_prop(styles, r, pstyle, "w:rFonts", "eastAsia"),
                    "size": _run_prop(styles, r, pstyle, "w:sz", "val"),
                    "color": _run_prop(styles, r, pstyle, "w:color", "val"),
                    "bold": _bold(styles, r, pstyle),
                }
            )
        # merge adjacent runs with identical formatting to keep snapshots stable
        merged: list[dict[str, Any]] = []
        for run in runs:
            if merged and all(merged[-1][k] == run[k] for k in ("font", "size", "color", "bold")):
                merged[-1]["text"] += run["text"]
            else:
                merged.append(run)
        sect = p.find("w:pPr/w:sectPr", NS)
        out.append(
            {
                "where": where + ("/table" if in_table else ""),
                "style": pstyle,
                "align": _para_prop(styles, p, pstyle, "w:jc", "val"),
                "indent_first": _first(
                    _para_prop(styles, p, pstyle, "w:ind", "firstLineChars"),
                    _para_prop(styles, p, pstyle, "w:ind", "firstLine"),
                ),
                "indent_left": _para_prop(styles, p, pstyle, "w:ind", "left"),
                "line": _para_prop(styles, p, pstyle, "w:spacing", "line"),
                "runs": merged,
                **({"section_break": True} if sect is not None else {}),
            }
        )
    return out


def _section(sect: Any) -> dict[str, Any]:
    def a(path: str, attr: str) -> str | None:
        return _attr(sect, path, attr)

    return {
        "page": [a("w:pgSz", "w"), a("w:pgSz", "h"), a("w:pgSz", "orient")],
        "margins": {k: a("w:pgMar", k) for k in ("top", "bottom", "left", "right", "footer")},
        "grid": [a("w:docGrid", "type"), a("w:docGrid", "linePitch"), a("w:docGrid", "charSpace")],
        "title_page": sect.find("w:titlePg", NS) is not None,
        "page_start": a("w:pgNumType", "start"),
        "headers": sorted(h.get(_w("type")) for h in sect.findall("w:headerReference", NS)),
        "footers": sorted(f.get(_w("type")) for f in sect.findall("w:footerReference", NS)),
    }


def docx_view(data: bytes) -> dict[str, Any]:
    """The normalised view of a .docx given as bytes."""
    z = zipfile.ZipFile(io.BytesIO(data))
    styles = _Styles(z.read("word/styles.xml"))
    doc = etree.fromstring(z.read("word/document.xml"))
    rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    body = doc.find("w:body", NS)
    sections = [_section(s) for s in body.iter(_w("sectPr"))]
    parts: dict[str, list[dict[str, Any]]] = {}
    for sect in body.iter(_w("sectPr")):
        for ref in sect.findall("w:headerReference", NS) + sect.findall("w:footerReference", NS):
            kind = etree.QName(ref).localname.replace("Reference", "")
            name = f"{kind}:{ref.get(_w('type'))}"
            if name in parts:
                continue
            xml = z.read("word/" + targets[ref.get(f"{{{R}}}id")])
            parts[name] = _paragraphs(styles, etree.fromstring(xml), name)
    settings = etree.fromstring(z.read("word/settings.xml"))
    return {
        "sections": sections,
        "even_and_odd_headers": settings.find("w:evenAndOddHeaders", NS) is not None,
        "body": _paragraphs(styles, body, "body"),
        "headers_footers": parts,
    }
