"""Common base for gongwen models: Chinese validation messages that name the field."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

# Chinese text for pydantic's built-in error types. ``{title}`` is the field's Chinese title.
_MESSAGES: dict[str, str] = {
    "missing": "缺少必填项{title}",
    "string_type": "{title}应为文本",
    "string_too_short": "{title}不能为空",
    "string_too_long": "{title}过长（最多{max_length}个字符）",
    "string_pattern_mismatch": "{title}格式不正确",
    "int_type": "{title}应为整数",
    "int_parsing": "{title}应为整数",
    "int_from_float": "{title}应为整数",
    "float_type": "{title}应为数字",
    "float_parsing": "{title}应为数字",
    "bool_type": "{title}应为“是”或“否”",
    "bool_parsing": "{title}应为“是”或“否”",
    "greater_than_equal": "{title}应不小于{ge}",
    "greater_than": "{title}应大于{gt}",
    "less_than_equal": "{title}应不大于{le}",
    "less_than": "{title}应小于{lt}",
    "date_type": "{title}应为日期，如2024年7月1日",
    "date_parsing": "{title}应为日期，如2024年7月1日",
    "date_from_datetime_parsing": "{title}应为日期，如2024年7月1日",
    "date_from_datetime_inexact": "{title}应为日期，不含时间",
    "enum": "{title}应为以下之一：{expected}",
    "literal_error": "{title}应为以下之一：{expected}",
    "list_type": "{title}应为列表",
    "too_short": "{title}至少需要{min_length}项",
    "too_long": "{title}最多{max_length}项",
    "dict_type": "{title}应为键值对象",
    "model_type": "{title}应为对象",
    "model_attributes_type": "{title}应为对象",
    "extra_forbidden": "不认识的字段{title}（请检查拼写）",
    "frozen_instance": "{title}不可修改",
    "union_tag_invalid": "{title}类型不正确",
    "value_error": "{title}：{error}",
    "assertion_error": "{title}：{error}",
}


class _Blank(dict[str, Any]):
    """format_map mapping that renders unknown keys as empty text."""

    def __missing__(self, key: str) -> str:
        return ""


def _field_title(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    """The Chinese title of the first field in ``loc`` as ``「发文字号」(doc_number)``."""
    if not loc:
        return ""
    name = loc[0]
    if isinstance(name, int):
        return f"第{name + 1}项"
    field = model.model_fields.get(name)
    if field is not None and field.title:
        return f"「{field.title}」"
    return f"「{name}」"


def _translate(model: type[BaseModel], exc: ValidationError) -> ValidationError:
    details: list[InitErrorDetails] = []
    for err in exc.errors():
        etype = err["type"]
        loc = tuple(err["loc"])
        if etype in _MESSAGES and not etype.startswith("gongwen"):
            ctx: dict[str, Any] = dict(err.get("ctx") or {})
            ctx.setdefault("title", _field_title(model, loc))
            if "error" in ctx:
                ctx["error"] = str(ctx["error"]).removeprefix("Value error, ")
            if "expected" in ctx:
                ctx["expected"] = str(ctx["expected"]).replace("'", "")
            template = _MESSAGES[etype]
            if etype == "string_too_short" and ctx.get("min_length", 1) > 1:
                template = "{title}过短（至少{min_length}个字符）"
            text = template.format_map(_Blank(ctx))
            # renamed so an enclosing model does not translate it a second time
            new_type = PydanticCustomError(
                f"gongwen_{etype}", text.replace("{", "{{").replace("}", "}}")
            )
        else:
            # Already a Chinese custom error (raised by our validators) — keep it.
            msg = err["msg"].replace("{", "{{").replace("}", "}}")
            new_type = PydanticCustomError(etype, msg)
        details.append({"type": new_type, "loc": loc, "input": err.get("input")})
    return ValidationError.from_exception_data(exc.title, details)


def _day(value: Any) -> Any:
    # Users write dates as 2024年5月20日 (the form the checks recommend), 2024/5/20 or 2024-05-20.
    if isinstance(value, str):
        from gongwen.text.dates import parse_date

        return parse_date(value)
    return value


#: A calendar date that also accepts the ways offices write one (``2024年5月20日``).
Day = Annotated[date, BeforeValidator(_day)]


class GwModel(BaseModel):
    """Base of all gongwen input models: frozen, no unknown fields, Chinese error messages."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, populate_by_name=True
    )

    @model_validator(mode="wrap")
    @classmethod
    def _chinese_errors(cls, data: Any, handler: Any) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            raise _translate(cls, exc) from None


def fail(message: str) -> PydanticCustomError:
    """A validation error with a Chinese message (use as ``raise fail(...)`` in validators)."""
    return PydanticCustomError("gongwen", message.replace("{", "{{").replace("}", "}}"))
