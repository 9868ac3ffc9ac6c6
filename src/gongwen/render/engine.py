"""docx rendering: load a docxtpl template once, render contexts fast, produce bytes.

The fast path prepares each XML part of a template exactly as docxtpl does (``patch_xml``), compiles
it with Jinja once per process, and for every document renders only the templated parts, copying
every other zip member unchanged. :func:`render_docxtpl` is the plain docxtpl path (used for
templates with images, and by the tests that show both paths give the same document).
"""

from __future__ import annotations

import io
import os
import re
import threading
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from docxtpl import DocxTemplate

from gongwen.errors import TemplateError

_P_OPEN = re.compile(r"<w:p([ >])")
_P_OPEN_NL = re.compile(r"\n<w:p([ >])")
_JINJA_TAG = re.compile(r"\{\{|\{%|\{#")
_XML_PARTS = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
# docxtpl's resolve_listing only changes text runs holding \t \a \n or \f, one paragraph at a
# time (matched with this very pattern): it runs on those paragraphs only, not the whole part.
_LISTING_CHARS = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)


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
            zin = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise TemplateError(f"模板不是有效的 docx 文件：{path}") from None
        self._members: list[tuple[zipfile.ZipInfo, bytes]] = [
            (info, zin.read(info.filename)) for info in zin.infolist()
        ]
        if "word/document.xml" not in zin.namelist():
            raise TemplateError(f"模板缺少 word/document.xml：{path}")
        env = _environment()
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
        self._docxtpl = tpl
        self._parts: dict[str, _Part] = {}
        variables: set[str] = set()
        for info, raw in self._members:
            if not _XML_PARTS.match(info.filename):
                continue
            xml = raw.decode("utf-8")
            if not _JINJA_TAG.search(xml) and info.filename != "word/document.xml":
                continue
            encoding = "utf-8"
            patched = tpl.patch_xml(xml)
            patched = _P_OPEN.sub(r"\n<w:p\1", patched)
            try:
                ast = env.parse(patched)
                variables |= jinja2.meta.find_undeclared_variables(ast)
                compiled = env.from_string(patched)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(
                    f"模板 {path.name} 的 {info.filename} 中占位符语法错误"
                    f"（第{exc.lineno}行）：{exc.message}"
                ) from None
            self._parts[info.filename] = _Part(info.filename, compiled, encoding)
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
        xml = _P_OPEN_NL.sub(r"<w:p\1", xml)
        xml = (
            xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        )
        if _LISTING_CHARS.search(xml):
            return _PARAGRAPH.sub(self._resolve_paragraph, xml)
        return xml

    def _resolve_paragraph(self, m: re.Match[str]) -> str:
        xml = m.group(0)
        if not _LISTING_CHARS.search(xml):
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
            return _render_with_images(self.source, context, images)
        rendered = {name: self.render_xml(name, context) for name in self._parts}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zout:
            for info, raw in self._members:
                if info.filename in rendered:
                    zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                    zi.compress_type = zipfile.ZIP_DEFLATED
                    zout.writestr(zi, rendered[info.filename].encode("utf-8"), compresslevel=6)
                else:
                    # unchanged members are stored, not recompressed: the same bytes every time
                    zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                    zi.compress_type = zipfile.ZIP_STORED
                    zout.writestr(zi, raw)
        return out.getvalue()


@dataclass(frozen=True)
class Image:
    """A picture for a placeholder: PNG bytes and the printed width in millimetres."""

    png: bytes = field(repr=False)
    width_mm: float


def _render_with_images(
    source: bytes, context: Mapping[str, Any], images: Mapping[str, Image]
) -> bytes:
    # docxtpl's InlineImage adds the media part, its relationship and content type; it needs
    # the DocxTemplate that renders it, so documents with pictures take docxtpl's own path.
    from docx.shared import Mm
    from docxtpl import InlineImage

    tpl = DocxTemplate(io.BytesIO(source))
    ctx = dict(context)
    for name, img in images.items():
        ctx[name] = InlineImage(tpl, io.BytesIO(img.png), width=Mm(img.width_mm))
    tpl.render(ctx, jinja_env=_environment(), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


_CACHE: dict[tuple[str, int, int], CompiledTemplate] = {}
_CACHE_LOCK = threading.Lock()


def load_template(path: str | os.PathLike[str]) -> CompiledTemplate:
    """Load and compile a template once per process (re-read only when the file changes)."""
    p = Path(path).resolve()
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
        return hit


def render_docxtpl(path: str | os.PathLike[str], context: Mapping[str, Any]) -> bytes:
    """The plain docxtpl path: ``DocxTemplate(path).render(context); save()`` with autoescape."""
    tpl = DocxTemplate(str(path))
    tpl.render(dict(context), jinja_env=_environment(), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
