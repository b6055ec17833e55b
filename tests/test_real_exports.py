"""Real Telegram Desktop JSON exports, written by other tools, imported end to end.

Every expected value below was read by eye from the export files in
shared/real-exports/telegram-json/ (see shared/real-exports/README.md) and written here as a
literal: counts of `"type": "message"` and of the other types, authors, `date_unixtime` turned into
UTC by hand, texts, entities, media, reactions, buttons, actions. Nothing is derived from the parser.

The folder must be there: a missing folder is a failure, never a skip.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from recoupe.imports import import_paths  # noqa: E402
from recoupe.items import iter_items  # noqa: E402
from recoupe.workspace import open_workspace  # noqa: E402

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-exports"
TG = REAL / "telegram-json"

ANALYTICS = "chat-analytics_DM_2A_7M.json"
MINER_BATCH = "chat-miner_batch_export.json"
MINER_SINGLE = "chat-miner_single_export.json"
TK = "tkonverter_result.json"
TK_GROUP = "tkonverter_result_group.json"
FILES = [ANALYTICS, MINER_BATCH, MINER_SINGLE, TK, TK_GROUP]

# (posts, events) per file: posts are `"type": "message"`; events are `"type": "service"` plus any
# other type ("unsupported").
COUNTS = {
    ANALYTICS: (6, 2),      # messages 3644 3645 3662 3663 3672 3673; services 2675 3674
    MINER_BATCH: (2, 0),
    MINER_SINGLE: (2, 0),
    TK: (25, 62),           # messages 1-22, 84-86; services 23-83; 87 "unsupported"
    TK_GROUP: (23, 22),     # 21 services + 45 "unsupported"
}

PARIS = "Europe/Paris"


# -- fixtures -------------------------------------------------------------------------------------

def _import_one(root: Path, name: str, tz: str = PARIS):
    with open_workspace(root, create=True) as ws:
        results = import_paths(ws, [TG / name], tz=tz, user="test-real-exports")
        items = list(iter_items(ws, events=True))
        chats = ws.con.execute(
            "SELECT external_id, name, chat_type FROM chats ORDER BY id").fetchall()
    return results, items, chats


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> dict:
    """Each export imported alone into its own fresh workspace: {file: (results, items, chats)}."""
    assert TG.is_dir(), f"the real exports are missing: {TG} (they must sit beside the repo)"
    out = {}
    for name in FILES:
        root = tmp_path_factory.mktemp(name.split(".")[0]) / "ws"
        out[name] = _import_one(root, name)
    return out


def items_of(imported, name: str) -> list[dict]:
    return imported[name][1]


def by_id(imported, name: str) -> dict[int, dict]:
    return {it["message_id"]: it for it in items_of(imported, name)}


def posts(imported, name: str) -> list[dict]:
    return [it for it in items_of(imported, name) if it["kind"] == "post"]


# -- the folder itself ----------------------------------------------------------------------------

def test_real_exports_folder_holds_the_five_telegram_exports():
    """shared/real-exports/telegram-json/ is found beside the repo and holds the five exports."""
    assert (REAL / "README.md").is_file(), f"no README in {REAL}"
    for name in FILES:
        assert (TG / name).is_file(), f"missing real export {TG / name}"


# -- per-file facts -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", FILES)
def test_counts_of_posts_and_events(imported, name):
    """Posts = `"type": "message"` entries; events = `"service"` and any other type."""
    results, items, _ = imported[name]
    assert [r.status for r in results] == ["ingested"], [r.reason for r in results]
    n_posts, n_events = COUNTS[name]
    assert results[0].items_new == n_posts + n_events
    kinds = Counter(it["kind"] for it in items)
    assert (kinds["post"], kinds["event"], len(items)) == (n_posts, n_events, n_posts + n_events)
    assert all(it["platform"] == "telegram" for it in items)


POST_AUTHORS = {
    ANALYTICS: {"Bob": 2, "Alice": 4},
    MINER_BATCH: {"Author 1": 1, "Author 2": 1},
    MINER_SINGLE: {"Author 1": 1, "Author 2": 1},
    TK: {"Me": 12, "Alice Example": 13},
    TK_GROUP: {"Me": 9, "Alice Example": 8, "Bob Sample": 6},
}


@pytest.mark.parametrize("name", FILES)
def test_post_authors(imported, name):
    """The `from` of every message, and how many messages each wrote."""
    assert Counter(p["author"] for p in posts(imported, name)) == Counter(POST_AUTHORS[name])


def test_author_ids_follow_from_id(imported):
    """`from_id` is kept beside `from`: user700000000 is Bob, user300000000 Alice; user777000 Me,
    user10001 Alice Example, user10002 Bob Sample; chat-miner messages have no `from_id`."""
    expect = {
        ANALYTICS: {"Bob": "user700000000", "Alice": "user300000000"},
        TK: {"Me": "user777000", "Alice Example": "user10001"},
        TK_GROUP: {"Me": "user777000", "Alice Example": "user10001", "Bob Sample": "user10002"},
        MINER_BATCH: {"Author 1": None, "Author 2": None},
        MINER_SINGLE: {"Author 1": None, "Author 2": None},
    }
    for name, ids in expect.items():
        assert {p["author"]: p["author_id"] for p in posts(imported, name)} == ids, name


FIRST_LAST = {
    # 3644 "2019-07-12T16:55:32" (only `date`, Paris CEST) .. 3673 date_unixtime 1654898799
    ANALYTICS: ("2019-07-12T14:55:32Z", "2022-06-10T22:06:39Z"),
    # 1544006350 .. 1544006964
    MINER_BATCH: ("2018-12-05T10:39:10Z", "2018-12-05T10:49:24Z"),
    MINER_SINGLE: ("2018-12-05T10:39:10Z", "2018-12-05T10:49:24Z"),
    # 84: 1767225000 .. 86: 1798878600
    TK: ("2025-12-31T23:50:00Z", "2027-01-02T08:30:00Z"),
    # 42: 1762333200 .. 44: 1799606700
    TK_GROUP: ("2025-11-05T09:00:00Z", "2027-01-10T18:45:00Z"),
}


@pytest.mark.parametrize("name", FILES)
def test_first_and_last_post_times_in_utc(imported, name):
    """The earliest and latest message times, in UTC, computed by hand from the file."""
    times = [p["posted_at"] for p in posts(imported, name)]
    assert None not in times
    assert (min(times), max(times)) == FIRST_LAST[name]


CHATS = {
    ANALYTICS: ("700000000", "Bob", "personal_chat"),
    MINER_BATCH: ("name:Chatname", "Chatname", None),
    TK: ("10001", "Alice Example", "personal_chat"),
    TK_GROUP: ("20001", "Team Chat", "private_group"),
}


@pytest.mark.parametrize("name", FILES)
def test_chat_name_type_and_external_id(imported, name):
    """Each file is one chat; its `id`, `name` and `type` from the header (or `chats.list`).

    chat-miner's whole-account file names its chat "Chatname" but gives no id (stand-in "name:...");
    chat-miner's single export has neither name nor id (stand-in "file:...").
    """
    _, items, chats = imported[name]
    assert len(chats) == 1
    ext, chat_name, chat_type = chats[0]
    if name == MINER_SINGLE:
        assert ext.startswith("file:") and len(ext) > len("file:")
        assert chat_name is None and chat_type is None
    else:
        assert (ext, chat_name, chat_type) == CHATS[name]
    assert {(it["chat"], it["chat_external_id"]) for it in items} == {(chat_name, ext)}


# -- chat-analytics: local dates, entity text, placeholders, services -----------------------------

def test_analytics_local_dates_read_in_paris(imported):
    """2675, 3644, 3645 have only `date` (read as Paris time, flagged); 3662-3673 only
    `date_unixtime`; 3674 has both: 23:11:02 local at 1691719862 (02:11:02Z) is -03:00."""
    got = {mid: (it["posted_at"], it["posted_offset"], it["tz_assumed"])
           for mid, it in by_id(imported, ANALYTICS).items()}
    assert got == {
        2675: ("2019-07-05T14:55:32Z", "+02:00", PARIS),   # July: CEST
        3644: ("2019-07-12T14:55:32Z", "+02:00", PARIS),
        3645: ("2022-03-08T12:07:42Z", "+01:00", PARIS),   # March 8th: still CET
        3662: ("2022-05-09T22:23:53Z", None, None),        # 1652135033
        3663: ("2022-05-09T23:26:09Z", None, None),        # 1652138769
        3672: ("2022-06-10T22:06:38Z", None, None),        # 1654898798
        3673: ("2022-06-10T22:06:39Z", None, None),        # 1654898799
        3674: ("2023-08-11T02:11:02Z", "-03:00", None),    # 1691719862
    }


def test_analytics_tz_option_changes_only_the_local_only_dates(tmp_path):
    """Imported with tz="UTC", the `date`-only messages are read as UTC; the others do not move."""
    _, items, _ = _import_one(tmp_path / "ws", ANALYTICS, tz="UTC")
    got = {it["message_id"]: (it["posted_at"], it["posted_offset"], it["tz_assumed"])
           for it in items}
    assert got[2675] == ("2019-07-05T16:55:32Z", "+00:00", "UTC")
    assert got[3644] == ("2019-07-12T16:55:32Z", "+00:00", "UTC")
    assert got[3645] == ("2022-03-08T13:07:42Z", "+00:00", "UTC")
    assert got[3662] == ("2022-05-09T22:23:53Z", None, None)
    assert got[3674] == ("2023-08-11T02:11:02Z", "-03:00", None)


def test_analytics_text_flattened_from_link_and_plain_parts(imported):
    """3644's text is `[{"type": "link", "text": "https://google.com"}, " 👀"]`; 3645-3663 are plain
    strings (their only entity is "plain", which is not kept); photos have empty text."""
    m = by_id(imported, ANALYTICS)
    assert m[3644]["text"] == "https://google.com 👀"
    assert m[3644]["text_entities"] == [
        {"type": "link", "text": "https://google.com", "offset": 0, "length": 18}]
    assert (m[3645]["text"], m[3645]["text_entities"]) == ("hello world", None)
    assert (m[3662]["text"], m[3662]["text_entities"]) == ("world?", None)
    assert (m[3663]["text"], m[3663]["text_entities"]) == ("blah blah", None)
    assert m[3672]["text"] == m[3673]["text"] == ""


def test_analytics_photo_placeholders_kept_as_media_not_included(imported):
    """3672 and 3673: `photo` is "(File not included. ...)", 960x1280: media, included false."""
    m = by_id(imported, ANALYTICS)
    for mid in (3672, 3673):
        assert m[mid]["media"] == [{
            "kind": "photo", "included": False,
            "placeholder": "(File not included. Change data exporting settings to download.)",
            "width": 960, "height": 1280}]


def test_analytics_service_messages_are_events_with_action(imported):
    """2675: Bob joined_telegram; 3674: Alice's phone_call, discard_reason "hangup"."""
    m = by_id(imported, ANALYTICS)
    e = m[2675]
    assert (e["kind"], e["action"], e["author"], e["author_id"], e["text"]) == (
        "event", "joined_telegram", "Bob", "user700000000", "")
    e = m[3674]
    assert (e["kind"], e["action"], e["author"], e["author_id"]) == (
        "event", "phone_call", "Alice", "user300000000")
    assert e["extra"]["discard_reason"] == "hangup"
    assert all(p["action"] is None for p in posts(imported, ANALYTICS))


