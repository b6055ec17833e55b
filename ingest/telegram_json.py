"""Telegram Desktop JSON exports (`result.json`), single-chat and full-account.

Read as a stream (ijson's C backend): memory does not grow with the file. A single-chat export
takes the fast path (ijson builds each message in C); a full-account export (`chats.list`,
`left_chats.list`) is walked event by event so that a chat's header is known before its messages.

What Telegram writes that strict JSON forbids (raw control characters inside strings) is escaped
on the way in; keys this parser does not know are kept in `extra`, never refused.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Callable, Iterator

import ijson
import orjson

from .errors import Rejected
from .model import Chat
from .timeutil import DEFAULT_TZ, local_to_epoch, offset_between

NAME = "telegram_json"
VERSION = "1"
DESCRIPTION = "Telegram Desktop JSON export (result.json)"
PLATFORM = "telegram"

CHUNK = 1 << 16
_CTRL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SPECIAL = re.compile(rb'["\\\x00-\x1f]')
_SCALARS = {"string", "number", "boolean", "null"}

# Keys read into columns; every other key of a message goes to `extra`.
_MEDIA_KEYS = (
    "photo", "photo_file_size", "file", "file_name", "file_size", "thumbnail",
    "thumbnail_file_size", "media_type", "mime_type", "duration_seconds", "width", "height",
    "sticker_emoji", "performer", "media_spoiler", "self_destruct_period_seconds",
    "contact_vcard", "contact_vcard_file_size",
)
_COLUMN_KEYS = {
    "id", "type", "date", "date_unixtime", "edited", "edited_unixtime", "from", "from_id",
    "actor", "actor_id", "text", "text_entities", "reply_to_message_id", "forwarded_from",
    "forwarded_from_id", "reactions", "inline_bot_buttons", "action",
}


class _Reader:
    """A file wrapper that makes Telegram's almost-JSON readable by a strict parser.

    Fast mode escapes the control characters that are never valid anywhere in JSON. String mode
    (used only when a file turns out to have raw tabs or newlines inside strings) tracks whether
    it is inside a string and escapes every control character there.
    """

    def __init__(self, raw, progress: Callable[[int], None] | None, strings: bool):
        self.raw = raw
        self.progress = progress
        self.strings = strings
        self.in_str = False
        self.escaped = False
        self.control_chars = 0
        self.first = True

    def read(self, n: int = CHUNK) -> bytes:
        data = self.raw.read(n)
        if self.progress and data:
            self.progress(len(data))
        if not data:
            return data
        if self.first:
            self.first = False
            if data.startswith(b"\xef\xbb\xbf"):  # a byte-order mark, as some editors write
                data = data[3:]
        if self.strings:
            return self._escape_in_strings(data)
        if _CTRL.search(data):
            self.control_chars += len(_CTRL.findall(data))
            data = _CTRL.sub(lambda m: b"\\u%04x" % m[0][0], data)
        return data

    def _escape_in_strings(self, data: bytes) -> bytes:
        out, last = [], 0
        skip = 0 if self.escaped else -1
        self.escaped = False
        for m in _SPECIAL.finditer(data):
            i = m.start()
            if i == skip:
                continue
            c = data[i]
            if c == 0x22:
                self.in_str = not self.in_str
            elif c == 0x5C:
                if self.in_str:
                    if i + 1 == len(data):
                        self.escaped = True
                    else:
                        skip = i + 1
            elif self.in_str or c not in (0x09, 0x0A, 0x0D):
                self.control_chars += 1
                out.append(data[last:i])
                out.append(b"\\u%04x" % c)
                last = i + 1
        if not out:
            return data
        out.append(data[last:])
        return b"".join(out)


def _reason(exc: Exception, size: int) -> str:
    text = str(exc)
    if isinstance(exc, ijson.IncompleteJSONError) and "premature EOF" in text:
        if size == 0:
            return "the file is empty"
        return "the file ends before its JSON is complete: a truncated or unfinished export"
    msg = exc.args[0] if exc.args else ""
    if isinstance(msg, bytes):  # yajl's messages quote the offending bytes: keep the words only
        msg = msg.decode("utf-8", "replace")
    msg = str(msg).strip()
    first = msg.splitlines()[0].strip().rstrip(".") if msg else type(exc).__name__
    return f"it is not valid JSON ({first}); is it a Telegram Desktop export?"


def flatten_text(text, text_entities=None) -> tuple[str, list[dict]]:
    """Flatten Telegram's `text` (a string, or a list of strings and entity objects).

    Returns the plain text and the non-plain entities with their offset and length in it. When
    `text` is a plain string, the entities come from `text_entities` (newer exports write both).
    """
    if isinstance(text, list):
        return _flatten_parts(text)
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if not (isinstance(text_entities, list) and text_entities):
        return text, []
    spelled, entities = _flatten_parts(text_entities)
    if not text:
        return spelled, entities
    if spelled != text:  # entities that do not spell the text: place each where it appears
        cursor = 0
        for ent in entities:
            found = text.find(ent["text"], cursor)
            ent["offset"] = found if found >= 0 else None
            if found >= 0:
                cursor = found + len(ent["text"])
    return text, entities


def _flatten_parts(parts: list) -> tuple[str, list[dict]]:
    pieces: list[str] = []
    entities: list[dict] = []
    pos = 0
    for part in parts:
        if isinstance(part, str):
            piece = part
        elif isinstance(part, dict):
            piece = part.get("text") or ""
            if not isinstance(piece, str):
                piece = str(piece)
            kind = part.get("type", "plain")
            if kind != "plain":
                ent = {"type": kind, "text": piece, "offset": pos, "length": len(piece)}
                for key in ("href", "user_id", "document_id", "language", "collapsed"):
                    if key in part:
                        ent[key] = part[key]
                entities.append(ent)
        else:
            piece = str(part)
        pieces.append(piece)
        pos += len(piece)
    return "".join(pieces), entities


def _dumps(value) -> str | None:
    if value is None or value == [] or value == {}:
        return None
    return orjson.dumps(value, default=str).decode()


# What the store can hold: BIGINT ids, and times between the years 1 and 9999.
_INT64 = (-(1 << 63), (1 << 63) - 1)
_EPOCHS = (-62135596800, 253402300799)


def _int(value, bounds=_INT64) -> int | None:
    """An integer field of the export, or None when it is not an integer the store can keep
    (a hostile or damaged file may put a boolean, a string or a 30-digit number there)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = int(value)
    except (OverflowError, ValueError):  # inf, nan
        return None
    return number if bounds[0] <= number <= bounds[1] else None


