"""docs/integration.md's clients, run as written against a real ``gongwen serve``.

The code blocks marked ``<!-- example: NAME -->`` in the guide are extracted and run unchanged:
the curl script (bash + curl), the Java client (javac + java), the Celery tasks (eager mode,
in-memory broker and result backend). The documents they save must be exactly what the library
renders for the same input.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest
from benchmarks.load import running_server
from docx import Document

from gongwen import CaseRecord, HandlingYear, Organisation, verify
from gongwen.api import render_planned
from gongwen.documents.plan import case_documents
from gongwen.findings import Severity
from gongwen.verify import load_docx
from gongwen.verify.pages import check_pdf
from tests.conftest import EXAMPLES, ROOT, TODAY

if TYPE_CHECKING:
    from gongwen.preview import Converter

GUIDE = ROOT / "docs" / "integration.md"
TOKEN = "integration-test-token"
_EXAMPLE = re.compile(r"<!-- example: (\S+) -->\s*```[a-z]*\n(.*?)^```", re.S | re.M)


def guide_examples() -> dict[str, str]:
    """The marked code blocks of docs/integration.md by file name."""
    return dict(_EXAMPLE.findall(GUIDE.read_text(encoding="utf-8")))


def test_the_guide_marks_its_runnable_examples() -> None:
    assert set(guide_examples()) == {"tasks.py", "render.sh", "GongwenClient.java"}


def expected_reply(record: CaseRecord, org: Organisation) -> tuple[str, bytes]:
    """(name, bytes) of the latest reply of ``record`` as the library renders it."""
    planned = case_documents(record, ("replies",))[-1]
    doc = render_planned(record, planned, org, today=TODAY)
    return doc.name, doc.data


def request_json(record: CaseRecord, org: Organisation) -> str:
    return json.dumps(
        {
            "record": record.model_dump(mode="json"),
            "organisation": org.model_dump(mode="json"),
            "today": TODAY.isoformat(),
        },
        ensure_ascii=False,
    )


def assert_opens(data: bytes) -> None:
    doc = Document(io.BytesIO(data))
    assert any(p.text.strip() for p in doc.paragraphs)
    assert not [f for f in verify(data) if f.severity is Severity.ERROR]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``gongwen serve`` on a free loopback port, with a token (clients must send it)."""
    with running_server(tmp_path_factory.mktemp("data"), token=TOKEN) as url:
        yield url


def client_env(url: str) -> dict[str, str]:
    return {**os.environ, "GONGWEN_URL": url, "GONGWEN_TOKEN": TOKEN}


