"""Parse a 届次 as ledgers write it (display, formal or short form) into Session fields."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from gongwen.models.enums import Body, Level, Period
from gongwen.text.numerals import cn_to_int

__all__ = ["SESSION_HINT", "parse_session"]

SESSION_HINT = "应如“区政协十二届三次会议”或“区十六届人大三次会议”"

_N = r"([零〇一二三四五六七八九十百\d]+)"
_LV = r"(全国|省|市|区|县|[\u4e00-\u9fa5]{1,10}?(?:自治区|自治州|自治县|省|市|区|县|旗|州|盟))"
_TAIL_MEETING = re.compile(r"第?" + _N + r"次(?:全体)?会议$")
_TAIL_RECESS = re.compile(r"(?:大会|会议)?闭会期间$")

_PATTERNS: tuple[tuple[re.Pattern[str], Body | None], ...] = (
    # 区政协十二届 / 临湖区政协十二届 / 全国政协十四届
    (re.compile(r"^" + _LV + r"政协第?" + _N + r"届(?:委员会)?$"), Body.CPPCC),
    # 区十六届人大 / 十四届全国人大 / 市五届政协
    (re.compile(r"^" + _LV + r"?第?" + _N + r"届(全国)?人大$"), Body.NPC),
    (re.compile(r"^" + _LV + r"?第?" + _N + r"届(全国)?政协$"), Body.CPPCC),
    # 市人大十六届
    (re.compile(r"^" + _LV + r"人大第?" + _N + r"届$"), Body.NPC),
    # 区三届（short form, body from the case type）
    (re.compile(r"^" + _LV + r"第?" + _N + r"届$"), None),
)
# 政协临湖区第十二届委员会 / 中国人民政治协商会议第十四届全国委员会
_FORMAL_CPPCC = re.compile(
    r"^(?:中国人民政治协商会议|政协)" + _LV + r"?第" + _N + r"届(全国)?委员会$"
)
# 临湖区第十六届人民代表大会 / 第十四届全国人民代表大会
_FORMAL_NPC = re.compile(r"^" + _LV + r"?第" + _N + r"届(全国)?人民代表大会$")

_SUFFIX_LEVEL = (
    ("自治区", Level.PROVINCE),
    ("自治州", Level.CITY),
    ("自治县", Level.COUNTY),
    ("省", Level.PROVINCE),
    ("市", Level.CITY),
    ("区", Level.DISTRICT),
    ("县", Level.COUNTY),
    ("旗", Level.COUNTY),
    ("州", Level.CITY),
    ("盟", Level.CITY),
)


def _int(text: str) -> int:
    return int(text) if text.isdigit() else cn_to_int(text)


def _level(text: str | None, national: bool) -> tuple[Level, str | None]:
    """The level and, when a place name was written, the region."""
    if national or text == "全国":
        return Level.NATIONAL, None
    if text is None:
        raise ValueError("届次中缺少层级（全国/省/市/区/县）")
    if len(text) == 1:
        return Level(text), None
    for suffix, level in _SUFFIX_LEVEL:
        if text.endswith(suffix):
            return level, text
    raise ValueError(f"无法识别的层级“{text}”")  # pragma: no cover - the pattern prevents it


def parse_session(text: str) -> dict[str, Any]:
    """Session fields from ``区政协十二届三次会议`` and similar.

    Returns a dict for :class:`gongwen.models.Session` (``body`` is None for the short form
    ``区三届一次会议``; the caller supplies it from the case type). Raises ``ValueError`` with a
    Chinese message when the text is not a 届次.
    """
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    period = Period.MEETING
    meeting: int | None = None
    rest = s
    m = _TAIL_RECESS.search(rest)
    if m:
        period = Period.RECESS
        rest = rest[: m.start()]
    m = _TAIL_MEETING.search(rest)
    if m:
        meeting = _int(m.group(1))
        rest = rest[: m.start()]
    if period is Period.MEETING and meeting is None:
        raise ValueError(f'无法识别的届次"{text.strip()}"，{SESSION_HINT}')
    body: Body | None
    lv: str | None
    national = False
    fm = _FORMAL_CPPCC.match(rest) or _FORMAL_NPC.match(rest)
    if fm:
        body = Body.CPPCC if fm.re is _FORMAL_CPPCC else Body.NPC
        lv, term_text, national = fm.group(1), fm.group(2), bool(fm.group(3))
    else:
        for pattern, pbody in _PATTERNS:
            pm = pattern.match(rest)
            if pm:
                body = pbody
                lv, term_text = pm.group(1), pm.group(2)
                national = len(pm.groups()) > 2 and bool(pm.group(3))
                break
        else:
            raise ValueError(f'无法识别的届次"{text.strip()}"，{SESSION_HINT}')
    try:
        level, region = _level(lv, national)
        term = _int(term_text)
    except ValueError as exc:
        raise ValueError(f'无法识别的届次"{text.strip()}"：{exc}') from None
    out: dict[str, Any] = {
        "body": body,
        "level": level,
        "term": term,
        "meeting": meeting,
        "period": period,
    }
    if region:
        out["region"] = region
    return out
