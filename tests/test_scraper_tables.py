"""Tables written by Telegram collection tools (4CAT, telegram-tracker, Telethon), end to end.

The files are in tests/data/scrapers/ (see its README.md: each is in a layout read from the tool's
source, and wholly fictional). Every expected value below was read by eye from those files: ids,
the `timestamp` / `date` columns (UTC) beside the Unix seconds, texts, authors. Nothing is copied
from the parser's output.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from ingest.formats import detect
from recoupe.imports import import_paths
from recoupe.items import iter_items
from recoupe.workspace import DB_NAME, open_workspace

DATA = Path(__file__).resolve().parent / "data" / "scrapers"
FOURCAT_CSV = DATA / "4cat" / "telegram-frais-snow.csv"
FOURCAT_NDJSON = DATA / "4cat" / "telegram-frais-snow.ndjson"
TELETHON = DATA / "telethon" / "snowexp_sud.jsonl"
TRACKER = DATA / "telegram-tracker" / "msgs_dataset.csv"
TRACKER_2022 = DATA / "telegram-tracker-2022" / "msgs_dataset.csv"
EXCEL = DATA / "excel-fr" / "telegram-frais-cp1252.csv"

FRAIS, SNOW, DRIVE = "1765432109", "1654321098", "1987654321"


def _import(root, *paths):
    with open_workspace(root, create=True) as ws:
        return import_paths(ws, list(paths), user="tester")


def _items(root) -> dict[tuple[str, int], dict]:
    """Items by (chat external id, message id), service messages included."""
    with open_workspace(root, read_only=True) as ws:
        return {(i["chat_external_id"], i["message_id"]): i for i in iter_items(ws, events=True)}


def _chats(root) -> dict[str, str | None]:
    with open_workspace(root, read_only=True) as ws:
        return {i["chat_external_id"]: i["chat"] for i in iter_items(ws, events=True)}


def _notes(root) -> dict:
    con = duckdb.connect(str(root / DB_NAME), read_only=True)
    try:
        [(notes,)] = con.execute("SELECT notes FROM source_files").fetchall()
    finally:
        con.close()
    return json.loads(notes) if notes else {}


def _imported(ws_path, path) -> dict[tuple[str, int], dict]:
    [r] = _import(ws_path, path)
    assert (r.format, r.status) == ("scraper_tables", "ingested"), r.reason
    return _items(ws_path)


def test_4cat_csv_maps_channels_ids_utc_times_and_text(ws_path):
    """Both channels of the 4CAT CSV, with their ids, UTC times, texts, replies and forwards."""
    items = _imported(ws_path, FOURCAT_CSV)
    assert len(items) == 13
    # the channel posts itself (author 1765432109, author_username frais_vxport13): its id is known;
    # the group never does, so it keeps a stand-in made of its username
    assert _chats(ws_path) == {FRAIS: "frais_vxport13", "name:snowexp_sud": "snowexp_sud"}
    assert sorted(m for c, m in items if c == FRAIS) == [403, 405, 407, 408, 409, 410, 411, 412]
    assert sorted(m for c, m in items if c == "name:snowexp_sud") == [9017, 9018, 9019, 9020, 9021]

    menu = items[FRAIS, 412]
    assert menu["text"] == ('🌿 MENU DE NOËL 🌿\n'
                            'Beuh "Gelato", 10g = 60€, 20g = 110€\n'
                            'Shit "filtré" : le G à 8, 3 pour 20\n'
                            "Commande : 06 39 98 21 47 (SMS only, pas d'appel)")
    assert menu["posted_at"] == "2026-12-20T18:30:00Z"      # unix_timestamp 1797791400
    assert menu["posted_offset"] is None and menu["tz_assumed"] is None
    assert (menu["author"], menu["author_id"]) == ("frais_vxport13", FRAIS)
    assert menu["text_encoding"] is None

    photo = items[FRAIS, 411]
    assert photo["text"] == ""
    assert photo["media"] == [{"kind": "photo", "included": False,
                               "file_name": "frais_vxport13-411.jpeg"}]
    assert items[FRAIS, 410]["reply_to"] == 405
    fwd = items[FRAIS, 409]
    assert (fwd["forwarded_from"], fwd["forwarded_from_id"]) == ("Le Drive du 13 🎄", DRIVE)
    edited = items[FRAIS, 407]
    assert edited["posted_at"] == "2026-12-18T09:45:12Z"
    assert edited["edited_at"] == "2026-12-18T10:02:37Z"
    assert items[FRAIS, 403]["media"] is None, "a link preview is not an attached file"

    karim = items["name:snowexp_sud", 9020]
    assert (karim["author"], karim["author_id"]) == ("Karim Livraison", "6123456789")
    assert karim["reply_to"] == 9019
    assert karim["posted_at"] == "2026-12-20T23:40:19Z"
    assert items["name:snowexp_sud", 9017]["author"] == "Nono 🛵"
    assert items["name:snowexp_sud", 9021]["media"] == [{"kind": "video", "included": False}]
    assert _notes(ws_path)["channel_ids_from_own_posts"] == 1


def test_4cat_csv_keeps_every_unmapped_column_in_extra(ws_path):
    """Views, reactions, the server-local timestamp and the rest stay with the item."""
    menu = _imported(ws_path, FOURCAT_CSV)[FRAIS, 412]
    assert menu["extra"]["views"] == "1843"
    assert menu["extra"]["reactions"] == "🔥🔥🔥🔥🎄🎄"
    assert menu["extra"]["timestamp"] == "2026-12-20 18:30:00"
    assert menu["extra"]["body_markdown"].startswith("🌿 **MENU DE NOËL** 🌿\n")
    assert menu["extra"]["is_reply"] == "False"


def test_a_row_with_an_unreadable_time_is_kept_without_a_time(ws_path):
    """Row 408's unix_timestamp is 1797O15600 (a letter O): the message is kept, undated, with the
    raw cell in extra and a count in the source's notes; the file is not rejected for one cell."""
    items = _imported(ws_path, FOURCAT_CSV)
    relay = items[FRAIS, 408]
    assert relay["text"] == "Point relais fermé demain, on reprend lundi 👋"
    assert relay["posted_at"] is None
    assert relay["extra"]["unix_timestamp"] == "1797O15600"
    assert _notes(ws_path)["rows_without_time"] == 1
    assert items[FRAIS, 407]["posted_at"] == "2026-12-18T09:45:12Z", "its neighbours keep theirs"


