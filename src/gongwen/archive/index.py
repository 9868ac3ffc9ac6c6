"""``index.xlsx``: one row per case of the whole archive (the latest version of each)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["INDEX_COLUMNS", "IndexRow", "index_xlsx"]

#: The header of index.xlsx, with each column's width in characters.
INDEX_COLUMNS: tuple[tuple[str, int], ...] = (
    ("案号", 10),
    ("届次", 22),
    ("案由", 44),
    ("领衔人", 12),
    ("类别", 6),
    ("文号", 22),
    ("日期", 14),
    ("文件数", 8),
    ("版本", 6),
    ("文件夹", 50),
)


@dataclass(frozen=True)
class IndexRow:
    """One case in the index: the latest version's summary and where it is (relative path)."""

    label: str
    session: str
    title: str
    lead: str
    result_class: str
    doc_number: str
    date: str
    files: int
    version: int
    folder: str

    def cells(self) -> list[str | int]:
        """The row's values in :data:`INDEX_COLUMNS` order."""
        return [
            self.label,
            self.session,
            self.title,
            self.lead,
            self.result_class,
            self.doc_number,
            self.date,
            self.files,
            self.version,
            self.folder,
        ]


def index_xlsx(rows: Iterable[IndexRow]) -> bytes:
    """The workbook as bytes: a bold header, frozen, filterable; each folder a relative link."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "档案目录"
    ws.append([name for name, _ in INDEX_COLUMNS])
    for i, (_, width) in enumerate(INDEX_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        ws.cell(row=1, column=i).font = Font(bold=True)
    count = 0
    for count, row in enumerate(rows, start=1):
        ws.append(row.cells())
        link = ws.cell(row=count + 1, column=len(INDEX_COLUMNS))
        link.hyperlink = row.folder
        link.font = Font(color="0563C1", underline="single")
        ws.cell(row=count + 1, column=3).alignment = Alignment(wrap_text=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(INDEX_COLUMNS))}{count + 1}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
