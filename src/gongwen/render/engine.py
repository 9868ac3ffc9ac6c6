"""docx rendering: load a docxtpl template once, render contexts fast, produce bytes.

The fast path prepares each XML part of a template exactly as docxtpl does (``patch_xml``), compiles
it with Jinja once per process, and for every document renders only the templated parts, copying
every other zip member unchanged. Pictures take the same path: the placeholder renders to the
inline-picture run docxtpl's ``InlineImage`` would insert, and the PNG part, its relationship and
the ``png`` content type are added to the package. :func:`render_docxtpl` is the plain docxtpl
path (used by the tests that show both paths give the same document).
"""

from __future__ import annotations

import io
import itertools
import os
import posixpath
import re
import threading
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from docxtpl import DocxTemplate

from gongwen.errors import DocxPackageError, TemplateError
from gongwen.ooxml import CT_PNG, RT_IMAGE
from gongwen.ooxml.markup import (
    LISTING_CHARS,
    PARAGRAPH,
    inline_picture_run,
    max_drawing_id,
    paragraphs_on_lines,
)
from gongwen.ooxml.package import (
    CONTENT_TYPES,
    ContentTypes,
    Package,
    Relationships,
    rels_part_name,
)
from gongwen.ooxml.text import emu
from gongwen.ooxml.writer import PackageLayout
from gongwen.render.placeholders import normalise_xml

_JINJA_TAG = re.compile(r"\{\{|\{%|\{#")
# docxtpl's resolve_listing only changes text runs holding \t \a \n or \f, one paragraph at a
# time (matched with LISTING_CHARS): it runs on those paragraphs only, not the whole part.


def _may_have_listing(xml: str) -> bool:
    """False when no ``\t \a \n \f`` of the part is inside a text run (``<w:t>``), so that
    :data:`LISTING_CHARS` cannot match: such a character is mostly only the newline after the
    XML declaration, and looking at each is far quicker than the pattern over the whole part."""
    for ch in "\t\a\n\f":
        i = xml.find(ch)
        while i != -1:
            if xml.startswith(("<w:t>", "<w:t "), xml.rfind("<", 0, i)):
                return True
            i = xml.find(ch, i + 1)
    return False


def _environment() -> jinja2.Environment:
    # autoescape: user text is data — <, & and quotes are escaped; it is never parsed as a template.
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, cache_size=0)


@dataclass(frozen=True)
class _Part:
    name: str
    template: jinja2.Template
    encoding: str


