"""The typer application object shared by the command modules."""

from __future__ import annotations

from datetime import date

import typer

from gongwen._version import __version__
from gongwen.cli.errors import ChineseGroup
from gongwen.text.dates import parse_date

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


def option_date(value: str | None, flag: str, example: str) -> date | None:
    """The date a ``--date``/``--today`` option gives (``None`` when not given), or the CLI's
    Chinese failure (exit 2) naming the option and the form to write."""
    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise fail(f"{flag}：{exc}，应写作 YYYY-MM-DD，如 {example}") from None


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a Chinese error message to stderr and return the Exit to raise."""
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)
