"""Command: init — a starter folder an office can use at once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gongwen.cli.app import app, exists_message, fail
from gongwen.errors import GongwenError, OutputError
from gongwen.ledger.starter import make_starter


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="要创建的文件夹")],
    name: Annotated[str, typer.Option("--name", help="单位全称，如 东江市临湖区经济和信息化局")],
    code: Annotated[
        str | None,
        typer.Option("--code", help="答复函机关代字，如 临经信函（默认取单位名前两字加“函”）"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
) -> None:
    """新建一个可以直接使用的文件夹：单位信息、空白台账、答复正文文件夹和使用说明。"""
    try:
        paths = make_starter(folder, name, code=code, force=force)
    except OutputError as exc:
        message = exists_message(exc) if "已存在" in str(exc) else str(exc)
        raise fail(message) from None
    except (GongwenError, OSError, ValueError) as exc:
        raise fail(str(exc)) from None
    for p in paths:
        typer.echo(f"已创建 {p}")
    typer.echo(f"下一步：补全 {paths[0]}，在 {paths[1]} 中填写台账，然后运行 gongwen check")
