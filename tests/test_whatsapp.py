"""WhatsApp exports: every real export imported end to end, the forms of many locales, media in
zips, encodings, and hostile archives.

Expected values were read by eye from the files in shared/real-exports/whatsapp/ (see its
README.md) and written here as literals: message lines counted, authors, texts; local times turned
into UTC by hand, in Europe/Paris (CET, UTC+1, in winter; CEST, UTC+2, from the last Sunday of
March, 27 March in 2022, to the last Sunday of October). Nothing is derived from the parser.
The folder must be there: a missing folder is a failure, never a skip.
"""

from __future__ import annotations

import hashlib
import struct
import zipfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest

from recoupe.imports import import_paths
from recoupe.items import iter_items
from recoupe.workspace import open_workspace

from ingest import Chat, Rejected
from ingest.archive import SafeZip, unsafe_name_reason
from ingest.formats import detect as detect_format
from ingest.whatsapp import Parser, chat_name_from, jalali_to_gregorian

ROOT = Path(__file__).resolve().parents[1]
WA = Path(__file__).resolve().parents[2] / "shared" / "real-exports" / "whatsapp"
SAMPLE = ROOT / "samples" / "whatsapp" / "WhatsApp Chat - Drive 13 commande.zip"
LRM = "\u200e"

# -- helpers --------------------------------------------------------------------------------------


def _import(root: Path, *paths, **kw):
    with open_workspace(root, create=True) as ws:
        results = import_paths(ws, list(paths), user="test-whatsapp", **kw)
        items = list(iter_items(ws, events=True))
    return results, items


def _parse(path: Path, **kw) -> tuple[Chat, list[dict], Parser]:
    """The parser alone (for what the store does not keep yet, such as `text_encoding`)."""
    p = Parser(path, origin=path, **kw)
    records = list(p.records())
    chat, items = records[0], records[1:]
    assert isinstance(chat, Chat)
    return chat, items, p


def _write_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, (2026, 12, 1, 0, 0, 0)),
                       data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


ANDROID_CHAT = ("12/12/2026, 18:02 - Karim: Salut\n"
                "12/12/2026, 18:04 - Drive 13: Oui c'est ici\n")


# -- the real exports ----------------------------------------------------------------------------

# (posts, events, authors of posts, earliest UTC, latest UTC) of each chat, read from the files.
REAL = {
    # Android, "12/9/20": both fields <= 12, so day first is assumed: 12 September 2020, CEST.
    "chat-analytics_4A_11M": (11, 3, {"Alice", "Bob", "Eve", "Mallory", "Trent"},
                              "2020-09-12T21:16:00Z", "2020-09-12T21:56:00Z"),
    "chat-miner_ddmmyy_24hrs": (7, 2, {"John Doe", "Jahn Doe", "John-John Doe", "John Doe 🤓", "🤓"},
                                "2019-01-01T10:25:00Z", "2021-12-30T21:01:00Z"),
    "chat-miner_mmddyyyy_12hrs": (7, 2, {"John Doe", "Jahn Doe", "John-John Doe", "John Doe 🤓",
                                         "🤓"}, "2019-01-01T10:25:00Z", "2021-12-30T21:01:00Z"),
    "chat-miner_yyyymmdd_24hrs": (7, 2, {"John Doe", "Jahn Doe", "John-John Doe", "John Doe 🤓",
                                         "🤓"}, "2019-01-01T10:25:00Z", "2021-12-30T21:01:00Z"),
    # 60 message lines: the encryption notice and two missed calls are events.
    "whats_json_android_EN": (57, 3, {"Dmitry S", "Elon"},
                              "2022-03-18T13:56:00Z", "2023-01-07T22:32:00Z"),
    # "11/01/2023": ambiguous, day first: 11 January 2023 (the same phone's other export is
    # dd/mm/yyyy). 16 system lines, 4 messages.
    "whats_json_android_group": (4, 16, {"Dmitry S"}, "2023-01-11T15:11:00Z",
                                 "2023-01-11T15:57:00Z"),
    # iOS: the encryption notice and two security code changes are events.
    "whats_json_ios_Arabic": (22, 3, {"Dmitry S", "Elon Musk"},
                              "2022-03-18T13:56:01Z", "2023-01-07T22:32:30Z"),
    "whats_json_ios_EN": (22, 3, {"Dmitry S", "Elon Musk"},
                          "2022-03-18T13:56:01Z", "2023-01-07T22:32:30Z"),
    "whats_json_ios_FR": (22, 3, {"Dmitry S", "Elon Musk"},
                          "2022-03-18T13:56:00Z", "2023-01-07T22:32:30Z"),
    "whats_json_ios_RU": (22, 3, {"Dmitry Starkov", "Elon Musk"},
                          "2022-03-18T13:56:00Z", "2023-01-07T22:32:30Z"),
    # Buddhist years: 2565 BE is 2022, 2566 BE is 2023.
    "whats_json_ios_buddhist_calendar": (25, 3, {"Dmitry S", "Elon Musk"},
                                         "2022-03-18T13:56:01Z", "2023-01-12T14:35:15Z"),
    # dd.mm.yyyy; 31 October 2016 is after the change back to CET (30 October).
    "whatstk_pokemon": (18, 2, {"Ash Ketchum", "Brock", "Misty", "Prof. Oak", "Jessie & James",
                                "Raichu", "Meowth", "Wobbuffet"},
                        "2016-04-15T13:04:00Z", "2016-10-31T11:23:00Z"),
}
GROUPS = {"chat-analytics_4A_11M", "chat-miner_ddmmyy_24hrs", "chat-miner_mmddyyyy_12hrs",
          "chat-miner_yyyymmdd_24hrs", "whats_json_android_group", "whatstk_pokemon"}


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """Every real WhatsApp export imported in one call: results by file, items and type by chat."""
    assert WA.is_dir(), f"the real exports are missing: {WA} (they must sit beside the repo)"
    root = tmp_path_factory.mktemp("wa-real") / "ws"
    with open_workspace(root, create=True) as ws:
        results = import_paths(ws, [WA], user="test-whatsapp")
        items = list(iter_items(ws, events=True))
        types = dict(ws.con.execute("SELECT name, chat_type FROM chats").fetchall())
    by_chat: dict[str, list[dict]] = {}
    for item in items:
        by_chat.setdefault(item["chat"], []).append(item)
    return {Path(r.path).name: r for r in results}, by_chat, types


