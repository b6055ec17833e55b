"""The item view: one item whole, with its entities marked and its provenance."""

import pandas as pd
import streamlit as st

from pages.case_parts import add_to_case, cases_of
from pages.common import through_app, workspace_or_stop
from pages.duplicates_parts import item_panel
from recoupe.errors import RecoupeError
from recoupe.i18n import _, money, number
from recoupe.itemview import item_detail, neighbours
from recoupe.render import COLOURS, escape_markdown, marked_markdown
from recoupe.times import DISPLAY_TZ, show

through_app()
st.title(_("Item"))
KINDS = {"substance": _("substance"), "quantity_price": _("quantity and price"),
         "price": _("price"), "zone": _("zone"), "contact": _("contact"),
         "promotion": _("promotion"), "recruitment": _("recruitment"), "hit": _("search hit")}


def quantity(value, unit) -> str:
    """'2.5 g' / '2,5 g', '10 pcs'; '' for none."""
    if value is None:
        return ""
    text = number(value) if float(value).is_integer() else number(value, 2).rstrip("0")
    return f"{text} {unit or ''}".strip()


with workspace_or_stop() as ws:
    asked = st.query_params.get("id")
    try:
        item_id = int(asked) if asked else None
    except ValueError:
        item_id = None
    nb = neighbours(ws, item_id)
    item_id = item_id or nb["first"]
    if item_id is None:
        st.info(_("This workspace has no posts yet. Import exports from the Import page."))
        st.page_link("pages/import_files.py", label=_("Go to the Import page"), icon="📥")
        st.stop()
    try:
        d = item_detail(ws, item_id)
    except RecoupeError as exc:
        st.warning(_("{error}. Try another id, or find the item from the Search page.",
                     error=exc))
        st.page_link("pages/search.py", label=_("Go to the Search page"), icon="🔎")
        st.stop()
    nb = neighbours(ws, item_id)
# the address says which item is shown (a link to another item of this page leaves the old one)
st.query_params["id"] = str(item_id)

nav = st.columns([1.4, 1.4, 2, 5])
if nav[0].button(_("← Previous"), disabled=nb["previous"] is None):
    st.query_params["id"] = str(nb["previous"])
    st.rerun()
if nav[1].button(_("Next →"), disabled=nb["next"] is None):
    st.query_params["id"] = str(nb["next"])
    st.rerun()
wanted = nav[2].number_input(_("Go to item"), min_value=1, value=item_id, step=1)
if wanted != item_id:
    st.query_params["id"] = str(wanted)
    st.rerun()

it = d["item"]
st.text(f"{it['chat'] or _('(unnamed chat)')} · {it['author'] or _('(unknown author)')}")
offset = it["posted_offset_min"]
st.caption(_("{platform} · {kind} · message {message}", platform=it["platform"], kind=it["kind"],
             message=it["message_id"] if it["message_id"] is not None else "—")
           + " · " + _("posted {local} ({zone}), {utc} UTC", local=show(it["posted_at_utc"]),
                       zone=DISPLAY_TZ, utc=it["posted_at_utc"])
           + (" · " + _("source offset {offset} min", offset=f"{offset:+d}")
              if offset is not None else "")
           + (" · " + _("zone assumed: {zone}", zone=it["tz_assumed"]) if it["tz_assumed"] else "")
           + (" · " + _("edited {when}", when=show(it["edited_at_utc"]))
              if it["edited_at_utc"] else "")
           + (" · " + _("language {lang}", lang=it["lang"]) if it["lang"] else ""))
if it["forwarded_from"]:
    st.text(_("Forwarded from: {source}", source=it["forwarded_from"]))
cases_of(item_id)
add_to_case(item_id, key="item")

with st.container(border=True):
    st.markdown(marked_markdown(it["text"], d["entities"]) or _("*(no text)*"))
st.caption(_("Marked:") + " " + " · ".join(f":{c}-background[{KINDS.get(k, k)}]"
                                           for k, c in COLOURS.items() if k != "hit"))

with workspace_or_stop() as ws:
    item_panel(ws, it)

if d["entities"]:
    st.subheader(_("Entities"))
    st.dataframe(pd.DataFrame([{
        _("Kind"): KINDS.get(e["kind"], e["kind"]), _("Value"): e["value"],
        _("As written"): e["raw"], _("From"): e["start"], _("To"): e["end"],
        _("Quantity"): quantity(e["quantity"], e["unit"]),
        _("Amount"): money(e["amount"], e["currency"] or "EUR"),
        _("Per unit"): money(e["unit_price"], e["currency"] or "EUR"),
        _("Substance"): e["substance"] or "", _("Detail"): e["detail"] or "",
    } for e in d["entities"]]), hide_index=True, width="stretch")

st.subheader(_("Provenance"))
st.dataframe(pd.DataFrame([{
    _("Source file"): s["original_name"], "SHA-256": s["sha256"], _("Format"): s["format"],
    _("Parser"): f"{s['parser']} {s['parser_version']}", _("Imported"): show(s["imported_at_utc"]),
    _("By"): s["imported_by"], _("Handed in from"): _(s["original_path"] or ""),
} for s in d["sources"]]), hide_index=True, width="stretch")
if it.get("text_origin") and it["text_origin"] != "export":
    st.caption({"ocr": _("Text from OCR"), "sidecar": _("Text from the .txt beside the image")}
               .get(it["text_origin"]) or _("Text from {origin}", origin=it["text_origin"])
               + (_(", OCR confidence {confidence}/100", confidence=f"{it['ocr_confidence']:.0f}")
                  if it["ocr_confidence"] else ""))

if d["versions"]:
    st.subheader(_("Earlier versions"))
    for v in d["versions"]:
        st.caption(_("Edited {when} · seen in {file} ({sha}…)",
                     when=show(v["edited_at_utc"]) or _("(no edit time)"),
                     file=escape_markdown(v["source_file"]), sha=v["source_sha256"][:16]))
        st.text(v["text"])

if d["context"]:
    st.subheader(_("Around it in the chat"))
    for c in d["context"]:
        with st.container(border=True):
            st.caption(_("{when} · {author} · item {id}", when=show(c["posted_at_utc"]),
                         author=escape_markdown(c["author"] or ""), id=c["id"]))
            st.text(c["text"])
            st.page_link("pages/item.py", label=_("Open item {id}", id=c["id"]),
                         query_params={"id": str(c["id"])})