def test_call_duration_is_not_media(imported):
    """Only messages with `photo`, `file` or `contact_vcard` carry media.

    A call's `duration_seconds` (analytics 3674: 56 s; tkonverter 38 phone_call 45 s, 39
    conference_call 600 s) is how long the call lasted, not a file: it belongs in `extra`, and the
    item must not list a media descriptor (one without even `included`) for it.
    """
    with_media = {
        ANALYTICS: {3672, 3673},
        TK: {3, 4, 5, 6, 7, 8, 9, 10, 22, 25, 60},
        TK_GROUP: {3, 29, 30, 31, 32},
        MINER_BATCH: set(),
        MINER_SINGLE: set(),
    }
    wrong = []
    for name, ids in with_media.items():
        got = {it["message_id"] for it in items_of(imported, name) if it["media"]}
        if got != ids:
            wrong.append(f"{name}: items with media {sorted(got)}, expected {sorted(ids)}")
    for name, mid, seconds in ((ANALYTICS, 3674, 56), (TK, 38, 45), (TK, 39, 600)):
        it = by_id(imported, name)[mid]
        if it["media"] is not None:
            wrong.append(f"{name} {mid} ({it['action']}): media {it['media']}")
        if (it["extra"] or {}).get("duration_seconds") != seconds:
            wrong.append(f"{name} {mid} ({it['action']}): extra {it['extra']}, "
                         f"no duration_seconds {seconds}")
    assert not wrong, "\n".join(wrong)


