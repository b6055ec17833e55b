"""Near-duplicate clusters: the labelled set, the sample relays, incremental runs, screenshots,
the command and the page."""

from __future__ import annotations

import importlib.util
import itertools
import json
import shutil
from collections import defaultdict

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, SAMPLES, message, run, telegram_export, write_json
from recoupe import duplicates
from recoupe.duplicates import compare, engine
from recoupe.duplicates.text import canonical, features
from recoupe.imports import import_paths
from recoupe.workspace import open_workspace

LABELLED = ROOT / "tests" / "data" / "dedup_labelled.jsonl"


def _pairs(labels) -> set[tuple[int, int]]:
    groups = defaultdict(list)
    for i, label in enumerate(labels):
        if label is not None:
            groups[label].append(i)
    return {p for g in groups.values() for p in itertools.combinations(g, 2)}


def _precision_recall(truth, found) -> tuple[float, float]:
    t, f = _pairs(truth), _pairs(found)
    hit = len(t & f)
    return (hit / len(f) if f else 1.0), (hit / len(t) if t else 1.0)


def test_labelled_set_covers_every_change_and_hard_negatives():
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 500 and len({r["cluster"] for r in rows}) >= 100
    kinds = {c for r in rows for c in r["changes"]}
    assert kinds == {"price", "emoji", "case", "accents", "spacing", "order", "obfuscation",
                     "footer", "ocr", "contact"}
    per_template = defaultdict(set)
    for r in rows:
        per_template[r["template"]].add(r["cluster"])
    assert all(len(c) >= 2 for c in per_template.values())  # every template has hard negatives


def test_labelled_set_precision_and_recall():
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    p = engine.prepare([r["text"] for r in rows])
    edges, uf = engine.cluster(p)
    precision, recall = _precision_recall([r["cluster"] for r in rows], uf.labels().tolist())
    assert precision >= 0.98 and recall >= 0.95, (precision, recall)
    assert edges.checked < len(rows) * 5  # LSH proposed pairs, never all of them


@pytest.mark.parametrize("a, b, same", [
    # a price changed, emoji swapped, a footer added, the relay's handle: one advert
    ("🍃 Beuh Amnesia : 10g = 60€\n🛵 Livraison Aubagne\n👉 @drv13_standard",
     "🌿 BEUH AMNESIA : 10g = 55€\n🛵 Livraison Aubagne\n👉 @marius_dlv13\n\n➡️ Rejoins le canal "
     "de secours @drv13_secours", True),
    # disguised letters and OCR errors
    ("Coke pure le G à 60, livraison Marseille centre ce soir",
     "C.o.k.e pure le G à 60, 1ivraison Marsei11e centre ce soir", True),
    # same template, another product in another zone: two adverts
    ("🍃 Beuh Amnesia : 10g = 60€\n🛵 Livraison Aubagne\n👉 @drv13_standard",
     "🍫 Pollen : 10g = 60€\n🛵 Livraison Vitrolles\n👉 @drv13_standard", False),
    # a postal code is a place: another zone
    ("🌙 Livraisons jusqu'à 4h sur 13011 / 13012 et Martigues",
     "🌙 Livraisons jusqu'à 4h sur Allauch et Martigues", False),
])
def test_check_tells_reposts_from_template_siblings(a, b, same):
    assert compare.check(features(canonical(a)), features(canonical(b)))[0] is same


