"""``manifest.json`` and the journal: what earlier runs wrote, and resuming after a crash.

Each output is journaled (one JSON line, flushed) before its file is renamed in place, so an
interrupted run leaves a journal naming every complete file; the next run skips those whose
input is unchanged and whose bytes still match. A finished run writes ``manifest.json``
atomically and removes the journal.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import stat
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from gongwen.errors import OutputError
from gongwen.output.atomic import atomic_file, atomic_write, os_error

__all__ = [
    "JOURNAL",
    "LOCK",
    "MANIFEST",
    "Manifest",
    "OutputLock",
    "case_key_text",
    "complete",
    "previous",
    "sha_file",
]

MANIFEST = "manifest.json"
JOURNAL = ".gongwen-journal.jsonl"
LOCK = ".gongwen.lock"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

Entry = dict[str, Any]


def sha_file(path: Path) -> str:
    """SHA-256 of a file, read in 1 MB pieces."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _regular(path: Path) -> bool:
    """True when ``path`` is a regular file (not followed through a symlink); False when absent.

    Raises :class:`OutputError` for a symlink, a folder or anything else at ``path``: the batch
    reads and writes only its own files inside the output folder.
    """
    try:
        st = path.lstat()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise os_error(exc, path) from None
    if stat.S_ISLNK(st.st_mode):
        raise OutputError(f"{path} 是符号链接，为安全起见不跟随（请删除它）", path=path)
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{path} 应为文件，而不是文件夹或其他特殊文件（请移走它）", path=path)
    return True


def _read(path: Path) -> str:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
        with os.fdopen(fd, "rb") as fh:
            return fh.read().decode("utf-8", errors="replace")
    except OSError as exc:
        raise os_error(exc, path, reading=True) from None


def previous(out_dir: Path | None) -> dict[str, Entry]:
    """Outputs of earlier runs: manifest.json plus the journal of an interrupted run.

    Raises :class:`OutputError` when either is a symlink, a folder or unreadable.
    """
    old: dict[str, Entry] = {}
    if out_dir is None:
        return old
    path = out_dir / MANIFEST
    if _regular(path):
        try:
            data = json.loads(_read(path))
            for e in data.get("outputs", []):
                old[e["file"]] = e
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            old = {}
    journal = out_dir / JOURNAL
    if _regular(journal):
        for line in _read(journal).splitlines():
            try:
                e = json.loads(line)
                old[e["file"]] = e
            except (ValueError, KeyError, TypeError, RecursionError):
                continue  # a line cut short by the interruption
    return old


def complete(out_dir: Path, old: dict[str, Entry], name: str, input_hash: str) -> bool:
    """The file exists, was written for this very input, and is intact."""
    e = old.get(name)
    path = out_dir / name
    return (
        e is not None
        and e.get("input") == input_hash
        and not path.is_symlink()
        and path.is_file()
        and sha_file(path) == e.get("sha256")
    )


def case_key_text(kind: str, session: str, number: int) -> str:
    """The stable key of a case in the manifest: ``提案|区政协十二届三次会议|8``."""
    return f"{kind}|{session}|{number}"


def entry(
    name: str,
    kind: str,
    label: str | None,
    row: int | None,
    sha: str | None,
    input_hash: str | None,
    key: str | None = None,
) -> Entry:
    """One line of the manifest; ``key`` names the case by 类型, 届次 and 案号 (with the kind and
    the proposer of a form), so a file name never stands for a case on its own."""
    return {
        "file": name,
        "case": label,
        "key": key,
        "row": row,
        "kind": kind,
        "sha256": sha,
        "input": input_hash,
    }


