"""Times for people: the store keeps UTC; people read Europe/Paris unless they pick a zone.

Dates are written in the current language (`recoupe.i18n`), with the CLDR's month names:
"24 Dec 2026 23:12" in English, "24 déc. 2026 23:12" in French.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from babel.dates import format_date, format_datetime

from ingest.timeutil import DEFAULT_TZ, zone

from .i18n import babel_locale

DISPLAY_TZ = DEFAULT_TZ


def local(value: datetime | None, tz: str = DISPLAY_TZ) -> datetime | None:
    """A naive UTC datetime as an aware datetime in zone `tz`."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc).astimezone(zone(tz))


def show(value: datetime | None, tz: str = DISPLAY_TZ) -> str:
    """'24 Dec 2026 23:12' (or '24 déc. 2026 23:12' in French) for a naive UTC datetime, in
    zone `tz`; '' for none."""
    loc = local(value, tz)
    return "" if loc is None else format_datetime(loc, "d MMM y HH:mm", locale=babel_locale())


def show_day(value: date | None) -> str:
    """'24 Dec 2026' (or '24 déc. 2026') for a calendar day; '' for none."""
    return "" if value is None else format_date(value, "d MMM y", locale=babel_locale())
