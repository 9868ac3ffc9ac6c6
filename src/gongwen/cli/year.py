"""Commands: form (征询意见表), report (办理工作总结)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from pydantic import ValidationError

from gongwen.api import render_annual_report, render_feedback_forms
from gongwen.cli.app import app, exists_message, fail, option_date
from gongwen.cli.docs import TEMPLATES_HELP, explain_template, one_stdin
from gongwen.cli.output import is_stdout, print_findings, say, write_previews, write_stdout
from gongwen.cli.templates import choose_template
from gongwen.documents.plan import FORM_TEMPLATE, REPORT_TEMPLATE, case_documents
from gongwen.errors import CheckFailed, GongwenError, OutputExists, TemplateError
from gongwen.ledger.files import STDIN, load_organisation, load_record, load_year, read_stdin
from gongwen.models.reply import Attachment
from gongwen.models.year import CaseRecord


@app.command()
def form(
    case_file: Path = typer.Argument(
        ..., help="案件文件（YAML/JSON，含 case、reply、feedback；- 表示从标准输入读取）"
    ),
    org: Path = typer.Option(..., "--org", help="承办单位文件（YAML/JSON；- 表示标准输入）"),
    out: Path = typer.Option(..., "--out", "-o", help="输出目录（- 表示把一份表写到标准输出）"),
    blank: bool = typer.Option(False, "--blank", help="生成空白表（不按 feedback 勾选）"),
    person: str | None = typer.Option(
        None, "--person", help="只生成这位代表或提案人的表（联名件用 --out - 时须指定）"
    ),
    template: Path | None = typer.Option(None, "--template", help="自定义模板 .docx"),
    templates: Path | None = typer.Option(None, "--templates", help=TEMPLATES_HELP),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    preview: bool = typer.Option(False, "--preview", help="同时在旁边生成 PDF 预览"),
) -> None:
    """生成征询意见表：每位提案人（联名时每人）一份。

    管道用法：gongwen form - --org 单位.yaml --out - < 案件.json > 征询意见表.docx
    """
    to_stdout = is_stdout(out)
    if to_stdout and preview:
        raise fail("--preview 不能与 --out - 同时使用（预览需要写到文件旁边）")
    one_stdin(case_file, org)
    chosen = choose_template(template, templates, FORM_TEMPLATE)
    try:
        record = load_record(case_file)
        organisation = load_organisation(org)
        docs = render_feedback_forms(record, organisation, filled=not blank, template=chosen)
    except CheckFailed as exc:
        print_findings(exc.findings, err=to_stdout)
        raise fail("检查发现错误，未生成文档。", 1) from None
    except TemplateError as exc:
        typer.secho(str(exc), err=True, fg=typer.colors.RED)
        explain_template(chosen, FORM_TEMPLATE)
        raise typer.Exit(2) from None
    except GongwenError as exc:
        raise fail(str(exc)) from None
    if person is not None:
        names = [p.name for p in record.case.proposers]
        if person not in names:
            raise fail(f"“{person}”不是{record.case.label}的提案人或代表（{'、'.join(names)}）")
        docs = [
            d for d, p in zip(docs, _form_people(record, len(docs)), strict=True) if p == person
        ]
    print_findings(list(docs[0].findings) if docs else [], quiet_when_empty=True, err=to_stdout)
    if to_stdout:
        if len(docs) != 1:
            raise fail(
                f"{record.case.label}有 {len(docs)} 份征询意见表，--out - 只能写出一份："
                "请用 --person 姓名 选一位，或输出到目录"
            )
        write_stdout(docs[0].data)
        say(f"已写出 {docs[0].name}（{len(docs[0].data)} 字节）到标准输出", err=True)
        return
    if out.exists() and not out.is_dir():
        raise fail(f"--out 应为目录：{out}")
    written = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for doc in docs:
            path = doc.save(out / doc.name, overwrite=force)
            say(f"已生成 {path}")
            written.append(path)
    except OutputExists as exc:
        raise fail(exists_message(exc)) from None
    except (OSError, GongwenError) as exc:
        raise fail(str(exc)) from None
    if preview:
        write_previews(written)


def _form_people(record: CaseRecord, count: int) -> list[str]:
    """The proposer of each form ``render_feedback_forms`` returned, in its order."""
    planned = [p for p in case_documents(record, ("forms",)) if p.proposer is not None]
    people = [p.proposer.name for p in planned if p.proposer is not None]
    if len(people) != count:  # blank and filled forms follow the same plan
        raise fail("无法确定每份征询意见表的提案人")
    return people


def _attachments(specs: list[str]) -> list[Attachment]:
    """``--attachment 标题=文件`` (repeatable) → attachments; a relative file is relative to the
    current folder."""
    out = []
    for spec in specs:
        title, sep, file = spec.partition("=")
        if not sep or not title.strip() or not file.strip():
            raise fail(
                f"--attachment “{spec}”：应写作 标题=文件，如 --attachment 工作制度=制度.docx"
            )
        path = Path(file.strip())
        try:
            out.append(
                Attachment(title=title, file=path if path.is_absolute() else Path.cwd() / path)
            )
        except ValidationError as exc:
            why = "；".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
            raise fail(f"--attachment “{spec}”：{why}") from None
    return out


@app.command()
def report(
    year_file: Path = typer.Argument(
        ..., help="年度案件文件（YAML/JSON，含 year、cases；- 表示从标准输入读取）"
    ),
    org: Path = typer.Option(..., "--org", help="承办单位文件（YAML/JSON；- 表示标准输入）"),
    out: Path = typer.Option(..., "--out", "-o", help="输出 .docx 文件（- 表示写到标准输出）"),
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
    attachment: list[str] | None = typer.Option(
        None,
        "--attachment",
        help="本单位的附件，写作 标题=文件（.docx 或 .txt，相对路径相对于当前文件夹；可重复），"
        "排在统计表和一览表之后（附件3、附件4……）",
    ),
    template: Path | None = typer.Option(None, "--template", help="自定义模板 .docx"),
    templates: Path | None = typer.Option(None, "--templates", help=TEMPLATES_HELP),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    preview: bool = typer.Option(False, "--preview", help="同时在旁边生成 PDF 预览"),
) -> None:
    """生成年度建议提案办理工作总结（文件格式，附统计表和一览表，可加本单位的附件）。

    生成前运行与 check 相同的案件规则和年度规则，有错误时不生成。
    管道用法：gongwen report - --org 单位.yaml --out - < 年度.json > 总结.docx
    """
    to_stdout = is_stdout(out)
    if to_stdout and preview:
        raise fail("--preview 不能与 --out - 同时使用（预览需要写到文件旁边）")
    one_stdin(year_file, org, narrative)
    dated = option_date(report_date, "--date", "2024-12-20") or date.today()
    attachments = _attachments(attachment or [])
    chosen = choose_template(template, templates, REPORT_TEMPLATE)
    try:
        year = load_year(year_file)
        organisation = load_organisation(org)
        if narrative is None:
            text = None
        elif str(narrative) == STDIN:
            text = read_stdin()
        else:
            text = narrative.read_text(encoding="utf-8-sig")
    except (GongwenError, OSError, UnicodeDecodeError) as exc:
        raise fail(str(exc)) from None
    try:
        doc = render_annual_report(
            year,
            organisation,
            text,
            chart=chart,
            doc_number=doc_number,
            report_date=dated,
            template=chosen,
            attachments=attachments,
        )
        if to_stdout:
            write_stdout(doc.data)
        else:
            path = doc.save(out, overwrite=force)
    except CheckFailed as exc:
        print_findings(exc.findings, err=to_stdout)
        raise fail("检查发现错误，未生成文档。", 1) from None
    except OutputExists as exc:
        raise fail(exists_message(exc)) from None
    except TemplateError as exc:
        typer.secho(str(exc), err=True, fg=typer.colors.RED)
        explain_template(chosen, REPORT_TEMPLATE)
        raise typer.Exit(2) from None
    except (OSError, GongwenError) as exc:
        raise fail(str(exc)) from None
    print_findings(list(doc.findings), quiet_when_empty=True, err=to_stdout)
    if to_stdout:
        say(f"已写出 {doc.name}（{len(doc.data)} 字节）到标准输出", err=True)
        return
    say(f"已生成 {path}")
    if preview:
        write_previews([path])
