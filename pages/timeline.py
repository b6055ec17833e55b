"""Timeline: posts and prices over time, how an advert spread, and the dates that matter."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from pages.common import stop_without_posts, through_app, workspace_or_stop
from pages.signin import current_actor
from recoupe import timeline as tl
from recoupe.errors import RecoupeError
from recoupe.i18n import _, _n
from recoupe.items import parse_bound
from recoupe.render import escape_markdown
from recoupe.times import DISPLAY_TZ, show

through_app()
st.title(_("Timeline"))
stop_without_posts()  # before the controls: without posts there is nothing to count
st.caption(_("Days and hours are those of {zone}. Drag along the time axis to select a period, "
             "or click a bar or a point: its posts are listed under the chart.", zone=DISPLAY_TZ))

UNIT_LABELS = {"hour": _("Hour"), "day": _("Day"), "week": _("Week")}
SCOPES = {"all": _("All posts"), "chat": _("Chats"), "query": _("A search"),
          "saved": _("A saved search"), "substance": _("A substance"), "zone": _("A zone"),
          "contact": _("A contact")}
LISTED = 50

top = st.columns([2, 3])
by = top[0].segmented_control(_("Count per"), list(UNIT_LABELS), format_func=UNIT_LABELS.get,
                              default="day", key="tl_by") or "day"
days = top[1].date_input(_("Days ({zone})", zone=DISPLAY_TZ), value=(),
                         min_value=date(2000, 1, 1), key="tl_days")
since = until = None
if len(days) == 2:
    since = parse_bound(days[0].isoformat())
    until = parse_bound(days[1].isoformat(), end=True)


def listing(frame: pd.DataFrame) -> pd.DataFrame:
    """Posts as a table a person reads: time in Paris, chat, the text, a link to the item."""
    return pd.DataFrame({
        _("Posted"): [show(v) for v in frame["posted_at_utc"]],
        _("Chat"): frame["chat"].fillna(""),
        _("Text"): [" ".join(str(t).split())[:200] for t in frame["text"]],
        _("Item"): [f"item?id={i}" for i in frame["id"]],
    })


def show_listing(frame: pd.DataFrame, total: int | None = None) -> None:
    if frame.empty:
        st.info(_("No post in this selection."))
        return
    st.dataframe(listing(frame.head(LISTED)), hide_index=True, width="stretch",
                 column_config={_("Item"): st.column_config.LinkColumn(
                     _("Item"), display_text=r"item\?id=(\d+)")})
    if len(frame) > LISTED:
        st.caption(_("The first {n} of {total} posts; the CSV below has them all.",
                     n=LISTED, total=total or len(frame)))


def column_labels() -> dict[str, str]:
    """The data table's column names as people read them (the CSV keeps the machine names)."""
    return {"period": _("Period"), "series": _("Series"), "chat_id": _("Chat id"),
            "items": _("Posts"), "chat": _("Chat"), "substance": _("Substance"),
            "unit": _("Unit"), "currency": _("Currency"), "observations": _("Prices"),
            "posts": _("Posts"), "median": _("Median"), "low": _("Lowest"), "high": _("Highest"),
            "q1": _("First quartile"), "q3": _("Third quartile"), "id": _("Item"),
            "platform": _("Platform"), "message_id": _("Message id"), "author": _("Author"),
            "posted_at_utc": _("Posted (UTC)"), "forwarded_from": _("Forwarded from"),
            "text": _("Text"), "local": _("Posted (Paris)"), "order": _("Order"),
            "minutes_after_first": _("Minutes after the first"),
            "first_in_chat": _("First in its chat")}


def downloads(frame: pd.DataFrame, chart, name: str, key: str) -> None:
    """The chart's data as a table and CSV, and the chart as PNG (made when asked)."""
    with st.expander(_("Data of the chart ({n} rows)", n=len(frame))):
        labels = column_labels()
        st.dataframe(frame.rename(columns=lambda c: labels.get(c, c)), hide_index=True,
                     width="stretch")
    row = st.columns(3)
    row[0].download_button(_("CSV of the data"), frame.assign(zone=DISPLAY_TZ).to_csv(index=False),
                           file_name=f"recoupe-{name}.csv", mime="text/csv", key=f"{key}_csv")
    row[1].download_button(_("Chart as PNG"), lambda: tl.png(chart, width=1000, height=360),
                           file_name=f"recoupe-{name}.png", mime="image/png", key=f"{key}_png")


