"""A .docx as an OPC package: parts by name, relationships, content types, the main document.

>>> pkg = Package.open("答复函.docx")                          # doctest: +SKIP
>>> pkg.main_part                                              # doctest: +SKIP
'word/document.xml'
>>> [r.target_part for r in pkg.rels(pkg.main_part).of_type("footer")]   # doctest: +SKIP
['word/footer1.xml', 'word/footer2.xml']

Part names have no leading slash (``word/document.xml``), as zip members do; content-type
overrides keep theirs (``/word/document.xml``), as ``[Content_Types].xml`` writes them. A part's
relationships live in ``<dir>/_rels/<name>.rels``; the package's own in ``_rels/.rels``
(source ``""``). Every reading error is a :class:`~gongwen.errors.DocxPackageError` with a
Chinese message.
"""

from __future__ import annotations

import io
import os
import posixpath
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import quoteattr

from gongwen.errors import DocxPackageError
from gongwen.ooxml import CT_NS, PKG_REL_NS

__all__ = [
    "CONTENT_TYPES",
    "ContentTypes",
    "Package",
    "Relationship",
    "Relationships",
    "rels_part_name",
    "resolve_target",
]

CONTENT_TYPES = "[Content_Types].xml"
_XML_DECL = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    ValueError,
)


def rels_part_name(source: str) -> str:
    """The relationships part of ``source`` (``""`` is the package): ``word/_rels/x.xml.rels``."""
    return posixpath.join(posixpath.dirname(source), "_rels", posixpath.basename(source) + ".rels")