def test_every_real_export_imports(real):
    """All 13 files are read by the WhatsApp parser; the zip of chat-analytics repeats its .txt."""
    results, _, _ = real
    assert sorted(results) == sorted(p.name for p in WA.iterdir())
    for name, r in results.items():
        assert (r.status, r.format) == ("ingested", "whatsapp"), (name, r.reason)
    # The same chat as .txt and as .zip (same lines, CRLF in the zip): nothing duplicated.
    assert results["chat-analytics_4A_11M.txt"].items_new == 14
    zipped = results["chat-analytics_4A_11M.zip"]
    assert (zipped.items_new, zipped.items_unchanged) == (0, 14)


@pytest.mark.parametrize("chat", sorted(REAL))
def test_real_export_counts_authors_and_times(real, chat):
    """Posts, events, authors and first/last UTC time of each real export, read by eye."""
    posts, events, authors, first, last = REAL[chat]
    items = real[1][chat]
    kinds = Counter(i["kind"] for i in items)
    assert (kinds["post"], kinds["event"]) == (posts, events)
    assert {i["author"] for i in items if i["kind"] == "post"} == authors
    times = sorted(i["posted_at"] for i in items)
    assert (times[0], times[-1]) == (first, last)
    assert {i["tz_assumed"] for i in items} == {"Europe/Paris"}
    assert all(i["message_id"] is None for i in items)
    assert len({i["item_key"] for i in items}) == len(items)


def test_real_chats_are_named_from_files_and_typed(real):
    """Chats are named after the file (or zip) and typed group / personal_chat by what they hold."""
    _, by_chat, types = real
    assert set(by_chat) == set(types) == set(REAL)
    for chat, items in by_chat.items():
        assert {i["platform"] for i in items} == {"whatsapp"}
        assert {i["chat_external_id"] for i in items} == {f"name:{chat}"}
    assert {c for c, t in types.items() if t == "group"} == GROUPS
    assert {c for c, t in types.items() if t == "personal_chat"} == set(REAL) - GROUPS


def test_android_english_media_deleted_multiline_and_calls(real):
    """whats_json_android_EN: 27 '<Media omitted>', 2 vcf attachments absent from a bare .txt,
    8 deleted messages, a three-line Foursquare message, two missed calls by Dmitry S."""
    items = real[1]["whats_json_android_EN"]
    media = [i["media"][0] for i in items if i["media"]]
    assert Counter(d["placeholder"] for d in media) == {
        "<Media omitted>": 27, "Alex.vcf (file attached)": 1, "TR.vcf (file attached)": 1}
    assert all(d["included"] is False for d in media)
    vcf = [d for d in media if d["kind"] == "contact"]
    assert [d["file_name"] for d in vcf] == ["Alex.vcf", "TR.vcf"]
    deleted = [i for i in items if i["extra"].get("deleted")]
    assert Counter(i["text"] for i in deleted) == {"This message was deleted": 6,
                                                   "You deleted this message": 2}
    assert {i["kind"] for i in deleted} == {"post"}
    [pimlico] = [i for i in items if i["text"].startswith("Pimlico")]
    assert pimlico["text"] == ("Pimlico Gardens\nLondon, United Kingdom\n"
                               "https://foursquare.com/v/4e89af95e5fa82ad4c0aa03b")
    assert pimlico["posted_at"] == "2022-03-27T19:46:00Z"    # 21:46 CEST, the day clocks changed
    calls = [i for i in items if i["action"] == "phone_call"]
    assert [(c["author"], c["text"], c["posted_at"]) for c in calls] == [
        ("Dmitry S", "Missed voice call", "2023-01-07T22:32:00Z")] * 2
    [notice] = [i for i in items if i["action"] == "encryption_notice"]
    assert notice["author"] is None and notice["posted_at"] == "2022-03-23T12:31:00Z"


def test_android_group_system_lines_are_events(real):
    """whats_json_android_group: every system line is an event with its action and actor."""
    items = real[1]["whats_json_android_group"]
    events = [(i["action"], i["author"]) for i in items if i["kind"] == "event"]
    assert Counter(events) == {
        ("encryption_notice", None): 1, ("create_group", "Dmitry S"): 1,
        ("invite_members", "Dmitry S"): 1, ("group_settings", "Dmitry S"): 3,
        ("edit_group_description", "Dmitry S"): 1, ("edit_group_description", None): 1,
        ("admin_change", None): 1, ("edit_group_title", None): 1, ("set_messages_ttl", None): 4,
        ("join_group_by_link", "+7 999 999-99-99"): 1, ("remove_members", "Dmitry S"): 1}
    [title] = [i for i in items if i["action"] == "edit_group_title"]
    assert title["text"] == 'You changed the subject from "Group Chat" to "Group Chat XXX"'
    assert title["extra"]["subject"] == "Group Chat XXX"
    [created] = [i for i in items if i["action"] == "create_group"]
    assert created["extra"]["subject"] == "Group Chat"
    assert [i["text"] for i in items if i["kind"] == "post"] == [
        "Hello all", "This is group chat", "This message was deleted", "We"]


