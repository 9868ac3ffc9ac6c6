"""The OOXML layer: the only code that knows WordprocessingML namespaces and package structure.

- this module: namespace URIs, the prefix map, :func:`qn` (``qn("w:p")`` → Clark name) and the
  relationship and content types gongwen reads or writes;
- :mod:`gongwen.ooxml.package`: a docx as parts, relationships and content types;
- :mod:`gongwen.ooxml.text`: walking WordprocessingML elements (blocks, runs, text, fields) and
  unit conversions;
- :mod:`gongwen.ooxml.properties`: effective run and paragraph properties (styles resolved),
  sections and their header/footer parts;
- :mod:`gongwen.ooxml.markup`: WordprocessingML as text — the patterns the renderer applies to
  template parts (which hold Jinja tags and are not yet XML) and the inline-picture run.

Everything above (templates builder, verify, merge, render) imports names from here instead of
declaring namespaces of its own.
"""

from __future__ import annotations

__all__ = [
    "A_NS",
    "CT_NS",
    "CT_PNG",
    "CT_RELATIONSHIPS",
    "MC_NS",
    "NSMAP",
    "PIC_NS",
    "PKG_REL_NS",
    "RT_FOOTER",
    "RT_HEADER",
    "RT_HYPERLINK",
    "RT_IMAGE",
    "RT_OFFICE_DOCUMENT",
    "RT_SETTINGS",
    "RT_STYLES",
    "RT_THEME",
    "R_NS",
    "SML_NS",
    "WPS_NS",
    "WP_NS",
    "W_NS",
    "qn",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
#: SpreadsheetML (xlsx ledgers): the package layer above serves xlsx packages as well.
SML_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

#: The prefixes used in gongwen's templates and readers.
NSMAP: dict[str, str] = {
    "w": W_NS,
    "r": R_NS,
    "wp": WP_NS,
    "a": A_NS,
    "pic": PIC_NS,
    "wps": WPS_NS,
    "mc": MC_NS,
}

# Relationship types (transitional). Readers match on the last path segment, which strict
# OOXML (purl.oclc.org) shares.
RT_OFFICE_DOCUMENT = f"{R_NS}/officeDocument"
RT_STYLES = f"{R_NS}/styles"
RT_SETTINGS = f"{R_NS}/settings"
RT_THEME = f"{R_NS}/theme"
RT_HEADER = f"{R_NS}/header"
RT_FOOTER = f"{R_NS}/footer"
RT_IMAGE = f"{R_NS}/image"
RT_HYPERLINK = f"{R_NS}/hyperlink"

CT_RELATIONSHIPS = "application/vnd.openxmlformats-package.relationships+xml"
CT_PNG = "image/png"


def qn(name: str) -> str:
    """Clark name of a prefixed name: ``qn("w:p")`` → ``{http://…/main}p``.

    A name without a prefix is taken as ``w:``.
    """
    prefix, _, local = name.rpartition(":")
    return f"{{{NSMAP[prefix or 'w']}}}{local}"