def selection_of(event) -> dict:
    try:
        return dict(event.selection) if event is not None else {}
    except (AttributeError, TypeError):
        return {}


def chart_with_selection(chart, key: str, split: bool):
    """Draw a chart; return (first, last, chat) of the periods selected on it, or None."""
    event = st.altair_chart(chart, on_select="rerun", key=key, width="stretch")
    picked = tl.selected_periods(selection_of(event), by)
    if not picked:
        return None
    return (*picked, tl.selected_chat(selection_of(event)) if split else None)


volume_tab, price_tab, spread_tab, marker_tab = st.tabs(
    [_("Posts"), _("Prices"), _("Spread of an advert"), _("Markers")])

with workspace_or_stop() as ws:
    chat_rows = tl.chats(ws)
    priced = tl.priced_substances(ws)
    chat_names = {r["id"]: r["name"] or _("(unnamed chat)") for r in chat_rows}

# ---- posts over time ----------------------------------------------------------------------
with volume_tab:
    what = st.radio(_("Count"), list(SCOPES), format_func=SCOPES.get, horizontal=True,
                    key="tl_what")
    chosen_chats = st.multiselect(_("Only these chats"), list(chat_names),
                                  format_func=chat_names.get, key="tl_chats")
    scope = tl.Scope(chat_ids=tuple(chosen_chats), since=since, until=until)
    ready = what != "chat" or bool(chosen_chats)
    if what == "query":
        q = st.text_input(_("Search"), key="tl_query",
                          placeholder=_("calendrier, zone:Aubagne, \"box noël\""))
        ready = bool(q.strip())
        scope = tl.Scope(query=q, chat_ids=scope.chat_ids, since=since, until=until)
    elif what == "saved":
        owner = current_actor().name  # one's own saved searches
        if owner.strip():
            from recoupe.saved import of_owner
            with workspace_or_stop() as ws:
                mine = of_owner(ws, owner)
            name = st.selectbox(_("Saved search"), [s["name"] for s in mine], index=None,
                                key="tl_saved")
            ready = name is not None
            if ready:
                with workspace_or_stop() as ws:
                    base = tl.saved_scope(ws, owner, name)
                scope = tl.Scope(query=base.query, filters=base.filters, label=base.label,
                                 chat_ids=scope.chat_ids, since=since, until=until)
        else:
            ready = False
    elif what in tl.ENTITY_KINDS:
        with workspace_or_stop() as ws:
            values = tl.entity_values(ws, what)
        options = {v["value"]: f"{v['value']} ({v['posts']})" for v in values}
        value = st.selectbox(SCOPES[what], list(options), format_func=options.get, index=None,
                             key=f"tl_{what}")
        ready = value is not None
        if ready:
            scope = tl.Scope(entity=(what, value), chat_ids=scope.chat_ids, since=since,
                             until=until)
    split = st.toggle(_("One line per chat"), key="tl_split")
    if not ready:
        st.info(_("Choose what to count."))
    else:
        try:
            with workspace_or_stop() as ws:
                frame = tl.volume(ws, scope, by=by, split=split)
                view = tl.days_in_view(frame, by)
                marks = tl.markers(ws, *view) if view else []
        except RecoupeError as exc:
            st.error(escape_markdown(str(exc)))
            frame = None
        if frame is not None and frame.empty:
            st.info(_("No post in this timeline."))
        elif frame is not None:
            st.write(_("**{n}** posts: {what}, per {unit}.", n=int(frame["items"].sum()),
                       what=escape_markdown(scope.describe()), unit=UNIT_LABELS[by].lower()))
            chart = tl.volume_chart(frame, marks, by=by, tz=DISPLAY_TZ)
            picked = chart_with_selection(chart, "tl_volume_chart", split)
            if picked:
                first, last, chat = picked
                st.subheader(_("Posts of {first} → {last}", first=tl.period_label(first, by),
                               last=tl.period_label(last, by)))
                with workspace_or_stop() as ws:
                    posts = tl.items_in(ws, scope, first, last, by=by, chat_id=chat)
                show_listing(posts)
            downloads(frame, chart, f"posts-per-{by}", "vol")

