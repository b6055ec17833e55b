"""Reading items back out of a workspace, as records for people and scripts."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Iterator

import orjson

from ingest.timeutil import DEFAULT_TZ, zone

from .errors import RecoupeError
from .i18n import _
from .workspace import Workspace

FETCH = 5_000
_JSON_FIELDS = ("text_entities", "media", "reactions", "buttons", "extra")


def iso_utc(value: datetime | None) -> str | None:
    """ISO 8601 with a Z, for a naive UTC datetime."""
    if value is None:
        return None
    return value.isoformat(timespec="seconds") + "Z"


def offset_text(minutes: int | None) -> str | None:
    if minutes is None:
        return None
    sign = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"{sign}{h:02d}:{m:02d}"


def parse_bound(text: str | None, tz: str = DEFAULT_TZ, *, end: bool = False) -> datetime | None:
    """A --since/--until value as a naive UTC datetime.

    A date (2026-12-24) means that day in zone `tz` (Europe/Paris unless told otherwise); with
    `end`, the bound is the start of the next day, so --until 2026-12-24 includes the 24th.
    A date and time with an offset is taken as given; without one, in zone `tz`.
    """
    if text is None:
        return None
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            local = datetime(d.year, d.month, d.day) + (timedelta(days=1) if end else timedelta())
        else:
            local = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise RecoupeError(_("{text!r} is not a date (YYYY-MM-DD) or date and time (ISO 8601)",
                             text=text)) from None
    if local.tzinfo is None:
        local = local.replace(tzinfo=zone(tz))
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def iter_items(ws: Workspace, *, chat: str | None = None, since: datetime | None = None,
               until: datetime | None = None, events: bool = False) -> Iterator[dict]:
    """Items as dicts ready for JSON, streamed (a million items never sit in memory at once)."""
    if chat is not None and not ws.one("items.chat_exists", {"chat": chat}):
        raise RecoupeError(_("no chat named {chat!r} in the workspace {root}", chat=chat,
                             root=ws.root))
    cur = ws.q("items.list", {"chat": chat, "since": since, "until": until, "events": events})
    cols = [d[0] for d in cur.description]
    while rows := cur.fetchmany(FETCH):
        for row in rows:
            yield _record(dict(zip(cols, row)))


def _record(r: dict) -> dict:
    out = {
        "id": r["id"],
        "platform": r["platform"],
        "chat": r["chat"],
        "chat_id": r["chat_id"],
        "chat_external_id": r["chat_external_id"],
        "message_id": r["message_id"],
        "item_key": r["item_key"],
        "kind": r["kind"],
        "author": r["author"],
        "author_id": r["author_id"],
        "posted_at": iso_utc(r["posted_at_utc"]),
        "posted_offset": offset_text(r["posted_offset_min"]),
        "tz_assumed": r["tz_assumed"],
        "text": r["text"],
        "edited_at": iso_utc(r["edited_at_utc"]),
        "forwarded_from": r["forwarded_from"],
        "forwarded_from_id": r["forwarded_from_id"],
        "reply_to": r["reply_to"],
        "action": r["action"],
        "album_key": r["album_key"],
        "versions": r["versions"],
        "lang": r["lang"],
        "entities": [{k: v for k, v in e.items() if v is not None} for e in r["extracted"] or []],
        "text_encoding": r["text_encoding"],
        "text_origin": r["text_origin"],
        "ocr_confidence": r["ocr_confidence"],
        "phash": r["phash"],
        "captured_chat": r["captured_chat"],
        "captured_at": iso_utc(r["captured_at_utc"]),
        "source_file": r["source_file"],
        "source_sha256": r["source_sha256"],
        "cluster_id": r["cluster_id"],  # its near-duplicate cluster (issue 6); None: no copy
    }
    for key in _JSON_FIELDS:
        out[key] = orjson.loads(r[key]) if r[key] else None
    return out


def versions(ws: Workspace, item_id: int) -> list[dict]:
    """Earlier texts of an item, oldest first."""
    out = []
    for v in ws.rows("items.versions", {"item_id": item_id}):
        v["edited_at"] = iso_utc(v["edited_at_utc"])
        v["recorded_at"] = iso_utc(v["recorded_at_utc"])
        out.append(v)
    return out


def screenshots(ws: Workspace) -> list[dict]:
    """Screenshot items, newest import first, with their thumbnail path."""
    from .thumbs import thumbnail
    out = []
    for r in ws.rows("items.screenshots"):
        r["thumbnail"] = thumbnail(ws, r["sha256"])
        r["extra"] = orjson.loads(r["extra"]) if r["extra"] else {}
        out.append(r)
    return out


def set_capture(ws: Workspace, item_id: int, *, chat: str | None,
                captured_at: datetime | None) -> None:
    """Record which chat a screenshot shows and when it was captured (UTC), as the reporter says."""
    chat = (chat or "").strip() or None
    done = ws.one("items.set_capture", {"item_id": item_id, "captured_chat": chat,
                                        "captured_at": captured_at})
    if done is None:
        raise RecoupeError(_("item {id} is not a screenshot", id=item_id))


def chat_names(ws: Workspace) -> list[str]:
    return [r["name"] for r in ws.rows("items.chat_names")]
