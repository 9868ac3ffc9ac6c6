"""Shared fixtures. Under CI=true a skipped test is a failure (nothing may be silently missing)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from gongwen import HandlingYear, Organisation, load_organisation, load_year

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TODAY = date(2024, 12, 31)


@pytest.fixture(scope="session")
def example_year() -> HandlingYear:
    """The bundled example year (examples/year2024.yaml)."""
    return load_year(EXAMPLES / "year2024.yaml")


@pytest.fixture(scope="session")
def example_org() -> Organisation:
    """The bundled example organisation (examples/organisation.yaml)."""
    return load_organisation(EXAMPLES / "organisation.yaml")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if os.environ.get("CI", "").lower() == "true" and terminalreporter.stats.get("skipped"):
        terminalreporter.write_line("CI=true：有测试被跳过（缺少依赖？），按失败处理", red=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI", "").lower() != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = 1