# ---- prices --------------------------------------------------------------------------------
with price_tab:
    if not priced:
        st.info(_("No post of this workspace gives a price per unit yet."))
    else:
        options = {}
        for r in priced:
            options.setdefault(r["substance"], f"{r['substance']} ({r['observations']})")
        substance = st.selectbox(_("Substance"), list(options), format_func=options.get,
                                 key="tl_substance")
        price_chats = st.multiselect(_("Only these chats"), list(chat_names),
                                     format_func=chat_names.get, key="tl_price_chats")
        per_chat = st.toggle(_("One line per chat"), key="tl_price_split")
        with workspace_or_stop() as ws:
            pframe = tl.prices(ws, substance, by=by, chat_ids=tuple(price_chats), since=since,
                               until=until, per_chat=per_chat)
            view = tl.days_in_view(pframe, by)
            pmarks = tl.markers(ws, *view) if view else []
        if pframe.empty:
            st.info(_("No price for {substance} in this period.",
                      substance=escape_markdown(substance)))
        else:
            st.write(_("**{n}** prices of {substance} in **{posts}** posts: the median of each "
                       "period, and a bar from its lowest to its highest price.",
                       n=int(pframe["observations"].sum()), substance=escape_markdown(substance),
                       posts=int(pframe["posts"].sum())))
            pchart = tl.price_chart(pframe, pmarks, by=by, tz=DISPLAY_TZ)
            picked = chart_with_selection(pchart, "tl_price_chart", per_chat)
            if picked:
                first, last, chat = picked
                chosen = (chat,) if chat is not None else tuple(price_chats)
                with workspace_or_stop() as ws:
                    obs = tl.price_observations(ws, substance, first, last, by=by,
                                                chat_ids=chosen)
                st.subheader(_("Prices of {first} → {last}", first=tl.period_label(first, by),
                               last=tl.period_label(last, by)))
                if obs.empty:
                    st.info(_("No post in this selection."))
                else:
                    st.dataframe(pd.DataFrame({
                        _("Posted"): [show(v) for v in obs["posted_at_utc"]],
                        _("Chat"): obs["chat"], _("As written"): obs["raw"],
                        _("Per unit"): obs["unit_price"], _("Unit"): obs["unit"],
                        _("Item"): [f"item?id={i}" for i in obs["id"]]}),
                        hide_index=True, width="stretch",
                        column_config={_("Item"): st.column_config.LinkColumn(
                            _("Item"), display_text=r"item\?id=(\d+)")})
            st.caption(_("Prices come from the posts' current text: a post edited later "
                         "counts with its new prices, on the day it was first posted."))
            downloads(pframe, pchart, f"prices-{substance}-per-{by}", "price")