def test_ios_exports_in_four_languages(real):
    """iOS EN, FR, RU and Arabic: placeholders by kind, documents by name, deletions, notices."""
    expected_kinds = ["photo", "photo", "video", "audio", "contact", "sticker", "sticker",
                      "file", "file", "file", "photo", "gif", "photo", "video"]
    placeholders = {
        "whats_json_ios_EN": ("image omitted", "You deleted this message.",
                              "This message was deleted."),
        "whats_json_ios_FR": ("image absente", "Vous avez supprimé ce message.",
                              "Ce message a été supprimé."),
        "whats_json_ios_RU": ("изображение отсутствует", "Вы удалили данное сообщение.",
                              "Данное сообщение удалено."),
        "whats_json_ios_Arabic": ("لم يتم إدراج الصورة", "لقد حذَفت هذه الرسالة.",
                                  "تم حذف هذه الرسالة."),
    }
    for chat, (image, you_deleted, deleted) in placeholders.items():
        items = real[1][chat]
        media = [i["media"][0] for i in items if i["media"]]
        assert [d["kind"] for d in media] == expected_kinds, chat
        assert media[0] == {"kind": "photo", "included": False, "placeholder": image}, chat
        docs = [d for d in media if d["kind"] == "file"]
        assert [d["file_name"] for d in docs] == ["Some file.txt", "Resume-Dmitry-Starkov.pdf",
                                                  "Template.docx"], chat
        assert [i["text"] for i in items if i["extra"].get("deleted")] == [you_deleted, deleted]
        assert [i["action"] for i in items if i["kind"] == "event"] == [
            "encryption_notice", "security_code_change", "security_code_change"], chat
        notice = next(i for i in items if i["kind"] == "event")
        assert notice["author"] is None and notice["extra"]["shown_as"] == "Elon Musk"
        assert LRM not in notice["text"] and "\u200f" not in notice["text"]
    [pdf] = [i["media"][0] for i in real[1]["whats_json_ios_EN"]
             if i["media"] and i["media"][0].get("file_name") == "Resume-Dmitry-Starkov.pdf"]
    assert pdf["details"] == ["2 pages"]
    fr = real[1]["whats_json_ios_FR"]
    assert fr[-1]["text"] == ("Votre code de sécurité avec Elon a changé. "
                              "Appuyez pour en savoir plus.")
    assert fr[-1]["extra"]["subject"] == "Elon"


def test_ios_times_cross_the_spring_change(real):
    """[3/27/22, 21:41:35] is CEST (clocks changed that morning): 19:41:35 UTC."""
    hello = [i for i in real[1]["whats_json_ios_EN"] if i["text"] == "Hello World"]
    assert [i["posted_at"] for i in hello] == ["2022-03-27T19:41:35Z", "2022-03-27T19:53:30Z"]
    assert [i["posted_offset"] for i in hello] == ["+02:00", "+02:00"]
    first = real[1]["whats_json_ios_EN"][0]
    assert first["posted_offset"] == "+01:00"


def test_chat_miner_files_agree_across_date_forms(real):
    """dd/mm/yy 24h, mm/dd/yyyy with 'a. m.'/'p. m.', and yyyy/mm/dd give the same messages."""
    def rows(chat):
        return [(i["posted_at"], i["author"], i["text"], i["action"]) for i in real[1][chat]]

    dd = rows("chat-miner_ddmmyy_24hrs")
    assert rows("chat-miner_mmddyyyy_12hrs") == dd
    assert rows("chat-miner_yyyymmdd_24hrs") == dd
    by_text = {r[2]: r for r in dd}
    assert by_text["."][1] == "John Doe"                      # "John Doe:." (no space)
    assert by_text["Lorem ipsum : dolor sit amet."][1] == "John-John Doe"
    assert by_text['+12 345 578 created group "Groupname"'][3] == "create_group"
    assert by_text["You were added"][0] == "2020-06-30T07:10:00Z"
    # "06/20/2020, 00:08 a. m." is eight minutes past midnight, CEST.
    assert by_text['+12 345 578 created group "Groupname"'][0] == "2020-06-19T22:08:00Z"
    multi = [r for r in dd if "\n" in r[2]]
    assert [(r[1], r[2]) for r in multi] == [
        ("Jahn Doe", "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit. Duis libero."),
        ("John Doe", "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit. Duis libero.")]


def test_pokemon_group_notices_and_authors(real):
    """whatstk: 'Pokemon Chat: Messages and calls…' is a notice shown under the chat's name."""
    items = real[1]["whatstk_pokemon"]
    notices = [i for i in items if i["kind"] == "event"]
    assert [(n["action"], n["author"], n["extra"].get("shown_as")) for n in notices] == [
        ("encryption_notice", None, "Pokemon Chat"), ("encryption_notice", None, None)]
    assert notices[1]["text"].startswith("Messages you send to this group are now secured")
    assert items[-1]["text"] == "Wo-bbu-ffet"     # the file's trailing empty line is not text


