"""Command: archive — 一件一档: one folder (or zip) per case with its record, every document and
a manifest, and an index.xlsx of the whole archive (:mod:`gongwen.archive`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from gongwen.cli.app import app, exists_message, fail, option_date
from gongwen.errors import GongwenError, InvalidOption, OutputExists
from gongwen.findings import Severity
from gongwen.ledger.files import load_model
from gongwen.models.organisation import Organisation

if TYPE_CHECKING:  # the archive (openpyxl, the renderer) is imported when the command runs
    from gongwen.archive import ArchiveResult


def _problems_table(result: ArchiveResult) -> Table | None:
    """The rows that could not be read and the cases skipped, one line per reason."""
    from gongwen.archive import Status

    table = Table(title="未归档的行和案件", title_justify="left", expand=True)
    table.add_column("行", no_wrap=True)
    table.add_column("列（表头）", overflow="fold")
    table.add_column("案件", no_wrap=True)
    table.add_column("说明", ratio=1, overflow="fold")
    shown = 0
    for p in result.problems:
        if p.severity is Severity.ERROR:
            table.add_row(str(p.row or ""), p.cell, p.case or "", f"{p.code}：{p.message}")
            shown += 1
    for o in result.outcomes:
        if o.status is not Status.SKIPPED:
            continue
        for f in o.findings:
            if f.severity is Severity.ERROR:
                table.add_row(str(f.row or o.row or ""), f.cell, o.label, f"{f.code}：{f.message}")
                shown += 1
        if o.message:
            table.add_row(str(o.row or ""), "", o.label, o.message)
            shown += 1
    return table if shown else None


@app.command()
def archive(
    input: Annotated[
        Path,
        typer.Argument(
            help="台账（.xlsx、.csv、.json/.yaml 行记录）、年度文件（year、cases）或单件文件"
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="档案文件夹（可以是已有的档案）")],
    org: Annotated[
        Path | None,
        typer.Option("--org", help="承办单位信息文件；年度文件已包含 organisation 时可省略"),
    ] = None,
    zipped: Annotated[
        bool, typer.Option("--zip", help="每件一个 zip 文件（内容与文件夹相同）")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="覆盖未完成版本中内容不同的文件（已完成的版本从不改写）",
        ),
    ] = False,
    bodies: Annotated[
        Path | None, typer.Option("--bodies", help="答复正文文件夹（提案008.txt 或 8.txt）")
    ] = None,
    variant: Annotated[
        str,
        typer.Option(
            "--variant", help="答复函格式：letter 信函格式（默认）；file 文件格式（红头）"
        ),
    ] = "letter",
    today: Annotated[
        str | None, typer.Option("--today", help="以此日期为“今天”，如 2024-12-31")
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="单位自己的模板文件夹（gongwen template init 生成，按中文文件名查找）；"
            "归档前逐个检查，有错误时不归档",
        ),
    ] = None,
) -> None:
    """一件一档：每件一个文件夹（或 zip），含案件记录、全部文档和 SHA-256 清单，另有 index.xlsx。

    重跑时只增加新案件和有变化案件的新版本（第2版、第3版……），已归档的文件不改写。
    退出码：0 全部归档；1 有行或案件出错（其余已归档）；2 输入无法使用。
    """
    from gongwen.archive import ArchiveOptions, Status, archive_input

    day = option_date(today, "--today", "2024-12-01")
    if variant not in ("letter", "file"):
        raise fail(f"--variant 只能是 letter 或 file，而不是“{variant}”")
    options = ArchiveOptions(
        zip=zipped,
        force=force,
        today=day,
        variant="file" if variant == "file" else "letter",
        templates=templates,
    )
    try:
        organisation = load_model(Organisation, org, key="organisation") if org else None
        result = archive_input(input, organisation, out, options=options, bodies=bodies)
    except OutputExists as exc:
        raise fail(exists_message(exc)) from None
    except InvalidOption as exc:
        message = str(exc)
        if exc.argument == "zip":
            message += "（去掉或加上 --zip）"
        raise fail(message) from None
    except GongwenError as exc:
        message = str(exc)
        if "另行指定承办单位" in message:
            message += "（使用 --org）"
        raise fail(message) from None
    console = Console(stderr=True, width=160)
    for note in result.notes:
        console.print(f"[yellow]注意[/]：{note}")
    for p in result.problems:
        if p.severity is not Severity.ERROR:
            where = f"{p.where}：" if p.where else ""
            console.print(f"[yellow]{p.severity.label}[/]：{where}{p.message}")
    for text in result.damaged:
        console.print(f"[yellow]警告[/]：{text}（该项未改动）")
    table = _problems_table(result)
    if table is not None:
        console.print(table)
    for o in result.outcomes:
        if o.status is Status.SKIPPED:
            continue
        for f in o.findings:
            where = f"{f.where} " if f.row else ""
            console.print(f"[yellow]{f.severity.label}[/] {where}{o.label} {f.code}：{f.message}")
    counts = "，".join(
        f"{status.value}{result.count(status)}件" for status in Status if result.count(status)
    )
    typer.echo(f"共{len(result.outcomes)}件：{counts or '无案件'}。")
    typer.echo(f"档案目录：{result.index}")
    if not result.ok:
        raise typer.Exit(1)
