"""Errors raised by gongwen and helpers to report them to other systems."""

from __future__ import annotations

from pydantic import ValidationError


class GongwenError(Exception):
    """Base class of gongwen's own exceptions."""


def error_list(exc: ValidationError, prefix: str = "") -> list[tuple[str, str]]:
    """Turn a pydantic ``ValidationError`` into ``(field path, Chinese message)`` pairs.

    >>> # [("reply.doc_number", '发文字号格式应为"机关代字〔年份〕序号号"，如"海经函〔2024〕15号"')]
    """
    out: list[tuple[str, str]] = []
    for err in exc.errors():
        parts = [prefix] if prefix else []
        parts += [f"[{p}]" if isinstance(p, int) else str(p) for p in err["loc"]]
        path = ".".join(parts).replace(".[", "[")
        out.append((path, err["msg"]))
    return out


def format_validation_error(exc: ValidationError, prefix: str = "") -> str:
    """One line per problem: ``path: message``."""
    return "\n".join(f"{p}: {m}" if p else m for p, m in error_list(exc, prefix))
