"""Throughput and memory of batch rendering, against a plain docxtpl loop in the same run.

    python benchmarks/run.py            # default: 5 rounds (about 2 minutes on 2 cores)
    python benchmarks/run.py --quick    # a smoke run (well under a minute)
    python benchmarks/run.py --e2e-only # only the whole-process rows (script vs CLI), printed

Prints a table and writes it as Markdown to ``benchmarks/RESULTS.md``. Targets (ratios):
fast path ≥ 20× plain docxtpl; workers=2 ≥ 1.7× one process; peak RSS for 10,000 letters
≤ 1.5× that for 1,000; merging 1,000 letters < 2× the time to render them; the CLI end to end
(``gongwen batch LEDGER.xlsx --org … --out …``, default options, a whole process) ≥ 15× the
script a user would write (``user_script.py``: openpyxl + docxtpl, also a whole process).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import data  # noqa: E402

TODAY = date(2024, 12, 31)


@dataclass
class Row:
    """One line of the results table."""

    name: str
    letters: int
    seconds: float
    rss_mb: float | None = None

    @property
    def per_second(self) -> float:
        return self.letters / self.seconds

    @property
    def ms(self) -> float:
        return self.seconds * 1000 / self.letters


def _contexts(n: int) -> list[tuple[str, dict[str, Any]]]:
    from gongwen.documents.reply import MULTILINE_KEYS, reply_context, reply_template_name
    from gongwen.render.sanitize import clean_context

    org = data.organisation()
    out = []
    for rec in data.records(n):
        assert rec.reply is not None
        name = reply_template_name(rec.case, "letter")
        out.append((name, clean_context(reply_context(rec.case, rec.reply, org), MULTILINE_KEYS)))
    return out


def bench_plain(n: int) -> Row:
    """``DocxTemplate(path).render(ctx, autoescape=True); save(BytesIO)`` per letter."""
    from docxtpl import DocxTemplate

    from gongwen.resources import template_path

    ctxs = _contexts(n)
    start = time.perf_counter()
    for name, ctx in ctxs:
        tpl = DocxTemplate(str(template_path(name)))
        tpl.render(ctx, autoescape=True)
        tpl.save(io.BytesIO())
    return Row("plain docxtpl loop", n, time.perf_counter() - start)


def bench_fast(n: int) -> tuple[Row, list[bytes]]:
    """The fast path: ``load_template(path).render(ctx)`` (template compiled once)."""
    from gongwen.render.engine import load_template
    from gongwen.resources import template_path

    ctxs = _contexts(n)
    for name, _ in ctxs[:1]:
        load_template(template_path(name))  # compile outside the timing, as a worker does
    start = time.perf_counter()
    docs = [load_template(template_path(name)).render(ctx) for name, ctx in ctxs]
    return Row("fast path (engine only)", n, time.perf_counter() - start), docs


def bench_batch(n: int, workers: int, folder: Path) -> Row:
    """``render_all`` end to end (ledger, checks, render, atomic writes, manifest)."""
    from gongwen.batch import render_all

    ledger = data.ledger(n, folder)
    out = Path(tempfile.mkdtemp(dir=folder))
    start = time.perf_counter()
    results = list(
        render_all(ledger, data.organisation(), out, what={"replies"}, workers=workers, today=TODAY)
    )
    seconds = time.perf_counter() - start
    bad = [r for r in results if r.status != "written"]
    if bad:
        raise SystemExit(f"batch produced {len(bad)} unexpected results: {bad[0]}")
    return Row(f"render_all, workers={workers}", n, seconds)


def _gongwen_command() -> list[str]:
    """The ``gongwen`` command of this Python (the console script, else ``-c``)."""
    script = Path(sys.executable).with_name("gongwen")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from gongwen.cli import main; main()"]


#: Bytecode for the whole-process runs. A user's installed gongwen has its ``.pyc`` files, as
#: openpyxl and docxtpl have theirs in site-packages; a source checkout run with
#: ``PYTHONDONTWRITEBYTECODE`` would compile gongwen's modules at every start (about 0.3 s).
_PYCACHE = Path(tempfile.gettempdir()) / "gongwen-bench-pycache"


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(_PYCACHE)
    return env


def _whole_process(command: list[str]) -> float:
    """Wall seconds of one whole process (start-up, imports and exit included)."""
    start = time.perf_counter()
    proc = subprocess.run(
        command, capture_output=True, text=True, cwd=HERE.parent, env=_child_env()
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return seconds


def bench_cli(n: int, folder: Path, *extra: str) -> Row:
    """``gongwen batch LEDGER.xlsx --org … --out …`` as a whole process (default options)."""
    ledger = data.ledger(n, folder, ".xlsx")
    out = Path(tempfile.mkdtemp(dir=folder))
    org = HERE.parent / "examples" / "organisation.yaml"
    command = [*_gongwen_command(), "batch", str(ledger), "--org", str(org), "--out", str(out)]
    seconds = _whole_process([*command, *extra])
    label = "replies only" if extra else "default options"
    return Row(f"CLI end-to-end, {label}", n, seconds)


def warm_up(folder: Path) -> None:
    """One small untimed run of each whole-process command (fills the bytecode cache)."""
    bench_cli(10, folder)
    bench_script(10, folder)


def bench_script(n: int, folder: Path) -> Row:
    """The openpyxl + docxtpl script (``user_script.py``) as a whole process."""
    ledger = data.ledger(n, folder, ".xlsx")
    out = Path(tempfile.mkdtemp(dir=folder))
    seconds = _whole_process([sys.executable, str(HERE / "user_script.py"), str(ledger), str(out)])
    made = sum(1 for _ in out.glob("*.docx"))
    if made != n:
        raise SystemExit(f"user_script.py made {made} letters, not {n}")
    return Row("openpyxl + docxtpl script", n, seconds)


def bench_merge(docs: list[bytes]) -> Row:
    """Splice the rendered letters into one print file."""
    from gongwen.output.merge import LetterMerger

    start = time.perf_counter()
    m = LetterMerger()
    for d in docs:
        m.add(d)
    m.finish()
    return Row("merge into one print file", len(docs), time.perf_counter() - start)


def child_memory(n: int, folder: str) -> None:
    """Run in a subprocess: a batch of n letters; print this process's peak RSS (MB)."""
    from gongwen.batch import render_all

    ledger = Path(folder) / f"ledger{n}.csv"
    out = tempfile.mkdtemp(dir=folder)
    start = time.perf_counter()
    count = sum(
        1
        for r in render_all(ledger, data.organisation(), out, what={"replies"}, today=TODAY)
        if r.status == "written"
    )
    print(
        json.dumps(
            {"letters": count, "rss_mb": _peak_rss_mb(), "seconds": time.perf_counter() - start}
        )
    )


