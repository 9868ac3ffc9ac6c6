"""Build the gongwen docx templates: ``python templates/build.py [--out DIR]``.

Every module of the ``builder`` package that defines ``TEMPLATES`` (file name → build function
taking the output path) is built, into ``templates/docx/`` or ``--out DIR``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import builder  # noqa: E402


def all_templates() -> dict[str, Callable[[Path], None]]:
    """File name → build function, from every builder module that defines ``TEMPLATES``."""
    found: dict[str, Callable[[Path], None]] = {}
    for info in sorted(pkgutil.iter_modules(builder.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"builder.{info.name}")
        found.update(getattr(module, "TEMPLATES", {}))
    return found


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description="按 GB/T 9704-2012 生成 gongwen 的 docx 模板")
    parser.add_argument(
        "--out", type=Path, default=HERE / "docx", help="输出目录（默认 templates/docx）"
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    for name, build in all_templates().items():
        build(out / name)
        print(f"已生成 {out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