def _str(value) -> str | None:
    """A text field of the export; a number as its digits, a list or object as its JSON."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return str(value)
    return _dumps(value)


def _media(msg: dict) -> list[dict] | None:
    present = [k for k in _MEDIA_KEYS if k in msg]
    if not present:
        return None
    out = []
    for key, kind in (("photo", "photo"), ("file", msg.get("media_type") or "file"),
                      ("contact_vcard", "vcard")):
        value = msg.get(key)
        if value is None:
            continue
        d = {"kind": kind}
        if isinstance(value, str) and value.startswith("(") and value.endswith(")"):
            d["included"] = False
            d["placeholder"] = value
        else:
            d["included"] = True
            d["path"] = value
        size = msg.get(f"{key}_file_size") if key != "file" else msg.get("file_size")
        if size is not None:
            d["size"] = size
        if key == "file":
            for k in ("file_name", "mime_type", "duration_seconds", "sticker_emoji", "performer"):
                if k in msg:
                    d[k] = msg[k]
            if "thumbnail" in msg:
                d["thumbnail"] = msg["thumbnail"]
        if key in ("photo", "file"):
            for k in ("width", "height", "media_spoiler", "self_destruct_period_seconds"):
                if k in msg:
                    d[k] = msg[k]
        out.append(d)
    return out or None  # width/height or a call's duration alone are not media


class TelegramJsonParser:
    """Yields a `Chat`, then that chat's items as dicts, for each chat of the file."""

    name = NAME
    version = VERSION

    def __init__(self, path, *, tz: str = DEFAULT_TZ, source_sha256: str = "",
                 progress: Callable[[int], None] | None = None, origin=None):
        self.path = path
        self.tz = tz
        self.sha = source_sha256
        self.progress = progress
        self.notes: dict = {}
        self.tz_assumed: str | None = None

    # -- reading -----------------------------------------------------------------------------

    def records(self) -> Iterator[Chat | dict]:
        try:
            yield from self._readings()
        except UnicodeDecodeError as exc:  # raised by ijson for a string that is not UTF-8
            raise Rejected(f"it holds bytes that are not UTF-8 text ({exc.reason} at byte "
                           f"{exc.start} of a string): Telegram writes its exports in UTF-8, so "
                           "the file is damaged; export it again") from None

    def _readings(self) -> Iterator[Chat | dict]:
        yielded = 0
        try:
            for rec in self._records(strings=False):
                yielded += 1
                yield rec
            return
        except ijson.IncompleteJSONError as exc:
            if "inside string" not in str(exc):
                raise Rejected(_reason(exc, self._size())) from None
        # Raw tabs or newlines inside strings: read again, escaping inside strings, and skip what
        # was already yielded (the records before the fault are the same in both readings).
        self.notes["raw_control_characters_in_strings"] = True
        try:
            for rec in self._records(strings=True):
                if yielded:
                    yielded -= 1
                    continue
                yield rec
        except ijson.IncompleteJSONError as exc:
            raise Rejected(_reason(exc, self._size())) from None

    def _size(self) -> int:
        import os
        return os.path.getsize(self.path)

    def _open(self, strings: bool, progress: bool) -> _Reader:
        raw = open(self.path, "rb")
        return _Reader(raw, self.progress if progress else None, strings)

    def _records(self, strings: bool) -> Iterator[Chat | dict]:
        head = self._open(strings, progress=False)
        try:
            header, shape = self._scan_header(head)
        finally:
            head.raw.close()
        reader = self._open(strings, progress=True)
        try:
            if shape == "single":
                yield self._chat(header)
                items = ijson.items(reader, "messages.item", use_float=True)
                yield from self._items(items)
            else:
                yield from self._account(reader)
            if reader.control_chars:
                self.notes["control_characters_escaped"] = reader.control_chars
        finally:
            reader.raw.close()

    def _scan_header(self, reader: _Reader) -> tuple[dict, str]:
        header: dict = {}
        for prefix, event, value in ijson.parse(reader, use_float=True):
            if prefix == "messages" and event == "start_array":
                return header, "single"
            if prefix == "" and event == "map_key" and value in ("chats", "left_chats"):
                return header, "account"
            if event in _SCALARS and "." not in prefix and prefix:
                header[prefix] = value
            if prefix == "" and event == "start_array":
                raise Rejected("it is a JSON list, not a Telegram Desktop export (which is an object "
                               "with a 'messages' or 'chats' list)")
        raise Rejected("no 'messages' or 'chats' list in it: it is JSON, but not a Telegram "
                       "Desktop export (result.json)")

    def _chat(self, header: dict) -> Chat:
        name = _str(header.get("name"))
        chat_type = _str(header.get("type"))
        if header.get("id") is not None:
            return Chat(PLATFORM, _str(header["id"]), name, chat_type)
        if name:
            return Chat(PLATFORM, f"name:{name}", name, chat_type, external_id_standin=True)
        return Chat(PLATFORM, f"file:{self.sha[:16]}", None, chat_type, external_id_standin=True)

    def _account(self, reader: _Reader) -> Iterator[Chat | dict]:
        events = ijson.parse(reader, use_float=True)
        for prefix, event, value in events:
            if event == "start_map" and prefix in ("chats.list.item", "left_chats.list.item"):
                base = prefix
                header: dict = {"left": prefix.startswith("left_")}
                depth_key = base + "."
                for prefix, event, value in events:
                    if prefix == base + ".messages" and event == "start_array":
                        yield self._chat(header)
                        yield from self._items(_messages(events, base + ".messages.item"))
                    elif prefix == base and event == "end_map":
                        break
                    elif (event in _SCALARS and prefix.startswith(depth_key)
                          and "." not in prefix[len(depth_key):]):
                        header[prefix[len(depth_key):]] = value

    # -- one message -------------------------------------------------------------------------

    def _items(self, messages) -> Iterator[dict]:
        pending: dict | None = None
        seen_keys: dict[str, int] = {}
        for msg in messages:
            if not isinstance(msg, dict):
                continue
            item = self._item(msg, seen_keys)
            if pending is not None:
                if (item["kind"] == "post" and pending["kind"] == "post" and item["media"]
                        and pending["media"] and item["posted_epoch"] is not None
                        and item["posted_epoch"] == pending["posted_epoch"]
                        and item["author_id"] == pending["author_id"]):
                    if pending["album_key"] is None:
                        pending["album_key"] = f"album:{pending['item_key']}"
                    item["album_key"] = pending["album_key"]
                yield pending
            pending = item
        if pending is not None:
            yield pending

    def _item(self, msg: dict, seen_keys: dict[str, int]) -> dict:
        kind = "event" if msg.get("type") != "message" else "post"
        posted, offset, assumed = self._time(msg.get("date_unixtime"), msg.get("date"))
        edited, _, _ = self._time(msg.get("edited_unixtime"), msg.get("edited"))
        text, entities = flatten_text(msg.get("text"), msg.get("text_entities"))
        if kind == "event":
            author, author_id = msg.get("actor", msg.get("from")), msg.get("actor_id", msg.get("from_id"))
        else:
            author, author_id = msg.get("from"), msg.get("from_id")
        message_id = _int(msg.get("id"))
        if message_id is not None:
            key = str(message_id)
        else:
            message_id = None
            basis = f"{msg.get('date_unixtime') or msg.get('date')}|{author}|{text}"
            n = seen_keys.get(basis, 0)
            seen_keys[basis] = n + 1
            key = "h:" + hashlib.sha1(f"{basis}|{n}".encode()).hexdigest()[:20]
            self.notes["messages_without_id"] = self.notes.get("messages_without_id", 0) + 1
        media = _media(msg)
        # media keys that describe no attached file (a call's duration) stay in `extra`
        extra = {k: v for k, v in msg.items()
                 if k not in _COLUMN_KEYS and (k not in _MEDIA_KEYS or not media)}
        if kind == "event" and msg.get("type") not in (None, "service"):
            extra["telegram_type"] = msg.get("type")
        reply = msg.get("reply_to_message_id")
        return {
            "item_key": key,
            "message_id": message_id,
            "kind": kind,
            "author": _str(author),
            "author_id": _str(author_id),
            "posted_epoch": posted,
            "posted_offset_min": offset,
            "tz_assumed": assumed,
            "text": text,
            "entities": _dumps(entities),
            "reply_to": _int(reply) if isinstance(reply, int) else None,
            "forwarded_from": _str(msg.get("forwarded_from")),
            "forwarded_from_id": _str(msg.get("forwarded_from_id")),
            "edited_epoch": edited,
            "media": _dumps(media),
            "reactions": _dumps(msg.get("reactions")),
            "buttons": _dumps(msg.get("inline_bot_buttons")),
            "action": _str(msg.get("action")) if kind == "event" else None,
            "album_key": None,
            "extra": _dumps(extra),
        }

    def _time(self, unixtime, local) -> tuple[int | None, int | None, str | None]:
        """(epoch, offset minutes, assumed zone) from Telegram's date_unixtime and local date."""
        epoch = None
        if unixtime is not None:
            try:
                epoch = _int(int(unixtime), _EPOCHS)
            except (TypeError, ValueError, OverflowError):
                epoch = None
        naive = None
        if isinstance(local, str) and local:
            try:
                naive = datetime.fromisoformat(local)
            except ValueError:
                naive = None
            if naive is not None and naive.tzinfo is not None:
                off = naive.utcoffset()
                try:
                    return int(naive.timestamp()), int(off.total_seconds() // 60), None
                except (OverflowError, ValueError):  # year 1 or 9999 moved out of range
                    naive = None
        if epoch is not None:
            offset = offset_between(naive, epoch) if naive is not None else None
            if offset is not None and abs(offset) > 18 * 60:  # no clock is that far from UTC
                offset = None
                self.notes["implausible_offsets"] = self.notes.get("implausible_offsets", 0) + 1
            return epoch, offset, None
        if naive is not None:
            e, off = local_to_epoch(naive, self.tz)
            self.tz_assumed = self.tz
            return e, off, self.tz
        return None, None, None


def _messages(events, item_prefix: str) -> Iterator[dict]:
    """The message objects of one `messages` array, built from parse events."""
    array_prefix = item_prefix[: -len(".item")]
    builder = None
    depth = 0
    for prefix, event, value in events:
        if builder is None:
            if event == "start_map" and prefix == item_prefix:
                builder = ijson.ObjectBuilder()
                builder.event(event, value)
                depth = 1
            elif event == "end_array" and prefix == array_prefix:
                return
            continue
        builder.event(event, value)
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                yield builder.value
                builder = None


def detect(path, head: bytes) -> bool:
    """A .json file, or a file without extension that starts like a JSON object."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        return True
    return not suffix and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


Parser = TelegramJsonParser
