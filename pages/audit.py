"""The audit trail: who did what, when, on which object. Editors and admins; read only."""

from datetime import date

import orjson
import pandas as pd
import streamlit as st

from pages.common import through_app, workspace_or_stop
from pages.signin import current_actor
from recoupe import audit
from recoupe.errors import RecoupeError
from recoupe.i18n import _, number
from recoupe.items import parse_bound
from recoupe.times import DISPLAY_TZ, show

through_app()
st.title(_("Audit trail"))
st.caption(_("Every import, tag, note, claim, verdict, approval, export, sign-in and account "
             "change, newest first. Nothing here can be edited or deleted."))
SHOWN = 500

with workspace_or_stop() as ws:
    seen = audit.facets(ws)
    if not seen["action"]:  # filters could only find nothing
        st.info(_("Nothing is recorded yet: imports, sign-ins, account changes and the work on "
                  "cases are listed here as they happen."))
        st.stop()
    cols = st.columns(4)
    who = cols[0].selectbox(_("Who"), seen["actor"], index=None, placeholder=_("Anyone"))
    action = cols[1].selectbox(_("Action"), seen["action"], index=None,
                               placeholder=_("Any action"),
                               help=_("An action also finds its sub-actions: 'claim' finds "
                                      "'claim.verdict'."))
    kind = cols[2].selectbox(_("Object"), seen["object_type"], index=None,
                             placeholder=_("Any object"))
    object_id = cols[3].text_input(_("Object id"), max_chars=200)
    cols = st.columns(4)
    case = cols[0].number_input(_("Case"), min_value=1, step=1, value=None)
    days = cols[1].date_input(_("Days ({zone})", zone=DISPLAY_TZ), value=(),
                              min_value=date(2000, 1, 1))
    filters = {"actor": who, "action": action, "object_type": kind,
               "object_id": object_id.strip() or None, "case_id": case}
    if len(days) == 2:
        filters["since"] = parse_bound(days[0].isoformat())
        filters["until"] = parse_bound(days[1].isoformat(), end=True)
    try:
        rows = audit.read(ws, current_actor(), limit=SHOWN + 1, **filters)
    except RecoupeError as exc:
        st.error(str(exc))
        st.stop()
    everything = None
    if rows and cols[3].button(_("Prepare a CSV of these entries")):
        everything = audit.to_csv(audit.read(ws, current_actor(), limit=10_000_000, **filters))

if everything is not None:
    cols[3].download_button(_("Download the CSV"), everything, file_name="recoupe-audit.csv",
                            mime="text/csv")
if not rows:
    st.info(_("No entry matches these filters."))
    st.stop()
if len(rows) > SHOWN:
    st.caption(_("The latest {n} entries are shown; narrow the filters, or download the CSV for "
                 "all of them.", n=number(SHOWN)))
# A table shows its cells as plain text: names and details from sources stay inert.
st.dataframe(pd.DataFrame([{
    _("When ({zone})", zone=DISPLAY_TZ): show(r["at_utc"]), _("Who"): r["actor"],
    _("Action"): r["action"], _("Object"): r["object_type"] or "",
    _("Object id"): r["object_id"] or "", _("Case"): r["case_id"],
    _("Detail"): orjson.dumps(r["detail"], default=str).decode() if r["detail"] else "",
} for r in rows[:SHOWN]]), hide_index=True, width="stretch")
