"""docs/integration.md lists the public surface: every name of ``gongwen.__all__``, no other."""

from __future__ import annotations

import re

import gongwen
from tests.conftest import ROOT


def _listed() -> set[str]:
    text = (ROOT / "docs" / "integration.md").read_text(encoding="utf-8")
    section = text.split("### 公共接口 / Public API", 1)[1].split("\n#", 1)[0]
    return set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", section))


def test_every_public_name_is_documented() -> None:
    assert set(gongwen.__all__) - _listed() == set()


def test_nothing_documented_that_is_not_public() -> None:
    assert _listed() - set(gongwen.__all__) == set()
