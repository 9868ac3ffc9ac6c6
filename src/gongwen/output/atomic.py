"""The one atomic write: a temp file in the target's folder, fsync, rename; mode from the umask.

Either the complete new file is at the target afterwards, or the old state is untouched (a
crash leaves at most a hidden ``.NAME.….part`` file). Files get the mode an ordinary ``open``
would give them (``0666`` less the umask), so colleagues on a shared drive can read them.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import IO

from gongwen.errors import OutputError

__all__ = [
    "atomic_file",
    "atomic_write",
    "commit_part",
    "file_mode",
    "os_error",
    "sync",
    "write_part",
]

PART_SUFFIX = ".part"

_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "所在文件系统为只读",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已满",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "该路径是一个文件夹",
    errno.ENOENT: "文件夹不存在",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EEXIST: "已有同名的文件或文件夹",
    errno.ELOOP: "路径中有符号链接，为安全起见不跟随",
    errno.EIO: "读写设备出错",
    errno.EFBIG: "文件过大",
    errno.EMFILE: "打开的文件过多",
    errno.EBUSY: "文件正被占用",
}


def os_error(exc: OSError, path: str | os.PathLike[str], *, reading: bool = False) -> OutputError:
    """A Chinese :class:`OutputError` naming ``path`` for a file-system error."""
    if isinstance(exc, OutputError):
        return exc
    reason = _REASONS.get(exc.errno or 0)
    if reason is None:
        reason = f"系统错误 {exc.errno}" if exc.errno else "文件系统错误"
    if reading and exc.errno in (errno.EACCES, errno.EPERM):
        reason = "没有读取权限"
    verb = "读取" if reading else "写入"
    return OutputError(f"无法{verb} {os.fspath(path)}：{reason}", path=path)


@cache
def _umask() -> int:
    try:  # Linux: read it without changing it
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def file_mode() -> int:
    """The mode a new file gets from ``open()``: ``0o666`` less the process umask."""
    return 0o666 & ~_umask()


def write_part(
    folder: str | os.PathLike[str], name: str, data: bytes, *, durable: bool = True
) -> Path:
    """Write ``data`` to a hidden temp file in ``folder`` (final mode) and return it.

    The caller moves it in place with :func:`commit_part` (two-phase writes: a batch records
    the journal line before the rename). ``durable`` fsyncs the file first; a batch that
    writes thousands of files passes False and calls :func:`sync` once before its manifest
    (a file torn by a crash is found on resume: its SHA-256 no longer matches).
    """
    directory = Path(folder)
    try:
        fd, tmp = _new_part(directory, name)
    except OSError as exc:
        raise os_error(exc, directory / name) from None
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
            os.fchmod(fd, file_mode())
        finally:
            os.close(fd)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise os_error(exc, directory / name) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


#: ``mkstemp``'s flags (write only): a new file, never through a symbolic link.
_PART_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_PART_SEQ = itertools.count()


def _new_part(directory: Path, name: str) -> tuple[int, str]:
    """A new hidden ``.NAME.XXXX.part`` file in ``directory`` opened for writing, as
    ``tempfile.mkstemp`` makes it (mode 0600 until :func:`write_part` sets the final one), named
    by process and sequence number instead of eight random letters: one ``open`` per file
    (a name left by an earlier process of the same id is skipped, as ``mkstemp`` does)."""
    prefix = f"{os.path.abspath(directory)}{os.sep}.{name}.{os.getpid():x}-"
    for _ in range(100):
        tmp = f"{prefix}{next(_PART_SEQ):x}{PART_SUFFIX}"
        try:
            return os.open(tmp, _PART_FLAGS, 0o600), tmp
        except FileExistsError:
            continue
    return tempfile.mkstemp(prefix=f".{name}.", suffix=PART_SUFFIX, dir=directory)


def sync(folder: str | os.PathLike[str] | None = None) -> None:
    """Flush every written file to disk (once, after many :func:`write_part` without fsync).

    With ``folder``, only the file system that holds it (Linux ``syncfs``): the files written
    there reach the disk without waiting for every other disk of the machine (``sync``).
    """
    if folder is not None and _syncfs(folder):
        return
    if hasattr(os, "sync"):
        os.sync()


@cache
def _libc_syncfs() -> object | None:
    try:
        import ctypes

        fn = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):  # not Linux / no syncfs in this C library
        return None
    fn.argtypes = [ctypes.c_int]
    fn.restype = ctypes.c_int
    return fn


def _syncfs(folder: str | os.PathLike[str]) -> bool:
    """``syncfs`` on the file system of ``folder``; False when it is not available or fails."""
    fn = _libc_syncfs()
    if fn is None:
        return False
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return False
    try:
        return bool(fn(fd) == 0)  # type: ignore[operator]
    finally:
        os.close(fd)


def commit_part(part: str | os.PathLike[str], target: str | os.PathLike[str]) -> Path:
    """Move a file made by :func:`write_part` to ``target`` (same folder: an atomic rename)."""
    try:
        os.replace(part, target)
    except OSError as exc:
        Path(part).unlink(missing_ok=True)
        raise os_error(exc, target) from None
    return Path(target)


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """Write a file as a stream; it appears at ``path`` whole when the block ends without error."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=PART_SUFFIX, dir=target.parent)
    except OSError as exc:
        raise os_error(exc, target) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, file_mode())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise os_error(exc, target) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (creating the folder); return the path."""
    with atomic_file(path) as fh:
        fh.write(data)
    return Path(path)
