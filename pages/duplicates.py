"""Duplicates: every copy of an advert, who posted it first, how it spread and what changed."""

import pandas as pd
import streamlit as st

from pages.case_parts import add_to_case
from pages.common import through_app, workspace_or_stop
from pages.duplicates_parts import copies_label, copy_changes, spread_chart
from recoupe import duplicates
from recoupe.i18n import _
from recoupe.render import escape_markdown
from recoupe.times import DISPLAY_TZ, show

through_app()
st.title(_("Duplicates"))
st.caption(_("Copies of one advert are grouped even when they differ by prices, emoji, case, "
             "accents, spacing, line order, disguised letters, a footer, the relay's contact or "
             "OCR errors; adverts on the same template that sell other things elsewhere are not. "
             "Times in {zone}.", zone=DISPLAY_TZ))

with workspace_or_stop() as ws:
    totals = duplicates.summary(ws)
    listed = duplicates.clusters(ws, 200)

if not totals["clusters"]:
    st.info(_("No advert has a copy in this workspace yet. Clusters are made after each import, "
              "or with `python -m recoupe duplicates`."))
    st.stop()

cols = st.columns(3)
cols[0].metric(_("Clusters"), totals["clusters"])
cols[1].metric(_("Items in a cluster"), totals["items"])
cols[2].metric(_("Most chats reached"), max((c["chats"] for c in listed), default=0))

st.subheader(_("Clusters, widest spread first"))
table = pd.DataFrame([{
    _("Cluster"): c["cluster_id"], _("Chats"): c["chats"], _("Copies"): c["size"],
    _("First posted in"): c["first_chat"], _("First seen"): show(c["first_seen_utc"]),
    _("Advert"): (c["first_text"] or "").split("\n", 1)[0][:80],
} for c in listed])
st.dataframe(table, hide_index=True, width="stretch")

asked = st.query_params.get("cluster")
ids = [c["cluster_id"] for c in listed]
try:
    wanted = int(asked) if asked else None
except ValueError:
    wanted = None
if wanted is not None and wanted not in ids:
    ids = [wanted, *ids]
labels = {c["cluster_id"]: f"#{c['cluster_id']} · {copies_label(c['size'], c['chats'])} · "
                           f"{(c['first_text'] or '').splitlines()[0][:60] if c['first_text'] else ''}"
          for c in listed}
chosen = st.selectbox(_("Open a cluster"), ids, index=ids.index(wanted) if wanted in ids else 0,
                      format_func=lambda i: labels.get(i, f"#{i}"))
if chosen != wanted:
    st.query_params["cluster"] = str(chosen)

with workspace_or_stop() as ws:
    rows = duplicates.copies(ws, chosen)
    entities = duplicates.entities_of_cluster(ws, chosen)

if not rows:
    st.warning(_("There is no cluster {id} in this workspace.", id=chosen))
    st.stop()

first = rows[0]
chat_count = len({r["chat"] for r in rows})
st.subheader(_("Cluster {id}: {copies}", id=chosen, copies=copies_label(len(rows), chat_count)))
st.markdown(_("**Posted first** in {chat} on {when}, by {author}.", chat=escape_markdown(
    first["chat"] or ""), when=show(first["posted_at_utc"]) or _("an unknown time"),
    author=escape_markdown(first["author"] or _("an unknown author"))))
with st.container(border=True):
    st.text(first["text"])
if first["edited_at_utc"]:
    st.caption(_("Edited on {when}: the text above is the latest; copies made before the edit "
                 "show the earlier one (the item view keeps every version).",
                 when=show(first["edited_at_utc"])))
st.page_link("pages/item.py", label=_("Open item {id}", id=first["item_id"]),
             query_params={"id": str(first["item_id"])})
add_to_case(first["item_id"], key=f"dup-first-{first['item_id']}")

chart = spread_chart(rows)
if chart is not None:
    st.subheader(_("How it spread"))
    st.altair_chart(chart, width="stretch")

st.subheader(_("Every copy, oldest first"))
st.dataframe(pd.DataFrame([{
    _("Item"): r["item_id"], _("Chat"): r["chat"], _("Posted"): show(r["posted_at_utc"]),
    _("Author"): r["author"] or "", _("Platform"): r["platform"],
    _("Forwarded from"): r["forwarded_from"] or "",
    _("Edited at"): show(r["edited_at_utc"]) + (f" ({r['versions']})" if r["versions"] else ""),
    _("Found as"): r["via"],
    _("Score"): r["score"],
} for r in rows]), hide_index=True, width="stretch")

st.subheader(_("What each copy changed"))
st.caption(_("Marked in the copy: changed numbers and prices, changed contacts, changed words, "
             "added words. Case, accents, emoji and disguised letters are not counted as changes."))
for r in rows[1:]:
    md, line = copy_changes(first, r, entities)
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(r['chat'] or '')}** · "
                    f"{escape_markdown(show(r['posted_at_utc']) or '')} · "
                    + _("item {id}", id=r["item_id"]))
        if line:
            st.markdown("**" + _("Changed") + ":** " + escape_markdown(line))
        st.markdown(md)
        add_to_case(r["item_id"], key=f"dup-{r['item_id']}")