def _sample_truth(ws) -> dict[int, str]:
    """item id -> the main-channel key its relay copy copies, from the sample generator itself."""
    spec = importlib.util.spec_from_file_location("sample_generate", ROOT / "samples" / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    import random
    rng = random.Random(gen.SEED)
    main = gen.build_main(rng)
    mapping: list[dict] = []
    relays = [(relay, gen.build_relay(rng, relay, main, mapping)) for relay in gen.RELAYS]
    by_name = {gen.MAIN["name"]: {m["key"]: m["id"] for m in main.msgs}}
    for relay, tl in relays:
        by_name[relay["name"]] = {m["key"]: m["id"] for m in tl.msgs}
    ids = {(c, m): i for i, c, m in ws.con.execute(
        "SELECT i.id, c.name, i.message_id FROM items i JOIN chats c ON c.id = i.chat_id "
        "WHERE i.kind = 'post' AND length(i.text) > 0").fetchall()}
    truth = {}
    for entry in mapping:
        relay = next(r for r in gen.RELAYS if r["slug"] == entry["relay"])
        main_item = ids.get((gen.MAIN["name"], by_name[gen.MAIN["name"]][entry["main_key"]]))
        copy_item = ids.get((relay["name"], by_name[relay["name"]][entry["keys"][0]]))
        if main_item and copy_item:
            truth[main_item] = truth[copy_item] = entry["main_key"]
    return truth


def test_sample_relays_form_the_expected_clusters(sample_ws):
    with open_workspace(sample_ws, read_only=True) as ws:
        truth = _sample_truth(ws)
        posts = [r[0] for r in ws.con.execute(
            "SELECT id FROM items WHERE kind = 'post' AND length(text) > 0").fetchall()]
        found = {i: duplicates.cluster_of(ws, i) for i in posts}
    precision, recall = _precision_recall([truth.get(i) for i in posts],
                                          [(found[i] or {}).get("cluster_id") for i in posts])
    assert precision >= 0.95 and recall >= 0.9, (precision, recall)
    # the December menu, edited for Christmas prices after the relays copied it: one cluster,
    # first posted by the main channel, in four chats
    with open_workspace(sample_ws, read_only=True) as ws:
        menus = [c for c in duplicates.clusters(ws, 500)
                 if c["first_text"].startswith("🎄 MENU DE DÉCEMBRE")]
        assert len(menus) == 1 and menus[0]["chats"] == 4
        assert menus[0]["first_chat"] == "Le Drive du 13 🎄"
        rows = duplicates.copies(ws, menus[0]["cluster_id"])
    times = [r["posted_at_utc"] for r in rows]
    assert times == sorted(times) and rows[0]["item_id"] == menus[0]["first_item_id"]


def test_new_items_join_existing_clusters_without_recomputing(tmp_path):
    root = tmp_path / "ws"
    relays = [SAMPLES / "bons-plans-13", SAMPLES / "drive-13-secours", SAMPLES / "marius-delivery"]
    with open_workspace(root, create=True) as ws:
        import_paths(ws, [SAMPLES / "le-drive-du-13-2026-12-10", *relays], user="t")
        before = {r["item_id"]: r["cluster_id"] for r in ws.rows("duplicates.membership")}
        import_paths(ws, [SAMPLES / "le-drive-du-13-2026-12-31"], user="t")
        after = {r["item_id"]: r["cluster_id"] for r in ws.rows("duplicates.membership")}
        report = duplicates.update(ws)
        assert report.signed == 0 and not report.rebuilt  # nothing left to compare
        incremental = _partition(ws)
        duplicates.update(ws, rebuild=True)
        rebuilt = _partition(ws)
    assert len(after) > len(before)
    # clusters known before kept their ids for the items they held (unless merged into another)
    kept = [i for i in before if after.get(i) == before[i]]
    assert len(kept) >= 0.9 * len(before)
    p, r = _precision_recall(*_aligned(rebuilt, incremental))
    assert p >= 0.97 and r >= 0.97, (p, r)


def _partition(ws) -> dict[int, int]:
    return {r["item_id"]: r["cluster_id"] for r in ws.rows("duplicates.membership")}


def _aligned(a: dict, b: dict):
    keys = sorted(set(a) | set(b))
    return [a.get(k) for k in keys], [b.get(k) for k in keys]


def test_screenshot_against_export(tmp_path):
    root = tmp_path / "ws"
    shots = ROOT / "samples" / "screenshots"
    with open_workspace(root, create=True) as ws:
        import_paths(ws, [SAMPLES, shots / "01-drive13-menu-mid.png",
                          shots / "02-marius-menu-mid.png"], user="t")
        ids = dict(ws.con.execute(
            "SELECT s.original_name, i.id FROM items i JOIN source_files s ON s.id = i.source_id "
            "WHERE i.platform = 'screenshot'").fetchall())
        where = {(c, m): i for i, c, m in ws.con.execute(
            "SELECT i.id, c.name, i.message_id FROM items i JOIN chats c ON c.id = i.chat_id "
            "WHERE i.platform = 'telegram'").fetchall()}
        main46, marius13 = where[("Le Drive du 13 🎄", 46)], where[("Marius Delivery 🛵", 13)]
        copy = {m["item_id"]: m for m in duplicates.screen_matches(ws, ids["02-marius-menu-mid.png"])}
        original = {m["item_id"]: m for m in duplicates.screen_matches(ws, ids["01-drive13-menu-mid.png"])}
        shot_cluster = duplicates.cluster_of(ws, ids["02-marius-menu-mid.png"])
        menu_cluster = duplicates.cluster_of(ws, main46)
    # the relay's copy shows "le G à 70" where the main channel said 60: a mismatch
    assert copy[marius13]["differs"] == [] and copy[marius13]["score"] >= 95
    assert "price" in copy[main46]["differs"]
    assert original[main46]["differs"] == []
    assert shot_cluster is not None and shot_cluster["cluster_id"] == menu_cluster["cluster_id"]


def test_command_json_help_and_items_field(sample_ws):
    out = json.loads(run("recoupe", "duplicates", "--workspace", str(sample_ws), "--json",
                         "--limit", "5", check=True).stdout)
    assert out["total_clusters"] >= 20 and len(out["clusters"]) == 5
    spreads = [(c["chats"], c["size"]) for c in out["clusters"]]
    assert spreads == sorted(spreads, reverse=True)
    first = out["clusters"][0]
    assert first["first_item_id"] in first["items"] and len(first["items"]) == first["size"]
    items = [json.loads(line) for line in run("recoupe", "items", "--workspace", str(sample_ws),
                                              check=True).stdout.splitlines()]
    in_cluster = [i for i in items if i["cluster_id"] == first["cluster_id"]]
    assert sorted(i["id"] for i in in_cluster) == sorted(first["items"])
    assert run("recoupe", "duplicates", "--help").returncode == 0
    bad = run("recoupe", "duplicates", "--workspace", str(sample_ws), "--cluster", "999999")
    assert bad.returncode == 1 and "no cluster 999999" in bad.stderr


def test_counts_for_search_hits(sample_ws):
    with open_workspace(sample_ws, read_only=True) as ws:
        top = duplicates.clusters(ws, 1)[0]
        members = [r["item_id"] for r in duplicates.copies(ws, top["cluster_id"])]
        counts = duplicates.counts_for(ws, members + [10**9])
    assert set(counts) == set(members)
    assert all(c == (top["size"], top["chats"], top["cluster_id"]) for c in counts.values())


def test_duplicates_page_shows_a_cluster_and_escapes_its_text(monkeypatch, tmp_path):
    evil = "**gras** <script>alert(1)</script> [clic](javascript:alert(1)) 10g = 60€ Aubagne livraison ce soir"
    f1 = write_json(tmp_path / "a.json", telegram_export([message(1, evil)], name="Canal A", chat_id=1))
    f2 = write_json(tmp_path / "b.json", telegram_export(
        [message(5, evil.replace("60€", "50€") + "\n\nRejoins @drv13_secours")], name="Canal B", chat_id=2))
    with open_workspace(tmp_path / "ws", create=True) as ws:
        import_paths(ws, [f1, f2], user="t")
        cid = duplicates.clusters(ws, 1)[0]["cluster_id"]
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("RECOUPE_WORKSPACE", str(tmp_path / "ws"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/duplicates.py")
    at.query_params["cluster"] = str(cid)
    at.run()
    assert not at.exception
    assert any(evil == t.value for t in at.text)  # the first copy, as text
    marked = " ".join(m.value for m in at.markdown)
    assert "<script>" not in marked and "](javascript" not in marked
    assert ":red-background[50]" in marked  # the changed price, marked
