"""Build the gongwen docx templates: ``python templates/build.py [--out DIR]``.

Writes every template of ``builder.reply.TEMPLATES`` (and of later builder modules) into
``templates/docx/`` or ``--out DIR``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from builder.reply import TEMPLATES as REPLY_TEMPLATES  # noqa: E402

ALL_TEMPLATES = {**REPLY_TEMPLATES}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description="按 GB/T 9704-2012 生成 gongwen 的 docx 模板")
    parser.add_argument(
        "--out", type=Path, default=HERE / "docx", help="输出目录（默认 templates/docx）"
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    for name, build in ALL_TEMPLATES.items():
        build(out / name)
        print(f"已生成 {out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
