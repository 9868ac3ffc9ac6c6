"""Command: preview (PDF/PNG through LibreOffice)."""

from __future__ import annotations

from pathlib import Path

import typer

from gongwen.cli.app import app, fail
from gongwen.output.atomic import atomic_write


@app.command()
def preview(
    files: list[Path] = typer.Argument(..., help="要预览的 .docx 文件（可多个）"),
    png: bool = typer.Option(False, "--png", help="同时生成每页 PNG 图片"),
    dpi: int = typer.Option(96, "--dpi", min=30, max=600, help="PNG 分辨率"),
    out: Path | None = typer.Option(None, "--out", "-o", help="输出目录（默认与 docx 同目录）"),
) -> None:
    """用 LibreOffice 把 docx 转为 PDF（及 PNG）预览；多个文件共用一个常驻进程。"""
    from gongwen.preview import Converter, PreviewError, pdf_to_png

    missing = [f for f in files if not f.is_file()]
    if missing:
        raise fail("文件不存在：" + "、".join(map(str, missing)))
    try:
        with Converter() as conv:
            for f in files:
                target_dir = out or f.parent
                pdf = conv.to_pdf(f)
                pdf_path = atomic_write(target_dir / f"{f.stem}.pdf", pdf)
                typer.echo(f"已生成 {pdf_path}")
                if png:
                    for i, page in enumerate(pdf_to_png(pdf, dpi=dpi), start=1):
                        p = atomic_write(target_dir / f"{f.stem}-{i}.png", page)
                        typer.echo(f"已生成 {p}")
    except PreviewError as exc:
        raise fail(str(exc)) from None