# -- chat-miner: no ids, entity parts, whole-account shape ----------------------------------------

@pytest.mark.parametrize("name", [MINER_BATCH, MINER_SINGLE])
def test_miner_messages_without_ids_import_with_distinct_keys(imported, name):
    """Neither message has an `id`: both are kept, without message id, under distinct keys; their
    times come from `date_unixtime` alone (no offset, nothing assumed)."""
    items = items_of(imported, name)
    assert [it["message_id"] for it in items] == [None, None]
    keys = [it["item_key"] for it in items]
    assert len(set(keys)) == 2 and all(keys)
    assert [(it["posted_offset"], it["tz_assumed"]) for it in items] == [(None, None)] * 2


@pytest.mark.parametrize("name", [MINER_BATCH, MINER_SINGLE])
def test_miner_text_made_of_bold_and_link_parts(imported, name):
    """"Minimal Message" is a plain string; Author 2's text is [bold "Link:", link
    "https://telegram.org/"], flattened to "Link:https://telegram.org/"."""
    got = {it["author"]: (it["posted_at"], it["text"], it["text_entities"])
           for it in items_of(imported, name)}
    assert got == {
        "Author 1": ("2018-12-05T10:39:10Z", "Minimal Message", None),
        "Author 2": ("2018-12-05T10:49:24Z", "Link:https://telegram.org/", [
            {"type": "bold", "text": "Link:", "offset": 0, "length": 5},
            {"type": "link", "text": "https://telegram.org/", "offset": 5, "length": 21}]),
    }