def test_4cat_ndjson_reads_telethon_messages_as_4cat_stores_them(ws_path):
    """4CAT's raw NDJSON: chats from `_chat`, entities with UTF-16 offsets, album, buttons, forward."""
    items = _imported(ws_path, FOURCAT_NDJSON)
    assert len(items) == 11
    assert _chats(ws_path) == {FRAIS: "Frais du Vieux-Port 🌿", SNOW: "Snow Express Sud ❄️"}
    with open_workspace(ws_path, read_only=True) as ws:
        types = dict(ws.con.execute("SELECT external_id, chat_type FROM chats").fetchall())
    assert types == {FRAIS: "channel", SNOW: "group"}   # broadcast true / megagroup true

    greet = items[FRAIS, 416]
    assert greet["text"] == "🌿 Commande : 06 39 98 21 47 ou @frais_vx_commande — livraison 7j/7"
    assert greet["posted_at"] == "2026-12-21T19:02:10Z"  # "date": 1797879730.0
    assert greet["posted_offset"] is None
    assert (greet["author"], greet["author_id"]) == ("Frais du Vieux-Port 🌿", f"channel{FRAIS}")
    # Telethon counts offsets in UTF-16 units (14 after the 🌿); the stored ones are characters
    assert greet["text_entities"] == [
        {"type": "phone", "text": "06 39 98 21 47", "offset": 13, "length": 14},
        {"type": "mention", "text": "@frais_vx_commande", "offset": 31, "length": 18}]
    assert greet["reactions"] == [{"type": "emoji", "count": 41, "emoji": "🔥"},
                                  {"type": "emoji", "count": 9, "emoji": "👍"}]
    assert greet["extra"]["views"] == 960 and greet["extra"]["forwards"] == 12
    assert greet["extra"]["4CAT_metadata"]["query"] == "frais_vxport13"

    assert items[FRAIS, 415]["text"] == ""
    assert items[FRAIS, 415]["media"] == [{"kind": "photo", "included": False}]
    assert items[FRAIS, 414]["album_key"] == items[FRAIS, 415]["album_key"] is not None
    assert items[FRAIS, 413]["buttons"] == [[{"type": "url", "text": "🤖 Commander",
                                             "data": "https://t.me/frais_vx_bot"}]]
    assert items[FRAIS, 410]["reply_to"] == 405
    fwd = items[FRAIS, 409]
    assert (fwd["forwarded_from"], fwd["forwarded_from_id"]) == ("Le Drive du 13 🎄",
                                                                 f"channel{DRIVE}")
    assert items[FRAIS, 407]["edited_at"] == "2026-12-18T10:02:37Z"

    video = items[SNOW, 9022]
    assert video["text"] == ""
    assert video["media"] == [{"kind": "document", "included": False, "mime_type": "video/mp4",
                               "size": 2841174, "duration_seconds": 14.2,
                               "file_name": "arrivage.mp4"}]
    answer = items[SNOW, 9023]
    assert (answer["author"], answer["author_id"]) == ("Karim Livraison", "user6123456789")
    assert answer["reply_to"] == 9024


