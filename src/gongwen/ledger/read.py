"""Raw ledger tables: header cells and row values from xlsx, csv, json and yaml, streamed."""

from __future__ import annotations

import codecs
import csv
import os
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from xml.etree.ElementTree import ParseError

from gongwen.errors import LedgerError
from gongwen.ledger.columns import column_for
from gongwen.ledger.files import MAX_FILE_BYTES, parse_data
from gongwen.ledger.xlsx import MAX_CELL_CHARS

if TYPE_CHECKING:
    from gongwen.findings import Finding
    from gongwen.ledger.build import RowBuilder

__all__ = ["MAX_CELL_CHARS", "LedgerError", "MarkedRow", "RawTable", "open_table", "read_problems"]

_HEADER_SCAN_ROWS = 10  # title rows above the header are common in Chinese ledgers


class MarkedRow(list[Any]):
    """Row values with what reading found wrong: a row-level message, or cells that read as
    empty for a reason (a merged cell, a formula without its value, a cell too long)."""

    def __init__(
        self, values: list[Any], *, error: str | None = None, cells: dict[int, str] | None = None
    ) -> None:
        super().__init__(values)
        self.error = error
        self.cells = dict(cells or {})


def read_problems(builder: RowBuilder, row: int, values: list[Any]) -> list[Finding]:
    """The errors found while reading a row (see :class:`MarkedRow`), in the builder's words.

    Cells of columns the ledger does not use are ignored; a blank row has none.
    """
    if not isinstance(values, MarkedRow):
        return []
    out = []
    if values.error is not None:
        out.append(builder.problem(row, None, values.error))
    if values.cells and any(v is not None and v != "" for v in values):
        keys = {i: k for k, i in builder.index.items()}
        for i, message in sorted(values.cells.items()):
            if i in keys:
                out.append(builder.problem(row, keys[i], message))
    return out


@dataclass
class RawTable:
    """A table: header cells, a row iterator ``(row number, values)``, how rows are counted.

    ``warnings``: what the reader noticed about the file (e.g. hidden worksheets not read).
    """

    headers: list[str | None]
    rows: Iterator[tuple[int, list[Any]]]
    sheet: bool  # True: spreadsheet rows with column letters; False: JSON/YAML records
    encoding: str | None = None
    header_row: int = 1
    warnings: list[str] = field(default_factory=list)
    sheet_name: str | None = None


def _known(cells: list[Any]) -> int:
    return sum(1 for c in cells if isinstance(c, str) and column_for(c) is not None)


def _find_header(
    rows: Iterator[tuple[int, list[Any]]], path: Path, sheet: str | None = None
) -> tuple[int, list[Any]]:
    for _ in range(_HEADER_SCAN_ROWS):
        try:
            number, cells = next(rows)
        except StopIteration:
            break
        if _known(cells) >= 2:
            return number, cells
    where = f"{path.name} 的工作表“{sheet}”" if sheet else path.name
    raise LedgerError(
        f"{where}：前{_HEADER_SCAN_ROWS}行中找不到表头（应有“案号”“案由”“届次”等列名）",
        path=path,
    )


def _headers(cells: list[Any]) -> list[str | None]:
    out: list[str | None] = []
    for c in cells:
        if c is None or (isinstance(c, str) and not c.strip()):
            out.append(None)
        else:
            out.append(str(c).strip())
    return out


def _xlsx_broken(path: Path, exc: BaseException) -> LedgerError:
    if isinstance(exc, SyntaxError | ParseError):
        why = "其中的 XML 部件已损坏，无法解析"
    elif isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError):
        why = "文件已损坏或不完整（不是完整的 xlsx 压缩包）"
    elif isinstance(exc, KeyError):
        why = "缺少必需的部件（不是完整的 Excel 工作簿）"
    elif isinstance(exc, OSError):
        why = exc.strerror or "读取出错"
    else:
        why = str(exc) or "内容无法识别"
    return LedgerError(f"无法打开 Excel 文件 {path.name}：{why}", path=path)


def _hidden_warning(path: Path, hidden: list[str], read: str) -> list[str]:
    if not hidden:
        return []
    return [
        f"{path.name} 中有隐藏的工作表 {'、'.join(f'“{n}”' for n in hidden)}，未读取"
        f"（读取的是工作表“{read}”）"
    ]