# -- tkonverter: offsets, entities, reactions, buttons, edits, forwards, media, services ----------

def test_tkonverter_date_equal_to_utc_gives_offset_zero(imported):
    """In both tkonverter files `date` equals `date_unixtime` in UTC, so the offset is +00:00 and
    no zone is assumed; except group message 43: "2026-02-02T12:00:00" at 1769986800, which is
    2026-02-01T23:00:00Z, an offset of +13:00. The "unsupported" entries have no date at all."""
    for name, undated in ((TK, 87), (TK_GROUP, 45)):
        m = by_id(imported, name)
        assert (m[undated]["posted_at"], m[undated]["posted_offset"]) == (None, None)
        skip = {undated, 43} if name == TK_GROUP else {undated}
        for mid, it in m.items():
            if mid in skip:
                continue
            assert (it["posted_offset"], it["tz_assumed"]) == ("+00:00", None), (name, mid)
    g43 = by_id(imported, TK_GROUP)[43]
    assert (g43["posted_at"], g43["posted_offset"], g43["tz_assumed"]) == (
        "2026-02-01T23:00:00Z", "+13:00", None)
    tk = by_id(imported, TK)
    assert tk[1]["posted_at"] == "2026-02-01T09:00:00Z"     # 1769936400
    assert tk[83]["posted_at"] == "2026-02-01T11:00:00Z"    # 1769943600
    assert by_id(imported, TK_GROUP)[1]["posted_at"] == "2026-02-01T08:00:00Z"  # 1769932800


