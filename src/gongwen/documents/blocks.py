"""Body text → the list of block dicts templates loop over."""

from __future__ import annotations

from typing import Any

from gongwen.text.body import Heading, parse_body


def body_blocks(text: str) -> list[dict[str, Any]]:
    """``[{"kind": "p"|"h1".."h4", "head": str, "text": str}, …]`` from the body-text convention."""
    out: list[dict[str, Any]] = []
    for b in parse_body(text):
        if isinstance(b, Heading):
            out.append({"kind": f"h{b.level}", "head": b.head, "text": b.text})
        else:
            out.append({"kind": "p", "head": "", "text": b.text})
    return out
