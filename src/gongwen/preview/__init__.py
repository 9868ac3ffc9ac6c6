"""Previews: docx to PDF through LibreOffice (cold, or one warm process), PDF to PNG pages.

>>> with Converter() as c:                     # doctest: +SKIP
...     pdf = c.to_pdf("答复函.docx")
...     pages = pdf_to_png(pdf)
"""

from gongwen.errors import PreviewError
from gongwen.preview.converter import FONTCONFIG_FILE, Converter, PreviewWarning, to_pdf, to_png
from gongwen.preview.raster import pdf_to_png

__all__ = [
    "FONTCONFIG_FILE",
    "Converter",
    "PreviewError",
    "PreviewWarning",
    "pdf_to_png",
    "to_pdf",
    "to_png",
]
