"""Tables written by Telegram collection tools: 4CAT's CSV and NDJSON, telegram-tracker's CSV.

Researchers and reporters often collect channels with a scraper rather than Telegram Desktop. This
parser reads what the two most common ones write, each layout taken from the tool's own source:

* **4CAT CSV** (the "Telegram API search" data source converted to CSV): the columns are the keys
  of `SearchTelegram.map_item` in digitalmethodsinitiative/4cat,
  `datasources/telegram/search_telegram.py`. Two generations exist. The older one (e.g. commit
  4fdf7ba9) writes `id` (the message id), `thread_id`, `chat`, `author`, `author_username`,
  `author_name`, `author_is_bot`, `body`, `reply_to`, `views`, `timestamp`, `unix_timestamp`, the
  edit and forward columns and `attachment_type/_data/_filename`; the current one (with
  `MappedItem`) writes `id` as `<thread_id>-<message id>` and adds `body_markdown`, `is_reply`,
  `reactions`, `author_forwarded_from_id`, `entities_linked`, `entities_mentioned`,
  `all_connections` and `link_title/_description/_attached`.
* **4CAT NDJSON** (what that data source stores): one Telethon `Message` per line, turned into a
  dict by `SearchTelegram.serialize_obj` in the same file: the object's attributes, `_type` for
  each Telethon type, datetimes as Unix seconds (floats), bytes as hex, the channel entity under
  `_chat`, the sender under `_sender`, then `message_markdown` and `4CAT_metadata`. The attribute
  order is that of `Message.__init__` in LonamiWebs/Telethon, `telethon/tl/custom/message.py`.
* **Telethon's own `Message.to_dict()`** written one per line (as home-made scrapers do): the same
  attributes with `_` for the type and datetimes as ISO text (`TLObject.to_json` in Telethon's
  `telethon/tl/tlobject.py`, or `str()`).
* **telegram-tracker `msgs_dataset.csv`**: `msgs_dataset_columns()` in estebanpdl/telegram-tracker
  `utils/__init__.py`, written row by row by `build-datasets.py`. The current generation starts
  `signature, channel_id, channel_name, msg_id, message, cleaned_message, date, msg_link, ...`
  (49 columns; `date` is Telethon's UTC datetime as text, `2026-11-20 14:03:11+00:00`); the older
  one starts `signature, channel_id, username, message, date, date_string, date_year, ...`
  (47 columns; `date` reformatted to `%Y-%m-%d %H:%M:%S`, still UTC, and the text whitespace-
  collapsed). congosto/telegram-tracker-light `utils/__init__.py` writes a shorter list with the
  same leading columns.

A layout is recognised by the columns (or keys) every generation writes; every other column is
kept in `extra`, so a generation not listed here still imports as long as those are present. A
CSV whose header matches no layout is rejected with the columns each layout needs and the columns
found; so is an NDJSON file whose first line is not a Telegram message.

Channels and chats. Telegram's API id of a channel is `-100` followed by the bare id that Telegram
Desktop's JSON export writes (`-1001987654321` is `1987654321`); the chat's external id is always
the bare numeric id when the file gives it, so a channel scraped here and exported from Telegram
Desktop is the same chat. telegram-tracker writes `channel_id` and 4CAT's NDJSON `_chat.id`, both
bare. 4CAT's CSV names the channel only by its username: the parser then reads the file once
beforehand to find the channel's own posts (in a channel, `author_username` is the channel's
username and `author` its numeric id: Telegram usernames are unique across users and channels) and
takes the id from there; a channel with no such row keeps `name:<username>` as a stand-in.

Rows are read in file order and streamed: nothing holds the whole file. A `Chat` is yielded before
the first row and again whenever the channel changes from one row to the next (a file may hold
several channels, as each tool writes one channel after another); the importer maps the same
channel to the same chat each time, so no sort is needed.

Times. These tools write UTC. 4CAT writes Unix seconds (`unix_timestamp`; its `timestamp` column is
the 4CAT server's local clock, kept in `extra`), so `posted_offset_min` is None: the file shows no
clock. telegram-tracker's current `date` carries `+00:00`, which gives an offset of 0; its older
`date` has no offset but is UTC by construction, read as UTC with the offset left None. Nothing is
read in the `--tz` zone, so `tz_assumed` stays None.

Damage. A row whose field count differs from the header's, or an NDJSON line that is not complete
JSON, means the file is cut short or damaged there: the file is rejected with the line number, as
a truncated Telegram export is. A single unreadable time in an otherwise sound row does not reject
the file: the message is kept without a time (its text is the evidence), the raw cell stays in
`extra`, and the source's notes count such rows.

Encodings. The tools write UTF-8; a file re-saved by a spreadsheet (Excel in French writes cp1252
with `;` between fields) is not. The whole file is first checked as UTF-8 (streamed); if it is not,
charset-normalizer picks the encoding among those spreadsheets write, from a sample taken at the
start and around the first non-UTF-8 byte, and every item records it in `text_encoding`.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterator

import charset_normalizer
import orjson

from .errors import Rejected
from .model import ITEM_FIELDS, Chat
from .timeutil import DEFAULT_TZ

NAME = "scraper_tables"
VERSION = "1"
DESCRIPTION = ("Tables from Telegram collection tools (4CAT CSV or NDJSON, "
               "telegram-tracker msgs_dataset.csv)")
PLATFORM = "telegram"

CHUNK = 1 << 16
_BOM_AND_SPACE = b"\xef\xbb\xbf \t\r\n"
_TABLE_SUFFIXES = (".csv", ".tsv")
_LINE_SUFFIXES = (".ndjson", ".jsonl")
_DELIMITERS = (",", ";", "\t")

# Encodings a re-saved table may be in, most likely first (ties in charset-normalizer's measure of
# mess go to the earlier one): Excel on Windows in Western, Central European, Cyrillic and Arabic
# locales, Excel's "Unicode text", old Excel for Mac.
_ENCODINGS = ("cp1252", "utf_16", "utf_32", "cp1250", "cp1251", "cp1256", "iso8859_15",
              "mac_roman")
_SAMPLE = 1 << 18
_CHANNEL_MARK = 10 ** 12   # the API writes a channel's id as -(10**12 + id): "-100" then the id


# -- layouts -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Layout:
    """A CSV layout, known by the columns every generation of the tool writes."""

    label: str
    required: tuple[str, ...]
    either: tuple[str, ...] = ()      # at least one of these must be present too

    def matches(self, header: list[str]) -> bool:
        have = set(header)
        return all(c in have for c in self.required) and (
            not self.either or any(c in have for c in self.either))

    def expected(self) -> str:
        cols = list(self.required)
        if self.either:
            cols.insert(2, " or ".join(self.either))
        return f"{self.label} ({', '.join(cols)}, …)"


_FOURCAT_CSV = _Layout("4CAT's Telegram CSV",
                       ("id", "thread_id", "chat", "author", "body", "unix_timestamp"))
_TRACKER_CSV = _Layout("telegram-tracker's msgs_dataset.csv",
                       ("signature", "channel_id", "message", "date", "msg_link"),
                       either=("channel_name", "username"))
_CSV_LAYOUTS = (_FOURCAT_CSV, _TRACKER_CSV)

# Columns whose value is stored in an item field (or the chat); every other column goes to `extra`.
# Forward and author names are also kept in `extra`: an item field holds only one of the two.
_FOURCAT_MAPPED = {"id", "thread_id", "chat", "author", "body", "reply_to", "unix_timestamp",
                   "unix_timestamp_edited", "author_forwarded_from_id", "attachment_type",
                   "attachment_filename"}
_TRACKER_MAPPED = {"channel_id", "channel_name", "username", "msg_id", "message", "date",
                   "msg_from_peer", "msg_from_id", "reply_to_msg_id", "forward_msg_from_peer_type",
                   "forward_msg_from_peer_id", "from_channel_id", "media_type", "document_type",
                   "document_filename"}

_NDJSON_EXPECTED = ("one Telegram message per line, as 4CAT stores them (keys id, date, message, "
                    "_chat or peer_id) or as Telethon's Message.to_dict() writes them (keys _, id, "
                    "peer_id, date, message)")
# Keys of a Telethon message dict that describe the chat (read into the `Chat`) or are read into
# item fields as they are; the rest goes to `extra`.
_NDJSON_MAPPED = {"id", "message", "date", "edit_date", "_type", "_", "peer_id", "_chat",
                  "_input_chat", "_chat_peer", "_broadcast"}
# Telegram Desktop's names for the entity types whose Telethon names differ
_ENTITY_NAMES = {"url": "link", "text_url": "text_link", "strike": "strikethrough"}
_PEER_PREFIX = {"PeerUser": "user", "PeerChannel": "channel", "PeerChat": "chat",
                "User": "user", "Channel": "channel", "Chat": "chat"}
_PEER_KEYS = (("channel_id", "channel"), ("user_id", "user"), ("chat_id", "chat"))
_NOT_MEDIA = {"", "url", "MessageMediaWebPage", "MessageMediaEmpty"}


# -- reading text ------------------------------------------------------------------------------

class _Counted(io.RawIOBase):
    """A raw file that reports each read to the progress callback."""

    def __init__(self, raw, progress: Callable[[int], None] | None):
        self.raw = raw
        self.progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        if n and self.progress:
            self.progress(n)
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def _first_non_utf8(path) -> int | None:
    """The offset of the first byte that is not UTF-8, or None when the whole file is UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                return offset + max(exc.start, 0)
            if not chunk:
                return None
            offset += len(chunk)


