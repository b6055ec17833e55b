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
