"""typer's own errors (a missing option, a bad value, an unknown command) in Chinese.

:class:`ChineseGroup` is the application's command group: any usage error raised while the
command line is parsed is replaced by one with a Chinese message naming the option and what it
is for (``缺少选项 --org（承办单位信息文件）``); the usage line and the error panel are Chinese too.
"""

from __future__ import annotations

import re
from typing import Any

from typer import _click as click
from typer import rich_utils
from typer.core import TyperGroup, TyperOption

__all__ = ["ChineseGroup", "chinese_message"]

rich_utils.ERRORS_PANEL_TITLE = "错误"
rich_utils.RICH_HELP = "查看帮助：[blue]{command_path} {help_option}[/]"
rich_utils.ABORTED_TEXT = "已中止。"

_write_usage = click.formatting.HelpFormatter.write_usage


def _usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
    _write_usage(self, prog, args, "用法：" if prefix is None else prefix)


click.formatting.HelpFormatter.write_usage = _usage  # type: ignore[method-assign]

# Value messages of typer/pydantic and click → Chinese.
_VALUES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Input should be a valid integer.*"), "应为整数"),
    (re.compile(r"Input should be a valid number.*"), "应为数字"),
    (re.compile(r"Input should be greater than or equal to (\S+)"), r"不能小于 \1"),
    (re.compile(r"Input should be greater than (\S+)"), r"应大于 \1"),
    (re.compile(r"Input should be less than or equal to (\S+)"), r"不能大于 \1"),
    (re.compile(r"Input should be less than (\S+)"), r"应小于 \1"),
    (re.compile(r"(?:Value error, )?'(.*)' is not one of (.*)\."), r"“\1”不是可选值之一：\2"),
    (re.compile(r"(?:Value error, )?(.*) is not a valid boolean.*"), r"“\1”应为是或否"),
    (
        re.compile(r"(?:Value error, )?(?:File|Directory|Path) '(.*)' does not exist\.?"),
        r"“\1”不存在",
    ),
)


def _value(message: str) -> str:
    for pattern, chinese in _VALUES:
        if pattern.search(message):
            return pattern.sub(chinese, message).replace("', '", "、").replace("'", "")
    return message


def _what(param: Any) -> str:
    """What a parameter is for: the start of its help text (``承办单位信息文件``)."""
    text = str(getattr(param, "help", "") or "")
    short = re.split(r"[（(；;，,。：:]", text, maxsplit=1)[0].strip()
    return f"（{short}）" if short else ""


def _name(param: Any) -> str:
    opts = [o for o in getattr(param, "opts", []) if o.startswith("--")] or getattr(
        param, "opts", []
    )
    if isinstance(param, TyperOption) and opts:
        return str(max(opts, key=len))
    return str(getattr(param, "human_readable_name", "") or getattr(param, "name", "")).upper()


def chinese_message(exc: click.ClickException) -> str:
    """The Chinese message for a usage error of the command line."""
    message = exc.message
    if isinstance(exc, click.exceptions.MissingParameter) and exc.param is not None:
        kind = "选项" if isinstance(exc.param, TyperOption) else "参数"
        return f"缺少{kind} {_name(exc.param)}{_what(exc.param)}"
    if isinstance(exc, click.exceptions.NoSuchOption):
        text = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            text += f"（是否想用 {'、'.join(sorted(exc.possibilities))}？）"
        return text
    if isinstance(exc, click.exceptions.BadOptionUsage):
        if "requires an argument" in message:
            return f"选项 {exc.option_name} 后面须写一个值"
        return f"选项 {exc.option_name} 的用法有误：{message}"
    if isinstance(exc, click.exceptions.BadParameter):
        param = exc.param
        what = f"{_name(param)}{_what(param)}" if param is not None else "参数"
        return f"{what}的值无效：{_value(message)}"
    m = re.match(r"No such command '(.*)'\.", message)
    if m:
        return f"没有命令“{m[1]}”（可用命令见 gongwen --help）"
    m = re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)", message)
    if m:
        return f"多余的参数：{m[1]}"
    return f"命令行有误：{message}"


def _chinese(exc: click.ClickException) -> click.ClickException:
    if (
        not isinstance(exc, click.exceptions.UsageError)
        or type(exc).__name__ == "NoArgsIsHelpError"
    ):
        return exc
    new = click.exceptions.UsageError(chinese_message(exc), getattr(exc, "ctx", None))
    new.exit_code = exc.exit_code
    return new


class ChineseGroup(TyperGroup):
    """The command group: usage errors of the group and of every command in Chinese."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as exc:
            raise _chinese(exc) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            raise _chinese(exc) from None
