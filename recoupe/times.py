"""Times for people: the store keeps UTC; people read Europe/Paris unless they pick a zone."""

from __future__ import annotations

from datetime import datetime, timezone

from ingest.timeutil import DEFAULT_TZ, zone

DISPLAY_TZ = DEFAULT_TZ


def local(value: datetime | None, tz: str = DISPLAY_TZ) -> datetime | None:
    """A naive UTC datetime as an aware datetime in zone `tz`."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc).astimezone(zone(tz))


def show(value: datetime | None, tz: str = DISPLAY_TZ) -> str:
    """'2026-12-24 23:40 CET' for a naive UTC datetime; '' for none."""
    loc = local(value, tz)
    return "" if loc is None else loc.strftime("%Y-%m-%d %H:%M %Z")
