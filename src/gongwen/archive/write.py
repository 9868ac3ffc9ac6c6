"""Writing the archive (一件一档): one folder (or zip) per case, versions added, never replaced.

:func:`archive_input` archives a ledger, year or case file; :func:`export_archive` the cases of
the workbench's store (its own documents where it has them, rendered otherwise); both end in
:func:`write_archive`. The layout is described in :mod:`gongwen.archive.layout`.

Each case is checked with the case rules (as ``gongwen check``); a case with errors is reported
and skipped, the others go on. The year rules are not run: they concern the annual report, not
one case's file. A re-run compares each case's content (the record and every document, by
SHA-256) with its latest version in the archive: unchanged cases are left alone, a changed case
gets a new ``第N版`` beside the old ones, new cases get new folders. Files of a finished version
are never rewritten; ``force`` only allows replacing a file of an unfinished version (or a
foreign ``index.xlsx``) whose content differs.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from gongwen._version import __version__
from gongwen.api import render_planned
from gongwen.archive.index import IndexRow, index_xlsx
from gongwen.archive.layout import (
    FORMAT,
    FORMAT_VERSION,
    INDEX_NAME,
    MANIFEST_NAME,
    RECORD_KIND,
    ArchivedCase,
    case_folder_name,
    key_list,
    manifest_key,
    read_zip,
    record_name,
    scan,
    sha256,
    version_folder,
)
from gongwen.batch.manifest import OutputLock
from gongwen.batch.plan import digest, template_hash
from gongwen.batch.templates import UnitTemplates, needed_templates, unit_templates
from gongwen.documents.plan import GROUPS, DocKind, case_documents
from gongwen.documents.reply import Variant
from gongwen.errors import (
    ArgumentError,
    CheckFailed,
    GongwenError,
    InputError,
    InvalidOption,
    OutputError,
    OutputExists,
)
from gongwen.findings import Finding, Severity, has_errors
from gongwen.inputs import load_input, record_findings
from gongwen.models.organisation import Organisation
from gongwen.models.reply import Reply
from gongwen.models.year import CaseRecord, case_key, describe_key
from gongwen.output.atomic import atomic_write, os_error
from gongwen.store import Store, format_moment
from gongwen.text.dates import format_date

__all__ = [
    "ArchiveItem",
    "ArchiveOptions",
    "ArchiveResult",
    "CaseOutcome",
    "Status",
    "archive_input",
    "export_archive",
    "write_archive",
]


class Status(StrEnum):
    """What a run did with one case."""

    ADDED = "新建"
    VERSION = "新增版本"
    UNCHANGED = "未变"
    SKIPPED = "跳过"


@dataclass(frozen=True)
class ArchiveOptions:
    """How to archive: ``zip`` one zip per case; ``force`` see the module docstring;
    ``today`` for the checks; ``variant`` of the replies (``letter`` or ``file``);
    ``templates`` a folder of the unit's own templates (``gongwen template init``), each
    checked before anything is written (a kind not there uses the bundled template)."""

    zip: bool = False
    force: bool = False
    today: date | None = None
    variant: Variant = "letter"
    templates: Path | None = None
    #: The templates found in ``templates`` and checked (set when the options are used).
    own: UnitTemplates = field(default_factory=UnitTemplates, init=False, repr=False, compare=False)


@dataclass(frozen=True)
class ArchiveItem:
    """One case to archive: its record, where it came from, and what checking it found.

    ``documents``: ready-made documents by file name, ``(kind, bytes)`` (the store's); the
    documents the case yields that are not among them are rendered. ``extra``: anything kept
    beside the case (e.g. the store's ids), written into the manifest.
    """

    record: CaseRecord
    source: str
    row: int | None = None
    findings: tuple[Finding, ...] = ()
    documents: Mapping[str, tuple[str, bytes]] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseOutcome:
    """What happened to one case: its status, where it is and why it was skipped."""

    label: str
    status: Status
    folder: str | None = None
    version: int | None = None
    files: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    row: int | None = None
    message: str = ""

    def __str__(self) -> str:
        where = f"第{self.row}行 " if self.row else ""
        if self.status is Status.SKIPPED:
            reasons = [
                f"{f.where + ' ' if f.row else ''}{f.code}：{f.message}"
                for f in self.findings
                if f.severity is Severity.ERROR
            ]
            why = "；".join([*reasons, self.message] if self.message else reasons)
            return f"{where}{self.label}：{self.status.value}（{why}）"
        return f"{where}{self.label}：{self.status.value}，{self.folder} 第{self.version}版"


@dataclass(frozen=True)
class ArchiveResult:
    """A run's outcome: each case, the input problems without a case, the archive's damaged
    entries, and the index written."""

    dest: Path
    index: Path
    outcomes: tuple[CaseOutcome, ...]
    problems: tuple[Finding, ...] = ()
    #: What is wrong with the archive itself (a manifest or zip that cannot be read); those
    #: entries are left as they are.
    damaged: tuple[str, ...] = ()
    #: Kinds the unit's template folder does not have: the bundled template was used.
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no case was skipped and the input had no error."""
        return not has_errors(self.problems) and all(
            o.status is not Status.SKIPPED for o in self.outcomes
        )

    def count(self, status: Status) -> int:
        """How many cases ended with ``status``."""
        return sum(o.status is status for o in self.outcomes)


# --------------------------------------------------------------------------- inputs


def archive_input(
    path: str | Path,
    org: Organisation | None,
    dest: str | Path,
    *,
    options: ArchiveOptions | None = None,
    bodies: str | Path | None = None,
) -> ArchiveResult:
    """Archive the cases of a ledger, a year file or a case file into ``dest``.

    ``org`` may be None when the year file carries its ``organisation``. Rows that cannot be
    read and cases with check errors are reported (row and header for ledgers) and skipped.
    """
    source = Path(path)
    if org is not None and not isinstance(org, Organisation):
        raise ArgumentError(
            f"参数 org 应为承办单位（Organisation），收到 {type(org).__name__}", argument="org"
        )
    opts = _options(options)
    inp = load_input(source, organisation=org, bodies=Path(bodies) if bodies is not None else None)
    organisation = org or inp.organisation
    if organisation is None:
        raise InputError(f"{source} 中没有承办单位信息，请另行指定承办单位文件", path=source)
    by_row: dict[int, list[Finding]] = {}
    for f in inp.findings:
        if f.row is not None:
            by_row.setdefault(f.row, []).append(f)
    rows_with_records = {r for r in inp.rows if r is not None}
    problems = tuple(f for f in inp.findings if f.row is None or f.row not in rows_with_records)
    items: list[ArchiveItem] = []
    for i, record in enumerate(inp.records):
        row = inp.rows[i] if i < len(inp.rows) else None
        known = by_row.get(row, []) if row is not None else []
        found = record_findings(
            record, organisation, today=opts.today, row=row, builder=inp.builder, known=known
        )
        where = f"{source.name} 第{row}行" if row is not None else f"{source.name} 第{i + 1}件"
        items.append(ArchiveItem(record, where, row, (*known, *found)))
    return write_archive(items, organisation, dest, options=opts, problems=problems)


def export_archive(
    store: Store,
    dest: str | Path,
    *,
    options: ArchiveOptions | None = None,
) -> ArchiveResult:
    """Archive the current cases of the workbench's store.

    Documents kept in the store for a case's current revision are archived as they are; the
    other documents the case yields are rendered. The format is that of ``gongwen archive``.
    """
    if not isinstance(store, Store):
        raise ArgumentError(
            f"参数 store 应为工作台数据库（Store），收到 {type(store).__name__}", argument="store"
        )
    opts = _options(options)
    org = store.organisation()
    items: list[ArchiveItem] = []
    for stored in store.cases():
        kept: dict[str, tuple[str, bytes]] = {}
        for doc in store.documents(stored.id, revision=stored.revision):
            kept[doc.filename] = (doc.kind, store.document_bytes(doc.id))  # later ones win
        found = record_findings(stored.record, org, today=opts.today)
        source = (
            f"工作台第 {stored.id} 号案件第 {stored.revision} 版"
            f"（{stored.updated_by}，{format_moment(stored.updated_at)}）"
        )
        extra = {"store": {"case_id": stored.id, "revision": stored.revision}}
        items.append(ArchiveItem(stored.record, source, None, tuple(found), kept, extra))
    return write_archive(items, org, dest, options=opts)


def _options(options: ArchiveOptions | None) -> ArchiveOptions:
    if options is None:
        return ArchiveOptions()
    if not isinstance(options, ArchiveOptions):
        raise ArgumentError(
            f"参数 options 应为 ArchiveOptions，收到 {type(options).__name__}", argument="options"
        )
    if options.variant not in ("letter", "file"):
        raise InvalidOption(
            f"答复函格式只能是 letter 或 file，而不是“{options.variant}”", argument="variant"
        )
    folder = options.templates
    if folder is not None and not isinstance(folder, str | os.PathLike):
        raise InvalidOption(
            f"模板文件夹 templates 应为路径，收到 {type(folder).__name__}", argument="templates"
        )
    if folder is not None and options.own.folder != Path(folder):  # checked once per run
        own = unit_templates(folder, needed_templates(GROUPS, options.variant))
        options = replace(options, templates=Path(folder))
        object.__setattr__(options, "own", own)
    return options


# --------------------------------------------------------------------------- one case's files


@dataclass(frozen=True)
class _File:
    name: str
    kind: str
    data: bytes

    def entry(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "sha256": sha256(self.data),
            "size": len(self.data),
        }


def _record_bytes(record: CaseRecord) -> bytes:
    dump = record.model_dump(mode="json")
    return (json.dumps(dump, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _files(item: ArchiveItem, org: Organisation, opts: ArchiveOptions) -> list[_File]:
    """The record and every document of the case (raises CheckFailed / GongwenError)."""
    record = item.record
    out = [_File(record_name(record), RECORD_KIND, _record_bytes(record))]
    used = {out[0].name, MANIFEST_NAME}
    for planned in case_documents(record, variant=opts.variant):
        if planned.name in item.documents:
            kind, data = item.documents[planned.name]
        else:
            own = opts.own.template(planned.template)
            doc = render_planned(record, planned, org, today=opts.today, template=own)
            kind, data = planned.kind.value, doc.data
        out.append(_File(planned.name, kind, data))
        used.add(planned.name)
    for name, (kind, data) in sorted(item.documents.items()):  # kept, though not planned now
        if name not in used:
            out.append(_File(name, kind, data))
            used.add(name)
    return out


def _final_reply(record: CaseRecord) -> Reply | None:
    """The reply the proposer last received (re-handling or follow-up, else the reply)."""
    replies = [
        p.reply
        for p in case_documents(record, {"replies"})
        if p.kind not in (DocKind.FORM, DocKind.EXTENSION)
    ]
    return replies[-1] if replies else record.reply


def _summary(record: CaseRecord) -> dict[str, Any]:
    case = record.case
    reply = _final_reply(record)
    return {
        "label": case.label,
        "kind": case.kind.value,
        "session": case.session.display,
        "number": case.number,
        "title": case.title,
        "lead": case.lead.name,
        "class": (reply.result_class or "") if reply is not None else "",
        "doc_number": str(reply.doc_number) if reply is not None else "",
        "date": reply.date.isoformat() if reply is not None else "",
    }


def _input_hash(item: ArchiveItem, org: Organisation, opts: ArchiveOptions) -> str:
    """What the documents are made from: gongwen's version, the record, the organisation, the
    variant, each planned document's template and the ready-made documents. Equal to the latest
    version's: the case is unchanged without rendering it again."""
    parts = [__version__, _record_bytes(item.record).decode("utf-8"), org.model_dump_json()]
    parts.append(opts.variant)
    own = opts.own.hashes()
    for planned in case_documents(item.record, variant=opts.variant):
        parts += [planned.name, own.get(planned.template) or template_hash(planned.template)]
    for name, (kind, data) in sorted(item.documents.items()):
        parts += [name, kind, sha256(data)]
    return digest(*parts)


def _content_hash(files: Sequence[_File]) -> str:
    listing = "\n".join(f"{f.name}\t{sha256(f.data)}" for f in sorted(files, key=lambda f: f.name))
    return sha256(listing.encode("utf-8"))


def _manifest(
    item: ArchiveItem,
    files: Sequence[_File],
    number: int,
    hashes: tuple[str, str],
    now: datetime,
) -> bytes:
    warnings = [f.to_dict() for f in item.findings if f.severity is not Severity.ERROR]
    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "case_key": key_list(case_key(item.record)),
        "case": _summary(item.record),
        "version": number,
        "created_at": now.isoformat(timespec="seconds"),
        "source": item.source,
        "input_sha256": hashes[0],
        "content_sha256": hashes[1],
        "files": [f.entry() for f in files],
        "findings": warnings,
        **item.extra,
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- writing


class _Conflict(GongwenError):
    """A file of an unfinished version exists with other content (internal: becomes SKIPPED)."""


def _write_new(path: Path, data: bytes, force: bool) -> None:
    """Write ``data`` to ``path`` unless it is there already; different content needs ``force``."""
    try:
        if path.is_symlink():
            raise _Conflict(f"{path} 是符号链接，为安全起见不写入")
        if path.exists():
            if path.is_file() and path.read_bytes() == data:
                return
            if not force or not path.is_file():
                raise _Conflict(f"{path} 已存在且内容不同，未覆盖")
    except OSError as exc:
        raise os_error(exc, path, reading=True) from None
    atomic_write(path, data)


def _write_folder(
    case_dir: Path, number: int, files: Sequence[_File], manifest: bytes, force: bool
) -> None:
    folder = case_dir / version_folder(number)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(exc, folder) from None
    for f in files:  # the record first: an interrupted version still says which case it is
        _write_new(folder / f.name, f.data, force)
    _write_new(folder / MANIFEST_NAME, manifest, force)


def _zip_bytes(entries: Iterable[tuple[zipfile.ZipInfo | str, bytes]], now: datetime) -> bytes:
    buf = io.BytesIO()
    stamp = now.astimezone().timetuple()[:6]
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            if isinstance(name, zipfile.ZipInfo):
                zf.writestr(name, data)
            else:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.flag_bits |= 0x800  # UTF-8 file names (Windows Explorer shows Chinese)
                zf.writestr(info, data)
    return buf.getvalue()


def _write_zip(
    path: Path,
    existing: ArchivedCase | None,
    number: int,
    files: Sequence[_File],
    manifest: bytes,
    now: datetime,
) -> None:
    """A new zip, or the old one's entries (checked against their manifests) plus a version."""
    kept: list[tuple[zipfile.ZipInfo | str, bytes]] = []
    if existing is not None:
        entries = read_zip(path)
        for version in existing.versions.values():
            assert version.manifest is not None
            folder = version_folder(version.number)
            for entry in version.manifest.get("files", []):
                name = f"{folder}/{entry['name']}"
                if name not in entries or sha256(entries[name]) != entry["sha256"]:
                    raise _Conflict(
                        f"{path} 中的 {name} 与清单不符（已被改动或损坏），未追加新版本"
                    )
        with zipfile.ZipFile(path) as zf:
            infos = {i.filename: i for i in zf.infolist()}
        kept = [(infos[name], data) for name, data in entries.items()]
    folder = version_folder(number)
    new: list[tuple[zipfile.ZipInfo | str, bytes]] = [(f"{folder}/{f.name}", f.data) for f in files]
    new.append((f"{folder}/{MANIFEST_NAME}", manifest))
    atomic_write(path, _zip_bytes([*kept, *new], now))


def _relative(dest: Path, path: Path) -> str:
    return path.relative_to(dest).as_posix() + ("" if path.suffix == ".zip" else "/")


def write_archive(
    items: Sequence[ArchiveItem],
    org: Organisation,
    dest: str | Path,
    *,
    options: ArchiveOptions | None = None,
    problems: Sequence[Finding] = (),
    clock: Any = None,
) -> ArchiveResult:
    """Archive ``items`` into ``dest`` and rewrite its ``index.xlsx`` (see the module docstring).

    ``problems``: the input's findings that belong to no item (unreadable rows), kept in the
    result. ``clock()`` gives the time written into manifests (now, by default).
    """
    if not isinstance(org, Organisation):
        raise ArgumentError(
            f"参数 org 应为承办单位（Organisation），收到 {type(org).__name__}", argument="org"
        )
    opts = _options(options)
    root = Path(dest)
    now: datetime = (clock or (lambda: datetime.now(UTC)))()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(exc, root) from None
    if not root.is_dir():
        raise OutputError(f"{root} 不是文件夹", path=root)
    lock = OutputLock(root, job="归档")
    lock.acquire()
    try:
        return _run(items, org, root, opts, tuple(problems), now)
    finally:
        lock.release()


def _run(
    items: Sequence[ArchiveItem],
    org: Organisation,
    root: Path,
    opts: ArchiveOptions,
    problems: tuple[Finding, ...],
    now: datetime,
) -> ArchiveResult:
    archived = list(scan(root))
    other = [a for a in archived if a.zipped != opts.zip and a.latest is not None]
    if other:
        have = " zip 文件" if other[0].zipped else "文件夹"
        want = " zip 文件" if opts.zip else "文件夹"
        raise InvalidOption(
            f"档案 {root} 中的案件按{have}保存（如 {other[0].path.name}），"
            f"本次要求按{want}保存；同一档案请使用同一种方式",
            argument="zip",
        )
    index = root / INDEX_NAME
    if index.exists() and not archived and not opts.force:
        raise OutputExists(f"{index} 已存在，且 {root} 不是 gongwen 档案；未覆盖", path=index)
    by_key = {a.key: a for a in archived if a.key is not None}
    taken = {p.name for p in root.iterdir()}
    outcomes: list[CaseOutcome] = []
    seen: dict[tuple[str, str, int], str] = {}
    for item in items:
        outcomes.append(_one(item, org, root, opts, now, by_key, taken, seen))
    _write_index(root)
    damaged = tuple(a.problem for a in scan(root) if a.problem is not None)
    return ArchiveResult(root, index, tuple(outcomes), problems, damaged, opts.own.notes)


def _one(
    item: ArchiveItem,
    org: Organisation,
    root: Path,
    opts: ArchiveOptions,
    now: datetime,
    by_key: dict[Any, ArchivedCase],
    taken: set[str],
    seen: dict[tuple[str, str, int], str],
) -> CaseOutcome:
    record = item.record
    label = record.case.label
    key = case_key(record)
    if has_errors(item.findings):
        return CaseOutcome(label, Status.SKIPPED, findings=item.findings, row=item.row)
    if key in seen:
        return CaseOutcome(
            label,
            Status.SKIPPED,
            row=item.row,
            message=f"{describe_key(key)}重复，已按{seen[key]}归档",
        )
    seen[key] = item.source
    existing = by_key.get(key)
    if existing is not None and existing.problem is not None and existing.latest is None:
        return CaseOutcome(label, Status.SKIPPED, row=item.row, message=existing.problem)
    latest = existing.latest if existing is not None else None
    previous: dict[str, Any] = (latest.manifest or {}) if latest is not None else {}
    inputs = _input_hash(item, org, opts)

    def unchanged() -> CaseOutcome:
        assert existing is not None and latest is not None
        names = tuple(str(f.get("name", "")) for f in previous.get("files", []))
        return CaseOutcome(
            label,
            Status.UNCHANGED,
            _relative(root, existing.path),
            latest.number,
            names,
            item.findings,
            item.row,
        )

    if previous.get("input_sha256") == inputs:
        return unchanged()
    try:
        files = _files(item, org, opts)
    except CheckFailed as exc:
        return CaseOutcome(label, Status.SKIPPED, findings=tuple(exc.findings), row=item.row)
    except GongwenError as exc:
        return CaseOutcome(label, Status.SKIPPED, row=item.row, message=str(exc))
    content = _content_hash(files)
    names = tuple(f.name for f in files)
    if previous.get("content_sha256") == content:
        return unchanged()  # made from other inputs, the same files: nothing to add
    if existing is not None:
        path = existing.path
    else:
        occurrence = 1
        while True:
            name = case_folder_name(record, occurrence)
            path = root / (f"{name}.zip" if opts.zip else name)
            if path.name not in taken:
                break
            occurrence += 1
        taken.add(path.name)
    number = existing.next_number if existing is not None else 1
    manifest = _manifest(item, files, number, (inputs, content), now)
    try:
        if opts.zip:
            with_versions = existing if existing is not None and existing.latest else None
            _write_zip(path, with_versions, number, files, manifest, now)
        else:
            _write_folder(path, number, files, manifest, opts.force)
    except _Conflict as exc:
        return CaseOutcome(label, Status.SKIPPED, row=item.row, message=str(exc))
    status = Status.VERSION if latest is not None else Status.ADDED
    return CaseOutcome(label, status, _relative(root, path), number, names, item.findings, item.row)


def _write_index(root: Path) -> None:
    rows: list[tuple[tuple[str, str, int], IndexRow]] = []
    for archived in scan(root):
        latest = archived.latest
        if latest is None or latest.manifest is None:
            continue
        m = latest.manifest
        summary = m.get("case", {})
        day = summary.get("date") or ""
        try:
            shown = format_date(date.fromisoformat(day)) if day else ""
        except ValueError:
            shown = day
        key = manifest_key(m)
        rows.append(
            (
                (key[1], key[0], key[2]),
                IndexRow(
                    label=str(summary.get("label", "")),
                    session=str(summary.get("session", key[1])),
                    title=str(summary.get("title", "")),
                    lead=str(summary.get("lead", "")),
                    result_class=str(summary.get("class", "")),
                    doc_number=str(summary.get("doc_number", "")),
                    date=shown,
                    files=len(m.get("files", [])),
                    version=latest.number,
                    folder=_relative(root, archived.path),
                ),
            )
        )
    rows.sort(key=lambda r: r[0])
    atomic_write(root / INDEX_NAME, index_xlsx(r for _, r in rows))