def test_tkonverter_text_link_and_mention_entities_kept(imported):
    """Message 1's `text_entities` hold bold "Baseaj", mention "@alice" and text_link "link" with
    href https://example.org (its `text` is the plain string "Base text with entities")."""
    it = by_id(imported, TK)[1]
    assert it["text"] == "Base text with entities"
    ents = [{k: v for k, v in e.items() if k not in ("offset", "length")}
            for e in it["text_entities"] or []]
    assert ents == [
        {"type": "bold", "text": "Baseaj"},
        {"type": "mention", "text": "@alice"},
        {"type": "text_link", "text": "link", "href": "https://example.org"},
    ]


def test_tkonverter_group_mention_entities_kept(imported):
    """Group message 34: text "Message mentioning @alice and @bob", whose `text_entities` are
    plain "Message mentioning ", mention "@alice", plain " and ", mention "@bob"."""
    it = by_id(imported, TK_GROUP)[34]
    assert it["text"] == "Message mentioning @alice and @bob"
    assert it["text_entities"] == [
        {"type": "mention", "text": "@alice", "offset": 19, "length": 6},
        {"type": "mention", "text": "@bob", "offset": 30, "length": 4},
    ]


def test_tkonverter_reactions_and_inline_buttons_kept_as_given(imported):
    """Message 1: three reactions (🔥 x2 with its recent reactor, a custom emoji, 3 paid) and one
    row of inline buttons, "Open" → https://t.me and a callback; group 33: 👍 x5. No other
    message has reactions or buttons."""
    tk = by_id(imported, TK)
    assert tk[1]["reactions"] == [
        {"type": "emoji", "count": 2, "emoji": "🔥", "recent": [
            {"from": "Alice Example", "from_id": "user10001", "date": "2026-02-01T09:01:00"}]},
        {"type": "custom_emoji", "count": 1, "document_id": "1234567890123456789"},
        {"type": "paid", "count": 3},
    ]
    assert tk[1]["buttons"] == [[
        {"type": "url", "text": "Open", "data": "https://t.me"},
        {"type": "callback", "text": "Callback", "data": "", "dataBase64": "Y2I", "button_id": 77},
    ]]
    g = by_id(imported, TK_GROUP)
    assert g[33]["reactions"] == [{"type": "emoji", "count": 5, "emoji": "👍", "recent": [
        {"from": "Me", "from_id": "user777000", "date": "2026-02-01T10:21:00"},
        {"from": "Alice Example", "from_id": "user10001", "date": "2026-02-01T10:22:00"}]}]
    for name, mid in ((TK, 1), (TK_GROUP, 33)):
        others = [it["message_id"] for it in items_of(imported, name)
                  if it["message_id"] != mid and (it["reactions"] or it["buttons"])]
        assert others == [], name
    assert g[33]["buttons"] is None


def test_tkonverter_edited_forwarded_and_replies(imported):
    """tkonverter 2 is edited (edited_unixtime 1769936580 = 09:03:00Z), a reply to 1, forwarded
    from "Channel News", with saved_from / via_bot / reply_to_peer_id kept in extra; group 25 is
    forwarded from "Public Channel" (signed "Admin"), group 26 replies to 7. Nothing else is."""
    for name, edited, forwarded, replies in (
            (TK, {2: "2026-02-01T09:03:00Z"}, {2: "Channel News"}, {2: 1}),
            (TK_GROUP, {}, {25: "Public Channel"}, {26: 7}),
            (ANALYTICS, {}, {}, {})):
        items = items_of(imported, name)
        assert {i["message_id"]: i["edited_at"] for i in items if i["edited_at"]} == edited
        assert {i["message_id"]: i["forwarded_from"] for i in items if i["forwarded_from"]} == forwarded
        assert {i["message_id"]: i["reply_to"] for i in items if i["reply_to"] is not None} == replies
    extra = by_id(imported, TK)[2]["extra"]
    assert extra == {"reply_to_peer_id": "user777000", "saved_from": "Saved Messages",
                     "via_bot": "@gif"}
    assert by_id(imported, TK_GROUP)[25]["extra"] == {"author": "Admin"}


