"""Telegram Desktop HTML exports: `messages.html`, `messages2.html`, ... one page per source file.

Telegram Desktop writes a chat exported as HTML in pages of 1,000 messages. Each page is imported
as its own source file: this parser reads one page with lxml and yields the chat (known only by the
name in the page header: a page holds no chat id) and then its messages, in the shape
`telegram_json` gives them.

* `div.message.default` are posts. A post Telegram drew as `joined` (same sender as the post above
  it, a few minutes later) has no sender name: it takes the previous post's. When a page starts
  with such posts, the sender is read from the page before it (messages.html before
  messages2.html, messages{N-1}.html before messages{N}.html) in the folder the file was handed in
  from (`origin`); when that page is not there the author stays empty and `notes` says so.
* `div.message.service` with a positive id are events (action "service", their text as written).
  Those with a negative id are the day separators Telegram draws ("4 September 2018"): neither
  posts nor events. Telegram writes no time on service messages: each takes the time of the day
  separator or message just before it (`extra["time_from"]` names which; `notes` counts them).
* Times come from the `title` of the post's date: "01.11.2026 10:15:00 UTC+01:00" in recent
  exports (the offset is kept) or "01.11.2026 10:15:00" in older ones (read in `tz`, recorded as
  assumed).
* Text is the `div.text` flattened (`<br>` is a line break), its formatting kept as entities shaped
  like `telegram_json`'s (bold, links with their href, mentions, hashtags...). Nothing in it is ever
  interpreted: markup Telegram escaped stays literal text, and tags Telegram never writes in a
  message keep only their text (and are counted in `notes`).
* Forwarded posts keep the forwarded-from name, replies the id of the message they answer (links
  to another page too), photos and files their relative path or the export's "not included"
  placeholder. What has no column (signature, via bot, polls, locations, blocks this parser does
  not know) is kept in `extra`.

A page that does not end with `</html>` was cut short (an interrupted copy or an unfinished
export): it is rejected rather than half imported, because messages missing from a page cannot be
told apart from messages deleted from the chat. Copying the page again fixes it.

A page is parsed whole: Telegram puts at most 1,000 messages on one, a few megabytes (a 10 MB page
reads in about a second). The previous page, when it is needed, is only read, never copied.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

import orjson
from lxml import etree, html

from .errors import Rejected
from .model import Chat
from .timeutil import DEFAULT_TZ, local_to_epoch

NAME = "telegram_html"
VERSION = "1"
DESCRIPTION = "Telegram Desktop HTML export (messages.html, messages2.html...)"
PLATFORM = "telegram"

_EPOCH = datetime(1970, 1, 1)

# What detect() looks for in the first bytes: Telegram's page frame and a chat's history.
_FRAME = re.compile(rb"""class=["']page_wrap["']""")
_CHAT_PAGE = re.compile(
    rb"""class=["'](?:history|page_body chat_page|message (?:default|service))""")

_MESSAGE_ID = re.compile(r"message(-?\d+)")
_TITLE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})"
                    r"(?: (UTC)(?:([+-])(\d{2}):(\d{2}))?)?")
