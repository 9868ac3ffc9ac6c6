"""Commands: form (征询意见表), report (办理工作总结)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from gongwen.api import render_annual_report, render_feedback_forms
from gongwen.cli.app import app, exists_message, fail
from gongwen.cli.output import print_findings, write_previews
from gongwen.errors import CheckFailed, GongwenError, OutputExists, TemplateError
from gongwen.ledger.files import load_organisation, load_record, load_year
from gongwen.text.dates import parse_date


@app.command()
def form(
    case_file: Path = typer.Argument(..., help="案件文件（YAML/JSON，含 case、reply、feedback）"),
    org: Path = typer.Option(..., "--org", help="承办单位文件（YAML/JSON）"),
    out: Path = typer.Option(..., "--out", "-o", help="输出目录"),
    blank: bool = typer.Option(False, "--blank", help="生成空白表（不按 feedback 勾选）"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    preview: bool = typer.Option(False, "--preview", help="同时在旁边生成 PDF 预览"),
) -> None:
    """生成征询意见表：每位提案人（联名时每人）一份。"""
    try:
        record = load_record(case_file)
        organisation = load_organisation(org)
        docs = render_feedback_forms(record, organisation, filled=not blank)
    except CheckFailed as exc:
        print_findings(exc.findings)
        raise fail("检查发现错误，未生成文档。", 1) from None
    except GongwenError as exc:
        raise fail(str(exc)) from None
    if out.exists() and not out.is_dir():
        raise fail(f"--out 应为目录：{out}")
    out.mkdir(parents=True, exist_ok=True)
    print_findings(list(docs[0].findings) if docs else [], quiet_when_empty=True)
    written = []
    for doc in docs:
        try:
            path = doc.save(out / doc.name, overwrite=force)
        except OutputExists as exc:
            raise fail(exists_message(exc)) from None
        typer.echo(f"已生成 {path}")
        written.append(path)
    if preview:
        write_previews(written)


@app.command()
def report(
    year_file: Path = typer.Argument(..., help="年度案件文件（YAML/JSON，含 year、cases）"),
    org: Path = typer.Option(..., "--org", help="承办单位文件（YAML/JSON）"),
    out: Path = typer.Option(..., "--out", "-o", help="输出 .docx 文件"),
    narrative: Path | None = typer.Option(
        None, "--narrative", help="总结正文（Markdown 或纯文本，按一级标题分节）"
    ),
    doc_number: str | None = typer.Option(None, "--doc-number", help="发文字号（可省略）"),
    report_date: str | None = typer.Option(
        None,
        "--date",
        help="成文日期 YYYY-MM-DD（也可写 2024年12月20日；默认今天），统计按此日期计应办结件",
    ),
    chart: bool = typer.Option(False, "--chart", help="附统计图（需要 matplotlib）"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    preview: bool = typer.Option(False, "--preview", help="同时在旁边生成 PDF 预览"),
) -> None:
    """生成年度建议提案办理工作总结（文件格式，附统计表和一览表）。

    生成前运行与 check 相同的案件规则和年度规则，有错误时不生成。
    """
    try:
        dated = parse_date(report_date) if report_date else date.today()
    except ValueError as exc:
        raise fail(f"--date：{exc}，应写作 YYYY-MM-DD，如 2024-12-20") from None
    try:
        year = load_year(year_file)
        organisation = load_organisation(org)
        text = narrative.read_text(encoding="utf-8-sig") if narrative else None
    except (GongwenError, OSError, UnicodeDecodeError) as exc:
        raise fail(str(exc)) from None
    try:
        doc = render_annual_report(
            year, organisation, text, chart=chart, doc_number=doc_number, report_date=dated
        )
        path = doc.save(out, overwrite=force)
    except CheckFailed as exc:
        print_findings(exc.findings)
        raise fail("检查发现错误，未生成文档。", 1) from None
    except OutputExists as exc:
        raise fail(exists_message(exc)) from None
    except (TemplateError, GongwenError) as exc:
        raise fail(str(exc)) from None
    print_findings(list(doc.findings), quiet_when_empty=True)
    typer.echo(f"已生成 {path}")
    if preview:
        write_previews([path])
