"""Reading one ledger cell: text, numbers, dates, yes/no, vocabularies, proposers, ratings.

Every converter takes the raw cell value (already known not to be empty) and returns plain data
for the models, or raises ``ValueError`` with the Chinese message shown for that cell.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from gongwen.models.enums import CaseKind, ContactMethod, HandlingRole, Pertinence, Rating
from gongwen.text.dates import parse_date

__all__ = [
    "COLLECTIVE_PREFIXES",
    "COLLECTIVE_SUFFIXES",
    "is_blank",
    "split_list",
    "to_bool",
    "to_date",
    "to_enum",
    "to_int",
    "to_kind",
    "to_number",
    "to_proposers",
    "to_ratings",
    "to_role",
    "to_signers",
    "to_text",
]

E = TypeVar("E", bound=StrEnum)

_LIST_SEP = re.compile(r"[、，,；;\n]+")
_NUMBER = re.compile(r"^(?:建议|提案)?第?0*(\d{1,5})号?$")


def is_blank(value: Any) -> bool:
    """True for None and strings with only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def to_text(value: Any) -> str:
    """Text as typed (numbers written without a trailing ``.0``)."""
    if isinstance(value, datetime | date):
        raise ValueError(f'应为文本，而不是日期"{value}"')
    return _show(value)


def to_multiline(value: Any) -> str:
    """Long text: CRLF normalised, outer whitespace removed."""
    return to_text(value).replace("\r\n", "\n").replace("\r", "\n")


def to_int(value: Any) -> int:
    """A whole number (``3``, ``3.0``, ``"3"``)."""
    if isinstance(value, bool):
        raise ValueError(f'应为整数，而不是"{value}"')
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    raise ValueError(f'应为整数，而不是"{_show(value)}"')


