"""What a parser yields.

A parser is a class with `name` and `version` attributes, built as
`Parser(path, *, tz, source_sha256, progress, origin)`, whose `records()` yields a `Chat` and then that
chat's items (dicts), for each chat of the file; it may set `notes` (a dict kept with the source
file) and `tz_assumed` (the zone it assumed for local times without offset, else None). It raises
`ingest.Rejected(reason)` when the file cannot be imported. `progress(nbytes)` may be called as the
file is read. `path` is the workspace's copy of the file (read that); `origin` is where the person
handed it in (only to find companions: the next page of an HTML export, a .txt beside an image).
A parser whose items rest on such a companion's content lists it in `companions`, and the importer
keeps an evidentiary copy of it too.
"""

from __future__ import annotations

from dataclasses import dataclass

# The keys of every item dict a parser yields. Times are Unix seconds (UTC); offsets in minutes.
ITEM_FIELDS = (
    "item_key",            # unique in its chat: the message id as text, or a stand-in
    "message_id",          # the platform's message id (int) or None
    "kind",                # "post" or "event"
    "author", "author_id",
    "posted_epoch",        # int seconds since 1970 UTC, or None when the source has no time
    "posted_offset_min",   # the UTC offset the source gave, or None
    "tz_assumed",          # the zone assumed for a local time that had no offset, or None
    "text",
    "entities",            # JSON text: formatting entities (links, mentions, hashtags...)
    "reply_to",            # message id answered, or None
    "forwarded_from", "forwarded_from_id",
    "edited_epoch",        # int seconds UTC, or None
    "media",               # JSON text: list of media descriptors, or None
    "reactions",           # JSON text or None
    "buttons",             # JSON text or None
    "action",              # for events: what happened
    "album_key",           # shared by the items of one album, or None
    "extra",               # JSON text: every other field of the source, or None
)

# Keys a parser may add; missing ones are stored as None.
OPTIONAL_ITEM_FIELDS = (
    "text_encoding",       # the encoding assumed for a text that was not UTF-8 (e.g. "cp1252")
    "text_origin",         # "export" (default), "ocr" or "sidecar" (a .txt beside an image)
    "ocr_confidence",      # mean word confidence of the OCR, 0-100
    "ocr_words",           # JSON text: [{"text", "conf", "left", "top", "width", "height"}]
    "phash",               # perceptual hash of an image, hex
)


@dataclass(frozen=True)
class Chat:
    """A chat or channel, yielded before its items."""

    platform: str
    external_id: str          # the platform's id; or a stand-in (see `external_id_standin`)
    name: str | None
    chat_type: str | None
    external_id_standin: bool = False
