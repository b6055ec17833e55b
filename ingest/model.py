"""What a parser yields."""

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


@dataclass(frozen=True)
class Chat:
    """A chat or channel, yielded before its items."""

    platform: str
    external_id: str          # the platform's id; or a stand-in (see `external_id_standin`)
    name: str | None
    chat_type: str | None
    external_id_standin: bool = False
