"""What bench/fuzz.py found, kept as regression tests: one per finding, on the smallest input."""

from __future__ import annotations

from conftest import message, telegram_export, write_json
from recoupe.imports import import_paths
from recoupe.items import iter_items
from recoupe.workspace import open_workspace


def test_telegram_fields_of_the_wrong_type_are_kept_as_text(tmp_path):
    """A damaged or hostile result.json put objects, lists, booleans and 30-digit numbers where
    Telegram writes text and integers (an id of 1e30, a time of 20 digits); the store refused them with an Arrow error that the import
    reported as 'could not be imported (ArrowTypeError ...)'. The file now imports: text fields
    keep the value as text (JSON for objects), integers the store cannot hold are dropped."""
    msgs = [
        message(1, "auteur objet", **{"from": {"name": "<b>x</b>"}, "from_id": ["a", 1]}),
        message(2, "réponse booléenne", reply_to_message_id=True, forwarded_from=["Canal"]),
        message(3, "id énorme", id=1e30),
        message(4, "date absurde", date_unixtime="99999999999999999999", date="bad"),
                {"id": 6, "type": "service", "date_unixtime": "1795000400", "action": 12,
         "actor": 3.5, "text": ""},
    ]
    src = write_json(tmp_path / "result.json", telegram_export(msgs, name=1234, chat_type=True))
    with open_workspace(tmp_path / "ws", create=True) as ws:
        [r] = import_paths(ws, [src], user="t", index=False, extract=False)
        assert r.status == "ingested", r.reason
        items = {i["text"]: i for i in iter_items(ws, events=True)}
    assert items["auteur objet"]["author"] == '{"name":"<b>x</b>"}'
    assert items["réponse booléenne"]["reply_to"] is None
    assert items["réponse booléenne"]["forwarded_from"] == '["Canal"]'
    assert items["id énorme"]["message_id"] is None
    assert items["date absurde"]["posted_at"] is None
    assert items[""]["action"] == "12" and items[""]["chat"] == "1234"


def _chat_zip(path, name="_chat.txt"):
    import zipfile
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(name, "[01/12/2026, 10:00:00] Acheteur: salut\n")
    return bytearray(path.read_bytes())


def _import_one(tmp_path, path):
    with open_workspace(tmp_path / "ws", create=True) as ws:
        [r] = import_paths(ws, [path], user="t", index=False, extract=False)
    return r


def test_a_zip_of_an_unknown_version_is_rejected(tmp_path):
    """Python's zipfile raises NotImplementedError ('zip file version 8.4') for a central
    directory that asks for a newer extractor; it escaped the archive checks."""
    path = tmp_path / "WhatsApp Chat - Vendeur.zip"
    data = _chat_zip(path)
    central = data.index(b"PK\x01\x02")
    data[central + 6] = 84  # version needed to extract: 8.4
    path.write_bytes(bytes(data))
    r = _import_one(tmp_path, path)
    assert r.status == "rejected" and "damaged" in r.reason and "8.4" in r.reason, r.reason


def test_a_member_whose_local_name_is_not_utf8_is_rejected(tmp_path):
    """A member's own (local) header says its name is UTF-8 (flag 0x800) and holds bytes that are
    not: zipfile raised UnicodeDecodeError on opening the member."""
    path = tmp_path / "WhatsApp Chat - Vendeur.zip"
    data = _chat_zip(path)
    local = data.index(b"PK\x03\x04")
    data[local + 7] |= 0x08                    # general purpose flags: 0x800, UTF-8 names
    name = data.index(b"_chat.txt", local)     # the local header's copy of the name
    data[name + 7:name + 9] = b"\xcd\xcd"      # "_chat.t\xcd\xcd": not UTF-8
    path.write_bytes(bytes(data))
    r = _import_one(tmp_path, path)
    assert r.status == "rejected" and "damaged" in r.reason, r.reason


def test_telegram_strings_that_are_not_utf8_are_rejected(tmp_path):
    """ijson raised UnicodeDecodeError (not its own parse error) for a string holding invalid
    UTF-8, and the import reported 'could not be imported (UnicodeDecodeError ...)'."""
    import json
    doc = json.dumps(telegram_export([message(1, "XXbon prix")])).encode()
    path = tmp_path / "result.json"
    path.write_bytes(doc.replace(b"XX", b"\xe0\x9c\x85"))  # a malformed 3-byte sequence yajl lets by
    r = _import_one(tmp_path, path)
    assert r.status == "rejected" and "not UTF-8" in r.reason, r.reason