def test_tkonverter_media_descriptors(imported):
    """Photos, stickers, voice, files and vCards with their paths, sizes and sizes in pixels; files
    the export left out ("(File unavailable...", "(File exceeds maximum size...", "(File not
    included...") are kept with included false and their placeholder."""
    tk = by_id(imported, TK)
    assert tk[3]["media"] == [{"kind": "photo", "included": True, "path": "photos/p1.jpg",
                               "size": 550000, "width": 1280, "height": 720,
                               "media_spoiler": True, "self_destruct_period_seconds": 60}]
    s = tk[4]["media"][0]
    assert (s["kind"], s["included"], s["path"], s["size"], s["sticker_emoji"]) == (
        "sticker", True, "files/sticker.webp", 50000, "🙂")
    v = tk[5]["media"][0]
    assert (v["kind"], v["path"], v["duration_seconds"], v["thumbnail"], v["width"]) == (
        "video_message", "files/video_note.mp4", 14, "thumbs/video_note.jpg", 480)
    assert [tk[i]["media"][0]["kind"] for i in (6, 7, 8, 9, 10)] == [
        "voice_message", "animation", "video_file", "audio_file", "vcard"]
    assert tk[10]["media"][0]["path"] == "vcards/bob.vcf"
    m22 = tk[22]["media"][0]
    assert (m22["included"], m22["placeholder"], m22["file_name"], m22["size"]) == (
        False, "(File unavailable, please try again later)", "missing.bin", 500)
    assert "path" not in m22
    g = by_id(imported, TK_GROUP)
    assert g[29]["media"] == [{"kind": "photo", "included": True, "path": "photos/group_shared.jpg",
                               "size": 200000, "width": 1024, "height": 768}]
    assert (g[30]["media"][0]["path"], g[30]["media"][0]["included"]) == ("files/document.pdf", True)
    for mid, placeholder, file_name in (
            (31, "(File exceeds maximum size. Change data exporting settings to download.)",
             "huge_file.zip"),
            (32, "(File not included. Change data exporting settings to download.)",
             "excluded.bin")):
        d = g[mid]["media"][0]
        assert (d["included"], d["placeholder"], d["file_name"]) == (False, placeholder, file_name)
        assert "path" not in d
    assert g[31]["media"][0]["size"] == 5000000000
    assert g[3]["media"][0]["path"] == "photos/group_photo.jpg"   # edit_group_photo event


def test_tkonverter_fields_without_a_column_kept_in_extra(imported):
    """Polls, locations, contacts, invoices, games, paid stars: kept in extra exactly as written
    (the group's poll answers have "voters": "2" as strings, kept so)."""
    tk = by_id(imported, TK)
    assert tk[17]["extra"]["poll"] == {
        "question": "Best language?", "closed": False, "total_voters": 12,
        "answers": [{"text": "C++", "voters": 7, "chosen": True},
                    {"text": "Rust", "voters": 5, "chosen": False}]}
    assert tk[11]["extra"] == {"location_information": {"latitude": 40.7128, "longitude": -74.006},
                               "live_location_period_seconds": 900}
    assert tk[12]["extra"] == {"location_information": None}
    assert tk[10]["extra"]["contact_information"]["phone_number"] == "+1 555 111 22 33"
    assert tk[15]["extra"]["game_link"] == "https://t.me/gamebot?game=spacejump"
    assert tk[16]["extra"]["invoice_information"]["amount"] == 499
    assert tk[21]["extra"] == {"paid_stars_amount": 250}
    assert tk[9]["extra"] == {"title": "Track"}
    g = by_id(imported, TK_GROUP)
    assert g[10]["extra"]["poll"]["answers"][0] == {"text": "Project A", "voters": "2",
                                                    "chosen": "true"}
    assert g[36]["extra"]["place_name"] == "Office"


