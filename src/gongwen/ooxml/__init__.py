"""The OOXML layer: the only code that knows WordprocessingML namespaces and package structure.

- this module: namespace URIs, the prefix map and :func:`qn` (``qn("w:p")`` → Clark name);
- :mod:`gongwen.ooxml.package`: a docx as parts, relationships and content types;
- :mod:`gongwen.ooxml.properties`: effective run and paragraph properties (styles resolved).

Everything above (templates builder, verify, merge, render) imports names from here instead of
declaring namespaces of its own.
"""

from __future__ import annotations

__all__ = [
    "A_NS",
    "CT_NS",
    "MC_NS",
    "NSMAP",
    "PKG_REL_NS",
    "R_NS",
    "WPS_NS",
    "WP_NS",
    "W_NS",
    "qn",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

#: The prefixes used in gongwen's templates and readers.
NSMAP: dict[str, str] = {
    "w": W_NS,
    "r": R_NS,
    "wp": WP_NS,
    "a": A_NS,
    "wps": WPS_NS,
    "mc": MC_NS,
}


def qn(name: str) -> str:
    """Clark name of a prefixed name: ``qn("w:p")`` → ``{http://…/main}p``.

    A name without a prefix is taken as ``w:``.
    """
    prefix, _, local = name.rpartition(":")
    return f"{{{NSMAP[prefix or 'w']}}}{local}"
