"""A starter folder for an office: organisation file, a blank ledger, a bodies folder, a guide.

>>> make_starter("2025答复", "东江市临湖区经济和信息化局", code="临经信函")  # doctest: +SKIP

The blank ``台账.xlsx`` has every column of :data:`gongwen.ledger.columns.COLUMNS` (required
ones marked), a frozen header, a comment on each header cell, drop-down lists for the columns
with a fixed vocabulary and date formats for the date columns; ``gongwen check`` accepts it as
it is (no case, no error).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from gongwen.errors import ArgumentError, InvalidOption, OutputError
from gongwen.ledger.columns import COLUMNS, Column
from gongwen.models.config import (
    DISCLOSURE_DOCUMENT,
    DISCLOSURE_PUBLICATION,
    SATISFACTION_SCALE,
    THREE_CLASSES,
)
from gongwen.models.enums import CaseKind, ContactMethod, HandlingRole, Pertinence
from gongwen.output.atomic import atomic_write, os_error

__all__ = [
    "BODIES_DIR",
    "GUIDE_NAME",
    "LEDGER_NAME",
    "ORG_NAME",
    "blank_ledger",
    "make_starter",
    "organisation_yaml",
]

ORG_NAME = "单位.yaml"
LEDGER_NAME = "台账.xlsx"
BODIES_DIR = "答复正文"
GUIDE_NAME = "使用说明.txt"

_CODE = re.compile(r"^[\u4e00-\u9fa5A-Za-z0-9]+$")
_DATE_FORMAT = "yyyy-mm-dd"
_RATINGS = tuple(r.value for r in SATISFACTION_SCALE.words)  # the default rating scale
#: Drop-down lists by column key.
CHOICES: dict[str, tuple[str, ...]] = {
    "kind": tuple(k.value for k in CaseKind),
    "role": tuple(r.value for r in HandlingRole),
    "result_class": THREE_CLASSES.codes,
    "re_class": THREE_CLASSES.codes,
    "disclosure": tuple(dict.fromkeys(DISCLOSURE_PUBLICATION + DISCLOSURE_DOCUMENT)),
    "contact_method": tuple(m.value for m in ContactMethod),
    "re_contact_method": tuple(m.value for m in ContactMethod),
    "attitude": _RATINGS,
    "result": _RATINGS,
    "pertinence": tuple(p.value for p in Pertinence),
    "key": ("是", "否"),
    "consent_publish": ("是", "否"),
}
#: Rows given drop-downs and date formats (an office rarely has more cases in a year).
_ROWS = 2000


def _is_date(c: Column) -> bool:
    return c.key.endswith("_date") or c.key == "extended_to"


def blank_ledger() -> bytes:
    """The blank ledger workbook (.xlsx bytes)."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "台账"
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FCE4D6")
    for i, c in enumerate(COLUMNS, start=1):
        cell = ws.cell(1, i, c.header)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if c.required:
            cell.fill = required_fill
        note = ("必填。" if c.required else "选填。") + (c.help or "")
        if _is_date(c) and "日期" not in (c.help or ""):
            note += "日期，如 2025-03-15"
        if c.key in CHOICES:
            note += f"{'；' if note else ''}可选：{'、'.join(CHOICES[c.key])}"
        comment = Comment(note, "gongwen")
        comment.width, comment.height = 300, 120
        cell.comment = comment
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = 40 if c.key in ("body", "re_body", "title") else 14
        cells = f"{letter}2:{letter}{_ROWS + 1}"
        if c.key in CHOICES:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(CHOICES[c.key]) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=c.header,
                error=f"请从下拉列表中选择：{'、'.join(CHOICES[c.key])}",
            )
            dv.add(cells)
            ws.add_data_validation(dv)
        if _is_date(c):
            for row in range(2, _ROWS + 2):
                ws.cell(row, i).number_format = _DATE_FORMAT
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def organisation_yaml(name: str, code: str) -> str:
    """The organisation file with Chinese comments (fields as ``gongwen schema organisation``)."""
    return f"""# 承办单位信息。字段说明见 `gongwen schema organisation`；# 后面是注释，可以删除。
# 单位全称（答复函落款、工作总结署名）
name: {_quote(name)}
# 发文机关标志（版头红字）；省略时用单位全称
# letterhead: {_quote(name)}
# 自称，如“我局”“我委”
self_name: 我单位
# 答复函机关代字：发文字号为 代字〔2025〕1号
reply_code: {_quote(code)}
# 协办意见单独编号时的机关代字；省略时与答复函同一序列
# opinion_code: {_quote(code + "协")}
# 地址、邮编、联系人、联系电话（答复函附注和征询意见表用）
# address: ""
# postcode: "000000"
# contact_person: ""
# contact_phone: ""
# 默认抄送单位
copy_to: []
# 签发人（文件格式答复函的版头）
# signer: ""
config:
  # 答复类别方案：三类（A/B/C）、四类、甲乙丙
  class_scheme: 三类
"""


