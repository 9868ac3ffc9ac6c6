from hypothesis import given
from hypothesis import strategies as st

from gongwen.text import Heading, Paragraph, heading_problems, parse_body, render_body


def test_paragraphs_and_line_joining() -> None:
    text = (
        "  我单位高度重视，\n认真研究。\r\n\r\n\u3000\u3000第二段Hello\nworld，2024\n年。  \r\r"
        "第三段Version\n2.0 (beta)\n共3\n件"
    )
    assert parse_body(text) == [
        Paragraph("我单位高度重视，认真研究。"),
        Paragraph("第二段Hello world，2024年。"),
        Paragraph("第三段Version 2.0 (beta)共3件"),
    ]


def test_blank_lines_with_spaces_separate_paragraphs() -> None:
    assert parse_body("甲\n \u3000\t\n\n\n乙\n") == [Paragraph("甲"), Paragraph("乙")]
    assert parse_body("") == []
    assert parse_body("\n\u3000\n") == []


def test_heading_levels_and_canonical_markers() -> None:
    text = "\n\n".join(
        [
            "一、总体情况",
            "（一）加强领导",
            "(二) 落实责任",
            "1.细化分工",
            "2．明确时限",
            "3、加强督办",
            "（1）每月通报",
            "(2)年底考核",
            "十二、其他",
        ]
    )
    blocks = parse_body(text)
    assert [(b.level, b.number, b.marker, b.title) for b in blocks if isinstance(b, Heading)] == [
        (1, 1, "一、", "总体情况"),
        (2, 1, "（一）", "加强领导"),
        (2, 2, "（二）", "落实责任"),
        (3, 1, "1.", "细化分工"),
        (3, 2, "2.", "明确时限"),
        (3, 3, "3.", "加强督办"),
        (4, 1, "（1）", "每月通报"),
        (4, 2, "（2）", "年底考核"),
        (1, 12, "十二、", "其他"),
    ]


def test_run_in_heading_text() -> None:
    [block] = parse_body("（一）加强领导。具体内容\n包括三个方面：一是……")
    assert block == Heading(2, 1, "（一）", "加强领导。", "具体内容包括三个方面：一是……")
    assert block.head == "（一）加强领导。"
    # punctuation only at the end: all of it is the heading
    [block] = parse_body("1.关于资金问题。")
    assert block == Heading(3, 1, "1.", "关于资金问题。", "")
    [block] = parse_body("一、基本情况：今年共承办建议40件。")
    assert block == Heading(1, 1, "一、", "基本情况：", "今年共承办建议40件。")


def test_things_that_look_like_numbers_are_paragraphs() -> None:
    for text in ["2024.7.1召开座谈会", "1.5亿元用于改造", "12345件", "(注：见附件)", "十十、错"]:
        assert parse_body(text) == [Paragraph(text)], text
    [block] = parse_body("1、2024年工作")
    assert block == Heading(3, 1, "1.", "2024年工作", "")


def test_render_body_is_canonical() -> None:
    blocks = parse_body("(一) 加强领导。具体内容\n\n正文\n\n1、2024年工作")
    assert render_body(blocks) == "（一）加强领导。具体内容\n\n正文\n\n1. 2024年工作"
    assert parse_body(render_body(blocks)) == blocks


_pieces = st.sampled_from(
    [
        "一、",
        "十二、",
        "（一）",
        "(三)",
        "1.",
        "2．",
        "3、",
        "（1）",
        "(4)",
        "2024.7.1",
        "1.5",
        "加强领导",
        "具体内容",
        "。",
        "：",
        "！",
        "？",
        "，",
        "Hello",
        "world",
        "42",
        " ",
        "\u3000",
        "\t",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "(",
        ")",
        "十十、",
        "零、",
    ]
)


@given(st.one_of(st.lists(_pieces, max_size=25).map("".join), st.text(max_size=60)))
def test_parse_render_round_trip(text: str) -> None:
    blocks = parse_body(text)
    assert parse_body(render_body(blocks)) == blocks
    for block in blocks:
        rendered = render_body([block])
        assert rendered and "\n" not in rendered
        assert rendered == rendered.strip()


def _problems(*paragraphs: str) -> list[tuple[int, str]]:
    return heading_problems(parse_body("\n\n".join(paragraphs)))


def test_correct_outline_has_no_problems() -> None:
    assert (
        _problems(
            "一、甲", "（一）子", "1.孙", "2.孙", "（1）曾", "（二）子", "1.孙", "二、乙", "正文"
        )
        == []
    )
    # a level may be skipped going down, and an outline may start at level 2
    assert _problems("一、甲", "1.孙", "2.孙", "二、乙", "（一）子") == []
    assert _problems("（一）子", "1.孙", "（二）子") == []


def test_numbering_gap_and_repeat() -> None:
    assert _problems("一、甲", "正文", "三、丙") == [(2, "标题序号不连续：“三、”前应为“二、”")]
    assert _problems("一、甲", "（二）子") == [(1, "标题序号不连续：“（二）”前应为“（一）”")]
    assert _problems("一、甲", "二、乙", "二、乙") == [
        (2, "标题序号重复或倒序：“二、”处应为“三、”")
    ]


def test_numbering_restarts_under_each_parent() -> None:
    assert _problems("一、甲", "（一）a", "（二）b", "二、乙", "（一）c") == []
    assert _problems("一、甲", "（一）a", "（二）b", "二、乙", "（三）c") == [
        (4, "标题序号不连续：“（三）”前应为“（一）”")
    ]


def test_heading_without_parent() -> None:
    assert _problems("（一）a", "一、甲", "（一）b") == [
        (0, "标题层级错误：“（一）”前缺少上一级标题")
    ]
    assert _problems("1.a", "（一）b") == [(0, "标题层级错误：“1.”前缺少上一级标题")]


def test_skipped_level_used_before_the_skipped_one() -> None:
    assert _problems("一、甲", "1.a", "（一）b") == [
        (2, "标题层级错误：“（一）”不应排在下级标题“1.”之后")
    ]
