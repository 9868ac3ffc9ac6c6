"""Figures a narrative claims, parsed into (metrics, comparator, value) for the year rules.

A handling report's own text restates the statistics — ``按时办结率和直接走访率达100%``,
``实现了面商率、按时办复率、代表满意率的100%``, ``对办理结果满意率达100%``, ``已解决8件``,
``共承办建议提案12件``. :func:`parse_claims` finds each such figure and what it is about; the year
rule GW503 compares every claim with the computed statistics. The names come from
:mod:`gongwen.summary` (:data:`~gongwen.summary.RATE_ALIASES`), the words the report prints.

Metric keys: the rate keys of :attr:`gongwen.stats.YearStats.rates` (``on_time``,
``attitude_satisfied``, ``result_satisfied_or_basic`` …) and the counts ``total``, ``lead``,
``assist``, ``separate``, ``solved`` (classes that count as solved) and ``class:<code>``.
A satisfaction rate is resolved to exactly the item named before it (``对办理态度`` →
attitude, ``对办理结果`` → result, ``对办理态度和办理结果`` → both); without either word it is
the result rate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from gongwen.models.config import ClassScheme
from gongwen.models.enums import CaseKind
from gongwen.summary import RATE_ALIASES, SummaryWording

__all__ = ["Claim", "class_names", "parse_claims", "sentences"]


@dataclass(frozen=True)
class Claim:
    """One figure of the narrative: ``metrics`` (each must hold), ``comparator`` and ``value``.

    ``unit`` is ``%`` (value in percentage points, ``places`` decimals as written) or ``件``.
    ``names`` are the words the narrative used for the metrics (parallel to ``metrics``);
    ``scope`` is the kind a count is restricted to (``共承办代表建议6件``), else None.
    """

    text: str
    metrics: tuple[str, ...]
    names: tuple[str, ...]
    comparator: str  # "=", ">=" or ">"
    value: Decimal
    unit: str
    places: int = 0
    scope: CaseKind | None = None


_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_CN_DIGITS |= {"八": 8, "九": 9}
_VALUE = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]|百分之(百|[零一二两三四五六七八九十点]+)")
#: Between the last rate name and its figure: verbs only (``均达``, ``达到了``, ``为``, ``的``).
_GAP = re.compile(
    r"^\s*(?:均|都|全部|分别|也|已|已经|继续)*\s*"
    r"(?:达到了?|达|为|是|实现了?|保持在?|保持|在|超过了?|高于|不低于|提高到|提升至|提升到|提高至)?"
    r"\s*了?\s*的?\s*$"
)
#: Between two rate names of one run (``面商率、按时办复率、代表满意率``).
_JOIN = re.compile(
    r"^\s*(?:[、和及与]|以及)\s*(?:代表委员|人大代表|政协委员|代表|委员|提案人|群众)?"
    r"(?:对)?(?:办理)?(?:工作)?(?:的)?(?:态度|结果)?(?:的)?\s*$"
)
_AFTER_VALUE_AT_LEAST = re.compile(r"^\s*(?:及)?以上")
_QUALIFIER = re.compile(r"态度|结果")
_BOTH = re.compile(r"^(?:[和及与、]|以及)(?:办理)?$")

_TOTAL = re.compile(r"(?:共(?:承办|办理|收到)|承办)([^。；，,\d]{0,40}?)共?(\d+)\s*件")
_ROLE = re.compile(r"(主办|协办|分办)(?:件)?(\d+)\s*件")
_ROLE_KEYS = {"主办": "lead", "协办": "assist", "分办": "separate"}
_ALL_DONE = re.compile(r"(?:(?:已经?|均已)?全部|均已)(?:办结|办复|答复)(?!率)")
_ALL_ON_TIME = re.compile(
    r"(?:全部|均|均已)按时(?:办结|办复|答复)|按时全部(?:办结|办复|答复)"
    r"|在规定的?(?:时间|时限|期限)内[^。；]{0,6}(?:全部|均已?)(?:办结|办复|答复)"
)
_NOT_ALL = re.compile(r"尚有|尚未|其余|未办结|正在办理|已办结\d")


def sentences(text: str) -> list[str]:
    """The narrative cut at 。；！？ and line ends (full-width spaces dropped)."""
    return _SENTENCE.findall(text.replace("\u3000", ""))


def _cn_value(text: str) -> Decimal | None:
    """``百`` → 100, ``九十五`` → 95, ``九十九点五`` → 99.5 (the digits after 百分之)."""
    if text == "百":
        return Decimal(100)
    whole, _, frac = text.partition("点")
    if "十" in whole:
        tens, _, ones = whole.partition("十")
        if len(tens) > 1 or len(ones) > 1:
            return None
        n = (_CN_DIGITS.get(tens, -1) if tens else 1) * 10 + (
            _CN_DIGITS.get(ones, -1) if ones else 0
        )
    elif len(whole) == 1:
        n = _CN_DIGITS.get(whole, -1)
    else:
        return None
    if n < 0 or any(ch not in _CN_DIGITS for ch in frac):
        return None
    digits = "".join(str(_CN_DIGITS[ch]) for ch in frac)
    return Decimal(f"{n}.{digits}") if digits else Decimal(n)


def _value(m: re.Match[str]) -> tuple[Decimal, int] | None:
    if m.group(1) is not None:
        figure = m.group(1)
        return Decimal(figure), len(figure.split(".")[1]) if "." in figure else 0
    value = _cn_value(m.group(2))
    if value is None:
        return None
    return value, max(0, -value.as_tuple().exponent)  # type: ignore[operator]


def _items(prefix: str) -> tuple[str, ...]:
    """``attitude``/``result`` named last in ``prefix`` (both when written 态度和结果)."""
    found = list(_QUALIFIER.finditer(prefix))
    if not found:
        return ("result",)
    last = found[-1]
    words = {last.group(0)}
    if len(found) > 1 and _BOTH.match(prefix[found[-2].end() : last.start()]):
        words.add(found[-2].group(0))
    return tuple(item for word, item in (("态度", "attitude"), ("结果", "result")) if word in words)


def _metrics(key: str, prefix: str) -> tuple[str, ...]:
    if key in ("satisfied", "satisfied_or_basic"):
        return tuple(f"{item}_{key}" for item in _items(prefix))
    return (key,)


def _name_pattern(names: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True)))


def _rate_claims(sentence: str, names: Mapping[str, str]) -> list[Claim]:
    name_re = _name_pattern(names)
    values = list(_VALUE.finditer(sentence))
    out: list[Claim] = []
    start = 0
    i = 0
    while i < len(values):
        v = values[i]
        segment_start = start
        start = v.end()
        i += 1
        found = [m for m in name_re.finditer(sentence, segment_start, v.start())]
        if not found or not _GAP.match(sentence[found[-1].end() : v.start()]):
            continue
        run = [found[-1]]
        for m in reversed(found[:-1]):
            if not _JOIN.match(sentence[m.end() : run[0].start()]):
                break
            run.insert(0, m)
        gap = sentence[run[-1].end() : v.start()]
        comparator = ">" if re.search(r"超过|高于", gap) else "="
        if re.search(r"不低于", gap) or _AFTER_VALUE_AT_LEAST.match(sentence[v.end() :]):
            comparator = ">="
        figures = [v]
        if "分别" in gap:  # 分别为91.7%、77.8%: one figure per name
            while i < len(values) and re.fullmatch(
                r"\s*[、和及与]\s*", sentence[start : values[i].start()]
            ):
                figures.append(values[i])
                start = values[i].end()
                i += 1
            if len(figures) != len(run):
                continue
            pairs = [([m], f) for m, f in zip(run, figures, strict=True)]
            whole = sentence[run[0].start() : figures[-1].end()]
        else:
            pairs = [(run, v)]
            whole = ""
        for ms, fig in pairs:
            parsed = _value(fig)
            if parsed is None:
                continue
            metrics: list[str] = []
            said: list[str] = []
            for m in ms:
                prefix = sentence[segment_start : m.start()]
                for metric in _metrics(names[m.group(0)], prefix):
                    metrics.append(metric)
                    said.append(m.group(0))
            text = whole or sentence[ms[0].start() : fig.end()]
            out.append(
                Claim(text, tuple(metrics), tuple(said), comparator, parsed[0], "%", parsed[1])
            )
    return out


def _scope(text: str) -> CaseKind | None:
    has_s, has_p = "建议" in text, "提案" in text
    if has_s and not has_p:
        return CaseKind.SUGGESTION
    if has_p and not has_s:
        return CaseKind.PROPOSAL
    return None


def _count_claims(sentence: str, classes: Mapping[str, str]) -> list[Claim]:
    out: list[Claim] = []
    scope = _scope(sentence)
    for m in _TOTAL.finditer(sentence):
        out.append(
            Claim(
                m.group(0),
                ("total",),
                ("共承办",),
                "=",
                Decimal(m.group(2)),
                "件",
                scope=_scope(m.group(1)),
            )
        )
    for m in _ROLE.finditer(sentence):
        out.append(
            Claim(
                m.group(0),
                (_ROLE_KEYS[m.group(1)],),
                (m.group(1),),
                "=",
                Decimal(m.group(2)),
                "件",
                scope=scope,
            )
        )
    if classes:
        class_re = re.compile(rf"({_name_pattern(classes).pattern})(?:的|了)?\s*(\d+)\s*件")
        for m in class_re.finditer(sentence):
            out.append(
                Claim(
                    m.group(0),
                    (classes[m.group(1)],),
                    (m.group(1),),
                    "=",
                    Decimal(m.group(2)),
                    "件",
                )
            )
    return out


def _done_claims(sentence: str) -> list[Claim]:
    if _NOT_ALL.search(sentence):
        return []
    out = []
    m = _ALL_ON_TIME.search(sentence)
    if m:
        out.append(Claim(m.group(0), ("on_time",), ("按时办结率",), "=", Decimal(100), "%"))
    else:
        m = _ALL_DONE.search(sentence)
        if m:
            out.append(Claim(m.group(0), ("replied",), ("办结率",), "=", Decimal(100), "%"))
    return out


def class_names(scheme: ClassScheme, wording: SummaryWording | None = None) -> dict[str, str]:
    """Words for class counts → metric: each label and short form (``class:B``), and
    ``已解决`` / ``已经解决`` / ``已采纳`` for the classes that count as solved (``solved``)."""
    wd = wording or SummaryWording()
    out: dict[str, str] = {}
    for c in scheme.classes:
        for name in (c.label, wd.short_label(c.code, c.label)):
            out.setdefault(name, f"class:{c.code}")
    if any(c.counts_as_solved for c in scheme.classes):
        for name in ("已解决", "已经解决", "已采纳"):
            out.setdefault(name, "solved")
    return out


def parse_claims(
    text: str,
    *,
    classes: Mapping[str, str] | None = None,
    rate_names: Mapping[str, str] | None = None,
) -> list[Claim]:
    """Every figure ``text`` claims, sentence by sentence, in order.

    ``classes`` maps class words to metrics (:func:`class_names`); ``rate_names`` adds the
    configured rate names (name → key) to :data:`~gongwen.summary.RATE_ALIASES`.
    """
    names = {**RATE_ALIASES, **(rate_names or {})}
    out: list[Claim] = []
    for sentence in sentences(text):
        out.extend(_count_claims(sentence, classes or {}))
        out.extend(_rate_claims(sentence, names))
        out.extend(_done_claims(sentence))
    return out