def test_date_order_when_the_file_cannot_tell():
    """chat-analytics '12/9/20': day first is assumed and noted; date_order='mdy' reads December;
    a file whose dates prove their order is read in that order."""
    _, items, p = _parse(WA / "chat-analytics_4A_11M.txt")
    assert p.notes["date_order"] == "dmy" and p.notes["date_order_from"] == "assumed"
    _, items_mdy, p_mdy = _parse(WA / "chat-analytics_4A_11M.txt", date_order="mdy")
    assert p_mdy.notes["date_order_from"] == "given"
    # 9 December 2020 23:55 CET is 22:55 UTC
    assert datetime.fromtimestamp(items_mdy[0]["posted_epoch"], timezone.utc).isoformat() == \
        "2020-12-09T22:55:00+00:00"
    # a file that proves its order keeps it, whatever order is given
    _, _, p_ios = _parse(WA / "whats_json_ios_EN.txt", date_order="dmy")
    assert (p_ios.notes["date_order"], p_ios.notes["date_order_from"]) == ("mdy", "inferred")
    assert p_ios.notes["date_order_given_but_contradicted"] == "dmy"
    with pytest.raises(ValueError):
        Parser(WA / "whats_json_ios_EN.txt", date_order="day-first")


def test_every_item_records_its_text_encoding():
    """UTF-8 files record 'utf-8' on every item (the parser's output, as the store gets it)."""
    for name in ("whats_json_ios_Arabic.txt", "whats_json_ios_RU.zip"):
        _, items, p = _parse(WA / name)
        assert {i["text_encoding"] for i in items} == {"utf-8"}
        assert p.notes["text_encoding"] == "utf-8"
        assert p.tz_assumed == "Europe/Paris"


# -- the sample -----------------------------------------------------------------------------------


def test_sample_zip_imports_with_its_photo_linked(tmp_path):
    """The fictional sample: 29 posts, 2 notices, the attached PNG hashed from the zip, a
    photo absent, two deleted messages, a multi-line menu; December 2026 in CET."""
    [r], items = _import(tmp_path / "ws", SAMPLE)
    assert (r.status, r.items_new) == ("ingested", 31), r.reason
    assert {i["chat"] for i in items} == {"Drive 13 commande"}
    kinds = Counter(i["kind"] for i in items)
    assert (kinds["post"], kinds["event"]) == (29, 2)
    assert {i["author"] for i in items if i["kind"] == "post"} == {"Karim", "Drive 13 commande"}
    with zipfile.ZipFile(SAMPLE) as z:
        png = z.read("00000007-PHOTO-2026-12-12-18-09-12.png")
    [photo] = [i for i in items if i["media"] and i["media"][0]["included"]]
    assert photo["media"] == [{
        "kind": "photo", "file_name": "00000007-PHOTO-2026-12-12-18-09-12.png",
        "placeholder": "<attached: 00000007-PHOTO-2026-12-12-18-09-12.png>", "included": True,
        "path": "00000007-PHOTO-2026-12-12-18-09-12.png",
        "sha256": hashlib.sha256(png).hexdigest(), "size": len(png), "container": "zip"}]
    assert photo["posted_at"] == "2026-12-12T17:09:12Z" and photo["text"] == ""
    [absent] = [i for i in items if i["media"] and not i["media"][0]["included"]]
    assert absent["media"][0]["placeholder"] == "image absente"
    assert [i["text"] for i in items if i["extra"].get("deleted")] == [
        "Ce message a été supprimé.", "Vous avez supprimé ce message."]
    [menu] = [i for i in items if i["text"].startswith("MENU DE NOËL")]
    assert menu["text"].splitlines()[1:3] == ["🍃 10g = 50€", "🍫 le G à 50 / 3 pour 100"]
    assert items[-1]["posted_at"] == "2026-12-24T22:24:57Z"
    assert [i["action"] for i in items if i["kind"] == "event"] == [
        "encryption_notice", "security_code_change"]


def test_sample_script_is_deterministic(tmp_path):
    """samples/whatsapp.py rewrites the committed zip bit for bit."""
    import runpy
    import sys
    argv = sys.argv
    sys.argv = ["whatsapp.py", "--out", str(tmp_path)]
    try:
        with pytest.raises(SystemExit) as done:
            runpy.run_path(str(ROOT / "samples" / "whatsapp.py"), run_name="__main__")
    finally:
        sys.argv = argv
    assert done.value.code == 0
    assert (tmp_path / "whatsapp" / SAMPLE.name).read_bytes() == SAMPLE.read_bytes()


# -- forms of many locales ------------------------------------------------------------------------

