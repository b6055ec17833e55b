"""Importing Telegram JSON exports: idempotence, edits, hostile files, one transaction per file."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from conftest import message, ndjson, run, telegram_export, write_json
from recoupe.imports import import_paths
from recoupe.items import iter_items, versions
from recoupe.workspace import DB_NAME, open_workspace


def _import(root, *paths, **kw):
    with open_workspace(root, create=True) as ws:
        return import_paths(ws, list(paths), user="tester", **kw)


def _items(root, **kw):
    with open_workspace(root, read_only=True) as ws:
        return list(iter_items(ws, **kw))


def _count(root, table):
    con = duckdb.connect(str(root / DB_NAME), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_reimport_is_a_no_op_and_says_so(tmp_path, ws_path):
    f = write_json(tmp_path / "a" / "result.json",
                   telegram_export([message(1, "Menu 10g = 60€"), message(2, "Livraison 13")]))
    first = _import(ws_path, f)
    assert [(r.status, r.items_new) for r in first] == [("ingested", 2)]
    before = {t: _count(ws_path, t) for t in ("items", "item_sources", "source_files", "item_versions")}
    again = _import(ws_path, f)
    assert again[0].status == "unchanged"
    assert again[0].items_new == 0 and again[0].items_unchanged == 2
    assert "already imported" in again[0].reason
    after = {t: _count(ws_path, t) for t in before}
    assert after == before


def test_a_copy_of_the_same_export_under_another_name_is_unchanged(tmp_path, ws_path):
    data = telegram_export([message(1, "Menu")])
    a = write_json(tmp_path / "a.json", data)
    b = write_json(tmp_path / "copie.json", data)
    assert _import(ws_path, a)[0].status == "ingested"
    assert _import(ws_path, b)[0].status == "unchanged"


def test_later_export_adds_new_messages_and_keeps_edited_text_as_versions(tmp_path, ws_path):
    early = write_json(tmp_path / "early" / "result.json", telegram_export([
        message(1, "Le G à 60"), message(2, "Livraison Aubagne"), message(3, "Bientôt supprimé")]))
    late = write_json(tmp_path / "late" / "result.json", telegram_export([
        message(1, "Le G à 50 pour Noël", edited="2026-11-20T10:00:00", edited_unixtime="1795165200"),
        message(2, "Livraison Aubagne"),
        message(4, "Nouveau menu")]))
    assert _import(ws_path, early)[0].items_new == 3
    r = _import(ws_path, late)[0]
    assert (r.status, r.items_new, r.items_updated, r.items_unchanged) == ("ingested", 1, 1, 1)
    items = {i["message_id"]: i for i in _items(ws_path)}
    assert set(items) == {1, 2, 3, 4}, "a message gone from the later export is kept"
    assert items[1]["text"] == "Le G à 50 pour Noël"
    assert items[1]["edited_at"] == "2026-11-20T09:00:00Z"
    assert items[1]["versions"] == 1
    with open_workspace(ws_path, read_only=True) as ws:
        old = versions(ws, items[1]["id"])
    assert [v["text"] for v in old] == ["Le G à 60"]
    assert old[0]["source_sha256"] == items[1]["source_sha256"], "the version points to the export that showed it"


def test_an_older_export_imported_after_a_newer_one_is_kept_as_a_version_only(tmp_path, ws_path):
    early = write_json(tmp_path / "e.json", telegram_export([message(1, "Prix 60")]))
    late = write_json(tmp_path / "l.json", telegram_export([
        message(1, "Prix 50", edited="2026-11-20T10:00:00", edited_unixtime="1795165200")]))
    _import(ws_path, late)
    r = _import(ws_path, early)[0]
    assert r.items_updated == 1 and r.items_new == 0
    [item] = _items(ws_path)
    assert item["text"] == "Prix 50", "the newest text stays current"
    with open_workspace(ws_path, read_only=True) as ws:
        assert [v["text"] for v in versions(ws, item["id"])] == ["Prix 60"]


def test_raw_control_characters_and_unknown_keys_are_accepted(tmp_path, ws_path):
    data = telegram_export([message(1, "PLACEHOLDER", future_field={"x": 1}, another_new_key=[1, 2])])
    raw = json.dumps(data, ensure_ascii=False).replace(
        "PLACEHOLDER", "promo\x01 du\x1f jour\tnoël\nligne 2")
    assert "\x01" in raw and "\t" in raw  # raw control characters: invalid JSON for a strict parser
    f = tmp_path / "ctrl.json"
    f.write_text(raw, encoding="utf-8")
    with pytest.raises(json.JSONDecodeError):
        json.loads(raw)
    [r] = _import(ws_path, f)
    assert r.status == "ingested", r.reason
    [item] = _items(ws_path)
    assert item["text"] == "promo\x01 du\x1f jour\tnoël\nligne 2"
    assert item["extra"] == {"future_field": {"x": 1}, "another_new_key": [1, 2]}


def test_truncated_file_is_rejected_by_name_while_the_others_import(tmp_path, ws_path):
    good1 = write_json(tmp_path / "good1.json", telegram_export([message(1, "un")], chat_id=1))
    whole = json.dumps(telegram_export([message(i, f"msg {i}") for i in range(1, 50)], chat_id=2))
    bad = tmp_path / "tronque.json"
    bad.write_text(whole[: len(whole) // 2], encoding="utf-8")
    good2 = write_json(tmp_path / "good2.json", telegram_export([message(1, "deux")], chat_id=3))
    proc = run("ingest", str(good1), str(bad), str(good2), "--workspace", str(ws_path), "--json")
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    by_name = {f["path"].rsplit("/", 1)[-1]: f for f in out["files"]}
    assert by_name["good1.json"]["status"] == "ingested"
    assert by_name["good2.json"]["status"] == "ingested"
    assert by_name["tronque.json"]["status"] == "rejected"
    assert "tronque.json" in by_name["tronque.json"]["reason"]
    assert "truncated" in by_name["tronque.json"]["reason"]
    assert out["totals"]["rejected"] == 1 and out["totals"]["items_new"] == 2
    # nothing of the bad file was kept: no chat 2, no source row, no evidentiary copy
    assert {i["chat_external_id"] for i in _items(ws_path)} == {"1", "3"}
    assert _count(ws_path, "source_files") == 2
    assert len([p for p in (ws_path / "sources").iterdir()]) == 2
    assert _count(ws_path, "ingest_rejections") == 1


@pytest.mark.parametrize("content, expected", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not valid JSON"),
    (b"[1, 2, 3]", "JSON list"),
    (b'{"hello": "world"}', "not a Telegram"),
    (b'{"name": "x", "id": 1, "messages": []}', "no messages"),
])
def test_hostile_json_files_get_a_clear_reason(tmp_path, ws_path, content, expected):
    f = tmp_path / "hostile.json"
    f.write_bytes(content)
    [r] = _import(ws_path, f)
    assert r.status == "rejected"
    assert r.reason.startswith("hostile.json: ")
    assert expected in r.reason
    assert "right here" not in r.reason and "\\x" not in r.reason and "\n" not in r.reason, \
        "a sentence, not the parser's dump of the bytes"


def test_a_file_failing_mid_way_leaves_nothing_behind(tmp_path, ws_path):
    """The second half of a file fails: its first half (already staged) must not be stored."""
    msgs = [message(i, f"annonce {i}") for i in range(1, 120_001)]
    whole = json.dumps(telegram_export(msgs))
    bad = tmp_path / "long.json"
    bad.write_text(whole[:-200], encoding="utf-8")  # truncated after 100,000+ messages were read
    [r] = _import(ws_path, bad)
    assert r.status == "rejected"
    assert _count(ws_path, "items") == 0
    assert _count(ws_path, "chats") == 0
    assert _count(ws_path, "item_sources") == 0


def test_evidentiary_copy_is_stored_by_sha256_unchanged(tmp_path, ws_path):
    import hashlib
    f = write_json(tmp_path / "result.json", telegram_export([message(1, "x")]))
    [r] = _import(ws_path, f)
    stored = ws_path / "sources" / r.sha256
    assert stored.read_bytes() == f.read_bytes()
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == r.sha256


def test_local_dates_without_unixtime_assume_the_zone_given(tmp_path, ws_path):
    m = {"id": 1, "type": "message", "date": "2026-07-14T12:00:00", "from": "A", "text": "été"}
    f = write_json(tmp_path / "old.json", telegram_export([m]))
    _import(ws_path, f, tz="America/New_York")
    [item] = _items(ws_path)
    assert item["posted_at"] == "2026-07-14T16:00:00Z"
    assert item["posted_offset"] == "-04:00"
    assert item["tz_assumed"] == "America/New_York"
    with open_workspace(ws_path, read_only=True) as ws:
        assert ws.con.execute("SELECT tz_assumed FROM source_files").fetchone()[0] == "America/New_York"


def test_albums_share_a_key(tmp_path, ws_path):
    photo = {"photo": "photos/p.jpg", "width": 10, "height": 10}
    msgs = [message(1, "album", **photo), message(2, "", **photo), message(3, "seul", **photo)]
    msgs[1]["date"], msgs[1]["date_unixtime"] = msgs[0]["date"], msgs[0]["date_unixtime"]
    f = write_json(tmp_path / "album.json", telegram_export(msgs))
    _import(ws_path, f)
    keys = [i["album_key"] for i in _items(ws_path)]
    assert keys[0] == keys[1] == "album:1" and keys[2] is None


def test_migrations_are_recorded_once(ws_path):
    with open_workspace(ws_path, create=True) as ws:
        first = ws.con.execute("SELECT version, name FROM schema_migrations").fetchall()
    with open_workspace(ws_path) as ws:
        again = ws.con.execute("SELECT version, name FROM schema_migrations").fetchall()
    from recoupe.sql import migrations
    assert first == again == [(v, name) for v, name, _ in migrations()]
    assert first[:3] == [(1, "initial"), (2, "sources_of_every_kind"), (3, "extraction")]


def test_cli_items_filters_by_paris_days(sample_ws):
    proc = run("recoupe", "items", "--workspace", str(sample_ws), "--since", "2026-12-24",
               "--until", "2026-12-24", check=True)
    rows = ndjson(proc.stdout)
    assert rows, "the sample has posts on Christmas Eve"
    # 23:12 in Paris on the 24th is 22:12Z: inside the Paris day; 00:41 on the 25th (23:41Z on
    # the 24th) is outside it though it is still the 24th in UTC
    times = {r["posted_at"] for r in rows}
    assert "2026-12-24T22:12:37Z" in times
    assert "2026-12-24T23:41:05Z" not in times
    assert all("2026-12-23T23:00:00Z" <= t < "2026-12-24T23:00:00Z" for t in times)


def test_a_workspace_made_before_a_migration_is_brought_up_to_date(tmp_path, ws_path, monkeypatch):
    """Made with migration 1 only, holding data; opened by today's code: migrated, nothing lost."""
    import recoupe.workspace as workspace
    from recoupe.sql import migrations
    first_only = migrations()[:1]
    monkeypatch.setattr(workspace, "migrations", lambda: first_only)
    f = write_json(tmp_path / "r.json", telegram_export([message(1, "avant")]))
    with open_workspace(ws_path, create=True) as ws:
        ws.con.execute("INSERT INTO source_files VALUES (99, 'ab', 'x', NULL, 'telegram_json', 1, "
                       "'telegram_json', '1', 'sources/ab', now(), 'me', 1, NULL, 0, 0, 0, NULL)")
    monkeypatch.undo()
    with pytest.raises(Exception, match="needs migrations"):
        open_workspace(ws_path, read_only=True)
    _import(ws_path, f)
    with open_workspace(ws_path, read_only=True) as ws:
        assert ws.con.execute("SELECT count(*) FROM source_files").fetchone()[0] == 2
        applied = [r[0] for r in ws.con.execute(
            "SELECT version FROM schema_migrations ORDER BY version").fetchall()]
        assert applied == [v for v, _, _ in migrations()]  # numbers need not be contiguous
        assert ws.con.execute("SELECT source_rank FROM items").fetchall() == [(2,)]


