"""Command: check — run the check rules on a case file or a year file, without rendering.

Inputs are read by loaders registered per file suffix (:func:`register_input_loader`), so the
ledger module can add ``.xlsx``/``.csv`` support without touching this command::

    @register_input_loader(".xlsx", ".csv")
    def _ledger(path: Path) -> CheckInput: ...
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from gongwen.checks import Finding, Severity, check_record, rules_table
from gongwen.cli.app import app, fail
from gongwen.cli.output import findings_table
from gongwen.errors import InputError, format_validation_error
from gongwen.ledger.files import load_model, read_data
from gongwen.models.organisation import Organisation
from gongwen.models.year import CaseRecord, HandlingYear
from gongwen.text.dates import parse_date


@dataclass(frozen=True)
class CheckInput:
    """What a loader read: the case records, an embedded organisation, and source rows.

    ``rows[i]`` is the ledger row of ``records[i]`` (empty for YAML/JSON inputs); findings about
    that record carry it.
    """

    kind: str
    records: list[CaseRecord]
    organisation: Organisation | None = None
    rows: list[int | None] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


InputLoader = Callable[[Path], CheckInput]
#: Loaders by lower-case file suffix.
INPUT_LOADERS: dict[str, InputLoader] = {}


def register_input_loader(*suffixes: str) -> Callable[[InputLoader], InputLoader]:
    """Register a loader for files with these suffixes (``".xlsx"``); raises ``InputError``."""

    def deco(fn: InputLoader) -> InputLoader:
        for s in suffixes:
            INPUT_LOADERS[s.lower()] = fn
        return fn

    return deco


def _validate(model: type[HandlingYear] | type[CaseRecord], data: Any, path: Path) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{path} 内容有误：\n{format_validation_error(exc)}") from None


@register_input_loader(".yaml", ".yml", ".json")
def load_data_file(path: Path) -> CheckInput:
    """A YAML/JSON case file (``case``, ``reply``, ``feedback``, ``rehandling``) or year file."""
    data = read_data(path)
    if isinstance(data, dict) and ("cases" in data or "year" in data):
        year: HandlingYear = _validate(HandlingYear, data, path)
        return CheckInput("year", list(year.cases), year.organisation)
    if isinstance(data, dict) and "case" in data:
        record: CaseRecord = _validate(CaseRecord, data, path)
        return CheckInput("case", [record])
    raise InputError(
        f"无法识别 {path} 的内容：单件文件应包含 case（及 reply、feedback），"
        "年度文件应包含 year 和 cases"
    )


def load_input(path: Path) -> CheckInput:
    """Read ``path`` with the loader registered for its suffix."""
    loader = INPUT_LOADERS.get(path.suffix.lower())
    if loader is None:
        known = "、".join(sorted(INPUT_LOADERS))
        raise InputError(f"不支持的文件类型“{path.suffix or path.name}”，可用：{known}")
    return loader(path)


def check_input(inp: CheckInput, org: Organisation, today: date | None = None) -> list[Finding]:
    """Check every record of ``inp``; findings carry the case label and the source row.

    Problems the loader found (e.g. bad ledger cells) come first.
    """
    out: list[Finding] = list(inp.findings)
    for i, rec in enumerate(inp.records):
        row = inp.rows[i] if i < len(inp.rows) else None
        out.extend(
            replace(f, row=row) if row is not None else f
            for f in check_record(rec, org, today=today)
        )
    return out


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
    console = Console()
    by_case: dict[str, list[Finding]] = {}
    for f in findings:
        by_case.setdefault(f.case or "", []).append(f)
    for label in [r.case.label for r in inp.records]:
        items = by_case.pop(label, [])
        if not items:
            continue
        console.print(findings_table(f"{label}（{len(items)}处）", items, expand=True))
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
            help="单件文件（含 case、reply、feedback）或年度文件（含 year、cases），YAML/JSON"
        ),
    ] = None,
    org: Annotated[
        Path | None,
        typer.Option("--org", help="承办单位信息文件；年度文件已包含 organisation 时可省略"),
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
    """检查建议提案数据（不生成文档）。退出码：0 无错误，1 有错误，2 输入无法使用。"""
    if rules:
        _print_rules(fmt)
        return
    if input is None:
        raise fail("请指定要检查的文件，或用 --rules 列出检查规则")
    try:
        day = parse_date(today) if today else None
    except ValueError as exc:
        raise fail(f"--today 日期无法识别：{exc}") from None
    try:
        inp = load_input(input)
        organisation = load_model(Organisation, org, key="organisation") if org else None
    except InputError as exc:
        raise fail(str(exc)) from None
    organisation = organisation or inp.organisation
    if organisation is None:
        raise fail("请用 --org 指定承办单位信息文件（输入文件中没有 organisation）")
    findings = check_input(inp, organisation, today=day)
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
