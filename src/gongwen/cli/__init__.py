"""Command-line interface (thin: parses arguments, calls the library, prints)."""

from __future__ import annotations

from gongwen.cli import basic, batch, check, docs, init, preview, verify, year  # noqa: F401
from gongwen.cli.app import app


def main() -> None:
    """Entry point of the ``gongwen`` command."""
    app()


__all__ = ["app", "main"]