def test_telethon_to_dict_lines_import_with_their_service_message(ws_path):
    """Telethon's own to_dict() lines: ISO dates with +00:00, peer ids, a pin as an event."""
    items = _imported(ws_path, TELETHON)
    assert set(items) == {(SNOW, 9030), (SNOW, 9031), (SNOW, 9032)}
    last = items[SNOW, 9030]
    assert last["text"] == "dernier passage à 2h, après c'est fini 🌙"
    assert (last["posted_at"], last["posted_offset"]) == ("2026-12-22T01:10:00Z", "+00:00")
    assert last["author_id"] == "user6123456789"
    assert items[SNOW, 9031]["reply_to"] == 9030
    pin = items[SNOW, 9032]
    assert (pin["kind"], pin["action"], pin["text"]) == ("event", "pin_message", "")


def test_telegram_tracker_msgs_dataset_current_layout(ws_path):
    """telegram-tracker's msgs_dataset.csv: bare channel ids, +00:00 dates, raw multi-line text."""
    items = _imported(ws_path, TRACKER)
    assert len(items) == 12
    assert _chats(ws_path) == {FRAIS: "frais_vxport13", SNOW: "snowexp_sud"}
    promo = items[FRAIS, 417]
    assert promo["text"] == ('🎁 PROMO 22/12 🎁\n"Gelato" 10g = 50€, le G de shit à 7\n'
                             "Livraison Vieux-Port, Noailles, Belsunce : 09 99 00 41 12")
    assert (promo["posted_at"], promo["posted_offset"]) == ("2026-12-22T10:00:00Z", "+00:00")
    assert promo["extra"]["cleaned_message"].startswith("🎁 PROMO 22/12 🎁 \"Gelato\"")
    assert promo["extra"]["number_forwards"] == "4"
    assert items[FRAIS, 415]["text"] == ""
    assert items[FRAIS, 415]["media"] == [{"kind": "photo", "included": False}]
    assert items[FRAIS, 410]["reply_to"] == 405
    fwd = items[FRAIS, 409]
    assert (fwd["forwarded_from"], fwd["forwarded_from_id"]) == ("drv13_noel", f"channel{DRIVE}")
    assert items[FRAIS, 403]["media"] is None
    assert items[FRAIS, 403]["extra"]["url"] == "https://t.me/frais_vx_avis"
    video = items[SNOW, 9022]
    assert video["author_id"] == "user6123456789"
    assert video["media"] == [{"kind": "document", "included": False, "mime_type": "video/mp4",
                               "file_name": "arrivage.mp4", "duration_seconds": 14.2}]
    assert items[SNOW, 9023]["reply_to"] == 9024


