"""Printing findings for people (rich table) or systems (JSON)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from gongwen.findings import Finding, Severity

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def findings_table(title: str, findings: list[Finding], *, expand: bool = False) -> Table:
    """One rich table of findings (code, severity, ledger row when known, path, message)."""
    table = Table(title=title, title_justify="left", expand=expand)
    table.add_column("代码", no_wrap=True)
    table.add_column("级别", no_wrap=True)
    with_rows = any(f.row for f in findings)
    if with_rows:
        table.add_column("行", no_wrap=True)
    table.add_column("位置", overflow="fold")
    table.add_column("说明", ratio=1, overflow="fold")
    for f in findings:
        cells = [f.code, f"[{SEVERITY_STYLE[f.severity]}]{f.severity.label}[/]"]
        if with_rows:
            cells.append(str(f.row or ""))
        table.add_row(*cells, f.path, f.message)
    return table


def print_findings(
    findings: list[Finding],
    *,
    fmt: str = "text",
    quiet_when_empty: bool = False,
    err: bool = False,
) -> None:
    """Print findings grouped by case (text) or as a JSON list; ``err``: to stderr (the document
    itself goes to stdout)."""
    if fmt == "json":
        text = json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2)
        typer.echo(text, err=err)
        return
    console = Console(stderr=err, highlight=False)
    if not findings:
        if not quiet_when_empty:
            console.print("未发现问题。")
        return
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        groups[f.case or (f"第{f.row}行" if f.row else "—")].append(f)
    for case, items in groups.items():
        console.print(findings_table(case, items))
    n_err = sum(f.severity is Severity.ERROR for f in findings)
    n_warn = sum(f.severity is Severity.WARNING for f in findings)
    console.print(f"共{len(findings)}项：错误{n_err}项，警告{n_warn}项。")


#: ``--out -``: the document goes to standard output.
STDOUT = "-"


def is_stdout(path: Path | None) -> bool:
    """True for ``--out -``."""
    return path is not None and str(path) == STDOUT


def write_stdout(data: bytes) -> None:
    """The document's bytes on standard output, nothing else (messages go to stderr)."""
    from typer._click.utils import get_binary_stream

    stream = get_binary_stream("stdout")
    stream.write(data)
    stream.flush()


def say(message: str, *, err: bool = False) -> None:
    """A status line (``已生成 …``): on stderr when stdout carries a document."""
    typer.echo(message, err=err)


def write_previews(docx_paths: list[Path]) -> None:
    """Write ``X.pdf`` beside each ``X.docx`` through one warm LibreOffice process."""
    from gongwen.output.atomic import atomic_write
    from gongwen.preview import Converter, PreviewError

    if not docx_paths:
        return
    try:
        with Converter() as conv:
            for path in docx_paths:
                pdf = atomic_write(path.with_suffix(".pdf"), conv.to_pdf(path))
                typer.echo(f"已生成预览 {pdf}")
    except PreviewError as exc:
        typer.secho(str(exc), err=True, fg=typer.colors.RED)
        raise typer.Exit(2) from None
