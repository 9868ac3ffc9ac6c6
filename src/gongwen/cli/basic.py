"""Commands: schema, demo."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from gongwen.cli.app import app, fail
from gongwen.cli.output import is_stdout
from gongwen.errors import OutputError
from gongwen.models.schema import SCHEMA_MODELS, json_schema
from gongwen.output.atomic import atomic_write


@app.command()
def schema(
    model: str = typer.Argument("year", help=f"模型名称：{'、'.join(SCHEMA_MODELS)}"),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="写入文件（默认或 - 输出到标准输出）"
    ),
) -> None:
    """导出输入数据的 JSON Schema，供其他系统对接。"""
    if model not in SCHEMA_MODELS:
        raise fail(f"未知模型“{model}”，可选：{'、'.join(SCHEMA_MODELS)}")
    text = json.dumps(json_schema(model), ensure_ascii=False, indent=2)
    if out is None or is_stdout(out):
        typer.echo(text)
        return
    try:
        atomic_write(out, (text + "\n").encode("utf-8"))
    except OutputError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"已写入 {out}")


@app.command()
def demo(
    out: Path = typer.Option(Path("demo-out"), "--out", "-o", help="输出目录"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    workers: int = typer.Option(1, "--workers", "-j", min=1, help="并行进程数"),
) -> None:
    """用内置示例（一个单位、一年的建议提案）生成全部答复函、征询意见表、工作总结和合订本。"""
    from gongwen.cli.batch import batch
    from gongwen.resources import example_path

    typer.echo(f"示例数据：{example_path('year2024.yaml')}")
    batch(
        ledger=example_path("year2024.yaml"),
        org=example_path("organisation.yaml"),
        out=out,
        what="replies,forms,report",
        workers=workers,
        merge=True,
        force=force,
        bodies=None,
        narrative=example_path("narrative2024.md"),
        today=None,
        preview=False,
    )
