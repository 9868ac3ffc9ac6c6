"""Command: verify — check produced .docx files against GB/T 9704 (rules D1–D14; with
``--pages`` also the printed pages laid out by LibreOffice, rules P1–P8)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gongwen.cli.app import app
from gongwen.cli.output import findings_table
from gongwen.errors import DocxPackageError, PreviewError
from gongwen.findings import Finding, has_errors
from gongwen.verify import verify, verify_pages


class OutputFormat(StrEnum):
    """How results are printed."""

    TEXT = "text"
    JSON = "json"


def _print_text(console: Console, name: str, findings: list[Finding] | str) -> None:
    if isinstance(findings, str):
        typer.secho(f"{name}：无法检查：{findings}", err=True, fg=typer.colors.RED)
        return
    if not findings:
        typer.echo(f"{name}：符合 GB/T 9704 排版要求，未发现问题。")
        return
    console.print(findings_table(name, findings))


@app.command("verify")
def verify_command(
    files: Annotated[list[Path], typer.Argument(help="要检查的 .docx 文件（可多个）")],
    fmt: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="输出格式：text 表格，json 供其他系统读取"),
    ] = OutputFormat.TEXT,
    pages: Annotated[
        bool,
        typer.Option(
            "--pages",
            help="再用 LibreOffice 排版，检查印出来的每一页（正文、落款、页码、版心、行数字数）",
        ),
    ] = False,
) -> None:
    """按 GB/T 9704-2012 检查已生成的 .docx（纸张、页边距、字体字号、行距、页码等）。

    加 --pages 时再经 LibreOffice 排版，逐页检查印出来的样子。
    退出码：0 未发现错误（可有警告），1 发现错误，2 文件缺失、不是 docx 或未安装 LibreOffice。
    """
    converter = None
    if pages:
        from gongwen.preview import Converter

        try:
            converter = Converter()
        except PreviewError as exc:
            typer.secho(f"无法检查页面：{exc}", err=True, fg=typer.colors.RED)
            raise typer.Exit(2) from None
    results: dict[str, list[Finding] | str] = {}
    try:
        for path in files:
            try:
                if not path.is_file():
                    raise DocxPackageError(f"文件不存在：{path}")
                found = verify(path)
                if converter is not None:
                    found += verify_pages(path, converter)
                results[str(path)] = found
            except (DocxPackageError, PreviewError) as exc:
                results[str(path)] = str(exc)
    finally:
        if converter is not None:
            converter.close()
    unusable = sum(isinstance(r, str) for r in results.values())
    with_errors = sum(not isinstance(r, str) and has_errors(r) for r in results.values())
    if fmt is OutputFormat.JSON:
        out = [
            {"file": name, "ok": False, "error": r, "findings": []}
            if isinstance(r, str)
            else {
                "file": name,
                "ok": not has_errors(r),
                "error": None,
                "findings": [f.to_dict() for f in r],
            }
            for name, r in results.items()
        ]
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        console = Console(highlight=False)
        for name, r in results.items():
            _print_text(console, name, r)
        passed = len(results) - unusable - with_errors
        summary = f"{len(results)}个文件：{passed}个通过"
        if with_errors:
            summary += f"，{with_errors}个有错误"
        if unusable:
            summary += f"，{unusable}个无法检查"
        typer.echo(summary)
    if unusable:
        raise typer.Exit(2)
    if with_errors:
        raise typer.Exit(1)
