import pytest

from gongwen.text import (
    PLACEHOLDER_PATTERNS,
    ascii_punct_next_to_cjk,
    find_placeholders,
    fix_ascii_punct,
    unbalanced_pairs,
)


def test_ascii_punct_next_to_cjk() -> None:
    text = "经研究,现答复如下:一是(略);二是?好!"
    assert ascii_punct_next_to_cjk(text) == [
        (3, ","),
        (9, ":"),
        (12, "("),
        (14, ")"),
        (15, ";"),
        (18, "?"),
        (20, "!"),
    ]
    assert fix_ascii_punct(text) == "经研究，现答复如下：一是（略）；二是？好！"


@pytest.mark.parametrize(
    "text",
    [
        "上午9:30在会议室召开",
        "共1,000元，增长2.5%",
        "详见http://www.example.gov.cn/a?x=1,y=2页面",
        "使用Word, Excel (2016) 等软件",
        "e.g. foo(bar);baz",
        "已全部办结（共12件）。",
    ],
)
def test_ascii_punct_leaves_these_alone(text: str) -> None:
    assert ascii_punct_next_to_cjk(text) == []
    assert fix_ascii_punct(text) == text


def test_fix_is_idempotent() -> None:
    assert fix_ascii_punct("好,,!") == "好，，！"
    assert fix_ascii_punct("好,,!") == fix_ascii_punct(fix_ascii_punct("好,,!"))


def test_parentheses_are_fixed_as_a_pair() -> None:
    assert fix_ascii_punct("(附件)见后") == "（附件）见后"
    assert fix_ascii_punct("设立(ABC)机制") == "设立（ABC）机制"
    assert fix_ascii_punct("(ABC)机制") == "（ABC）机制"
    assert fix_ascii_punct("见网址(http://a.cn)。") == "见网址（http://a.cn）。"


def test_unbalanced_pairs() -> None:
    assert unbalanced_pairs("《关于“十四五”规划（草案）的建议》") == []
    assert unbalanced_pairs("《条例 “先 行“ （一）） ’") == [
        "书名号不成对：有1个《没有对应的》",
        "双引号不成对：有2个“没有对应的”",
        "括号不成对：有1个）没有对应的（",
        "单引号不成对：有1个’没有对应的‘",
    ]
    assert unbalanced_pairs("》《") == [
        "书名号不成对：有1个《没有对应的》",
        "书名号不成对：有1个》没有对应的《",
    ]


def test_find_placeholders() -> None:
    text = (
        "20XX年XX月，xx同志，××局，***，201*年，20**年，某某，〇〇，○○，TODO，{{ name }}，{% if %}"
    )
    assert find_placeholders(text) == [
        "20XX",
        "XX",
        "xx",
        "××",
        "***",
        "201*",
        "20**",
        "某某",
        "〇〇",
        "○○",
        "TODO",
        "{{",
        "}}",
        "{%",
        "%}",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "二〇〇八年，二〇二四年",
        "XXL号，Max，maximum，Mexx",
        "2024年，共3*4=12项，某单位",
        "总计100%",
    ],
)
def test_no_placeholders(text: str) -> None:
    assert find_placeholders(text) == []


def test_placeholder_patterns_are_named() -> None:
    assert {"XX", "某某", "TODO"} <= set(PLACEHOLDER_PATTERNS)
