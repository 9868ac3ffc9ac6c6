"""A bounded loopback load test of the HTTP API: concurrent clients against a real server.

Starts ``gongwen serve`` on a free loopback port (its own process, a temporary data folder),
then ``--clients`` threads, each with its own HTTP connection, send ``--requests`` render
requests in all (``POST /api/v1/render/reply`` for every case of the example year in turn,
re-handled and co-handled cases included). Every answer is checked: status 200 and exactly the
bytes the library renders for that request in this process (a valid docx, nothing lost or mixed
up between concurrent requests). Prints latency percentiles, throughput and errors::

    python benchmarks/load.py                        # 20 clients, 200 requests
    python benchmarks/load.py --clients 50 --requests 1000 --json load.json

Exit status 1 when any request failed or any document differed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TODAY = date(2024, 12, 31)
#: The longest wait for the server to answer its first request.
START_TIMEOUT = 60.0


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gongwen_command() -> list[str]:
    """``gongwen`` of this interpreter's environment (the console script next to python)."""
    script = Path(sys.executable).with_name("gongwen")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from gongwen.cli import main; sys.exit(main())"]


@contextlib.contextmanager
def running_server(
    data_dir: Path, *, token: str | None = None, host: str = "127.0.0.1", demo: bool = False
) -> Iterator[str]:
    """``gongwen serve`` on a free port in a subprocess; yields its base URL, stops it after.

    ``demo``: with ``--demo`` (the bundled example cases in an empty ``data_dir``). Also the
    tests' server (tests/e2e: the browser, the integration clients, the load test)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "GONGWEN_TOKEN"}
    command = [*gongwen_command(), "serve", "--host", host, "--port", str(port)]
    command += ["--data", str(data_dir)]
    if token:
        command += ["--token", token]
    if demo:
        command.append("--demo")
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            _wait_ready(proc, log, url)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_ready(proc: subprocess.Popen[bytes], log: IO[bytes], url: str) -> None:
    """Until the server answers (or has exited, or the start timeout passed)."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gongwen serve exited ({proc.returncode}): {log.read()!r}")
        try:
            if httpx.get(f"{url}/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gongwen serve did not answer within {START_TIMEOUT} s")
        time.sleep(0.2)


def requests_of_example() -> list[tuple[str, dict[str, Any], bytes]]:
    """(label, request body, expected docx) for every case of the example year with a reply."""
    from gongwen import load_organisation, load_year
    from gongwen.api import render_planned
    from gongwen.documents.plan import case_documents

    year = load_year(EXAMPLES / "year2024.yaml")
    org = load_organisation(EXAMPLES / "organisation.yaml")
    out = []
    for record in year.cases:
        docs = case_documents(record, ("replies",))
        if not docs:
            continue
        expected = render_planned(record, docs[-1], org, today=TODAY).data
        body = {
            "record": record.model_dump(mode="json"),
            "organisation": org.model_dump(mode="json"),
            "today": TODAY.isoformat(),
        }
        out.append((record.case.label, body, expected))
    return out


def valid_docx(data: bytes) -> bool:
    """A zip package with a main document part (what Word needs to open it)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.testzip() is None and "word/document.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


@dataclass
class LoadResult:
    """What one load run measured (latencies in milliseconds)."""

    clients: int
    requests: int
    ok: int = 0
    errors: int = 0
    wrong_documents: int = 0
    wall_s: float = 0.0
    throughput_rps: float = 0.0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    mean_ms: float = 0.0
    max_ms: float = 0.0
    messages: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"{self.requests} requests, {self.clients} concurrent clients, "
            f"{self.wall_s:.2f} s: {self.throughput_rps:.1f} requests/s",
            f"latency p50 {self.p50_ms:.1f} ms, p90 {self.p90_ms:.1f} ms, "
            f"p99 {self.p99_ms:.1f} ms (mean {self.mean_ms:.1f}, max {self.max_ms:.1f})",
            f"ok {self.ok}, errors {self.errors}, wrong documents {self.wrong_documents}",
            *self.messages[:10],
        ]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), nearest-rank on the sorted values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def run_load(
    url: str,
    *,
    clients: int = 20,
    requests: int = 200,
    token: str | None = None,
    warmup: int = 20,
) -> LoadResult:
    """``requests`` render requests over ``clients`` threads against ``url``, after ``warmup``
    requests one at a time that are not counted (templates loaded, first-use imports done)."""
    cases = requests_of_example()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(base_url=url, timeout=120, headers=headers) as http:
        for i in range(warmup):
            http.post("/api/v1/render/reply", json=cases[i % len(cases)][1])
    jobs = [cases[i % len(cases)] for i in range(requests)]
    lock = threading.Lock()
    latencies: list[float] = []
    result = LoadResult(clients=clients, requests=requests)
    next_job = iter(range(requests))
    start = threading.Barrier(clients + 1)

    def client() -> None:
        with httpx.Client(base_url=url, timeout=120, headers=headers) as http:
            start.wait()
            while True:
                with lock:
                    i = next(next_job, None)
                if i is None:
                    return
                label, body, expected = jobs[i]
                t0 = time.perf_counter()
                try:
                    r = http.post("/api/v1/render/reply", json=body)
                    status, data = r.status_code, r.content
                except httpx.HTTPError as exc:
                    status, data = 0, repr(exc).encode()
                elapsed = (time.perf_counter() - t0) * 1000
                with lock:
                    latencies.append(elapsed)
                    if status != 200:
                        result.errors += 1
                        result.messages.append(f"{label}: HTTP {status} {data[:200]!r}")
                    elif data != expected or not valid_docx(data):
                        result.wrong_documents += 1
                        result.messages.append(f"{label}: the document differs")
                    else:
                        result.ok += 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    result.wall_s = time.perf_counter() - t0
    result.throughput_rps = requests / result.wall_s if result.wall_s else 0.0
    result.p50_ms = percentile(latencies, 50)
    result.p90_ms = percentile(latencies, 90)
    result.p99_ms = percentile(latencies, 99)
    result.mean_ms = statistics.fmean(latencies) if latencies else 0.0
    result.max_ms = max(latencies, default=0.0)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument("--requests", type=int, default=200, help="render requests in all (200)")
    parser.add_argument("--url", help="an already running server instead of starting one")
    parser.add_argument("--token", help="the server's token (with --url)")
    parser.add_argument(
        "--warmup", type=int, default=20, help="requests before the measurement, not counted (20)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.requests < 1:
        parser.error("--clients and --requests must be at least 1")
    if args.url:
        result = run_load(args.url, clients=args.clients, requests=args.requests, token=args.token)
    else:
        with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp)) as url:
            result = run_load(url, clients=args.clients, requests=args.requests)
    print("\n".join(result.lines()))
    if args.json:
        args.json.write_text(json.dumps(asdict(result), indent=2), encoding="utf-8")
    return 0 if result.errors == 0 and result.wrong_documents == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
