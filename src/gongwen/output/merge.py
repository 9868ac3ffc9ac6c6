"""One print file from many letters, in time linear in their number.

Each letter's body is spliced into one ``document.xml``: each letter is a section of its own that
starts on an odd page (``w:type oddPage``: for double-sided printing every letter begins on the
front of a sheet; Word, WPS and LibreOffice insert a blank verso after an odd-length letter), or
on the next page with ``simplex=True`` (``w:type nextPage``, single-sided printing). Each section
restarts page numbering (``w:pgNumType w:start="1"``) and keeps its header/footer references (the
first-page letterhead through ``w:titlePg``). Letters rendered from the same template share
styles; identical header/footer parts are stored once. The body is streamed through a temporary
file, so memory holds one letter at a time.

``oddPage`` is the section break Word and WPS start on a front page. LibreOffice (7.4) imports it
as a copied page style that drops the header/footer heights and is followed by the first-page
style: page 2 of every letter printed no number and a one-page letter's 抄送 ran 5 mm below the
text area. It puts a page numbered 1 on a front page by itself, so the copy the preview hands it
(:func:`gongwen.ooxml.compat.for_libreoffice`) breaks ``nextPage`` there; the file is unchanged.

Parts, relationships and content types are read and written with :mod:`gongwen.ooxml.package`;
the body is spliced with lxml.
"""

from __future__ import annotations

import io
import os
import posixpath
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import IO

from lxml import etree  # type: ignore[import-untyped]

from gongwen.errors import ArgumentError, DocxPackageError, MergeError
from gongwen.ooxml import R_NS, qn
from gongwen.ooxml.markup import body_tags, root_start_tag
from gongwen.ooxml.package import (
    CONTENT_TYPES,
    ContentTypes,
    Package,
    Relationship,
    Relationships,
    rels_part_name,
    resolve_target,
)
from gongwen.output.atomic import atomic_file

__all__ = ["LetterMerger", "MergeError", "merge_letters"]

# Relationships of the base letter's main part that the merged document replaces by its own.
_REPLACED_KINDS = ("header", "footer", "image", "hyperlink")

# Children of w:sectPr in schema order (ECMA-376 CT_SectPr); refs come first.
_SECT_ORDER = (
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
)
_SECT_RANK = {qn(tag): i for i, tag in enumerate(_SECT_ORDER)}
# Children of w:pPr that must precede w:sectPr (it comes after all of them but w:pPrChange).
_PPR_AFTER_SECT = ("pPrChange",)


def _w(tag: str) -> str:
    return qn(tag)


def _set_child(sect: etree._Element, tag: str, attrs: dict[str, str]) -> None:
    """Replace or insert ``w:<tag>`` in ``sect`` at its schema position."""
    for old in sect.findall(_w(tag)):
        sect.remove(old)
    el = etree.Element(_w(tag))
    for k, v in attrs.items():
        el.set(_w(k), v)
    rank = _SECT_RANK[_w(tag)]
    pos = 0
    for i, child in enumerate(sect):
        if _SECT_RANK.get(child.tag, rank + 1) <= rank:
            pos = i + 1
    sect.insert(pos, el)


def _new_page_section(sect: etree._Element, *, simplex: bool) -> None:
    _set_child(sect, "type", {"val": "nextPage" if simplex else "oddPage"})
    _set_child(sect, "pgNumType", {"start": "1"})


class _Letter:
    """A parsed letter waiting to be written (its last section is completed by the next one)."""

    def __init__(self, body: etree._Element, sect: etree._Element) -> None:
        self.body = body
        self.sect = sect


