"""What changed between two revisions of a record, computed from the models' JSON dumps."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Change", "diff", "flatten"]

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


@dataclass(frozen=True)
class Change:
    """One leaf value that differs: ``path`` like ``reply.body`` or ``case.proposers[1].name``.

    ``before`` is None when the field was absent (or empty), ``after`` None when it was removed.
    """

    path: str
    before: JsonValue
    after: JsonValue


def _join(prefix: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else key


def _leaves(value: object, prefix: str) -> Iterator[tuple[str, JsonValue]]:
    if isinstance(value, dict):
        if not value and prefix:
            yield prefix, {}
        for key, item in value.items():
            yield from _leaves(item, _join(prefix, str(key)))
    elif isinstance(value, list | tuple):
        if not value and prefix:
            yield prefix, []
        for i, item in enumerate(value):
            yield from _leaves(item, _join(prefix, i))
    else:
        assert value is None or isinstance(value, bool | int | float | str), value
        yield prefix, value


def flatten(dump: object) -> dict[str, JsonValue]:
    """Every leaf of a JSON dump by its path (empty lists and objects are leaves too)."""
    return dict(_leaves(dump, ""))


def _empty(value: JsonValue) -> bool:
    return value is None or value == [] or value == {}


def diff(before: object, after: object) -> tuple[Change, ...]:
    """The leaves that differ between two JSON dumps, in the order of ``after`` then removals.

    A field that goes from absent (``None``, ``[]`` or ``{}``) to absent is no change.
    """
    old = flatten(before)
    new = flatten(after)
    out: list[Change] = []
    for path, value in new.items():
        prev = old.get(path)
        if prev != value and not (_empty(prev) and _empty(value)):
            out.append(Change(path, prev, value))
        elif type(prev) is not type(value) and prev == value and not _empty(value):
            out.append(Change(path, prev, value))  # 1 → True, 1 → 1.0: still a change
    for path, value in old.items():
        if path not in new and not _empty(value):
            out.append(Change(path, value, None))
    return tuple(out)