def _detect_encoding(path, bad_at: int) -> str:
    """The encoding of a non-UTF-8 file, from its start and the region of its first odd byte."""
    with open(path, "rb") as f:
        sample = f.read(_SAMPLE)
        if bad_at > len(sample):
            f.seek(max(bad_at - _SAMPLE // 2, 0))
            sample += b"\n" + f.read(_SAMPLE)
    matches = list(charset_normalizer.from_bytes(sample, cp_isolation=list(_ENCODINGS)))
    if not matches:
        raise Rejected(f"its text is not UTF-8 (byte {bad_at} is not) and no other encoding "
                       "fits it: if it is a table, re-save it as UTF-8 CSV")
    best = min(matches, key=lambda m: (round(m.chaos, 2), _ENCODINGS.index(m.encoding)
                                       if m.encoding in _ENCODINGS else len(_ENCODINGS)))
    return codecs.lookup(best.encoding).name


def _decode_error(exc: UnicodeDecodeError, encoding: str) -> Rejected:
    return Rejected(f"its text cannot be read as {encoding} ({exc.reason}): the file is damaged "
                    "or mixes encodings")


def _json(value) -> str | None:
    if value is None or value == [] or value == {}:
        return None
    return orjson.dumps(value, default=str).decode()


def _int(text) -> int | None:
    """An integer from a cell or a JSON value ('123', '123.0', 123, 123.0); None otherwise."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        return int(text) if text.is_integer() else None
    if not isinstance(text, str):
        return None
    text = text.strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.0*", text):
        return int(text.split(".")[0])
    return None


def _number(text: str) -> int | float | None:
    """A number from a cell ('14', '14.2'), or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


def _bare_id(value) -> str | None:
    """A peer's bare numeric id, as Telegram Desktop writes it, from a bare or a "marked" API id
    (a channel's -1001987654321 is 1987654321, a basic group's -4242 is 4242: Telethon's
    `utils.resolve_id`)."""
    n = _int(value)
    if n is None:
        return None
    if n <= -_CHANNEL_MARK:
        return str(-n - _CHANNEL_MARK)
    return str(abs(n))


def _iso_time(text: str) -> tuple[int | None, int | None]:
    """(epoch, offset minutes) of a UTC time written as text, with or without '+00:00'.

    Without an offset the time is still UTC (these tools format Telethon's UTC datetimes), so it
    is read as UTC and the offset left None: the file did not show one."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None, None
    if when.tzinfo is None:
        return int(when.replace(tzinfo=timezone.utc).timestamp()), None
    return int(when.timestamp()), int(when.utcoffset().total_seconds() // 60)


def _json_time(value) -> tuple[int | None, int | None]:
    """(epoch, offset) of a Telethon date: Unix seconds (4CAT) or text (to_dict)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value), None
    if isinstance(value, str):
        return _iso_time(value)
    return None, None


def _peer_ref(kind: str | None, ident) -> str | None:
    """An author or source id the way Telegram Desktop writes it ('user42', 'channel1987654321');
    the bare id when the source does not say what kind of peer it is."""
    bare = _bare_id(ident)
    if bare is None:
        return None
    prefix = _PEER_PREFIX.get(kind or "")
    return f"{prefix}{bare}" if prefix else bare


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _type_of(obj) -> str:
    """The Telethon type name of a serialised object (`_type` from 4CAT, `_` from to_dict)."""
    if isinstance(obj, dict):
        return obj.get("_type") or obj.get("_") or ""
    return ""


# -- the parser --------------------------------------------------------------------------------

class ScraperTablesParser:
    """Yields a `Chat` before each run of rows of one channel, then those rows as items."""

    name = NAME
    version = VERSION

    def __init__(self, path, *, tz: str = DEFAULT_TZ, source_sha256: str = "",
                 progress: Callable[[int], None] | None = None, origin=None):
        # `tz` and `origin` go unused: these tools write UTC, and a table has no companions
        self.path = path
        self.sha = source_sha256
        self.progress = progress
        self.notes: dict = {}
        self.tz_assumed: str | None = None
        self.encoding: str | None = None     # None for UTF-8
        self._keys_seen: dict[str, int] = {}

    # -- shared ------------------------------------------------------------------------------

    def _open_text(self, progress: bool) -> io.TextIOWrapper:
        raw = _Counted(open(self.path, "rb", buffering=0), self.progress if progress else None)
        return io.TextIOWrapper(io.BufferedReader(raw, CHUNK),
                                encoding=self.encoding or "utf-8-sig", newline="")

    def _note(self, key: str) -> None:
        self.notes[key] = self.notes.get(key, 0) + 1

    def _item(self, **fields) -> dict:
        item = dict.fromkeys(ITEM_FIELDS)
        item["kind"] = "post"
        item.update(fields)
        item["text_encoding"] = self.encoding
        return item

    def _key(self, message_id: int | None, raw_id: str, basis: str) -> str:
        """The item key: the message id; else the tool's own id; else a hash of the row."""
        if message_id is not None:
            return str(message_id)
        self._note("messages_without_id")
        if raw_id:
            return f"id:{raw_id}"
        n = self._keys_seen.get(basis, 0)
        self._keys_seen[basis] = n + 1
        return "h:" + hashlib.sha1(f"{basis}|{n}".encode()).hexdigest()[:20]

    def records(self) -> Iterator[Chat | dict]:
        if os.path.getsize(self.path) == 0:
            raise Rejected("the file is empty")
        bad_at = _first_non_utf8(self.path)
        if bad_at is not None:
            self.encoding = _detect_encoding(self.path, bad_at)
            self.notes["encoding"] = self.encoding
        with open(self.path, "rb") as f:  # the workspace copy has no extension: look inside
            lines = f.read(CHUNK).lstrip(_BOM_AND_SPACE).startswith(b"{")
        try:
            if lines:
                yield from self._ndjson()
            else:
                yield from self._table()
        except UnicodeDecodeError as exc:
            raise _decode_error(exc, self.encoding or "UTF-8") from None

    # -- CSV ---------------------------------------------------------------------------------

    def _table(self) -> Iterator[Chat | dict]:
        layout, delimiter, header = self._header()
        self.notes["layout"] = layout.label
        if delimiter != ",":
            self.notes["delimiter"] = delimiter
        if layout is _FOURCAT_CSV:
            ids = self._fourcat_channel_ids(delimiter, header)
            rows = self._rows(delimiter, header, progress=True)
            yield from self._runs((self._fourcat_item(rec, ids) for rec in rows))
        else:
            rows = self._rows(delimiter, header, progress=True)
            yield from self._runs((self._tracker_item(rec) for rec in rows))

    def _header(self) -> tuple[_Layout, str, list[str]]:
        with self._open_text(progress=False) as f:
            line = f.readline()
        line = line.lstrip("\ufeff").rstrip("\r\n")
        widest: list[str] = []
        for d in _DELIMITERS:
            header = [h.strip() for h in next(csv.reader([line], delimiter=d), [])]
            for layout in _CSV_LAYOUTS:
                if layout.matches(header):
                    return layout, d, header
            if len(header) > len(widest):
                widest = header
        shown = [c if c.isprintable() and len(c) <= 40 else repr(c[:40]) for c in widest[:25]]
        found = ", ".join(shown) + (f", … ({len(widest)} columns)" if len(widest) > 25 else "")
        raise Rejected("its columns match no table Recoupe reads. It reads "
                       + " and ".join(l.expected() for l in _CSV_LAYOUTS)
                       + f". This file's columns: {found or '(none)'}")

    def _rows(self, delimiter: str, header: list[str], progress: bool) -> Iterator[dict]:
        """The rows after the header, as dicts; a row with the wrong field count rejects."""
        with self._open_text(progress) as f:
            f.readline()
            reader = csv.reader(f, delimiter=delimiter)
            try:
                for row in reader:
                    if not row or row == [""]:
                        continue
                    if len(row) != len(header):
                        raise Rejected(
                            f"line {reader.line_num + 1} has {len(row)} fields where the header "
                            f"has {len(header)}: the file is cut short or damaged there")
                    yield dict(zip(header, row))
            except csv.Error as exc:
                raise Rejected(f"line {reader.line_num + 1} cannot be read as CSV ({exc}): the "
                               "file is damaged there") from None

    def _standin_chat(self, handle: str) -> Chat:
        """A chat the file names but gives no numeric id for: its username, else this file."""
        if handle:
            return Chat(PLATFORM, f"name:{handle}", handle, None, external_id_standin=True)
        return Chat(PLATFORM, f"file:{self.sha[:16]}", None, None, external_id_standin=True)

    def _runs(self, pairs: Iterator[tuple[Chat, dict]]) -> Iterator[Chat | dict]:
        """A Chat before each run of items of the same channel, then the items."""
        current = None
        for chat, item in pairs:
            if chat != current:
                current = chat
                yield chat
            yield item

    def _extra(self, rec: dict, mapped: set[str], unread: tuple[str, ...] = ()) -> str | None:
        """Every non-empty cell not stored in an item field (and any mapped cell left unread)."""
        return _json({k: v for k, v in rec.items()
                      if v != "" and (k not in mapped or k in unread)})

    def _time_cell(self, rec: dict, column: str, unread: list[str]) -> int | None:
        raw = rec.get(column, "")
        epoch = _int(raw)
        if epoch is None and raw.strip():
            unread.append(column)
        return epoch

    # 4CAT

    def _fourcat_channel_ids(self, delimiter: str, header: list[str]) -> dict[str, str]:
        """Numeric ids of the channels named by username, from rows the channel itself posted."""
        if "author_username" not in header:
            return {}
        found: dict[str, str | None] = {}
        for rec in self._rows(delimiter, header, progress=False):
            chat = (rec["thread_id"] or rec["chat"]).casefold()
            own = rec["author_username"].casefold()
            if chat and own == chat and not chat.isdigit() and _bare_id(rec["author"]):
                author = _bare_id(rec["author"])
                if found.setdefault(chat, author) != author:
                    found[chat] = None  # two ids for one username: trust neither
        ids = {k: v for k, v in found.items() if v}
        if ids:
            self.notes["channel_ids_from_own_posts"] = len(ids)
        return ids

    def _fourcat_item(self, rec: dict, ids: dict[str, str]) -> tuple[Chat, dict]:
        handle = rec["thread_id"] or rec["chat"]
        if handle.isdigit():
            chat = Chat(PLATFORM, handle, None, None)
        elif handle.casefold() in ids:
            chat = Chat(PLATFORM, ids[handle.casefold()], handle, None)
        else:
            chat = self._standin_chat(handle)
        raw_id = rec["id"].strip()
        message_id = _int(raw_id.rsplit("-", 1)[-1]) if raw_id else None
        unread: list[str] = []
        posted = self._time_cell(rec, "unix_timestamp", unread)
        if posted is None:
            self._note("rows_without_time")
        edited = self._time_cell(rec, "unix_timestamp_edited", unread)
        text = rec["body"]
        author = rec.get("author_name") or rec.get("author_username") or None
        kind = rec.get("attachment_type", "")
        media = None
        if kind not in _NOT_MEDIA:
            media = [{"kind": kind, "included": False}]
            if rec.get("attachment_filename"):
                media[0]["file_name"] = rec["attachment_filename"]
        item = self._item(
            item_key=self._key(message_id, raw_id, f"{handle}|{posted}|{author}|{text}"),
            message_id=message_id,
            author=author,
            author_id=_bare_id(rec["author"]),
            posted_epoch=posted,
            text=text,
            reply_to=_int(rec.get("reply_to", "")),
            forwarded_from=(rec.get("author_forwarded_from_name")
                            or rec.get("author_forwarded_from_username") or None),
            forwarded_from_id=rec.get("author_forwarded_from_id") or None,
            edited_epoch=edited,
            media=_json(media),
            extra=self._extra(rec, _FOURCAT_MAPPED, tuple(unread)),
        )
        return chat, item

    # telegram-tracker

    def _tracker_item(self, rec: dict) -> tuple[Chat, dict]:
        handle = rec.get("channel_name") or rec.get("username") or ""
        bare = _bare_id(rec["channel_id"])
        chat = Chat(PLATFORM, bare, handle or None, None) if bare else self._standin_chat(handle)
        message_id = _int(rec.get("msg_id", ""))
        if message_id is None:
            found = re.search(r"/(\d+)/?$", rec["msg_link"]) or re.search(
                r"\.post\.(\d+)$", rec["signature"])
            message_id = int(found[1]) if found else None
        unread: list[str] = []
        posted, offset = _iso_time(rec["date"])
        if posted is None:
            self._note("rows_without_time")
            if rec["date"].strip():
                unread.append("date")
        text = rec["message"]
        media = None
        if rec.get("media_type", "") not in _NOT_MEDIA:
            d = {"kind": _snake(rec["media_type"].removeprefix("MessageMedia")), "included": False}
            for column, key in (("document_type", "mime_type"), ("document_filename", "file_name")):
                if rec.get(column):
                    d[key] = rec[column]
            duration = _number(rec.get("document_video_duration", ""))
            if duration is not None:
                d["duration_seconds"] = duration
            media = [d]
        fwd_id = rec.get("forward_msg_from_peer_id") or rec.get("from_channel_id") or ""
        item = self._item(
            item_key=self._key(message_id, rec["signature"], f"{handle}|{rec['date']}|{text}"),
            message_id=message_id,
            author_id=_peer_ref(rec.get("msg_from_peer"), rec.get("msg_from_id", "")),
            posted_epoch=posted,
            posted_offset_min=offset,
            text=text,
            reply_to=_int(rec.get("reply_to_msg_id", "")),
            forwarded_from=(rec.get("forward_msg_from_peer_name")
                            or rec.get("from_channel_name") or None),
            forwarded_from_id=_peer_ref(rec.get("forward_msg_from_peer_type")
                                        or ("PeerChannel" if rec.get("from_channel_id") else None),
                                        fwd_id),
            media=_json(media),
            extra=self._extra(rec, _TRACKER_MAPPED, tuple(unread)),
        )
        return chat, item

    # -- NDJSON ------------------------------------------------------------------------------

    def _ndjson(self) -> Iterator[Chat | dict]:
        self.notes["layout"] = "Telethon messages, one per line (4CAT NDJSON or to_dict)"
        yield from self._runs(self._ndjson_item(msg, line) for msg, line in self._lines())

    def _lines(self) -> Iterator[tuple[dict, int]]:
        first = True
        with self._open_text(progress=True) as f:
            for n, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    msg = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    if not line.endswith("\n"):
                        raise Rejected(f"the file ends in the middle of line {n}: it was cut "
                                       "short (a truncated download or copy?)") from None
                    raise Rejected(f"line {n} is not complete JSON ({exc}): the file is damaged "
                                   "there") from None
                if not isinstance(msg, dict) or not {"id", "date"} <= msg.keys() or not (
                        msg.keys() & {"peer_id", "_chat", "_chat_peer"}):
                    keys = ", ".join(list(msg)[:20]) if isinstance(msg, dict) else type(msg).__name__
                    where = "its lines are" if first else f"line {n} is"
                    raise Rejected(f"{where} not Telegram messages Recoupe reads: it reads "
                                   f"{_NDJSON_EXPECTED}. Found: {keys}")
                first = False
                yield msg, n

    def _ndjson_chat(self, msg: dict) -> Chat:
        entity = msg.get("_chat") if isinstance(msg.get("_chat"), dict) else None
        if entity and _bare_id(entity.get("id")) is not None:
            name = entity.get("title") or entity.get("username")
            kind = _type_of(entity)
            if kind == "Channel":
                chat_type = "channel" if entity.get("broadcast") else "group"
            else:
                chat_type = "group" if kind in ("Chat", "ChatForbidden") else None
            return Chat(PLATFORM, _bare_id(entity["id"]), name, chat_type)
        for peer in (msg.get("peer_id"), msg.get("_chat_peer")):
            if isinstance(peer, dict):
                for key, _ in _PEER_KEYS:
                    if _bare_id(peer.get(key)) is not None:
                        return Chat(PLATFORM, _bare_id(peer[key]), None, None)
        raise Rejected(f"message {msg.get('id')} names no chat (no _chat or peer_id id)")

    def _ndjson_item(self, msg: dict, line: int) -> tuple[Chat, dict]:
        chat = self._ndjson_chat(msg)
        posted, offset = _json_time(msg.get("date"))
        if posted is None:
            self._note("rows_without_time")
        edited, _ = _json_time(msg.get("edit_date"))
        text = msg.get("message") if isinstance(msg.get("message"), str) else ""
        service = _type_of(msg) == "MessageService" or isinstance(msg.get("action"), dict)
        author, author_id = self._ndjson_author(msg, chat)
        message_id = _int(msg.get("id"))
        extra = {k: v for k, v in msg.items() if k not in _NDJSON_MAPPED and v is not None}
        for key, epoch in (("date", posted), ("edit_date", edited)):
            if epoch is None and msg.get(key) is not None:  # unreadable: keep it as it was
                extra[key] = msg[key]
        reply = msg.get("reply_to")
        reply_to = _int(reply.get("reply_to_msg_id")) if isinstance(reply, dict) else _int(
            msg.get("reply_to_msg_id"))
        forwarded_from, forwarded_from_id = self._ndjson_forward(msg)
        grouped = msg.get("grouped_id")
        item = self._item(
            item_key=self._key(message_id, "", f"{chat.external_id}|{posted}|{text}|{line}"),
            message_id=message_id,
            kind="event" if service else "post",
            author=author,
            author_id=author_id,
            posted_epoch=posted,
            posted_offset_min=offset,
            text=text,
            entities=_json(_entities(text, msg.get("entities"))),
            reply_to=reply_to,
            forwarded_from=forwarded_from,
            forwarded_from_id=forwarded_from_id,
            edited_epoch=edited,
            media=_json(_media(msg.get("media"))),
            reactions=_json(_reactions(msg.get("reactions"))),
            buttons=_json(_buttons(msg.get("reply_markup"))),
            action=_action(msg.get("action")) if service else None,
            album_key=f"group:{grouped}" if grouped is not None else None,
            extra=_json(extra),
        )
        return chat, item

    @staticmethod
    def _ndjson_author(msg: dict, chat: Chat) -> tuple[str | None, str | None]:
        sender = msg.get("_sender")
        if isinstance(sender, dict) and sender.get("id") is not None:
            name = (sender.get("title")
                    or " ".join(p for p in (sender.get("first_name"), sender.get("last_name")) if p)
                    or sender.get("username") or None)
            return name, _peer_ref(_type_of(sender), sender["id"])
        peer = msg.get("from_id")
        if isinstance(peer, dict):
            for key, kind in _PEER_KEYS:
                if peer.get(key) is not None:
                    return None, _peer_ref(_type_of(peer) or f"Peer{kind.title()}", peer[key])
        if msg.get("post"):  # a channel's own post: Telegram Desktop names the channel
            return chat.name, f"channel{chat.external_id}"
        return None, None

    @staticmethod
    def _ndjson_forward(msg: dict) -> tuple[str | None, str | None]:
        fwd = msg.get("fwd_from")
        if not isinstance(fwd, dict):
            return None, None
        source = fwd.get("from_id") if isinstance(fwd.get("from_id"), dict) else {}
        ident = None
        for key, kind in _PEER_KEYS:
            if source.get(key) is not None:
                ident = _peer_ref(f"Peer{kind.title()}", source[key])
                break
        name = fwd.get("from_name")
        forward = msg.get("_forward") if isinstance(msg.get("_forward"), dict) else {}
        origin = forward.get("_chat") or forward.get("_sender")
        if not name and isinstance(origin, dict):
            name = origin.get("title") or origin.get("username")
        if not name and isinstance(source.get("chats"), list) and source["chats"]:
            name = source["chats"][0].get("title")  # 4CAT's "resolve references" option
        return name or None, ident


# -- Telethon objects to Telegram Desktop's shapes ---------------------------------------------

def _entities(text: str, entities) -> list[dict]:
    """Telethon's entities (offsets in UTF-16 units) as Telegram Desktop writes them."""
    if not isinstance(entities, list) or not text:
        return []
    index, units = {}, 0
    for i, ch in enumerate(text):
        index[units] = i
        units += 2 if ord(ch) > 0xFFFF else 1
    index[units] = len(text)
    out = []
    for ent in entities:
        if not isinstance(ent, dict):
            continue
        start = index.get(_int(ent.get("offset")))
        end = index.get((_int(ent.get("offset")) or 0) + (_int(ent.get("length")) or 0))
        kind = _snake(_type_of(ent).removeprefix("MessageEntity"))
        d = {"type": _ENTITY_NAMES.get(kind, kind),
             "text": text[start:end] if start is not None and end is not None else None,
             "offset": start, "length": end - start if start is not None and end is not None
             else None}
        for src, dst in (("url", "href"), ("user_id", "user_id"), ("document_id", "document_id"),
                         ("language", "language")):
            if ent.get(src) not in (None, ""):
                d[dst] = ent[src]
        out.append(d)
    return out


def _action(action) -> str | None:
    """A service message's action in snake case ('MessageActionPinMessage' -> 'pin_message')."""
    return _snake(_type_of(action).removeprefix("MessageAction")) or None


def _media(media) -> list[dict] | None:
    """A media descriptor (the file itself is never in these tables), or None."""
    kind = _type_of(media)
    if kind in _NOT_MEDIA:
        return None
    d = {"kind": _snake(kind.removeprefix("MessageMedia")), "included": False}
    doc = media.get("document")
    if isinstance(doc, dict):
        if doc.get("mime_type"):
            d["mime_type"] = doc["mime_type"]
        if doc.get("size") is not None:
            d["size"] = doc["size"]
        for attr in doc.get("attributes") or []:
            if not isinstance(attr, dict):
                continue
            if attr.get("file_name"):
                d["file_name"] = attr["file_name"]
            if attr.get("duration") is not None:
                d["duration_seconds"] = attr["duration"]
    for key in ("phone_number", "first_name", "last_name", "title", "address", "question"):
        if isinstance(media.get(key), str) and media[key]:
            d[key] = media[key]
    geo = media.get("geo")
    if isinstance(geo, dict) and geo.get("lat") is not None:
        d["lat"], d["long"] = geo.get("lat"), geo.get("long")
    if media.get("spoiler"):
        d["media_spoiler"] = True
    return [d]


def _reactions(reactions) -> list[dict] | None:
    """Telethon's reaction counts as Telegram Desktop writes them."""
    if not isinstance(reactions, dict) or not isinstance(reactions.get("results"), list):
        return None
    out = []
    for r in reactions["results"]:
        if not isinstance(r, dict):
            continue
        what = r.get("reaction")
        if isinstance(what, str):
            out.append({"type": "emoji", "count": r.get("count"), "emoji": what})
        elif isinstance(what, dict) and what.get("emoticon"):
            out.append({"type": "emoji", "count": r.get("count"), "emoji": what["emoticon"]})
        elif isinstance(what, dict) and what.get("document_id") is not None:
            out.append({"type": "custom_emoji", "count": r.get("count"),
                        "document_id": what["document_id"]})
        elif isinstance(what, dict):
            out.append({"type": _snake(_type_of(what).removeprefix("Reaction")),
                        "count": r.get("count")})
    return out or None


def _buttons(markup) -> list[list[dict]] | None:
    """An inline keyboard as Telegram Desktop's `inline_bot_buttons` rows."""
    if not isinstance(markup, dict) or not isinstance(markup.get("rows"), list):
        return None
    rows = []
    for row in markup["rows"]:
        buttons = row.get("buttons") if isinstance(row, dict) else None
        if not isinstance(buttons, list):
            continue
        rows.append([{"type": _snake(_type_of(b).removeprefix("KeyboardButton")) or "button",
                      "text": b.get("text"), "data": b.get("url") or b.get("data")}
                     for b in buttons if isinstance(b, dict)])
    return rows or None


def detect(path, head: bytes) -> bool:
    """Every .csv and .tsv (a table in no known layout is rejected with the columns it needs),
    and .ndjson / .jsonl files whose first line is a JSON object."""
    suffix = path.suffix.lower()
    if suffix in _TABLE_SUFFIXES:
        return True
    return suffix in _LINE_SUFFIXES and head.lstrip(_BOM_AND_SPACE).startswith(b"{")


Parser = ScraperTablesParser
