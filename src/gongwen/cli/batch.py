"""Command: batch — every document of a ledger; and ledger (.xlsx/.csv) input for ``check``."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from gongwen.batch import KINDS, STATUS_LABELS, BatchResult, BatchRun
from gongwen.cli.app import app, fail
from gongwen.cli.check import CheckInput, register_input_loader
from gongwen.cli.output import write_previews
from gongwen.errors import InputError
from gongwen.ledger import LedgerError, load_ledger
from gongwen.ledger.files import load_organisation
from gongwen.text.dates import parse_date


@register_input_loader(".xlsx", ".xlsm", ".csv")
def load_ledger_input(path: Path) -> CheckInput:
    """A ledger for ``gongwen check``: records with their row numbers, plus the cell problems."""
    try:
        result = load_ledger(path)
    except LedgerError as exc:
        raise InputError(str(exc)) from None
    records = [rec for _, rec in result.records]
    rows: list[int | None] = [row for row, _ in result.records]
    return CheckInput("ledger", records, None, rows, findings=list(result.problems))


def _what(text: str) -> set[str]:
    chosen = {w.strip() for w in text.split(",") if w.strip()}
    unknown = chosen - KINDS
    if unknown or not chosen:
        raise fail(f"--what 只能是 replies、forms、report 的组合，而不是“{text}”")
    return chosen


def _summary(console: Console, counts: Counter[str], problems: list[BatchResult]) -> None:
    if problems:
        table = Table(title="未生成的行和案件", title_justify="left", expand=True)
        table.add_column("行", no_wrap=True)
        table.add_column("列（表头）", overflow="fold")
        table.add_column("案件", no_wrap=True)
        table.add_column("说明", ratio=1, overflow="fold")
        for r in problems:
            if r.problems:  # a ledger row that cannot be read: one line per bad cell
                for p in r.problems:
                    table.add_row(str(p.row or ""), p.cell, r.case or "", p.message)
                continue
            text = f"{r.name}：{r.message}" if r.name else r.message
            table.add_row(str(r.row or ""), "", r.case or "", text)
        console.print(table)
    table = Table(title="批量生成结果", title_justify="left")
    table.add_column("状态")
    table.add_column("数量", justify="right")
    for status, label in STATUS_LABELS.items():
        if counts[status]:
            table.add_row(label, str(counts[status]))
    console.print(table)


@app.command()
def batch(
    ledger: Annotated[
        Path, typer.Argument(help="台账（.xlsx、.csv、.json、.yaml 行记录）或年度文件")
    ],
    org: Annotated[Path, typer.Option("--org", help="承办单位信息文件（YAML/JSON）")],
    out: Annotated[Path, typer.Option("--out", "-o", help="输出文件夹")],
    what: Annotated[
        str,
        typer.Option(
            "--what",
            help="生成哪些：replies（答复函）、forms（征询意见表）、report（工作总结），逗号分隔",
        ),
    ] = "replies,forms,report",
    workers: Annotated[
        int,
        typer.Option(
            "--workers", "-j", min=0, help="并行进程数（默认 0：按处理器核数，最多 4 个）"
        ),
    ] = 0,
    merge: Annotated[
        bool, typer.Option("--merge", help="另生成答复函合订本（每件另起一页、页码重排）")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
    bodies: Annotated[
        Path | None, typer.Option("--bodies", help="答复正文文件夹（提案008.txt 或 8.txt）")
    ] = None,
    narrative: Annotated[
        Path | None, typer.Option("--narrative", help="工作总结正文（Markdown/文本）")
    ] = None,
    today: Annotated[
        str | None, typer.Option("--today", help="以此日期为“今天”，如 2024-12-31")
    ] = None,
    preview: Annotated[
        bool, typer.Option("--preview", help="同时在每个 docx 旁边生成 PDF 预览")
    ] = False,
) -> None:
    """按台账批量生成答复函、征询意见表和办理工作总结。

    退出码：0 全部成功；1 有行或案件出错（其余已生成）；2 文件无法读取。
    """
    kinds = _what(what)
    try:
        day = parse_date(today) if today else None
    except ValueError as exc:
        raise fail(f"--today 日期无法识别：{exc}") from None
    try:
        organisation = load_organisation(org)
        text = narrative.read_text(encoding="utf-8-sig") if narrative else None
        run = BatchRun(
            ledger,
            organisation,
            out,
            what=kinds,
            workers=workers,
            force=force,
            merge=merge,
            today=day,
            narrative=text,
            bodies=bodies,
        )
        checked = list(run.check())
    except (LedgerError, InputError, OSError, ValueError) as exc:
        raise fail(str(exc)) from None
    console = Console(stderr=True)
    for p in run.header_problems:
        console.print(f"[yellow]警告[/]：{p.where}：{p.message}")
    problems = [r for r in checked if not r.ok]
    for r in problems:
        console.print(f"[red]跳过[/] {r}")
    interactive = sys.stderr.isatty()
    written: list[Path] = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not interactive,
        transient=True,
    ) as progress:
        task = progress.add_task("生成文档", total=run.total)
        for r in run.render():
            progress.advance(task)
            if r.ok and r.path is not None and r.path.suffix == ".docx":
                written.append(r.path)
            if not r.ok:
                problems.append(r)
                console.print(f"[red]失败[/] {r}")
            elif r.status == "kept":
                console.print(f"[yellow]保留[/] {r}")
    _summary(Console(), run.counts, problems)
    if preview:
        write_previews(written)
    typer.echo(f"输出文件夹：{out}（清单见 {out / 'manifest.json'}）")
    if problems:
        raise typer.Exit(1)
