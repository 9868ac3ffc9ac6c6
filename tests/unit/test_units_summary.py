"""The summary across several units: per-unit 办复率 and satisfaction (with 未表态), the office's
totals counting each case once, the seeds' sentences, the rendered tables, the CLI.

Every figure below is counted by hand from the three units of :func:`_units`:

===========  ========================================================================
区教育局      建议1 主办 满意; 建议2 主办 满意+基本满意 (two forms); 提案5 主办 no form;
             提案6 协办 (opinion sent)
区卫生健康局  建议3 主办 不满意; 建议4 主办 not replied; 提案6 主办 满意
区财政局      建议1 协办 (opinion sent); 提案7 分办 基本满意
===========  ========================================================================

Office: 7 cases (建议1–4, 提案5–7), 建议4 unreplied → 办复 6/7 = 85.7%. Asked (replied 主办/分办
cases): 建议1 满意, 建议2 基本满意 (the lower of its two forms), 建议3 不满意, 提案5 未表态,
提案6 满意, 提案7 基本满意 → 满意 2, 基本满意 2, 不满意 1, 未表态 1; 满意率 (2+2)/5 = 80% of the
rated cases (``returned``), (2+2)/6 = 66.7% of the cases asked (``sent``). By kind: 建议 2/3 =
66.7%, 提案 2/2 = 100%.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from lxml import etree  # type: ignore[import-untyped]
from typer.testing import CliRunner

from gongwen import HandlingYear, Organisation
from gongwen.api import render_units_summary
from gongwen.cli import app
from gongwen.errors import InputError
from gongwen.findings import Severity
from gongwen.models.config import AGREEMENT_SCALE
from gongwen.units import (
    UnitYear,
    basis_note,
    load_unit_years,
    summarise_units,
    tier_labels,
    units_sentences,
)
from gongwen.verify import verify

SESSIONS = {
    "建议": {"body": "人大", "level": "区", "term": 16, "meeting": 3},
    "提案": {"body": "政协", "level": "区", "term": 12, "meeting": 3},
}
AS_OF = date(2024, 12, 20)


def _record(
    kind: str,
    number: int,
    role: str = "主办",
    results: tuple[str | None, ...] = ("满意",),
    *,
    replied: bool = True,
    lead_unit: str | None = None,
) -> dict[str, Any]:
    names = [f"{kind}{number}提出人{i}" for i in range(1, max(1, len(results)) + 1)]
    data: dict[str, Any] = {
        "case": {
            "kind": kind,
            "number": number,
            "title": f"关于第{number}号事项的{kind}",
            "session": SESSIONS[kind],
            "proposers": [{"name": n} for n in names],
            "assigned_date": "2024-03-15",
            "role": role,
            **({"lead_unit": lead_unit} if lead_unit else {}),
        },
        "feedback": [
            {"proposer": n, "result": r, "attitude": "满意"}
            for n, r in zip(names, results, strict=False)
            if r is not None
        ],
    }
    if replied:
        data["reply"] = {
            "doc_number": f"区办函〔2024〕{number}号",
            "result_class": None if role == "协办" else "A",
            "date": "2024-05-20",
            "body": "答复正文。",
        }
    return data


def _year(*records: dict[str, Any]) -> HandlingYear:
    return HandlingYear.model_validate({"year": 2024, "cases": list(records)})


UNITS_DATA: dict[str, list[dict[str, Any]]] = {
    "区教育局": [
        _record("建议", 1),
        _record("建议", 2, results=("满意", "基本满意")),
        _record("提案", 5, results=(None,)),
        _record("提案", 6, "协办", results=(), lead_unit="区卫生健康局"),
    ],
    "区卫生健康局": [
        _record("建议", 3, results=("不满意",)),
        _record("建议", 4, results=(), replied=False),
        _record("提案", 6),
    ],
    "区财政局": [
        _record("建议", 1, "协办", results=(), lead_unit="区教育局"),
        _record("提案", 7, "分办", results=("基本满意",)),
    ],
}


def _units() -> list[UnitYear]:
    return [UnitYear(name, _year(*recs)) for name, recs in UNITS_DATA.items()]


def _org(org: Organisation, **config: object) -> Organisation:
    return org.model_copy(
        update={
            "name": "东江市临湖区人民政府",
            "letterhead": "东江市临湖区人民政府",
            "self_name": "区政府",
            "config": org.config.model_copy(update=config),
        }
    )


def test_per_unit_rows(example_org: Organisation) -> None:
    s = summarise_units(_units(), example_org.config, as_of=AS_OF)
    got = [
        (r.unit, r.by_kind, r.total, r.replied.numerator, r.replied.denominator, r.asked, r.tiers)
        for r in s.rows
    ]
    assert got == [
        ("区教育局", (2, 2), 4, 4, 4, 3, (1, 1, 0, 1)),
        ("区卫生健康局", (2, 1), 3, 2, 3, 2, (1, 0, 1, 0)),
        ("区财政局", (1, 1), 2, 2, 2, 1, (0, 1, 0, 0)),
    ]
    assert [r.replied.format(1) for r in s.rows] == ["100%", "66.7%", "100%"]
    # returned: ÷ rated cases — 2/2, 1/2, 1/1
    assert [r.satisfaction.format(1) for r in s.rows] == ["100%", "50%", "100%"]
    assert [(r.lead, r.assist, r.separate) for r in s.rows] == [(3, 1, 0), (3, 0, 0), (0, 1, 1)]


def test_totals_count_each_case_once(example_org: Organisation) -> None:
    s = summarise_units(_units(), example_org.config, as_of=AS_OF)
    t = s.total
    assert (t.unit, t.by_kind, t.total) == ("合计", (4, 3), 7)
    assert (t.replied.numerator, t.replied.denominator, t.replied.format(1)) == (6, 7, "85.7%")
    assert (t.asked, t.tiers, t.declared) == (6, (2, 2, 1, 1), 5)
    assert (t.satisfaction.numerator, t.satisfaction.denominator) == (4, 5)
    assert t.satisfaction.format(1) == "80%"
    assert (t.lead, t.assist, t.separate) == (6, 2, 1)  # 件次
    assert [(k.value, r.format(1)) for k, r in s.kind_satisfaction] == [
        ("建议", "66.7%"),
        ("提案", "100%"),
    ]


def test_denominator_as_configured(example_org: Organisation) -> None:
    config = example_org.config.model_copy(update={"satisfaction_denominator": "sent"})
    s = summarise_units(_units(), config, as_of=AS_OF)
    assert (s.total.satisfaction.numerator, s.total.satisfaction.denominator) == (4, 6)
    assert s.total.satisfaction.format(1) == "66.7%"
    assert [r.satisfaction.format(1) for r in s.rows] == ["66.7%", "50%", "100%"]
    assert "÷征询意见件数（未表态件计入分母）" in basis_note(s)
    returned = summarise_units(_units(), example_org.config, as_of=AS_OF)
    assert "÷已表态件数（未表态件不计入）" in basis_note(returned)


def test_sentences(example_org: Organisation) -> None:
    s = summarise_units(_units(), example_org.config, as_of=AS_OF)
    assert "".join(units_sentences(s, "区政府")) == (
        "在区人大、区政协的指导和监督下，在各承办单位的共同努力下，"
        "2024年区政府共承办了代表建议和委员提案7件，其中代表建议4件、委员提案3件，"
        "由3个承办单位办理。截至2024年12月20日，已办复6件，办复率85.7%。"
        "征询意见的6件中，代表委员对办理结果表示满意的2件、基本满意的2件、不满意的1件，"
        "未表态的1件，代表建议办理满意率为66.7%，委员提案为100%。"
    )


def test_the_2010_speech_seed() -> None:
    """区政府共承办了代表建议和委员提案104件，其中代表建议46件、委员提案58件，办理满意率均达到100%
    — across four bureaus, every case rated 满意 or 基本满意."""
    bureaus: dict[str, list[dict[str, Any]]] = {f"局{i}": [] for i in range(1, 5)}
    for n in range(1, 47):
        bureaus[f"局{n % 4 + 1}"].append(_record("建议", n, results=("满意",)))
    for n in range(1, 59):
        result = "基本满意" if n % 5 == 0 else "满意"
        bureaus[f"局{n % 4 + 1}"].append(_record("提案", n, results=(result,)))
    units = [UnitYear(k, _year(*v)) for k, v in bureaus.items()]
    config = Organisation.model_validate({"name": "区政府办公室", "reply_code": "区府办"}).config
    s = summarise_units(units, config)
    assert (s.total.total, s.total.by_kind) == (104, (46, 58))
    assert sum(r.total for r in s.rows) == 104
    assert s.total.tiers == (93, 11, 0, 0)  # 58 // 5 = 11 提案 基本满意
    assert units_sentences(s, "区政府") == [
        "在区人大、区政协的指导和监督下，在各承办单位的共同努力下，"
        "2024年区政府共承办了代表建议和委员提案104件，其中代表建议46件、委员提案58件，"
        "由4个承办单位办理。",
        "已全部办复，办复率100%。",
        "征询意见的104件中，代表委员对办理结果表示满意的93件、基本满意的11件，"
        "代表建议和委员提案办理满意率均达到100%。",
    ]


def test_one_kind_and_the_agreement_scale(example_org: Organisation) -> None:
    config = example_org.config.model_copy(update={"rating_scale": AGREEMENT_SCALE})
    assert tier_labels(config) == ("同意", "理解", "保留、不同意", "未表态")
    units = [
        UnitYear("甲局", _year(_record("提案", 1, results=("同意",)))),
        UnitYear("乙局", _year(_record("提案", 2, results=("保留",)))),
    ]
    s = summarise_units(units, config)
    assert s.total.tiers == (1, 0, 1, 0)
    assert units_sentences(s, "区政府")[0].startswith("在区政协的指导和监督下，")
    assert units_sentences(s, "区政府")[-1] == (
        "征询意见的2件中，委员对办理结果表示同意的1件、保留、不同意的1件，办理满意率为50%。"
    )


def test_refusals() -> None:
    with pytest.raises(InputError, match="没有可汇总"):
        summarise_units([], Organisation(name="区政府", reply_code="区府").config)
    twice = [UnitYear("甲局", _year()), UnitYear("甲局", _year())]
    with pytest.raises(InputError, match="重复"):
        summarise_units(twice, Organisation(name="区政府", reply_code="区府").config)
    other = HandlingYear(year=2023)
    with pytest.raises(InputError, match="年度不一致"):
        summarise_units(
            [UnitYear("甲局", _year()), UnitYear("乙局", other)],
            Organisation(name="区政府", reply_code="区府").config,
        )


def _texts(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    out = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        out.extend("|".join(c.text for c in row.cells) for row in t.rows)
    return out


def test_rendered_tables(example_org: Organisation) -> None:
    org = _org(example_org)
    doc = render_units_summary(_units(), org, "二、主要做法\n\n各单位认真办理。", report_date=AS_OF)
    assert doc.name == "2024年各单位建议提案办理情况汇总.docx"
    texts = _texts(doc.data)
    assert "序号|承办单位|建议|提案|合计|已办复|办复率" in texts
    assert "1|区教育局|2|2|4|4|100%" in texts
    assert "2|区卫生健康局|2|1|3|2|66.7%" in texts
    assert "|合计|4|3|7|6|85.7%" in texts
    assert "序号|承办单位|征询件数|满意|基本满意|不满意|未表态|满意率" in texts
    assert "1|区教育局|3|1|1|0|1|100%" in texts
    assert "|合计|6|2|2|1|1|80%" in texts
    assert any("2024年区政府共承办了代表建议和委员提案7件" in t for t in texts)
    assert "附件：2024年各承办单位建议提案办理情况统计表" in texts
    assert "二、主要做法" in texts
    assert [f for f in verify(doc.data) if f.severity is Severity.ERROR] == []


def _write_units(folder: Path) -> None:
    folder.mkdir()
    for name, recs in UNITS_DATA.items():
        (folder / f"{name}.yaml").write_text(
            yaml.safe_dump({"year": 2024, "cases": recs}, allow_unicode=True), encoding="utf-8"
        )


def test_load_unit_years(tmp_path: Path, example_org: Organisation) -> None:
    folder = tmp_path / "各单位"
    _write_units(folder)
    (folder / "说明.txt").write_text("不是台账", encoding="utf-8")
    units, findings = load_unit_years(folder, example_org)
    assert [u.unit for u in units] == sorted(UNITS_DATA)  # by file name
    assert findings == []
    assert [len(u.year.cases) for u in units] == [len(UNITS_DATA[u.unit]) for u in units]
    with pytest.raises(InputError, match="不是年度文件或台账"):
        load_unit_years(folder / "说明.txt", example_org)
    (tmp_path / "空").mkdir()
    with pytest.raises(InputError, match="没有年度文件或台账"):
        load_unit_years(tmp_path / "空", example_org)


def test_cli_summary(tmp_path: Path, cli_runner: CliRunner, example_org: Organisation) -> None:
    folder = tmp_path / "各单位"
    _write_units(folder)
    org_file = tmp_path / "区政府.yaml"
    org_file.write_text(
        yaml.safe_dump(
            _org(example_org).model_dump(mode="json", exclude_none=True), allow_unicode=True
        ),
        encoding="utf-8",
    )
    out = tmp_path / "汇总.docx"
    args = ["summary", str(folder), "--org", str(org_file), "--out", str(out)]
    result = cli_runner.invoke(app, [*args, "--date", "2024-12-20"])
    assert result.exit_code == 0, result.output
    assert "|合计|6|2|2|1|1|80%" in _texts(out.read_bytes())
    assert "办复率85.7%" in result.output  # the totals, printed
    again = cli_runner.invoke(app, args)
    assert again.exit_code == 2 and "--force" in again.output


def _w(name: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + name


@pytest.mark.parametrize("name", ["units_summary.docx", "extension_notice.docx"])
def test_bundled_template_page(name: str) -> None:
    """Page, margins and grid of the two new templates, as gongwen.standard gives them
    (GB/T 9704 §5.1–§5.2.3); the summary's tables span the 156 mm text width."""
    from gongwen import standard as gb
    from gongwen.resources import template_path

    with zipfile.ZipFile(template_path(name)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    sect = root.find(f".//{_w('body')}/{_w('sectPr')}")
    size, mar, grid = (sect.find(_w(t)) for t in ("pgSz", "pgMar", "docGrid"))
    assert (int(size.get(_w("w"))), int(size.get(_w("h")))) == (
        gb.PAGE_WIDTH_TWIPS,
        gb.PAGE_HEIGHT_TWIPS,
    )
    for side, value in (
        ("top", gb.MARGIN_TOP_TWIPS),
        ("bottom", gb.MARGIN_BOTTOM_TWIPS),
        ("left", gb.MARGIN_LEFT_TWIPS),
        ("right", gb.MARGIN_RIGHT_TWIPS),
    ):
        assert int(mar.get(_w(side))) == value, side
    assert int(grid.get(_w("linePitch"))) == gb.LINE_PITCH_TWIPS
    assert int(grid.get(_w("charSpace"))) == gb.DOC_GRID_CHAR_SPACE
    widths = [
        sum(int(c.get(_w("w"))) for c in tbl.iter(_w("gridCol"))) for tbl in root.iter(_w("tbl"))
    ]
    assert widths == ([gb.TEXT_WIDTH_TWIPS] * 2 if name == "units_summary.docx" else [])


def test_load_a_ledger_per_unit(tmp_path: Path, example_org: Organisation) -> None:
    """A ledger (xlsx) is one unit named by its file; its year is the year of its 交办日期."""
    import shutil

    from tests.conftest import EXAMPLES

    folder = tmp_path / "各单位"
    folder.mkdir()
    shutil.copy(EXAMPLES / "ledger2024.xlsx", folder / "区经济和信息化局.xlsx")
    (folder / "~$区经济和信息化局.xlsx").write_bytes(b"")  # Excel's lock file: skipped
    units, findings = load_unit_years(folder, example_org)
    assert [(u.unit, u.year.year, len(u.year.cases)) for u in units] == [
        ("区经济和信息化局", 2024, 12)
    ]
    assert findings == []
    units, _ = load_unit_years(folder, example_org, year=2025)
    assert units[0].year.year == 2025
