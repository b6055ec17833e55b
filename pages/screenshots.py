"""Screenshots: what OCR read on each, and which chat and time the reporter says it shows."""

from datetime import datetime

import streamlit as st

from pages.common import through_app, workspace_or_stop
from recoupe.i18n import _
from recoupe.items import chat_names, screenshots, set_capture
from recoupe.times import DISPLAY_TZ, local, show
from ingest.timeutil import zone

through_app()
st.title(_("Screenshots"))
st.caption(_("Times in {zone}. The text is the OCR's, or the .txt handed in beside the image.",
             zone=DISPLAY_TZ))

ORIGINS = {"ocr": _("Text from OCR"), "sidecar": _("Text from the .txt beside the image")}

with workspace_or_stop() as ws:
    shots = screenshots(ws)
    names = chat_names(ws)

if not shots:
    st.info(_("No screenshots yet. Import PNG, JPEG or WebP images from the Import page; a .txt "
              "with the same name beside an image is taken as its text."))
    st.page_link("pages/import_files.py", label=_("Go to the Import page"), icon="📥")
    st.stop()

for shot in shots:
    with st.container(border=True):
        left, right = st.columns([1, 3])
        if shot["thumbnail"]:
            left.image(str(shot["thumbnail"]))
        else:
            left.warning(_("No thumbnail: the image could not be read."))
        right.text(shot["original_name"])
        origin = ORIGINS.get(shot["text_origin"]) or _("Text from {origin}",
                                                        origin=shot["text_origin"])
        conf = ("" if shot["ocr_confidence"] is None else
                " · " + _("confidence {confidence}/100",
                          confidence=f"{shot['ocr_confidence']:.0f}"))
        taken = (_("taken {when}", when=show(shot["posted_at_utc"])) if shot["posted_at_utc"]
                 else _("time taken unknown (no EXIF time)"))
        right.caption(origin + conf + " · " + taken
                      + f" · SHA-256 {shot['sha256'][:16]}… · pHash {shot['phash'] or '—'}")
        right.text(shot["text"] or _("(no text found)"))
        with right.form(f"capture-{shot['id']}"):
            st.write(_("What the reporter knows"))
            c1, c2, c3 = st.columns([2, 1, 1])
            current = shot["captured_chat"]
            options = names if current in names or current is None else [current, *names]
            chat = c1.selectbox(_("Chat shown"), options,
                                index=options.index(current) if current in options else None,
                                accept_new_options=True, placeholder=_("Choose or type a chat"))
            when = local(shot["captured_at_utc"])
            day = c2.date_input(_("Captured on"), value=when.date() if when else None,
                                format="DD/MM/YYYY")
            hour = c3.time_input(_("at"), value=when.time() if when else None)
            if st.form_submit_button(_("Save")):
                captured = None
                if day is not None:
                    captured = datetime.combine(day, hour or datetime.min.time(), zone(DISPLAY_TZ))
                    captured = captured.astimezone(zone("UTC")).replace(tzinfo=None)
                with workspace_or_stop(write=True) as ws:
                    set_capture(ws, shot["id"], chat=chat, captured_at=captured)
                st.rerun()
