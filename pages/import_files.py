"""The Import page: upload exports and screenshots, see what became of each file."""

import pandas as pd
import streamlit as st

from ingest.formats import DESCRIPTIONS
from ingest.timeutil import DEFAULT_TZ, zone
from pages.common import through_app, workspace_or_stop
from pages.signin import current_actor
from recoupe.i18n import _, _n, number
from recoupe.imports import FileResult, Progress, import_paths, totals
from recoupe.uploads import saved_uploads

through_app()
st.title(_("Import"))
limit_mb = st.get_option("server.maxUploadSize")
st.write(_("Upload exports and screenshots; the format of each file is detected."))
st.caption(_("Formats: {formats}. Up to {limit} MB per file (set by server.maxUploadSize in "
             ".streamlit/config.toml). Each original is kept in the workspace under its SHA-256.",
             formats="; ".join(_(d) for d in DESCRIPTIONS.values()), limit=number(limit_mb)))

files = st.file_uploader(_("Files"), accept_multiple_files=True, key="uploads")
actor = current_actor()  # recorded with each file as who imported it
tz = st.text_input(_("Time zone of local times without offset"), value=DEFAULT_TZ,
                   help=_("WhatsApp and older Telegram HTML exports give local times only; the "
                          "import records that it assumed this zone."))

try:
    zone(tz)
    tz_error = None
except ValueError:
    tz_error = _("Unknown time zone {zone}: use a name such as Europe/Paris or UTC.", zone=tz)
    st.error(tz_error)

if not files:
    st.info(_("Choose files above (or drop them on the box): a Telegram export's result.json or "
              "its messages*.html pages, a WhatsApp chat .zip, screenshots. Then press Import."))

STATUS = {"ingested": _("imported"), "unchanged": _("already there"), "rejected": _("rejected")}

if st.button(_("Import"), type="primary", disabled=not files or bool(tz_error)):
    total = sum(f.size for f in files) or 1
    bar = st.progress(0.0, text=_("Starting…"))
    state = {"done": 0, "name": ""}

    def start(path, size):
        state["name"] = path.name
        bar.progress(min(state["done"] / total, 1.0), text=_("Reading {name}", name=path.name))

    def advance(n):
        state["done"] += n
        bar.progress(min(state["done"] / total, 1.0), text=_("Reading {name}", name=state["name"]))

    def start_enrich(items):
        state["enrich_total"], state["enriched"] = max(items, 1), 0
        bar.progress(0.0, text=_n("Extracting languages and entities from {n} item",
                                  "Extracting languages and entities from {n} items", items))

    def advance_enrich(n):
        state["enriched"] += n
        bar.progress(min(state["enriched"] / state["enrich_total"], 1.0),
                     text=_("Extracting languages and entities: {n} items",
                            n=number(state["enriched"])))

    def duplicates(phase, done, n):
        bar.progress(min(done / max(n, 1), 1.0), text=_("Near-duplicates: {phase} ({done} of {n})", phase=_(phase),
                                       done=number(done), n=number(n)))

    with workspace_or_stop(write=True) as ws:
        with saved_uploads(ws, [(f.name, f) for f in files]) as paths:
            results = import_paths(ws, paths, tz=tz, actor=actor, command="app",
                                   progress=Progress(start, advance, lambda r: None,
                                                     start_enrich, advance_enrich,
                                                     duplicates=duplicates))
    bar.progress(1.0, text=_("Done"))
    st.session_state["import_results"] = [r.as_json() for r in results]

if results := st.session_state.get("import_results"):
    t = totals([FileResult(**r) for r in results])
    (st.warning if t["rejected"] else st.success)(
        _n("{n} file:", "{n} files:", t["files"]) + " "
        + _("{ingested}, {unchanged}, {rejected}; {new}.",
            ingested=_n("{n} file imported", "{n} files imported", t["ingested"]),
            unchanged=_n("{n} already there", "{n} already there", t["unchanged"]),
            rejected=_n("{n} file rejected", "{n} files rejected", t["rejected"]),
            new=_n("{n} new item", "{n} new items", t["items_new"])))
    if t["rejected"]:
        st.caption(_("A rejected file left nothing behind: the reason says what to fix; then "
                     "import it again."))
    st.dataframe(pd.DataFrame([{
        _("File"): r["path"].rsplit("/", 1)[-1], _("Format"): r["format"] or "",
        _("Result"): STATUS.get(r["status"], r["status"]), _("Reason"): r["reason"] or "",
        _("New"): r["items_new"], _("Updated"): r["items_updated"],
        _("Unchanged"): r["items_unchanged"], "SHA-256": r["sha256"] or "",
    } for r in results]), hide_index=True, width="stretch")
    if t["ingested"]:
        st.page_link("pages/search.py", label=_("Search what you imported"), icon="🔎")