# ---- spread of an advert ---------------------------------------------------------------------
with spread_tab:
    st.write(_("Each copy is a point on its chat's line, with its delay after the first one. "
               "Give the items (their ids, as in the item view's address), or the posts a "
               "search finds."))
    given = st.query_params.get("items", "")
    ids_text = st.text_input(_("Item ids"), value=given, key="tl_items",
                             placeholder="294, 436, 511")
    spread_query = st.text_input(_("Or a search"), key="tl_spread_query",
                                 placeholder=_("\"calendrier de l'avent\" jour 24"))
    ids: list[int] = []
    problem = None
    try:
        ids = [int(p) for p in ids_text.replace(";", ",").replace(" ", ",").split(",") if p]
    except ValueError:
        problem = _("Item ids are numbers separated by commas.")
    if spread_query.strip() and not problem:
        from recoupe.search import hit_ids
        try:
            with workspace_or_stop() as ws:
                found = hit_ids(ws, spread_query)
        except RecoupeError as exc:
            problem = escape_markdown(str(exc))
        else:
            if len(found) > 500:
                problem = _("{n} posts match; narrow the search to 500 at most.", n=len(found))
            ids += found
    if problem:
        st.error(problem)
    elif ids:
        with workspace_or_stop() as ws:
            sframe = tl.spread(ws, ids)
            smarks = (tl.markers(ws, sframe["local"].min().date(), sframe["local"].max().date())
                      if not sframe.empty else [])
        missing = len(set(ids)) - len(sframe)
        if missing and not sframe.empty:
            st.caption(_n("{n} of the items given is not in the workspace.",
                          "{n} of the items given are not in the workspace.", missing))
        if sframe.empty:
            st.info(_("None of these items is in the workspace."))
        else:
            chats_n = sframe["chat_id"].nunique()
            st.write(_("**{n}** posts in **{chats}** chats, from {first} to {last}.",
                       n=len(sframe), chats=chats_n, first=show(sframe["posted_at_utc"].min()),
                       last=show(sframe["posted_at_utc"].max())))
            schart = tl.spread_chart(sframe, smarks, tz=DISPLAY_TZ)
            event = st.altair_chart(schart, on_select="rerun", key="tl_spread_chart",
                                    width="stretch", height=60 * chats_n + 110)
            chosen = [p.get("id") for p in selection_of(event).get("pick") or []
                      if p.get("id") is not None]
            shown = sframe[sframe["id"].isin(chosen)] if chosen else sframe
            show_listing(shown)
            table = sframe.drop(columns=["text"]).assign(
                text=[" ".join(str(t).split()) for t in sframe["text"]])
            downloads(table, schart, "spread", "spread")

# ---- markers ---------------------------------------------------------------------------------
with marker_tab:
    with workspace_or_stop() as ws:
        all_marks = tl.markers(ws)
    st.write(_("Black Friday, Christmas and New Year are marked for the years in view; add the "
               "dates that matter to your story. They are drawn on every chart."))
    if all_marks:
        st.dataframe(pd.DataFrame({
            _("Days"): [m.first_day.isoformat() + (f" → {m.last_day.isoformat()}"
                                                   if m.last_day else "") for m in all_marks],
            _("Marker"): [m.label for m in all_marks],
            _("Note"): [m.note or "" for m in all_marks],
            _("Added by"): [m.created_by or _("built in") for m in all_marks],
            _("Added"): [show(m.created_at_utc) if m.created_at_utc else "" for m in all_marks],
        }), hide_index=True, width="stretch")
    actor = current_actor()  # the signed-in person (or the local user): never a typed name
    who = actor.name
    with st.form("tl_add_marker", clear_on_submit=True):
        label = st.text_input(_("What happened"), placeholder=_("police operation in Grenoble"),
                              key="tl_marker_label")
        marker_days = st.date_input(_("Day, or first and last day"), value=(),
                                    min_value=date(2000, 1, 1), key="tl_marker_days")
        note = st.text_input(_("Source (optional)"), placeholder=_("an article, a press release"),
                             key="tl_marker_note")
        submitted = st.form_submit_button(_("Add the marker"), key="tl_marker_add")
    if submitted:
        if not who.strip():
            st.error(_("Say who you are first: the marker keeps who added it."))
        elif not marker_days:
            st.error(_("Choose the day."))
        else:
            first_day = marker_days[0]
            last_day = marker_days[1] if len(marker_days) == 2 else None
            try:
                with workspace_or_stop(write=True) as ws:
                    tl.add_marker(ws, actor, first_day, label, last_day=last_day,
                                  note=note)
            except RecoupeError as exc:
                st.error(escape_markdown(str(exc)))
            else:
                st.success(_("Marker added."))
                st.rerun()
    mine = [m for m in all_marks if m.id is not None]
    if mine:
        gone = st.selectbox(_("Remove a marker"), [m.id for m in mine], index=None,
                            format_func={m.id: f"{m.first_day.isoformat()} {m.label}"
                                         for m in mine}.get, key="tl_remove")
        if st.button(_("Remove"), disabled=gone is None or not who.strip()):
            try:
                with workspace_or_stop(write=True) as ws:
                    tl.remove_marker(ws, actor, gone)
            except RecoupeError as exc:
                st.error(escape_markdown(str(exc)))
            else:
                st.rerun()
