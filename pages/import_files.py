"""The Import page: upload exports and screenshots, see what became of each file."""

import pandas as pd
import streamlit as st

from ingest.formats import known_formats
from ingest.timeutil import DEFAULT_TZ
from pages.common import through_app, workspace_or_stop
from recoupe.imports import Progress, import_paths
from recoupe.uploads import saved_uploads

through_app()
st.title("Import")
limit_mb = st.get_option("server.maxUploadSize")
st.write("Upload exports and screenshots; the format of each file is detected.")
st.caption(f"Formats: {known_formats()}. Up to {limit_mb:,} MB per file "
           "(set by server.maxUploadSize in .streamlit/config.toml). Each original is kept in "
           "the workspace under its SHA-256.")

files = st.file_uploader("Files", accept_multiple_files=True, key="uploads")
tz = st.text_input("Time zone of local times without offset", value=DEFAULT_TZ,
                   help="WhatsApp and older Telegram HTML exports give local times only; the "
                        "import records that it assumed this zone.")

if st.button("Import", type="primary", disabled=not files):
    total = sum(f.size for f in files) or 1
    bar = st.progress(0.0, text="Starting…")
    state = {"done": 0, "name": ""}

    def start(path, size):
        state["name"] = path.name
        bar.progress(min(state["done"] / total, 1.0), text=f"Reading {path.name}")

    def advance(n):
        state["done"] += n
        bar.progress(min(state["done"] / total, 1.0), text=f"Reading {state['name']}")

    with workspace_or_stop(write=True) as ws:
        with saved_uploads(ws, [(f.name, f) for f in files]) as paths:
            results = import_paths(ws, paths, tz=tz, user=st.session_state.get("user"),
                                   command="app", progress=Progress(start, advance))
    bar.progress(1.0, text="Done")
    st.session_state["import_results"] = [r.as_json() for r in results]

if results := st.session_state.get("import_results"):
    rejected = sum(r["status"] == "rejected" for r in results)
    new = sum(r["items_new"] for r in results)
    (st.warning if rejected else st.success)(
        f"{len(results)} files: {len(results) - rejected} imported or unchanged, {rejected} "
        f"rejected; {new} new items.")
    st.dataframe(pd.DataFrame([{
        "File": r["path"].rsplit("/", 1)[-1], "Format": r["format"] or "", "Result": r["status"],
        "Reason": r["reason"] or "", "New": r["items_new"], "Updated": r["items_updated"],
        "Unchanged": r["items_unchanged"], "SHA-256": r["sha256"] or "",
    } for r in results]), hide_index=True, width="stretch")
