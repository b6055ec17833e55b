"""The item view: one item whole, with its entities marked and its provenance."""

import pandas as pd
import streamlit as st

from pages.common import through_app, workspace_or_stop
from pages.duplicates_parts import item_panel
from recoupe.errors import RecoupeError
from recoupe.itemview import item_detail, neighbours
from recoupe.render import COLOURS, escape_markdown, marked_markdown
from recoupe.times import DISPLAY_TZ, show

through_app()
st.title("Item")

with workspace_or_stop() as ws:
    asked = st.query_params.get("id")
    try:
        item_id = int(asked) if asked else None
    except ValueError:
        item_id = None
    nb = neighbours(ws, item_id)
    item_id = item_id or nb["first"]
    if item_id is None:
        st.info("This workspace has no posts yet. Import exports from the Import page.")
        st.stop()
    try:
        d = item_detail(ws, item_id)
    except RecoupeError as exc:
        st.warning(f"{exc}. Try another id.")
        st.stop()
    nb = neighbours(ws, item_id)

nav = st.columns([1, 1, 2, 6])
if nav[0].button("← Previous", disabled=nb["previous"] is None):
    st.query_params["id"] = str(nb["previous"])
    st.rerun()
if nav[1].button("Next →", disabled=nb["next"] is None):
    st.query_params["id"] = str(nb["next"])
    st.rerun()
wanted = nav[2].number_input("Go to item", min_value=1, value=item_id, step=1)
if wanted != item_id:
    st.query_params["id"] = str(wanted)
    st.rerun()

it = d["item"]
st.text(f"{it['chat'] or '(unnamed chat)'} · {it['author'] or '(unknown author)'}")
offset = it["posted_offset_min"]
st.caption(f"{it['platform']} · {it['kind']} · message {it['message_id'] if it['message_id'] is not None else '—'} · "
           f"posted {show(it['posted_at_utc'])} ({DISPLAY_TZ}), {it['posted_at_utc']} UTC"
           + (f" · source offset {offset:+d} min" if offset is not None else "")
           + (f" · zone assumed: {it['tz_assumed']}" if it["tz_assumed"] else "")
           + (f" · edited {show(it['edited_at_utc'])}" if it["edited_at_utc"] else "")
           + (f" · language {it['lang']}" if it["lang"] else ""))
if it["forwarded_from"]:
    st.text(f"Forwarded from: {it['forwarded_from']}")

with st.container(border=True):
    st.markdown(marked_markdown(it["text"], d["entities"]) or "*(no text)*")
st.caption("Marked: " + " · ".join(f":{c}-background[{k}]" for k, c in COLOURS.items()))

with workspace_or_stop() as ws:
    item_panel(ws, it)

if d["entities"]:
    st.subheader("Entities")
    st.dataframe(pd.DataFrame([{k: v for k, v in e.items() if k != "lexicon_version"}
                               for e in d["entities"]]), hide_index=True, width="stretch")

st.subheader("Provenance")
st.dataframe(pd.DataFrame([{
    "Source file": s["original_name"], "SHA-256": s["sha256"], "Format": s["format"],
    "Parser": f"{s['parser']} {s['parser_version']}", "Imported": show(s["imported_at_utc"]),
    "By": s["imported_by"], "Handed in from": s["original_path"] or "",
} for s in d["sources"]]), hide_index=True, width="stretch")
if it.get("text_origin") and it["text_origin"] != "export":
    st.caption(f"Text from {it['text_origin']}"
               + (f", OCR confidence {it['ocr_confidence']:.0f}/100" if it["ocr_confidence"] else ""))

if d["versions"]:
    st.subheader("Earlier versions")
    for v in d["versions"]:
        st.caption(f"Edited {show(v['edited_at_utc']) or '(no edit time)'} · seen in "
                   f"{escape_markdown(v['source_file'])} ({v['source_sha256'][:16]}…)")
        st.text(v["text"])

if d["context"]:
    st.subheader("Around it in the chat")
    for c in d["context"]:
        with st.container(border=True):
            st.caption(f"{show(c['posted_at_utc'])} · {escape_markdown(c['author'] or '')} · item {c['id']}")
            st.text(c["text"])
