"""Search from the command line and the Search page, on the sample workspace."""

from __future__ import annotations

import csv
import io
import json

from streamlit.testing.v1 import AppTest

from conftest import ROOT, run
from recoupe.export import hits_csv
from recoupe.search import search
from recoupe.workspace import open_workspace


def test_cli_search_json_shape_and_folding(sample_ws):
    proc = run("recoupe", "search", "reveillon", "--workspace", str(sample_ws), "--json", check=True)
    out = json.loads(proc.stdout)
    assert out["total"] >= 1
    assert set(out["hits"][0]) == {"id", "chat", "message_id", "posted_at", "snippet", "score"}
    assert all("RÉVEILLON" in h["snippet"] for h in out["hits"])


def test_cli_search_filters_and_syntax_error(sample_ws):
    everywhere = json.loads(run("recoupe", "search", "beuh", "--workspace", str(sample_ws),
                                "--json", "--limit", "500", check=True).stdout)
    one_chat = json.loads(run("recoupe", "search", "beuh", "--workspace", str(sample_ws), "--json",
                              "--limit", "500", "--chat", "Marius Delivery 🛵", check=True).stdout)
    assert 0 < one_chat["total"] < everywhere["total"]
    assert {h["chat"] for h in one_chat["hits"]} == {"Marius Delivery 🛵"}
    december = json.loads(run("recoupe", "search", "beuh", "--workspace", str(sample_ws), "--json",
                              "--limit", "500", "--since", "2026-12-01", check=True).stdout)
    assert all(h["posted_at"] >= "2026-11-30T23:00:00Z" for h in december["hits"])
    proc = run("recoupe", "search", '"calendrier', "--workspace", str(sample_ws))
    assert proc.returncode == 1 and "not closed" in proc.stderr and "Traceback" not in proc.stderr


def test_csv_export_holds_every_hit(sample_ws):
    with open_workspace(sample_ws) as ws:
        total = search(ws, "livraison", limit=1, facets=False).total
        rows = list(csv.DictReader(io.StringIO(hits_csv(ws, "livraison"))))
    assert total > 20 and len(rows) == total
    assert all("livraison" in r["text"].lower() or "livr" in r["text"].lower() for r in rows)


def test_search_page_finds_and_links_to_items(sample_ws, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("RECOUPE_WORKSPACE", str(sample_ws))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/search.py").run()
    assert any("Type words" in i.value for i in at.info)
    at.text_input(key="q").input("c0ke aubagne").run()
    assert not at.exception
    assert any("hits" in m.value for m in at.markdown)
    assert any(":orange-background[coke]" in m.value for m in at.markdown)
    at.text_input(key="q").input('"calendrier').run()
    assert any("not closed" in e.value for e in at.error)


def test_the_page_lists_a_persons_saved_searches(sample_ws, tmp_path, monkeypatch):
    """Saved (through the library: AppTest does not click buttons inside nested columns; the
    Save button was checked in a real browser) and then listed on the page, with its count."""
    import shutil
    from recoupe.saved import save
    ws_copy = tmp_path / "ws"
    shutil.copytree(sample_ws, ws_copy)
    with open_workspace(ws_copy) as ws:
        save(ws, "Leïla", "avent", "calendrier", {})
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("RECOUPE_WORKSPACE", str(ws_copy))
    # A workspace without accounts: the local user is $RECOUPE_USER; saved searches are theirs.
    monkeypatch.setenv("RECOUPE_USER", "Leïla")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/search.py").run()
    assert not at.exception
    assert any(e.label == "Your saved searches (1)" for e in at.expander)
    assert any(t.value == "avent: calendrier" for t in at.text)
    monkeypatch.setenv("RECOUPE_USER", "Marc")
    at.run()
    assert not any(e.label.startswith("Your saved searches") for e in at.expander)