class CompiledTemplate:
    """A docx template parsed and compiled once; thread-safe to render from many threads."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self.source = data
        try:
            pkg = Package(data, str(path))
            self._members: list[tuple[zipfile.ZipInfo, bytes]] = [
                (info, pkg.read(info.filename)) for info in pkg.infolist()
            ]
        except DocxPackageError:
            raise TemplateError(f"模板不是有效的 docx 文件：{path}") from None
        self._layout = PackageLayout(
            [(info.filename, info.date_time, raw) for info, raw in self._members]
        )
        try:
            main = pkg.main_part
            # docxtpl renders the main part and the headers/footers it relates to
            templated = [main] + [
                r.target_part
                for kind in ("header", "footer")
                for r in pkg.rels(main).of_type(kind)
                if r.target_part in pkg
            ]
        except DocxPackageError as exc:
            raise TemplateError(f"模板不可用：{path}：{exc}") from None
        self._package = pkg
        self.main_part = main
        raw_parts = {info.filename: raw for info, raw in self._members}
        env = _environment()
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
        self._docxtpl = tpl
        self._parts: dict[str, _Part] = {}
        self._part_variables: dict[str, frozenset[str]] = {}
        self._drawing_ids = 0
        variables: set[str] = set()
        for name in dict.fromkeys(t for t in templated if t):
            # quotes and split runs as Word/WPS/LibreOffice save them (render/placeholders.py)
            xml = normalise_xml(raw_parts[name].decode("utf-8"))
            if not _JINJA_TAG.search(xml) and name != main:
                continue
            encoding = "utf-8"
            patched = tpl.patch_xml(xml)
            patched = paragraphs_on_lines(patched)
            try:
                ast = env.parse(patched)
                found = jinja2.meta.find_undeclared_variables(ast)
                compiled = env.from_string(patched)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(
                    f"模板 {path.name} 的 {name} 中占位符语法错误"
                    f"（第{exc.lineno}行）：{exc.message}"
                ) from None
            variables |= found
            self._part_variables[name] = frozenset(found)
            self._drawing_ids = max(self._drawing_ids, max_drawing_id(xml))
            self._parts[name] = _Part(name, compiled, encoding)
        self.variables: frozenset[str] = frozenset(variables)
        self._lock = threading.Lock()

    def require(
        self,
        names: set[str] | frozenset[str],
        what: str,
        any_of: tuple[frozenset[str], ...] = (),
    ) -> None:
        """Refuse the template when a required placeholder is missing (before any rendering).

        ``any_of`` lists groups of which at least one placeholder must be present.
        """
        missing = sorted(set(names) - self.variables)
        missing += ["/".join(sorted(g)) for g in any_of if not g & self.variables]
        if missing:
            raise TemplateError(
                f"模板 {self.path.name} 不能用于{what}：缺少占位符 "
                + "、".join("{{ " + m + " }}" for m in missing)
            )

    def render_xml(self, name: str, context: Mapping[str, Any]) -> str:
        """Render one templated XML part the way docxtpl does."""
        part = self._parts[name]
        xml = part.template.render(context)
        # join_paragraph_lines, as two plain replaces (the same result, a fraction of the time)
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        if "{_" in xml or "_}" in xml:
            xml = (
                xml.replace("{_{", "{{")
                .replace("}_}", "}}")
                .replace("{_%", "{%")
                .replace("%_}", "%}")
            )
        if _may_have_listing(xml) and LISTING_CHARS.search(xml):
            return PARAGRAPH.sub(self._resolve_paragraph, xml)
        return xml

    def _resolve_paragraph(self, m: re.Match[str]) -> str:
        xml = m.group(0)
        if not LISTING_CHARS.search(xml):
            return xml
        resolved: str = self._docxtpl.resolve_listing(xml)
        return resolved

    def render(
        self, context: Mapping[str, Any], images: Mapping[str, Image] | None = None
    ) -> bytes:
        """Render a complete docx from ``context``: templated parts rendered, the rest copied.

        ``images`` places pictures at the placeholders of those names (``{{ chart }}``).
        """
        if images:
            return self._render_with_images(context, images)
        rendered = {name: self.render_xml(name, context).encode("utf-8") for name in self._parts}
        return self._write(rendered, {})

    def _write(self, rendered: Mapping[str, bytes], added: Mapping[str, bytes]) -> bytes:
        """The package with ``rendered`` parts replaced and ``added`` members appended."""
        return self._layout.build(rendered, added)

    def _render_with_images(self, context: Mapping[str, Any], images: Mapping[str, Image]) -> bytes:
        """Render with pictures at the placeholders of ``images``' names, as docxtpl would.

        Each picture becomes one ``media/imageN.png`` part; every templated part that uses its
        placeholder gets an image relationship to it (and a rels part if it had none).
        """
        pkg = self._package
        names = {info.filename for info, _ in self._members}
        used = [(key, img) for key, img in images.items() if key in self.variables]
        media: dict[str, str] = {}  # image name → media part
        counter = itertools.count(1)
        for key, _ in used:
            n = next(counter)
            while f"word/media/image{n}.png" in names:
                n = next(counter)
            media[key] = f"word/media/image{n}.png"
        ids = itertools.count(1)  # pictures in rendering order
        replaced: dict[str, bytes] = {}
        for part in self._parts:
            part_images = [(k, img) for k, img in used if k in self._part_variables[part]]
            if not part_images:
                continue
            rels = Relationships(pkg.rels(part), part)
            ctx = dict(context)
            for key, img in part_images:
                target = posixpath.relpath(media[key], posixpath.dirname(part))
                rid = rels.add(RT_IMAGE, target)
                ctx[key] = _Picture(rid, *_picture_size(img), ids, self._drawing_ids)
            replaced[part] = self.render_xml(part, ctx).encode("utf-8")
            replaced[rels_part_name(part)] = rels.to_xml()
        for part in self._parts:
            if part not in replaced:
                replaced[part] = self.render_xml(part, context).encode("utf-8")
        if media:
            types = ContentTypes(pkg.content_types.defaults, pkg.content_types.overrides)
            if types.defaults.get("png") != CT_PNG:
                types.defaults["png"] = CT_PNG
            replaced[CONTENT_TYPES] = types.to_xml()
        added = {name: data for name, data in replaced.items() if name not in names}
        added.update({media[key]: img.png for key, img in used})
        return self._write(replaced, added)


@dataclass(frozen=True)
class Image:
    """A picture for a placeholder: PNG bytes and the printed width in millimetres."""

    png: bytes = field(repr=False)
    width_mm: float


def _picture_size(img: Image) -> tuple[int, int]:
    """(cx, cy) in EMU: the width given, the height from the PNG's aspect ratio and dpi.

    The same arithmetic as python-docx's ``scaled_dimensions`` (native size at the PNG's dpi,
    72 when it has none), so both rendering paths give the same extent.
    """
    from docx.image.image import Image as DocxImage

    try:
        native = DocxImage.from_blob(img.png)
    except Exception as exc:  # python-docx raises its own UnrecognizedImageError and others
        raise TemplateError(f"图片不是有效的 PNG：{exc}") from None
    cx, cy = native.scaled_dimensions(emu(img.width_mm), None)
    return int(cx), int(cy)


class _Picture:
    """A placeholder value rendering to the inline-picture run (a fresh shape id each time).

    Shape ids follow the template's own, from 1001 on as docxtpl numbers them.
    """

    def __init__(self, rid: str, cx: int, cy: int, ids: itertools.count[int], base: int) -> None:
        self.rid, self.cx, self.cy, self._ids = rid, cx, cy, ids
        self._base = max(base, 1000)

    def __html__(self) -> str:
        n = next(self._ids)
        return inline_picture_run(self.rid, self.cx, self.cy, self._base + n, n)

    def __str__(self) -> str:
        return self.__html__()


_CACHE: dict[tuple[str, int, int], CompiledTemplate] = {}
_RECENT: dict[str, tuple[float, CompiledTemplate]] = {}
_CACHE_LOCK = threading.Lock()
#: How long a template found in the cache is trusted before its file is looked at again (s).
RECHECK_SECONDS = 1.0


def load_template(path: str | os.PathLike[str]) -> CompiledTemplate:
    """Load and compile a template once per process (re-read only when the file changes).

    A template used in the last second is taken as it is, without a look at the file (a batch
    renders thousands of documents a second; ``stat`` on a network drive is not free).
    """
    given = os.fspath(path)
    now = time.monotonic()
    recent = _RECENT.get(given)
    if recent is not None and now - recent[0] < RECHECK_SECONDS:
        return recent[1]
    p = Path(given).resolve()
    try:
        st = p.stat()
    except FileNotFoundError:
        raise TemplateError(f"模板文件不存在：{p}") from None
    key = (str(p), st.st_mtime_ns, st.st_size)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is None:
            hit = CompiledTemplate(p, p.read_bytes())
            _CACHE[key] = hit
        _RECENT[given] = (now, hit)
        return hit


def render_docxtpl(
    path: str | os.PathLike[str],
    context: Mapping[str, Any],
    images: Mapping[str, Image] | None = None,
) -> bytes:
    """The plain docxtpl path: ``DocxTemplate(path).render(context); save()`` with autoescape.

    ``images`` become docxtpl ``InlineImage`` values of the given width.
    """
    tpl = DocxTemplate(str(path))
    ctx = dict(context)
    if images:
        from docx.shared import Mm
        from docxtpl import InlineImage

        for name, img in images.items():
            ctx[name] = InlineImage(tpl, io.BytesIO(img.png), width=Mm(img.width_mm))
    tpl.render(ctx, jinja_env=_environment(), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
