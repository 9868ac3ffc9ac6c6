"""Command: check — the rules a batch runs, on a ledger, a year file or a case file, without
rendering. Reading and checking are :mod:`gongwen.inputs` (the batch and the API call the same
functions); this command parses its options and prints every finding."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from gongwen.checks import Finding, Severity, rules_table
from gongwen.cli.app import app, fail, option_date
from gongwen.cli.output import SEVERITY_STYLE
from gongwen.errors import InputError
from gongwen.inputs import (
    INPUT_LOADERS,
    CheckInput,
    LoadOptions,
    check_input,
    load_input,
    register_input_loader,
)
from gongwen.ledger.files import load_model
from gongwen.models.organisation import Organisation

__all__ = ["INPUT_LOADERS", "CheckInput", "LoadOptions", "OutputFormat", "register_input_loader"]


class OutputFormat(StrEnum):
    """Output of the check command."""

    TEXT = "text"
    JSON = "json"


def _summary(findings: list[Finding]) -> dict[str, int]:
    return {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}


def _print_rules(fmt: OutputFormat) -> None:
    rows = rules_table()
    if fmt is OutputFormat.JSON:
        data = [
            {
                "code": r.code,
                "severity": r.severity.value,
                "subject": r.subject.value,
                "title": r.title,
            }
            for r in rows
        ]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"检查规则（共{len(rows)}条）")
    for col in ("代码", "级别", "对象", "规则"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.code, r.severity.label, r.subject.value, r.title)
    Console().print(table)


def _print_text(inp: CheckInput, findings: list[Finding]) -> None:
    """Every finding, one line each: row, column (the ledger's header), value, case, message."""
    console = Console(width=160)
    if findings:
        ledger = any(f.row for f in findings)
        table = Table(title=f"检查结果（{len(findings)}处）", title_justify="left", expand=True)
        if ledger:
            table.add_column("行", no_wrap=True)
            table.add_column("列（表头）", overflow="fold")
            table.add_column("值", overflow="fold", max_width=24)
        table.add_column("案件", no_wrap=True)
        table.add_column("代码", no_wrap=True)
        table.add_column("级别", no_wrap=True)
        table.add_column("说明", ratio=1, overflow="fold")
        for f in findings:
            cells: list[str] = []
            if ledger:
                value = inp.cells.get((f.row, f.column), "") if f.row and f.column else ""
                cells += [str(f.row or ""), f.cell or f.path, value]
            cells += [
                f.case or "",
                f.code,
                f"[{SEVERITY_STYLE[f.severity]}]{f.severity.label}[/]",
                f.message,
            ]
            table.add_row(*cells)
        console.print(table)
    s = _summary(findings)
    n = len(inp.records)
    if findings:
        console.print(f"共检查{n}件：错误{s['error']}处，警告{s['warning']}处，提示{s['info']}处。")
    else:
        console.print(f"共检查{n}件：未发现问题。")


@app.command()
def check(
    input: Annotated[
        Path | None,
        typer.Argument(
            help="台账（.xlsx、.csv、.json/.yaml 行记录）、年度文件（year、cases）"
            "或单件文件（case、reply、feedback）"
        ),
    ] = None,
    org: Annotated[
        Path | None,
        typer.Option("--org", help="承办单位信息文件；年度文件已包含 organisation 时可省略"),
    ] = None,
    bodies: Annotated[
        Path | None,
        typer.Option("--bodies", help="答复正文文件夹（提案008.txt 或 提案008.docx），同 batch"),
    ] = None,
    narrative: Annotated[
        Path | None,
        typer.Option("--narrative", help="工作总结正文（Markdown/文本），检查其中的数字，同 batch"),
    ] = None,
    fmt: Annotated[
        OutputFormat,
        typer.Option("--format", help="输出格式：text（表格）或 json（供其他系统）"),
    ] = OutputFormat.TEXT,
    today: Annotated[
        str | None, typer.Option("--today", help="以此日期为“今天”，如 2024-12-31")
    ] = None,
    rules: Annotated[bool, typer.Option("--rules", help="列出全部检查规则后退出")] = False,
) -> None:
    """检查建议提案数据（不生成文档），与 batch 运行同一套规则。

    退出码：0 无错误，1 有错误，2 输入无法使用。
    """
    if rules:
        _print_rules(fmt)
        return
    if input is None:
        raise fail("请指定要检查的文件，或用 --rules 列出检查规则")
    day = option_date(today, "--today", "2024-12-01")
    try:
        organisation = load_model(Organisation, org, key="organisation") if org else None
        inp = load_input(input, organisation=organisation, bodies=bodies)
        text = narrative.read_text(encoding="utf-8-sig") if narrative else ""
    except InputError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"无法读取工作总结正文 {narrative}：{exc.strerror or exc}") from None
    organisation = organisation or inp.organisation
    if organisation is None:
        raise fail("请用 --org 指定承办单位信息文件（输入文件中没有 organisation）")
    findings = check_input(inp, organisation, today=day, narrative=text)
    if fmt is OutputFormat.JSON:
        payload = {
            "input": str(input),
            "kind": inp.kind,
            "cases": len(inp.records),
            "summary": _summary(findings),
            "findings": [f.to_dict() for f in findings],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print_text(inp, findings)
    if any(f.severity is Severity.ERROR for f in findings):
        raise typer.Exit(1)
