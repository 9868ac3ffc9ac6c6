"""Regenerate the example ledgers from the example year: ``python examples/make_ledgers.py``.

Writes ``ledger2024.xlsx`` (dates as Excel dates) and ``ledger2024.csv`` (UTF-8 with BOM, as
Excel saves "CSV UTF-8") next to this script, with the canonical Chinese headers.
"""

from __future__ import annotations

from pathlib import Path

from gongwen.ledger.files import load_year
from gongwen.ledger import write_ledger

HERE = Path(__file__).resolve().parent


def main() -> None:
    """Write both example ledgers."""
    year = load_year(HERE / "year2024.yaml")
    for name in ("ledger2024.xlsx", "ledger2024.csv"):
        path = write_ledger(year, HERE / name)
        print(f"已写入 {path}")


if __name__ == "__main__":
    main()
