"""Where the bundled templates and examples live (installed wheel or source checkout)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Directory of bundled data ``name`` ("templates/docx" or "examples").

    An installed wheel carries them under ``gongwen/_data``; a source checkout (editable install,
    tests) uses the repository's top-level folders.
    """
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"找不到 gongwen 自带的数据目录“{name}”，安装可能不完整")


def template_path(name: str) -> Path:
    """Path of a bundled docx template, e.g. ``template_path("reply_letter.docx")``."""
    return data_dir("templates/docx") / name


def example_path(name: str) -> Path:
    """Path of a bundled example file, e.g. ``example_path("year2024.yaml")``."""
    return data_dir("examples") / name
