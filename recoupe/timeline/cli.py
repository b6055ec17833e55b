"""`python -m recoupe timeline` (the series, as a table or JSON) and `python -m recoupe marker`
(the dates people mark on every timeline)."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import date

import pandas as pd

from ..access import actor_for
from ..cliutil import add_json_option, add_workspace_option, fail
from ..errors import RecoupeError
from ..i18n import _
from ..workspace import open_workspace
from . import charts, series
from .markers import add_marker, markers as all_markers, remove_marker

BAR_WIDTH = 40


def add_commands(sub) -> None:
    from ..cli import add_days_options

    tl = sub.add_parser(
        "timeline", help="posts or prices per hour, day or week (days in Europe/Paris)",
        description="Print a series: how many posts per hour, day or week (in --tz, "
                    "Europe/Paris by default), of the whole workspace or of a chat, a search, a "
                    "saved search, a substance, a zone or a contact; with --prices, the median "
                    "and range of the per-unit prices of --substance. Periods without posts are "
                    "printed with 0. The markers (Black Friday, Christmas, New Year and those "
                    "added with `marker add`) are listed after the series.")
    add_workspace_option(tl)
    tl.add_argument("--by", choices=series.UNITS, default="day", help="period (default: day)")
    tl.add_argument("--query", metavar="Q", help="only the posts this search finds")
    tl.add_argument("--saved", metavar="NAME", help="only the hits of this saved search of --user")
    tl.add_argument("--user", metavar="NAME", help="whose saved search (default: $RECOUPE_USER)")
    tl.add_argument("--chat", metavar="NAME", action="append", help="only this chat (repeatable)")
    tl.add_argument("--substance", metavar="S",
                    help="only posts naming this substance (cocaine, cannabis-herb…); with "
                         "--prices, its prices")
    tl.add_argument("--zone", metavar="Z", help="only posts naming this zone (Aubagne…)")
    tl.add_argument("--contact", metavar="C", help="only posts naming this contact "
                                                   "(phone:+33…, telegram:@…)")
    tl.add_argument("--per-chat", action="store_true", help="one series per chat")
    tl.add_argument("--prices", action="store_true",
                    help="price per unit (median, lowest, highest, number of prices) instead of "
                         "posts")
    add_days_options(tl)
    tl.add_argument("--png", metavar="FILE", help="also draw the chart into this PNG file")
    add_json_option(tl, '{"by", "tz", "scope", "series": [{"period", "series", "chat_id", '
                        '"items"} or price rows], "markers": [...]}')
    tl.set_defaults(handler=cmd_timeline)

    mk = sub.add_parser("marker", help="dates marked on every timeline (list, add, remove)",
                        description="The markers drawn on every timeline: Black Friday, "
                                    "Christmas and New Year, and the dates people add (\"police "
                                    "operation in Grenoble\"). Adding or removing one is "
                                    "recorded in the audit trail under --user.")
    msub = mk.add_subparsers(dest="marker_command", metavar="ACTION", required=True)
    ls = msub.add_parser("list", help="list the markers", description="List the markers.")
    add_workspace_option(ls)
    add_json_option(ls, "the markers")
    ls.set_defaults(handler=cmd_marker_list)
    ad = msub.add_parser("add", help="add a marker", description="Add a marker: a day (or "
                                                                   "a period with --until).")
    ad.add_argument("day", metavar="DAY", help="the day, YYYY-MM-DD (in Europe/Paris)")
    ad.add_argument("label", metavar="LABEL", help='what happened, e.g. "police operation"')
    ad.add_argument("--until", metavar="DAY", help="the last day of a period (YYYY-MM-DD)")
    ad.add_argument("--note", help="where it comes from (an article, a press release)")
    ad.add_argument("--user", metavar="NAME", help="who adds it (default: $RECOUPE_USER)")
    add_workspace_option(ad)
    ad.set_defaults(handler=cmd_marker_add)
    rm = msub.add_parser("remove", help="remove a marker", description="Remove a marker "
                                                                         "people added, by id.")
    rm.add_argument("id", type=int, metavar="ID")
    rm.add_argument("--user", metavar="NAME", help="who removes it (default: $RECOUPE_USER)")
    add_workspace_option(rm)
    rm.set_defaults(handler=cmd_marker_remove)


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RecoupeError(_("{option} takes a day as YYYY-MM-DD, not {text!r}.",
                             option=option, text=text)) from None


def _scope(ws, args, since, until) -> series.Scope:
    chosen = [o for o in ("query", "saved", "substance", "zone", "contact")
              if getattr(args, o) and not (o == "substance" and args.prices)]
    if len(chosen) > 1:
        raise RecoupeError(_("Give one of --query, --saved, --substance, --zone, --contact "
                             "(not {options}).", options=", ".join(f"--{o}" for o in chosen)))
    chats = series.chat_ids(ws, args.chat)
    if args.saved:
        from ..access import default_name
        scope = series.saved_scope(ws, args.user or default_name(), args.saved)
    elif args.query:
        scope = series.Scope(query=args.query)
    elif chosen:
        kind = chosen[0]
        scope = series.Scope(entity=(kind, getattr(args, kind)))
    else:
        scope = series.Scope()
    return replace(scope, chat_ids=chats, since=since, until=until)


def cmd_timeline(args) -> int:
    from ..cli import UsageError, days_bounds
    try:
        since, until = days_bounds(args)
    except UsageError as exc:
        return fail(str(exc), 2)
    with open_workspace(args.workspace, read_only=True) as ws:
        scope = _scope(ws, args, since, until)
        if args.prices:
            frame = series.prices(ws, args.substance, by=args.by, tz=args.tz,
                                  chat_ids=scope.chat_ids, since=since, until=until,
                                  per_chat=args.per_chat)
        else:
            frame = series.volume(ws, scope, by=args.by, tz=args.tz, split=args.per_chat)
        view = series.days_in_view(frame, args.by)
        marks = all_markers(ws, *view) if view else []
    if args.png:
        chart = (charts.price_chart(frame, marks, by=args.by, tz=args.tz) if args.prices
                 else charts.volume_chart(frame, marks, by=args.by, tz=args.tz))
        with open(args.png, "wb") as f:
            f.write(charts.png(chart, width=900, height=320))
    if args.json:
        print(json.dumps({"by": args.by, "tz": args.tz, "scope": scope.as_dict(),
                          "series": _json_rows(frame),
                          "markers": [m.as_dict() for m in marks]},
                         ensure_ascii=False, default=_json_default))
        return 0
    if frame.empty:
        print(_("No post in this timeline."))
        return 0
    _print_prices(frame, args.by) if args.prices else _print_volume(frame, args.by, scope)
    for m in marks:
        print(_("marker {days}: {label}", days=m.first_day.isoformat() + (
            f" → {m.last_day.isoformat()}" if m.last_day else ""), label=m.label))
    return 0


def _json_default(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _json_rows(frame) -> list[dict]:
    out = []
    for row in frame.to_dict("records"):
        row = {k: (None if not isinstance(v, str) and pd.isna(v) else v)
               for k, v in row.items()}
        row["period"] = row["period"].isoformat()
        if "chat_id" in row and row["chat_id"] is not None:
            row["chat_id"] = int(row["chat_id"])
        out.append(row)
    return out


def _print_volume(frame, by: str, scope) -> None:
    top = max(int(frame["items"].max()), 1)
    print(_("{what}, per {by} ({n} posts)", what=scope.describe(), by=by,
            n=int(frame["items"].sum())))
    for row in frame.itertuples(index=False):
        bar = "█" * round(BAR_WIDTH * row.items / top)
        label = charts.period_label(row.period, by)
        who = "" if pd.isna(row.chat_id) else f"  {row.series}"
        print(f"{label:<24} {row.items:>7}  {bar}{who}")


def _print_prices(frame, by: str) -> None:
    print(f"{'period':<24} {'series':<24} {'median':>8} {'lowest':>8} {'highest':>8} "
          f"{'prices':>6}  unit")
    for row in frame.itertuples(index=False):
        print(f"{charts.period_label(row.period, by):<24} {str(row.series)[:24]:<24} "
              f"{row.median:>8.2f} {row.low:>8.2f} {row.high:>8.2f} {row.observations:>6}  "
              f"{row.currency}/{row.unit}")


def cmd_marker_list(args) -> int:
    with open_workspace(args.workspace, read_only=True) as ws:
        marks = all_markers(ws)
    if args.json:
        print(json.dumps([m.as_dict() for m in marks], ensure_ascii=False))
        return 0
    for m in marks:
        days = m.first_day.isoformat() + (f" → {m.last_day.isoformat()}" if m.last_day else "")
        who = f"#{m.id} {_('added by {name}', name=m.created_by)}" if m.id else _("built in")
        print(f"{days:<24} {m.label}  ({who})")
    return 0


def cmd_marker_add(args) -> int:
    first = _day(args.day, "DAY")
    last = _day(args.until, "--until") if args.until else None
    with open_workspace(args.workspace) as ws:
        actor = actor_for(ws, args.user)
        marker_id = add_marker(ws, actor, first, args.label, last_day=last,
                                           note=args.note)
    print(_("marker {id} added", id=marker_id))
    return 0


def cmd_marker_remove(args) -> int:
    with open_workspace(args.workspace) as ws:
        actor = actor_for(ws, args.user)
        remove_marker(ws, actor, args.id)
    print(_("marker {id} removed", id=args.id))
    return 0
