"""PDF and PNG previews of docx files through LibreOffice.

Two ways to convert:

- :func:`to_pdf` / :func:`to_png` — one cold ``soffice --convert-to pdf`` per call (about 1.5–2 s).
- :class:`Converter` — keeps ONE headless LibreOffice warm and drives it over UNO, for many
  previews in a row (a small worker script run by the system Python that has ``uno``)::

      with Converter() as c:
          for path in paths:
              pdf = c.to_pdf(path)

Every LibreOffice that this module starts runs headless with its own fresh profile directory (so
it never clashes with a desktop LibreOffice) and with ``FONTCONFIG_FILE`` pointing at
``gongwen/preview/fontconfig/fonts.conf``, which maps the canonical GB/T 9704 font names kept in
the docx (仿宋_GB2312, 方正小标宋简体, 楷体_GB2312, 黑体, 宋体) to free fonts from Debian packages.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
import warnings
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

from gongwen.errors import PreviewError
from gongwen.ooxml.compat import for_libreoffice
from gongwen.preview.raster import _find_pdftoppm, _kill_group, _pdf_to_pngs

__all__ = ["FONTCONFIG_FILE", "Converter", "PreviewWarning", "to_pdf", "to_png"]

#: The fontconfig file used only by preview processes.
FONTCONFIG_FILE = Path(__file__).with_name("fontconfig") / "fonts.conf"

_WORKER = Path(__file__).with_name("_worker.py")
_SOFFICE_NAMES = ("soffice", "libreoffice")
# Interpreters tried for the UNO worker, after $GONGWEN_UNO_PYTHON and LibreOffice's own python.
_UNO_PYTHONS = ("/usr/bin/python3",)
_ZIP_MAGIC = b"PK\x03\x04"
_START_TIMEOUT = 60.0
_QUIT_TIMEOUT = 10.0

_MSG_NO_SOFFICE = (
    "未找到 LibreOffice（soffice），无法生成预览。"
    "请安装 Debian 软件包 libreoffice-writer-nogui：sudo apt-get install libreoffice-writer-nogui；"
    "或用环境变量 GONGWEN_SOFFICE 指定 soffice 的路径。"
)
_MSG_NO_UNO = (
    "未找到 LibreOffice 的 Python 接口（uno 模块），无法常驻 LibreOffice，"
    "预览将逐个冷启动 LibreOffice（每份约慢 5 倍）。"
    "请安装 Debian 软件包 python3-uno：sudo apt-get install python3-uno。"
)


class PreviewWarning(UserWarning):
    """A preview works but slower than it could (e.g. no ``uno`` module: cold conversions)."""


DocxInput = bytes | str | os.PathLike[str]


# --------------------------------------------------------------------------- helpers


def _find_soffice() -> str:
    override = os.environ.get("GONGWEN_SOFFICE")
    if override:
        found = shutil.which(override)
        if found:
            return found
        raise PreviewError(f"环境变量 GONGWEN_SOFFICE 指定的 {override} 不存在或不可执行。")
    for name in _SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PreviewError(_MSG_NO_SOFFICE)


def _env() -> dict[str, str]:
    """Environment for LibreOffice: the preview-only fontconfig file."""
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
    # A Python venv's variables must not leak into LibreOffice's (or the worker's) Python.
    for var in ("PYTHONHOME", "PYTHONPATH"):
        env.pop(var, None)
    return env


def _profile_uri(directory: Path) -> str:
    return directory.resolve().as_uri()


def _remove_pipe_files(pipe_names: list[str]) -> None:
    """Remove the socket files a killed LibreOffice leaves behind (osl pipes: /tmp, /var/tmp)."""
    for name in pipe_names:
        for tmpdir in ("/tmp", "/var/tmp"):
            with contextlib.suppress(OSError):
                Path(tmpdir, f"OSL_PIPE_{os.getuid()}_{name}").unlink(missing_ok=True)


def _ipc_pipe_name(profile: Path) -> str:
    """The name of the single-instance pipe LibreOffice opens for a profile.

    LibreOffice (desktop/source/app/officeipcthread.cxx) names it after the MD5 of the profile
    URL's UTF-16 code units, each byte in hex without zero padding.
    """
    digest = hashlib.md5(_profile_uri(profile).encode("utf-16-le"))
    return "SingleOfficeIPC_" + "".join(format(b, "x") for b in digest.digest())


def _soffice_base_args(soffice: str, profile: Path) -> list[str]:
    return [
        soffice,
        "-env:UserInstallation=" + _profile_uri(profile),
        "--headless",
        "--invisible",
        "--nologo",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--nofirststartwizard",
    ]


def _source_file(docx: DocxInput, workdir: Path) -> Path:
    """The docx as LibreOffice must read it, written into ``workdir`` (the input is not changed).

    See :mod:`gongwen.ooxml.compat` for what is adjusted and why.
    """
    if isinstance(docx, bytes | bytearray):
        if not docx.startswith(_ZIP_MAGIC):
            raise PreviewError("要预览的数据不是 docx 文件（docx 是 ZIP 格式，应以 PK 开头）。")
        data, stem = bytes(docx), "document"
    else:
        path = Path(os.fspath(docx)).resolve()
        if not path.is_file():
            raise PreviewError(f"找不到要预览的文件：{path}")
        data, stem = path.read_bytes(), path.stem
        if not data.startswith(_ZIP_MAGIC):
            raise PreviewError(f"{path.name} 不是 docx 文件（docx 是 ZIP 格式，应以 PK 开头）。")
    target = workdir / f"{stem}.docx"
    target.write_bytes(for_libreoffice(data))
    return target


def _label(docx: DocxInput) -> str:
    """How an input is named in error messages."""
    if isinstance(docx, bytes | bytearray):
        return "docx 数据"
    return Path(os.fspath(docx)).name


# --------------------------------------------------------------------------- cold path


def _cold_pdf(docx: DocxInput, timeout: float) -> bytes:
    soffice = _find_soffice()
    with tempfile.TemporaryDirectory(prefix="gongwen-lo-") as tmp:
        work = Path(tmp)
        src = _source_file(docx, work)
        outdir = work / "out"
        outdir.mkdir()
        args = [
            *_soffice_base_args(soffice, work / "profile"),
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(outdir),
            str(src),
        ]
        proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(),
            cwd=tmp,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            _remove_pipe_files([_ipc_pipe_name(work / "profile")])
            raise PreviewError(f"LibreOffice 转换超时（{timeout:g} 秒），已终止。") from None
        # soffice may leave helpers behind in its session; make sure none survive.
        _kill_group(proc)
        pdf = outdir / (src.stem + ".pdf")
        if proc.returncode != 0 or not pdf.is_file():
            detail = (err or out).decode(errors="replace").strip()
            raise PreviewError(
                f"LibreOffice 未能把 {_label(docx)} 转换为 PDF"
                f"（返回码 {proc.returncode}）：{detail}"
            )
        return pdf.read_bytes()


def to_pdf(docx: DocxInput, *, timeout: float = 60) -> bytes:
    """Convert a docx (bytes or path) to PDF bytes with one cold LibreOffice run.

    For many documents use :class:`Converter`, which keeps LibreOffice warm.
    """
    return _cold_pdf(docx, timeout)


def to_png(docx: DocxInput, dpi: int = 96, *, timeout: float = 60) -> list[bytes]:
    """Convert a docx to one PNG per page (via PDF and ``pdftoppm``), cold LibreOffice run."""
    _find_soffice()
    _find_pdftoppm()  # fail before spending seconds in LibreOffice
    return _pdf_to_pngs(_cold_pdf(docx, timeout), dpi, timeout)


# --------------------------------------------------------------------------- warm path


class _Fatal(Exception):
    """LibreOffice or the worker died, hung or lost its connection: restart and retry."""


def _bundled_python(soffice: str) -> str | None:
    """The python shipped next to soffice by upstream LibreOffice builds (not on Debian)."""
    bundled = Path(os.path.realpath(soffice)).with_name("python")
    return str(bundled) if bundled.is_file() else None


def _uno_python(soffice: str) -> str | None:
    """An interpreter that can ``import uno`` (LibreOffice's Python bridge), or None."""
    candidates: list[str] = []
    override = os.environ.get("GONGWEN_UNO_PYTHON")
    if override:
        candidates.append(override)
    bundled = _bundled_python(soffice)
    if bundled:
        candidates.append(bundled)
    candidates.extend(_UNO_PYTHONS)
    for cand in candidates:
        exe = shutil.which(cand)
        if not exe:
            continue
        try:
            res = subprocess.run(
                [exe, "-c", "import uno"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                env=_env(),
                timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if res.returncode == 0:
            return exe
    return None


class Converter:
    """One warm headless LibreOffice for many conversions; a context manager.

    ``with Converter() as c: c.to_pdf(a); c.to_pdf(b)`` — the first call pays LibreOffice's
    start-up, later ones only the conversion. A crashed or hung LibreOffice is restarted once per
    conversion; if the retry fails too, :class:`PreviewError` is raised. Without the ``uno``
    module (Debian package python3-uno) it warns (:class:`PreviewWarning`) and converts cold.
    LibreOffice's memory grows by about 0.5 MB per document, so it is restarted cleanly after
    ``recycle_after`` conversions (None: never). Thread-safe: conversions are serialised.
    """

    def __init__(
        self, *, start_timeout: float = _START_TIMEOUT, recycle_after: int | None = 200
    ) -> None:
        self._soffice = _find_soffice()
        self._start_timeout = start_timeout
        self._recycle_after = recycle_after
        self._conversions = 0  # since the current LibreOffice started
        self._lock = threading.RLock()
        self._python = _uno_python(self._soffice)
        if self._python is None:
            warnings.warn(_MSG_NO_UNO, PreviewWarning, stacklevel=2)
        self._profile: Path | None = None
        self._pipe: str | None = None
        self._office: subprocess.Popen[bytes] | None = None
        self._worker: subprocess.Popen[str] | None = None
        self._replies: queue.Queue[str | None] = queue.Queue()
        self._closed = False
        self.restarts = 0
        """How many times LibreOffice was restarted after a crash or hang."""

    # -- public -----------------------------------------------------------------------------

    @property
    def warm(self) -> bool:
        """True when conversions go through a warm LibreOffice over UNO."""
        return self._python is not None

    def start(self) -> None:
        """Start LibreOffice now (otherwise the first conversion does)."""
        with self._lock:
            self._check_open()
            if self.warm and self._office is None:
                try:
                    self._start()
                except _Fatal as exc:
                    raise PreviewError(f"LibreOffice 启动失败：{exc}") from None

    def to_pdf(self, docx: DocxInput, *, timeout: float = 60) -> bytes:
        """Convert a docx (bytes or path) to PDF bytes through the warm LibreOffice."""
        with self._lock:
            self._check_open()
            if not self.warm:
                return _cold_pdf(docx, timeout)
            if self._recycle_after and self._conversions >= self._recycle_after:
                self._stop(graceful=True)
            self.start()
            label = _label(docx)
            with tempfile.TemporaryDirectory(prefix="gongwen-pv-") as tmp:
                src = _source_file(docx, Path(tmp))
                dst = Path(tmp) / "out.pdf"
                try:
                    self._convert(src, dst, timeout, label)
                except _Fatal:
                    # Crashed or hung: one fresh LibreOffice, one more try.
                    self.restarts += 1
                    self._stop(graceful=False)
                    try:
                        self._start()
                        self._convert(src, dst, timeout, label)
                    except _Fatal as exc:
                        self._stop(graceful=False)
                        raise PreviewError(
                            f"LibreOffice 崩溃或无响应，重启后仍然失败：{exc}"
                        ) from None
                self._conversions += 1
                return dst.read_bytes()

    def to_png(self, docx: DocxInput, dpi: int = 96, *, timeout: float = 60) -> list[bytes]:
        """Convert a docx to one PNG per page through the warm LibreOffice and ``pdftoppm``."""
        _find_pdftoppm()
        return _pdf_to_pngs(self.to_pdf(docx, timeout=timeout), dpi, timeout)

    def close(self) -> None:
        """Shut LibreOffice down cleanly and remove its private profile."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._stop(graceful=True)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        # Last resort if close() was never called: do not leave LibreOffice running.
        with contextlib.suppress(Exception):
            if not self._closed:
                self._closed = True
                self._stop(graceful=False)

    # -- internals --------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise PreviewError("Converter 已关闭。")

    def _start(self) -> None:
        """Start LibreOffice with a fresh profile and the UNO worker; _Fatal on failure."""
        assert self._python is not None
        self._conversions = 0
        self._profile = Path(tempfile.mkdtemp(prefix="gongwen-lo-"))
        pipe = f"gongwen-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self._pipe = pipe
        env = _env()
        try:
            self._office = subprocess.Popen(
                [
                    *_soffice_base_args(self._soffice, self._profile),
                    f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                cwd=self._profile,
                start_new_session=True,
            )
            self._worker = subprocess.Popen(
                [
                    self._python,
                    str(_WORKER),
                    "--pipe",
                    pipe,
                    "--connect-timeout",
                    str(self._start_timeout),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                cwd=self._profile,
                text=True,
                encoding="utf-8",
                bufsize=1,
                start_new_session=True,
            )
        except OSError as exc:
            self._stop(graceful=False)
            raise _Fatal(str(exc)) from None
        self._replies = queue.Queue()
        assert self._worker.stdout is not None
        threading.Thread(
            target=_pump, args=(self._worker.stdout, self._replies), daemon=True
        ).start()
        try:
            ready = self._receive(self._start_timeout + 5)
            if not ready.get("ready"):
                raise _Fatal(str(ready.get("error", ready)))
        except _Fatal:
            self._stop(graceful=False)
            raise

    def _request(self, req: dict[str, Any], timeout: float) -> dict[str, Any]:
        worker = self._worker
        if worker is None or worker.stdin is None or worker.poll() is not None:
            raise _Fatal("转换进程已退出")
        try:
            worker.stdin.write(json.dumps(req, ensure_ascii=False) + "\n")
            worker.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise _Fatal(f"转换进程已退出：{exc}") from None
        return self._receive(timeout)

    def _receive(self, timeout: float) -> dict[str, Any]:
        """The worker's next answer; _Fatal when it times out or LibreOffice exits meanwhile."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._replies.get(timeout=min(0.2, max(deadline - time.monotonic(), 0)))
                break
            except queue.Empty:
                office = self._office
                if office is not None and office.poll() is not None:
                    raise _Fatal(f"LibreOffice 意外退出（返回码 {office.returncode}）") from None
                if time.monotonic() >= deadline:
                    raise _Fatal(f"LibreOffice 超过 {timeout:g} 秒无响应") from None
        if line is None:
            raise _Fatal("转换进程意外退出")
        try:
            reply: dict[str, Any] = json.loads(line)
        except ValueError:
            raise _Fatal(f"转换进程输出无法解析：{line!r}") from None
        return reply

    def _convert(self, src: Path, dst: Path, timeout: float, label: str) -> None:
        reply = self._request({"op": "convert", "src": str(src), "dst": str(dst)}, timeout)
        if reply.get("ok") and dst.is_file():
            return
        if reply.get("fatal"):
            raise _Fatal(str(reply.get("error")))
        raise PreviewError(
            f"LibreOffice 未能把 {label} 转换为 PDF：{reply.get('error', '没有输出文件')}"
        )

    def _stop(self, *, graceful: bool) -> None:
        worker, office, profile, pipe = self._worker, self._office, self._profile, self._pipe
        self._worker = self._office = self._profile = self._pipe = None
        if graceful and worker is not None and worker.poll() is None:
            # Ask LibreOffice to terminate itself (desktop.terminate()) before killing anything.
            self._worker, self._office = worker, office
            try:
                with contextlib.suppress(_Fatal):
                    self._request({"op": "quit"}, _QUIT_TIMEOUT)
            finally:
                self._worker = self._office = None
            if office is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    office.wait(timeout=_QUIT_TIMEOUT)
        if worker is not None:
            if worker.stdin is not None:
                with contextlib.suppress(OSError):
                    worker.stdin.close()
            _kill_group(worker)
        if office is not None:
            _kill_group(office)
        if profile is not None:
            shutil.rmtree(profile, ignore_errors=True)
        if pipe is not None and profile is not None:
            _remove_pipe_files([pipe, _ipc_pipe_name(profile)])


def _pump(stream: IO[str], replies: queue.Queue[str | None]) -> None:
    """Move the worker's output lines into a queue; None marks its end."""
    try:
        for line in stream:
            replies.put(line)
    except (OSError, ValueError):
        pass  # stream closed while the worker was being stopped
    finally:
        replies.put(None)