@pytest.mark.parametrize("line, utc", [
    # Android, 12-hour with a narrow no-break space (U+202F) before PM, month first
    ("12/24/26, 11:05\u202fPM - Karim: salut", "2026-12-24T22:05:00Z"),
    # no-break space (U+00A0) and lower case
    ("12/24/26, 11:05\u00a0pm - Karim: salut", "2026-12-24T22:05:00Z"),
    # Spanish 'p. m.' and 12 a.m. is midnight
    ("24/12/2026, 12:05 a. m. - Karim: salut", "2026-12-23T23:05:00Z"),
    # French Android with 'à'
    ("24/12/2026 à 23:05 - Karim: salut", "2026-12-24T22:05:00Z"),
    # German dd.mm.yy
    ("24.12.26, 23:05 - Karim: salut", "2026-12-24T22:05:00Z"),
    # year first with dashes, iOS
    ("[2026-12-24, 23:05:09] Karim: salut", "2026-12-24T22:05:09Z"),
    # iOS 12-hour with seconds and U+202F, direction marks around the date
    (f"{LRM}[{LRM}24/12/2026, 11:05:09\u202fPM] Karim: salut", "2026-12-24T22:05:09Z"),
    # Arabic: Arabic comma, 'م' (PM) after the time, Arabic-Indic digits
    ("[\u200f٢٤\u200f/١٢\u200f/٢٠٢٦، ١١:٠٥:٠٩ م] Karim: salut", "2026-12-24T22:05:09Z"),
    # Chinese '下午' (afternoon) before the time
    ("[2026/12/24 下午11:05:09] Karim: salut", "2026-12-24T22:05:09Z"),
    # Buddhist year written in full
    ("[24/12/2569 BE, 23:05:09] Karim: salut", "2026-12-24T22:05:09Z"),
    # Persian (Solar Hijri) year: 3 Dey 1405 is 24 December 2026
    ("[1405/10/03, 23:05:09] Karim: salut", "2026-12-24T22:05:09Z"),
    # older iOS, no brackets, ': ' after the time
    ("12/24/26, 11:05:09 PM: Karim: salut", "2026-12-24T22:05:09Z"),
])
def test_date_and_time_forms(tmp_path, line, utc):
    """One message line in each form imports at the right instant (Paris, CET)."""
    f = tmp_path / "WhatsApp Chat with Karim.txt"
    f.write_text(line + "\n", encoding="utf-8")
    [r], items = _import(tmp_path / "ws", f)
    assert r.status == "ingested", r.reason
    [item] = items
    assert (item["author"], item["text"], item["posted_at"]) == ("Karim", "salut", utc)
    assert item["chat"] == "Karim"


def test_persian_calendar_conversion():
    """Nowruz: 1 Farvardin 1401 = 21 March 2022, 1403 = 20 March 2024; 1403 is a leap year."""
    from datetime import date
    assert jalali_to_gregorian(1401, 1, 1) == date(2022, 3, 21)
    assert jalali_to_gregorian(1403, 1, 1) == date(2024, 3, 20)
    assert jalali_to_gregorian(1403, 12, 30) == date(2025, 3, 20)
    assert jalali_to_gregorian(1404, 1, 1) == date(2025, 3, 21)


def test_tz_is_assumed_as_given(tmp_path):
    """Local times are read in --tz and recorded as assumed, on items and on the source file."""
    _, items = _import(tmp_path / "ws", WA / "whats_json_ios_EN.txt", tz="America/New_York")
    # 3/18/22 14:56:01 in New York, EDT since 13 March: 18:56:01 UTC
    assert items[0]["posted_at"] == "2022-03-18T18:56:01Z"
    assert items[0]["posted_offset"] == "-04:00" and items[0]["tz_assumed"] == "America/New_York"
    with open_workspace(tmp_path / "ws", read_only=True) as ws:
        assert ws.con.execute("SELECT tz_assumed FROM source_files").fetchone()[0] == \
            "America/New_York"


def test_crlf_bom_continuations_edits_and_repeated_lines(tmp_path):
    """A BOM, CRLF, a message continued over lines, an edited one, the same text twice."""
    f = tmp_path / "WhatsApp Chat with Nadia.txt"
    f.write_bytes(("\ufeff24/12/2026, 20:00 - Nadia: Menu :\r\n10g = 50€\r\n\r\nfin\r\n"
                   "24/12/2026, 20:01 - Nadia: ok\r\n"
                   "24/12/2026, 20:01 - Nadia: ok\r\n"
                   "24/12/2026, 20:02 - Nadia: prix changé <This message was edited>\r\n"
                   ).encode("utf-8"))
    [r], items = _import(tmp_path / "ws", f)
    assert r.items_new == 4, r.reason
    assert items[0]["author"] == "Nadia"
    assert items[0]["text"] == "Menu :\n10g = 50€\n\nfin"
    assert [i["text"] for i in items[1:3]] == ["ok", "ok"]
    assert items[1]["item_key"] != items[2]["item_key"]
    assert items[3]["text"] == "prix changé" and items[3]["extra"]["edited"] is True


def test_overlapping_exports_do_not_duplicate(tmp_path):
    """Two exports of one chat that overlap (one with media, one without) share their messages;
    the same text twice in one second stays two messages."""
    early = tmp_path / "lundi" / "WhatsApp Chat - Drive" / "_chat.txt"
    late = tmp_path / "mardi" / "WhatsApp Chat - Drive" / "_chat.txt"
    common = ("[24/12/2026 20:00:00] Drive: Menu dispo\n"
              "[24/12/2026 20:00:30] Drive: ok\n"
              "[24/12/2026 20:00:30] Drive: ok\n")
    early.parent.mkdir(parents=True)
    early.write_text("[24/12/2026 19:59:00] Karim: Salut\n" + common
                     + f"{LRM}[24/12/2026 20:01:00] Drive: {LRM}image omitted\n", encoding="utf-8")
    late.parent.mkdir(parents=True)
    late.write_text(common + f"{LRM}[24/12/2026 20:01:00] Drive: {LRM}<attached: "
                    "00000001-PHOTO-2026-12-24-20-01-00.jpg>\n"
                    "[24/12/2026 20:05:00] Karim: Merci\n", encoding="utf-8")
    [first], _ = _import(tmp_path / "ws", early)
    assert first.items_new == 5
    [second], items = _import(tmp_path / "ws", late)
    assert (second.items_new, second.items_unchanged) == (1, 4)
    assert {i["chat"] for i in items} == {"Drive"}
    assert [i["text"] for i in items] == ["Salut", "Menu dispo", "ok", "ok", "", "Merci"]


