"""Telegram Desktop HTML exports (messages.html, messages2.html...): ingest/telegram_html.py.

Real pages come from shared/real-exports/telegram-html/cybersec-news/ (a public channel exported
with old date titles that carry no UTC offset, so times are read in Europe/Paris). Every expected
value below was read by eye from those files and written as a literal, with times turned into UTC
by hand (Paris is UTC+02:00 until 28 October 2018, UTC+01:00 after). What the real pages do not
show (forwards, replies, photos, files, a page that starts with continued posts, titles with an
offset) is shown by small pages written here in Telegram's layout, and by the sample channel
rendered as HTML by samples/telegram_html.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.formats import detect  # noqa: E402
from ingest.telegram_html import Parser as HtmlParser  # noqa: E402
from ingest.telegram_json import Parser as JsonParser  # noqa: E402
from recoupe.imports import import_paths  # noqa: E402
from recoupe.items import iter_items  # noqa: E402
from recoupe.workspace import DB_NAME, open_workspace  # noqa: E402

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-exports"
CYBER = REAL / "telegram-html" / "cybersec-news"
CHANNEL = "🛡 Cybersecurity & Privacy news 🛡"
SAMPLE_JSON = ROOT / "samples" / "telegram" / "le-drive-du-13-2026-12-31" / "result.json"
SAMPLE_HTML = ROOT / "samples" / "telegram-html" / "le-drive-du-13"


# -- helpers ---------------------------------------------------------------------------------------

def _import(root: Path, *paths, tz: str = "Europe/Paris"):
    with open_workspace(root, create=True) as ws:
        return import_paths(ws, list(paths), tz=tz, user="test-telegram-html")


def _items(root: Path) -> list[dict]:
    with open_workspace(root, read_only=True) as ws:
        return list(iter_items(ws, events=True))


def _query(root: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(root / DB_NAME), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def page(messages: list[str], *, name: str = "Canal Test", end: bool = True) -> str:
    """A chat page in Telegram Desktop's layout around the given message blocks."""
    head = ('<!DOCTYPE html>\n<html>\n <head>\n  <meta charset="utf-8"/>\n'
            "<title>Exported Data</title>\n </head>\n"
            ' <body onload="CheckLocation();">\n  <div class="page_wrap">\n'
            '   <div class="page_header">\n    <div class="content">\n'
            f'     <div class="text bold">\n{name} \n     </div>\n    </div>\n   </div>\n'
            '   <div class="page_body chat_page">\n    <div class="history">\n')
    tail = "\n    </div>\n   </div>\n  </div>\n </body>\n</html>\n"
    return head + "\n".join(messages) + (tail if end else "")


def post(mid: int, title: str, inner: str, *, sender: str | None = "Canal Test") -> str:
    """A `div.message.default`; without a sender it is drawn `joined` to the post above."""
    cls = "message default clearfix" + (" joined" if sender is None else "")
    return (f'<div class="{cls}" id="message{mid}">\n<div class="body">\n'
            f'<div class="pull_right date details" title="{title}">\n{title[11:16]}\n</div>\n'
            + ("" if sender is None else f'<div class="from_name">\n{sender} \n</div>\n')
            + inner + "\n</div>\n</div>")


def text(html: str) -> str:
    return f'<div class="text">\n{html}\n</div>'


def service(mid: int, html: str) -> str:
    return (f'<div class="message service" id="message{mid}">\n'
            f'<div class="body details">\n{html}\n</div>\n</div>')


