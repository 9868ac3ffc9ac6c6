"""``simplex`` beyond the CLI: :func:`gongwen.render_all` and ``POST /api/v1/batch`` make the
merged file for single-sided printing (letters follow on the next page, never the next odd one).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from gongwen import HandlingYear, Organisation
from gongwen.batch import BatchOptions, render_all
from gongwen.batch.run import MERGE_NAME
from gongwen.web import api_v1
from gongwen.web.state import WebSettings, WebState
from tests.conftest import EXAMPLES, TODAY

ODD = 'w:type w:val="oddPage"'
NEXT = 'w:type w:val="nextPage"'


def _document(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")


def _merged(example_year: HandlingYear, example_org: Organisation, simplex: bool = False) -> str:
    results = list(
        render_all(
            example_year, example_org, what={"replies"}, merge=True, today=TODAY, simplex=simplex
        )
    )
    (merged,) = [r for r in results if r.name == MERGE_NAME]
    assert merged.ok and merged.data is not None, merged
    return _document(merged.data)


def test_render_all_simplex(example_year: HandlingYear, example_org: Organisation) -> None:
    duplex = _merged(example_year, example_org)
    simplex = _merged(example_year, example_org, simplex=True)
    assert ODD in duplex and NEXT not in duplex
    assert ODD not in simplex and NEXT in simplex


def test_simplex_option_is_a_flag() -> None:
    assert BatchOptions.of(simplex=True).simplex is True
    with pytest.raises(ValueError, match="参数 simplex 应为 True 或 False"):
        BatchOptions(simplex="yes")  # type: ignore[arg-type]


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    app = FastAPI()
    app.state.gongwen = WebState(WebSettings(data_dir=tmp_path))
    api_v1.mount(app)
    return TestClient(app)


def _api_merged(client: TestClient, **form: str) -> str:
    year = (EXAMPLES / "year2024.yaml").read_bytes()
    org = (EXAMPLES / "organisation.yaml").read_bytes()
    r = client.post(
        "/api/v1/batch",
        files={
            "ledger": ("year2024.yaml", year, "application/yaml"),
            "organisation": ("organisation.yaml", org, "application/yaml"),
        },
        data={"today": TODAY.isoformat(), "what": "replies", "merge": "true", **form},
    )
    assert r.status_code == 200, r.text
    return _document(zipfile.ZipFile(io.BytesIO(r.content)).read(MERGE_NAME))


def test_api_batch_simplex_form_field(client: TestClient) -> None:
    duplex = _api_merged(client)
    simplex = _api_merged(client, simplex="true")
    assert ODD in duplex and NEXT not in duplex
    assert ODD not in simplex and NEXT in simplex
    spec = client.get("/openapi.json").json()
    form = spec["paths"]["/api/v1/batch"]["post"]["requestBody"]["content"]
    schema_ref = form["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "simplex" in spec["components"]["schemas"][schema_ref]["properties"]
