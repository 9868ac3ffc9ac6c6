"""Commands: reply, template init."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import typer

from gongwen.api import render_reply
from gongwen.checks import CheckFailed
from gongwen.cli.app import app, exists_message, fail
from gongwen.cli.output import print_findings, write_previews
from gongwen.errors import GongwenError, OutputExists, TemplateError
from gongwen.ledger.files import load_organisation, load_record
from gongwen.resources import data_dir

template_app = typer.Typer(help="模板管理：复制默认模板以便定制。", no_args_is_help=True)
app.add_typer(template_app, name="template")


@app.command()
def reply(
    case_file: Path = typer.Argument(..., help="案件文件（YAML/JSON，含 case、reply）"),
    org: Path = typer.Option(..., "--org", help="承办单位文件（YAML/JSON）"),
    out: Path = typer.Option(..., "--out", "-o", help="输出 .docx 文件或目录"),
    variant: str = typer.Option(
        "letter", "--variant", help="letter 信函格式；file 文件格式（红头）"
    ),
    template: Path | None = typer.Option(None, "--template", help="自定义模板 .docx"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    preview: bool = typer.Option(False, "--preview", help="同时在旁边生成 PDF 预览"),
) -> None:
    """生成一件建议/提案的答复函（本单位协办时生成协办意见）。"""
    if variant not in ("letter", "file"):
        raise fail(f"--variant 只能是 letter 或 file，而不是“{variant}”")
    try:
        record = load_record(case_file)
        organisation = load_organisation(org)
    except GongwenError as exc:
        raise fail(str(exc)) from None
    if record.reply is None:
        raise fail(f"{case_file} 中没有 reply（答复）内容")
    try:
        doc = render_reply(
            record.case,
            record.reply,
            organisation,
            variant="file" if variant == "file" else "letter",
            template=template,
        )
        # typer drops the trailing "/" of "--out newdir/": a name without .docx is a folder
        path = doc.save(out if out.suffix.lower() == ".docx" else f"{out}{os.sep}", overwrite=force)
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


@template_app.command("init")
def template_init(
    directory: Path = typer.Argument(..., help="复制到的目录"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
) -> None:
    """把默认模板复制到 DIR，供单位修改版头等（占位符说明见 templates/README.md）。"""
    src = data_dir("templates/docx")
    directory.mkdir(parents=True, exist_ok=True)
    copied = 0
    for f in sorted(src.glob("*.docx")):
        target = directory / f.name
        if target.exists() and not force:
            typer.echo(f"已存在，跳过：{target}")
            continue
        shutil.copyfile(f, target)
        copied += 1
    readme = src.parent / "README.md"
    if readme.is_file() and (force or not (directory / "README.md").exists()):
        shutil.copyfile(readme, directory / "README.md")
    typer.echo(f"已复制 {copied} 个模板到 {directory}。修改后用 --template 指定。")
