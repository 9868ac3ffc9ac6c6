"""Helpers for the workbench tests: an app on a fresh data folder, and reading a page's form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

from fastapi.testclient import TestClient

from gongwen.web.app import create_app
from gongwen.web.state import WebSettings


@contextmanager
def client(data: Path, **settings: object) -> Iterator[TestClient]:
    """A test client of a workbench app on ``data`` (``demo=True`` loads the example)."""
    app = create_app(WebSettings(data_dir=data, **settings))  # type: ignore[arg-type]
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as c:
        yield c


class _FormReader(HTMLParser):
    """The fields of one form (by id) as a browser would submit them."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name", "")
        if tag == "input" and name and a.get("type", "text") not in ("file", "checkbox", "submit"):
            self.fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            self._first_option = None
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            self._option_value = value
            self._option_selected = "selected" in a
            self._option_text = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.fields[self._textarea] += data
        if self._select is not None and hasattr(self, "_option_text"):
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option" and self._select is not None:
            value = self._option_value if self._option_value is not None else self._option_text
            if self._first_option is None:
                self._first_option = value
                self.fields.setdefault(self._select, value)
            if self._option_selected:
                self.fields[self._select] = value
        elif tag == "select" and self._select is not None:
            self._select = None


def form_fields(html: str, form_id: str = "editor") -> dict[str, str]:
    """The values a browser would submit from the form ``form_id`` of ``html``."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.fields


def box(html: str, name: str) -> str:
    """The inner HTML of the findings box beside field ``name`` (``f-body``)."""
    m = re.search(rf'<div class="fbox" id="f-{name}"[^>]*>(.*?)</div>', html, re.S)
    assert m is not None, f"no findings box f-{name}"
    return m.group(1)


def case_id(c: TestClient, label: str) -> int:
    """The id of the case ``label`` (``提案008``) in the case list."""
    html = c.get("/cases").text
    m = re.search(rf'<a href="/cases/(\d+)">{label}</a>', html)
    assert m is not None, f"{label} not in the case list"
    return int(m.group(1))
