"""Source text shown in Markdown stays the source's text: no link, no markup, no script."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from recoupe.render import escape_markdown, marked_markdown

HOSTILE = ('<img src=x onerror=alert(1)> <script>alert(2)</script> [clic](javascript:alert(3)) '
           '**gras** # titre :smile: https://t.me/x `code` $x^2$ \\ | a | b |')


def _md_to_text(md):
    """What a reader sees: Markdown with every backslash escape resolved."""
    import re
    return re.sub(r"\\(.)", r"\1", md.replace("  \n", "\n"))


def _unescaped_punctuation(md):
    """Punctuation characters of `md` that no backslash escapes."""
    import string
    found, i = [], 0
    while i < len(md):
        if md[i] == "\\":
            i += 2
            continue
        if md[i] in string.punctuation:
            found.append(md[i])
        i += 1
    return found


def test_every_punctuation_is_escaped_and_nothing_is_lost():
    md = escape_markdown(HOSTILE)
    assert _md_to_text(md) == HOSTILE
    assert _unescaped_punctuation(md) == []


def test_marks_wrap_entity_spans_only():
    text = "Beuh 10g = 60€ livraison Aubagne\n@drv13_standard"
    ents = [{"kind": "substance", "start": 0, "end": 4},
            {"kind": "quantity_price", "start": 5, "end": 14},
            {"kind": "zone", "start": 25, "end": 32},
            {"kind": "contact", "start": 33, "end": 48},
            {"kind": "zone", "start": 26, "end": 30}]  # overlapping: dropped
    md = marked_markdown(text, ents)
    assert md.startswith(":red-background[Beuh]")
    assert ":green-background[Aubagne]" in md
    assert ":blue-background[\\@drv13\\_standard]" in md
    assert md.count("-background[") == 4


@pytest.mark.parametrize("bad", ["[x](javascript:alert(1))", "<b>x</b>", "]) :red[", "\\]"])
def test_hostile_text_inside_a_mark_cannot_close_it(bad):
    md = marked_markdown(bad, [{"kind": "zone", "start": 0, "end": len(bad)}])
    inner = md[len(":green-background["):-1]
    assert "]" not in inner.replace("\\]", "")


def test_streamlit_shows_the_escaped_text_literally():
    import textwrap
    script = textwrap.dedent(f"""
        import streamlit as st
        from recoupe.render import marked_markdown
        st.markdown(marked_markdown({HOSTILE!r}, []))
    """)
    at = AppTest.from_string(script, default_timeout=30).run()
    assert not at.exception
    assert at.markdown[0].value == escape_markdown(HOSTILE)
