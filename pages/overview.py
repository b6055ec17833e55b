"""The workspace overview: what is in it, from the store."""

import pandas as pd
import streamlit as st

from pages.common import through_app, workspace_or_stop
from recoupe.overview import overview
from recoupe.times import DISPLAY_TZ, show

through_app()
st.title("Workspace")

with workspace_or_stop() as ws:
    ov = overview(ws)

st.caption(f"Folder: {ov['workspace']} · times in {DISPLAY_TZ}")
t = ov["totals"]
if not t["sources"]:
    st.info("This workspace is empty. Add exports and screenshots from the Import page.")
    st.stop()

cols = st.columns(5)
cols[0].metric("Source files", t["sources"])
cols[1].metric("Chats", t["chats"])
cols[2].metric("Posts", f"{t['posts']:,}".replace(",", " "))
cols[3].metric("Events", t["events"])
cols[4].metric("Earlier versions", t["versions"], help="texts replaced by a later edit")
st.text(f"Posts from {show(t['first_post_utc'])} to {show(t['last_post_utc'])}")

news = ov["saved_news"]
if news:
    st.subheader("Saved searches with news")
    st.dataframe(pd.DataFrame([{"Saved search": n["name"], "By": n["owner"], "Query": n["query"],
                                "New since the last import": n["new"]} for n in news]),
                 hide_index=True, width="stretch")

st.subheader("Chats")
chats = pd.DataFrame([{
    "Chat": c["name"] or "(unnamed)", "Platform": c["platform"], "Type": c["chat_type"],
    "Posts": c["posts"], "Events": c["events"], "Edited": c["edited"],
    "First post": show(c["first_post_utc"]), "Last post": show(c["last_post_utc"]),
} for c in ov["chats"]])
left, right = st.columns([3, 2])
left.dataframe(chats, hide_index=True, width="stretch")
right.bar_chart(chats.set_index("Chat")["Posts"], horizontal=True)

st.subheader("What the adverts mention")
st.caption("Posts that name each substance, zone and contact (extracted at import; "
           "`python -m recoupe enrich` after a lexicon change).")
tops = st.columns(4)
for col, (kind, label) in zip(tops, (("substance", "Substance"), ("zone", "Zone"),
                                     ("contact", "Contact"))):
    col.dataframe(pd.DataFrame([{label: r["value"], "Posts": r["posts"]} for r in ov["top"][kind]],
                               columns=[label, "Posts"]), hide_index=True, width="stretch")
tops[3].dataframe(pd.DataFrame([{"Language": r["lang"], "Posts": r["posts"]}
                                for r in ov["languages"]], columns=["Language", "Posts"]),
                  hide_index=True, width="stretch")

st.subheader("Last imports")
st.dataframe(pd.DataFrame([{
    "Run": r["id"], "Started": show(r["started_at_utc"]), "By": r["user_name"],
    "From": r["command"], "Files ingested": r["ingested"], "Files rejected": r["rejected"],
} for r in ov["runs"]]), hide_index=True, width="stretch")

st.subheader("Source files")
st.dataframe(pd.DataFrame([{
    "File": s["original_name"], "Handed in from": s["original_path"] or "",
    "Format": s["format"], "Imported": show(s["imported_at_utc"]),
    "By": s["imported_by"], "New": s["items_new"], "Updated": s["items_updated"],
    "Unchanged": s["items_unchanged"], "Size (bytes)": s["size_bytes"],
    "Zone assumed": s["tz_assumed"] or "", "SHA-256": s["sha256"],
} for s in ov["sources"]]), hide_index=True, width="stretch")

if ov["rejections"]:
    st.subheader("Rejected files")
    st.dataframe(pd.DataFrame([{
        "File": r["path"], "Reason": r["reason"], "When": show(r["rejected_at_utc"]),
    } for r in ov["rejections"]]), hide_index=True, width="stretch")
