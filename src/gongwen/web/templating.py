"""The Jinja2 environment of the pages: autoescaped, templates from the package.

User text is only ever data in a page (autoescape on, no template is built from user text).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from gongwen.store import format_moment
from gongwen.web.forms import field_name

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"


def _moment(value: datetime | None) -> str:
    return format_moment(value) if value is not None else ""


def _day(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value is not None else ""


@cache
def environment() -> Environment:
    """The one environment (templates are compiled once)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["moment"] = _moment
    env.filters["day"] = _day
    env.filters["field_name"] = field_name
    return env


def render_page(name: str, **context: Any) -> str:
    """Render the page template ``name`` with ``context``."""
    return environment().get_template(name).render(**context)
