"""The workbench's storage: one SQLite file with every case's record, its revisions and documents.

``Store(path)`` opens (or creates) the database. Records are kept as the models' JSON
(``model_dump(mode="json")``) and validated again when read, so a record read back is a real
:class:`~gongwen.models.CaseRecord`. Every save is a new revision; an edit based on a revision
that is no longer current is refused with :class:`~gongwen.errors.StaleRevision` — the check and
the write are one SQL statement inside an ``IMMEDIATE`` transaction, so two writers (threads or
processes) can never both succeed on the same base revision.

The store is safe to share between threads: each thread gets its own connection (WAL mode lets
readers run while one writer writes).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from pydantic import ValidationError

from gongwen.errors import (
    ArgumentError,
    CaseNotFound,
    InvalidOption,
    NoWorkspace,
    StaleRevision,
    StoreError,
    WorkspaceExists,
    format_validation_error,
)
from gongwen.models import CaseRecord, HandlingYear, Organisation
from gongwen.models.year import case_key, describe_key
from gongwen.store.changes import Change, diff

_T = TypeVar("_T")

__all__ = [
    "SCHEMA_VERSION",
    "Revision",
    "Store",
    "StoredCase",
    "StoredDocument",
    "StoredReport",
    "Workspace",
    "format_moment",
]

#: The database layout this code writes (``PRAGMA user_version``). Older files are upgraded on
#: open; a file from a newer gongwen is refused rather than damaged.
SCHEMA_VERSION = 1

_SCHEMA_1 = """
CREATE TABLE workspace (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    year INTEGER NOT NULL,
    organisation TEXT NOT NULL,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    organisation_updated_at TEXT NOT NULL,
    organisation_updated_by TEXT NOT NULL
);
CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    position INTEGER NOT NULL,
    case_key TEXT NOT NULL,
    record TEXT NOT NULL,
    revision INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    removed_at TEXT
);
CREATE UNIQUE INDEX cases_current_key ON cases (case_key) WHERE removed_at IS NULL;
CREATE TABLE revisions (
    case_id INTEGER NOT NULL REFERENCES cases (id),
    number INTEGER NOT NULL,
    at TEXT NOT NULL,
    author TEXT NOT NULL,
    note TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (case_id, number)
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    revision INTEGER NOT NULL,
    kind TEXT NOT NULL,
    filename TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    data BLOB NOT NULL,
    FOREIGN KEY (case_id, revision) REFERENCES revisions (case_id, number)
);
CREATE INDEX documents_case ON documents (case_id, revision);
CREATE TABLE report (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    narrative TEXT,
    report_date TEXT,
    revision INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE TABLE report_revisions (
    number INTEGER PRIMARY KEY,
    narrative TEXT,
    report_date TEXT,
    at TEXT NOT NULL,
    author TEXT NOT NULL
);
"""

#: ``_MIGRATIONS[n]`` takes a database from version ``n`` to ``n + 1``.
_MIGRATIONS: tuple[str, ...] = (_SCHEMA_1,)
assert len(_MIGRATIONS) == SCHEMA_VERSION

_BUSY_TIMEOUT_MS = 30_000
_date = date  # save_report's parameter ``date`` hides the type


def format_moment(at: datetime) -> str:
    """A moment as office staff write it, in local time: ``2026年12月2日 10:31``."""
    local = at.astimezone()
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


@dataclass(frozen=True)
class Workspace:
    """What was imported: the year, the organisation, where it came from and when."""

    year: int
    organisation: Organisation
    source: str
    imported_at: datetime
    imported_by: str
    organisation_updated_at: datetime
    organisation_updated_by: str


@dataclass(frozen=True)
class StoredCase:
    """A case as stored: its id, current record and revision, and who saved that revision.

    ``removed`` is True for a case that a later import (``replace=True``) no longer contained;
    its record and revisions are kept, but it is not among :meth:`Store.cases`.
    """

    id: int
    record: CaseRecord
    revision: int
    updated_at: datetime
    updated_by: str
    removed: bool = False

    @property
    def label(self) -> str:
        """The case's short label, e.g. ``提案008``."""
        return self.record.case.label


@dataclass(frozen=True)
class Revision:
    """One saved revision of a case and what it changed against the one before.

    The first revision (the import) lists no changes.
    """

    number: int
    at: datetime
    author: str
    note: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class StoredDocument:
    """A document generated from one revision of a case (its bytes: ``document_bytes``)."""

    id: int
    case_id: int
    revision: int
    kind: str
    filename: str
    sha256: str
    size: int
    created_at: datetime


@dataclass(frozen=True)
class StoredReport:
    """The annual report's own inputs: the narrative and the report date (revision 0: never set)."""

    narrative: str | None
    date: date | None
    revision: int
    updated_at: datetime | None
    updated_by: str | None


@lru_cache(maxsize=4096)
def _parse_record(text: str) -> CaseRecord:
    """A stored record, validated (models are frozen, so one text gives one shared object)."""
    return CaseRecord.model_validate_json(text)


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="microseconds")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _dump(model: CaseRecord | Organisation) -> str:
    return json.dumps(model.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)


