"""The workspace overview: what is in it, from the store."""

import pandas as pd
import streamlit as st

from pages.common import through_app, workspace_or_stop
from recoupe.i18n import _, number
from recoupe.overview import overview
from recoupe.render import escape_markdown
from recoupe.times import DISPLAY_TZ, show

through_app()
st.title(_("Workspace"))

with workspace_or_stop() as ws:
    ov = overview(ws)

st.caption(_("Folder: {folder} · times in {zone}", folder=escape_markdown(ov["workspace"]),
             zone=DISPLAY_TZ))
t = ov["totals"]
if not t["sources"]:
    st.info(_("This workspace is empty. Add exports and screenshots from the Import page: "
              "Telegram Desktop exports (JSON or HTML), WhatsApp chat exports (.zip or .txt), "
              "scrapers' tables and screenshots."))
    st.page_link("pages/import_files.py", label=_("Go to the Import page"), icon="📥")
    st.stop()

cols = st.columns(5)
cols[0].metric(_("Source files"), number(t["sources"]))
cols[1].metric(_("Chats"), number(t["chats"]))
cols[2].metric(_("Posts"), number(t["posts"]))
cols[3].metric(_("Events"), number(t["events"]))
cols[4].metric(_("Earlier versions"), number(t["versions"]), help=_("texts replaced by a later edit"))
st.text(_("Posts from {first} to {last}", first=show(t["first_post_utc"]),
          last=show(t["last_post_utc"])))

news = ov["saved_news"]
if news:
    st.subheader(_("Saved searches with news"))
    st.dataframe(pd.DataFrame([{_("Saved search"): n["name"], _("By"): n["owner"],
                                _("Query"): n["query"],
                                _("New since the last import"): n["new"]} for n in news]),
                 hide_index=True, width="stretch")

st.subheader(_("Chats"))
chats = pd.DataFrame([{
    _("Chat"): c["name"] or _("(unnamed)"), _("Platform"): c["platform"], _("Type"): c["chat_type"],
    _("Posts"): c["posts"], _("Events"): c["events"], _("Edited"): c["edited"],
    _("First post"): show(c["first_post_utc"]), _("Last post"): show(c["last_post_utc"]),
} for c in ov["chats"]])
left, right = st.columns([3, 2])
left.dataframe(chats, hide_index=True, width="stretch")
right.bar_chart(chats.set_index(_("Chat"))[_("Posts")], horizontal=True)

st.subheader(_("What the adverts mention"))
st.caption(_("Posts that name each substance, zone and contact (extracted at import; "
             "`python -m recoupe enrich` after a lexicon change)."))
tops = st.columns(4)
for col, (kind, label) in zip(tops, (("substance", _("Substance")), ("zone", _("Zone")),
                                     ("contact", _("Contact")))):
    col.dataframe(pd.DataFrame([{label: r["value"], _("Posts"): r["posts"]} for r in ov["top"][kind]],
                               columns=[label, _("Posts")]), hide_index=True, width="stretch")
tops[3].dataframe(pd.DataFrame([{_("Language"): r["lang"], _("Posts"): r["posts"]}
                                for r in ov["languages"]], columns=[_("Language"), _("Posts")]),
                  hide_index=True, width="stretch")

st.subheader(_("Last imports"))
st.dataframe(pd.DataFrame([{
    _("Run"): r["id"], _("Started"): show(r["started_at_utc"]), _("By"): r["user_name"],
    _("From"): r["command"], _("Files ingested"): r["ingested"],
    _("Files rejected"): r["rejected"],
} for r in ov["runs"]]), hide_index=True, width="stretch")

st.subheader(_("Source files"))
st.dataframe(pd.DataFrame([{
    _("File"): s["original_name"], _("Handed in from"): _(s["original_path"] or ""),
    _("Format"): s["format"], _("Imported"): show(s["imported_at_utc"]),
    _("By"): s["imported_by"], _("New"): s["items_new"], _("Updated"): s["items_updated"],
    _("Unchanged"): s["items_unchanged"], _("Size (bytes)"): s["size_bytes"],
    _("Zone assumed"): s["tz_assumed"] or "", "SHA-256": s["sha256"],
} for s in ov["sources"]]), hide_index=True, width="stretch")

if ov["rejections"]:
    st.subheader(_("Rejected files"))
    st.caption(_("Each reason says why the file was refused; fix the file (or export it again) "
                 "and import it once more: nothing of a refused file was kept."))
    st.dataframe(pd.DataFrame([{
        _("File"): r["path"], _("Reason"): r["reason"], _("When"): show(r["rejected_at_utc"]),
    } for r in ov["rejections"]]), hide_index=True, width="stretch")
