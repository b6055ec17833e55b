"""Search and filter inputs built to break SQL or the query parser: a clear message or results,
never a crash, and the store intact."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run
from recoupe import audit
from recoupe.errors import RecoupeError
from recoupe.items import iter_items
from recoupe.search import SearchSyntaxError, search
from recoupe.workspace import open_workspace

INJECTIONS = ["'; DROP TABLE items; --", "\"; DROP TABLE items; --", "1' OR '1'='1",
              "x'); DELETE FROM items; --", "$text", "?", "%s", "\\", "\x00", "' UNION SELECT "
              "password_hash FROM users --"]
BROKEN = ['"calendrier', "calendrier\"", "(beuh OR", "beuh OR)", "((((", "))))", "OR", "AND",
          "-", "*", "~", "beuh~~~", "beuh~9", "nosuchfield:x", "chat:", ":", "zone:\"", "a:b:c",
          "lang:" + "x" * 300, "beuh" * 20_000, "«»‹›", "\u202e\u200b", "🎄" * 500]


@pytest.fixture(scope="module")
def ws_copy(sample_ws, tmp_path_factory):
    root = tmp_path_factory.mktemp("queries") / "ws"
    shutil.copytree(sample_ws, root)
    return root


def _state(ws) -> tuple:
    return (ws.con.execute("SELECT count(*), sum(hash(id, text)) FROM items").fetchone(),
            ws.con.execute("SELECT count(*) FROM audit").fetchone()[0])


@pytest.mark.parametrize("query", INJECTIONS + BROKEN)
def test_a_hostile_query_is_answered_or_explained(ws_copy, query):
    with open_workspace(ws_copy) as ws:
        before = _state(ws)
        try:
            result = search(ws, query, limit=5)
        except SearchSyntaxError as exc:
            assert str(exc).strip() and len(str(exc)) < 400, str(exc)
        else:
            assert result.total >= 0
        assert _state(ws) == before


@pytest.mark.parametrize("value", INJECTIONS)
def test_hostile_filter_values_are_parameters(ws_copy, value):
    with open_workspace(ws_copy) as ws:
        before = _state(ws)
        for filters in ({"chat": [value]}, {"author": [value]}, {"zone": [value]},
                        {"lang": [value]}, {"platform": [value]}, {"substance": [value]}):
            try:
                assert search(ws, "beuh", filters=filters, limit=5).total == 0
            except RecoupeError as exc:
                assert str(exc).strip()
        with pytest.raises(RecoupeError, match="no chat named"):
            list(iter_items(ws, chat=value))
        assert audit.entries(ws, actor=value, action=value, object_id=value) == []
        assert _state(ws) == before


def test_the_command_line_answers_hostile_queries_in_one_line(ws_copy):
    for query in ("'; DROP TABLE items; --", '"calendrier', "(beuh OR"):
        p = run("recoupe", "search", query, "--workspace", str(ws_copy))
        assert p.returncode in (0, 1), p.stderr
        assert "Traceback" not in p.stderr
        if p.returncode:
            assert len(p.stderr.strip().splitlines()) == 1, p.stderr
    p = run("recoupe", "items", "--chat", "'; DROP TABLE items; --", "--workspace", str(ws_copy))
    assert p.returncode == 1 and p.stdout == "" and "no chat named" in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1
    with open_workspace(ws_copy) as ws:
        assert ws.con.execute("SELECT count(*) FROM items").fetchone()[0] > 0


@pytest.fixture(scope="module")
def open_ws(ws_copy):
    with open_workspace(ws_copy) as ws:
        yield ws


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list('ab "():-*~^OR AND NOT\\\'\x00:é🎄chatzone:lang')),
               max_size=40) | st.text(max_size=40))
def test_any_query_is_answered_or_explained(open_ws, query):
    """A few seconds of Hypothesis over the query language (bench/fuzz.py fuzzes the parsers)."""
    try:
        search(open_ws, query, limit=3, facets=False)
    except SearchSyntaxError as exc:
        assert str(exc).strip()
