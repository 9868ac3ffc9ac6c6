"""docs/integration.md lists the ledger's columns as :func:`columns_markdown` makes them: the
table in the document is the generated one, so adding or renaming a column shows up here."""

from __future__ import annotations

from gongwen.ledger.columns import columns_markdown
from tests.conftest import ROOT

DOC = ROOT / "docs" / "integration.md"
HEADER = "| 列名 | 别名 | 必填 | 说明 |"


def _table(text: str) -> str:
    """The Markdown table that starts with the column table's header row."""
    lines = text.splitlines()
    start = lines.index(HEADER)
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return "\n".join(lines[start:end])


def test_integration_doc_has_the_generated_column_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert text.count(HEADER) == 1
    assert _table(text) == columns_markdown(), (
        "docs/integration.md 的台账列表与 gongwen.ledger.columns.columns_markdown() 不一致；"
        "请重新生成并贴入"
    )


def test_the_table_reader_sees_a_changed_row() -> None:
    text = DOC.read_text(encoding="utf-8")
    changed = text.replace("| 案号 | ", "| 案号（改） | ", 1)
    assert changed != text and _table(changed) != columns_markdown()