def test_android_zip_links_attachments_with_captions(tmp_path):
    """'IMG-….jpg (file attached)' and a caption line: linked to the member, caption as text."""
    jpg = b"\xff\xd8\xff\xe0 not really a jpeg \xff\xd9"
    z = _write_zip(tmp_path / "WhatsApp Chat with Drive 13.zip", {
        "WhatsApp Chat with Drive 13.txt": (
            "24/12/2026, 20:00 - Drive 13: IMG-20261224-WA0001.jpg (fichier joint)\n"
            "La box de Noël\n"
            "24/12/2026, 20:01 - Drive 13: PTT-20261224-WA0002.opus (file attached)\n"
            "24/12/2026, 20:02 - Drive 13: VID-20261224-WA0003.mp4 (file attached)\n"),
        "IMG-20261224-WA0001.jpg": jpg,
        "PTT-20261224-WA0002.opus": b"OggS voice",
        "unrelated.bin": b"x",
    })
    [r], items = _import(tmp_path / "ws", z)
    assert r.status == "ingested", r.reason
    assert [i["chat"] for i in items] == ["Drive 13"] * 3
    photo, voice, video = (i["media"][0] for i in items)
    assert items[0]["text"] == "La box de Noël"
    assert (photo["kind"], photo["included"], photo["path"], photo["size"], photo["sha256"]) == (
        "photo", True, "IMG-20261224-WA0001.jpg", len(jpg), hashlib.sha256(jpg).hexdigest())
    assert (voice["kind"], voice["included"]) == ("audio", True)
    assert (video["kind"], video["included"], video["file_name"]) == (
        "video", False, "VID-20261224-WA0003.mp4")
    with open_workspace(tmp_path / "ws", read_only=True) as ws:
        notes = ws.con.execute("SELECT notes FROM source_files").fetchone()[0]
    assert '"attachments_linked":2' in notes and '"attachments_missing":1' in notes
    assert '"members_not_referenced":1' in notes


def test_attachments_beside_a_bare_txt_are_linked(tmp_path):
    """An unzipped iOS export: the .txt's companions in its folder are hashed, nothing else."""
    folder = tmp_path / "WhatsApp Chat - Drive 13"
    folder.mkdir()
    (folder / "00000003-PHOTO-2026-12-24-20-00-00.jpg").write_bytes(b"photo bytes")
    (tmp_path / "secret.jpg").write_bytes(b"outside")
    (folder / "_chat.txt").write_text(
        f"{LRM}[24/12/2026 20:00:00] Drive 13: "
        f"{LRM}<attached: 00000003-PHOTO-2026-12-24-20-00-00.jpg>\n"
        f"{LRM}[24/12/2026 20:00:01] Drive 13: {LRM}<attached: ../secret.jpg>\n", encoding="utf-8")
    [r], items = _import(tmp_path / "ws", folder / "_chat.txt")
    assert r.status == "ingested", r.reason
    inside, outside = (i["media"][0] for i in items)
    assert (inside["included"], inside["container"], inside["sha256"]) == (
        True, "folder", hashlib.sha256(b"photo bytes").hexdigest())
    assert outside["included"] is False          # a name that climbs out is never opened
    assert items[0]["chat"] == "Drive 13"


def test_cp1252_text_is_decoded_and_its_encoding_recorded(tmp_path):
    """A chat re-saved in Windows' 'ANSI' (cp1252): accents and € read right, encoding noted."""
    f = tmp_path / "WhatsApp Chat with Mélanie.txt"
    text = ("12/12/2026, 18:02 - Mélanie: Ça marche, je préfère en espèces. "
            "Où et à quelle heure ?\n"
            "12/12/2026, 18:04 - Drive 13: Livraison à domicile, menu de Noël : 10g = 50€\n"
            "Très bien, à côté de la gare\n")
    f.write_bytes(text.encode("cp1252"))
    with pytest.raises(UnicodeDecodeError):
        f.read_bytes().decode("utf-8")
    [r], items = _import(tmp_path / "ws", f)
    assert r.status == "ingested", r.reason
    assert items[0]["author"] == "Mélanie"
    assert items[0]["text"] == "Ça marche, je préfère en espèces. Où et à quelle heure ?"
    assert items[1]["text"] == ("Livraison à domicile, menu de Noël : 10g = 50€\n"
                                "Très bien, à côté de la gare")
    _, parsed, p = _parse(f)
    assert {i["text_encoding"] for i in parsed} == {"cp1252"}
    assert p.notes["text_encoding"] == "cp1252"


def test_a_late_non_utf8_line_is_found_and_decoded(tmp_path):
    """Two megabytes of plain ASCII, then one cp1252 line: detection looks where UTF-8 failed."""
    f = tmp_path / "WhatsApp Chat with Long.txt"
    ascii_line = "12/12/2026, 18:02 - Long: ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok\n"
    late = "13/12/2026, 09:00 - Long: Ça y est, je suis arrivé à la gare, où êtes-vous ?\n"
    f.write_bytes(ascii_line.encode() * 30_000 + late.encode("cp1252"))
    _, items, p = _parse(f)
    assert len(items) == 30_001
    assert items[-1]["text"] == "Ça y est, je suis arrivé à la gare, où êtes-vous ?"
    assert p.notes["text_encoding"] == "cp1252"