def test_tkonverter_service_actions(imported):
    """Every service entry is an event carrying its `action`, by its `actor` (or `from` for 48
    proximity_reached); entries without actor have no author; 41 has no action at all."""
    tk = by_id(imported, TK)
    events = [it for it in items_of(imported, TK) if it["kind"] == "event"]
    assert Counter(e["action"] for e in events) == Counter({
        "custom_action": 12, "joined_telegram": 3, "send_payment": 2,
        "allow_sending_messages": 2, "process_suggested_post": 2, None: 2,  # 41 and 87
        **{a: 1 for a in (
            "pin_message", "clear_history", "score_in_game", "phone_call", "conference_call",
            "take_screenshot", "attach_menu_bot_allowed", "web_app_bot_allowed",
            "send_passport_values", "proximity_reached", "requested_phone_number", "group_call",
            "invite_to_group_call", "set_messages_ttl", "group_call_scheduled", "edit_chat_theme",
            "send_webview_data", "send_premium_gift", "suggest_profile_photo", "requested_peer",
            "gift_code_prize", "giveaway_launch", "giveaway_results", "set_chat_wallpaper",
            "set_same_chat_wallpaper", "refunded_payment", "send_ton_gift", "send_stars_gift",
            "stars_prize", "send_star_gift", "paid_messages_refund",
            "paid_messages_price_change", "todo_completions", "todo_append_tasks",
            "suggested_post_success", "suggested_post_refund", "suggest_birthday",
            "new_creator_pending", "change_creator")}})
    assert {it["message_id"] for it in events if it["author"] is None} == {
        36, 37, 42, 43, 44, 45, 46, 56, 62, 63, 64, 68, 87}
    assert (tk[33]["action"], tk[33]["author"], tk[33]["extra"]) == (
        "pin_message", "Me", {"message_id": 1})
    assert (tk[48]["author"], tk[48]["author_id"], tk[48]["extra"]) == (
        "Alice Example", "user10001", {"to": "Me", "to_id": "user777000", "distance": 120})
    assert (tk[41]["action"], tk[41]["extra"]) == (None, {"information_text": "Custom service text"})
    assert tk[56]["text"] == "payload"
    assert tk[23]["extra"]["title"] == "Me начал(а) эту переписку"

    group_events = sorted((it for it in items_of(imported, TK_GROUP) if it["kind"] == "event"),
                          key=lambda it: it["message_id"])
    assert [(e["message_id"], e["action"]) for e in group_events] == [
        (1, "create_group"), (2, "edit_group_title"), (3, "edit_group_photo"),
        (4, "invite_members"), (5, "join_group_by_link"), (6, "join_group_by_request"),
        (13, "pin_message"), (15, "todo_append_tasks"), (16, "todo_completions"),
        (17, "remove_members"), (18, "delete_group_photo"), (19, "group_call"),
        (20, "invite_to_group_call"), (21, "group_call_scheduled"), (22, "set_messages_ttl"),
        (23, "edit_chat_theme"), (24, "clear_history"), (27, "migrate_to_supergroup"),
        (28, "migrate_from_group"), (38, "score_in_game"), (41, "send_payment"), (45, None)]
    g = by_id(imported, TK_GROUP)
    assert (g[1]["author"], g[1]["extra"]) == (
        "Me", {"title": "Team Chat", "members": ["Alice Example", "Bob Sample"]})
    assert (g[13]["author"], g[13]["extra"]) == ("Me", {"message_id": 7})
    assert g[41]["author"] is None


@pytest.mark.parametrize("name, mid", [(TK, 87), (TK_GROUP, 45)])
def test_unsupported_entry_kept_as_event(imported, name, mid):
    """The last entry of each tkonverter file is `{"id": N, "type": "unsupported"}`: no date, no
    text; it is kept as an event that says what type it was."""
    it = by_id(imported, name)[mid]
    assert (it["kind"], it["posted_at"], it["author"], it["action"], it["text"]) == (
        "event", None, None, None, "")
    assert it["extra"] == {"telegram_type": "unsupported"}


