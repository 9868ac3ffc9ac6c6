"""Ledger reading: formats, encodings, aliases, and row/column-precise problems."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from gongwen import HandlingYear, Organisation
from gongwen.ledger import LedgerError, column_for, load_ledger, parse_session, write_ledger
from gongwen.models import CaseKind, HandlingRole, Level, Period, Rating, Session

HEADERS = [
    "类型",
    "届次",
    "案号",
    "案由",
    "提案人",
    "办理类型",
    "主办单位",
    "交办日期",  # A-H
    "发文字号",
    "答复日期",
    "答复类别",
    "公开属性",
    "答复正文",
    "态度评价",
    "结果评价",  # I-O
]
BODY = "您提出的提案收悉。经认真研究，现答复如下：\n\n一、关于扶持政策\n\n我局已出台相关办法。"


def row(**over: Any) -> list[Any]:
    """A good 提案 row (values by header), with some cells replaced."""
    base: dict[str, Any] = {
        "类型": "提案",
        "届次": "区政协十二届三次会议",
        "案号": 8,
        "案由": "关于加大中小企业数字化转型扶持力度的提案",
        "提案人": "张建国、李明华",
        "办理类型": "主办",
        "主办单位": "东江市临湖区经济和信息化局",
        "交办日期": datetime(2024, 3, 15),
        "发文字号": "临经信函〔2024〕11号",
        "答复日期": datetime(2024, 5, 20),
        "答复类别": "A",
        "公开属性": "全文公开",
        "答复正文": BODY,
        "态度评价": "满意",
        "结果评价": "张建国：满意；李明华：基本满意",
    }
    base.update(over)
    return [base[h] for h in HEADERS]


def xlsx(path: Path, headers: list[str], rows: list[list[Any]], title: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def messages(result: Any) -> list[str]:
    return [f"{p.where}：{p.message}" for p in result.problems]


def test_every_bad_cell_is_reported_with_row_and_column(tmp_path: Path) -> None:
    rows = [
        row(),  # 2 good
        row(**{"案号": 15, "交办日期": "2024.13.01", "答复类别": "E"}),  # 3 two bad cells
        row(**{"案号": 23, "类型": "议案"}),  # 4 unknown type
        row(**{"案由": "关于另一件事的提案"}),  # 5 duplicate of row 2
        row(**{"案号": 31, "案由": None}),  # 6 empty 案由
        row(
            **{
                "类型": "建议",
                "届次": "区十六届人大三次会议",
                "案号": 72,
                "提案人": "陈志强",
                "结果评价": "很好",
            }
        ),  # 7 bad rating
        row(
            **{
                "类型": "建议",
                "届次": "区十六届人大三次会议",
                "案号": 8,
                "提案人": "陈志强",
                "办理类型": "牵头",
                "结果评价": None,
            }
        ),  # 8 good (alias 牵头)
    ]
    headers = [*HEADERS, "备注"]
    path = xlsx(tmp_path / "台账.xlsx", headers, [[*r, "随便写"] for r in rows])
    result = load_ledger(path)
    assert messages(result) == [
        '第1行 P列（备注）：不认识的列名"备注"，该列已忽略（可用列名见文档）',
        '第3行 H列（交办日期）：无法识别的日期"2024.13.01"',
        '第3行 K列（答复类别）：答复类别应为A、B、C之一（三类方案），而不是"E"',
        '第4行 A列（类型）：类型应为“建议”或“提案”，而不是"议案"',
        "第5行 C列（案号）：案号重复：与第2行同为区政协十二届三次会议第8号提案",
        "第6行 D列（案由）：不能为空",
        '第7行 O列（结果评价）：结果评价应为以下之一：满意、基本满意、不满意，而不是"很好"',
    ]
    assert [p.severity for p in result.problems][:1] == ["warning"]
    assert [r for r, _ in result.records] == [2, 8]
    first = result.records[0][1]
    assert first.case.kind is CaseKind.PROPOSAL
    assert first.case.session.display == "区政协十二届三次会议"
    assert [p.name for p in first.case.proposers] == ["张建国", "李明华"]
    assert first.case.assigned_date == date(2024, 3, 15)
    assert first.reply is not None and str(first.reply.doc_number) == "临经信函〔2024〕11号"
    assert [(f.proposer, f.attitude, f.result) for f in first.feedback] == [
        ("张建国", Rating.SATISFIED, Rating.SATISFIED),
        ("李明华", None, Rating.BASICALLY),
    ]
    assert result.records[1][1].case.role is HandlingRole.LEAD
    assert not result.ok


def test_pydantic_errors_map_back_to_their_cell(tmp_path: Path) -> None:
    rows = [
        row(**{"发文字号": "临经信函2024-11"}),
        row(**{"案号": 9, "办理类型": "协办", "主办单位": None}),
        row(**{"案号": 10, "公开属性": "半公开"}),
    ]
    result = load_ledger(xlsx(tmp_path / "l.xlsx", HEADERS, rows))
    assert messages(result) == [
        '第2行 I列（发文字号）：发文字号格式应为"机关代字〔年份〕序号号"，'
        '如"海经函〔2024〕15号"，而不是"临经信函2024-11"',
        "第3行 G列（主办单位）：本单位为协办单位时须填写主办单位（「主办单位」列）",
        "第4行 L列（公开属性）：公开属性应为以下之一：全文公开、摘要公开、不予公开、"
        "主动公开、依申请公开，而不是“半公开”",
    ]


def test_header_below_a_title_row_keeps_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "l.xlsx",
        HEADERS,
        [row(), row(**{"案号": 9, "交办日期": "3月"})],
        title="2024年建议提案办理台账",
    )
    result = load_ledger(path)
    assert messages(result) == ['第4行 H列（交办日期）：无法识别的日期"3月"']
    assert [r for r, _ in result.records] == [3]


def _csv_bytes(headers: list[str], rows: list[list[Any]], encoding: str) -> bytes:
    sio = io.StringIO(newline="")
    w = csv.writer(sio)
    w.writerow(headers)
    for r in rows:
        w.writerow(
            [
                "" if v is None else v.strftime("%Y/%-m/%-d") if isinstance(v, datetime) else v
                for v in r
            ]
        )
    return sio.getvalue().encode(encoding)


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    rows = [row(), row(**{"案号": 9, "答复日期": "2024年2月30日"})]
    path = tmp_path / "台账.csv"
    path.write_bytes(_csv_bytes(HEADERS, rows, encoding))
    result = load_ledger(path)
    assert messages(result) == ['第3行 J列（答复日期）：无法识别的日期"2024年2月30日"']
    rec = result.records[0][1]
    assert rec.case.title == "关于加大中小企业数字化转型扶持力度的提案"
    assert rec.case.assigned_date == date(2024, 3, 15)
    assert rec.reply is not None and rec.reply.body == BODY


def test_english_alias_headers(tmp_path: Path) -> None:
    headers = ["type", "session", "number", "title", "proposers", "role", "assigned_date"]
    text = (
        ",".join(headers) + "\n"
        "proposal,区政协十二届三次会议,8,关于优化营商环境的提案,民建临湖区基层委员会,lead,2024-03-15\n"
        "suggestion,区十六届人大三次会议,72,关于加强用工保障的建议,陈志强,主办,2024/02/30\n"
    )
    path = tmp_path / "ledger.csv"
    path.write_text(text, encoding="utf-8")
    result = load_ledger(path)
    assert messages(result) == ['第3行 G列（assigned_date）：无法识别的日期"2024/02/30"']
    rec = result.records[0][1]
    assert rec.case.lead.collective  # ends with 委员会
    assert rec.reply is None


def test_missing_required_column_is_a_file_error(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("类型,届次,案由,提案人,办理类型,交办日期\n", encoding="utf-8")
    with pytest.raises(LedgerError, match="缺少必需的列：案号"):
        load_ledger(path)
    (tmp_path / "x.xls").write_bytes(b"\xd0\xcf")
    with pytest.raises(LedgerError, match=r"另存为 \.xlsx"):
        load_ledger(tmp_path / "x.xls")


def test_bodies_folder(tmp_path: Path) -> None:
    bodies = tmp_path / "正文"
    bodies.mkdir()
    (bodies / "提案008.txt").write_text("正文甲。", encoding="utf-8")
    (bodies / "9.txt").write_bytes("正文乙。".encode("gbk"))
    rows = [
        row(**{"答复正文": None}),
        row(**{"案号": 9, "答复正文": None}),
        row(**{"案号": 10, "答复正文": None}),
    ]
    result = load_ledger(xlsx(tmp_path / "l.xlsx", HEADERS, rows), bodies=bodies)
    assert [r.reply.body for _, r in result.records if r.reply] == ["正文甲。", "正文乙。"]
    assert messages(result) == [
        "第4行 M列（答复正文）：缺少答复正文"
        "（填写本列，或在正文文件夹中放 提案010.txt 或 提案010.docx）"
    ]


def test_json_and_yaml_rows(tmp_path: Path) -> None:
    recs = [dict(zip(HEADERS, row(), strict=True)), {"类型": "提案", "案号": "第9号"}]
    for rec in recs:
        for k, v in rec.items():
            if isinstance(v, datetime):
                rec[k] = v.date().isoformat()
    (tmp_path / "l.json").write_text(json.dumps(recs, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "l.yaml").write_text(
        yaml.safe_dump(recs, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    for name in ("l.json", "l.yaml"):
        result = load_ledger(tmp_path / name)
        assert len(result.records) == 1
        assert messages(result)[0] == "第2条（届次）：不能为空"


def test_organisation_scheme_and_bare_serial(tmp_path: Path, example_org: Organisation) -> None:
    org = example_org.model_copy(
        update={"config": example_org.config.model_copy(update={"class_scheme": _four()})}
    )
    rows = [
        row(**{"答复类别": "D", "发文字号": 11}),
        row(**{"案号": 9, "办理类型": "协办", "主办单位": "区发改局", "发文字号": "3"}),
    ]
    result = load_ledger(xlsx(tmp_path / "l.xlsx", HEADERS, rows), organisation=org)
    assert result.ok
    numbers = [str(r.reply.doc_number) for _, r in result.records if r.reply]
    assert numbers == ["临经信函〔2024〕11号", "临经信协〔2024〕3号"]
    plain = load_ledger(tmp_path / "l.xlsx")
    assert messages(plain)[0].startswith('第2行 I列（发文字号）：发文字号只写序号"11"时须提供')


def _four() -> Any:
    from gongwen.models import FOUR_CLASSES

    return FOUR_CLASSES


@pytest.mark.parametrize(
    ("text", "display", "level", "region", "period"),
    [
        ("区政协十二届三次会议", "区政协十二届三次会议", Level.DISTRICT, None, Period.MEETING),
        ("区十六届人大三次会议", "区十六届人大三次会议", Level.DISTRICT, None, Period.MEETING),
        ("十四届全国人大二次会议", "十四届全国人大二次会议", Level.NATIONAL, None, Period.MEETING),
        ("市人大十六届三次会议", "市十六届人大三次会议", Level.CITY, None, Period.MEETING),
        (
            "政协临湖区第十二届委员会第三次会议",
            "区政协十二届三次会议",
            Level.DISTRICT,
            "临湖区",
            Period.MEETING,
        ),
        (
            "临湖区第十六届人民代表大会第三次会议",
            "区十六届人大三次会议",
            Level.DISTRICT,
            "临湖区",
            Period.MEETING,
        ),
        ("区十六届人大闭会期间", "区十六届人大闭会期间", Level.DISTRICT, None, Period.RECESS),
        ("海曙区政协3届1次会议", "区政协三届一次会议", Level.DISTRICT, "海曙区", Period.MEETING),
    ],
)
def test_parse_session(
    text: str, display: str, level: Level, region: str | None, period: Period
) -> None:
    s = Session(**parse_session(text))
    assert (s.display, s.level, s.region, s.period) == (display, level, region, period)


@pytest.mark.parametrize("text", ["区政协十二届", "区政协x届三次会议", "三次会议", "政协会议"])
def test_parse_session_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="无法识别的届次"):
        parse_session(text)


def test_short_session_takes_body_from_type(tmp_path: Path) -> None:
    result = load_ledger(
        xlsx(
            tmp_path / "l.xlsx",
            HEADERS,
            [
                row(**{"届次": "区十二届三次会议"}),
                row(**{"案号": 9, "类型": None, "届次": "区十二届三次会议"}),
            ],
        )
    )
    assert result.records[0][1].case.session.display == "区政协十二届三次会议"
    assert messages(result) == [
        "第3行 B列（届次）：无法判断是建议还是提案：请填写“类型”列，或在届次中写明人大/政协"
    ]


def test_header_aliases() -> None:
    assert column_for("领衔代表").key == column_for("第一提案人").key == "proposers"  # type: ignore[union-attr]
    assert column_for(" 交办日期（必填）").key == "assigned_date"  # type: ignore[union-attr]
    assert column_for("Assigned_Date").key == "assigned_date"  # type: ignore[union-attr]
    assert column_for("备注") is None


@pytest.mark.parametrize("suffix", ["xlsx", "csv", "json", "yaml"])
def test_round_trip_of_the_example_year(
    tmp_path: Path, example_year: HandlingYear, suffix: str
) -> None:
    path = write_ledger(example_year, tmp_path / f"l.{suffix}")
    result = load_ledger(path)
    assert result.problems == []
    assert len(result.records) == len(example_year.cases)
    for (_, got), want in zip(result.records, example_year.cases, strict=True):
        assert got.case.model_dump(exclude={"proposers"}) == want.case.model_dump(
            exclude={"proposers"}
        )
        assert [p.name for p in got.case.proposers] == [p.name for p in want.case.proposers]
        assert [p.collective for p in got.case.proposers] == [
            p.collective for p in want.case.proposers
        ]
        if want.reply is not None:
            assert got.reply is not None
            assert got.reply.body == want.reply.body
            assert got.reply.doc_number == want.reply.doc_number
            assert got.reply.result_class == want.reply.result_class
        assert (got.rehandling is None) == (want.rehandling is None)


def test_example_ledgers_are_current(example_year: HandlingYear) -> None:
    root = Path(__file__).resolve().parents[2] / "examples"
    for name in ("ledger2024.xlsx", "ledger2024.csv"):
        result = load_ledger(root / name)
        assert result.problems == []
        assert [r.case.label for _, r in result.records] == [
            r.case.label for r in example_year.cases
        ]
