"""Series over time, aggregated in DuckDB (`queries/timeline.sql`), in the reader's zone.

A series counts the posts of a `Scope` (the whole workspace, some chats, a search or a saved
search, the posts naming a substance, a zone or a contact, a period) per hour, day or week of
zone `tz` (Europe/Paris unless the person picks another). A day is a calendar day there: a post
at 00:41 in Paris on 25 December, 23:41 UTC on the 24th, counts on the 25th.

Frames carry `period`, the start of the period as a naive wall-clock time of the zone (a day
starts at 00:00, a week on Monday at 00:00). Periods without any post are present with 0, so that
a chart or a table never hides a quiet day.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import pyarrow as pa

from ..errors import RecoupeError
from ..i18n import _
from ..times import DISPLAY_TZ
from ..workspace import Workspace

UNITS = ("hour", "day", "week")
ENTITY_KINDS = ("substance", "zone", "contact")
IDS_TABLE = "timeline_ids"
IDS_SCHEMA = pa.schema([("id", pa.int64())])
_FREQ = {"hour": "h", "day": "D", "week": "7D"}
_STEP = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(days=7)}
MAX_ITEMS = 1000  # items listed under a selected period


@dataclass(frozen=True)
class Scope:
    """Which posts a series counts. Empty: every post of the workspace.

    chat_ids: only these chats. since/until: naive UTC bounds (until excluded). entity: posts
    naming it, as (kind, value) with kind one of ENTITY_KINDS. query: the hits of a search (with
    `filters` as the Search page keeps them: a saved search's). label: what a legend calls it.
    """

    chat_ids: tuple[int, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    entity: tuple[str, str] | None = None
    query: str | None = None
    filters: dict = field(default_factory=dict)
    label: str | None = None

    def describe(self) -> str:
        """What the scope counts, in words (a chart's title, the CLI's heading)."""
        if self.label:
            return self.label
        if self.query:
            return _("posts matching {query}", query=self.query)
        if self.entity:
            return _("posts naming {value}", value=self.entity[1])
        return _("all posts")

    def as_dict(self) -> dict:
        return {"chat_ids": list(self.chat_ids), "since": self.since, "until": self.until,
                "entity": list(self.entity) if self.entity else None, "query": self.query,
                "filters": self.filters or None, "label": self.describe()}


def check_unit(by: str) -> str:
    if by not in UNITS:
        raise RecoupeError(_("Count by hour, day or week, not {by!r}.", by=by))
    return by


def chat_ids(ws: Workspace, names: list[str] | tuple[str, ...] | None) -> tuple[int, ...]:
    """The ids of chats given by name or id (a name several chats share gives them all)."""
    ids: set[int] = set()
    for name in names or ():
        if isinstance(name, int) or str(name).isdigit():
            ids.add(int(name))
            continue
        found = [r[0] for r in ws.q("search.chats_named", {"chat": str(name)}).fetchall()]
        if not found:
            raise RecoupeError(_("No chat named {name!r} in the workspace {root}.",
                                 name=str(name), root=str(ws.root)))
        ids.update(found)
    return tuple(sorted(ids))


def saved_scope(ws: Workspace, owner: str, name: str) -> Scope:
    """The scope of a person's saved search, by its name."""
    from ..saved import of_owner
    for saved in of_owner(ws, owner):
        if saved["name"] == name.strip():
            return Scope(query=saved["query"], filters=saved["filters"],
                         label=_("saved search {name}", name=saved["name"]))
    raise RecoupeError(_("{owner} has no saved search named {name!r}.", owner=owner, name=name))


@lru_cache(maxsize=64)
def bucket_us(tz: str) -> int:
    """The width of the UTC buckets `volume` counts in before moving them to zone `tz`: an hour
    when every offset the zone has had since 1970 is a whole hour, else a quarter of an hour
    (every offset in use is a whole number of quarters)."""
    try:
        zone = ZoneInfo(tz)
    except (ValueError, ZoneInfoNotFoundError):
        raise RecoupeError(_("Unknown time zone {tz!r}; use a name such as Europe/Paris.",
                             tz=tz)) from None
    moments = [datetime(year, month, 1, tzinfo=timezone.utc)
               for year in range(1970, 2041) for month in (1, 4, 7, 10)]
    whole = all(int(m.astimezone(zone).utcoffset().total_seconds()) % 3600 == 0 for m in moments)
    return (3600 if whole else 900) * 1_000_000


def _params(ws: Workspace, scope: Scope, by: str, tz: str) -> dict:
    """The statement parameters of a scope; registers the ids of a search's hits."""
    ids: list[int] = []
    if scope.query is not None:
        from ..search import hit_ids
        ids = hit_ids(ws, scope.query, scope.filters or None)
    ws.con.register(IDS_TABLE, pa.table({"id": pa.array(ids, pa.int64())}, schema=IDS_SCHEMA))
    kind, value = scope.entity or (None, None)
    if kind is not None and kind not in ENTITY_KINDS:
        raise RecoupeError(_("A timeline follows a substance, a zone or a contact, not {kind!r}.",
                             kind=kind))
    return {"chat_ids": list(scope.chat_ids), "since": scope.since, "until": scope.until,
            "entity_kind": kind, "entity_value": value, "with_ids": scope.query is not None,
            "unit": check_unit(by), "tz": tz, "bucket_us": bucket_us(tz)}


def _frame(ws: Workspace, name: str, params: dict) -> pd.DataFrame:
    return ws.q(name, params).df()


def period_end(period: datetime, by: str) -> datetime:
    """The start of the next period (the end of this one, excluded)."""
    return period + _STEP[check_unit(by)]


def _fill(frame: pd.DataFrame, by: str, keys: list[str]) -> pd.DataFrame:
    """Every period between the first and the last, with 0 where a series had no post."""
    if frame.empty:
        return frame
    start, end = frame["period"].min(), frame["period"].max()
    # (by hour, the wall-clock hour that clocks skip in spring is there with 0, and the one
    # they repeat in autumn holds both real hours)
    periods = pd.date_range(start, end, freq=_FREQ[by])
    groups = frame[keys].drop_duplicates()
    full = groups.merge(pd.DataFrame({"period": periods}), how="cross")
    out = full.merge(frame, on=keys + ["period"], how="left")
    out["items"] = out["items"].fillna(0).astype("int64")
    return out[["period"] + keys + ["items"]]


def volume(ws: Workspace, scope: Scope | None = None, *, by: str = "day",
           tz: str = DISPLAY_TZ, split: bool = False, direct: bool = False) -> pd.DataFrame:
    """Posts per period: columns period, series, chat_id, items.

    Without `split`, one series (`series` says what it counts, `chat_id` is NA); with it, one
    series per chat. `direct` uses the statement that converts every post's time (the
    benchmark's baseline); the result is the same.
    """
    scope = scope or Scope()
    params = _params(ws, scope, by, tz)
    raw = _frame(ws, "timeline.volume_direct" if direct else "timeline.volume", params)
    if raw.empty:
        return pd.DataFrame({"period": pd.Series([], dtype="datetime64[us]"),
                             "series": pd.Series([], dtype="object"),
                             "chat_id": pd.Series([], dtype="Int64"),
                             "items": pd.Series([], dtype="int64")})
    if split:
        raw = raw.rename(columns={"chat": "series"})
        out = _fill(raw[["period", "series", "chat_id", "items"]], by, ["series", "chat_id"])
    else:
        summed = raw.groupby("period", as_index=False)["items"].sum()
        summed["series"] = scope.describe()
        summed["chat_id"] = pd.NA
        out = _fill(summed, by, ["series", "chat_id"])
    out["chat_id"] = out["chat_id"].astype("Int64")
    return out.sort_values(["period", "series"], kind="stable").reset_index(drop=True)


def items_in(ws: Workspace, scope: Scope | None, first: datetime, last: datetime, *,
             by: str = "day", tz: str = DISPLAY_TZ, chat_id: int | None = None,
             limit: int = MAX_ITEMS) -> pd.DataFrame:
    """The posts a series counted in the periods `first`..`last` (period starts, wall-clock in
    `tz`; both included), oldest first: what a selection on a chart lists."""
    scope = scope or Scope()
    if chat_id is not None:
        scope = replace(scope, chat_ids=(int(chat_id),))
    params = _params(ws, scope, by, tz) | {"first": first, "last": last, "limit": limit}
    return _frame(ws, "timeline.volume_items", params)


def prices(ws: Workspace, substance: str | None = None, *, by: str = "day",
           tz: str = DISPLAY_TZ, chat_ids: tuple[int, ...] = (), since: datetime | None = None,
           until: datetime | None = None, per_chat: bool = False) -> pd.DataFrame:
    """Price per unit over time, from the extracted prices: one row per period and substance
    (and unit and currency, never mixed), with the number of observations and of posts, the
    median, the range (low, high) and the quartiles (q1, q3). Without `per_chat` the rows are
    over every chat (`series` is the substance); with it, one series per chat."""
    params = {"substance": substance, "chat_ids": list(chat_ids), "since": since,
              "until": until, "unit": check_unit(by), "tz": tz, "bucket_us": bucket_us(tz)}
    raw = _frame(ws, "timeline.prices", params)
    rows = raw[raw["chat_id"].notna()] if per_chat else raw[raw["chat_id"].isna()]
    rows = rows.copy()
    rows["series"] = rows["chat"] if per_chat else rows["substance"]
    if not per_chat:
        rows["chat"] = None
    rows["chat_id"] = rows["chat_id"].astype("Int64")
    cols = ["period", "series", "chat_id", "chat", "substance", "unit", "currency",
            "observations", "posts", "median", "low", "high", "q1", "q3"]
    return rows[cols].reset_index(drop=True)


def price_observations(ws: Workspace, substance: str, first: datetime, last: datetime, *,
                       by: str = "day", tz: str = DISPLAY_TZ, chat_ids: tuple[int, ...] = (),
                       limit: int = MAX_ITEMS) -> pd.DataFrame:
    """Each per-unit price of `substance` in the periods `first`..`last`: the post, its chat
    and time, the span as written ("10g = 60€"), the quantity, amount and price per unit."""
    return _frame(ws, "timeline.price_observations", {
        "substance": substance, "first": first, "last": last, "unit": check_unit(by),
        "tz": tz, "chat_ids": list(chat_ids), "limit": limit})


def priced_substances(ws: Workspace) -> list[dict]:
    """The substances that have per-unit prices (with their unit), most observed first."""
    return ws.rows("timeline.priced_substances")


def entity_values(ws: Workspace, kind: str, limit: int = 500) -> list[dict]:
    """The values of one kind of entity, by how many posts name them."""
    if kind not in ENTITY_KINDS:
        raise RecoupeError(_("A timeline follows a substance, a zone or a contact, not {kind!r}.",
                             kind=kind))
    return ws.rows("timeline.entity_values", {"kind": kind, "limit": limit})


def chats(ws: Workspace) -> list[dict]:
    """The chats that have dated posts, most posts first."""
    return ws.rows("timeline.chats")


def spread(ws: Workspace, item_ids, *, tz: str = DISPLAY_TZ) -> pd.DataFrame:
    """How a set of items spread: each item (a copy of an advert, a piece of evidence) with its
    chat and time, oldest first, with `local` (wall-clock in `tz`), `order` (1 for the first),
    `minutes_after_first` and `first_in_chat` (whether it is its chat's first copy).

    The Duplicates page draws a cluster's copies with it, and a case its evidence."""
    ids = sorted({int(i) for i in item_ids})
    ws.con.register(IDS_TABLE, pa.table({"id": pa.array(ids, pa.int64())}, schema=IDS_SCHEMA))
    frame = _frame(ws, "timeline.spread", {})
    if frame.empty:
        for col, dtype in (("local", "datetime64[us]"), ("order", "int64"),
                           ("minutes_after_first", "float64"), ("first_in_chat", "bool")):
            frame[col] = pd.Series([], dtype=dtype)
        return frame
    posted = pd.to_datetime(frame["posted_at_utc"])
    frame["local"] = (posted.dt.tz_localize("UTC").dt.tz_convert(tz).dt.tz_localize(None))
    first = posted.min()
    frame["order"] = range(1, len(frame) + 1)
    frame["minutes_after_first"] = ((posted - first).dt.total_seconds() / 60).round(1)
    frame["first_in_chat"] = ~frame.duplicated("chat_id")
    return frame


def days_in_view(frame: pd.DataFrame, by: str) -> tuple[date, date] | None:
    """The first and last calendar days a series' frame covers (for its markers)."""
    if frame.empty:
        return None
    last = period_end(frame["period"].max(), by) - timedelta(days=1)
    return frame["period"].min().date(), last.date()


def span(ws: Workspace) -> tuple[datetime | None, datetime | None]:
    """The first and last post times (UTC) of the workspace."""
    row = ws.rows("timeline.span")[0]
    return row["first_utc"], row["last_utc"]


def selected_periods(selection: dict | None, by: str) -> tuple[datetime, datetime] | None:
    """The periods (first, last start, wall-clock) a chart selection covers.

    `selection` is what the page's chart reports: {"period": {"t": [ms, ms]}} for a dragged
    interval, {"pick": [{"t": ms, ...}]} for a clicked point or bar. The chart draws wall-clock
    times as if they were UTC, so the milliseconds read back as wall-clock directly."""
    if not selection:
        return None
    brush = (selection.get("period") or {}).get("t")
    if brush and len(brush) == 2:
        low, high = sorted(_from_ms(v) for v in brush)
        return _truncate(low, by), _truncate(high, by)
    picks = [p.get("t") for p in selection.get("pick") or [] if p.get("t") is not None]
    if picks:
        times = sorted(_truncate(_from_ms(v), by) for v in picks)
        return times[0], times[-1]
    return None


def selected_chat(selection: dict | None) -> int | None:
    """The chat of a clicked point, when the series are split by chat."""
    for p in (selection or {}).get("pick") or []:
        if p.get("chat_id") is not None:
            return int(p["chat_id"])
    return None


def _from_ms(value) -> datetime:
    if isinstance(value, str):
        return datetime.fromisoformat(value.rstrip("Z"))
    return datetime(1970, 1, 1) + timedelta(milliseconds=float(value))


def _truncate(value: datetime, by: str) -> datetime:
    if by == "hour":
        return value.replace(minute=0, second=0, microsecond=0)
    day = value.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday()) if by == "week" else day
