"""Batch options, the year of a set of cases, the duplicate-案号 rule, the written numerals."""

from __future__ import annotations

from datetime import date

import cn2an
import pytest

from gongwen import HandlingYear, Organisation
from gongwen.batch import BatchOptions, render_all
from gongwen.batch.options import MAX_AUTO_WORKERS, auto_workers
from gongwen.errors import LedgerError
from gongwen.ledger import handling_year
from gongwen.models.year import CaseRecord, DuplicateCases, case_key, describe_key
from gongwen.text.numerals import cn_number, cn_to_int
from tests.conftest import TODAY


def test_options_are_checked_with_chinese_messages() -> None:
    assert BatchOptions().what == {"replies", "forms", "report"}
    assert BatchOptions.of(what=["replies"], workers=2).what == frozenset({"replies"})
    with pytest.raises(ValueError, match="未知的文档类别：letters"):
        BatchOptions.of(what={"letters"})
    with pytest.raises(ValueError, match="至少要生成一类文档"):
        BatchOptions.of(what=())
    with pytest.raises(ValueError, match="并行进程数不能为负数"):
        BatchOptions(workers=-1)
    with pytest.raises(ValueError, match="答复函格式"):
        BatchOptions(variant="fax")  # type: ignore[arg-type]


def test_auto_workers_follow_the_cores_capped() -> None:
    assert 1 <= auto_workers() <= MAX_AUTO_WORKERS
    assert BatchOptions(workers=0).processes == auto_workers()
    assert BatchOptions(workers=3).processes == 3


def _moved(record: CaseRecord, year: int) -> CaseRecord:
    case = record.case.model_copy(update={"assigned_date": date(year, 3, 1)})
    return record.model_copy(update={"case": case})


def test_the_year_comes_from_the_cases_never_the_clock(example_year: HandlingYear) -> None:
    cases = list(example_year.cases)
    assert handling_year(cases) == 2024
    mixed = [_moved(cases[0], 2023), _moved(cases[1], 2023), _moved(cases[2], 2024)]
    assert handling_year(mixed) == 2023  # the most common
    assert handling_year(mixed[1:]) == 2024  # a tie: the later year
    with pytest.raises(LedgerError, match="无法判断年度"):
        handling_year([])


def test_one_duplicate_rule(example_year: HandlingYear) -> None:
    first = example_year.cases[0]
    seen = DuplicateCases()
    assert seen.claim(case_key(first), 2) is None
    assert seen.claim(case_key(first), 2) is None  # the same place again is not a duplicate
    assert seen.claim(case_key(first), 9) == 2
    assert describe_key(case_key(first)) == "区政协十二届三次会议第8号提案"
    with pytest.raises(ValueError, match="案号重复：第2件与第1件都是区政协十二届三次会议第8号提案"):
        HandlingYear(year=2024, cases=(first, first))


def test_numerals_match_cn2an() -> None:
    for n in [*range(2000), *range(2000, 100_000, 37), 99_999, 100_000, 123_456_789]:
        assert cn_number(n) == cn2an.an2cn(n)
    for n in range(1200):
        assert cn_to_int(cn2an.an2cn(n)) == n
    assert cn_to_int("一十六") == 16  # not the canonical form: read by cn2an
    with pytest.raises(ValueError, match="不是中文整数"):
        cn_to_int("十十")


def test_auto_workers_start_no_processes_for_a_small_batch(
    monkeypatch: pytest.MonkeyPatch, example_year: HandlingYear, example_org: Organisation
) -> None:
    import gongwen.batch.run as run_mod

    def no_pool(*args: object, **kw: object) -> None:
        raise AssertionError("a batch of one chunk runs in this process")

    monkeypatch.setattr(run_mod, "ProcessPoolExecutor", no_pool)
    results = list(
        render_all(example_year, example_org, None, what={"replies"}, workers=0, today=TODAY)
    )
    assert len(results) == 13 and all(r.status == "written" for r in results)
