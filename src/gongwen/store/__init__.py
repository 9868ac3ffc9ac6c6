"""The workbench's storage (SQLite): records with every revision, and the documents made from them.

>>> with Store(Path("data/gongwen.sqlite3")) as store:        # doctest: +SKIP
...     ids = store.import_year(year, org, author="张三", source="台账.xlsx")
...     case = store.case(ids[0])
...     store.save_case(case.id, edited, base_revision=case.revision, author="张三")
"""

from gongwen.store.changes import Change, diff
from gongwen.store.db import (
    SCHEMA_VERSION,
    Revision,
    Store,
    StoredCase,
    StoredDocument,
    StoredReport,
    Workspace,
    format_moment,
)

__all__ = [
    "SCHEMA_VERSION",
    "Change",
    "Revision",
    "Store",
    "StoredCase",
    "StoredDocument",
    "StoredReport",
    "Workspace",
    "diff",
    "format_moment",
]
