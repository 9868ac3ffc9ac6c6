"""Commands: schema, demo."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from gongwen.cli.app import app, fail
from gongwen.schema import SCHEMA_MODELS, json_schema


@app.command()
def schema(
    model: str = typer.Argument("year", help=f"模型名称：{'、'.join(SCHEMA_MODELS)}"),
    out: Path | None = typer.Option(None, "--out", "-o", help="写入文件（默认输出到屏幕）"),
) -> None:
    """导出输入数据的 JSON Schema，供其他系统对接。"""
    if model not in SCHEMA_MODELS:
        raise fail(f"未知模型“{model}”，可选：{'、'.join(SCHEMA_MODELS)}")
    text = json.dumps(json_schema(model), ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"已写入 {out}")
