"""coach.text.clean_text: what reaches the analyser, the store and the screen."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.text import ELLIPSIS, clean_text, shorten


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("plain text", "plain text"),
        ("\x1b[31mred\x1b[0m alert", "red alert"),
        ("\x1b[1;38;5;196mbold\x1b[m", "bold"),
        ("move\x1b[2J\x1b[Hcursor", "movecursor"),
        ("\x1b]0;evil title\x07after", "after"),  # window title, BEL-terminated
        ("\x1b]8;;http://x.example\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8 hyperlink
        ("\x1bPdevice control\x1b\\ok", "ok"),  # DCS string
        # 8-bit (C1) introducers go one by one: in real text they are mojibake.
        ("\x9b31mC1 CSI", "31mC1 CSI"),
        ("\u00e2\u0080\u009cnext week\u00e2\u0080\u009d and it never came",
         "\u00e2next week\u00e2 and it never came"),  # UTF-8 quotes read as Latin-1 (issue 19)
        ("\u00c3\u009bBER", "\u00c3BER"),  # Û read as Latin-1: \x9b must not eat the B
        ("x \x1b]0;unterminated rest", "x 0;unterminated rest"),  # only the introducer goes
        ("save\x1b7restore\x1b8", "saverestore"),
        ("unterminated \x1b[31", "unterminated "),
        ("trailing escape\x1b", "trailing escape"),
        ("bell\x07 null\x00 del\x7f bs\x08", "bell null del bs"),
        ("a\r\nb\rc\nd", "a\nb\nc\nd"),
        ("line\u2028sep\u2029para\x85nel\x0bvt\x0cff", "line\nsep\npara\nnel\nvt\nff"),
        ("tab\tkept\nnewline kept", "tab\tkept\nnewline kept"),
        ("[bold red]markup[/] stays literal", "[bold red]markup[/] stays literal"),
        ("émoji 👍🏽 عربى 中文", "émoji 👍🏽 عربى 中文"),
        ("lone \udcff surrogate", "lone \ufffd surrogate"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_max_chars_caps_length_with_an_ellipsis():
    assert clean_text("abcdefghij", max_chars=5) == "abcd" + ELLIPSIS
    assert clean_text("abcde", max_chars=5) == "abcde"
    assert clean_text("abc", max_chars=0) == ""
    # the cap applies to the cleaned text, not the raw one
    assert clean_text("\x1b[31mabc\x1b[0m", max_chars=3) == "abc"


def test_rejects_non_str_and_negative_cap():
    with pytest.raises(TypeError):
        clean_text(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        clean_text("x", max_chars=-1)


_UNSAFE = set(map(chr, [*range(0, 9), *range(11, 32), *range(0x7F, 0xA0), 0x2028, 0x2029]))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None)), st.one_of(st.none(), st.integers(0, 50)))
def test_any_text_comes_out_safe_and_idempotent(raw, cap):
    out = clean_text(raw, max_chars=cap)
    assert not (set(out) & _UNSAFE)
    assert clean_text(out, max_chars=cap) == out
    if cap is not None:
        assert len(out) <= cap


def test_a_large_text_is_cleaned_quickly():
    import time

    raw = ("word \x1b[31mred\x1b[0m\r\n" * 20_000)[:100_000 * 3]
    t = time.perf_counter()
    out = clean_text(raw)
    assert time.perf_counter() - t < 1.0
    assert "\x1b" not in out and "\r" not in out


_DROPPED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_characters="\x1b")))
def test_without_an_escape_nothing_printable_is_dropped(raw):
    """Issue 19: a stray C1 control must not cut a turn. Text with no ESC
    loses its control characters and nothing else (a lone surrogate becomes U+FFFD)."""
    out = clean_text(raw)
    assert _DROPPED.sub("", out) == re.sub("[\ud800-\udfff]", "\ufffd", _DROPPED.sub("", raw))


@pytest.mark.parametrize(
    ("text", "width", "short"),
    [
        ("The range review that moved everything", 26, "The range review that…"),
        ("The range review that moved everything", 40, "The range review that moved everything"),
        ("After the outage", 16, "After the outage"),
        ("Supercalifragilistic expialidocious", 10, "Supercali…"),  # one long word: cut inside it
        ("ab", 1, "…"),
        ("ab", 0, ""),
    ],
)
def test_shorten_cuts_at_a_word_with_an_ellipsis(text, width, short):
    assert shorten(text, width) == short
    assert len(shorten(text, width)) <= width