def test_telegram_tracker_2022_layout_reads_utc_times_without_offset(ws_path):
    """The older columns: no msg_id (read from msg_link), `username`, dates in UTC with no offset."""
    items = _imported(ws_path, TRACKER_2022)
    assert set(items) == {(FRAIS, 409), (FRAIS, 410), (FRAIS, 411), (FRAIS, 412)}
    assert _chats(ws_path) == {FRAIS: "frais_vxport13"}
    menu = items[FRAIS, 412]
    assert (menu["posted_at"], menu["posted_offset"], menu["tz_assumed"]) == (
        "2026-12-20T18:30:00Z", None, None)
    assert menu["text"].startswith('🌿 MENU DE NOËL 🌿 Beuh "Gelato", 10g = 60€')
    assert menu["extra"]["date_day_name"] == "Sunday"
    fwd = items[FRAIS, 409]
    assert (fwd["forwarded_from"], fwd["forwarded_from_id"]) == ("drv13_noel", f"channel{DRIVE}")


def test_cp1252_table_from_excel_is_decoded_and_says_so(ws_path):
    """A 4CAT CSV re-saved by Excel in French: cp1252 and semicolons, found without being told."""
    items = _imported(ws_path, EXCEL)
    assert len(items) == 8
    menu = items[FRAIS, 412]
    assert menu["text"] == ("MENU DE NOËL – « Gelato » 10g = 60€, l’été indien à 50€\n"
                            "Œufs de Noël : 3 pour 20€, commande au 09 99 00 41 12")
    assert menu["text_encoding"] == "cp1252"
    assert menu["posted_at"] == "2026-12-20T18:30:00Z"
    assert menu["extra"]["timestamp"] == "20/12/2026 18:30"
    assert items[FRAIS, 409]["forwarded_from"] == "Le Drive du 13 ?"
    notes = _notes(ws_path)
    assert (notes["encoding"], notes["delimiter"]) == ("cp1252", ";")


def test_excel_utf8_with_bom_and_semicolons_imports(tmp_path, ws_path):
    """Excel's "CSV UTF-8" in French: a byte-order mark and `;` between fields, still UTF-8."""
    with TRACKER_2022.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    resaved = tmp_path / "msgs_dataset_excel.csv"
    with resaved.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows)
    items = _imported(ws_path, resaved)
    assert set(items) == {(FRAIS, 409), (FRAIS, 410), (FRAIS, 411), (FRAIS, 412)}
    assert items[FRAIS, 410]["text"] == ("Toujours dispo ce soir, livraison Aubagne et La Ciotat "
                                         "jusqu'à 2h 🛵")
    assert items[FRAIS, 410]["text_encoding"] is None
    assert _notes(ws_path)["delimiter"] == ";"


def test_numeric_channel_ids_are_bare_like_telegram_desktop(tmp_path, ws_path):
    """A channel given in the API's -100 form is stored under the bare id Telegram Desktop's JSON
    export uses (1765432109), so both sources name the same chat."""
    text = TRACKER_2022.read_text(encoding="utf-8").replace(f",{FRAIS},", f",-100{FRAIS},")
    assert text.count(f",-100{FRAIS},") == 4
    api_form = tmp_path / "msgs_dataset.csv"
    api_form.write_text(text, encoding="utf-8")
    _imported(ws_path, api_form)
    assert set(_chats(ws_path)) == {FRAIS}


def test_unknown_csv_layout_is_rejected_with_the_expected_columns(tmp_path, ws_path):
    """A CSV from some other tool: rejected, naming what each layout needs and what was found."""
    f = tmp_path / "export_bot.csv"
    f.write_text("date,sender,text\n2026-12-20 18:30,Karim,dispo ce soir\n", encoding="utf-8")
    [r] = _import(ws_path, f)
    assert r.status == "rejected"
    assert r.reason.startswith("export_bot.csv: its columns match no table Recoupe reads")
    assert "4CAT's Telegram CSV (id, thread_id, chat, author, body, unix_timestamp, …)" in r.reason
    assert ("telegram-tracker's msgs_dataset.csv (signature, channel_id, channel_name or "
            "username, message, date, msg_link, …)") in r.reason
    assert r.reason.endswith("This file's columns: date, sender, text")