def _peak_rss_mb() -> float:
    """This process's peak RSS. On Linux VmHWM: ru_maxrss would include the RSS of the parent
    at fork time (Linux carries it over exec), which is not this batch's memory."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def bench_memory(n: int, folder: Path) -> Row:
    data.ledger(n, folder)  # made in this process, outside the measured one
    proc = subprocess.run(
        [sys.executable, __file__, "--child-memory", str(n), "--folder", str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    return Row(f"render_all in a subprocess ({n})", res["letters"], res["seconds"], res["rss_mb"])


def _median(rows: list[Row]) -> Row:
    """The run with the median time (rounds are odd by default; even: the slower middle)."""
    return sorted(rows, key=lambda r: r.seconds)[len(rows) // 2]


def _table(rows: list[Row], plain: Row) -> list[str]:
    lines = [
        "| run | letters | letters/s | ms/letter | peak RSS | vs plain docxtpl |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        rss = f"{r.rss_mb:.0f} MB" if r.rss_mb is not None else ""
        lines.append(
            f"| {r.name} | {r.letters} | {r.per_second:.0f} | {r.ms:.2f} | {rss} | "
            f"{plain.ms / r.ms:.1f}× |"
        )
    return lines


def _met(ok: bool | None) -> str:
    return "—" if ok is None else "yes" if ok else "NO"


def e2e_only(n: int, rounds: int) -> None:
    """The whole-process rows alone, interleaved: each round's times and ratios, then medians."""
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="gongwen-bench-", dir=base) as tmp:
        folder = Path(tmp)
        warm_up(folder)
        script, cli, replies = [], [], []
        for i in range(rounds):
            s, c, r = (
                bench_script(n, folder),
                bench_cli(n, folder),
                bench_cli(n, folder, "--what", "replies"),
            )
            script.append(s)
            cli.append(c)
            replies.append(r)
            print(
                f"round {i + 1}: load {os.getloadavg()[0]:.1f}; script {s.ms:.2f} ms/row, "
                f"CLI {c.ms:.2f} ({s.ms / c.ms:.2f}×), "
                f"replies only {r.ms:.2f} ({s.ms / r.ms:.2f}×)",
                flush=True,
            )
    ratios = sorted(s.ms / c.ms for s, c in zip(script, cli, strict=True))
    ratios_r = sorted(s.ms / r.ms for s, r in zip(script, replies, strict=True))
    ms, mc, mr = _median(script), _median(cli), _median(replies)
    print(
        f"medians: script {ms.ms:.2f} ms/row, CLI {mc.ms:.2f} ({ms.ms / mc.ms:.2f}×, rounds "
        f"{ratios[0]:.2f}–{ratios[-1]:.2f}×), replies only {mr.ms:.2f} ({ms.ms / mr.ms:.2f}×, "
        f"rounds {ratios_r[0]:.2f}–{ratios_r[-1]:.2f}×)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--child-memory", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    parser.add_argument(
        "--rounds", type=int, default=5, help="timed runs, interleaved; medians are reported"
    )
    parser.add_argument(
        "--e2e-only",
        action="store_true",
        help="only the whole-process rows (script, CLI, CLI replies only); RESULTS.md untouched",
    )
    args = parser.parse_args()
    if args.child_memory:
        child_memory(args.child_memory, args.folder)
        return
    if args.e2e_only:
        e2e_only(100 if args.quick else 1000, max(1, args.rounds))
        return
    n_plain, n_fast, n_batch, mem_small, mem_big, n_e2e = (
        (10, 200, 200, 100, 1000, 100) if args.quick else (60, 1000, 1000, 1000, 10000, 1000)
    )
    rounds = max(1, args.rounds)
    # tmpfs when there is one: the benchmark measures rendering, not the disk.
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    timed: dict[str, list[Row]] = {}
    with tempfile.TemporaryDirectory(prefix="gongwen-bench-", dir=base) as tmp:
        folder = Path(tmp)
        warm_up(folder)
        # Rounds are interleaved so a slow spell of a shared machine hits every run alike.
        for _ in range(rounds):
            fast, docs = bench_fast(n_fast)
            for row in (
                bench_plain(n_plain),
                fast,
                bench_batch(n_batch, 1, folder),
                bench_batch(n_batch, 2, folder),
                bench_merge(docs),
                bench_script(n_e2e, folder),
                bench_cli(n_e2e, folder),
                bench_cli(n_e2e, folder, "--what", "replies"),
            ):
                timed.setdefault(row.name, []).append(row)
            del docs
        small = bench_memory(mem_small, folder)
        big = bench_memory(mem_big, folder)
    plain, fast, single, double, merge, script, cli, cli_replies = (
        _median(rs) for rs in timed.values()
    )
    rows = [plain, fast, single, double, merge, small, big, script, cli, cli_replies]
    assert small.rss_mb is not None and big.rss_mb is not None

    def spread(a: str, b: str) -> str:
        """The range of the ratio over the rounds (round by round)."""
        ratios = [x.ms / y.ms for x, y in zip(timed[a], timed[b], strict=True)]
        return f"{min(ratios):.2f}–{max(ratios):.2f}×" if len(ratios) > 1 else ""

    checks = [
        (
            "fast path vs plain docxtpl",
            plain.ms / fast.ms,
            spread(plain.name, fast.name),
            "≥ 20×",
            plain.ms / fast.ms >= 20,
        ),
        (
            "workers=2 vs one process",
            single.seconds / double.seconds,
            spread(single.name, double.name),
            "≥ 1.7×",
            single.seconds / double.seconds >= 1.7,
        ),
        (
            f"peak RSS {mem_big} vs {mem_small} letters",
            big.rss_mb / small.rss_mb,
            "",
            "≤ 1.5×",
            big.rss_mb / small.rss_mb <= 1.5,
        ),
        (
            f"merge {n_fast} vs rendering them",
            merge.seconds / fast.seconds,
            spread(merge.name, fast.name),
            "< 2×",
            merge.seconds / fast.seconds < 2,
        ),
        (
            "CLI end-to-end vs an openpyxl + docxtpl script",
            script.seconds / cli.seconds,
            spread(script.name, cli.name),
            "≥ 15×",
            script.seconds / cli.seconds >= 15,
        ),
        (
            "CLI end-to-end (replies only) vs the script",
            script.seconds / cli_replies.seconds,
            spread(script.name, cli_replies.name),
            "(for comparison)",
            None,
        ),
    ]
    lines = [
        f"# Benchmark results{' (quick run)' if args.quick else ''}",
        "",
        f"`python benchmarks/run.py{' --quick' if args.quick else ''}` — Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, template `reply_letter.docx`, "
        f"output folder on {'tmpfs' if base else 'disk'}; load average at start "
        f"{os.getloadavg()[0]:.1f}. Timed runs: median of {rounds} interleaved rounds.",
        "",
        *_table(rows, plain),
        "",
        "| target | measured (median) | range over rounds | goal | met |",
        "|---|---:|---:|---|---|",
        *[
            f"| {name} | {value:.2f}× | {rng} | {goal} | {_met(ok)} |"
            for name, value, rng, goal, ok in checks
        ],
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        results = HERE / "RESULTS.md"
        # Sections of other benchmarks after these tables (``## …``) are kept as they are.
        old = results.read_text(encoding="utf-8") if results.exists() else ""
        start = old.find("\n## ")
        kept = old[start:] if start != -1 else ""
        results.write_text(text + kept, encoding="utf-8")


if __name__ == "__main__":
    main()
