"""Shared fixtures and the ``libreoffice`` marker.

Under CI=true a skipped test is a failure (nothing may be silently missing): CI installs
LibreOffice and poppler-utils (see .ci/run), so there the ``libreoffice`` tests run.
Layout numbers in the tests come from GB/T 9704-2012 as summarised in docs/standard.md
(constants in ``gongwen.standard``).
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from gongwen import CaseRecord, HandlingYear, Organisation, load_organisation, load_year

if TYPE_CHECKING:
    from gongwen.preview import Converter

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TODAY = date(2024, 12, 31)  # "today" for every check and render in the tests


# --------------------------------------------------------------------------- example data


@functools.cache
def load_example_year() -> HandlingYear:
    """examples/year2024.yaml, loaded once (also for module-level test data)."""
    return load_year(EXAMPLES / "year2024.yaml")


@functools.cache
def load_example_org() -> Organisation:
    """examples/organisation.yaml, loaded once."""
    return load_organisation(EXAMPLES / "organisation.yaml")


def record_by_label(year: HandlingYear, label: str) -> CaseRecord:
    """The record of ``year`` with this label, e.g. ``提案008``."""
    return next(r for r in year.cases if r.case.label == label)


def edit_record(record: CaseRecord, **sections: Any) -> CaseRecord:
    """Re-validate ``record`` with sections replaced (a dict merges into that section)."""
    data = record.model_dump()
    for key, value in sections.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) else value
    return CaseRecord.model_validate(data)


def with_config(org: Organisation, **changes: Any) -> Organisation:
    """``org`` re-validated with these keys of its ``config`` replaced."""
    data = org.model_dump()
    data["config"] = {**data["config"], **changes}
    return Organisation.model_validate(data)


@pytest.fixture(scope="session")
def example_year() -> HandlingYear:
    """The bundled example year (examples/year2024.yaml)."""
    return load_example_year()


@pytest.fixture(scope="session")
def example_org() -> Organisation:
    """The bundled example organisation (examples/organisation.yaml)."""
    return load_example_org()


@pytest.fixture(scope="session")
def example_record(example_year: HandlingYear) -> Callable[[str], CaseRecord]:
    """``example_record("提案008")``: an example record by label."""
    return functools.partial(record_by_label, example_year)


@pytest.fixture(scope="session")
def today() -> date:
    return TODAY


@pytest.fixture
def cli_runner() -> CliRunner:
    """A runner for the typer CLI (``cli_runner.invoke(app, [...])``)."""
    return CliRunner()


# --------------------------------------------------------------------------- LibreOffice


def _soffice() -> str | None:
    """soffice as the library finds it: $GONGWEN_SOFFICE if set, else soffice/libreoffice."""
    override = os.environ.get("GONGWEN_SOFFICE")
    if override:
        return shutil.which(override)
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing_office_tools() -> list[str]:
    """What a ``libreoffice`` test needs and this machine lacks."""
    missing = []
    if _soffice() is None:
        override = os.environ.get("GONGWEN_SOFFICE")
        missing.append(f"soffice (GONGWEN_SOFFICE={override})" if override else "soffice")
    if shutil.which("pdftoppm") is None:
        missing.append("pdftoppm")
    return missing


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip ``@pytest.mark.libreoffice`` tests when LibreOffice or pdftoppm is absent."""
    missing = missing_office_tools()
    if not missing:
        return
    names = "、".join(missing)
    skip = pytest.mark.skip(
        reason=(
            f"未安装 LibreOffice/poppler-utils（缺少 {names}）；"
            f"LibreOffice test skipped: {', '.join(missing)} not found "
            "(apt-get install libreoffice-writer-nogui python3-uno poppler-utils)"
        )
    )
    for item in items:
        if item.get_closest_marker("libreoffice") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def converter() -> Iterator[Converter]:
    """One warm LibreOffice converter for the session (only for ``libreoffice`` tests)."""
    from gongwen.preview import Converter

    with Converter() as conv:
        yield conv


# --------------------------------------------------------------------------- CI=true


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if os.environ.get("CI", "").lower() == "true" and terminalreporter.stats.get("skipped"):
        terminalreporter.write_line("CI=true：有测试被跳过（缺少依赖？），按失败处理", red=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI", "").lower() != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = 1
