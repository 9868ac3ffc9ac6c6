"""``gongwen batch --verify-pages``: the page rules (P1–P8) on each output of a batch.

Every docx the run made (or found complete from an earlier run) is laid out through one warm
LibreOffice (:class:`gongwen.preview.Converter`, started at the first document and closed when
the run ends) and judged page by page (:func:`gongwen.verify.verify_pages`, kind-aware: letters,
file-format documents, forms, the report and the merged file each by their own rules). The
findings join the result's findings (so the CLI lists them) and its manifest entry
(``"pages": [...]``, one object per finding).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from gongwen.batch.result import BatchResult
from gongwen.findings import Severity, Subject
from gongwen.models.config import CheckConfig

if TYPE_CHECKING:
    from gongwen.batch.manifest import Manifest
    from gongwen.preview.converter import Converter

__all__ = ["PageCheck", "page_errors"]


class PageCheck:
    """Called on each result of a run: with ``enabled``, the page rules on its docx.

    ``close`` stops the converter (if one was started). Raises
    :class:`~gongwen.errors.PreviewError` when LibreOffice is missing or fails.
    """

    def __init__(self, enabled: bool, manifest: Manifest | None, config: CheckConfig) -> None:
        self.enabled = enabled
        self.manifest = manifest
        self.config = config
        self._converter: Converter | None = None

    def __call__(self, result: BatchResult) -> BatchResult:
        path = result.path
        if not self.enabled or not result.ok or path is None or path.suffix != ".docx":
            return result
        from gongwen.verify import verify_pages

        if self._converter is None:
            from gongwen.preview import Converter

            self._converter = Converter()
        data = result.data if result.data is not None else path.read_bytes()
        found = verify_pages(data, self._converter, self.config)
        if self.manifest is not None and result.name in self.manifest.new:
            self.manifest.new[result.name]["pages"] = [f.to_dict() for f in found]
        return replace(result, findings=result.findings + tuple(found))

    def close(self) -> None:
        """Stop the converter started for this run."""
        if self._converter is not None:
            self._converter.close()
            self._converter = None


def page_errors(result: BatchResult) -> list[str]:
    """The page-rule errors of a result, as printed lines (``建议072-答复.docx P1 第2页：…``)."""
    return [
        f"{result.name} {f.code} {f.message}"
        for f in result.findings
        if f.subject is Subject.PAGE and f.severity is Severity.ERROR
    ]
