"""The benchmark script runs end to end (a smoke run; figures are not asserted here)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_benchmark_quick_run_prints_every_target() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--quick",
            "--no-write",
            "--rounds",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    out = proc.stdout
    for row in (
        "plain docxtpl loop",
        "fast path",
        "render_all, workers=1",
        "render_all, workers=2",
        "openpyxl + docxtpl script",
        "CLI end-to-end, default options",
        "CLI end-to-end, replies only",
    ):
        assert f"| {row}" in out
    for target in (
        "fast path vs plain docxtpl",
        "workers=2 vs one process",
        "peak RSS",
        "merge",
        "CLI end-to-end vs an openpyxl + docxtpl script",
    ):
        assert f"| {target}" in out