def test_bytes_the_detected_encoding_cannot_read_are_replaced_and_noted(tmp_path, monkeypatch):
    """When the encoding found fails further on, the text is kept with U+FFFD and it is noted."""
    import ingest.whatsapp as wa
    monkeypatch.setattr(wa, "detect_encoding", lambda sample: "cp1252")
    f = tmp_path / "WhatsApp Chat with Abîmé.txt"
    f.write_bytes("12/12/2026, 18:02 - Abîmé: déjà\n".encode("cp1252")
                  + b"12/12/2026, 18:03 - Abi: \x81\n")
    _, items, p = _parse(f)
    assert [i["text"] for i in items] == ["déjà", "\ufffd"]
    assert p.notes["undecodable_bytes_replaced"] is True


def test_utf16_text_with_a_bom_is_read(tmp_path):
    """Notepad's 'Unicode' (UTF-16 with a BOM) is read and recorded as utf-16."""
    f = tmp_path / "WhatsApp Chat with Nadia.txt"
    f.write_bytes(("24/12/2026, 20:00 - Nadia: joyeux Noël 🎄\n").encode("utf-16"))
    [r], items = _import(tmp_path / "ws", f)
    assert r.status == "ingested", r.reason
    assert items[0]["text"] == "joyeux Noël 🎄"
    _, parsed, _ = _parse(f)
    assert parsed[0]["text_encoding"] == "utf-16"


# -- detection ------------------------------------------------------------------------------------


def test_detection_claims_whatsapp_files_only(tmp_path):
    """A WhatsApp .txt/.zip is claimed; other .txt and .zip files are left to other parsers."""
    wa = tmp_path / "notes.txt"
    wa.write_text(ANDROID_CHAT, encoding="utf-8")
    other = tmp_path / "liste.txt"
    other.write_text("acheter du pain\n12 rue des Lilas\n", encoding="utf-8")
    other_zip = _write_zip(tmp_path / "photos.zip", {"a.jpg": b"x", "notes.txt": "hello"})
    wa_zip = _write_zip(tmp_path / "export.zip", {"_chat.txt": ANDROID_CHAT})
    assert detect_format(wa) == "whatsapp"
    assert detect_format(WA / "whats_json_ios_Arabic.txt") == "whatsapp"
    assert detect_format(wa_zip) == "whatsapp"
    assert detect_format(other) is None
    assert detect_format(other_zip) is None


def test_chat_names_from_file_names():
    """Names in several languages lose WhatsApp's words; other names are kept."""
    assert chat_name_from("WhatsApp Chat with Alice") == "Alice"
    assert chat_name_from("WhatsApp Chat - Groupe") == "Groupe"
    assert chat_name_from("Discussion WhatsApp avec Bob") == "Bob"
    assert chat_name_from("WhatsApp Chat mit Jan") == "Jan"
    assert chat_name_from("whatstk_pokemon") == "whatstk_pokemon"


# -- hostile files --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> Path:
    """A WhatsApp zip with a 300 MB member of zeros, deflated to about 300 KB."""
    path = tmp_path_factory.mktemp("bomb") / "WhatsApp Chat - Bombe.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_chat.txt", ANDROID_CHAT)
        with z.open("00000002-VIDEO-2026-12-12-18-04-00.mp4", "w") as f:
            block = bytes(1 << 20)
            for _ in range(300):
                f.write(block)
    assert path.stat().st_size < 1_000_000
    return path