def resolve_target(source: str, target: str) -> str:
    """The part name a relative ``target`` of ``source``'s relationships points to."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _kind(rel_type: str) -> str:
    return rel_type.rsplit("/", 1)[-1]


def _parse(xml: bytes, what: str) -> ET.Element:
    try:
        return ET.fromstring(xml)
    except ET.ParseError as exc:
        raise DocxPackageError(f"{what} 不是有效的 XML：{exc}") from None


# --------------------------------------------------------------------------- relationships


@dataclass(frozen=True)
class Relationship:
    """One ``Relationship`` of ``source`` (``""``: the package)."""

    id: str
    type: str
    target: str
    external: bool = False
    source: str = ""

    @property
    def kind(self) -> str:
        """The last segment of the type: ``footer``, ``image``, ``officeDocument`` …"""
        return _kind(self.type)

    @property
    def target_part(self) -> str | None:
        """The part name the target resolves to (None for an external target)."""
        return None if self.external else resolve_target(self.source, self.target)


class Relationships:
    """The relationships of one source part, in document order, by id."""

    def __init__(self, rels: Iterable[Relationship] = (), source: str = "") -> None:
        self.source = source
        self.by_id: dict[str, Relationship] = {r.id: r for r in rels}

    @classmethod
    def parse(cls, xml: bytes | None, source: str = "") -> Relationships:
        """Read a ``.rels`` part (None or empty: no relationships)."""
        if not xml:
            return cls((), source)
        root = _parse(xml, rels_part_name(source))
        rels = [
            Relationship(
                el.get("Id", ""),
                el.get("Type", ""),
                el.get("Target", ""),
                el.get("TargetMode") == "External",
                source,
            )
            for el in root
            if el.tag == f"{{{PKG_REL_NS}}}Relationship"
        ]
        return cls(rels, source)

    def __iter__(self) -> Iterator[Relationship]:
        return iter(self.by_id.values())

    def __len__(self) -> int:
        return len(self.by_id)

    def __contains__(self, rid: object) -> bool:
        return rid in self.by_id

    def get(self, rid: str) -> Relationship | None:
        """The relationship with this id, or None."""
        return self.by_id.get(rid)

    def of_type(self, kind: str) -> list[Relationship]:
        """Relationships whose type ends with ``kind`` (``"footer"``, ``"image"`` …)."""
        return [r for r in self.by_id.values() if _kind(r.type) == kind]

    def first_part(self, kind: str) -> str | None:
        """The part the first internal relationship of ``kind`` points to, or None."""
        return next((r.target_part for r in self.of_type(kind) if not r.external), None)

    def next_id(self, prefix: str = "rId") -> str:
        """An id not used yet: ``rId<n>`` with n one above the largest in use."""
        used = [
            int(rid[len(prefix) :])
            for rid in self.by_id
            if rid.startswith(prefix) and rid[len(prefix) :].isdigit()
        ]
        return f"{prefix}{max(used, default=0) + 1}"

    def add(
        self, rel_type: str, target: str, rid: str | None = None, *, external: bool = False
    ) -> str:
        """Add a relationship (a fresh id unless ``rid`` is given); returns its id."""
        rid = rid or self.next_id()
        self.by_id[rid] = Relationship(rid, rel_type, target, external, self.source)
        return rid

    def remove(self, rid: str) -> None:
        """Drop a relationship (no error when it is absent)."""
        self.by_id.pop(rid, None)

    def to_xml(self) -> bytes:
        """The ``.rels`` part."""
        out = [_XML_DECL, f'<Relationships xmlns="{PKG_REL_NS}">'.encode()]
        for r in self.by_id.values():
            mode = ' TargetMode="External"' if r.external else ""
            out.append(
                f"<Relationship Id={quoteattr(r.id)} Type={quoteattr(r.type)} "
                f"Target={quoteattr(r.target)}{mode}/>".encode()
            )
        out.append(b"</Relationships>")
        return b"".join(out)


# --------------------------------------------------------------------------- content types


class ContentTypes:
    """``[Content_Types].xml``: defaults by (lower-case) extension, overrides by ``/part``."""

    def __init__(
        self, defaults: dict[str, str] | None = None, overrides: dict[str, str] | None = None
    ) -> None:
        self.defaults: dict[str, str] = dict(defaults or {})
        self.overrides: dict[str, str] = dict(overrides or {})

    @classmethod
    def parse(cls, xml: bytes) -> ContentTypes:
        """Read ``[Content_Types].xml``."""
        root = _parse(xml, CONTENT_TYPES)
        out = cls()
        for el in root:
            if el.tag == f"{{{CT_NS}}}Default":
                out.defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")
            elif el.tag == f"{{{CT_NS}}}Override":
                out.overrides[el.get("PartName", "")] = el.get("ContentType", "")
        return out

    def of(self, part: str) -> str | None:
        """The content type of a part (override first, then its extension's default)."""
        hit = self.overrides.get("/" + part.lstrip("/"))
        if hit is not None:
            return hit
        return self.defaults.get(posixpath.splitext(part)[1].lstrip(".").lower())

    def add_default(self, ext: str, content_type: str) -> None:
        """Declare a default for an extension unless one exists."""
        self.defaults.setdefault(ext.lower(), content_type)

    def to_xml(self) -> bytes:
        """The ``[Content_Types].xml`` part (defaults, then overrides)."""
        out = [_XML_DECL, f'<Types xmlns="{CT_NS}">'.encode()]
        out += [
            f"<Default Extension={quoteattr(e)} ContentType={quoteattr(t)}/>".encode()
            for e, t in self.defaults.items()
        ]
        out += [
            f"<Override PartName={quoteattr(p)} ContentType={quoteattr(t)}/>".encode()
            for p, t in self.overrides.items()
        ]
        out.append(b"</Types>")
        return b"".join(out)


# --------------------------------------------------------------------------- package


class Package:
    """A .docx opened for reading; parts are read lazily from the zip."""

    def __init__(self, data: bytes, name: str = "") -> None:
        self.name = name
        self.data = data
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.names: list[str] = self.zip.namelist()
        except _READ_ERRORS as exc:
            raise DocxPackageError(f"不是 zip 压缩包（{exc or type(exc).__name__}）") from None
        self._names = set(self.names)
        self._rels: dict[str, Relationships] = {}

    @classmethod
    def open(cls, source: bytes | str | os.PathLike[str]) -> Package:
        """A package from bytes or a file path."""
        if isinstance(source, bytes):
            return cls(source)
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DocxPackageError(f"无法读取 {path}：{exc.strerror or exc}", path=path) from exc
        return cls(data, name=str(path))

    def __contains__(self, part: object) -> bool:
        return part in self._names

    def infolist(self) -> list[zipfile.ZipInfo]:
        """The zip members, in stored order."""
        return self.zip.infolist()

    def get(self, part: str) -> bytes | None:
        """A part's bytes, or None when the package has no such part."""
        if part not in self._names:
            return None
        try:
            return self.zip.read(part)
        except _READ_ERRORS as exc:
            raise DocxPackageError(f"无法读取部件 {part}（{exc or type(exc).__name__}）") from None

    def read(self, part: str) -> bytes:
        """A part's bytes; a missing part is a :class:`DocxPackageError`."""
        data = self.get(part)
        if data is None:
            raise DocxPackageError(f"缺少部件 {part}")
        return data

    def xml(self, part: str | None) -> ET.Element | None:
        """A part parsed as XML (None when ``part`` is None or missing)."""
        data = self.get(part) if part else None
        return None if data is None else _parse(data, f"部件 {part}")

    def rels(self, source: str = "") -> Relationships:
        """The relationships of ``source`` (``""``: the package's own), read once."""
        hit = self._rels.get(source)
        if hit is None:
            hit = Relationships.parse(self.get(rels_part_name(source)), source)
            self._rels[source] = hit
        return hit

    def related(self, source: str, kind: str) -> str | None:
        """The part ``source`` relates to by its first relationship of ``kind``, if present."""
        part = self.rels(source).first_part(kind)
        return part if part is not None and part in self._names else None

    @cached_property
    def content_types(self) -> ContentTypes:
        """``[Content_Types].xml`` (an empty table when the part is missing)."""
        data = self.get(CONTENT_TYPES)
        return ContentTypes.parse(data) if data is not None else ContentTypes()

    @cached_property
    def main_part(self) -> str:
        """The main document part, found through the package's ``officeDocument`` relationship.

        A package without ``_rels/.rels`` falls back to ``word/document.xml``.
        """
        part = _main_target(self.get(rels_part_name("")))
        if part is None or part not in self._names:
            raise DocxPackageError(f"缺少主文档部件 {part or 'word/document.xml'}")
        return part


@lru_cache(maxsize=32)
def _main_target(package_rels: bytes | None) -> str | None:
    # Letters rendered from one template share their package relationships byte for byte:
    # parsed once, not once per letter (the merge of a thousand letters reads them all).
    rels = Relationships.parse(package_rels, "")
    part = rels.first_part("officeDocument")
    return "word/document.xml" if part is None and not len(rels) else part
