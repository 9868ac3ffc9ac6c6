"""The fast .xlsx reader gives the cells openpyxl gives; it falls back to openpyxl when unsure."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from gongwen.ledger.build import column_letter
from gongwen.ledger.read import open_table
from gongwen.ledger.xlsx import _Unsupported, first_sheet_rows

ROOT = Path(__file__).resolve().parents[2]


def _openpyxl_rows(path: Path) -> list[tuple[int, list[Any]]]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out = []
    for i, values in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
        cells = list(values)
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            out.append((i, cells))
    wb.close()
    return out


def test_same_cells_as_openpyxl(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["台账标题"])
    ws.append([])
    ws.append(["案号", "案由", "交办日期", "数", "布尔", None, "时间"])
    ws.append(
        [8, "第一行\r\n第二行 _x000D_ 尾", datetime(2024, 3, 15), 1.5, True, None, time(10, 30)]
    )
    ws["C4"].number_format = 'yyyy"年"m"月"d"日"'
    ws.append([None, None, date(2024, 1, 2), "=1+1", False])
    ws["K5"] = "远处的格"
    ws.append(["  前后空格  ", 3.0, 45000, 1e20])
    ws["C6"].number_format = "m/d/yyyy"
    path = tmp_path / "t.xlsx"
    wb.save(path)
    assert list(first_sheet_rows(str(path))) == _openpyxl_rows(path)


def test_example_ledger_reads_the_same() -> None:
    path = ROOT / "examples" / "ledger2024.xlsx"
    assert list(first_sheet_rows(str(path))) == _openpyxl_rows(path)


def test_time_spans_fall_back_to_openpyxl(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["案号", "案由", "届次"])
    ws.append([1, "关于某事的提案", 1.25])
    ws["C2"].number_format = "[h]:mm:ss"
    path = tmp_path / "span.xlsx"
    wb.save(path)
    with pytest.raises(_Unsupported):
        first_sheet_rows(str(path))
    table = open_table(path)  # read by openpyxl instead
    assert table.headers == ["案号", "案由", "届次"]
    assert [values[:2] for _, values in table.rows] == [[1, "关于某事的提案"]]


def test_column_letters() -> None:
    assert [column_letter(n) for n in (1, 26, 27, 52, 53, 702, 703)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
    assert all(column_letter(n) == openpyxl.utils.get_column_letter(n) for n in range(1, 2000, 7))
