"""Commands: extension (延期办理告知函), summary (多单位建议提案办理情况汇总)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import typer

from gongwen.api import render_extension_notice
from gongwen.checks import CheckFailed
from gongwen.cli.app import app, exists_message, fail, option_date
from gongwen.cli.docs import TEMPLATES_HELP, explain_template
from gongwen.cli.output import print_findings, write_previews
from gongwen.cli.templates import choose_template
from gongwen.documents.extension import EXTENSION_TEMPLATE, ExtensionNotice
from gongwen.documents.units import UNITS_TEMPLATE
from gongwen.errors import GongwenError, OutputExists, TemplateError
from gongwen.findings import Severity
from gongwen.ledger.files import load_organisation, load_record


@app.command()
def extension(
    case_file: Path = typer.Argument(
        ..., help="案件文件（YAML/JSON，case 中填有 extended_to、extension_reason）"
    ),
    org: Path = typer.Option(..., "--org", help="承办单位文件（YAML/JSON）"),
    out: Path = typer.Option(..., "--out", "-o", help="输出 .docx 文件或目录"),
    notice_date: str | None = typer.Option(
        None,
        "--date",
        help="告知函成文日期 YYYY-MM-DD（也可写 2024年6月10日），应不晚于原办理期限；"
        "省略时用案件中录入的告知函（case.extension_notice）",
    ),
    doc_number: str | None = typer.Option(
        None,
        "--doc-number",
        help="发文字号，如 临经信函〔2024〕9号（省略时用录入的告知函文号，没有则序号留空待填）",
    ),
    template: Path | None = typer.Option(None, "--template", help="自定义模板 .docx"),
    templates: Path | None = typer.Option(None, "--templates", help=TEMPLATES_HELP),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    preview: bool = typer.Option(False, "--preview", help="同时在旁边生成 PDF 预览"),
) -> None:
    """生成延期办理告知函：向提案人（代表）说明延期理由和延期后的答复日期（信函格式）。"""
    dated = option_date(notice_date, "--date", "2024-06-10")
    chosen = choose_template(template, templates, EXTENSION_TEMPLATE)
    try:
        record = load_record(case_file)
        organisation = load_organisation(org)
        recorded = record.case.extension_notice
        if dated is not None:
            notice = ExtensionNotice(dated, doc_number)
        elif recorded is not None:
            notice = ExtensionNotice.of(recorded)
            if doc_number is not None:
                notice = ExtensionNotice(notice.date, doc_number, notice.body, notice.closing)
        else:
            raise fail(
                "--date：案件文件中没有录入延期办理告知函（case.extension_notice），"
                "须用 --date 给出告知函日期"
            )
        doc = render_extension_notice(record.case, notice, organisation, template=chosen)
        # typer drops the trailing "/" of "--out newdir/": a name without .docx is a folder
        path = doc.save(out if out.suffix.lower() == ".docx" else f"{out}{os.sep}", overwrite=force)
    except CheckFailed as exc:
        print_findings(exc.findings)
        raise fail("检查发现错误，未生成文档。", 1) from None
    except OutputExists as exc:
        raise fail(exists_message(exc)) from None
    except TemplateError as exc:
        typer.secho(str(exc), err=True, fg=typer.colors.RED)
        explain_template(chosen, EXTENSION_TEMPLATE)
        raise typer.Exit(2) from None
    except GongwenError as exc:
        raise fail(str(exc)) from None
    print_findings(list(doc.findings), quiet_when_empty=True)
    typer.echo(f"已生成 {path}")
    if preview:
        write_previews([path])


@app.command()
def summary(
    units: Path = typer.Argument(
        ...,
        help="各承办单位的文件夹（每个单位一个年度文件 YAML/JSON 或台账 xlsx/csv），"
        "或一个有“承办单位”列的台账（年度文件中每件写明 case.unit）",
    ),
    org: Path = typer.Option(..., "--org", help="汇总单位（如区政府办公室）的单位文件"),
    out: Path = typer.Option(..., "--out", "-o", help="输出 .docx 文件"),
    text: Path | None = typer.Option(
        None, "--narrative", help="基本情况之后的正文（空行分段，“二、”等开头为标题）"
    ),
    office: str | None = typer.Option(
        None, "--office", help="文中的汇总单位称谓，如“区政府”（默认用单位文件的自称）"
    ),
    year: int | None = typer.Option(
        None, "--year", help="台账的年度（默认按交办日期最多的年份）", min=1990, max=2099
    ),
    doc_number: str | None = typer.Option(None, "--doc-number", help="发文字号（可省略）"),
    report_date: str | None = typer.Option(
        None, "--date", help="成文日期 YYYY-MM-DD（默认今天），办复情况截至此日"
    ),
    template: Path | None = typer.Option(None, "--template", help="自定义模板 .docx"),
    templates: Path | None = typer.Option(None, "--templates", help=TEMPLATES_HELP),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    preview: bool = typer.Option(False, "--preview", help="同时在旁边生成 PDF 预览"),
) -> None:
    """汇总多个承办单位的建议提案办理情况：各单位办复率和满意度（含未表态）统计表及合计。"""
    from gongwen.api import render_units_summary
    from gongwen.units import load_unit_years, summarise_units

    dated = option_date(report_date, "--date", "2024-12-20") or date.today()
    chosen = choose_template(template, templates, UNITS_TEMPLATE)
    try:
        organisation = load_organisation(org)
        unit_years, findings = load_unit_years(units, organisation, year=year)
        body = text.read_text(encoding="utf-8-sig") if text else None
    except (GongwenError, OSError, UnicodeDecodeError) as exc:
        raise fail(str(exc)) from None
    print_findings(findings, quiet_when_empty=True)
    if any(f.severity is Severity.ERROR for f in findings):
        raise fail("台账中有无法读取的行，未生成汇总（请先用 gongwen check 核对）。", 1)
    try:
        doc = render_units_summary(
            unit_years,
            organisation,
            body,
            doc_number=doc_number,
            report_date=dated,
            office=office,
            template=chosen,
        )
        path = doc.save(out, overwrite=force)
    except OutputExists as exc:
        raise fail(exists_message(exc)) from None
    except TemplateError as exc:
        typer.secho(str(exc), err=True, fg=typer.colors.RED)
        explain_template(chosen, UNITS_TEMPLATE)
        raise typer.Exit(2) from None
    except GongwenError as exc:
        raise fail(str(exc)) from None
    totals = summarise_units(unit_years, organisation.config, as_of=dated).total
    d = organisation.config.decimals
    typer.echo(
        f"{len(unit_years)}个单位，共{totals.total}件，已办复{totals.replied.numerator}件，"
        f"办复率{totals.replied.format(d)}；满意率{totals.satisfaction.format(d)}"
    )
    typer.echo(f"已生成 {path}")
    if preview:
        write_previews([path])
