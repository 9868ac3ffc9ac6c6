"""The quick tests in front of slower code give the same answers as the code they skip."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from markupsafe import Markup

from gongwen.checks.rules import text as text_rules
from gongwen.ooxml.markup import LISTING_CHARS, join_paragraph_lines
from gongwen.render.engine import _may_have_listing
from gongwen.render.sanitize import _CONTROL, _SPACES, clean_context, clean_text
from gongwen.text.punctuation import ascii_punct_next_to_cjk, find_placeholders, unbalanced_pairs

_ALPHABET = [
    *"中文答复Xx×Ｘｘ*＊某〇○{}%TODOtodo,;:?!()《》“”（）‘’ab1209\u3000",
    *("\n", "\t", "\a", "\f", "\r", "\x00", "\x7f", "\ufffe"),
    *("<w:t>", '<w:t xml:space="preserve">', "</w:t>", "<w:p>", "<w:p ", "<w:tab/>", ">"),
]


def _strings(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(_ALPHABET, k=rng.randint(0, 40))) for _ in range(n)]


def test_text_rule_prefilters_skip_only_texts_without_findings() -> None:
    skipped = 0
    for s in _strings(5000, 1):
        if text_rules._MAYBE_PLACEHOLDER.search(s) is None:
            skipped += 1
            assert find_placeholders(s) == [], s
        if text_rules._ASCII_MARKS.isdisjoint(s):
            assert ascii_punct_next_to_cjk(s) == [], s
        if text_rules._PAIR_MARKS.isdisjoint(s):
            assert unbalanced_pairs(s) == [], s
    assert skipped > 100  # the prefilter does skip texts
    assert find_placeholders("请于20XX年TODO") == ["20XX", "TODO"]
    assert text_rules._MAYBE_PLACEHOLDER.search("请于20XX年TODO") is not None


def test_listing_prefilter_never_hides_a_listing_run() -> None:
    for s in _strings(5000, 2):
        if LISTING_CHARS.search(s):
            assert _may_have_listing(s), repr(s)
    xml = '<?xml version="1.0"?>\n<w:document><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:document>'
    assert not _may_have_listing(xml)
    assert _may_have_listing(xml.replace("<w:t>甲", "<w:t>甲\n乙"))


def test_plain_replaces_join_paragraph_lines_alike() -> None:
    for s in _strings(5000, 3):
        fast = s.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        assert fast == join_paragraph_lines(s), repr(s)


@pytest.mark.parametrize("seed", [4, 5])
def test_clean_text_fast_path_gives_the_same_text(seed: int) -> None:
    for s in _strings(3000, seed):
        assert clean_text(s) == _SPACES.sub(" ", _CONTROL.sub("", s)), repr(s)


def test_clean_context_still_turns_markup_into_plain_text() -> None:
    """Markup in a context is data too: it comes out a plain str (escaped when rendered)."""
    cleaned = clean_context({"a": Markup("<b>x</b>"), "b": [Markup("y"), ("z\n", 1)], "c": None})
    assert type(cleaned["a"]) is str and cleaned["a"] == "<b>x</b>"
    assert type(cleaned["b"][0]) is str
    assert cleaned["b"][1] == ["z ", 1]
    assert cleaned["c"] is None


def test_sync_of_a_folder_and_its_fallback(tmp_path: Path) -> None:
    from gongwen.output import atomic

    assert atomic._syncfs(tmp_path) is (atomic._libc_syncfs() is not None)
    assert atomic._syncfs(tmp_path / "missing") is False  # then sync() falls back to os.sync
    atomic.sync(tmp_path)
    atomic.sync(tmp_path / "missing")
    atomic.sync()
