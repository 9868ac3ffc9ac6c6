"""Command: batch — every document of a ledger (``check`` reads ledgers via gongwen.inputs)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from gongwen.batch import KINDS, STATUS_LABELS, BatchOptions, BatchResult, BatchRun
from gongwen.batch.numbering import NUMBERS_NAME, export_numbered
from gongwen.batch.options import MAX_NARRATIVE_CHARS
from gongwen.batch.pages import page_errors
from gongwen.cli.app import app, fail, option_date
from gongwen.cli.output import write_previews
from gongwen.errors import GongwenError
from gongwen.findings import Severity
from gongwen.ledger.files import load_organisation, read_limited


def _flagged(message: str) -> str:
    """The library's message with the command-line flag that answers it."""
    if "请指定工作表名" in message:
        return message + "（使用 --sheet 工作表名）"
    if "允许生成不完整的工作总结" in message:
        return message + "（使用 --allow-partial）"
    return message


def _print_warnings(console: Console, results: list[BatchResult]) -> None:
    """The warnings of the cases and the report that were made (as ``gongwen check`` shows)."""
    seen: set[tuple[str | None, str, str]] = set()
    for r in results:
        for f in r.findings:
            if f.severity is Severity.ERROR or (r.case, f.code, f.message) in seen:
                continue
            seen.add((r.case, f.code, f.message))
            where = f"{f.where} " if f.row else ""
            label = f"[yellow]{f.severity.label}[/]"
            console.print(f"{label} {where}{r.case or ''} {f.code}：{f.message}")


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
            errors = [f for f in r.findings if f.severity is Severity.ERROR]
            if errors and r.case:  # a case the checks refused: one line per error, as check
                for f in errors:
                    table.add_row(
                        str(f.row or r.row or ""), f.cell, r.case, f"{f.code}：{f.message}"
                    )
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
        bool, typer.Option("--merge", help="另生成答复函合订本（每件从单页起排、页码重排）")
    ] = False,
    simplex: Annotated[
        bool,
        typer.Option("--simplex", help="合订本按单面打印：每件另起一页，不补空白页"),
    ] = False,
    variant: Annotated[
        str,
        typer.Option(
            "--variant", help="答复函格式：letter 信函格式（默认）；file 文件格式（红头）"
        ),
    ] = "letter",
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
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="读取 Excel 台账的哪张工作表（默认：活动的可见工作表）"),
    ] = None,
    allow_partial: Annotated[
        bool,
        typer.Option(
            "--allow-partial",
            help="台账有行无法读取时仍生成工作总结（总结中注明未计入的行数）",
        ),
    ] = False,
    draft: Annotated[
        bool,
        typer.Option(
            "--draft", help="草稿：台账未填发文字号的答复不编号，文号留空“〔2024〕  号”待手写"
        ),
    ] = False,
    write_numbers: Annotated[
        Path | None,
        typer.Option(
            "--write-numbers",
            help="把自动编号的发文字号写回一份新台账（如 台账-已编号.xlsx）",
        ),
    ] = None,
    verify_pages: Annotated[
        bool,
        typer.Option(
            "--verify-pages",
            help="经 LibreOffice 排版后逐页核对每个输出（规则 P1–P8，同 verify --pages）；"
            "有页面错误时退出码为 1",
        ),
    ] = False,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="单位自己的模板文件夹（gongwen template init 生成，按中文文件名查找）；"
            "生成前逐个检查，有错误时不生成任何文档",
        ),
    ] = None,
) -> None:
    """按台账批量生成答复函、征询意见表和办理工作总结。

    退出码：0 全部成功；1 有行或案件出错（其余已生成），或 --verify-pages 发现页面错误；
    2 文件无法读取（或 --verify-pages 时未安装 LibreOffice）。
    """
    kinds = _what(what)
    day = option_date(today, "--today", "2024-12-01")
    try:
        organisation = load_organisation(org)
        text = read_limited(narrative, MAX_NARRATIVE_CHARS, "工作总结正文") if narrative else None
        options = BatchOptions.of(
            what=kinds,
            workers=workers,
            force=force,
            merge=merge,
            today=day,
            narrative=text,
            bodies=bodies,
            sheet=sheet,
            allow_partial=allow_partial,
            draft=draft,
            simplex=simplex,
            variant="file" if variant == "file" else "letter",
            verify_pages=verify_pages,
            templates=templates,
        )
        if variant not in ("letter", "file"):
            raise fail(f"--variant 只能是 letter 或 file，而不是“{variant}”")
        run = BatchRun(ledger, organisation, out, options=options)
        checked = list(run.check())
    except (GongwenError, OSError, ValueError) as exc:
        raise fail(_flagged(str(exc))) from None
    console = Console(stderr=True)
    for note in run.templates.notes:
        console.print(f"[yellow]注意[/]：{note}")
    for p in run.header_problems:
        where = f"{p.where}：" if p.where else ""
        console.print(f"[yellow]警告[/]：{where}{p.message}")
    problems = [r for r in checked if not r.ok]
    for r in problems:
        console.print(f"[red]跳过[/] {r}")
    interactive = sys.stderr.isatty()
    written: list[Path] = []
    results: list[BatchResult] = []
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
        try:
            for r in run.render():
                if r.findings and r.ok:
                    results.append(r)
                progress.advance(task)
                if r.ok and r.path is not None and r.path.suffix == ".docx":
                    written.append(r.path)
                if not r.ok:
                    problems.append(r)
                    console.print(f"[red]失败[/] {_flagged(str(r))}")
                elif r.status == "kept":
                    console.print(f"[yellow]保留[/] {r}")
                elif r.message:
                    console.print(f"[yellow]注意[/] {r}")
        except (GongwenError, OSError) as exc:  # the folder cannot be written: stop here
            progress.stop()
            raise fail(str(exc)) from None
    _print_warnings(console, results)
    # --verify-pages: the page rules' errors of the outputs written (batch/pages.py)
    paged = [line for r in results for line in page_errors(r)]
    for line in paged:
        console.print(f"[red]页面错误[/] {line}")
    _summary(Console(), run.counts, problems)
    if verify_pages:
        typer.echo(f"逐页核对：{len(paged)}处页面错误" if paged else "逐页核对：全部通过")
    if run.numbers:
        typer.echo(
            f"自动编号：{len(run.numbers.numbers)}份答复未填发文字号，已按序编号"
            f"（记录见 {out / NUMBERS_NAME}，重新生成时沿用）"
        )
    if write_numbers is not None:
        try:
            path = export_numbered(ledger, write_numbers, organisation, run.numbers, bodies=bodies)
        except (GongwenError, OSError, ValueError) as exc:
            raise fail(str(exc)) from None
        typer.echo(f"已写出编号后的台账：{path}")
    if preview:
        write_previews(written)
    typer.echo(f"输出文件夹：{out}（清单见 {out / 'manifest.json'}）")
    if problems or paged:
        raise typer.Exit(1)