class LetterMerger:
    """Add rendered letters (docx bytes) one by one; :meth:`finish` writes the print file.

    Every letter starts on an odd page (double-sided printing); ``simplex=True`` starts each on
    the next page instead (single-sided printing, no blank versos).
    """

    def __init__(self, *, simplex: bool = False) -> None:
        self.simplex = simplex
        self._tmp: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - lives until finish()
        self._base: Package | None = None
        self._main = ""  # the base letter's main part: the merged document's
        self._root_start = ""
        self._nsmap: dict[str, str] = {}
        self._parts: dict[tuple[str, bytes, bytes], str] = {}  # (type, part, its rels) → rId
        self._rels_cache: dict[tuple[str, bytes], Relationships] = {}
        self._types_cache: dict[bytes, ContentTypes] = {}
        self._new_members: dict[str, bytes] = {}  # part name → bytes (headers, footers, media)
        self._new_rels: list[tuple[str, str, str, bool]] = []  # rId, type, target, external
        self._overrides: dict[str, str] = {}  # part name → content type
        self._defaults: dict[str, str] = {}  # extension → content type
        self._external: dict[tuple[str, str], str] = {}
        self._pending: _Letter | None = None
        self.count = 0

    # ── adding ──
    def add(self, docx: bytes) -> None:
        """Append one letter (a complete .docx rendered from one of our templates)."""
        try:
            pkg = Package(docx)
            main = pkg.main_part
            xml = pkg.read(main)
            root = etree.fromstring(xml)
        except DocxPackageError as exc:
            raise MergeError(f"无法合并：不是有效的 docx（{exc}）") from None
        except etree.XMLSyntaxError as exc:
            raise MergeError(f"无法合并：{main} 不是有效的 XML（{exc}）") from None
        if self._base is None:
            self._base = pkg
            self._main = main
            self._root_start = root_start_tag(xml.decode("utf-8"))
            self._nsmap = {k or "": v for k, v in root.nsmap.items()}
        else:
            for prefix, uri in root.nsmap.items():
                have = self._nsmap.get(prefix or "")
                if have is not None and have != uri:
                    raise MergeError(f"无法合并：命名空间前缀 {prefix} 含义不同")
                self._nsmap.setdefault(prefix or "", uri)
        body = root.find(_w("body"))
        if body is None:
            raise MergeError("无法合并：document.xml 中没有 w:body")
        try:
            self._remap(body, pkg, main)
        except DocxPackageError as exc:
            raise MergeError(f"无法合并：{exc}") from None
        sect = body.find(_w("sectPr"))
        if sect is None:
            sect = etree.SubElement(body, _w("sectPr"))
        body.remove(sect)
        self._flush(final=False)
        self._pending = _Letter(body, sect)
        self.count += 1

    def _remap(self, body: etree._Element, pkg: Package, main: str) -> None:
        rels = self._rels(pkg.read(rels_part_name(main)), main)
        types: ContentTypes | None = None
        for el in _WITH_REL_ATTR(body):
            for attr, rid in list(el.attrib.items()):
                rel = rels.get(rid) if attr.startswith(_R_ATTR) else None
                if rel is None:
                    continue
                if types is None:
                    types = self._types(pkg.read(CONTENT_TYPES))
                el.set(attr, self._rel_for(rel, pkg, types))

    def _rels(self, xml: bytes, main: str) -> Relationships:
        """A letter's relationships (parsed once per distinct rels part)."""
        key = (main, xml)
        hit = self._rels_cache.get(key)
        if hit is None:
            hit = Relationships.parse(xml, main)
            self._rels_cache[key] = hit
        return hit

    def _types(self, xml: bytes) -> ContentTypes:
        """A letter's content types (parsed once per distinct [Content_Types].xml)."""
        hit = self._types_cache.get(xml)
        if hit is None:
            hit = ContentTypes.parse(xml)
            self._types_cache[xml] = hit
        return hit

    def _rel_for(self, rel: Relationship, pkg: Package, types: ContentTypes) -> str:
        rtype, target = rel.type, rel.target
        if rel.external:
            key = (rtype, target)
            if key not in self._external:
                rid = f"rIdGw{len(self._new_rels) + 1}"
                self._new_rels.append((rid, rtype, target, True))
                self._external[key] = rid
            return self._external[key]
        name = rel.target_part or ""
        data = pkg.read(name)
        part_rels = pkg.get(rels_part_name(name)) or b""
        digest = (rtype, data, part_rels)  # parts equal byte for byte are stored once
        if digest in self._parts:
            return self._parts[digest]
        n = len(self._parts) + 1
        stem, ext = posixpath.splitext(posixpath.basename(name))
        folder = posixpath.dirname(target)
        new_target = (
            posixpath.join(folder, f"gw{n}_{stem}{ext}") if folder else f"gw{n}_{stem}{ext}"
        )
        new_name = resolve_target(self._main, new_target)
        self._new_members[new_name] = data
        if part_rels:
            self._copy_part_rels(pkg, name, new_name, part_rels)
        ctype = types.overrides.get("/" + name)
        if ctype:
            self._overrides["/" + new_name] = ctype
        elif ext.lstrip(".").lower() in types.defaults:
            self._defaults[ext.lstrip(".").lower()] = types.defaults[ext.lstrip(".").lower()]
        rid = f"rIdGw{len(self._new_rels) + 1}"
        self._new_rels.append((rid, rtype, new_target, False))
        self._parts[digest] = rid
        return rid

    def _copy_part_rels(self, pkg: Package, name: str, new_name: str, rels: bytes) -> None:
        # A header's own relationships (e.g. an image): copy the targets next to the new part.
        for rel in Relationships.parse(rels, name):
            src = rel.target_part
            if src is not None and src not in self._new_members and src in pkg:
                self._new_members[src] = pkg.read(src)
        self._new_members[rels_part_name(new_name)] = rels

    def _flush(self, *, final: bool) -> None:
        letter = self._pending
        if letter is None:
            return
        self._pending = None
        _new_page_section(letter.sect, simplex=self.simplex)
        if not final:
            last = letter.body[-1] if len(letter.body) else None
            if last is None or last.tag != _w("p"):
                last = etree.SubElement(letter.body, _w("p"))
            ppr = last.find(_w("pPr"))
            if ppr is None:
                ppr = etree.Element(_w("pPr"))
                last.insert(0, ppr)
            for old in ppr.findall(_w("sectPr")):
                ppr.remove(old)
            change = ppr.find(_w(_PPR_AFTER_SECT[0]))
            if change is not None:
                change.addprevious(letter.sect)
            else:
                ppr.append(letter.sect)
        else:
            letter.body.append(letter.sect)
        self._tmp.write(_inner(letter.body))

    # ── writing ──
    def finish(self, path: str | os.PathLike[str] | None = None) -> bytes | Path:
        """Write the merged document to ``path`` (atomically) or return its bytes."""
        if self._base is None:
            raise MergeError("没有可合并的文档")
        self._flush(final=True)
        out: IO[bytes] = io.BytesIO() if path is None else tempfile.SpooledTemporaryFile(1 << 20)  # noqa: SIM115
        self._write_zip(out)
        self._tmp.close()
        if path is None:
            assert isinstance(out, io.BytesIO)
            return out.getvalue()
        target = Path(path)
        try:
            with atomic_file(target) as fh:
                out.seek(0)
                shutil.copyfileobj(out, fh)
        finally:
            out.close()
        return target

    def _root(self) -> str:
        start = self._root_start
        declared = set()
        for attr in start.split()[1:]:
            if attr.startswith("xmlns"):
                declared.add(attr.split("=", 1)[0].partition(":")[2])
        extra = "".join(
            f' xmlns:{p}="{u}"' if p else f' xmlns="{u}"'
            for p, u in self._nsmap.items()
            if p not in declared
        )
        return start[:-1] + extra + ">" if extra else start

    def _write_zip(self, out: IO[bytes]) -> None:
        assert self._base is not None
        base, main = self._base, self._main
        main_rels = rels_part_name(main)
        base_rels = Relationships.parse(base.read(main_rels), main)
        dropped: set[str] = set()
        for rel in list(base_rels):
            if rel.kind in _REPLACED_KINDS:
                if rel.target_part is not None:
                    dropped.add(rel.target_part)
                base_rels.remove(rel.id)
        for rid, rtype, target, external in self._new_rels:
            base_rels.add(rtype, target, rid, external=external)
        skipped = {main, main_rels, CONTENT_TYPES} | dropped | {rels_part_name(n) for n in dropped}
        doc_open, doc_close = body_tags(self._root_start)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in base.infolist():
                name = info.filename
                if name in skipped or name in self._new_members:
                    continue
                zout.writestr(info, base.read(name))
            zout.writestr(_info(CONTENT_TYPES), self._content_types(base, dropped))
            zout.writestr(_info(main_rels), base_rels.to_xml())
            for name, data in self._new_members.items():
                zout.writestr(_info(name), data)
            with zout.open(_info(main), "w") as doc:
                doc.write(b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n")
                doc.write(self._root().encode("utf-8"))
                doc.write(doc_open)
                self._tmp.seek(0)
                shutil.copyfileobj(self._tmp, doc, 1 << 20)
                doc.write(doc_close)

    def _content_types(self, base: Package, dropped: set[str]) -> bytes:
        types = ContentTypes.parse(base.read(CONTENT_TYPES))
        for part in [p for p in types.overrides if p.lstrip("/") in dropped]:
            del types.overrides[part]
        for ext, ctype in self._defaults.items():
            types.add_default(ext, ctype)
        types.overrides.update(self._overrides)
        return types.to_xml()


# Elements carrying an r:id-like attribute (relationship references), found in C by XPath.
_WITH_REL_ATTR = etree.XPath("descendant-or-self::*[@r:*]", namespaces={"r": R_NS})
_R_ATTR = f"{{{R_NS}}}"


def _info(name: str) -> zipfile.ZipInfo:
    # A fixed timestamp: the same letters give the same bytes (the manifest compares hashes).
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _inner(body: etree._Element) -> bytes:
    """The serialised children of ``body`` without the wrapper (namespaces declared on root)."""
    if len(body) == 0:
        return b""
    text: bytes = etree.tostring(body, encoding="UTF-8", xml_declaration=False)
    start = text.index(b">") + 1
    end = text.rindex(b"</")
    return text[start:end]


def _check_letters(letters: object, path: object) -> None:
    """Wrong argument types of :func:`merge_letters` (Chinese :class:`ArgumentError`)."""
    if isinstance(letters, str | bytes | os.PathLike) or not isinstance(letters, list | tuple):
        raise ArgumentError(
            f"参数 letters 应为答复函的列表（bytes 或 .docx 路径），收到 {type(letters).__name__}",
            argument="letters",
        )
    for i, item in enumerate(letters, start=1):
        if not isinstance(item, bytes | str | os.PathLike):
            raise ArgumentError(
                f"参数 letters 的第{i}项应为 bytes 或 .docx 路径，收到 {type(item).__name__}",
                argument="letters",
            )
    if path is not None and not isinstance(path, str | os.PathLike):
        raise ArgumentError(
            f"参数 path 应为输出文件路径或 None，收到 {type(path).__name__}", argument="path"
        )


def merge_letters(
    letters: list[bytes] | list[Path],
    path: str | os.PathLike[str] | None = None,
    *,
    simplex: bool = False,
) -> bytes | Path:
    """Merge letters (bytes or .docx paths) in order; write to ``path`` or return the bytes.

    Each letter starts on an odd page for double-sided printing (a blank verso after an
    odd-length letter); ``simplex=True`` starts each on the next page (single-sided printing).
    """
    _check_letters(letters, path)
    m = LetterMerger(simplex=simplex)
    for item in letters:
        m.add(item if isinstance(item, bytes) else Path(item).read_bytes())
    if path is None:
        return m.finish()
    return m.finish(path)
