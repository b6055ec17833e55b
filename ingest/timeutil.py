"""Time helpers shared by the parsers.

The store keeps every time in UTC and, beside it, the offset the source gave. A source that gives a
local time without an offset is read in an assumed zone (`--tz`, Europe/Paris by default), and the
parser records that it assumed it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TZ = "Europe/Paris"
_EPOCH = datetime(1970, 1, 1)


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use a name such as Europe/Paris or UTC)") from None


def local_to_epoch(local: datetime, tz: str) -> tuple[int, int]:
    """(Unix seconds, offset minutes) of a naive local time read in zone `tz`."""
    aware = local.replace(tzinfo=zone(tz))
    offset = aware.utcoffset()
    return int(aware.timestamp()), int(offset.total_seconds() // 60) if offset is not None else 0


def offset_between(local: datetime, epoch: int) -> int:
    """The offset, in minutes, of a local clock that showed `local` at Unix time `epoch`."""
    return round(((local - _EPOCH).total_seconds() - epoch) / 60)


def epoch_to_utc(epoch: int | float) -> datetime:
    """A naive UTC datetime for Unix seconds."""
    return datetime.fromtimestamp(epoch, timezone.utc).replace(tzinfo=None)
