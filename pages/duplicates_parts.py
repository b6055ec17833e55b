"""Near-duplicate pieces drawn on several pages: the Duplicates page, search hits, the item view.

Kept apart from those pages so that their own edits (and translations) merge easily: each page
calls one function here.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from recoupe import duplicates
from recoupe.duplicates.diff import COLOURS as CHANGE_COLOURS, changes, summary as entity_changes
from recoupe.i18n import _, N_, _n
from recoupe.render import escape_markdown, marked_markdown
from recoupe.times import DISPLAY_TZ, local, show

DIFF_LABELS = {"price": N_("the price"), "phone": N_("the phone number"), "handle": N_("the handle")}


def copies_label(copies: int, chats: int) -> str:
    return _n("{n} copy in {chats} chats", "{n} copies in {chats} chats", copies,
              chats=chats) if chats != 1 else _n("{n} copy in 1 chat", "{n} copies in 1 chat", copies)


def hit_counts(ws, hits) -> dict[int, tuple[int, int, int]]:
    """(copies, chats, cluster) of each search hit in a cluster, in one query."""
    return duplicates.counts_for(ws, [h.id for h in hits])


def collapse(hits, counts: dict) -> list:
    """The hits with one per cluster (the first, i.e. the best ranked), others dropped."""
    seen: set[int] = set()
    out = []
    for h in hits:
        c = counts.get(h.id)
        if c is not None:
            if c[2] in seen:
                continue
            seen.add(c[2])
        out.append(h)
    return out


COLLAPSE_WINDOW = 1000  # hits read to collapse them by cluster (the search's own page limit)


def collapsed_hits(ws, result, query: str, filters: dict, sort: str, page: int, size: int):
    """The page's hits with one per cluster: the best-ranked copy of each cluster among the first
    COLLAPSE_WINDOW hits, then paged. Returns (hits of this page, counts, how many remain)."""
    from recoupe.search import search
    window = result if result.total <= len(result.hits) else search(
        ws, query, filters=filters, sort=sort, offset=0, limit=COLLAPSE_WINDOW, facets=False)
    counts = hit_counts(ws, window.hits)
    kept = collapse(window.hits, counts)
    return kept[page * size:(page + 1) * size], counts, len(kept)


def hit_badge(counts: dict, item_id: int) -> None:
    """Under a search hit: "7 copies in 3 chats", linking to its cluster."""
    c = counts.get(item_id)
    if c is not None:
        st.page_link("pages/duplicates.py", label=copies_label(c[0], c[1]), icon="🔁",
                     query_params={"cluster": str(c[2])})


def item_panel(ws, item: dict) -> None:
    """In the item view: its cluster (who posted first), and for a screenshot, the closest
    messages with what differs."""
    found = duplicates.cluster_of(ws, item["id"])
    if item.get("platform") == "screenshot":
        _screen_panel(ws, item["id"])
    if found is None:
        return
    st.subheader(_("Copies of this advert"))
    first = _("this item") if found["first_item_id"] == item["id"] else \
        _("item {id}", id=found["first_item_id"])
    st.text(_("{copies} · first posted in {chat} on {when} ({first})",
              copies=copies_label(found["size"], found["chats"]), chat=found["first_chat"],
              when=show(found["first_seen_utc"]), first=first))
    st.page_link("pages/duplicates.py", label=_("See every copy and what changed"), icon="🔁",
                 query_params={"cluster": str(found["cluster_id"])})


def _screen_panel(ws, item_id: int) -> None:
    matches = duplicates.screen_matches(ws, item_id)
    st.subheader(_("Messages this screenshot shows"))
    if not matches:
        st.info(_("No message of the workspace matches this screenshot's text."))
        return
    st.caption(_("Closest messages by the OCR text, with a score out of 100. A close match that "
                 "differs in a price, a phone number or a handle is flagged: the screen does not "
                 "show what that message says."))
    for m in matches:
        with st.container(border=True):
            flag = ""
            if m["differs"]:
                flag = " · ⚠️ " + _("mismatch: differs in {what}", what=", ".join(
                    _(DIFF_LABELS[d]) for d in m["differs"]))
            st.markdown(f"**{m['score']:.0f}**/100 · {escape_markdown(m['chat'] or '')} · "
                        f"{escape_markdown(show(m['posted_at_utc']))}{flag}")
            st.text((m["text"] or "")[:400])
            st.page_link("pages/item.py", label=_("Open item {id}", id=m["item_id"]),
                         query_params={"id": str(m["item_id"])})


def spread_chart(rows: list[dict]) -> alt.Chart | None:
    """Points per chat over time (Paris): how the advert spread."""
    data = pd.DataFrame([{"chat": r["chat"] or "?", "item": r["item_id"],
                          "posted": local(r["posted_at_utc"]).replace(tzinfo=None)}
                         for r in rows if r["posted_at_utc"] is not None])
    if data.empty:
        return None
    when = _("Posted ({zone})", zone=DISPLAY_TZ)
    return alt.Chart(data).mark_circle(size=140).encode(
        x=alt.X("posted:T", title=when),
        y=alt.Y("chat:N", title=None, sort=alt.EncodingSortField("posted", op="min")),
        color=alt.Color("chat:N", legend=None),
        tooltip=[alt.Tooltip("chat:N", title=_("Chat")), alt.Tooltip("posted:T", title=when,
                                                                     format="%Y-%m-%d %H:%M"),
                 alt.Tooltip("item:Q", title=_("Item"))],
    ).properties(height=40 + 36 * data["chat"].nunique())


def copy_changes(first: dict, copy: dict, entities: dict[int, list[dict]]) -> tuple[str, str]:
    """(Markdown of the copy with its changes marked, a line saying what changed)."""
    marks = changes(first["text"], copy["text"])
    md = marked_markdown(copy["text"], marks, CHANGE_COLOURS) or "*" + _("(no text)") + "*"
    diff = entity_changes(entities.get(first["item_id"], []), entities.get(copy["item_id"], []))
    parts = []
    for kind, (was, now) in diff.items():
        parts.append(_("{what}: {was} → {now}", what=_(DIFF_LABELS[kind]),
                       was=", ".join(was) or "—", now=", ".join(now) or "—"))
    return md, " · ".join(parts)