_DAY = re.compile(r"(\d{1,2}) ([A-Z][a-z]+) (\d{4})")
_MONTHS = {m: i for i, m in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"), start=1)}
_GO_TO = re.compile(r"go_to_message(\d+)|GoToMessage\((\d+)\)")
_PAGE_NAME = re.compile(r"messages(\d*)(\.html?)", re.IGNORECASE)
_LAST_MESSAGE = re.compile(rb'id="message(\d+)"')

# Formatting tags and what telegram_json calls the entity.
_TAG_ENTITIES = {
    "strong": "bold", "b": "bold", "em": "italic", "i": "italic", "u": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "code": "code",
    "pre": "pre", "blockquote": "blockquote",
}
# Links Telegram draws with a script call instead of an address.
_ONCLICK_ENTITIES = (
    ("ShowHashtag", "hashtag"), ("ShowCashtag", "cashtag"), ("ShowBotCommand", "bot_command"),
    ("ShowMentionName", "mention_name"), ("ShowNotLoadedEmoji", "custom_emoji"),
    ("ShowNotAvailableEmoji", "custom_emoji"),
)
# Tags Telegram writes in a message's text besides the formatting ones.
_TEXT_TAGS = {"a", "span", "br"}

# Media drawn with a link of their own: the link's class says what they are.
_WRAP_KINDS = {"photo_wrap": "photo", "sticker_wrap": "sticker", "animated_wrap": "animation",
               "video_file_wrap": "video_file"}
# Media drawn as a generic block (`div.media` or `a.media`): its class, or for some its title.
_GENERIC_KINDS = {"media_voice_message": "voice_message", "media_audio_file": "audio_file",
                  "media_file": "file", "media_contact": "contact", "media_location": "location",
                  "media_live_location": "live_location", "media_venue": "venue",
                  "media_game": "game", "media_invoice": "invoice", "media_call": "call"}
_TITLE_KINDS = {"Photo": "photo", "Self-destructing photo": "photo", "Sticker": "sticker",
                "Animation": "animation", "Video file": "video_file",
                "Self-destructing video": "video_file", "Video message": "video_message"}
_FILE_KINDS = {"photo", "sticker", "animation", "video_file", "video_message", "voice_message",
               "audio_file", "file"}
# Blocks of a post's body read into columns; any other block is kept in `extra`.
_KNOWN_BLOCKS = {"date", "from_name", "userpic_wrap", "forwarded", "reply_to", "media_wrap", "text",
                 "signature", "reactions"}


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _child(el, cls: str):
    """The first child element of `el` whose classes include `cls`, or None."""
    for c in el.iterchildren("*"):
        if cls in _classes(c):
            return c
    return None


def _find(root, cls: str, tag: str = "div"):
    """The first `tag` element under `root`, in document order, whose classes include `cls`."""
    for el in root.iter(tag):
        if cls in _classes(el):
            return el
    return None


def _own_text(el) -> str:
    """The text of `el` before its first child element, trimmed (a name before its date span)."""
    return (el.text or "").strip()


def _plain(el) -> str:
    """All the text under `el`, with runs of white space made one space."""
    return " ".join(el.text_content().split())


def _dumps(value) -> str | None:
    if value is None or value == [] or value == {}:
        return None
    return orjson.dumps(value).decode()


def _parse(raw: bytes, notes: dict):
    """The page's element tree. Bytes that are not UTF-8 are replaced (and noted), never guessed."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        notes["not_utf8_from_byte"] = exc.start
        raw = raw.decode("utf-8", "replace").encode("utf-8")
    try:
        # a parser per page: lxml parsers must not be shared between threads (the app's imports)
        return html.document_fromstring(raw, parser=html.HTMLParser(encoding="utf-8"))
    except etree.ParserError:
        raise Rejected("no HTML in it: is it a page of a Telegram Desktop export?") from None


def _history(root):
    """The `div.history` that holds a chat page's messages, or None."""
    return _find(root, "history")


def _title_offset(m: re.Match) -> int | None:
    """Minutes east of UTC that a matched date title gives ("UTC" alone is 0), or None."""
    if not m[7]:
        return None
    if not m[8]:
        return 0
    return (1 if m[8] == "+" else -1) * (int(m[9]) * 60 + int(m[10]))


def _split_via(name: str) -> tuple[str | None, str | None]:
    """("Name", "@bot") from Telegram's "Name via @bot"; the name alone otherwise."""
    who, sep, bot = name.rpartition(" via @")
    if sep and who and bot:
        return who, "@" + bot
    return (name or None), None


def _entity(el) -> tuple[str, str | None] | None:
    """(entity type, href) that an element of a message's text stands for, or None."""
    tag = el.tag
    if tag in _TAG_ENTITIES:
        return _TAG_ENTITIES[tag], None
    if tag == "span":
        return ("spoiler", None) if "spoiler" in _classes(el) else None
    if tag != "a":
        return None
    onclick = el.get("onclick") or ""
    for marker, kind in _ONCLICK_ENTITIES:
        if marker in onclick:
            return kind, None
    href = (el.get("href") or "").strip()
    if not href:
        return None
    text = el.text_content()
    if href.startswith("mailto:"):
        return "email", None
    if href.startswith("tel:"):
        return "phone", None
    if href == text:
        return "link", None
    if text.startswith("@") and href.rstrip("/").endswith("/" + text[1:]):
        return "mention", None
    return "text_link", href


def _flatten(root, unexpected: dict[str, int]) -> tuple[str, list[dict]]:
    """The plain text under `root` and its entities ({type, text, offset, length[, href]}).

    `<br>` is a line break; white space around the whole text (the page's indentation) is trimmed.
    Elements that are not Telegram formatting keep their text, comments are dropped; both are
    counted in `unexpected`. Walked without recursion, so no nesting depth can exhaust the stack.
    """
    pieces: list[str] = [root.text or ""]
    pos = len(pieces[0])
    entities: list[dict] = []
    # each open element: (element, its remaining children, entity type, href, where it began)
    stack = [(root, iter(root), None, None, 0)]
    while stack:
        el, children, kind, href, start = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if el is root:
                break
            if kind is not None and pos > start:
                ent = {"type": kind, "offset": start, "length": pos - start}
                if href is not None:
                    ent["href"] = href
                entities.append(ent)
            if el.tail:
                pieces.append(el.tail)
                pos += len(el.tail)
            continue
        if not isinstance(child.tag, str):  # a comment: not the message's text, but its tail is
            unexpected["comment"] = unexpected.get("comment", 0) + 1
            if child.tail:
                pieces.append(child.tail)
                pos += len(child.tail)
            continue
        if child.tag == "br":
            pieces.append("\n")
            pos += 1
        found = _entity(child)
        if found is None and child.tag not in _TEXT_TAGS:
            unexpected[child.tag] = unexpected.get(child.tag, 0) + 1
        stack.append((child, iter(child), *(found or (None, None)), pos))
        if child.text:
            pieces.append(child.text)
            pos += len(child.text)
    text = "".join(pieces)
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    end = lead + len(stripped)
    out = []
    for ent in sorted(entities, key=lambda e: e["offset"]):
        a, b = max(ent["offset"], lead), min(ent["offset"] + ent["length"], end)
        if b <= a:
            continue
        shaped = {"type": ent["type"], "text": text[a:b], "offset": a - lead, "length": b - a}
        if "href" in ent:
            shaped["href"] = ent["href"]
        out.append(shaped)
    return stripped, out


def _message_link(el) -> int | None:
    """The id a "go to message" link under `el` points at (on this page or another), or None."""
    for a in el.iter("a"):
        m = _GO_TO.search(a.get("href") or "") or _GO_TO.search(a.get("onclick") or "")
        if m:
            return int(m[1] or m[2])
    return None


def _media(wrap, extra: dict) -> list[dict]:
    """Media descriptors of a `div.media_wrap`; what is no file (a poll, a place) goes to extra."""
    out = []
    for el in wrap.iterchildren("*"):
        cls = _classes(el)
        wrap_kind = next((k for c, k in _WRAP_KINDS.items() if c in cls), None)
        if wrap_kind is not None:
            d = {"kind": wrap_kind, "included": True, "path": el.get("href")}
            img = next(el.iter("img"), None)
            if img is not None and img.get("src"):
                d["thumbnail"] = img.get("src")
            out.append(d)
        elif "media_poll" in cls:
            poll = {key: _plain(part) for key in ("question", "details", "total")
                    if (part := _child(el, key)) is not None}
            poll["answers"] = [_plain(a) for a in el.iterchildren("*") if "answer" in _classes(a)]
            extra["poll"] = poll
        elif "media" in cls:
            _generic_media(el, cls, out, extra)
        else:
            extra.setdefault("html_media", []).append(_plain(el))
    return out


def _generic_media(el, cls: set[str], out: list[dict], extra: dict) -> None:
    """A generic media block: a title, a description and a status, with a link when it is a file."""
    body = _child(el, "body")
    labels = {}
    for key in ("title", "description", "status"):
        part = _child(body, key) if body is not None else None
        if part is not None and _plain(part):
            labels[key] = _plain(part)
    kind = next((k for c, k in _GENERIC_KINDS.items() if c in cls), None)
    if kind is None:
        kind = _TITLE_KINDS.get(labels.get("title", ""), "file")
    link = el.get("href") if el.tag == "a" else None
    is_web = bool(link) and link.lower().startswith(("http://", "https://"))
    if kind == "contact" and link and not is_web:
        kind = "vcard"
    if kind not in _FILE_KINDS and kind != "vcard":
        info = dict(labels)
        if link:
            info["link"] = link
        extra[kind] = info
        return
    d: dict = {"kind": kind}
    if link and not is_web:
        d["included"] = True
        d["path"] = link
    else:
        d["included"] = False
        d["placeholder"] = labels.get("description") or labels.get("status") or labels.get("title")
    if kind == "file" and labels.get("title") not in (None, "File"):
        d["file_name"] = labels["title"]
    elif labels.get("title") and labels["title"] not in _TITLE_KINDS:
        d["title"] = labels["title"]
    if "status" in labels:
        d["status"] = labels["status"]
    thumb = next(el.iter("img"), None)
    if thumb is not None and thumb.get("src"):
        d["thumbnail"] = thumb.get("src")
    out.append(d)


def _reactions(block) -> list[dict]:
    """Reactions as telegram_json has them: {type, emoji, count} (the text when no count shows)."""
    out = []
    for r in block.iter("span"):
        if "reaction" not in _classes(r):
            continue
        emoji, count = _child(r, "emoji"), _child(r, "count")
        entry: dict = {"type": "emoji"}
        if count is not None and _plain(count).isdigit():
            entry["count"] = int(_plain(count))
        else:
            entry["text"] = _plain(r)
        entry["emoji"] = _plain(emoji) if emoji is not None else None
        out.append(entry)
    return out


def _last_sender(history) -> tuple[str | None, str | None] | None:
    """(author, via bot) of the last post of a page that names its sender, or None."""
    for div in reversed(list(history.iterchildren("div"))):
        cls = _classes(div)
        if "message" in cls and "service" not in cls and "joined" not in cls:
            body = _child(div, "body")
            name = _child(body, "from_name") if body is not None else None
            if name is not None:
                return _split_via(_own_text(name))
    return None


def _previous_page(path: Path) -> Path | None:
    """messages.html for messages2.html, messages{N-1}.html for messages{N}.html; else None."""
    m = _PAGE_NAME.fullmatch(path.name)
    if not m or int(m[1] or 1) < 2:
        return None
    n = int(m[1])
    return path.with_name(f"messages{'' if n == 2 else n - 1}{m[2]}")


@dataclass
class _Clock:
    """The last time seen on the page, lent to the service messages that follow it."""

    epoch: int
    offset: int | None
    assumed: str | None
    source: str


class TelegramHtmlParser:
    """Yields the page's `Chat`, then its posts and events as item dicts."""

    name = NAME
    version = VERSION

    def __init__(self, path, *, tz: str = DEFAULT_TZ, source_sha256: str = "",
                 progress: Callable[[int], None] | None = None, origin=None):
        self.path = Path(path)
        self.origin = Path(origin) if origin is not None else None
        self.tz = tz
        self.sha = source_sha256
        self.progress = progress
        self.notes: dict = {}
        self.tz_assumed: str | None = None
        self._sender: tuple[str | None, str | None] | None = None  # None: not known yet
        self._sender_note: str | None = None  # the notes entry counting posts that continue it
        self._forwarded: str | None = None
        self._clock: _Clock | None = None
        self._page_offset: int | None = None
        self._unexpected: dict[str, int] = {}
        self._seen_keys: dict[str, int] = {}

    # -- the page ------------------------------------------------------------------------------

    def records(self) -> Iterator[Chat | dict]:
        """The page's chat, then its messages in page order; Rejected for a page it cannot read."""
        raw = self.path.read_bytes()
        if self.progress:
            self.progress(len(raw))
        if not raw or raw.isspace():
            raise Rejected("the file is empty")
        if not raw[-4096:].rstrip().lower().endswith(b"</html>"):
            last = _LAST_MESSAGE.findall(raw)
            where = f" (it breaks off in or after message {int(last[-1])})" if last else ""
            raise Rejected(f"the page ends before its closing </html>: a truncated or unfinished "
                           f"copy of the export{where}; copy the page again from the export folder")
        root = _parse(raw, self.notes)
        history = _history(root)
        if history is None:
            raise Rejected("it is HTML but holds no chat history (no div.history): not a page of "
                           "a Telegram Desktop chat export (messages.html)")
        self._page_offset = self._offset_of_page(history)
        yield self._chat(root)
        yield from self._items(history)
        if self._unexpected:
            self.notes["unexpected_markup_in_text"] = self._unexpected

    def _chat(self, root) -> Chat:
        header = _find(root, "page_header")
        title = _find(header, "bold") if header is not None else None
        name = _plain(title) if title is not None else ""
        if name:
            return Chat(PLATFORM, f"name:{name}", name, None, external_id_standin=True)
        return Chat(PLATFORM, f"file:{self.sha[:16]}", None, None, external_id_standin=True)

    def _items(self, history) -> Iterator[dict]:
        pending: dict | None = None
        for div in history.iterchildren("div"):
            cls = _classes(div)
            if "message" not in cls:
                continue
            m = _MESSAGE_ID.fullmatch(div.get("id") or "")
            mid = int(m[1]) if m else None
            if "service" in cls:
                if mid is not None and mid < 0:
                    self._day_separator(div)
                    continue
                item = self._event(div, mid)
            else:
                item = self._post(div, mid, cls)
            if pending is not None:
                _join_album(pending, item)
                yield pending
            pending = item
        if pending is not None:
            yield pending

    # -- times ---------------------------------------------------------------------------------

    def _title_time(self, title: str | None) -> tuple[int, int | None, str | None] | None:
        """(epoch, offset, assumed zone) of a date title, or None when it is not one."""
        m = _TITLE.fullmatch((title or "").strip())
        if not m:
            return None
        day, month, year, hour, minute, second = (int(g) for g in m.groups()[:6])
        try:
            local = datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
        offset = _title_offset(m)
        if offset is not None:
            if abs(offset) > 18 * 60:  # no clock is that far from UTC
                return None
            return int((local - _EPOCH).total_seconds()) - offset * 60, offset, None
        epoch, offset = local_to_epoch(local, self.tz)
        self.tz_assumed = self.tz
        return epoch, offset, self.tz

    def _offset_of_page(self, history) -> int | None:
        """The offset the page's date titles carry (the first title says), or None for none."""
        for el in history.iter("div"):
            m = _TITLE.fullmatch((el.get("title") or "").strip())
            if m:
                return _title_offset(m)
        return None

    def _day_separator(self, div) -> None:
        """A day separator ("4 September 2018"): its midnight goes to the service messages after."""
        label = _plain(div)
        m = _DAY.search(label)
        midnight = None
        if m and m[2] in _MONTHS:
            try:
                midnight = datetime(int(m[3]), _MONTHS[m[2]], int(m[1]))
            except ValueError:  # 31 February
                pass
        if midnight is None:
            self._count("unreadable_day_separators")
            return
        if self._page_offset is not None:
            epoch = int((midnight - _EPOCH).total_seconds()) - self._page_offset * 60
            self._clock = _Clock(epoch, self._page_offset, None, f"day separator {label}")
        else:
            epoch, offset = local_to_epoch(midnight, self.tz)
            self.tz_assumed = self.tz
            self._clock = _Clock(epoch, offset, self.tz, f"day separator {label}")

    def _borrowed_time(self, extra: dict) -> tuple[int | None, int | None, str | None]:
        """The time of the separator or message before a service message that has none."""
        if self._clock is None:
            self._count("service_messages_without_time")
            return None, None, None
        extra["time_from"] = self._clock.source
        self._count("service_messages_timed_by_neighbour")
        self.notes["service_message_times"] = (
            "Telegram's HTML export gives service messages no time: each took the time of the day "
            "separator (midnight) or message just before it")
        return self._clock.epoch, self._clock.offset, self._clock.assumed

    # -- one message ---------------------------------------------------------------------------

    def _count(self, note: str) -> None:
        self.notes[note] = self.notes.get(note, 0) + 1

    def _key(self, mid: int | None, basis: str) -> str:
        """The message id as text; for a message without one, a stand-in made from its content."""
        if mid is not None:
            return str(mid)
        n = self._seen_keys.get(basis, 0)
        self._seen_keys[basis] = n + 1
        self._count("messages_without_id")
        return "h:" + hashlib.sha1(f"{basis}|{n}".encode()).hexdigest()[:20]

    def _post(self, div, mid: int | None, cls: set[str]) -> dict:
        body = _child(div, "body")
        if body is None:
            body = div
        extra: dict = {}
        stamp = next((c for c in body.iterchildren("*")
                      if {"date", "details"} <= _classes(c)), None)
        title = stamp.get("title") if stamp is not None else None
        when = self._title_time(title)
        if when is None:
            if title:
                extra["date_title"] = title
            self._count("posts_without_readable_time")
            when = (None, None, None)
        author, via = self._sender_of(body, "joined" in cls)
        if via:
            extra["via_bot"] = via

        forwarded_body = next((c for c in body.iterchildren("*")
                               if {"forwarded", "body"} <= _classes(c)), None)
        forwarded_from = None
        if forwarded_body is not None:
            name = _child(forwarded_body, "from_name")
            if name is None:  # a forward joined to the one above: same origin
                forwarded_from = self._forwarded
            else:
                forwarded_from, fwd_via = _split_via(_own_text(name))
                if fwd_via:
                    extra["via_bot"] = fwd_via
                original = next((s for s in name.iter("span") if s.get("title")), None)
                if original is not None:
                    extra["forwarded_date"] = original.get("title")
        self._forwarded = forwarded_from

        text, entities, reply, media, reactions = "", [], None, [], None
        blocks = list(body.iterchildren("*"))
        if forwarded_body is not None:
            blocks += list(forwarded_body.iterchildren("*"))
        for block in blocks:
            bcls = _classes(block)
            if "text" in bcls:
                text, entities = _flatten(block, self._unexpected)
            elif "reply_to" in bcls:
                reply = _message_link(block)
                if reply is None:
                    extra["reply_to_text"] = _plain(block)
            elif "media_wrap" in bcls:
                media += _media(block, extra)
            elif "signature" in bcls:
                extra["author"] = _plain(block)
            elif "reactions" in bcls:
                reactions = _reactions(block)
            elif not bcls & _KNOWN_BLOCKS:
                _keep_unknown(block, extra)
        if "joined" in cls:
            extra["joined"] = True
        if when[0] is not None:
            self._clock = _Clock(*when, f"message {mid}")
        return _item(self._key(mid, f"{title}|{author}|{text}"), mid, "post", when, text,
                     entities, extra, author=author, reply=reply, forwarded_from=forwarded_from,
                     media=media, reactions=reactions)

    def _sender_of(self, body, joined: bool) -> tuple[str | None, str | None]:
        """(author, via bot) of a post: its own name, else the sender of the post it continues."""
        name = _child(body, "from_name")
        if not joined:
            self._sender = _split_via(_own_text(name)) if name is not None else (None, None)
            self._sender_note = None
            return self._sender
        if self._sender is None:  # the page starts with a continued post
            self._sender = self._sender_before_page()
        if self._sender_note is not None:
            self.notes[self._sender_note]["posts"] += 1
        return self._sender

    def _sender_before_page(self) -> tuple[str | None, str | None]:
        """The sender the pages before this one end with, read beside `origin` (once per page).

        Pages are followed back while each holds nothing but continued posts. When a page is
        missing or unreadable the sender is unknown, (None, None), and `notes` says why.
        """
        page = self.origin
        if page is None:
            return self._unknown_sender("the file was handed in without its folder, so the "
                                        "previous page could not be looked for")
        while True:
            previous = _previous_page(page)
            if previous is None:
                return self._unknown_sender(
                    f"{page.name} is the first page (or not named messagesN.html), so no "
                    "previous page holds the sender")
            if not previous.is_file():
                return self._unknown_sender(
                    f"the previous page, {previous.name}, is not beside {self.origin.name}")
            try:
                history = _history(_parse(previous.read_bytes(), {}))
            except (OSError, Rejected):
                history = None
            if history is None:
                return self._unknown_sender(
                    f"the previous page, {previous.name}, could not be read")
            sender = _last_sender(history)
            if sender is not None:
                self._sender_note = "sender_from_previous_page"
                self.notes[self._sender_note] = {"page": previous.name, "posts": 0}
                return sender
            page = previous

    def _unknown_sender(self, why: str) -> tuple[None, None]:
        self._sender_note = "sender_unknown"
        self.notes[self._sender_note] = {
            "posts": 0, "why": f"the first posts continue the sender of an earlier page: {why}; "
                               "their author is left empty"}
        return None, None

    def _event(self, div, mid: int | None) -> dict:
        body = _child(div, "body")
        if body is None:
            body = div
        text, entities = _flatten(body, self._unexpected)
        extra: dict = {}
        linked = _message_link(body)
        if linked is not None:
            extra["message_id"] = linked
        own = next((self._title_time(el.get("title")) for el in div.iter()
                    if isinstance(el.tag, str) and el.get("title")), None)
        if own is not None:
            posted, offset, assumed = own
            self._clock = _Clock(posted, offset, assumed, f"message {mid}")
        else:
            posted, offset, assumed = self._borrowed_time(extra)
        media = []
        photo = _find(div, "userpic_link", tag="a")
        if photo is not None and photo.get("href"):
            media.append({"kind": "photo", "included": True, "path": photo.get("href")})
        return _item(self._key(mid, text), mid, "event", (posted, offset, assumed), text,
                     entities, extra, media=media, action="service")


def _keep_unknown(block, extra: dict) -> None:
    """A block of a post this parser does not read: its text and links, kept under its class."""
    kept: dict = {"text": _plain(block)}
    links = [a.get("href") for a in block.iter("a") if a.get("href")]
    if links:
        kept["links"] = links
    name = (block.get("class") or block.tag).split()[0]
    extra.setdefault(f"html_{name}", []).append(kept)


def _join_album(previous: dict, item: dict) -> None:
    """Consecutive posts with media, the same time and the same sender are one album."""
    if (item["kind"] == previous["kind"] == "post" and item["media"] and previous["media"]
            and item["posted_epoch"] is not None
            and item["posted_epoch"] == previous["posted_epoch"]
            and item["author"] == previous["author"]):
        if previous["album_key"] is None:
            previous["album_key"] = f"album:{previous['item_key']}"
        item["album_key"] = previous["album_key"]


def _item(key: str, mid: int | None, kind: str, when: tuple, text: str, entities: list,
          extra: dict, *, author: str | None = None, reply: int | None = None,
          forwarded_from: str | None = None, media: list | None = None,
          reactions: list | None = None, action: str | None = None) -> dict:
    """An item dict with every key of ingest.model.ITEM_FIELDS; `when` is (epoch, offset, zone)."""
    posted, offset, assumed = when
    return {
        "item_key": key,
        "message_id": mid,
        "kind": kind,
        "author": author,
        "author_id": None,
        "posted_epoch": posted,
        "posted_offset_min": offset,
        "tz_assumed": assumed,
        "text": text,
        "entities": _dumps(entities),
        "reply_to": reply,
        "forwarded_from": forwarded_from,
        "forwarded_from_id": None,
        "edited_epoch": None,
        "media": _dumps(media),
        "reactions": _dumps(reactions),
        "buttons": None,
        "action": action,
        "album_key": None,
        "extra": _dumps(extra),
    }


def detect(path, head: bytes) -> bool:
    """An .html/.htm page with Telegram's page frame and a chat history (not its index pages)."""
    return (path.suffix.lower() in (".html", ".htm") and bool(_FRAME.search(head))
            and bool(_CHAT_PAGE.search(head)))


Parser = TelegramHtmlParser
