"""Raw ledger tables: header cells and row values from xlsx, csv, json and yaml, streamed."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import yaml

from gongwen.errors import LedgerError
from gongwen.ledger.columns import column_for

__all__ = ["LedgerError", "RawTable", "open_table"]

_HEADER_SCAN_ROWS = 10  # title rows above the header are common in Chinese ledgers


@dataclass
class RawTable:
    """A table: header cells, a row iterator ``(row number, values)``, how rows are counted."""

    headers: list[str | None]
    rows: Iterator[tuple[int, list[Any]]]
    sheet: bool  # True: spreadsheet rows with column letters; False: JSON/YAML records
    encoding: str | None = None
    header_row: int = 1


def _known(cells: list[Any]) -> int:
    return sum(1 for c in cells if isinstance(c, str) and column_for(c) is not None)


def _find_header(rows: Iterator[tuple[int, list[Any]]], path: Path) -> tuple[int, list[Any]]:
    for _ in range(_HEADER_SCAN_ROWS):
        try:
            number, cells = next(rows)
        except StopIteration:
            break
        if _known(cells) >= 2:
            return number, cells
    raise LedgerError(
        f"{path.name}：前{_HEADER_SCAN_ROWS}行中找不到表头（应有“案号”“案由”“届次”等列名）"
    )


def _headers(cells: list[Any]) -> list[str | None]:
    out: list[str | None] = []
    for c in cells:
        if c is None or (isinstance(c, str) and not c.strip()):
            out.append(None)
        else:
            out.append(str(c).strip())
    return out


def _xlsx(path: Path) -> RawTable:
    from gongwen.ledger.xlsx import _Unsupported, first_sheet_rows

    try:
        it = first_sheet_rows(str(path))
    except _Unsupported:
        return _xlsx_openpyxl(path)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, SyntaxError) as exc:
        raise LedgerError(f"无法打开 Excel 文件 {path.name}：{exc}") from None
    number, header = _find_header(it, path)
    return RawTable(_headers(header), it, sheet=True, header_row=number)


def _xlsx_openpyxl(path: Path) -> RawTable:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise LedgerError(f"无法打开 Excel 文件 {path.name}：{exc}") from None
    if not wb.worksheets:
        raise LedgerError(f"{path.name} 中没有工作表")
    ws = wb.worksheets[0]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
                yield i, list(values)
        finally:
            wb.close()

    it = rows()
    number, header = _find_header(it, path)
    return RawTable(_headers(header), it, sheet=True, header_row=number)


def _detect_encoding(path: Path) -> str:
    """utf-8-sig when the whole file decodes as UTF-8 (streamed), else gb18030 (GBK superset)."""
    decoder: codecs.IncrementalDecoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        try:
            while chunk := fh.read(1 << 16):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
    decoder = codecs.getincrementaldecoder("gb18030")()
    with path.open("rb") as fh:
        try:
            while chunk := fh.read(1 << 16):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "gb18030"
        except UnicodeDecodeError:
            raise LedgerError(f"{path.name} 的编码无法识别（应为 UTF-8 或 GBK/GB18030）") from None


def _csv(path: Path) -> RawTable:
    encoding = _detect_encoding(path)
    fh: IO[str] = path.open("r", encoding=encoding, newline="")
    first = fh.readline()
    fh.seek(0)
    delimiter = max((",", "\t", ";"), key=first.count)
    reader = csv.reader(fh, delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        # Spreadsheet row numbers count records (a quoted cell may span several lines).
        try:
            for number, values in enumerate(reader, start=1):
                yield number, list(values)
        finally:
            fh.close()

    it = rows()
    number, header = _find_header(it, path)
    return RawTable(_headers(header), it, sheet=True, encoding=encoding, header_row=number)


def _records(path: Path, data: Any) -> RawTable:
    if isinstance(data, dict):
        for key in ("rows", "ledger", "台账"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise LedgerError(f"{path.name} 应为一组行记录（列表，每项为“列名: 值”）")
    headers: list[str] = []
    seen: set[str] = set()
    for rec in data:
        for k in rec:
            if str(k) not in seen:
                seen.add(str(k))
                headers.append(str(k))

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for i, rec in enumerate(data, start=1):
            by_name = {str(k): v for k, v in rec.items()}
            yield i, [by_name.get(h) for h in headers]

    return RawTable(list(headers), rows(), sheet=False)


def open_table(path: str | os.PathLike[str]) -> RawTable:
    """Open a ledger file by its suffix (.xlsx/.xlsm, .csv/.txt, .json, .yaml/.yml)."""
    p = Path(path)
    if not p.is_file():
        raise LedgerError(f"台账文件不存在：{p}")
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(p)
    if suffix in (".csv", ".txt"):
        return _csv(p)
    if suffix in (".json", ".yaml", ".yml"):
        raw = p.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise LedgerError(f"{p.name} 不是 UTF-8 编码") from None
        try:
            data = json.loads(text) if suffix == ".json" else yaml.safe_load(io.StringIO(text))
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise LedgerError(f"无法解析 {p.name}：{exc}") from None
        return _records(p, data)
    if suffix == ".xls":
        raise LedgerError(f"{p.name}：不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx")
    raise LedgerError(f"{p.name}：不支持的台账格式（支持 .xlsx、.csv、.json、.yaml）")