def test_hostile_files_are_rejected_while_the_others_import(tmp_path, zip_bomb):
    """Each bad file gets a clear reason; the good ones of the same call import; nothing is
    written outside the workspace."""
    good1 = tmp_path / "in" / "WhatsApp Chat with Alice.txt"
    good1.parent.mkdir()
    good1.write_text(ANDROID_CHAT, encoding="utf-8")
    whole = SAMPLE.read_bytes()
    truncated = tmp_path / "in" / "WhatsApp Chat - Tronque.zip"
    truncated.write_bytes(whole[: len(whole) // 2])
    random_named = tmp_path / "in" / "WhatsApp Chat - Faux.zip"
    random_named.write_bytes(bytes(range(256)) * 40)
    random_plain = tmp_path / "in" / "archive.zip"
    random_plain.write_bytes(bytes(range(255, -1, -1)) * 40)
    empty = tmp_path / "in" / "WhatsApp Chat with Vide.txt"
    empty.write_bytes(b"")
    evil = f"recoupe-evil-{tmp_path.name}.txt"
    climbing = _write_zip(tmp_path / "in" / "WhatsApp Chat - Grimpe.zip",
                          {"_chat.txt": ANDROID_CHAT, f"../../{evil}": "pwned"})
    absolute = _write_zip(tmp_path / "in" / "WhatsApp Chat - Absolu.zip",
                          {"_chat.txt": ANDROID_CHAT, f"/tmp/{evil}": "pwned"})
    good2 = SAMPLE
    before = _files_under(tmp_path)
    paths = [good1, truncated, random_named, random_plain, empty, climbing, absolute, zip_bomb,
             good2]
    results, items = _import(tmp_path / "ws", *paths)
    by_name = {Path(r.path).name: r for r in results}
    assert by_name[good1.name].status == "ingested"
    assert by_name[good2.name].status == "ingested"
    reasons = {name: r.reason for name, r in by_name.items() if r.status == "rejected"}
    assert set(reasons) == {p.name for p in paths[1:-1]}
    for name, reason in reasons.items():
        assert reason.startswith(name + ": "), reason
    assert "truncated or damaged" in reasons[truncated.name]
    assert "not a zip archive" in reasons[random_named.name]
    assert "not a format Recoupe reads" in reasons[random_plain.name]
    assert "the file is empty" in reasons[empty.name]
    assert "climbs out of its folder" in reasons[climbing.name]
    assert "absolute path" in reasons[absolute.name]
    assert "zip bomb" in reasons[zip_bomb.name] and "300 MB" in reasons[zip_bomb.name]
    assert {i["chat"] for i in items} == {"Alice", "Drive 13 commande"}
    # nothing written anywhere but the workspace: no evil file, no extracted member
    after = _files_under(tmp_path)
    outside = {p for p in after - before if (tmp_path / "ws") not in p.parents}
    assert outside == set()
    assert not Path("/tmp", evil).exists() and not (tmp_path.parent / evil).exists()
    stored = {p.name for p in (tmp_path / "ws" / "sources").iterdir()}
    assert stored == {r.sha256 for r in results if r.status == "ingested"}


@pytest.mark.parametrize("name, why", [
    ("../evil.txt", "climbs out"), ("a/../../evil.txt", "climbs out"),
    ("..\\evil.txt", "climbs out"), ("/etc/passwd", "absolute"), ("\\\\server\\x", "absolute"),
    ("C:\\Windows\\x.txt", "drive letter"), ("c:evil.txt", "drive letter"),
    ("ok.txt\x00.jpg", "NUL or control"), ("", "empty"),
])
def test_unsafe_member_names(name, why):
    """Every way a member name can point outside a folder is refused, with a reason."""
    assert why in unsafe_name_reason(name)


def test_safe_member_names_pass():
    assert unsafe_name_reason("_chat.txt") is None
    assert unsafe_name_reason("WhatsApp Chat - X/00000001-PHOTO-2026.jpg") is None
    assert unsafe_name_reason("a..b.txt") is None


def _patch_headers(path: Path, *, flag: int | None = None, size: int | None = None) -> None:
    """Rewrite the general-purpose flag or the uncompressed size in both headers of member 0."""
    data = bytearray(path.read_bytes())
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    if flag is not None:
        struct.pack_into("<H", data, local + 6, flag)
        struct.pack_into("<H", data, central + 8, flag)
    if size is not None:
        struct.pack_into("<I", data, local + 22, size)
        struct.pack_into("<I", data, central + 24, size)
    path.write_bytes(bytes(data))


def test_encrypted_members_are_refused(tmp_path):
    """A member flagged as encrypted (a password-protected zip) is refused by name."""
    z = _write_zip(tmp_path / "x.zip", {"_chat.txt": ANDROID_CHAT})
    _patch_headers(z, flag=0x1)
    with pytest.raises(Rejected, match="encrypted"):
        SafeZip(z)


def test_a_header_that_lies_about_size_is_caught_while_reading(tmp_path):
    """A member declaring 100 bytes but holding 5,000 is stopped, never trusted."""
    z = _write_zip(tmp_path / "x.zip", {"_chat.txt": "x" * 5000})
    _patch_headers(z, size=100)
    with SafeZip(z) as archive:
        assert archive.member("_chat.txt").size == 100
        with pytest.raises(Rejected, match="damaged|holds more"):
            archive.read("_chat.txt")


def test_a_per_call_limit_bounds_a_member(tmp_path):
    """A caller's limit (200 MB for a chat text) is enforced on the declared size."""
    z = _write_zip(tmp_path / "x.zip", {"_chat.txt": "x" * 5000})
    with SafeZip(z) as archive:
        assert archive.read("_chat.txt", limit=5000) == b"x" * 5000
        with pytest.raises(Rejected, match="above the 1000 bytes limit"):
            archive.read("_chat.txt", limit=1000)


def test_zips_with_several_or_no_chat_texts_are_refused(tmp_path):
    """A zip of two exports, or a WhatsApp-named zip without a chat text, says so."""
    two = _write_zip(tmp_path / "WhatsApp Chat - Deux.zip",
                     {"a/_chat.txt": ANDROID_CHAT, "b/_chat.txt": ANDROID_CHAT})
    none = _write_zip(tmp_path / "WhatsApp Chat - Rien.zip", {"photo.jpg": b"x"})
    results, _ = _import(tmp_path / "ws", two, none)
    reasons = [r.reason for r in results]
    assert "several chat texts" in reasons[0]
    assert "no WhatsApp chat text" in reasons[1]


def test_bad_dates_are_refused_with_the_line(tmp_path):
    """Dates in both orders, an impossible date, or the Hijri calendar: a reason naming the line."""
    both = tmp_path / "WhatsApp Chat with A.txt"
    both.write_text("13/01/2026, 10:00 - A: x\n01/13/2026, 10:00 - A: y\n", encoding="utf-8")
    feb = tmp_path / "WhatsApp Chat with B.txt"
    feb.write_text("30/02/2026, 10:00 - B: x\n13/01/2026, 10:00 - B: y\n", encoding="utf-8")
    hijri = tmp_path / "WhatsApp Chat with C.txt"
    hijri.write_text("[1448/06/13, 10:00:00] C: x\n", encoding="utf-8")
    garbage = tmp_path / "WhatsApp Chat with D.txt"
    garbage.write_text("hello\n24/12/2026, 10:00 - D: x\n", encoding="utf-8")
    results, items = _import(tmp_path / "ws", both, feb, hijri, garbage)
    assert items == []
    reasons = [r.reason for r in results]
    assert "day first (line 1) and month first (line 2)" in reasons[0]
    assert "line 1: its date is not a day of the calendar" in reasons[1]
    assert "Islamic (Hijri) calendar" in reasons[2]
    assert "first line is not a WhatsApp message line" in reasons[3]