SAMPLE_JSON = Path(__file__).resolve().parents[1] / "samples" / "telegram" / "le-drive-du-13-2026-12-31" / "result.json"
SAMPLE_HTML = Path(__file__).resolve().parents[1] / "samples" / "telegram-html" / "le-drive-du-13"


@pytest.mark.parametrize("order", ["json_first", "html_first"])
def test_json_and_html_exports_of_one_channel_give_one_set_of_items(ws_path, order):
    """The same channel as JSON and as HTML: one chat, one item per message id, JSON's text."""
    paths = [SAMPLE_JSON, SAMPLE_HTML] if order == "json_first" else [SAMPLE_HTML, SAMPLE_JSON]
    first = _import(ws_path, paths[0])
    second = _import(ws_path, paths[1])
    assert all(r.status == "ingested" for r in first + second), [r.reason for r in first + second]
    assert sum(r.items_new for r in second) == 0, "the second export adds no message"
    items = _items(ws_path, events=True)
    assert len({i["chat_id"] for i in items}) == 1
    assert len(items) == len({i["message_id"] for i in items}) == 165
    assert {i["chat_external_id"] for i in items} == {"1987654321"}, "the JSON's id, whatever the order"
    data = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    edited = {m["id"] for m in data["messages"] if "edited_unixtime" in m}
    by_id = {i["message_id"]: i for i in items}
    assert all(by_id[mid]["edited_at"] for mid in edited), "the JSON's edit times win"
    assert all(i["source_sha256"] for i in items)
