"""Saved searches recounted after each import, and batch search terms."""

from __future__ import annotations

import pytest

from conftest import message, telegram_export, write_json
from recoupe.errors import RecoupeError
from recoupe.imports import import_paths
from recoupe.overview import overview
from recoupe.saved import delete, of_owner, save
from recoupe.search import count_terms
from recoupe.terms import read_terms
from recoupe.workspace import open_workspace


def test_a_saved_search_says_how_many_posts_are_new_after_an_import(tmp_path):
    ws_path = tmp_path / "ws"
    first = write_json(tmp_path / "a.json", telegram_export(
        [message(1, "Beuh 10g = 60€ à Aubagne"), message(2, "Shit à Vitrolles")]))
    later = write_json(tmp_path / "b.json", telegram_export(
        [message(3, "Beuh 🍃 promo à Aubagne"), message(4, "🍃 dispo à Aubagne"),
         message(5, "Kéta à Aubagne")]))
    with open_workspace(ws_path, create=True) as ws:
        import_paths(ws, [first], user="r")
        sid = save(ws, "Leïla", "beuh aubagne", "beuh aubagne", {})
        [mine] = of_owner(ws, "Leïla")
        assert (mine["id"], mine["total"], mine["new"]) == (sid, 1, 0)
        import_paths(ws, [later], user="r")
        [mine] = of_owner(ws, "Leïla")
        assert (mine["total"], mine["new"]) == (3, 2), "two new posts match (🍃 is beuh)"
        assert [n["new"] for n in overview(ws)["saved_news"]] == [2]
        assert of_owner(ws, "Marc") == [], "saved searches are each person's own"
        delete(ws, "Marc", sid)  # not his: nothing happens
        assert len(of_owner(ws, "Leïla")) == 1
        delete(ws, "Leïla", sid)
        assert of_owner(ws, "Leïla") == []
        with pytest.raises(RecoupeError, match="needs your name"):
            save(ws, " ", "x", "beuh", {})


def test_batch_terms_from_text_or_csv():
    assert read_terms("beuh\n\n  kéta \nbeuh\n".encode()) == ["beuh", "kéta"]
    assert read_terms("terme;note\nc0ke;vu\n\"calendrier de l'avent\";x\n".encode()) == \
        ["terme", "c0ke", "calendrier de l'avent"]
    assert read_terms("réveillon\n".encode("cp1252")) == ["réveillon"]
    with pytest.raises(RecoupeError, match="empty"):
        read_terms(b"\n \n")


def test_batch_counts_on_the_sample(sample_ws):
    with open_workspace(sample_ws) as ws:
        counts = count_terms(ws, ["reveillon", "calendrier", "zzzzqx"])
    assert counts["reveillon"] >= 1 and counts["calendrier"] >= 20 and counts["zzzzqx"] == 0