# --------------------------------------------------------------------------- curl


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl 未安装 / curl not installed")
def test_curl_example(
    server: str,
    tmp_path: Path,
    example_record: Any,
    example_org: Organisation,
) -> None:
    record = example_record("建议096")  # a re-handled case
    (tmp_path / "request.json").write_text(request_json(record, example_org), encoding="utf-8")
    shutil.copy(EXAMPLES / "ledger2024.xlsx", tmp_path / "台账.xlsx")
    shutil.copy(EXAMPLES / "organisation.yaml", tmp_path / "organisation.yaml")
    script = tmp_path / "render.sh"
    script.write_text("set -euo pipefail\n" + guide_examples()["render.sh"], encoding="utf-8")
    proc = subprocess.run(
        ["bash", str(script)],
        cwd=tmp_path,
        env=client_env(server),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    name, expected = expected_reply(record, example_org)
    assert name == "建议096-重新办理答复.docx"
    saved = (tmp_path / "答复.docx").read_bytes()
    assert saved == expected
    assert_opens(saved)
    findings = json.loads((tmp_path / "检查结果.json").read_text(encoding="utf-8"))
    assert findings["ok"] is True
    with zipfile.ZipFile(tmp_path / "批量.zip") as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["outputs"]
        for entry in manifest["outputs"]:
            assert entry["file"] in zf.namelist()
        assert "建议096-重新办理答复.docx" in zf.namelist()


def test_curl_without_the_token_is_refused(server: str) -> None:
    import httpx

    r = httpx.post(f"{server}/api/v1/check", json={}, timeout=30)
    assert r.status_code == 401
    assert "Bearer" in r.text


# --------------------------------------------------------------------------- Java


@pytest.mark.skipif(
    shutil.which("javac") is None or shutil.which("java") is None,
    reason="未安装 JDK / no JDK (apt-get install openjdk-17-jdk-headless)",
)
def test_java_client_renders_a_reply(
    server: str, tmp_path: Path, example_record: Any, example_org: Organisation
) -> None:
    source = tmp_path / "GongwenClient.java"
    source.write_text(guide_examples()["GongwenClient.java"], encoding="utf-8")
    subprocess.run(
        ["javac", "-encoding", "UTF-8", source.name], cwd=tmp_path, check=True, timeout=300
    )
    env = client_env(server)
    for label in ("提案008", "建议096"):
        record = example_record(label)
        request = tmp_path / f"{label}.json"
        request.write_text(request_json(record, example_org), encoding="utf-8")
        out = tmp_path / f"{label}.docx"
        proc = subprocess.run(
            ["java", "-cp", str(tmp_path), "GongwenClient", str(request), str(out)],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        assert "saved" in proc.stdout
        assert out.read_bytes() == expected_reply(record, example_org)[1]
        assert_opens(out.read_bytes())
    # a bad request: the client exits 1 and prints the API's JSON error with the field path
    bad = json.loads(request_json(example_record("提案008"), example_org))
    bad["record"]["reply"]["doc_number"] = "第十五号"
    request = tmp_path / "bad.json"
    request.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    failed = subprocess.run(
        ["java", "-cp", str(tmp_path), "GongwenClient", str(request), str(tmp_path / "x.docx")],
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert failed.returncode == 1
    err = failed.stderr.decode("utf-8", errors="replace")
    assert "HTTP 422" in err and "record.reply.doc_number" in err
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.libreoffice
@pytest.mark.skipif(
    shutil.which("javac") is None or shutil.which("java") is None,
    reason="未安装 JDK / no JDK (apt-get install openjdk-17-jdk-headless)",
)
def test_java_clients_docx_opens_in_libreoffice(
    server: str,
    tmp_path: Path,
    example_record: Any,
    example_org: Organisation,
    converter: Converter,
) -> None:
    source = tmp_path / "GongwenClient.java"
    source.write_text(guide_examples()["GongwenClient.java"], encoding="utf-8")
    subprocess.run(
        ["javac", "-encoding", "UTF-8", source.name], cwd=tmp_path, check=True, timeout=300
    )
    request = tmp_path / "request.json"
    request.write_text(request_json(example_record("建议096"), example_org), encoding="utf-8")
    out = tmp_path / "答复.docx"
    subprocess.run(
        ["java", "-cp", str(tmp_path), "GongwenClient", str(request), str(out)],
        env=client_env(server),
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = converter.to_pdf(out.read_bytes())
    assert pdf.startswith(b"%PDF")
    ctx = load_docx(out.read_bytes())
    assert not [f for f in check_pdf(pdf, ctx.kind) if f.severity is Severity.ERROR]


# --------------------------------------------------------------------------- Celery


@pytest.fixture
def tasks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """docs/integration.md's tasks.py, imported with an in-memory broker and result backend and
    run eagerly (no Redis needed)."""
    monkeypatch.setenv("GONGWEN_BROKER_URL", "memory://")
    monkeypatch.setenv("GONGWEN_RESULT_BACKEND", "cache+memory://")
    path = tmp_path / "tasks.py"
    path.write_text(guide_examples()["tasks.py"], encoding="utf-8")
    spec = importlib.util.spec_from_file_location("gongwen_guide_tasks", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        module.app.conf.update(task_always_eager=True, task_eager_propagates=True)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def test_celery_example_names_broker_and_result_backend() -> None:
    code = guide_examples()["tasks.py"]
    assert 'broker=os.environ.get("GONGWEN_BROKER_URL", "redis://' in code
    assert 'backend=os.environ.get("GONGWEN_RESULT_BACKEND", "redis://' in code


def test_celery_reply_task_rehandled_case(
    tasks: ModuleType, example_record: Any, example_org: Organisation
) -> None:
    record = example_record("建议096")
    result = tasks.reply_task.delay(
        record.model_dump_json(), example_org.model_dump_json(), TODAY.isoformat()
    ).get(timeout=60)
    json.dumps(result)  # travels as JSON
    assert result["file"] == "建议096-重新办理答复.docx"
    data = base64.b64decode(result["docx_base64"])
    assert data == expected_reply(record, example_org)[1]
    assert_opens(data)
    plain = tasks.reply_task.delay(
        example_record("提案008").model_dump_json(), example_org.model_dump_json(), "2024-12-31"
    ).get(timeout=60)
    assert plain["file"] == "提案008-答复.docx"


def test_celery_reply_task_check_error_raises(
    tasks: ModuleType, example_record: Any, example_org: Organisation
) -> None:
    record = example_record("提案008")
    bad = record.model_copy(
        update={
            "reply": record.reply.model_copy(update={"result_class": "C", "class_reason": None})
        }
    )
    with pytest.raises(ValueError, match="检查发现"):
        tasks.reply_task.delay(
            bad.model_dump_json(), example_org.model_dump_json(), TODAY.isoformat()
        ).get(timeout=60)


def test_celery_batch_task(tasks: ModuleType, tmp_path: Path, example_year: HandlingYear) -> None:
    out = tmp_path / "out"
    job = tasks.batch_task.delay(
        str(EXAMPLES / "ledger2024.csv"), str(EXAMPLES / "organisation.yaml"), str(out)
    )
    summary = job.get(timeout=600)
    json.dumps(summary)
    written = {w["file"] for w in summary["written"]}
    assert "建议096-重新办理答复.docx" in written
    assert "答复函合订本.docx" in written
    for name in written:
        assert (out / name).is_file()
    assert job.state == "SUCCESS"
    # a missing ledger is reported, not raised
    fatal = tasks.batch_task.delay(
        str(tmp_path / "无此台账.xlsx"), str(EXAMPLES / "organisation.yaml"), str(out)
    ).get(timeout=60)
    assert "无此台账" in fatal["fatal"]
