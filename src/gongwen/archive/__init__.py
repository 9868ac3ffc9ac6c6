"""一件一档: the archive of each case — its record, every document, a manifest — and an index.

``gongwen archive LEDGER --org ORG --out DIR`` and the workbench's export both write it; the
layout is in :mod:`gongwen.archive.layout`, the rules of a re-run in :mod:`gongwen.archive.write`.
"""

from gongwen.archive.index import INDEX_COLUMNS, IndexRow, index_xlsx
from gongwen.archive.layout import INDEX_NAME, MANIFEST_NAME, case_folder_name, scan
from gongwen.archive.write import (
    ArchiveItem,
    ArchiveOptions,
    ArchiveResult,
    CaseOutcome,
    Status,
    archive_input,
    export_archive,
    write_archive,
)

__all__ = [
    "INDEX_COLUMNS",
    "INDEX_NAME",
    "MANIFEST_NAME",
    "ArchiveItem",
    "ArchiveOptions",
    "ArchiveResult",
    "CaseOutcome",
    "IndexRow",
    "Status",
    "archive_input",
    "case_folder_name",
    "export_archive",
    "index_xlsx",
    "scan",
    "write_archive",
]