def to_number(value: Any) -> int:
    """A case number: ``8``, ``008``, ``8号``, ``第8号``, ``提案008``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f'案号应为正整数，而不是"{_show(value)}"')
        n = int(value)
    else:
        m = _NUMBER.fullmatch(re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value))))
        if not m:
            raise ValueError(f'案号应为正整数，而不是"{_show(value)}"')
        n = int(m.group(1))
    if not 1 <= n <= 99999:
        raise ValueError(f'案号应为1至99999的整数，而不是"{_show(value)}"')
    return n


def to_date(value: Any) -> date:
    """A date: Excel date or serial, ``2024-03-15``, ``2024/3/15``, ``2024年3月15日``."""
    return parse_date(value)


_YES = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "重点", "同意", "对", "有"}
_NO = {"否", "n", "no", "false", "0", "×", "✗", "x", "不同意", "无"}


def to_bool(value: Any) -> bool:
    """是/否 (also √/×, Y/N, 1/0, true/false)."""
    if isinstance(value, bool):
        return value
    text = unicodedata.normalize("NFKC", _show(value)).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f'应为“是”或“否”，而不是"{_show(value)}"')


_KIND_ALIASES = {
    "建议": CaseKind.SUGGESTION,
    "代表建议": CaseKind.SUGGESTION,
    "人大建议": CaseKind.SUGGESTION,
    "人大代表建议": CaseKind.SUGGESTION,
    "suggestion": CaseKind.SUGGESTION,
    "提案": CaseKind.PROPOSAL,
    "政协提案": CaseKind.PROPOSAL,
    "委员提案": CaseKind.PROPOSAL,
    "proposal": CaseKind.PROPOSAL,
}
_ROLE_ALIASES = {
    "主办": HandlingRole.LEAD,
    "牵头": HandlingRole.LEAD,
    "牵头办理": HandlingRole.LEAD,
    "协办": HandlingRole.ASSIST,
    "会办": HandlingRole.ASSIST,
    "配合": HandlingRole.ASSIST,
    "分办": HandlingRole.SEPARATE,
    "单独办理": HandlingRole.SEPARATE,
    "lead": HandlingRole.LEAD,
    "assist": HandlingRole.ASSIST,
    "separate": HandlingRole.SEPARATE,
}


def to_kind(value: Any) -> CaseKind:
    """建议 or 提案 (also 代表建议, 政协提案, suggestion, proposal)."""
    text = re.sub(r"\s+", "", _show(value)).lower()
    if text in _KIND_ALIASES:
        return _KIND_ALIASES[text]
    raise ValueError(f'类型应为“建议”或“提案”，而不是"{_show(value)}"')


def to_role(value: Any) -> HandlingRole:
    """主办, 协办 (会办) or 分办."""
    text = re.sub(r"\s+", "", _show(value)).lower().removesuffix("单位")
    if text in _ROLE_ALIASES:
        return _ROLE_ALIASES[text]
    raise ValueError(f'办理类型应为主办、协办或分办，而不是"{_show(value)}"')


def to_enum(enum: type[E], value: Any, what: str) -> E:
    """A value of a Chinese vocabulary, with a message listing the choices."""
    text = re.sub(r"\s+", "", _show(value))
    for member in enum:
        if member.value == text:
            return member
    choices = "、".join(m.value for m in enum)
    raise ValueError(f'{what}应为以下之一：{choices}，而不是"{_show(value)}"')


def split_list(value: Any) -> list[str]:
    """Items separated by 、 ， , ； ; or new lines."""
    return [p.strip() for p in _LIST_SEP.split(_show(value)) if p.strip()]


#: A proposer whose name ends with one of these is a collective (党派、团体、界别).
COLLECTIVE_SUFFIXES = (
    "委员会",
    "工委",
    "支部",
    "总支",
    "支社",
    "小组",
    "代表团",
    "界别",
    "联合会",
    "工商联",
    "商会",
    "协会",
    "学会",
    "党组",
    "联组",
)
#: A proposer whose name starts with one of these is a collective.
COLLECTIVE_PREFIXES = (
    "民革",
    "民盟",
    "民建",
    "民进",
    "农工党",
    "致公党",
    "九三学社",
    "台盟",
    "中共",
    "共青团",
    "妇联",
    "科协",
    "侨联",
    "台联",
    "青联",
)
_MARK = re.compile(r"^(?:【(?P<a>[^】]+)】|(?P<b>.+?)[（(]集体[）)])$")


def _proposer(name: str) -> dict[str, Any]:
    m = _MARK.match(name)
    if m:
        return {"name": (m.group("a") or m.group("b")).strip(), "type": "collective"}
    if name.endswith(COLLECTIVE_SUFFIXES) or name.startswith(COLLECTIVE_PREFIXES):
        return {"name": name, "type": "collective"}
    return {"name": name}


def to_proposers(value: Any) -> list[dict[str, Any]]:
    """Proposer dicts from ``张三、李四``; the first leads. See :data:`COLLECTIVE_SUFFIXES`."""
    names = split_list(value)
    if not names:
        raise ValueError("不能为空")
    return [_proposer(n) for n in names]


# ``张建国等3人`` / ``张建国、李明等5位代表`` / ``张建国等三名委员``: the count includes the names.
_SIGNED = re.compile(
    r"^(?P<names>.+?)等\s*(?P<n>\d+|[一二两三四五六七八九十]+)\s*(?:人|位|名)"
    r"(?:代表|委员|代表委员)?$"
)
_CN_COUNT = {c: i for i, c in enumerate("零一二三四五六七八九十")} | {"两": 2}


def _count(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_CN_COUNT[text[1]] if len(text) > 1 else 0)
    if len(text) > 1 and text[1] == "十":
        return _CN_COUNT[text[0]] * 10 + (_CN_COUNT[text[2]] if len(text) > 2 else 0)
    return _CN_COUNT[text[0]]


def to_signers(value: Any) -> tuple[list[dict[str, Any]], int]:
    """The proposers of a cell and how many co-signers it counts but does not name.

    ``张建国等3人`` is the lead 张建国 and two co-signers not named: ``([张建国], 2)``.
    """
    text = unicodedata.normalize("NFKC", _show(value)).strip()
    m = _SIGNED.match(text)
    if m is None:
        return to_proposers(value), 0
    proposers = to_proposers(m.group("names"))
    total = _count(m.group("n"))
    if total < len(proposers):
        raise ValueError(f"“{text}”写了{total}人，但列出了{len(proposers)}个姓名")
    return proposers, total - len(proposers)


_PAIR = re.compile(r"^(?P<name>[^:：]+)[:：](?P<value>.+)$")
_PAIR_SEP = re.compile(r"[；;\n]+")


def to_ratings(value: Any, what: str, enum: type[E]) -> list[tuple[str | None, E]]:
    """``满意`` (the lead proposer's form) or ``张三：满意；李四：基本满意`` (one form each)."""
    text = _show(value)
    if not re.search(r"[:：]", text):
        return [(None, to_enum(enum, text, what))]
    out: list[tuple[str | None, E]] = []
    for part in _PAIR_SEP.split(text):
        if not part.strip():
            continue
        m = _PAIR.match(part.strip())
        if not m:
            raise ValueError(f'{what}应写作“姓名：评价”，而不是"{part.strip()}"')
        out.append((m.group("name").strip(), to_enum(enum, m.group("value"), what)))
    return out


RATING_KINDS: dict[str, tuple[str, type[StrEnum]]] = {
    "attitude": ("态度评价", Rating),
    "result": ("结果评价", Rating),
    "pertinence": ("针对性", Pertinence),
    "contact_method": ("沟通方式", ContactMethod),
}
