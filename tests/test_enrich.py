"""Extraction kept in the workspace: at import, after edits, and again when the lexicon changes."""

from __future__ import annotations

import json

from conftest import message, ndjson, run, telegram_export, write_json
from recoupe import enrich as enrich_mod
from recoupe.enrich import enrich, pending
from recoupe.imports import import_paths
from recoupe.items import iter_items
from recoupe.overview import overview
from recoupe.workspace import open_workspace

ADVERT = "🍃 Beuh 10g = 60€ livraison Aubagne et 13011, commande @vendeur_test ou 06 39 98 12 34"


def _import(root, *paths):
    with open_workspace(root, create=True) as ws:
        return import_paths(ws, list(paths), user="tester")


def test_import_extracts_language_and_entities(tmp_path):
    f = write_json(tmp_path / "r.json", telegram_export([
        message(1, ADVERT), message(2, "ok"), message(3, "Black Friday : -20 % sur tout le menu, livraison offerte")]))
    _import(tmp_path / "ws", f)
    items = {i["message_id"]: i for i in ndjson(run("recoupe", "items", "--workspace",
                                                     str(tmp_path / "ws"), check=True).stdout)}
    advert = items[1]
    assert advert["lang"] == "fr"
    found = {(e["kind"], e["value"]) for e in advert["entities"]}
    assert ("substance", "cannabis-herb") in found
    assert ("zone", "Aubagne") in found and ("zone", "Marseille 11e") in found
    assert ("contact", "telegram:@vendeur_test") in found
    assert ("contact", "phone:+33639981234") in found
    [price] = [e for e in advert["entities"] if e["kind"] == "quantity_price"]
    assert (price["quantity"], price["unit"], price["amount"], price["unit_price"]) == (10, "g", 60, 6)
    for e in advert["entities"]:
        assert ADVERT[e["start"]:e["end"]] == e["raw"]
    assert items[2]["lang"] is None and items[2]["entities"] == []
    assert {e["kind"] for e in items[3]["entities"]} >= {"promotion"}


def test_an_edit_brought_by_a_later_export_is_extracted_again(tmp_path):
    ws = tmp_path / "ws"
    _import(ws, write_json(tmp_path / "a.json", telegram_export([message(1, "Shit 10g = 60€")])))
    _import(ws, write_json(tmp_path / "b.json", telegram_export([
        message(1, "Shit 10g = 50€ pour Noël", edited="2026-11-20T10:00:00", edited_unixtime="1795165200")])))
    with open_workspace(ws) as w:
        [item] = list(iter_items(w))
    [price] = [e for e in item["entities"] if e["kind"] == "quantity_price"]
    assert price["amount"] == 50


def test_enrich_runs_only_where_the_lexicon_changed(tmp_path, monkeypatch):
    ws_path = tmp_path / "ws"
    _import(ws_path, write_json(tmp_path / "a.json", telegram_export(
        [message(i, f"Kéta {i}g = {i * 30}€ à Vitrolles") for i in range(1, 6)])))
    with open_workspace(ws_path) as ws:
        assert pending(ws) == 0 and enrich(ws) == 0, "import already enriched everything"
        before = ws.con.execute("SELECT count(*) FROM entities").fetchone()[0]
        monkeypatch.setattr(enrich_mod, "LEXICON_VERSION", "test-next-version")
        assert pending(ws) == 5
        seen = []
        assert enrich(ws, progress=seen.append) == 5 and sum(seen) == 5
        assert pending(ws) == 0
        versions = ws.con.execute("SELECT DISTINCT lexicon_version FROM entities").fetchall()
        assert versions == [("test-next-version",)]
        assert ws.con.execute("SELECT count(*) FROM entities").fetchone()[0] == before, \
            "entities are replaced, not added"


def test_enrich_command_and_overview_counts(sample_ws, tmp_path):
    proc = run("recoupe", "enrich", "--workspace", str(sample_ws), "--json", check=True)
    assert json.loads(proc.stdout)["enriched"] == 0
    with open_workspace(sample_ws) as ws:
        ov = overview(ws)
    subs = {r["value"]: r["posts"] for r in ov["top"]["substance"]}
    assert subs["cocaine"] > 10 and subs["cannabis-herb"] > 10
    assert ov["top"]["contact"][0]["value"] == "telegram:@drv13_standard"
    langs = {r["lang"]: r["posts"] for r in ov["languages"]}
    assert max(langs, key=langs.get) == "fr" and {"en", "es", "ar"} <= set(langs)


def test_no_extract_leaves_items_pending_for_enrich(tmp_path):
    f = write_json(tmp_path / "r.json", telegram_export([message(1, ADVERT)]))
    ws = tmp_path / "ws"
    run("ingest", str(f), "--workspace", str(ws), "--no-extract", check=True)
    [item] = ndjson(run("recoupe", "items", "--workspace", str(ws), check=True).stdout)
    assert item["entities"] == [] and item["lang"] is None
    out = json.loads(run("recoupe", "enrich", "--workspace", str(ws), "--json", check=True).stdout)
    assert out["enriched"] == 1
    [item] = ndjson(run("recoupe", "items", "--workspace", str(ws), check=True).stdout)
    assert item["lang"] == "fr" and item["entities"]


def test_a_failing_batch_is_raised_and_leaves_its_items_pending(tmp_path, monkeypatch):
    import pytest
    ws_path = tmp_path / "ws"
    _import(ws_path, write_json(tmp_path / "a.json", telegram_export(
        [message(i, f"Beuh {i}g = {i * 10}€") for i in range(1, 4)])))
    with open_workspace(ws_path) as ws:
        monkeypatch.setattr(enrich_mod, "LEXICON_VERSION", "next")

        def broken(con, ids, results):
            raise RuntimeError("disk full")
        monkeypatch.setattr(enrich_mod, "_store", broken)
        with pytest.raises(RuntimeError, match="disk full"):
            enrich(ws)
        assert pending(ws) == 3
