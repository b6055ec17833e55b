"""The item view: one item whole, its entities, provenance, versions and neighbours."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, message, telegram_export, write_json
from recoupe.errors import RecoupeError
from recoupe.imports import import_paths
from recoupe.itemview import item_detail
from recoupe.items import iter_items
from recoupe.workspace import open_workspace


def _by_message(ws, chat, message_id):
    return next(i for i in iter_items(ws) if i["chat"] == chat and i["message_id"] == message_id)


def test_detail_of_an_edited_sample_post(sample_ws):
    """Main channel message 76: edited after the first export (prices lowered for Christmas)."""
    with open_workspace(sample_ws) as ws:
        it = _by_message(ws, "Le Drive du 13 🎄", 76)
        d = item_detail(ws, it["id"])
    assert d["item"]["text"] == it["text"]
    assert len(d["sources"]) == 2, "held by both exports of the main channel"
    assert {s["original_name"] for s in d["sources"]} == {"result.json"}
    assert len(d["versions"]) == 1 and d["versions"][0]["text"] != it["text"]
    before = [c for c in d["context"] if c["side"] == "before"]
    after = [c for c in d["context"] if c["side"] == "after"]
    assert len(before) == 3 and len(after) == 3
    assert all(c["posted_at_utc"] <= d["item"]["posted_at_utc"] for c in before)
    kinds = {e["kind"] for e in d["entities"]}
    assert "quantity_price" in kinds or "price" in kinds


def test_unknown_item_is_a_sentence(sample_ws):
    with open_workspace(sample_ws) as ws:
        with pytest.raises(RecoupeError, match="no item 999999"):
            item_detail(ws, 999999)


def test_item_page_shows_hostile_text_inert(tmp_path, monkeypatch):
    evil = ('<img src=x onerror=alert(1)> <script>alert(2)</script> '
            '[commande](javascript:alert(3)) 10g = 60€ à Aubagne @vendeur_test')
    f = write_json(tmp_path / "evil.json", telegram_export([message(1, evil)], name="<b>canal</b>"))
    with open_workspace(tmp_path / "ws", create=True) as ws:
        import_paths(ws, [f])
        [item] = list(iter_items(ws))
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("RECOUPE_WORKSPACE", str(tmp_path / "ws"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/item.py")
    at.query_params["id"] = str(item["id"])
    at.run()
    assert not at.exception
    body = at.markdown[0].value
    assert "\\<script\\>" in body and "\\[commande\\]\\(javascript" in body
    assert "-background[" in body, "entities are marked"
    assert any("<b>canal</b>" in t.value for t in at.text), "the chat name is plain text"
