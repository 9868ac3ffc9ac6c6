"""Command-line interface (thin: parses arguments, calls the library, prints)."""

from __future__ import annotations

from gongwen.cli import (  # noqa: F401
    archive,
    basic,
    batch,
    check,
    docs,
    extras,
    init,
    preview,
    serve,
    verify,
    year,
)
from gongwen.cli.app import app


def main() -> None:
    """Entry point of the ``gongwen`` command."""
    app()


__all__ = ["app", "main"]
