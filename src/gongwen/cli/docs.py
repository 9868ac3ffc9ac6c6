"""Commands: reply, template init, template check."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import typer

from gongwen.api import render_reply
from gongwen.checks import CheckFailed
from gongwen.cli.app import app, exists_message, fail
from gongwen.cli.output import is_stdout, print_findings, say, write_previews, write_stdout
from gongwen.cli.templates import GUIDE_NAME, choose_template, guide_text, spec_for
from gongwen.documents.reply import reply_template_name
from gongwen.documents.templates import TEMPLATE_KINDS, kind_of
from gongwen.errors import GongwenError, OutputError, OutputExists, TemplateError
from gongwen.findings import Finding, Severity
from gongwen.ledger.files import (
    MAX_FILE_BYTES,
    STDIN,
    STDIN_NAME,
    load_organisation,
    load_record,
)
from gongwen.render.template_check import TemplateSpec
from gongwen.resources import data_dir

template_app = typer.Typer(
    help="模板管理：复制默认模板以便定制，检查改过的模板。", no_args_is_help=True
)
app.add_typer(template_app, name="template")

TEMPLATES_HELP = "单位自己的模板文件夹（gongwen template init 生成，按中文文件名查找）"


def one_stdin(*paths: Path | None) -> None:
    """At most one input may come from standard input."""
    if sum(1 for p in paths if p is not None and str(p) == STDIN) > 1:
        raise fail("只能有一个输入来自标准输入（-）")


def explain_template(path: Path | None, bundled: str) -> None:
    """After a custom template was refused: what ``template check`` says about it (stderr)."""
    kind = kind_of(bundled)
    if path is None or kind is None or not path.is_file():
        return
    from gongwen.render.template_check import check_template

    try:
        findings = check_template(path.read_bytes(), path.name, spec_for(kind))
    except (GongwenError, OSError):
        return
    problems = [f for f in findings if f.severity is Severity.ERROR]
    if problems:
        print_findings(problems, err=True)


@app.command()
def reply(
    case_file: Path = typer.Argument(
        ..., help="案件文件（YAML/JSON，含 case、reply；- 表示从标准输入读取）"
    ),
    org: Path = typer.Option(..., "--org", help="承办单位文件（YAML/JSON；- 表示标准输入）"),
    out: Path = typer.Option(
        ..., "--out", "-o", help="输出 .docx 文件或目录（- 表示写到标准输出）"
    ),
    variant: str = typer.Option(
        "letter", "--variant", help="letter 信函格式；file 文件格式（红头）"
    ),
    template: Path | None = typer.Option(None, "--template", help="自定义模板 .docx"),
    templates: Path | None = typer.Option(None, "--templates", help=TEMPLATES_HELP),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    preview: bool = typer.Option(False, "--preview", help="同时在旁边生成 PDF 预览"),
) -> None:
    """生成一件建议/提案的答复函（本单位协办时生成协办意见）。

    管道用法：gongwen reply - --org 单位.yaml --out - < 案件.json > 答复.docx
    （标准输入以 { 或 [ 开头时按 JSON 读取，否则按 YAML；文档以外的信息写到标准错误）。
    """
    if variant not in ("letter", "file"):
        raise fail(f"--variant 只能是 letter 或 file，而不是“{variant}”")
    to_stdout = is_stdout(out)
    if to_stdout and preview:
        raise fail("--preview 不能与 --out - 同时使用（预览需要写到文件旁边）")
    one_stdin(case_file, org)
    try:
        record = load_record(case_file)
        organisation = load_organisation(org)
    except GongwenError as exc:
        raise fail(str(exc)) from None
    if record.reply is None:
        shown = "标准输入" if str(case_file) == STDIN else str(case_file)
        raise fail(f"{shown} 中没有 reply（答复）内容")
    bundled = reply_template_name(record.case, "file" if variant == "file" else "letter")
    chosen = choose_template(template, templates, bundled)
    try:
        doc = render_reply(
            record.case,
            record.reply,
            organisation,
            variant="file" if variant == "file" else "letter",
            template=chosen,
        )
        if to_stdout:
            write_stdout(doc.data)
        else:
            # typer drops the trailing "/" of "--out newdir/": a name without .docx is a folder
            target = out if out.suffix.lower() == ".docx" else f"{out}{os.sep}"
            path = doc.save(target, overwrite=force)
    except CheckFailed as exc:
        print_findings(exc.findings, err=to_stdout)
        raise fail("检查发现错误，未生成文档。", 1) from None
    except OutputExists as exc:
        raise fail(exists_message(exc)) from None
    except TemplateError as exc:
        typer.secho(str(exc), err=True, fg=typer.colors.RED)
        explain_template(chosen, bundled)
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


@template_app.command("init")
def template_init(
    directory: Path = typer.Argument(..., help="写入模板的文件夹"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
) -> None:
    """把默认模板以中文文件名写到 DIR，并附说明.txt（每个文件的用途、占位符、安全修改方法）。

    生成时用 --templates DIR 让 gongwen 使用这些模板。
    """
    from gongwen.output.atomic import atomic_write

    src = data_dir("templates/docx")
    if directory.exists() and not directory.is_dir():
        raise fail(f"应为文件夹：{directory}")
    files: list[tuple[str, bytes]] = []
    known = set()
    for kind in TEMPLATE_KINDS:
        known.add(kind.bundled)
        files.append((kind.file_name, (src / kind.bundled).read_bytes()))
    for extra in sorted(src.glob("*.docx")):  # a kind added later keeps its own name
        if extra.name not in known:
            files.append((extra.name, extra.read_bytes()))
    files.append((GUIDE_NAME, guide_text().encode("utf-8")))
    written = 0
    try:
        for name, data in files:
            target = directory / name
            if target.exists() and not force:
                say(f"已存在，跳过：{target}（如需覆盖，请使用 --force）")
                continue
            atomic_write(target, data)
            written += 1
            say(f"已写入 {target}")
    except OutputError as exc:
        raise fail(str(exc)) from None
    say(
        f"共写入 {written} 个文件到 {directory}。修改后先运行 gongwen template check 文件.docx，"
        f"生成时加 --templates {directory}。"
    )


@template_app.command("check")
def template_check(
    file: Path = typer.Argument(
        ..., help="要检查的模板 .docx（- 表示从标准输入读取，须加 --kind）"
    ),
    kind: str | None = typer.Option(
        None,
        "--kind",
        help="模板种类（按文件名判断不出时必填）："
        + "、".join(f"{k.key}（{k.title}）" for k in TEMPLATE_KINDS),
    ),
    fmt: str = typer.Option("text", "--format", help="text 表格；json 供其他系统读取"),
    fix: Path | None = typer.Option(
        None,
        "--fix",
        help="把修复后的模板写到这个文件（合并拆开的占位符、改正引号、恢复 LibreOffice 丢失的"
        "自动字号占位符），然后检查修复后的文件",
    ),
    force: bool = typer.Option(False, "--force", help="--fix 的文件已存在时覆盖"),
) -> None:
    """检查模板：未知占位符、缺少必需占位符、语法错误、被拆开的占位符、改成固定文字的占位符。

    用中文指明位置（正文/页眉/页脚、第几段及其文字、哪个占位符）。退出码：0 无错误，1 有错误，
    2 文件不可用。
    """
    from gongwen.render.template_check import check_template

    if fmt not in ("text", "json"):
        raise fail(f"--format 只能是 text 或 json，而不是“{fmt}”")
    shown = STDIN_NAME if str(file) == STDIN else file.name
    chosen = kind_of(kind) if kind else kind_of(file.name)
    if chosen is None:
        options = "、".join(k.key for k in TEMPLATE_KINDS)
        if kind:
            raise fail(f"未知的模板种类“{kind}”，可选：{options}")
        raise fail(f"无法从文件名“{file.name}”判断模板种类，请用 --kind 指定：{options}")
    try:
        data = _read_stdin_bytes() if str(file) == STDIN else file.read_bytes()
    except FileNotFoundError:
        raise fail(f"模板文件不存在：{file}") from None
    except IsADirectoryError:
        raise fail(f"应为文件，而不是文件夹：{file}") from None
    except OSError as exc:
        raise fail(f"无法读取模板 {file}：{exc.strerror or exc}") from None
    spec = spec_for(chosen)
    try:
        if fix is not None:
            data, shown = _fix(data, shown, fix, spec, force), fix.name
        findings = check_template(data, shown, spec)
    except TemplateError as exc:
        raise fail(str(exc)) from None
    findings = [f if f.case else _named(f, shown) for f in findings]
    errors = sum(f.severity is Severity.ERROR for f in findings)
    if fmt == "json":
        print_findings(findings, fmt="json")
    elif findings:
        print_findings(findings)
    if fmt == "text":
        if errors:
            say(f"模板 {shown}（{chosen.title}）有 {errors} 处错误，不能使用。")
        else:
            say(f"模板 {shown}（{chosen.title}）可以使用。")
    raise typer.Exit(1 if errors else 0)


def _fix(data: bytes, name: str, target: Path, spec: TemplateSpec, force: bool) -> bytes:
    """Write the repaired template to ``target`` (atomic) and return its bytes."""
    from gongwen.output.atomic import atomic_write
    from gongwen.render.template_check import restore

    if spec.reference is None:
        raise fail("没有可参照的自带模板，无法修复")
    if target.exists() and not force:
        raise fail(exists_message(OutputExists(f"文件已存在：{target}", path=target)))
    fixed = restore(data, spec.reference, name)
    try:
        atomic_write(target, fixed.data)
    except OutputError as exc:
        raise fail(str(exc)) from None
    say(
        f"已写出修复后的模板 {target}：整理占位符 {fixed.tidied} 处，"
        f"恢复自动字号、字符缩放占位符 {fixed.restored} 处。",
        err=True,
    )
    return fixed.data


def _read_stdin_bytes() -> bytes:
    from typer._click.utils import get_binary_stream

    data = get_binary_stream("stdin").read(MAX_FILE_BYTES + 1)
    if not data:
        raise fail("标准输入没有数据（应为 docx 模板）")
    if len(data) > MAX_FILE_BYTES:
        raise fail(f"标准输入的数据过大（上限 {MAX_FILE_BYTES // (1024 * 1024)} MB）")
    return data


def _named(f: Finding, name: str) -> Finding:
    return replace(f, case=name)
