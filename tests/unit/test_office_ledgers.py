"""Issue #13: ledgers as offices keep them — no 发文字号, their own headers and habits — and one
check pipeline shared by ``gongwen check``, ``gongwen batch`` and the API."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

import gongwen.cli  # noqa: F401  (registers every command)
from gongwen import Organisation
from gongwen.batch import render_all
from gongwen.batch.numbering import NUMBERS_NAME
from gongwen.cli.app import app
from gongwen.findings import Severity
from gongwen.inputs import check_input, load_input
from gongwen.ledger import load_ledger, number_ledger
from gongwen.ledger.bodies import read_body_file
from gongwen.ledger.build import ledger_words
from gongwen.models import DocNumber
from tests.conftest import EXAMPLES

ORG_FILE = EXAMPLES / "organisation.yaml"
TODAY = date(2024, 12, 31)
runner = CliRunner()

#: Exactly the columns the batch issue named: no 发文字号.
NINE = [
    "案号",
    "案由",
    "届次",
    "提案人",
    "交办日期",
    "办理类型",
    "答复日期",
    "答复类别",
    "答复正文",
]


def body(n: int) -> str:
    return (
        f"您提出的《关于加快数字经济发展的第{n}件提案》（第{n}号）收悉。经认真研究，现答复如下：\n\n"
        "一、关于扶持政策\n\n我局已出台相关办法，将继续推进。"
    )


def nine_row(number: int, role: str = "主办", **over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "案号": number,
        "案由": f"关于加快数字经济发展的第{number}件提案",
        "届次": "区政协十二届三次会议",
        "提案人": "张建国",
        "交办日期": datetime(2024, 3, 15),
        "办理类型": role,
        "答复日期": datetime(2024, 5, 20),
        "答复类别": "A",
        "答复正文": body(number),
    }
    if role == "协办":
        base["主办单位"] = "区发改局"
    base.update(over)
    return base


def xlsx(path: Path, rows: list[dict[str, Any]], headers: list[str] | None = None) -> Path:
    heads = headers or list(dict.fromkeys(h for r in rows for h in r))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(heads)
    for r in rows:
        ws.append([r.get(h) for h in heads])
    wb.save(path)
    return path


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


# ── 1. document numbers optional ─────────────────────────────────────────────────────────────


def test_nine_columns_without_doc_numbers_render_letters_forms_and_report(
    tmp_path: Path, example_org: Organisation
) -> None:
    ledger = xlsx(tmp_path / "台账.xlsx", [nine_row(8), nine_row(9), nine_row(12)], NINE)
    out = tmp_path / "out"
    results = list(render_all(ledger, example_org, out, today=TODAY))
    assert all(r.ok for r in results), [str(r) for r in results if not r.ok]
    names = {r.name for r in results}
    assert {"提案008-答复.docx", "提案008-张建国-征询意见表.docx"} <= names
    assert any(n and n.endswith("工作总结.docx") for n in names)
    numbers = json.loads((out / NUMBERS_NAME).read_text(encoding="utf-8"))["numbers"]
    assert numbers == {
        "区政协十二届三次会议第8号提案": "临经信函〔2024〕1号",
        "区政协十二届三次会议第9号提案": "临经信函〔2024〕2号",
        "区政协十二届三次会议第12号提案": "临经信函〔2024〕3号",
    }
    letter = docx.Document(str(out / "提案008-答复.docx"))
    text = "\n".join(p.text for p in letter.paragraphs)
    assert "临经信函〔2024〕1号" in text


def test_numbers_follow_the_ledger_and_are_kept_on_a_re_run(
    tmp_path: Path, example_org: Organisation
) -> None:
    rows = [
        nine_row(8, 发文字号="临经信函〔2024〕11号"),
        nine_row(9),
        nine_row(10, "协办"),
        nine_row(11),
    ]
    ledger = xlsx(tmp_path / "台账.xlsx", rows)
    out = tmp_path / "out"
    list(render_all(ledger, example_org, out, what={"replies"}, today=TODAY))
    first = json.loads((out / NUMBERS_NAME).read_text(encoding="utf-8"))["numbers"]
    # after the numbers already used; the 协办意见 in its own series
    assert first == {
        "区政协十二届三次会议第9号提案": "临经信函〔2024〕12号",
        "区政协十二届三次会议第10号提案": "临经信协〔2024〕1号",
        "区政协十二届三次会议第11号提案": "临经信函〔2024〕13号",
    }
    # a row inserted above: the numbers already given stay
    rows.insert(1, nine_row(7))
    xlsx(ledger, rows)
    again = list(render_all(ledger, example_org, out, what={"replies"}, today=TODAY))
    assert all(r.ok for r in again)
    second = json.loads((out / NUMBERS_NAME).read_text(encoding="utf-8"))["numbers"]
    assert {k: second[k] for k in first} == first
    assert second["区政协十二届三次会议第7号提案"] == "临经信函〔2024〕14号"


def test_numbering_start_and_format_come_from_the_organisation(
    tmp_path: Path, example_org: Organisation
) -> None:
    org = example_org.model_copy(
        update={"numbering": example_org.numbering.model_copy(update={"start": 101})}
    )
    ledger = xlsx(tmp_path / "台账.xlsx", [nine_row(8), nine_row(9)], NINE)
    assert number_ledger(ledger, org).by_row == {
        2: {"reply": "临经信函〔2024〕101号"},
        3: {"reply": "临经信函〔2024〕102号"},
    }


def test_a_row_without_number_is_valid_and_the_draft_leaves_it_blank(
    tmp_path: Path, example_org: Organisation
) -> None:
    ledger = xlsx(tmp_path / "台账.xlsx", [nine_row(8)], NINE)
    result = load_ledger(ledger, organisation=example_org, numbers=False)
    assert result.ok
    [(_, record)] = result.records
    assert record.reply is not None and record.reply.doc_number.blank
    assert str(record.reply.doc_number) == "临经信函〔2024〕  号"
    out = tmp_path / "draft"
    results = list(render_all(ledger, example_org, out, what={"replies"}, today=TODAY, draft=True))
    assert all(r.ok for r in results)
    assert not (out / NUMBERS_NAME).exists()
    text = "\n".join(p.text for p in docx.Document(str(out / "提案008-答复.docx")).paragraphs)
    assert "〔2024〕  号" in text


def test_blank_doc_number_parses_and_prints() -> None:
    assert DocNumber.parse("临经信函〔2024〕  号").blank
    assert DocNumber.parse("〔2024〕号").code == ""
    assert str(DocNumber.pending("临经信函", 2024).numbered(7)) == "临经信函〔2024〕7号"


def test_write_numbers_exports_a_numbered_ledger(tmp_path: Path) -> None:
    ledger = xlsx(tmp_path / "台账.xlsx", [nine_row(8), nine_row(9)], NINE)
    out, numbered = tmp_path / "out", tmp_path / "台账-已编号.xlsx"
    result = invoke(
        "batch", str(ledger), "--org", str(ORG_FILE), "--out", str(out), "--what", "replies",
        "--today", "2024-12-31", "-j", "1", "--write-numbers", str(numbered),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "自动编号：2份答复" in result.output
    again = load_ledger(numbered)
    assert [str(r.reply.doc_number) for _, r in again.records if r.reply] == [
        "临经信函〔2024〕1号",
        "临经信函〔2024〕2号",
    ]


# ── 2. one check pipeline ────────────────────────────────────────────────────────────────────


def test_check_text_mode_prints_every_ledger_problem(tmp_path: Path) -> None:
    rows = [nine_row(8, 交办日期="2024.13.01"), nine_row(9, 答复类别="E"), nine_row(10, 案由=None)]
    ledger = xlsx(tmp_path / "台账.xlsx", rows, NINE)
    result = invoke("check", str(ledger), "--org", str(ORG_FILE), "--today", "2024-12-31")
    assert result.exit_code == 1
    out = result.output
    assert "共检查0件：错误3处" in out
    for where in ("E列（交办日期）", "H列（答复类别）", "B列（案由）"):
        assert where in out
    assert "2024.13.01" in out  # the value


def test_check_batch_check_agree(tmp_path: Path) -> None:
    """The CLI, the batch and the API run the same rules on the same numbered records."""
    rows = [
        nine_row(8),
        nine_row(9, 答复类别="C"),  # C without a reason: an error of the case rules
        nine_row(10, 交办日期="bad"),  # a bad cell
        nine_row(11, 提案人="张建国等3人"),  # a warning of the reading
    ]
    ledger = xlsx(tmp_path / "台账.xlsx", rows, NINE)
    args = ["--org", str(ORG_FILE), "--today", "2024-12-31", "--format", "json"]
    before = json.loads(invoke("check", str(ledger), *args).stdout)
    out = tmp_path / "out"
    batch = invoke(
        "batch", str(ledger), "--org", str(ORG_FILE), "--out", str(out), "--today", "2024-12-31",
        "-j", "1", "--allow-partial",
    )  # fmt: skip
    assert batch.exit_code == 1
    after = json.loads(invoke("check", str(ledger), *args).stdout)
    assert before == after
    errors = {(f["row"], f["code"]) for f in before["findings"] if f["severity"] == "error"}
    assert errors == {(3, "GW402"), (4, "L101")}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    skipped = {s["row"] for s in manifest.get("skipped", [])}
    assert skipped == {3, 4}
    # the batch shows the warnings check shows
    warned = {f["code"] for f in before["findings"] if f["severity"] == "warning" and f["case"]}
    assert "L103" in warned
    for code in warned:
        assert code in batch.output


def test_check_accepts_bodies_and_runs_year_rules(tmp_path: Path) -> None:
    rows = [nine_row(8, 答复正文=None)]
    ledger = xlsx(tmp_path / "台账.xlsx", rows, NINE)
    bodies = tmp_path / "正文"
    bodies.mkdir()
    (bodies / "提案008.txt").write_text(body(8), encoding="utf-8")
    result = invoke(
        "check", str(ledger), "--org", str(ORG_FILE), "--bodies", str(bodies),
        "--today", "2024-12-31", "--format", "json",
    )  # fmt: skip
    data = json.loads(result.stdout)
    assert data["cases"] == 1
    assert not [f for f in data["findings"] if f["severity"] == "error"], data["findings"]


def test_api_check_input_locates_findings_on_the_ledger(
    tmp_path: Path, example_org: Organisation
) -> None:
    ledger = xlsx(tmp_path / "台账.xlsx", [nine_row(8, 答复类别="C")], NINE)
    inp = load_input(ledger, organisation=example_org)
    [f] = [f for f in check_input(inp, example_org, today=TODAY) if f.code == "GW402"]
    assert (f.row, f.column, f.header) == (2, None, "暂不能解决原因")  # not a column here
    assert "class_reason" not in f.message and "「暂不能解决原因」" in f.message


# ── 3. office habits ─────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("header", ["提案人/领衔代表", "领衔代表", "领衔委员", "代表/委员"])
def test_proposer_headers_offices_write(tmp_path: Path, header: str) -> None:
    heads = [header if h == "提案人" else h for h in NINE]
    rows = [{(header if k == "提案人" else k): v for k, v in nine_row(8).items()}]
    result = load_ledger(xlsx(tmp_path / "l.xlsx", rows, heads))
    assert result.ok and not result.problems


def test_serial_column_is_ignored_silently(tmp_path: Path) -> None:
    rows = [{"序号": 1, **nine_row(8)}]
    result = load_ledger(xlsx(tmp_path / "l.xlsx", rows))
    assert result.ok and result.problems == []


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("主动公开", "主动公开"),
        ("依申请公开", "依申请公开"),
        ("公开", "全文公开"),
        ("不公开", "不予公开"),
    ],
)
def test_both_disclosure_vocabularies_by_default(
    tmp_path: Path, example_org: Organisation, written: str, read: str
) -> None:
    rows = [nine_row(8, 公开属性=written, 不予公开理由="涉及个人信息")]
    inp = load_input(xlsx(tmp_path / "l.xlsx", rows), organisation=example_org)
    [rec] = inp.records
    assert rec.reply is not None and rec.reply.disclosure == read
    assert "GW107" not in {f.code for f in check_input(inp, example_org, today=TODAY)}


def test_contact_method_without_date_names_the_missing_column(
    tmp_path: Path, example_org: Organisation
) -> None:
    rows = [nine_row(8, 沟通方式="电话")]
    inp = load_input(xlsx(tmp_path / "l.xlsx", rows), organisation=example_org)
    findings = check_input(inp, example_org, today=TODAY)
    [undated] = [f for f in findings if f.code == "L104"]
    assert undated.severity is Severity.WARNING and undated.header == "沟通日期"
    [contact] = [f for f in findings if f.code == "GW401"]
    assert contact.severity is Severity.WARNING
    assert "「沟通日期」为空" in contact.message


def test_cosigners_counted_but_not_named(tmp_path: Path, example_org: Organisation) -> None:
    rows = [nine_row(8, 提案人="张建国等3人")]
    inp = load_input(xlsx(tmp_path / "l.xlsx", rows, NINE), organisation=example_org)
    [rec] = inp.records
    assert [p.name for p in rec.case.proposers] == ["张建国"]
    assert rec.case.salutation() == "张建国等3位委员："
    findings = check_input(inp, example_org, today=TODAY)
    assert "GW308" not in {f.code for f in findings}
    [warning] = [f for f in findings if f.code == "L103"]
    assert "另外2位联名人没有列出姓名" in warning.message
    suggestion = rows[0] | {"届次": "区十六届人大三次会议", "提案人": "王芳等2人"}
    inp = load_input(xlsx(tmp_path / "s.xlsx", [suggestion], NINE), organisation=example_org)
    assert inp.records[0].case.salutation() == "王芳等2位代表："


def test_messages_name_ledger_columns_not_model_fields() -> None:
    assert ledger_words("填写 class_reason，或在正文中写明原因") == (
        "填写 「暂不能解决原因」列，或在正文中写明原因"
    )
    assert "rehandling" not in ledger_words("须录入重新办理答复（rehandling）")
    assert ledger_words("提案人不同意公开（case.consent_publish）") == (
        "提案人不同意公开（「同意公开」列）"
    )


def test_bodies_from_word_with_numbered_headings(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("您提出的提案收悉。现答复如下：")
    d.add_paragraph("关于扶持政策", style="Heading 1")
    d.add_paragraph("我局已出台相关办法。")
    d.add_paragraph("关于下一步", style="Heading 1")
    d.add_paragraph("具体措施", style="Heading 2")
    d.add_paragraph("")
    d.add_paragraph("二、已手写编号的标题")
    path = tmp_path / "提案008.docx"
    d.save(str(path))
    assert read_body_file(path).split("\n\n") == [
        "您提出的提案收悉。现答复如下：",
        "一、关于扶持政策",
        "我局已出台相关办法。",
        "二、关于下一步",
        "（一）具体措施",
        "二、已手写编号的标题",
    ]


def test_bodies_folder_takes_docx(tmp_path: Path, example_org: Organisation) -> None:
    bodies = tmp_path / "正文"
    bodies.mkdir()
    d = docx.Document()
    d.add_paragraph(body(8).split("\n\n")[0])
    d.save(str(bodies / "提案008.docx"))
    ledger = xlsx(tmp_path / "l.xlsx", [nine_row(8, 答复正文=None)], NINE)
    result = load_ledger(ledger, organisation=example_org, bodies=bodies)
    assert result.ok and result.records[0][1].reply is not None


def test_typer_errors_in_chinese() -> None:
    result = invoke("batch", "台账.xlsx", "--out", "out")
    assert result.exit_code == 2
    assert "缺少选项 --org（承办单位信息文件）" in result.output
    assert "Missing option" not in result.output
    assert "没有命令“bogus”" in invoke("bogus").output
    assert "应为整数" in invoke("batch", "x", "--org", "a", "--out", "o", "-j", "abc").output
