"""The bounded loopback load test (benchmarks/load.py): 20 concurrent clients, 200 renders.

Timing is reported, never asserted (2 shared cores); what must hold is that every request
succeeds and every document is exactly the one the library renders for that request.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.load import percentile, run_load, running_server, valid_docx


def test_load_200_renders_20_clients_no_errors(tmp_path: Path) -> None:
    with running_server(tmp_path) as url:
        result = run_load(url, clients=20, requests=200)
    print("\n".join(result.lines()))
    assert result.errors == 0, result.messages
    assert result.wrong_documents == 0, result.messages
    assert result.ok == 200
    assert 0 < result.p50_ms <= result.p90_ms <= result.p99_ms <= result.max_ms


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 90), percentile(values, 99)) == (
        50.0,
        90.0,
        99.0,
    )
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) == 0.0


def test_valid_docx_refuses_other_bytes() -> None:
    assert not valid_docx(b"not a zip")
