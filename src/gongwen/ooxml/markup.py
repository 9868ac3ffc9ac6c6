"""WordprocessingML as text: patterns for template parts and the markup gongwen splices in.

A template part holds Jinja tags between its XML elements, so the renderer prepares and finishes
it as text, the way docxtpl does; merged print files are streamed as text too. Every pattern over
such text lives here, next to the markup gongwen writes (the inline picture run, root and body
tags), so the prefixes (``w:``, ``wp:``, ``r:``) are spelt in one place.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import quoteattr

from gongwen.ooxml import A_NS, PIC_NS, R_NS, WP_NS

__all__ = [
    "LISTING_CHARS",
    "PARAGRAPH",
    "P_OPEN",
    "P_OPEN_NL",
    "body_tags",
    "inline_picture_run",
    "join_paragraph_lines",
    "max_drawing_id",
    "paragraphs_on_lines",
    "root_start_tag",
]

#: A paragraph start tag (``<w:p>``/``<w:p …>``, not ``<w:pPr>``), with what follows ``p``.
P_OPEN = re.compile(r"<w:p([ >])")
#: The same after the newline the renderer puts before each paragraph for Jinja.
P_OPEN_NL = re.compile(r"\n<w:p([ >])")
#: A text run holding ``\t \a \n`` or ``\f`` (docxtpl's ``resolve_listing`` changes only those).
LISTING_CHARS = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")
#: One (non-nested) paragraph element.
PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)


def paragraphs_on_lines(xml: str) -> str:
    """Put each paragraph start tag on a line of its own, before Jinja compiles the part."""
    return P_OPEN.sub(r"\n<w:p\1", xml)


def join_paragraph_lines(xml: str) -> str:
    """Undo :func:`paragraphs_on_lines` after rendering."""
    return P_OPEN_NL.sub(r"<w:p\1", xml)


_ROOT_START = re.compile(r"<(?![?!])([^\s/>]+)[^>]*>")
_DRAWING_ID = re.compile(r"<(?:wp:docPr|pic:cNvPr)\b[^>]*?\sid=\"(\d+)\"")


def root_start_tag(xml: str) -> str:
    """The start tag of the root element, namespace declarations included."""
    m = _ROOT_START.search(xml)
    if m is None:
        raise ValueError("no root element")
    return m.group(0)


def body_tags(root_start: str, child: str = "body") -> tuple[bytes, bytes]:
    """Open and close tags of ``child`` directly under the root opened by ``root_start``.

    ``body_tags('<w:document …>')`` → ``(b"<w:body>", b"</w:body></w:document>")``.
    """
    m = _ROOT_START.match(root_start)
    if m is None:
        raise ValueError("not a start tag")
    name = m.group(1)
    prefix = name.rpartition(":")[0]
    tag = f"{prefix}:{child}" if prefix else child
    return f"<{tag}>".encode(), f"</{tag}></{name}>".encode()


def max_drawing_id(xml: str) -> int:
    """The largest drawing object id (``wp:docPr``/``pic:cNvPr``) in a part, 0 when none."""
    return max((int(m) for m in _DRAWING_ID.findall(xml)), default=0)


def inline_picture_run(
    rid: str,
    cx: int,
    cy: int,
    shape_id: int,
    number: int = 1,
    name: str = "image.png",
    in_text: bool = True,
) -> str:
    """The run of an inline picture (``w:drawing/wp:inline``) showing relationship ``rid``.

    ``cx``/``cy`` are EMU; ``shape_id`` must be unique in the document, ``number`` names the
    shape (``Picture 1``). The markup is python-docx's ``new_pic_inline`` as docxtpl's
    ``InlineImage`` places it; with ``in_text`` it closes the text run the placeholder stands in
    and opens a new one after the picture (``</w:t></w:r>…<w:r><w:t xml:space="preserve">``).
    Namespaces are declared on ``wp:inline``, so it needs nothing from the part's root.
    """
    pic_name = quoteattr(name)
    inline = (
        f'<wp:inline xmlns:wp="{WP_NS}" '
        f'xmlns:a="{A_NS}" xmlns:pic="{PIC_NS}" xmlns:r="{R_NS}">'
        f'<wp:extent cx="{cx}" cy="{cy}"/>'
        f'<wp:docPr id="{shape_id}" name="Picture {number}"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic><a:graphicData uri="{PIC_NS}"><pic:pic>'
        f'<pic:nvPicPr><pic:cNvPr id="0" name={pic_name}/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
        "</pic:blipFill>"
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"/></pic:spPr>'
        "</pic:pic></a:graphicData></a:graphic></wp:inline>"
    )
    run = f"<w:r><w:drawing>{inline}</w:drawing></w:r>"
    if not in_text:
        return run
    return f'</w:t></w:r>{run}<w:r><w:t xml:space="preserve">'