def _xlsx(path: Path, sheet: str | None = None) -> RawTable:
    from gongwen.ledger.xlsx import _Unsupported, is_ole, ole_kind, open_sheet

    if is_ole(str(path)):
        raise LedgerError(
            f"{path.name} 是{ole_kind(str(path))}，不是普通的 .xlsx："
            "请在 Excel 中打开，去掉打开密码后另存为 .xlsx 工作簿",
            path=path,
        )
    try:
        ws = open_sheet(str(path), sheet)
    except _Unsupported:
        return _xlsx_openpyxl(path, sheet)
    except LedgerError:
        raise
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, SyntaxError, zlib.error) as exc:
        raise _xlsx_broken(path, exc) from None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, values, holes in ws.rows():
                yield number, (MarkedRow(values, cells=holes) if holes else values)
        except (ParseError, zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
            raise _xlsx_broken(path, exc) from None

    it = rows()
    try:
        number, header = _find_header(it, path, ws.name)
    except LedgerError as exc:  # perhaps another sheet was meant: do not guess
        if not ws.others:
            raise
        others = "、".join(f"“{n}”" for n in ws.others)
        raise LedgerError(
            f"{exc}；工作簿中还有工作表 {others}，请指定工作表名", path=path
        ) from None
    return RawTable(
        _headers(header),
        it,
        sheet=True,
        header_row=number,
        warnings=_hidden_warning(path, ws.hidden, ws.name),
        sheet_name=ws.name,
    )


def _xlsx_openpyxl(path: Path, sheet: str | None = None) -> RawTable:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    from gongwen.ledger.xlsx import _choose

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise _xlsx_broken(path, exc) from None
    if not wb.worksheets:
        raise LedgerError(f"{path.name} 中没有工作表", path=path)
    listed = [(ws.title, ws.sheet_state, "") for ws in wb.worksheets]
    try:
        active = wb.worksheets.index(wb.active)
    except (ValueError, IndexError, AttributeError):
        active = 0
    try:
        index, hidden = _choose(listed, active, sheet, path.name)
    except LedgerError:
        wb.close()
        raise
    ws = wb.worksheets[index]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
                yield i, list(values)
        except (ParseError, zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
            raise _xlsx_broken(path, exc) from None
        finally:
            wb.close()

    it = rows()
    number, header = _find_header(it, path, ws.title)
    return RawTable(
        _headers(header),
        it,
        sheet=True,
        header_row=number,
        warnings=_hidden_warning(path, hidden, ws.title),
        sheet_name=ws.title,
    )


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
    csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(fh, delimiter=delimiter, strict=True)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        # Spreadsheet row numbers count records (a quoted cell may span several lines).
        number = 0
        try:
            while True:
                number += 1
                start = reader.line_num + 1
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield number, MarkedRow(["?"], error=_csv_problem(str(exc), start))
                    continue
                yield number, list(values)
        finally:
            fh.close()

    it = rows()
    number, header = _find_header(it, path)
    return RawTable(_headers(header), it, sheet=True, encoding=encoding, header_row=number)


def _csv_problem(reason: str, line: int) -> str:
    """A Chinese message for the csv module's error on the record starting at ``line``."""
    if "unexpected end of data" in reason:
        what = "引号没有闭合（文件可能被截断），这一行及其后的内容无法可靠读取"
    elif "field larger than field limit" in reason:
        what = f"某格内容超过每格 {MAX_CELL_CHARS} 字的上限"
    elif "expected after" in reason:
        what = '引号用法有误（带引号的格中，引号应写成两个 ""）'
    elif "NUL" in reason:
        what = "含有空字符（文件可能已损坏，或不是文本文件）"
    else:
        what = f"格式有误（{reason}）"
    return f"CSV 从文件第{line}行起{what}"


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
            values = [by_name.get(h) for h in headers]
            long = {
                j: f"内容过长：{len(v)} 字，超过每格 {MAX_CELL_CHARS} 字的上限"
                for j, v in enumerate(values)
                if isinstance(v, str) and len(v) > MAX_CELL_CHARS
            }
            for j in long:
                values[j] = None
            yield i, (MarkedRow(values, cells=long) if long else values)

    return RawTable(list(headers), rows(), sheet=False)


def open_table(path: str | os.PathLike[str], *, sheet: str | None = None) -> RawTable:
    """Open a ledger file by its suffix (.xlsx/.xlsm, .csv/.txt, .json, .yaml/.yml).

    ``sheet``: the worksheet of an .xlsx (default: the active one; hidden sheets are named in
    ``warnings``). Raises :class:`LedgerError` (Chinese, naming the file) for anything unusable.
    """
    if not isinstance(path, str | os.PathLike):
        from gongwen.errors import ArgumentError

        raise ArgumentError(
            f"参数 path 应为台账文件路径（str 或 Path），收到 {type(path).__name__}",
            argument="path",
        )
    p = Path(path)
    if not p.is_file():
        raise LedgerError(f"台账文件不存在：{p}", path=p)
    suffix = p.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx(p, sheet)
        if suffix in (".csv", ".txt"):
            return _csv(p)
        if suffix in (".json", ".yaml", ".yml"):
            if p.stat().st_size > MAX_FILE_BYTES:
                raise LedgerError(
                    f"{p.name} 过大（上限 {MAX_FILE_BYTES // (1024 * 1024)} MB），"
                    "请改用 .xlsx 或 .csv",
                    path=p,
                )
            raw = p.read_bytes()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise LedgerError(f"{p.name} 不是 UTF-8 编码", path=p) from None
            try:
                data = parse_data(text, p.name, json_format=suffix == ".json")
            except ValueError as exc:
                raise LedgerError(f"无法解析 {p.name}：{exc}", path=p) from None
            return _records(p, data)
    except OSError as exc:
        raise LedgerError(f"无法读取台账 {p}：{exc.strerror or '读取出错'}", path=p) from None
    if suffix == ".xls":
        raise LedgerError(f"{p.name}：不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx", path=p)
    raise LedgerError(f"{p.name}：不支持的台账格式（支持 .xlsx、.csv、.json、.yaml）", path=p)
