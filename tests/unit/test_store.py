"""The workbench's storage: revisions, changes, stale edits, threads, reopening, schema version."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from gongwen import CaseRecord, HandlingYear, Organisation
from gongwen.errors import (
    ArgumentError,
    CaseNotFound,
    GongwenError,
    InvalidOption,
    NoWorkspace,
    StaleRevision,
    StoreError,
    WorkspaceExists,
)
from gongwen.store import SCHEMA_VERSION, Change, Store, diff, format_moment


class Clock:
    """A clock that moves one minute per reading, from 2026-12-02 10:30 local time."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 10, 30).astimezone()

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "data" / "gongwen.sqlite3", clock=Clock()) as s:
        yield s


@pytest.fixture
def loaded(store: Store, example_year: HandlingYear, example_org: Organisation) -> Store:
    store.import_year(example_year, example_org, author="张三", source="year2024.yaml")
    return store


def with_body(record: CaseRecord, body: str) -> CaseRecord:
    assert record.reply is not None
    return record.model_copy(update={"reply": record.reply.model_copy(update={"body": body})})


def test_import_and_read_back(
    store: Store, example_year: HandlingYear, example_org: Organisation
) -> None:
    assert store.workspace() is None
    ids = store.import_year(example_year, example_org, author="张三", source="year2024.yaml")
    assert len(ids) == len(example_year.cases) == len(set(ids))
    ws = store.workspace()
    assert ws is not None
    assert (ws.year, ws.organisation, ws.source, ws.imported_by) == (
        2024,
        example_org,
        "year2024.yaml",
        "张三",
    )
    stored = store.cases()
    assert [c.id for c in stored] == ids
    assert tuple(c.record for c in stored) == example_year.cases  # re-validated models
    assert all(c.revision == 1 and c.updated_by == "张三" for c in stored)
    assert store.case(ids[3]).record == example_year.cases[3]
    year = store.year()
    assert year.year == 2024 and year.cases == example_year.cases
    assert year.organisation == example_org


def test_revisions_record_what_changed(loaded: Store) -> None:
    first = loaded.cases()[0]
    edited = with_body(first.record, "新的答复正文。")
    saved = loaded.save_case(first.id, edited, base_revision=1, author="李四", note="改正文")
    assert saved.revision == 2 and saved.updated_by == "李四"
    assert loaded.case(first.id).record == edited
    revs = loaded.revisions(first.id)
    assert [(r.number, r.author, r.note) for r in revs] == [
        (1, "张三", "导入 year2024.yaml"),
        (2, "李四", "改正文"),
    ]
    assert revs[0].changes == ()
    assert first.record.reply is not None
    assert revs[1].changes == (Change("reply.body", first.record.reply.body, "新的答复正文。"),)
    assert revs[1].at > revs[0].at
    assert loaded.record_at(first.id, 1) == first.record
    assert loaded.record_at(first.id, 2) == edited
    with pytest.raises(InvalidOption, match="没有第 3 版（共 2 版）"):
        loaded.record_at(first.id, 3)


def test_unchanged_save_adds_no_revision(loaded: Store) -> None:
    first = loaded.cases()[0]
    again = loaded.save_case(first.id, first.record, base_revision=1, author="李四")
    assert again.revision == 1 and len(loaded.revisions(first.id)) == 1


def test_diff_paths_for_lists_and_nested_fields() -> None:
    before: dict[str, object] = {
        "case": {"proposers": [{"name": "张伟"}]},
        "reply": None,
        "feedback": [],
    }
    after: dict[str, object] = {
        "case": {"proposers": [{"name": "张伟"}, {"name": "李娜"}]},
        "reply": {"body": "正文"},
        "feedback": [],
    }
    assert diff(before, after) == (
        Change("case.proposers[1].name", None, "李娜"),
        Change("reply.body", None, "正文"),
    )
    assert diff(after, before) == (
        Change("case.proposers[1].name", "李娜", None),
        Change("reply.body", "正文", None),
    )


def test_stale_edit_is_refused_with_who_and_when(loaded: Store) -> None:
    first = loaded.cases()[0]
    loaded.save_case(first.id, with_body(first.record, "甲。"), base_revision=1, author="张三")
    with pytest.raises(StaleRevision) as info:
        loaded.save_case(first.id, with_body(first.record, "乙。"), base_revision=1, author="王五")
    err = info.value
    assert isinstance(err, GongwenError)
    assert (err.current, err.author, err.base) == (2, "张三", 1)
    assert format_moment(err.at) == "2026年12月2日 10:32"  # import at 10:31, the save at 10:32
    assert str(err) == (
        "该案件已由张三于2026年12月2日 10:32 修改为第 2 版，您编辑的是第 1 版；请刷新后重新修改。"
    )
    current = loaded.case(first.id)
    assert current.revision == 2 and current.record.reply is not None
    assert current.record.reply.body == "甲。"  # the refused edit left no trace
    assert len(loaded.revisions(first.id)) == 2


