"""The office's own attachments to the annual report (GB/T 9704 §7.3.4, §7.3.7; issue #12).

They are numbered after the generated 附件1 (统计表) and 附件2 (一览表) in the 附件说明 and on
their own pages; a missing or unsupported file is refused in Chinese, naming it (CLI: exit 2); a
custom template without their placeholder is refused rather than dropping them.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

import gongwen.cli.year  # noqa: F401  (registers the report command)
from gongwen import HandlingYear, Organisation
from gongwen.api import render_annual_report
from gongwen.cli.app import app
from gongwen.documents.report import report_context
from gongwen.errors import ArgumentError, DocumentError, TemplateError
from gongwen.models.reply import Attachment
from gongwen.resources import template_path
from tests.conftest import ROOT, TODAY

SIGNED = date(2024, 12, 20)
STATS = "2024年建议提案办理情况统计表"
LIST = "2024年建议提案办理情况一览表"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    rules = tmp_path / "制度.txt"
    rules.write_text("第一条　为规范办理工作，制定本制度。\n\n第二条　本制度自印发之日起施行。")
    plan = tmp_path / "计划.docx"
    d = docx.Document()
    d.add_paragraph("一、目标任务")
    d.add_paragraph("全年答复满意率保持在百分之九十五以上。")
    d.save(str(plan))
    return {"rules": rules, "plan": plan}


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_numbered_after_the_generated_attachments(
    example_year: HandlingYear, example_org: Organisation, files: dict[str, Path]
) -> None:
    atts = [
        Attachment(title="建议提案办理工作制度。", file=files["rules"]),  # the 。 is dropped
        Attachment(title="2025年办理工作计划", file=files["plan"]),
    ]
    ctx = report_context(example_year, example_org, report_date=SIGNED, attachments=atts)
    assert ctx["attachments"] == [
        f"1.{STATS}",
        f"2.{LIST}",
        "3.建议提案办理工作制度",
        "4.2025年办理工作计划",
    ]
    own = ctx["office_attachments"]
    assert [(a["label"], a["title"], a["last"]) for a in own] == [
        ("附件3", "建议提案办理工作制度", False),
        ("附件4", "2025年办理工作计划", True),
    ]
    assert [b["text"] for b in own[0]["body"]] == [
        "第一条　为规范办理工作，制定本制度。",
        "第二条　本制度自印发之日起施行。",
    ]
    assert own[1]["body"][0]["head"] == "一、目标任务"  # a .docx read as on a reply
    # the generated two keep their labels
    assert (ctx["att1_label"], ctx["att2_label"]) == ("附件1", "附件2")


def test_without_attachments_the_context_is_as_before(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    ctx = report_context(example_year, example_org, report_date=SIGNED)
    assert ctx["attachments"] == [f"1.{STATS}", f"2.{LIST}"]
    assert ctx["office_attachments"] == []


def test_rendered_pages_and_notes(
    example_year: HandlingYear, example_org: Organisation, files: dict[str, Path]
) -> None:
    atts = [Attachment(title="建议提案办理工作制度", file=files["rules"])]
    data = render_annual_report(
        example_year, example_org, report_date=SIGNED, today=TODAY, attachments=atts
    ).data
    paras = _paragraphs(data)
    assert "3.建议提案办理工作制度" in paras
    label = paras.index("附件3")
    assert paras[label + 1] == "建议提案办理工作制度"
    assert paras[label + 2] == "第一条　为规范办理工作，制定本制度。"
    assert paras.index(LIST) < label  # after the case list
    body = docx.Document(io.BytesIO(data)).paragraphs
    style = body[label].style
    assert style is not None and style.name == "附件序号"
    assert body[label].paragraph_format.page_break_before
    # the 版记 goes to the attachment's page, not to a page of its own after it
    record = next(i for i, p in enumerate(paras) if p.startswith("抄送："))
    assert label < record
    assert "印发" in paras[record + 2]


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("缺少.docx", None, "的文件不存在"),
        ("制度.pdf", b"%PDF-1.4", "的文件类型“.pdf”不能附入"),
        ("空白.txt", b"\n\n", "没有文字"),
    ],
)
def test_a_file_that_cannot_be_attached_is_named(
    example_year: HandlingYear,
    example_org: Organisation,
    tmp_path: Path,
    name: str,
    content: bytes | None,
    why: str,
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DocumentError) as exc:
        render_annual_report(
            example_year,
            example_org,
            report_date=SIGNED,
            today=TODAY,
            attachments=[Attachment(title="办理制度", file=path)],
        )
    assert f"附件“办理制度”（{path}）{why}" in str(exc.value)


def test_attachments_must_be_attachment_objects(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    for bad in ("制度.txt", [{"title": "制度", "file": "制度.txt"}]):
        with pytest.raises(ArgumentError, match="参数 attachments 应为 Attachment 的序列"):
            render_annual_report(example_year, example_org, report_date=SIGNED, attachments=bad)  # type: ignore[arg-type]


def test_a_template_without_attachment_pages_is_refused(
    example_year: HandlingYear, example_org: Organisation, files: dict[str, Path], tmp_path: Path
) -> None:
    source = zipfile.ZipFile(template_path("annual_report.docx"))
    custom = tmp_path / "总结模板.docx"
    with zipfile.ZipFile(custom, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                assert b"office_attachments" in data
                # an office's template whose attachment pages read something else
                data = data.replace(b"office_attachments", b"own_pages|default([])")
            out.writestr(item, data)
    # without attachments the office's template still renders…
    render_annual_report(example_year, example_org, report_date=SIGNED, template=custom)
    # …with them it is refused, naming the missing placeholder
    atts = [Attachment(title="办理制度", file=files["rules"])]
    with pytest.raises(TemplateError, match="office_attachments"):
        render_annual_report(
            example_year, example_org, report_date=SIGNED, template=custom, attachments=atts
        )


# --------------------------------------------------------------------------------------- CLI
def _args(out: Path) -> list[str]:
    return [
        "report",
        str(ROOT / "examples" / "year2024.yaml"),
        "--org",
        str(ROOT / "examples" / "organisation.yaml"),
        "--date",
        "2024-12-20",
        "--out",
        str(out),
    ]


def test_cli_attachment_relative_to_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, Path]
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "总结.docx"
    args = [*_args(out), "--attachment", "办理制度=制度.txt", "--attachment", "工作计划=计划.docx"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    paras = _paragraphs(out.read_bytes())
    assert {"3.办理制度", "4.工作计划", "附件3", "附件4"} <= set(paras)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("办理制度=缺少.docx", "附件“办理制度”（{cwd}/缺少.docx）的文件不存在"),
        ("办理制度=制度.doc", "的文件类型“.doc”不能附入"),
        ("办理制度", "--attachment “办理制度”：应写作 标题=文件"),
        ("=制度.txt", "--attachment “=制度.txt”：应写作 标题=文件"),
    ],
)
def test_cli_attachment_errors_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, Path],
    spec: str,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "制度.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    out = tmp_path / "总结.docx"
    res = CliRunner().invoke(app, [*_args(out), "--attachment", spec], env={"COLUMNS": "300"})
    assert res.exit_code == 2, res.output
    assert message.format(cwd=tmp_path) in res.output.replace("\n", "")
    assert not out.exists()
