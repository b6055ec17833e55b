"""The Import page: upload exports and screenshots, see what became of each file."""

import pandas as pd
import streamlit as st

from ingest.formats import known_formats
from ingest.timeutil import DEFAULT_TZ, zone
from pages.common import through_app, workspace_or_stop
from pages.signin import current_actor
from recoupe.imports import FileResult, Progress, import_paths, totals
from recoupe.uploads import saved_uploads

through_app()
st.title("Import")
limit_mb = st.get_option("server.maxUploadSize")
st.write("Upload exports and screenshots; the format of each file is detected.")
st.caption(f"Formats: {known_formats()}. Up to {limit_mb:,} MB per file "
           "(set by server.maxUploadSize in .streamlit/config.toml). Each original is kept in "
           "the workspace under its SHA-256.")

files = st.file_uploader("Files", accept_multiple_files=True, key="uploads")
actor = current_actor()
tz = st.text_input("Time zone of local times without offset", value=DEFAULT_TZ,
                   help="WhatsApp and older Telegram HTML exports give local times only; the "
                        "import records that it assumed this zone.")

try:
    zone(tz)
    tz_error = None
except ValueError as exc:
    tz_error = str(exc)
    st.error(f"{tz_error.capitalize()}.")

if st.button("Import", type="primary", disabled=not files or bool(tz_error)):
    total = sum(f.size for f in files) or 1
    bar = st.progress(0.0, text="Starting…")
    state = {"done": 0, "name": ""}

    def start(path, size):
        state["name"] = path.name
        bar.progress(min(state["done"] / total, 1.0), text=f"Reading {path.name}")

    def advance(n):
        state["done"] += n
        bar.progress(min(state["done"] / total, 1.0), text=f"Reading {state['name']}")

    def start_enrich(items):
        state["enrich_total"], state["enriched"] = max(items, 1), 0
        bar.progress(0.0, text=f"Extracting languages and entities from {items:,} items")

    def advance_enrich(n):
        state["enriched"] += n
        bar.progress(min(state["enriched"] / state["enrich_total"], 1.0),
                     text=f"Extracting languages and entities: {state['enriched']:,} items")

    with workspace_or_stop(write=True) as ws:
        with saved_uploads(ws, [(f.name, f) for f in files]) as paths:
            results = import_paths(ws, paths, tz=tz, actor=actor, command="app",
                                   progress=Progress(start, advance, lambda r: None,
                                                     start_enrich, advance_enrich))
    bar.progress(1.0, text="Done")
    st.session_state["import_results"] = [r.as_json() for r in results]

if results := st.session_state.get("import_results"):
    t = totals([FileResult(**r) for r in results])
    (st.warning if t["rejected"] else st.success)(
        f"{t['files']} file(s): {t['ingested']} imported, {t['unchanged']} already there, "
        f"{t['rejected']} rejected; {t['items_new']} new items.")
    st.dataframe(pd.DataFrame([{
        "File": r["path"].rsplit("/", 1)[-1], "Format": r["format"] or "", "Result": r["status"],
        "Reason": r["reason"] or "", "New": r["items_new"], "Updated": r["items_updated"],
        "Unchanged": r["items_unchanged"], "SHA-256": r["sha256"] or "",
    } for r in results]), hide_index=True, width="stretch")