def write(path: Path, content: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


# -- the real export -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(tmp_path_factory) -> dict:
    """The three real pages imported as a folder, once: {"results", "items", "root"}."""
    assert CYBER.is_dir(), f"the real exports are missing: {CYBER} (they must sit beside the repo)"
    root = tmp_path_factory.mktemp("cyber") / "ws"
    results = _import(root, CYBER)
    return {"results": results, "items": _items(root), "root": root}


def test_real_pages_are_detected_and_other_html_is_not(tmp_path):
    """The three real pages are claimed as telegram_html; ordinary or index HTML pages are not."""
    for name in ("messages.html", "messages2.html", "messages3.html"):
        assert detect(CYBER / name) == "telegram_html"
    plain = write(tmp_path / "article.html", "<!DOCTYPE html><html><head><title>Menu</title></head>"
                                             '<body><div class="message default">x</div></body></html>')
    index = write(tmp_path / "export_results.html",  # the account export's summary page: no history
                  '<html><head><title>Exported Data</title></head><body><div class="page_wrap">'
                  '<div class="page_header"><div class="content"><div class="text bold">Exported Data'
                  "</div></div></div></div></body></html>")
    renamed = write(tmp_path / "messages.txt", page([post(1, "01.11.2026 10:15:00", text("x"))]))
    assert detect(plain) is None
    assert detect(index) is None
    assert detect(renamed) is None


@pytest.mark.parametrize("name, posts, events, first, last", [
    # page 1: message25 "05.09.2018 16:42:32" ... message1055 "06.11.2018 09:41:13" (joined);
    # one service message (id 1, channel created) and 54 day separators
    ("messages.html", 999, [1], (25, "2018-09-05T14:42:32Z", "+02:00"),
     (1055, "2018-11-06T08:41:13Z", "+01:00")),
    # page 2: message1056 "06.11.2018 10:35:21" ... message2059 "16.01.2019 11:04:14"
    ("messages2.html", 1000, [], (1056, "2018-11-06T09:35:21Z", "+01:00"),
     (2059, "2019-01-16T10:04:14Z", "+01:00")),
    # page 3: message2060 "16.01.2019 12:14:32" ... message3064 "12.03.2019 15:31:03" (joined)
    ("messages3.html", 1000, [], (2060, "2019-01-16T11:14:32Z", "+01:00"),
     (3064, "2019-03-12T14:31:03Z", "+01:00")),
])
def test_real_page_counts_ids_and_times(real, name, posts, events, first, last):
    """Per page: posts and events counted, first and last post with their time read in Paris."""
    mine = [i for i in real["items"] if i["source_file"] == name]
    page_posts = [i for i in mine if i["kind"] == "post"]
    assert len(page_posts) == posts
    assert [i["message_id"] for i in mine if i["kind"] == "event"] == events
    for (mid, utc, offset), item in ((first, page_posts[0]), (last, page_posts[-1])):
        assert (item["message_id"], item["posted_at"], item["posted_offset"]) == (mid, utc, offset)
        assert item["tz_assumed"] == "Europe/Paris"
        assert item["author"] == CHANNEL
        assert item["chat"] == CHANNEL


def test_real_folder_is_the_sum_of_its_pages_and_reimport_changes_nothing(real):
    """Importing the folder stores each page as a source; importing it again changes nothing."""
    root = real["root"]
    assert [(Path(r.path).name, r.format, r.status, r.items_new) for r in real["results"]] == [
        ("messages.html", "telegram_html", "ingested", 1000),
        ("messages2.html", "telegram_html", "ingested", 1000),
        ("messages3.html", "telegram_html", "ingested", 1000)]
    assert len(real["items"]) == 3000
    assert len({i["message_id"] for i in real["items"]}) == 3000
    assert _query(root, "SELECT count(*), min(name) FROM chats") == [(1, CHANNEL)]
    assert _query(root, "SELECT DISTINCT tz_assumed FROM source_files") == [("Europe/Paris",)]
    tables = ("items", "item_sources", "source_files", "chats", "item_versions")
    before = {t: _query(root, f"SELECT count(*) FROM {t}") for t in tables}
    again = _import(root, CYBER)
    assert [(r.status, r.items_unchanged) for r in again] == [("unchanged", 1000)] * 3
    assert {t: _query(root, f"SELECT count(*) FROM {t}") for t in tables} == before


def test_real_day_separators_are_not_items_and_lend_their_day(real):
    """"4 September 2018" (id -1) is no item; the service message under it takes its midnight."""
    assert all(i["message_id"] > 0 for i in real["items"])
    assert not [i for i in real["items"] if i["text"] in ("4 September 2018", "6 November 2018")]
    [created] = [i for i in real["items"] if i["kind"] == "event"]
    assert created["message_id"] == 1
    assert created["text"] == "Channel «Cybersecurity» created"
    assert created["action"] == "service"
    assert created["author"] is None
    # midnight in Paris on 4 September 2018 (summer time) is 22:00 UTC the day before
    assert (created["posted_at"], created["posted_offset"], created["tz_assumed"]) == (
        "2018-09-03T22:00:00Z", "+02:00", "Europe/Paris")
    assert created["extra"] == {"time_from": "day separator 4 September 2018"}
    [notes] = _query(real["root"], "SELECT notes FROM source_files "
                                   "WHERE original_name = 'messages.html'")[0]
    assert json.loads(notes)["service_messages_timed_by_neighbour"] == 1


def test_real_text_formatting_and_link_entities(real):
    """message25: strong, code, a link with its href and em, flattened with <br> as line breaks."""
    by_id = {i["message_id"]: i for i in real["items"]}
    m = by_id[25]
    title = "🕴 Silence Group Quietly Emerges as New Threat to Banks 🕴\n\n"
    summary = ("Though only two members strong, hackers pose a credible threat to banks in Russia "
               "and multiple countries.\n\n")
    expected = title + summary + "📖 Read\n\n" + 'via "Dark Reading".'
    assert m["text"] == expected
    href = ("https://www.darkreading.com/attacks-breaches/silence-group-quietly-emerges-as-new-"
            "threat-to-banks/d/d-id/1332742?_mc=rss_x_drr_edt_aud_dr_x_x-rss-simple")
    assert m["text_entities"] == [
        {"type": "bold", "text": title, "offset": 0, "length": len(title)},
        {"type": "code", "text": summary, "offset": len(title), "length": len(summary)},
        {"type": "text_link", "text": "📖 Read\n\n", "offset": expected.index("📖"),
         "length": len("📖 Read\n\n"), "href": href},
        {"type": "italic", "text": "Dark Reading", "offset": expected.index("Dark"),
         "length": len("Dark Reading")},
    ]
    # message1143 (page 2): a mention drawn as a t.me link, and addresses that are their own text
    kinds = [(e["type"], e["text"]) for e in by_id[1143]["text_entities"]]
    assert ("mention", "@phobia") in kinds
    assert ("link", "hotmail.com") in kinds
    # message1055 (end of page 1): the last post's link to the next messages is not a message
    assert by_id[1055]["text"].startswith("⚠ Facebook wants to reveal your name")


def test_real_escaped_markup_stays_literal_text(real):
    """message1143 shows "&lt;b&gt;&amp;#9000;": the text holds <b>&#9000; as characters, no entity."""
    m = next(i for i in real["items"] if i["message_id"] == 1143)
    assert m["text"].startswith("<b>&#9000; Bug Bounty Hunter Ran ISP Doxing Service &#9000;</b>\n\n"
                                "<code>A Connecticut man who’s earned bug bounty rewards")
    assert "bold" not in {e["type"] for e in m["text_entities"]}


def test_real_joined_posts_take_the_sender_above(real):
    """message36 is drawn `joined` (no name): it is the channel's, and says it was joined."""
    m = next(i for i in real["items"] if i["message_id"] == 36)
    assert m["author"] == CHANNEL
    assert m["extra"] == {"joined": True}
    assert m["posted_at"] == "2018-09-06T08:29:17Z"  # "06.09.2018 10:29:17", summer time
    # Telegram starts every page afresh: pages 2 and 3 open with a day separator and a named post
    # (message1056, message2060), so the sender a page inherits is shown by the pages below.


# -- pages written here ----------------------------------------------------------------------------

def _two_pages(folder: Path) -> tuple[Path, Path]:
    first = write(folder / "messages.html", page([
        service(-1, "1 November 2026"),
        post(10, "01.11.2026 10:15:00 UTC+01:00", text("Menu"), sender="Le Drive du 13 🎄"),
        post(11, "01.11.2026 10:16:30 UTC+01:00", text("Livraison 13"), sender=None),
        '<a class="pagination block_link" href="messages2.html">\nNext messages\n</a>',
    ]))
    second = write(folder / "messages2.html", page([
        '<a class="pagination block_link" href="messages.html">\nPrevious messages\n</a>',
        service(-2, "1 November 2026"),
        post(12, "01.11.2026 10:20:00 UTC+01:00", text("Suite du menu"), sender=None),
        post(13, "01.11.2026 10:21:00 UTC+01:00", text("Et encore"), sender=None),
        post(14, "01.11.2026 11:00:00 UTC+01:00", text("Avis client"), sender="Marius Delivery"),
        post(15, "01.11.2026 11:01:00 UTC+01:00", text("Merci"), sender=None),
    ]))
    return first, second


def test_a_page_starting_with_joined_posts_takes_the_sender_of_the_page_before(tmp_path):
    """messages2.html opens with joined posts: their sender is the last one named in messages.html."""
    _two_pages(tmp_path / "export")
    results = _import(tmp_path / "ws", tmp_path / "export")
    assert [(Path(r.path).name, r.status, r.items_new) for r in results] == [
        ("messages.html", "ingested", 2), ("messages2.html", "ingested", 4)]
    got = {i["message_id"]: i for i in _items(tmp_path / "ws")}
    assert {k: got[k]["author"] for k in got} == {
        10: "Le Drive du 13 🎄", 11: "Le Drive du 13 🎄", 12: "Le Drive du 13 🎄",
        13: "Le Drive du 13 🎄", 14: "Marius Delivery", 15: "Marius Delivery"}
    # offsets written in the titles are kept: nothing assumed
    assert (got[12]["posted_at"], got[12]["posted_offset"], got[12]["tz_assumed"]) == (
        "2026-11-01T09:20:00Z", "+01:00", None)
    [notes] = _query(tmp_path / "ws", "SELECT notes FROM source_files "
                                      "WHERE original_name = 'messages2.html'")[0]
    assert json.loads(notes) == {"sender_from_previous_page": {"page": "messages.html", "posts": 2}}
    assert _query(tmp_path / "ws", "SELECT tz_assumed FROM source_files") == [(None,), (None,)]


def test_without_the_page_before_the_continued_sender_stays_unknown(tmp_path):
    """messages2.html alone: its first joined posts have no author, and the notes say why."""
    _, second = _two_pages(tmp_path / "export")
    alone = tmp_path / "alone" / "messages2.html"
    alone.parent.mkdir()
    shutil.copy(second, alone)
    [r] = _import(tmp_path / "ws", alone)
    assert r.status == "ingested"
    got = {i["message_id"]: i["author"] for i in _items(tmp_path / "ws")}
    assert got == {12: None, 13: None, 14: "Marius Delivery", 15: "Marius Delivery"}
    [notes] = _query(tmp_path / "ws", "SELECT notes FROM source_files")[0]
    unknown = json.loads(notes)["sender_unknown"]
    assert unknown["posts"] == 2
    assert "messages.html" in unknown["why"] and "not beside" in unknown["why"]


def test_forwards_replies_photos_files_and_placeholders(tmp_path):
    """What the real pages lack, in Telegram's markup: a forward, replies, a photo, a file, a skip."""
    forwarded = ('<div class="pull_left forwarded userpic_wrap"></div>\n'
                 '<div class="forwarded body">\n<div class="from_name">\nMarius Delivery 🛵 '
                 '<span class="date details" title="01.11.2026 09:00:00 UTC+01:00"> 01.11.2026 09:00:00'
                 "</span>\n</div>\n" + text("Le menu est en ligne") + "\n</div>")
    photo = ('<div class="media_wrap clearfix">\n<a class="photo_wrap clearfix pull_left" '
             'href="photos/photo_1@01-11-2026_10-20-00.jpg">\n<img class="photo" '
             'src="photos/photo_1@01-11-2026_10-20-00_thumb.jpg" style="width: 260px; height: 146px"/>'
             "\n</a>\n</div>")
    file = ('<div class="media_wrap clearfix">\n<a class="media clearfix pull_left block_link '
            'media_file" href="files/tarifs noel.pdf">\n<div class="fill pull_left">\n</div>\n'
            '<div class="body">\n<div class="title bold">\ntarifs noel.pdf\n</div>\n'
            '<div class="status details">\n120.5 KB\n</div>\n</div>\n</a>\n</div>')
    skipped = ('<div class="media_wrap clearfix">\n<div class="media clearfix pull_left media_video">'
               '\n<div class="fill pull_left">\n</div>\n<div class="body">\n<div class="title bold">'
               "\nVideo file\n</div>\n<div class=\"description\">\nNot included, change data "
               'exporting settings to download.\n</div>\n<div class="status details">\n00:42, 8.1 MB'
               "\n</div>\n</div>\n</div>\n</div>")
    joined_forward = '<div class="forwarded body">\n' + text("Livraison offerte") + "\n</div>"
    reply = ('<div class="reply_to details">\nIn reply to <a href="#go_to_message20" '
             'onclick="return GoToMessage(20)">this message</a>\n</div>')
    far_reply = ('<div class="reply_to details">\nIn reply to <a href="messages.html#go_to_message3">'
                 "this message</a>\n</div>")
    write(tmp_path / "export" / "messages2.html", page([
        post(20, "01.11.2026 10:15:00 UTC+01:00", forwarded),
        post(21, "01.11.2026 10:15:00 UTC+01:00", joined_forward, sender=None),
        post(22, "01.11.2026 10:20:00 UTC+01:00", reply + photo + text("Photo du menu")),
        post(23, "01.11.2026 12:00:00 UTC+01:00", far_reply + file),
        post(24, "01.11.2026 12:05:00 UTC+01:00", skipped, sender=None),
        service(25, 'Canal Test pinned <a href="#go_to_message22" onclick="return GoToMessage(22)">'
                    "this message</a>"),
    ]))
    _import(tmp_path / "ws", tmp_path / "export")
    got = {i["message_id"]: i for i in _items(tmp_path / "ws")}
    assert got[20]["forwarded_from"] == "Marius Delivery 🛵"
    assert got[20]["author"] == "Canal Test"
    assert got[20]["text"] == "Le menu est en ligne"
    assert got[20]["extra"] == {"forwarded_date": "01.11.2026 09:00:00 UTC+01:00"}
    # a forward joined to the one above names no origin: it is the same
    assert (got[21]["forwarded_from"], got[21]["author"]) == ("Marius Delivery 🛵", "Canal Test")
    assert got[21]["text"] == "Livraison offerte"
    assert got[22]["reply_to"] == 20 and got[22]["forwarded_from"] is None
    assert got[22]["media"] == [{"kind": "photo", "included": True,
                                 "path": "photos/photo_1@01-11-2026_10-20-00.jpg",
                                 "thumbnail": "photos/photo_1@01-11-2026_10-20-00_thumb.jpg"}]
    assert got[22]["text"] == "Photo du menu"
    assert got[23]["reply_to"] == 3, "a reply to a message on another page keeps its id"
    assert got[23]["media"] == [{"kind": "file", "included": True, "path": "files/tarifs noel.pdf",
                                 "file_name": "tarifs noel.pdf", "status": "120.5 KB"}]
    assert got[23]["text"] == ""
    assert got[24]["media"] == [{"kind": "video_file", "included": False,
                                 "placeholder": "Not included, change data exporting settings to "
                                                "download.", "status": "00:42, 8.1 MB"}]
    assert got[24]["author"] == "Canal Test"
    assert got[25]["kind"] == "event" and got[25]["extra"]["message_id"] == 22
    # the service message has no time of its own: it takes the post above it
    assert got[25]["posted_at"] == got[24]["posted_at"] == "2026-11-01T11:05:00Z"
    assert got[25]["extra"]["time_from"] == "message 24"


def test_titles_without_offset_are_read_in_the_zone_given(tmp_path):
    """An old title ("14.07.2026 12:00:00") is local time: read in --tz, which is recorded."""
    write(tmp_path / "export" / "messages.html",
          page([post(1, "14.07.2026 12:00:00", text("été"))]))
    _import(tmp_path / "ws", tmp_path / "export", tz="America/New_York")
    [item] = _items(tmp_path / "ws")
    assert (item["posted_at"], item["posted_offset"], item["tz_assumed"]) == (
        "2026-07-14T16:00:00Z", "-04:00", "America/New_York")
    assert _query(tmp_path / "ws", "SELECT tz_assumed FROM source_files") == [("America/New_York",)]


# -- hostile files ---------------------------------------------------------------------------------

def test_other_html_is_rejected_when_named_and_passed_over_in_a_folder(tmp_path):
    """A web page named directly is refused as an unknown format; inside a folder it is skipped."""
    web = write(tmp_path / "dl" / "boutique.html",
                "<!DOCTYPE html><html><body><h1>Le Drive</h1><p>10g = 60€</p></body></html>")
    [r] = _import(tmp_path / "ws", web)
    assert r.status == "rejected"
    assert r.reason.startswith("boutique.html: not a format Recoupe reads")
    assert _import(tmp_path / "ws", tmp_path / "dl") == []


def test_truncated_page_is_rejected_with_its_reason_and_the_other_pages_import(tmp_path):
    """A page cut mid-message is refused whole (no half page stored); the pages beside it import.

    Rejected rather than read up to the cut: messages missing from the end of a page would look
    like messages deleted from the channel, and copying the page again fixes it.
    """
    folder = tmp_path / "export"
    folder.mkdir()
    shutil.copy(CYBER / "messages.html", folder / "messages.html")
    whole = (CYBER / "messages2.html").read_bytes()
    cut = whole.index(b'id="message1500"') + 400  # inside message1500
    (folder / "messages2.html").write_bytes(whole[:cut])
    results = _import(tmp_path / "ws", folder)
    by_name = {Path(r.path).name: r for r in results}
    assert by_name["messages.html"].status == "ingested"
    bad = by_name["messages2.html"]
    assert bad.status == "rejected"
    assert bad.reason.startswith("messages2.html: the page ends before its closing </html>")
    assert "truncated" in bad.reason and "message 1500" in bad.reason
    assert {i["source_file"] for i in _items(tmp_path / "ws")} == {"messages.html"}
    assert _query(tmp_path / "ws", "SELECT count(*) FROM source_files") == [(1,)]


def test_markup_in_a_message_stays_inert_text(tmp_path):
    """Escaped markup is literal text; raw markup keeps only its text (a comment not even that)."""
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; 10g = 60€"
    injected = ('<script>alert(2)</script><img src="x" onerror="alert(3)">Promo <!-- caché -->'
                '<a href="javascript:alert(4)">ici</a>')
    write(tmp_path / "export" / "messages.html", page([
        post(1, "01.11.2026 10:15:00 UTC+01:00", text(escaped)),
        post(2, "01.11.2026 10:16:00 UTC+01:00", text(injected), sender=None),
    ]))
    [r] = _import(tmp_path / "ws", tmp_path / "export")
    assert r.status == "ingested"
    got = {i["message_id"]: i for i in _items(tmp_path / "ws")}
    assert got[1]["text"] == "<script>alert(1)</script> <img src=x onerror=alert(1)> 10g = 60€"
    assert got[1]["text_entities"] is None
    assert got[2]["text"] == "alert(2)Promo ici"
    # the only entity is the link, its address kept as a string, never followed
    assert got[2]["text_entities"] == [{"type": "text_link", "text": "ici", "offset": 14,
                                        "length": 3, "href": "javascript:alert(4)"}]
    [notes] = _query(tmp_path / "ws", "SELECT notes FROM source_files")[0]
    assert json.loads(notes)["unexpected_markup_in_text"] == {"script": 1, "img": 1, "comment": 1}


def test_bytes_that_are_not_utf8_are_replaced_and_noted(tmp_path):
    """A page re-saved in Latin-1 ("é" as one byte) still imports; the bad byte is shown and noted."""
    content = page([post(1, "01.11.2026 10:15:00 UTC+01:00", text("livraison rapide"))])
    raw = content.encode("utf-8").replace(b"livraison rapide", b"livraison \xe9clair")
    write(tmp_path / "export" / "messages.html", "")
    (tmp_path / "export" / "messages.html").write_bytes(raw)
    [r] = _import(tmp_path / "ws", tmp_path / "export")
    assert r.status == "ingested"
    [item] = _items(tmp_path / "ws")
    assert item["text"] == "livraison \ufffdclair"
    [notes] = _query(tmp_path / "ws", "SELECT notes FROM source_files")[0]
    assert json.loads(notes)["not_utf8_from_byte"] == raw.index(b"\xe9")


# -- the sample channel, as JSON and as HTML ---------------------------------------------------------

def test_sample_html_pages_are_what_the_script_writes(tmp_path):
    """samples/telegram_html.py rewrites the committed pages byte for byte."""
    out = tmp_path / "html"
    subprocess.run([sys.executable, str(ROOT / "samples" / "telegram_html.py"), "--out", str(out)],
                   check=True, capture_output=True, timeout=120)
    assert sorted(p.name for p in out.iterdir()) == ["messages.html", "messages2.html"]
    for p in out.iterdir():
        assert p.read_bytes() == (SAMPLE_HTML / p.name).read_bytes(), p.name


def test_sample_channel_gives_the_same_messages_as_json_and_as_html():
    """Parsed alone, result.json and its HTML rendering give the same ids, texts and times."""
    json_items = list(JsonParser(SAMPLE_JSON).records())[1:]
    html_items, pages = [], {}
    for name in ("messages.html", "messages2.html"):
        path = SAMPLE_HTML / name
        parser = HtmlParser(path, origin=path)
        records = list(parser.records())
        assert records[0].name == "Le Drive du 13 🎄"
        pages[name] = records[1:]
        html_items += records[1:]
        assert parser.tz_assumed is None  # titles carry UTC+01:00
    assert [len(v) for v in pages.values()] == [100, 65]  # 165 messages, 100 a page
    assert [i["message_id"] for i in html_items] == [i["message_id"] for i in json_items]
    for j, h in zip(json_items, html_items):
        assert h["kind"] == j["kind"], j["message_id"]
        if j["kind"] == "post":
            assert (h["text"], h["posted_epoch"], h["posted_offset_min"]) == (
                j["text"], j["posted_epoch"], j["posted_offset_min"]), j["message_id"]
            assert (h["author"], h["entities"], h["reply_to"], h["album_key"]) == (
                j["author"], j["entities"], j["reply_to"], j["album_key"]), j["message_id"]
        else:
            # a service message has no time in HTML: it borrows the one before it, same day
            assert h["posted_epoch"] <= j["posted_epoch"] < h["posted_epoch"] + 86400, j["message_id"]
