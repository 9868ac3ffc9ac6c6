"""The archive on disk (一件一档): names, the per-version manifest, reading what is there.

::

    DIR/
      index.xlsx                         one row per case (the latest version of each)
      提案008_关于加大中小企业数字化转型扶持力度的提案/
        第1版/
          提案008-案件记录.json          the record (valid against ``gongwen schema record``)
          提案008-答复.docx              every document the case yields
          提案008-张建国-征询意见表.docx
          manifest.json                  SHA-256 and size of each file above; written last
        第2版/ …                         a later run whose record (or organisation) changed

With ``--zip`` each case is one ``提案008_关于….zip`` holding the same ``第N版/`` folders. A
version, once its manifest is written, is never changed; a re-run adds versions and cases.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gongwen.documents.naming import safe_component
from gongwen.errors import InputError
from gongwen.models.year import CaseKey, CaseRecord, case_key
from gongwen.output.atomic import os_error

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "INDEX_NAME",
    "MANIFEST_NAME",
    "ArchivedCase",
    "ArchivedVersion",
    "case_folder_name",
    "record_name",
    "scan",
    "sha256",
    "version_folder",
]

FORMAT = "gongwen-archive"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
INDEX_NAME = "index.xlsx"
RECORD_SUFFIX = "-案件记录.json"
RECORD_KIND = "案件记录"
_VERSION_DIR = re.compile(r"^第([1-9][0-9]{0,4})版$")
#: Characters of 案由 kept in a folder name (Windows paths stay well under 260 characters).
TITLE_CHARS = 30
#: Names Windows reserves for devices, with or without an extension.
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?$", re.IGNORECASE)


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def case_folder_name(record: CaseRecord, occurrence: int = 1) -> str:
    """``提案008_关于加大中小企业数字化转型扶持力度的提案`` — safe on Windows and Linux.

    ``occurrence`` > 1 (two cases of the same label from different sessions) adds ``（2）``.
    """
    case = record.case
    name = f"{safe_component(case.label)}_{safe_component(case.title, TITLE_CHARS)}"
    if _RESERVED.match(name):  # pragma: no cover - a label always starts with 提案/建议
        name = f"_{name}"
    return name if occurrence == 1 else f"{name}（{occurrence}）"


def record_name(record: CaseRecord) -> str:
    """``提案008-案件记录.json``."""
    return f"{safe_component(record.case.label)}{RECORD_SUFFIX}"


def version_folder(number: int) -> str:
    """``第2版``."""
    return f"第{number}版"


def key_list(key: CaseKey) -> list[Any]:
    """A case key as JSON (``["提案", "区政协十二届三次会议", 8]``)."""
    return list(key)


@dataclass
class ArchivedVersion:
    """One version of a case in the archive: its manifest (None while incomplete)."""

    number: int
    manifest: dict[str, Any] | None
    record: CaseRecord | None = None


@dataclass
class ArchivedCase:
    """A case found in the archive: where it is, whether a zip, and its versions."""

    key: CaseKey | None
    path: Path
    zipped: bool
    versions: dict[int, ArchivedVersion] = field(default_factory=dict)
    problem: str | None = None

    @property
    def latest(self) -> ArchivedVersion | None:
        """The newest complete version (with a manifest)."""
        done = [v for v in self.versions.values() if v.manifest is not None]
        return max(done, key=lambda v: v.number) if done else None

    @property
    def next_number(self) -> int:
        """The number the next version takes (an incomplete one is completed, not skipped)."""
        latest = self.latest
        return latest.number + 1 if latest is not None else 1


def _manifest(data: bytes, where: Path) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"档案清单 {where} 无法读取：{exc}", path=where) from None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise InputError(f"档案清单 {where} 不是 gongwen 档案的清单", path=where)
    if int(value.get("format_version", 0)) > FORMAT_VERSION:
        raise InputError(
            f"档案清单 {where} 由较新版本的 gongwen 写出（格式 {value.get('format_version')}），"
            "请升级 gongwen",
            path=where,
        )
    return value


def manifest_key(manifest: dict[str, Any]) -> CaseKey:
    """The case key written in a manifest."""
    kind, session, number = manifest["case_key"]
    return (str(kind), str(session), int(number))


def _record(data: bytes) -> CaseRecord | None:
    try:
        return CaseRecord.model_validate_json(data)
    except ValidationError:
        return None


def _folder_case(path: Path) -> ArchivedCase | None:
    found = ArchivedCase(None, path, zipped=False)
    for sub in sorted(path.iterdir()):
        m = _VERSION_DIR.match(sub.name)
        if m is None or not sub.is_dir() or sub.is_symlink():
            continue
        number = int(m.group(1))
        manifest_path = sub / MANIFEST_NAME
        if manifest_path.is_file():
            try:
                manifest = _manifest(manifest_path.read_bytes(), manifest_path)
            except (InputError, OSError) as exc:
                found.problem = str(exc)
                continue
            found.versions[number] = ArchivedVersion(number, manifest)
            found.key = manifest_key(manifest)
        else:  # an interrupted run: the record file, written first, says which case it is
            record = next(
                (_record(p.read_bytes()) for p in sub.glob(f"*{RECORD_SUFFIX}") if p.is_file()),
                None,
            )
            found.versions[number] = ArchivedVersion(number, None, record)
            if found.key is None and record is not None:
                found.key = case_key(record)
    return found if found.versions or found.problem else None


def read_zip(path: Path) -> dict[str, bytes]:
    """Every entry of a case zip by name (raises InputError when it is not a readable zip)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return {info.filename: zf.read(info) for info in zf.infolist() if not info.is_dir()}
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(f"档案 {path} 不是可读的 zip 文件：{exc}", path=path) from None


def _zip_case(path: Path) -> ArchivedCase | None:
    found = ArchivedCase(None, path, zipped=True)
    try:
        entries = read_zip(path)
    except InputError as exc:
        found.problem = str(exc)
        return found
    for name, data in entries.items():
        folder, _, leaf = name.partition("/")
        m = _VERSION_DIR.match(folder)
        if m is None or leaf != MANIFEST_NAME:
            continue
        try:
            manifest = _manifest(data, path / name)
        except InputError as exc:
            found.problem = str(exc)
            continue
        number = int(m.group(1))
        found.versions[number] = ArchivedVersion(number, manifest)
        found.key = manifest_key(manifest)
    return found if found.versions or found.problem else None


def scan(dest: Path) -> Iterator[ArchivedCase]:
    """The cases already in the archive folder ``dest`` (folders and zips), in name order."""
    if not dest.is_dir():
        return
    try:
        paths = sorted(dest.iterdir())
    except OSError as exc:
        raise os_error(exc, dest, reading=True) from None
    for path in paths:
        if path.name.startswith(".") or path.is_symlink():
            continue
        try:
            if path.is_dir():
                found = _folder_case(path)
            elif path.suffix.lower() == ".zip" and path.is_file():
                found = _zip_case(path)
            else:
                continue
        except OSError as exc:
            found = ArchivedCase(None, path, zipped=path.suffix.lower() == ".zip")
            found.problem = str(os_error(exc, path, reading=True))
        if found is not None:
            yield found