def test_two_writers_on_one_revision_exactly_one_wins(
    tmp_path: Path, example_year: HandlingYear, example_org: Organisation
) -> None:
    path = tmp_path / "gongwen.sqlite3"
    with Store(path) as a, Store(path) as b:  # two stores: as two server processes would
        case_id = a.import_year(example_year, example_org, author="张三", source="x")[0]
        record = a.case(case_id).record
        barrier = threading.Barrier(8)
        outcomes: list[str] = []
        lock = threading.Lock()

        def write(n: int) -> None:
            s = a if n % 2 else b
            barrier.wait()
            try:
                s.save_case(
                    case_id,
                    with_body(record, f"第{n}人的正文。"),
                    base_revision=1,
                    author=f"用户{n}",
                )
                result = "saved"
            except StaleRevision:
                result = "stale"
            with lock:
                outcomes.append(result)

        threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes) == ["saved"] + ["stale"] * 7
        assert a.case(case_id).revision == 2 and len(b.revisions(case_id)) == 2


def test_no_lost_update_under_concurrent_retries(loaded: Store) -> None:
    case_id = loaded.cases()[0].id
    rounds, workers = 15, 4

    def work(n: int) -> None:
        for i in range(rounds):
            while True:
                current = loaded.case(case_id)
                assert current.record.reply is not None
                body = current.record.reply.body + f"\n\n记录{n}-{i}。"
                try:
                    loaded.save_case(
                        case_id,
                        with_body(current.record, body),
                        base_revision=current.revision,
                        author=f"用户{n}",
                    )
                    break
                except StaleRevision:
                    continue

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = loaded.case(case_id)
    assert final.revision == 1 + rounds * workers
    assert final.record.reply is not None
    for n in range(workers):
        for i in range(rounds):
            assert f"记录{n}-{i}。" in final.record.reply.body  # every edit survived
    assert [r.number for r in loaded.revisions(case_id)] == list(range(1, final.revision + 1))


def test_reopen_keeps_everything(
    tmp_path: Path, example_year: HandlingYear, example_org: Organisation
) -> None:
    path = tmp_path / "gongwen.sqlite3"
    with Store(path) as s:
        ids = s.import_year(example_year, example_org, author="张三", source="year2024.yaml")
        s.save_case(
            ids[0], with_body(s.case(ids[0]).record, "改。"), base_revision=1, author="李四"
        )
        doc = s.add_document(
            ids[0], revision=2, kind="答复", filename="提案008-答复.docx", data=b"PK docx bytes"
        )
        s.save_report("总结正文。", date(2024, 12, 20), base_revision=0, author="张三")
    with pytest.raises(StoreError, match="已关闭"):
        s.cases()
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert [c.id for c in s.cases()] == ids
        assert s.case(ids[0]).revision == 2
        assert s.document_bytes(doc.id) == b"PK docx bytes"
        rep = s.report()
        assert (rep.narrative, rep.date, rep.revision) == ("总结正文。", date(2024, 12, 20), 1)


def test_schema_version_and_foreign_files(tmp_path: Path) -> None:
    path = tmp_path / "gongwen.sqlite3"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 1
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="较新版本的 gongwen 创建（结构版本 2）"):
        Store(path)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="不是 gongwen 的数据库"):
        Store(other)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="不是 gongwen 的数据库"):
        Store(junk)


def test_records_are_validated_when_read(loaded: Store) -> None:
    case_id = loaded.cases()[0].id
    with sqlite3.connect(loaded.path) as conn:
        conn.execute(
            "UPDATE cases SET record = json_set(record, '$.case.number', -5) WHERE id = ?",
            (case_id,),
        )
    with pytest.raises(StoreError, match=f"第 {case_id} 号案件的记录不符合当前版本的数据格式"):
        loaded.case(case_id)


def test_unknown_ids_and_bad_arguments(loaded: Store) -> None:
    with pytest.raises(CaseNotFound, match="没有编号为 999 的案件") as info:
        loaded.case(999)
    assert info.value.id == 999
    with pytest.raises(CaseNotFound):
        loaded.revisions(999)
    with pytest.raises(CaseNotFound, match="没有编号为 77 的文档"):
        loaded.document_bytes(77)
    first = loaded.cases()[0]
    with pytest.raises(ArgumentError, match="案件记录应为 CaseRecord"):
        loaded.save_case(first.id, "正文", base_revision=1, author="张三")  # type: ignore[arg-type]
    with pytest.raises(InvalidOption, match="修改人不能为空"):
        loaded.save_case(first.id, first.record, base_revision=1, author=" ")
    second = loaded.cases()[1]
    with pytest.raises(InvalidOption, match="案号重复"):
        loaded.save_case(second.id, first.record, base_revision=1, author="张三")


