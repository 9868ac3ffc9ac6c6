"""The script a user would write instead of gongwen: openpyxl reads the ledger, docxtpl renders.

    python benchmarks/user_script.py LEDGER.xlsx OUT_DIR

One reply letter per row: the context is built from the row's cells in the obvious way, and
``DocxTemplate("templates/docx/reply_letter.docx").render(ctx)`` + ``save`` writes each file.
benchmarks/run.py runs it as a whole process against ``gongwen batch`` on the same ledger.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
from docxtpl import DocxTemplate

TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "docx" / "reply_letter.docx"
ORG = "东江市临湖区经济和信息化局"


def _date(value: object) -> str:
    if isinstance(value, datetime | date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value or "")


def main() -> None:
    ledger, out = sys.argv[1], Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    sheet = openpyxl.load_workbook(ledger, read_only=True).active
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    for i, values in enumerate(rows, start=1):
        r = dict(zip(header, values, strict=False))
        if not r.get("案号") or not r.get("答复正文"):
            continue
        ctx = {
            "org_mark": ORG,
            "mark_left": r["发文字号"],
            "mark_right": f"{r['答复类别'] or ''}　{r['公开属性'] or ''}",
            "title": f"对{r['届次']}第{r['案号']}号提案的答复",
            "salutation": f"{r['提案人']}：",
            "body": [{"kind": "p", "text": p} for p in str(r["答复正文"]).split("\n\n")],
            "closing": "",
            "sign_org": ORG,
            "date": _date(r["答复日期"]),
            "note": "",
            "copy_to": "",
        }
        tpl = DocxTemplate(str(TEMPLATE))
        tpl.render(ctx)
        tpl.save(out / f"{i:05d}-{r['案号']}-答复.docx")


if __name__ == "__main__":
    main()