class OutputLock:
    """One batch at a time per output folder: ``fcntl.flock`` on ``.gongwen.lock`` inside it.

    The lock file names the holder (process id and start time) and is removed when the run
    ends. The kernel releases the lock when the holder exits, so the lock file a dead process
    left behind is simply taken over.
    """

    def __init__(self, out_dir: Path, *, job: str = "批量生成") -> None:
        self.path = out_dir / LOCK
        #: What the holder does, in the message when the folder is busy (批量生成, 归档…).
        self.job = job
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise :class:`OutputError` naming the run that holds it."""
        for _ in range(10):
            fd = self._open_locked()
            try:
                same = os.fstat(fd).st_ino == os.lstat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:  # not removed by the holder that just finished: ours
                break
            os.close(fd)
        else:  # pragma: no cover - ten releases in a row while starting
            raise OutputError(f"无法锁定输出文件夹 {self.path.parent}", path=self.path.parent)
        started = datetime.now().isoformat(timespec="seconds")
        text = f"进程 {os.getpid()}，开始于 {started}\n".encode()
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, text, 0)
        except OSError as exc:
            os.close(fd)
            raise os_error(exc, self.path) from None
        self._fd = fd

    def _open_locked(self) -> int:
        _regular(self.path)  # no symlink, no folder
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o666)
        except OSError as exc:
            raise os_error(exc, self.path) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.pread(fd, 4096, 0).decode("utf-8", errors="replace").strip()
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                who = holder or "另一个进程"
                raise OutputError(
                    f"输出文件夹 {self.path.parent} 正在被另一个{self.job}使用（{who}），"
                    "请等它结束后再运行",
                    path=self.path.parent,
                ) from None
            raise os_error(exc, self.path) from None
        return fd

    def release(self) -> None:
        """Remove the lock file (while still holding it) and let the next run in."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()
            os.close(self._fd)  # closing releases the flock
            self._fd = None


class Manifest:
    """Previous outputs (manifest.json + the journal of an interrupted run) and this run's."""

    def __init__(self, out_dir: Path, old: dict[str, Entry]) -> None:
        self.dir = out_dir
        self.old = old
        self.new: dict[str, Entry] = {}
        self._journaled = False
        path = out_dir / JOURNAL
        _regular(out_dir / MANIFEST)  # a folder or link in its place: refuse before writing
        _regular(path)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW, 0o666)
            self._journal: IO[str] = os.fdopen(fd, "a", encoding="utf-8")
        except OSError as exc:
            raise os_error(exc, path) from None

    def complete(self, name: str, input_hash: str) -> bool:
        """The file exists, was written for this very input, and is intact."""
        return complete(self.dir, self.old, name, input_hash)

    def add(self, e: Entry, *, journal: bool = True) -> None:
        """Record an output; journaled ones must be :meth:`flush`-ed before the rename."""
        self.new[e["file"]] = e
        if journal:
            line = json.dumps(e, ensure_ascii=False) + "\n"
            try:
                self._journal.write(line)
            except OSError as exc:
                raise os_error(exc, self.dir / JOURNAL) from None
            self._journaled = True

    def flush(self) -> None:
        """Push journal lines to the file (before the files they name are renamed in place)."""
        try:
            self._journal.flush()
        except OSError as exc:
            raise os_error(exc, self.dir / JOURNAL) from None

    def finish(self, meta: dict[str, Any], skipped: list[Entry]) -> None:
        """Write manifest.json atomically (streamed, one output per line) and drop the journal."""
        try:
            self._journal.close()
        except OSError as exc:
            raise os_error(exc, self.dir / JOURNAL) from None
        with atomic_file(self.dir / MANIFEST) as fh:
            fh.write(b"{\n")
            for k, v in meta.items():
                fh.write(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n".encode())
            for key, items in (("outputs", self.new.values()), ("skipped", skipped)):
                fh.write(f'  "{key}": ['.encode())
                for i, e in enumerate(items):
                    text = ("," if i else "") + "\n    " + json.dumps(e, ensure_ascii=False)
                    fh.write(text.encode())
                fh.write(("\n  ]" + ("," if key == "outputs" else "") + "\n").encode())
            fh.write(b"}\n")
        try:
            (self.dir / JOURNAL).unlink(missing_ok=True)
        except OSError as exc:
            raise os_error(exc, self.dir / JOURNAL) from None

    def close(self) -> None:
        """The run was interrupted: leave a whole journal (earlier lines and this run's)."""
        with contextlib.suppress(OSError):  # a full disk: the lines there are read on resume
            self._journal.close()
        if not self._journaled:
            return
        path = self.dir / JOURNAL
        try:
            lines = [line + "\n" for line in _read(path).splitlines() if _whole(line)]
            atomic_write(path, "".join(lines).encode("utf-8"))
        except (OSError, OutputError, ValueError):
            pass  # the appended journal stays as it is (a cut line is skipped when read)


def _whole(line: str) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True
