"""The typer application object shared by the command modules."""

from __future__ import annotations

import typer

from gongwen._version import __version__
from gongwen.cli.errors import ChineseGroup

app = typer.Typer(
    name="gongwen",
    cls=ChineseGroup,
    help="gongwen：按 GB/T 9704-2012 生成建议提案答复函、征询意见表和办理工作总结。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gongwen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="显示版本号并退出"
    ),
) -> None:
    """gongwen 命令行。"""


def exists_message(exc: Exception) -> str:
    """The library's "file exists" message with the flag that overrides it."""
    return f"{exc}（如需覆盖，请使用 --force）"


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a Chinese error message to stderr and return the Exit to raise."""
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)