def test_import_into_a_workspace_with_cases(
    loaded: Store, example_year: HandlingYear, example_org: Organisation
) -> None:
    before = [c.id for c in loaded.cases()]
    first = loaded.cases()[0]
    loaded.save_case(
        first.id, with_body(first.record, "本地修改。"), base_revision=1, author="李四"
    )
    with pytest.raises(
        WorkspaceExists, match=r"工作区已有 12 件案件（2024年度，来自 year2024\.yaml）"
    ):
        loaded.import_year(example_year, example_org, author="王五", source="新台账.xlsx")
    assert loaded.case(first.id).revision == 2  # nothing changed
    fewer = example_year.model_copy(update={"cases": example_year.cases[:-1]})
    ids = loaded.import_year(fewer, example_org, author="王五", source="新台账.xlsx", replace=True)
    assert ids == [c.id for c in loaded.cases()]
    again = loaded.case(first.id)
    assert again.revision == 3 and again.record == first.record  # the import is revision 3
    assert [r.note for r in loaded.revisions(first.id)] == [
        "导入 year2024.yaml",
        "",
        "导入 新台账.xlsx",
    ]
    assert len(ids) == len(example_year.cases) - 1
    (gone_id,) = set(before) - set(ids)
    gone = loaded.case(gone_id)
    assert gone.removed and gone.record == example_year.cases[-1]
    with pytest.raises(InvalidOption, match="已在重新导入时移除"):
        loaded.save_case(gone_id, gone.record, base_revision=1, author="王五")
    ws = loaded.workspace()
    assert ws is not None and ws.source == "新台账.xlsx"
    # the full year again: the removed case comes back with its id and history
    again_ids = loaded.import_year(
        example_year, example_org, author="王五", source="全年.xlsx", replace=True
    )
    assert again_ids == before
    back = loaded.case(gone_id)
    assert not back.removed and back.revision == 1 and back in loaded.cases()


def test_documents_keep_bytes_and_hash(loaded: Store) -> None:
    first = loaded.cases()[0]
    doc = loaded.add_document(
        first.id, revision=1, kind="答复", filename="提案008-答复.docx", data=b"abc"
    )
    assert doc.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert (doc.size, doc.case_id, doc.revision, doc.kind) == (3, first.id, 1, "答复")
    assert loaded.documents(first.id) == [doc]
    again = loaded.add_document(
        first.id, revision=1, kind="答复", filename="提案008-答复.docx", data=b"abc"
    )
    assert again == doc and loaded.documents(first.id) == [doc]  # the same bytes kept once
    assert loaded.documents(first.id, revision=2) == []
    assert loaded.document(doc.id) == doc
    assert loaded.document_bytes(doc.id) == b"abc"
    with pytest.raises(InvalidOption, match="没有第 2 版"):
        loaded.add_document(first.id, revision=2, kind="答复", filename="a.docx", data=b"x")
    with pytest.raises(InvalidOption, match="文件名不能包含路径"):
        loaded.add_document(first.id, revision=1, kind="答复", filename="../a.docx", data=b"x")
    with sqlite3.connect(loaded.path) as conn:
        conn.execute("UPDATE documents SET data = ? WHERE id = ?", (b"abd", doc.id))
    with pytest.raises(StoreError, match="已损坏：SHA-256 不符"):
        loaded.document_bytes(doc.id)


def test_report_revisions_and_stale_rule(
    store: Store, example_year: HandlingYear, example_org: Organisation
) -> None:
    with pytest.raises(NoWorkspace, match="尚未导入"):
        store.save_report("正文", None, base_revision=0, author="张三")
    store.import_year(example_year, example_org, author="张三", source="x")
    assert store.report().revision == 0 and store.report().narrative is None
    saved = store.save_report("今年办理……", date(2024, 12, 20), base_revision=0, author="张三")
    assert (saved.revision, saved.updated_by, saved.date) == (1, "张三", date(2024, 12, 20))
    with pytest.raises(
        StaleRevision, match=r"工作总结已由张三于.* 修改为第 1 版，您编辑的是第 0 版"
    ):
        store.save_report("另一稿", None, base_revision=0, author="李四")
    assert store.report().narrative == "今年办理……"


def test_set_organisation(loaded: Store, example_org: Organisation) -> None:
    renamed = example_org.model_copy(update={"self_name": "本局"})
    loaded.set_organisation(renamed, author="李四")
    ws = loaded.workspace()
    assert ws is not None and ws.organisation.self_name == "本局"
    assert ws.organisation_updated_by == "李四"
    assert loaded.organisation() == renamed == loaded.year().organisation