# -- the folder at once, twice --------------------------------------------------------------------

def test_whole_folder_import_is_the_sum_of_the_files_and_reimport_changes_nothing(tmp_path):
    """The folder imported at once gives each file's items and their sum (8+2+2+87+45 = 144), each
    item pointing to its file and that file's SHA-256; imported again, every file is unchanged."""
    expected = {name: sum(COUNTS[name]) for name in FILES}
    assert sum(expected.values()) == 144
    sha = {name: hashlib.sha256((TG / name).read_bytes()).hexdigest() for name in FILES}
    with open_workspace(tmp_path / "ws", create=True) as ws:
        first = import_paths(ws, [TG], user="test-real-exports")
        assert {Path(r.path).name: (r.status, r.items_new, r.sha256) for r in first} == {
            name: ("ingested", expected[name], sha[name]) for name in FILES}
        items = list(iter_items(ws, events=True))
        assert len(items) == 144
        assert Counter(it["source_file"] for it in items) == Counter(expected)
        assert all(it["source_sha256"] == sha[it["source_file"]] for it in items)
        assert len({(it["chat_id"], it["item_key"]) for it in items}) == 144
        assert sorted(c for c, in ws.con.execute("SELECT name FROM chats").fetchall()
                      if c is not None) == ["Alice Example", "Bob", "Chatname", "Team Chat"]
        assert Counter(it["kind"] for it in items) == Counter(
            post=sum(p for p, _ in COUNTS.values()), event=sum(e for _, e in COUNTS.values()))

        second = import_paths(ws, [TG], user="test-real-exports")
        assert {Path(r.path).name: (r.status, r.items_new, r.items_updated, r.items_unchanged)
                for r in second} == {name: ("unchanged", 0, 0, expected[name]) for name in FILES}
        again = list(iter_items(ws, events=True))
        assert [(it["id"], it["versions"]) for it in again] == [(it["id"], 0) for it in items]


# -- the commands, as a person runs them ----------------------------------------------------------

def test_cli_ingest_then_items_ndjson(tmp_path):
    """`python -m ingest FILE --json` then `python -m recoupe items`: the chat-analytics export
    as NDJSON; --since/--until are Paris dates, so 3662 (2022-05-10 00:23:53 in Paris) falls on
    the 10th, not the 9th."""
    env = {k: v for k, v in os.environ.items() if k != "RECOUPE_WORKSPACE"}
    ws = str(tmp_path / "ws")

    def run(*args):
        proc = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    report = json.loads(run("ingest", str(TG / ANALYTICS), "--workspace", ws, "--json"))
    assert [(f["status"], f["items_new"]) for f in report["files"]] == [("ingested", 8)]

    lines = run("recoupe", "items", "--workspace", ws, "--events").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    assert [(r["message_id"], r["kind"]) for r in rows] == [
        (2675, "event"), (3644, "post"), (3645, "post"), (3662, "post"), (3663, "post"),
        (3672, "post"), (3673, "post"), (3674, "event")]
    r3644 = rows[1]
    assert (r3644["posted_at"], r3644["posted_offset"], r3644["tz_assumed"], r3644["text"]) == (
        "2019-07-12T14:55:32Z", "+02:00", "Europe/Paris", "https://google.com 👀")
    assert r3644["chat"] == "Bob" and r3644["chat_external_id"] == "700000000"

    def between(since, until):
        out = run("recoupe", "items", "--workspace", ws, "--chat", "Bob",
                  "--since", since, "--until", until)
        return [json.loads(line)["message_id"] for line in out.splitlines() if line.strip()]

    assert between("2022-01-01", "2022-05-09") == [3645]
    assert between("2022-05-10", "2022-05-10") == [3662, 3663]