def test_unknown_ndjson_lines_are_rejected_with_the_expected_keys(tmp_path, ws_path):
    """JSON lines from another platform: rejected, naming the keys a Telegram message has."""
    f = tmp_path / "tweets.ndjson"
    f.write_text('{"created_at": "2026-12-20", "full_text": "promo"}\n', encoding="utf-8")
    [r] = _import(ws_path, f)
    assert r.status == "rejected"
    assert "not Telegram messages Recoupe reads" in r.reason
    assert "keys id, date, message, _chat or peer_id" in r.reason
    assert r.reason.endswith("Found: created_at, full_text")


def test_a_truncated_ndjson_line_rejects_the_file_with_its_line(tmp_path, ws_path):
    """A download cut inside its last line: rejected (as a truncated export is), nothing kept."""
    data = FOURCAT_NDJSON.read_bytes()
    assert data.count(b"\n") == 11
    cut = tmp_path / "coupe.ndjson"
    cut.write_bytes(data[: data.rindex(b'"message": "Arrivage')])
    [r] = _import(ws_path, cut)
    assert r.status == "rejected"
    assert "ends in the middle of line 11" in r.reason and "cut short" in r.reason
    with open_workspace(ws_path, read_only=True) as ws:
        assert list(iter_items(ws)) == []


def test_a_damaged_middle_ndjson_line_names_its_line(tmp_path, ws_path):
    """A line cut in the middle of the file (not at its end) is reported as damage, by number."""
    lines = FOURCAT_NDJSON.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2][:200] + "\n"
    f = tmp_path / "abime.ndjson"
    f.write_text("".join(lines), encoding="utf-8")
    [r] = _import(ws_path, f)
    assert r.status == "rejected"
    assert "line 3 is not complete JSON" in r.reason


def test_a_csv_cut_mid_row_is_rejected_with_its_line(tmp_path, ws_path):
    """The tracker CSV cut inside its 9th data row (line 12): the file's rows are not kept."""
    data = TRACKER.read_bytes()
    cut = tmp_path / "msgs_dataset.csv"
    cut.write_bytes(data[: data.index(b"Karim tu passes")])
    [r] = _import(ws_path, cut)
    assert r.status == "rejected"
    assert "line 12 has 5 fields where the header has 49" in r.reason
    with open_workspace(ws_path, read_only=True) as ws:
        assert list(iter_items(ws)) == []


@pytest.mark.parametrize("name, content, expected", [
    ("vide.csv", b"", "the file is empty"),
    ("entete.csv", TRACKER.read_bytes().split(b"\n")[0] + b"\n", "holds no messages"),
    ("binaire.csv", b"\x00\xff\xfe\x81\x8d\x90\x9d\x00\x00\x13\x07" * 20,
     "not UTF-8 (byte 1 is not) and no other encoding fits it"),
    ("nuls.csv", b"\x00" * 64, "This file's columns: '\\x00"),
    ("liste.ndjson", b'{"id": 1, "date": 1797791400, "message": "x"}\n', "not Telegram messages"),
])
def test_hostile_tables_get_a_clear_reason(tmp_path, ws_path, name, content, expected):
    """Empty, header-only, binary and chat-less files are rejected with a reason, never a crash."""
    f = tmp_path / name
    f.write_bytes(content)
    [r] = _import(ws_path, f)
    assert r.status == "rejected"
    assert r.reason.startswith(f"{name}: ") and "could not be imported" not in r.reason
    assert expected in r.reason


def test_detection_claims_tables_and_json_lines_only(tmp_path):
    """Every .csv/.tsv is this parser's (to be read or rejected with the columns it needs); a
    .ndjson/.jsonl only when it starts with a JSON object; .json stays Telegram Desktop's."""
    files = {"a.csv": b"x,y\n1,2\n", "b.tsv": b"x\ty\n", "c.ndjson": b'{"id": 1}\n',
             "d.jsonl": b'\xef\xbb\xbf {"id": 1}\n', "e.ndjson": b"[1, 2]\n",
             "f.json": b'{"messages": []}', "g.txt": b"id,thread_id\n"}
    found = {}
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
        found[name] = detect(tmp_path / name)
    assert found.pop("g.txt") != "scraper_tables"
    assert found == {"a.csv": "scraper_tables", "b.tsv": "scraper_tables",
                     "c.ndjson": "scraper_tables", "d.jsonl": "scraper_tables",
                     "e.ndjson": None, "f.json": "telegram_json"}
