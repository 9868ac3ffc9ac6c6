"""PDF pages to PNG images with ``pdftoppm`` (Debian package poppler-utils)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from gongwen.errors import PreviewError

__all__ = ["pdf_to_png"]

_PDFTOPPM_NAME = "pdftoppm"
_MSG_NO_PDFTOPPM = (
    "未找到 pdftoppm，无法生成 PNG 预览。"
    "请安装 Debian 软件包 poppler-utils：sudo apt-get install poppler-utils。"
)


def _find_pdftoppm() -> str:
    found = shutil.which(_PDFTOPPM_NAME)
    if not found:
        raise PreviewError(_MSG_NO_PDFTOPPM)
    return found


def _kill_group(proc: subprocess.Popen[Any]) -> None:
    """Kill a process started with start_new_session=True and everything it spawned."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def pdf_to_png(pdf: bytes, dpi: int = 96, *, timeout: float = 60) -> list[bytes]:
    """Render PDF bytes to one PNG per page with ``pdftoppm`` (poppler-utils)."""
    return _pdf_to_pngs(pdf, dpi, timeout)


def _pdf_to_pngs(pdf: bytes, dpi: int, timeout: float) -> list[bytes]:
    if dpi <= 0:
        raise ValueError(f"dpi 必须为正整数，收到 {dpi}")
    pdftoppm = _find_pdftoppm()
    with tempfile.TemporaryDirectory(prefix="gongwen-png-") as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        proc = subprocess.Popen(
            [pdftoppm, "-png", "-r", str(dpi), str(src), str(Path(tmp) / "page")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise PreviewError(f"pdftoppm 超时（{timeout:g} 秒），已终止。") from None
        if proc.returncode != 0:
            raise PreviewError(
                f"pdftoppm 转换失败（返回码 {proc.returncode}）：{err.decode(errors='replace')}"
            )
        # pdftoppm names pages page-1.png … or page-01.png … (zero-padded to the page count).
        pages: list[tuple[int, Path]] = []
        for p in Path(tmp).glob("page-*.png"):
            m = re.fullmatch(r"page-(\d+)\.png", p.name)
            if m:
                pages.append((int(m.group(1)), p))
        if not pages:
            raise PreviewError("pdftoppm 没有输出任何页面。")
        return [p.read_bytes() for _, p in sorted(pages)]
