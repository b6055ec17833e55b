"""Markers: the dates that matter to a story, drawn on every timeline.

Black Friday, Christmas and New Year are computed for the years in view (never stored). People
add their own ("police operation in Grenoble", a period of several days), kept in the workspace
with who added them and when; adding or removing one takes an `Actor` with `timeline.write`
and writes an entry in the audit trail, in the same transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from .. import audit
from ..access import Actor, require
from ..errors import RecoupeError
from ..i18n import _
from ..workspace import Workspace, utcnow

MAX_LABEL = 120
MAX_NOTE = 2000
BUILTIN = ("black_friday", "christmas", "new_year")


@dataclass(frozen=True)
class Marker:
    """A day (or the days first_day..last_day) with a label. `id` and `created_by` are None
    for the built-in dates."""

    first_day: date
    label: str
    last_day: date | None = None
    kind: str = "user"          # 'user', or which built-in date
    id: int | None = None
    note: str | None = None
    created_by: str | None = None
    created_at_utc: object = None

    @property
    def end_day(self) -> date:
        return self.last_day or self.first_day

    def as_dict(self) -> dict:
        out = asdict(self)
        for key in ("first_day", "last_day", "created_at_utc"):
            out[key] = out[key].isoformat() if out[key] is not None else None
        return out


def black_friday(year: int) -> date:
    """The day after the fourth Thursday of November."""
    first = date(year, 11, 1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    return thursday + timedelta(days=22)


def builtin_markers(years) -> list[Marker]:
    """Black Friday, Christmas and New Year's Day for each year (labels in the current
    language)."""
    out = []
    for year in sorted(set(years)):
        out.append(Marker(black_friday(year), _("Black Friday"), kind="black_friday"))
        out.append(Marker(date(year, 12, 25), _("Christmas"), kind="christmas"))
        out.append(Marker(date(year, 1, 1), _("New Year"), kind="new_year"))
    return sorted(out, key=lambda m: m.first_day)


def markers(ws: Workspace, first: date | None = None, last: date | None = None, *,
            builtin: bool = True) -> list[Marker]:
    """The markers overlapping first..last (both included; None: open): the built-in dates of
    the years in view (with an open bound, the years of the workspace's posts) and those people
    added, by day."""
    user = [Marker(r["first_day"], r["label"], r["last_day"], "user", r["id"], r["note"],
                   r["created_by"], r["created_at_utc"]) for r in ws.rows("timeline.markers")]
    out = [m for m in user if (first is None or m.end_day >= first)
           and (last is None or m.first_day <= last)]
    if builtin:
        low, high = first, last
        if low is None or high is None:  # the days of the workspace's posts, and the week after
            from .series import span
            begin, end = span(ws)
            low = low or (begin.date() if begin else date.today())
            high = high or ((end.date() if end else low) + timedelta(days=7))
        out += [m for m in builtin_markers(range(low.year, high.year + 1))
                if low <= m.first_day <= high]
    return sorted(out, key=lambda m: (m.first_day, m.kind != "user", m.label))


def _clean(text: str | None, limit: int, what: str) -> str | None:
    text = " ".join((text or "").split())
    if len(text) > limit:
        raise RecoupeError(_("The {what} is {n} characters long; {limit} at most.",
                             what=what, n=len(text), limit=limit))
    return text or None


def add_marker(ws: Workspace, actor: Actor, first_day: date, label: str, *,
               last_day: date | None = None, note: str | None = None) -> int:
    """Add a marker (a day, or first_day..last_day) and return its id."""
    require(actor, "timeline.write", _("add a marker to the timelines"))
    label = _clean(label, MAX_LABEL, _("label"))
    if not label:
        raise RecoupeError(_("A marker needs a label, such as \"police operation in Grenoble\"."))
    if not isinstance(first_day, date):
        raise RecoupeError(_("A marker needs a day."))
    if last_day is not None and last_day < first_day:
        raise RecoupeError(_("The marker's last day {last} is before its first day {first}.",
                             last=last_day.isoformat(), first=first_day.isoformat()))
    if last_day == first_day:
        last_day = None
    note = _clean(note, MAX_NOTE, _("note"))
    with ws.transaction():
        marker_id = ws.one("timeline.add_marker", {
            "first_day": first_day, "last_day": last_day, "label": label, "note": note,
            "actor": actor.name, "now": utcnow()})
        audit.record(ws, actor.name, "timeline.marker.add", "marker", marker_id, detail={
            "first_day": first_day.isoformat(),
            "last_day": last_day.isoformat() if last_day else None,
            "label": label, "note": note})
    return marker_id


def remove_marker(ws: Workspace, actor: Actor, marker_id: int) -> None:
    """Remove a marker people added; the audit trail keeps what it said."""
    require(actor, "timeline.write", _("remove a marker from the timelines"))
    with ws.transaction():
        rows = ws.rows("timeline.marker", {"id": int(marker_id)})
        if not rows:
            raise RecoupeError(_("There is no marker {id} in this workspace.", id=marker_id))
        ws.q("timeline.remove_marker", {"id": int(marker_id)})
        r = rows[0]
        audit.record(ws, actor.name, "timeline.marker.remove", "marker", marker_id, detail={
            "first_day": r["first_day"].isoformat(),
            "last_day": r["last_day"].isoformat() if r["last_day"] else None,
            "label": r["label"], "note": r["note"], "created_by": r["created_by"]})