def _key_text(record: CaseRecord) -> str:
    return json.dumps(case_key(record), ensure_ascii=False)


def _text_arg(value: object, name: str, what: str, *, empty: bool = False) -> str:
    if not isinstance(value, str):
        raise ArgumentError(f"{what}应为文本，而不是{type(value).__name__}", argument=name)
    if not empty and not value.strip():
        raise InvalidOption(f"{what}不能为空", argument=name)
    return value.strip()


def _int_arg(value: object, name: str, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentError(f"{what}应为整数，而不是{type(value).__name__}", argument=name)
    return value


def _record_arg(value: object) -> CaseRecord:
    if not isinstance(value, CaseRecord):
        raise ArgumentError(
            f"案件记录应为 CaseRecord，而不是{type(value).__name__}", argument="record"
        )
    return value


def _org_arg(value: object) -> Organisation:
    if not isinstance(value, Organisation):
        raise ArgumentError(
            f"承办单位应为 Organisation，而不是{type(value).__name__}", argument="organisation"
        )
    return value


def _db_error(exc: sqlite3.Error, path: Path) -> StoreError:
    text = str(exc)
    if isinstance(exc, sqlite3.OperationalError) and "locked" in text:
        reason = "数据库正被其他程序长时间占用，请稍后再试"
    elif "readonly" in text or "read-only" in text:
        reason = "数据库所在位置只读"
    elif "disk is full" in text or "full" in text:
        reason = "磁盘空间不足"
    elif "not a database" in text or "malformed" in text:
        reason = "文件不是 gongwen 的数据库，或已损坏"
    elif "unable to open" in text:
        reason = "无法打开数据库文件（文件夹不存在或没有权限）"
    else:
        reason = f"数据库错误（{text}）"
    return StoreError(f"数据库 {path} 无法使用：{reason}", path=path)


class Store:
    """The workbench's database at ``path`` (created, with its folder, when missing).

    Use as a context manager or call :meth:`close`. ``clock`` returns the current time (an
    aware ``datetime``; UTC by default) — tests pass their own.
    """

    def __init__(self, path: str | Path, *, clock: Callable[[], datetime] | None = None) -> None:
        self.path = Path(path)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"无法创建数据库所在的文件夹 {self.path.parent}：{exc.strerror or exc}",
                path=self.path,
            ) from None
        self._migrate()

    # ------------------------------------------------------------------ connections

    def _connect(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError(f"数据库 {self.path} 已关闭", path=self.path)
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=_BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # we issue BEGIN/COMMIT ourselves
                check_same_thread=False,  # close() may run on another thread
            )
            conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                conn.close()
                raise StoreError(
                    f"数据库 {self.path} 无法使用：所在文件系统不支持 SQLite 的 WAL 模式",
                    path=self.path,
                )
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise _db_error(exc, self.path) from None
        with self._lock:
            self._connections.append(conn)
        self._local.conn = conn
        return conn

    @contextmanager
    def _tx(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        """One transaction: ``write`` takes the write lock at once (``BEGIN IMMEDIATE``)."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.Error as exc:
            raise _db_error(exc, self.path) from None
        try:
            yield conn
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise _db_error(exc, self.path) from None
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise _db_error(exc, self.path) from None

    def _migrate(self) -> None:
        with self._tx(write=True) as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"数据库 {self.path} 由较新版本的 gongwen 创建（结构版本 {version}），"
                    f"本版本只支持到 {SCHEMA_VERSION}；请升级 gongwen 后再打开",
                    path=self.path,
                )
            if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise StoreError(
                    f"数据库 {self.path} 无法使用：文件不是 gongwen 的数据库", path=self.path
                )
            for step in range(version, SCHEMA_VERSION):
                for statement in _MIGRATIONS[step].split(";"):
                    if statement.strip():
                        conn.execute(statement)
            if version != SCHEMA_VERSION:
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @property
    def schema_version(self) -> int:
        """The database's ``PRAGMA user_version``."""
        with self._tx(write=False) as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        """Close every connection (of every thread). Further use raises :class:`StoreError`."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ reading rows

    def _record(self, text: str, where: str) -> CaseRecord:
        return self._parsed(_parse_record, text, f"{where}的记录")

    def _organisation(self, text: str) -> Organisation:
        return self._parsed(Organisation.model_validate_json, text, "的承办单位")

    def _parsed(self, parse: Callable[[str], _T], text: str, what: str) -> _T:
        """``parse(text)``; a stored value the current models refuse is a :class:`StoreError`
        naming ``what`` it is (``第 3 号案件的记录``)."""
        try:
            return parse(text)
        except ValidationError as exc:
            raise StoreError(
                f"数据库 {self.path} 中{what}不符合当前版本的数据格式：\n"
                + format_validation_error(exc),
                path=self.path,
            ) from None

    def _stored(self, row: sqlite3.Row | tuple[Any, ...]) -> StoredCase:
        case_id, record, revision, updated_at, updated_by, removed_at = row
        return StoredCase(
            id=case_id,
            record=self._record(record, f"第 {case_id} 号案件"),
            revision=revision,
            updated_at=_moment(updated_at),
            updated_by=updated_by,
            removed=removed_at is not None,
        )

    _CASE_COLUMNS = "id, record, revision, updated_at, updated_by, removed_at"

    def _case_row(self, conn: sqlite3.Connection, case_id: int) -> tuple[Any, ...]:
        row = conn.execute(
            f"SELECT {self._CASE_COLUMNS} FROM cases WHERE id = ?", (case_id,)
        ).fetchone()
        if row is None:
            raise CaseNotFound(f"没有编号为 {case_id} 的案件", id=case_id)
        return tuple(row)

    # ------------------------------------------------------------------ workspace

    def workspace(self) -> Workspace | None:
        """What was imported, or None when the store is empty."""
        with self._tx(write=False) as conn:
            row = conn.execute(
                "SELECT year, organisation, source, imported_at, imported_by,"
                " organisation_updated_at, organisation_updated_by FROM workspace"
            ).fetchone()
        if row is None:
            return None
        return Workspace(
            year=row[0],
            organisation=self._organisation(row[1]),
            source=row[2],
            imported_at=_moment(row[3]),
            imported_by=row[4],
            organisation_updated_at=_moment(row[5]),
            organisation_updated_by=row[6],
        )

    def _require_workspace(self, conn: sqlite3.Connection) -> tuple[int, str]:
        row = conn.execute("SELECT year, organisation FROM workspace").fetchone()
        if row is None:
            raise NoWorkspace("尚未导入台账或年度文件", path=self.path)
        return int(row[0]), str(row[1])

    def import_year(
        self,
        year: HandlingYear,
        organisation: Organisation,
        *,
        author: str,
        source: str,
        replace: bool = False,
    ) -> list[int]:
        """Import a year's cases; returns their ids in the year's order.

        Into an empty store every case gets revision 1. A store that already holds cases is
        refused (:class:`~gongwen.errors.WorkspaceExists`) unless ``replace``: then a case with
        the same 类型/届次/案号 as a stored one becomes that case's next revision (its history,
        documents and id are kept; an unchanged record adds no revision), new cases are added,
        and stored cases the import no longer contains are marked removed — kept with their
        revisions, no longer listed by :meth:`cases`; a removed case that a later import brings
        back gets its id and history back.
        """
        if not isinstance(year, HandlingYear):
            raise ArgumentError(
                f"年度数据应为 HandlingYear，而不是{type(year).__name__}", argument="year"
            )
        organisation = _org_arg(organisation)
        author = _text_arg(author, "author", "修改人")
        source = _text_arg(source, "source", "来源", empty=True)
        now = _iso(self._clock())
        org_text = _dump(organisation)
        ids: list[int] = []
        with self._tx(write=True) as conn:
            existing: dict[str, tuple[int, int, str]] = {}
            removed: set[int] = set()
            # current cases win; else the case removed last (so a case that comes back keeps
            # its id and history)
            for case_id, key, revision, record, removed_at in conn.execute(
                "SELECT id, case_key, revision, record, removed_at FROM cases"
                " ORDER BY removed_at IS NULL, removed_at, id"
            ):
                existing[key] = (case_id, revision, record)
                if removed_at is not None:
                    removed.add(case_id)
                else:
                    removed.discard(case_id)
            current = len({v[0] for v in existing.values()} - removed)
            if current and not replace:
                ws = conn.execute("SELECT year, source FROM workspace").fetchone()
                where = f"（{ws[0]}年度，来自 {ws[1]}）" if ws and ws[1] else ""
                raise WorkspaceExists(
                    f"工作区已有 {current} 件案件{where}；重新导入会以新数据替换它们"
                    "（每件的历史版本保留），请确认后选择“替换”",
                    path=self.path,
                )
            conn.execute("DELETE FROM workspace")
            conn.execute(
                "INSERT INTO workspace VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                (year.year, org_text, source, now, author, now, author),
            )
            note = f"导入 {source}" if source else "导入"
            seen: set[int] = set()
            for position, record in enumerate(year.cases):
                key = _key_text(record)
                text = _dump(record)
                if key in existing:
                    case_id, revision, old = existing[key]
                    seen.add(case_id)
                    conn.execute(
                        "UPDATE cases SET position = ?, removed_at = NULL WHERE id = ?",
                        (position, case_id),
                    )
                    if old != text:
                        self._write_revision(conn, case_id, revision + 1, text, now, author, note)
                else:
                    cur = conn.execute(
                        "INSERT INTO cases (position, case_key, record, revision, updated_at,"
                        " updated_by) VALUES (?, ?, ?, 1, ?, ?)",
                        (position, key, text, now, author),
                    )
                    case_id = int(cur.lastrowid or 0)
                    conn.execute(
                        "INSERT INTO revisions VALUES (?, 1, ?, ?, ?, ?)",
                        (case_id, now, author, note, text),
                    )
                ids.append(case_id)
            for case_id, _revision, _record in existing.values():
                if case_id not in seen and case_id not in removed:
                    conn.execute("UPDATE cases SET removed_at = ? WHERE id = ?", (now, case_id))
        return ids

    def set_organisation(self, organisation: Organisation, *, author: str) -> None:
        """Replace the workspace's organisation (the letterhead, codes, rules)."""
        organisation = _org_arg(organisation)
        author = _text_arg(author, "author", "修改人")
        with self._tx(write=True) as conn:
            self._require_workspace(conn)
            conn.execute(
                "UPDATE workspace SET organisation = ?, organisation_updated_at = ?,"
                " organisation_updated_by = ?",
                (_dump(organisation), _iso(self._clock()), author),
            )

    def organisation(self) -> Organisation:
        """The workspace's organisation (:class:`~gongwen.errors.NoWorkspace` when empty)."""
        with self._tx(write=False) as conn:
            _year, org = self._require_workspace(conn)
        return self._organisation(org)

    # ------------------------------------------------------------------ cases

    def cases(self) -> list[StoredCase]:
        """The current cases in the year's order (cases removed by a re-import are left out)."""
        with self._tx(write=False) as conn:
            rows = conn.execute(
                f"SELECT {self._CASE_COLUMNS} FROM cases WHERE removed_at IS NULL"
                " ORDER BY position, id"
            ).fetchall()
        return [self._stored(row) for row in rows]

    def case(self, case_id: int) -> StoredCase:
        """One case by id (:class:`~gongwen.errors.CaseNotFound` for an unknown id)."""
        case_id = _int_arg(case_id, "id", "案件编号")
        with self._tx(write=False) as conn:
            row = self._case_row(conn, case_id)
        return self._stored(row)

    def year(self) -> HandlingYear:
        """The current records as a year (with the organisation), for the report and batch."""
        with self._tx(write=False) as conn:
            year, org = self._require_workspace(conn)
            rows = conn.execute(
                "SELECT id, record FROM cases WHERE removed_at IS NULL ORDER BY position, id"
            ).fetchall()
        records = tuple(self._record(text, f"第 {cid} 号案件") for cid, text in rows)
        try:
            return HandlingYear(year=year, organisation=self._organisation(org), cases=records)
        except ValidationError as exc:
            raise StoreError(
                f"数据库 {self.path} 中的案件无法组成年度数据：\n" + format_validation_error(exc),
                path=self.path,
            ) from None

    def _write_revision(
        self,
        conn: sqlite3.Connection,
        case_id: int,
        number: int,
        text: str,
        now: str,
        author: str,
        note: str,
    ) -> None:
        conn.execute(
            "UPDATE cases SET record = ?, revision = ?, updated_at = ?, updated_by = ?"
            " WHERE id = ?",
            (text, number, now, author, case_id),
        )
        conn.execute(
            "INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?)",
            (case_id, number, now, author, note, text),
        )

    def _duplicate(self, conn: sqlite3.Connection, record: CaseRecord, case_id: int | None) -> None:
        other = conn.execute(
            "SELECT id FROM cases WHERE case_key = ? AND removed_at IS NULL AND id IS NOT ?",
            (_key_text(record), case_id),
        ).fetchone()
        if other is not None:
            raise InvalidOption(
                f"案号重复：{describe_key(case_key(record))}已是第 {other[0]} 号案件",
                argument="record",
            )

    def add_case(self, record: CaseRecord, *, author: str, note: str = "") -> StoredCase:
        """Add a new case to the workspace (revision 1), after the others."""
        record = _record_arg(record)
        author = _text_arg(author, "author", "修改人")
        note = _text_arg(note, "note", "修改说明", empty=True)
        now = _iso(self._clock())
        text = _dump(record)
        with self._tx(write=True) as conn:
            self._require_workspace(conn)
            self._duplicate(conn, record, None)
            position = conn.execute("SELECT coalesce(max(position), -1) + 1 FROM cases").fetchone()
            cur = conn.execute(
                "INSERT INTO cases (position, case_key, record, revision, updated_at, updated_by)"
                " VALUES (?, ?, ?, 1, ?, ?)",
                (position[0], _key_text(record), text, now, author),
            )
            case_id = int(cur.lastrowid or 0)
            conn.execute(
                "INSERT INTO revisions VALUES (?, 1, ?, ?, ?, ?)",
                (case_id, now, author, note or "新增", text),
            )
            row = self._case_row(conn, case_id)
        return self._stored(row)

    def save_case(
        self,
        case_id: int,
        record: CaseRecord,
        *,
        base_revision: int,
        author: str,
        note: str = "",
    ) -> StoredCase:
        """Save ``record`` as the next revision of case ``case_id``, edited from ``base_revision``.

        Raises :class:`~gongwen.errors.StaleRevision` (nothing saved) when someone saved a newer
        revision since ``base_revision`` was read. Saving an unchanged record adds no revision.
        """
        case_id = _int_arg(case_id, "id", "案件编号")
        record = _record_arg(record)
        base_revision = _int_arg(base_revision, "base_revision", "所依据的版本")
        author = _text_arg(author, "author", "修改人")
        note = _text_arg(note, "note", "修改说明", empty=True)
        text = _dump(record)
        now = _iso(self._clock())
        with self._tx(write=True) as conn:
            _id, old, current, updated_at, updated_by, removed_at = self._case_row(conn, case_id)
            if current != base_revision:
                raise self._stale(current, updated_by, _moment(updated_at), base_revision, "该案件")
            if removed_at is not None:
                raise InvalidOption(
                    f"第 {case_id} 号案件已在重新导入时移除，不能再修改", argument="id"
                )
            self._duplicate(conn, record, case_id)
            if old != text:
                conn.execute(
                    "UPDATE cases SET case_key = ? WHERE id = ?", (_key_text(record), case_id)
                )
                cur = conn.execute(
                    "UPDATE cases SET record = ?, revision = revision + 1, updated_at = ?,"
                    " updated_by = ? WHERE id = ? AND revision = ?",
                    (text, now, author, case_id, base_revision),
                )
                assert cur.rowcount == 1  # the write lock is held since the read above
                conn.execute(
                    "INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?)",
                    (case_id, base_revision + 1, now, author, note, text),
                )
            row = self._case_row(conn, case_id)
        return self._stored(row)

    @staticmethod
    def _stale(current: int, author: str, at: datetime, base: int, what: str) -> StaleRevision:
        return StaleRevision(
            f"{what}已由{author}于{format_moment(at)} 修改为第 {current} 版，"
            f"您编辑的是第 {base} 版；请刷新后重新修改。",
            current=current,
            author=author,
            at=at,
            base=base,
        )

    def revisions(self, case_id: int) -> list[Revision]:
        """Every revision of a case, oldest first, each with what it changed."""
        case_id = _int_arg(case_id, "id", "案件编号")
        with self._tx(write=False) as conn:
            self._case_row(conn, case_id)
            rows = conn.execute(
                "SELECT number, at, author, note, record FROM revisions WHERE case_id = ?"
                " ORDER BY number",
                (case_id,),
            ).fetchall()
        out: list[Revision] = []
        previous: object = None
        for number, at, author, note, text in rows:
            dump = json.loads(text)
            changes = diff(previous, dump) if previous is not None else ()
            out.append(Revision(number, _moment(at), author, note, changes))
            previous = dump
        return out

    def record_at(self, case_id: int, number: int) -> CaseRecord:
        """The record of case ``case_id`` as it was at revision ``number``."""
        case_id = _int_arg(case_id, "id", "案件编号")
        number = _int_arg(number, "number", "版本号")
        with self._tx(write=False) as conn:
            _id, _rec, current, *_rest = self._case_row(conn, case_id)
            row = conn.execute(
                "SELECT record FROM revisions WHERE case_id = ? AND number = ?", (case_id, number)
            ).fetchone()
        if row is None:
            raise InvalidOption(
                f"第 {case_id} 号案件没有第 {number} 版（共 {current} 版）", argument="number"
            )
        return self._record(row[0], f"第 {case_id} 号案件第 {number} 版")

    # ------------------------------------------------------------------ documents

    _DOC_COLUMNS = "id, case_id, revision, kind, filename, sha256, size, created_at"

    @staticmethod
    def _document(row: Sequence[Any]) -> StoredDocument:
        return StoredDocument(
            id=row[0],
            case_id=row[1],
            revision=row[2],
            kind=row[3],
            filename=row[4],
            sha256=row[5],
            size=row[6],
            created_at=_moment(row[7]),
        )

    def add_document(
        self, case_id: int, *, revision: int, kind: str, filename: str, data: bytes
    ) -> StoredDocument:
        """Keep a document generated from revision ``revision`` of a case (with its SHA-256).

        The same bytes under the same name for the same revision are kept once: adding them
        again returns the document already kept.
        """
        case_id = _int_arg(case_id, "id", "案件编号")
        revision = _int_arg(revision, "revision", "版本号")
        kind = _text_arg(kind, "kind", "文档类型")
        filename = _text_arg(filename, "filename", "文件名")
        if "/" in filename or "\\" in filename or filename in {".", ".."}:
            raise InvalidOption(f"文件名不能包含路径：{filename}", argument="filename")
        if not isinstance(data, bytes | bytearray | memoryview):
            raise ArgumentError(
                f"文档内容应为字节串（bytes），而不是{type(data).__name__}", argument="data"
            )
        blob = bytes(data)
        now = _iso(self._clock())
        with self._tx(write=True) as conn:
            _id, _rec, current, *_rest = self._case_row(conn, case_id)
            if not 1 <= revision <= current:
                raise InvalidOption(
                    f"第 {case_id} 号案件没有第 {revision} 版（共 {current} 版）",
                    argument="revision",
                )
            digest = hashlib.sha256(blob).hexdigest()
            same = conn.execute(
                f"SELECT {self._DOC_COLUMNS} FROM documents WHERE case_id = ? AND revision = ?"
                " AND filename = ? AND sha256 = ? AND kind = ?",
                (case_id, revision, filename, digest, kind),
            ).fetchone()
            if same is not None:
                return self._document(same)
            cur = conn.execute(
                "INSERT INTO documents (case_id, revision, kind, filename, sha256, size,"
                " created_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    case_id,
                    revision,
                    kind,
                    filename,
                    digest,
                    len(blob),
                    now,
                    blob,
                ),
            )
            row = conn.execute(
                f"SELECT {self._DOC_COLUMNS} FROM documents WHERE id = ?", (cur.lastrowid,)
            ).fetchone()
        return self._document(row)

    def documents(self, case_id: int, *, revision: int | None = None) -> list[StoredDocument]:
        """The documents kept for a case (only those of ``revision`` when given), oldest first."""
        case_id = _int_arg(case_id, "id", "案件编号")
        with self._tx(write=False) as conn:
            self._case_row(conn, case_id)
            if revision is None:
                rows = conn.execute(
                    f"SELECT {self._DOC_COLUMNS} FROM documents WHERE case_id = ? ORDER BY id",
                    (case_id,),
                ).fetchall()
            else:
                revision = _int_arg(revision, "revision", "版本号")
                rows = conn.execute(
                    f"SELECT {self._DOC_COLUMNS} FROM documents WHERE case_id = ? AND revision = ?"
                    " ORDER BY id",
                    (case_id, revision),
                ).fetchall()
        return [self._document(row) for row in rows]

    def document(self, doc_id: int) -> StoredDocument:
        """One document's description by id (:class:`~gongwen.errors.CaseNotFound` if unknown)."""
        doc_id = _int_arg(doc_id, "doc_id", "文档编号")
        with self._tx(write=False) as conn:
            row = conn.execute(
                f"SELECT {self._DOC_COLUMNS} FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()
        if row is None:
            raise CaseNotFound(f"没有编号为 {doc_id} 的文档", id=doc_id)
        return self._document(row)

    def document_bytes(self, doc_id: int) -> bytes:
        """The bytes of a kept document, checked against its SHA-256."""
        doc_id = _int_arg(doc_id, "doc_id", "文档编号")
        with self._tx(write=False) as conn:
            row = conn.execute(
                "SELECT data, sha256, filename FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()
        if row is None:
            raise CaseNotFound(f"没有编号为 {doc_id} 的文档", id=doc_id)
        data = bytes(row[0])
        if hashlib.sha256(data).hexdigest() != row[1]:
            raise StoreError(
                f"数据库 {self.path} 中的文档 {row[2]}（编号 {doc_id}）已损坏：SHA-256 不符",
                path=self.path,
            )
        return data

    # ------------------------------------------------------------------ the annual report

    def report(self) -> StoredReport:
        """The report's narrative and date as saved (revision 0 and None when never saved)."""
        with self._tx(write=False) as conn:
            row = conn.execute(
                "SELECT narrative, report_date, revision, updated_at, updated_by FROM report"
            ).fetchone()
        if row is None:
            return StoredReport(None, None, 0, None, None)
        return StoredReport(
            narrative=row[0],
            date=date.fromisoformat(row[1]) if row[1] else None,
            revision=row[2],
            updated_at=_moment(row[3]),
            updated_by=row[4],
        )

    def save_report(
        self,
        narrative: str | None,
        date: date | None,
        *,
        base_revision: int,
        author: str,
    ) -> StoredReport:
        """Save the report's narrative and date as the next revision (same stale rule as cases)."""
        if narrative is not None and not isinstance(narrative, str):
            raise ArgumentError(
                f"总结正文应为文本，而不是{type(narrative).__name__}", argument="narrative"
            )
        if date is not None and (not isinstance(date, _date) or isinstance(date, datetime)):
            raise ArgumentError(f"总结日期应为日期，而不是{type(date).__name__}", argument="date")
        base_revision = _int_arg(base_revision, "base_revision", "所依据的版本")
        author = _text_arg(author, "author", "修改人")
        now = _iso(self._clock())
        day = date.isoformat() if date is not None else None
        with self._tx(write=True) as conn:
            self._require_workspace(conn)
            row = conn.execute("SELECT revision, updated_at, updated_by FROM report").fetchone()
            current = row[0] if row else 0
            if current != base_revision:
                raise self._stale(current, row[2], _moment(row[1]), base_revision, "工作总结")
            number = current + 1
            conn.execute(
                "INSERT INTO report VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                " narrative = excluded.narrative, report_date = excluded.report_date,"
                " revision = excluded.revision, updated_at = excluded.updated_at,"
                " updated_by = excluded.updated_by",
                (narrative, day, number, now, author),
            )
            conn.execute(
                "INSERT INTO report_revisions VALUES (?, ?, ?, ?, ?)",
                (number, narrative, day, now, author),
            )
        return self.report()