def _guide(name: str) -> str:
    return f"""{name} — gongwen 使用说明

本文件夹由 gongwen init 生成：
  {ORG_NAME}        承办单位信息（单位全称、机关代字、联系人等），请先补全
  {LEDGER_NAME}       台账：每件建议或提案一行；表头上的批注说明每列怎么填，带颜色的列必填
  {BODIES_DIR}/        答复正文也可以放在这里：提案008.txt 或 8.txt（台账“答复正文”为空时使用）

常用命令（在本文件夹中运行）：
  gongwen check {LEDGER_NAME} --org {ORG_NAME}
      检查台账，逐行逐格报告问题（行号、列字母、表头）
  gongwen batch {LEDGER_NAME} --org {ORG_NAME} --bodies {BODIES_DIR} --out 输出
      批量生成答复函、征询意见表和办理工作总结，清单见 输出/manifest.json

说明：
  - 日期写 2025-03-15 或 2025年3月15日，也可直接用 Excel 日期。
  - 多位提案人用“、”分隔，第一位为领衔代表或第一提案人。
  - 类型、办理类型、答复类别、公开属性、沟通方式和各项评价可从下拉列表中选择。
"""


def make_starter(
    folder: str | os.PathLike[str], name: str, *, code: str | None = None, force: bool = False
) -> list[Path]:
    """Write the starter files into ``folder`` (created); return the paths written.

    ``name``: the organisation's full name; ``code``: its 机关代字 for replies (default: the
    name's first two characters and 函). Existing files are kept unless ``force``: raises
    :class:`OutputError` naming them.
    """
    if not isinstance(folder, str | os.PathLike):
        raise ArgumentError(
            f"参数 folder 应为文件夹路径，收到 {type(folder).__name__}", argument="folder"
        )
    if not isinstance(name, str) or len(name.strip()) < 2:
        raise InvalidOption(f"单位全称应至少两个字，收到 {name!r}", argument="name")
    name = name.strip()
    code = (code or (name[:2] + "函")).strip()
    if not _CODE.fullmatch(code):
        raise InvalidOption(f"机关代字只能由汉字、字母和数字组成，收到“{code}”", argument="code")
    root = Path(folder)
    files = {
        root / ORG_NAME: organisation_yaml(name, code).encode("utf-8"),
        root / LEDGER_NAME: blank_ledger(),
        root / GUIDE_NAME: _guide(name).replace("\n", "\r\n").encode("utf-8-sig"),
    }
    there = [p for p in files if p.exists()]
    if there and not force:
        raise OutputError(f"文件已存在，未覆盖：{'、'.join(str(p) for p in there)}", path=there[0])
    try:
        (root / BODIES_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(exc, root / BODIES_DIR) from None
    for path, data in files.items():
        atomic_write(path, data)
    return [*files, root / BODIES_DIR]
