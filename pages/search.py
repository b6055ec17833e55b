"""Search: the whole archive, with filters that show their counts and hits shown in context."""

from datetime import date

import pandas as pd
import streamlit as st

from pages.case_parts import add_to_case
from pages.common import stop_without_posts, through_app, workspace_or_stop
from pages.duplicates_parts import collapsed_hits, hit_badge, hit_counts
from pages.signin import current_actor
from recoupe.errors import RecoupeError
from recoupe.export import hits_csv
from recoupe.i18n import _, _n, number
from recoupe.items import parse_bound
from recoupe.render import escape_markdown, marked_markdown
from recoupe.saved import delete, of_owner, save
from recoupe.search import count_terms, search
from recoupe.terms import read_terms
from recoupe.times import DISPLAY_TZ, show

through_app()
st.title(_("Search"))
stop_without_posts()
PAGE = 20
LABELS = {"chat": _("Chat"), "platform": _("Platform"), "lang": _("Language"),
          "substance": _("Substance"), "zone": _("Zone"), "contact": _("Contact"),
          "author": _("Author"), "promotion": _("Promotion"), "recruitment": _("Recruitment")}

EXAMPLES = 'beuh aubagne, "calendrier de l\'avent", c0ke -livraison, promo*, reveillon~'  # any language

query = st.text_input(_("Search"), key="q", placeholder=EXAMPLES, help=_('Words all match; "phrases"; '
                      'OR; -exclude; prefix*; word~ for typos; fields such as zone:Aubagne, '
                      'lang:fr, substance:cocaine. Accents, case and obfuscations are folded.'))
left, right = st.columns([1, 3])
who = current_actor().name  # saved searches are each person's own
sort = left.radio(_("Order"), ["relevance", "time", "time_asc"], horizontal=False,
                  format_func={"relevance": _("Relevance"), "time": _("Newest first"),
                               "time_asc": _("Oldest first")}.get)
days = left.date_input(_("Days ({zone})", zone=DISPLAY_TZ), value=(), min_value=date(2000, 1, 1),
                       format="DD/MM/YYYY")

price = left.columns(2)
low = price[0].number_input(_("€ per unit from"), min_value=0.0, value=None, key="p_min")
high = price[1].number_input(_("to"), min_value=0.0, value=None, key="p_max")

filters: dict = {}
if len(days) == 2:
    filters["since"] = parse_bound(days[0].isoformat())
    filters["until"] = parse_bound(days[1].isoformat(), end=True)
if low is not None:
    filters["unit_price_min"] = low
if high is not None:
    filters["unit_price_max"] = high
for key in LABELS:
    chosen = st.session_state.get(f"f_{key}")
    if chosen:
        filters[key] = chosen
signature = repr((query, sort, sorted(filters.items(), key=str)))
if st.session_state.get("signature") != signature:  # a new search starts on its first page
    st.session_state["signature"], st.session_state["page"] = signature, 0
page = st.session_state["page"]

def run_saved(saved: dict) -> None:
    """Put a saved search back in the widgets (a callback: it runs before they are drawn)."""
    st.session_state["q"] = saved["query"]
    for key in LABELS:
        st.session_state[f"f_{key}"] = saved["filters"].get(key) or []
    st.session_state["p_min"] = saved["filters"].get("unit_price_min")
    st.session_state["p_max"] = saved["filters"].get("unit_price_max")


if who.strip():
    with workspace_or_stop() as ws:
        mine = of_owner(ws, who)
    if mine:
        with right.expander(_("Your saved searches ({n})", n=number(len(mine))),
                            expanded=not query.strip()):
            for saved in mine:
                row = st.columns([4, 2, 1, 1])
                row[0].text(f"{saved['name']}: {saved['query']}")
                row[1].caption(_n("{n} hit", "{n} hits", saved["total"]) + (
                    " · " + _("{new} new since the last import", new=number(saved["new"]))
                    if saved["new"] else ""))
                row[2].button(_("Run"), key=f"run-{saved['id']}", on_click=run_saved, args=(saved,))
                if row[3].button(_("Delete"), key=f"del-{saved['id']}"):
                    with workspace_or_stop(write=True) as ws:
                        delete(ws, who, saved["id"])
                    st.rerun()

with right.expander(_("Batch search: counts for a list of terms")):
    terms_file = st.file_uploader(_("A list of terms (one per line, or a CSV whose first column "
                                    "holds them)"), type=["txt", "csv"], key="terms")
    if terms_file is not None:
        try:
            terms = read_terms(terms_file.getvalue())
            with workspace_or_stop() as ws:
                counts = count_terms(ws, terms, filters=filters)
        except RecoupeError as exc:
            st.error(str(exc))
        else:
            st.dataframe(pd.DataFrame({_("Term"): list(counts), _("Hits"): list(counts.values())}),
                         hide_index=True, width="stretch")
            pick = st.selectbox(_("See the hits of"), [t for t, n in counts.items() if n],
                                index=None)
            if pick and st.button(_("Search it")):
                st.session_state["q"] = pick
                st.rerun()

if not query.strip() and not filters:
    right.info(_("Type words to search every post of the workspace; the filters on the left then "
                 "show how many hits each value has."))
    st.stop()

one_per_cluster = right.toggle(_("One copy per cluster"), key="collapse")
with workspace_or_stop() as ws:
    try:
        result = search(ws, query, filters=filters, sort=sort, offset=page * PAGE, limit=PAGE)
        hits, copies = result.hits, hit_counts(ws, result.hits)
        if one_per_cluster:
            hits, copies, kept = collapsed_hits(ws, result, query, filters, sort, page, PAGE)
    except RecoupeError as exc:
        right.error(str(exc))
        st.stop()

for key, label in LABELS.items():
    values = result.facets.get(key) or []
    options = {v.value: f"{v.label or v.value} ({number(v.count)})" for v in values}
    for v in st.session_state.get(f"f_{key}") or []:
        options.setdefault(v, f"{v} (0)")
    if options:
        left.multiselect(label, list(options), format_func=options.get, key=f"f_{key}",
                         placeholder=_("Any"))

bands = result.facets.get("price_band") or []
if bands:
    left.caption(_("Hits by € per unit (use the range above):") + " " + " · ".join(
        f"{b.label or b.value} ({number(b.count)})" for b in bands))

right.write(_n("**{n}** hit", "**{n}** hits", result.total) + " · "
            + _("{ms} ms", ms=number(result.seconds * 1000)))
per_day = result.facets.get("day") or []
if len(per_day) > 1:
    day_label = _("Day ({zone})", zone=DISPLAY_TZ)
    right.bar_chart(pd.DataFrame({day_label: [d.value for d in per_day],
                                  _("Hits"): [d.count for d in per_day]}),
                    x=day_label, y=_("Hits"), height=160)
if who.strip():
    keep = right.columns([3, 1])
    name = keep[0].text_input(_("Save this search as"), key="save_as",
                              label_visibility="collapsed", placeholder=_("Save this search as…"))
    if keep[1].button(_("Save"), disabled=not name.strip()):
        with workspace_or_stop(write=True) as ws:
            save(ws, who, name, query, filters)
        right.success(_("Saved; after each import it will say how many new posts match."))
for note in result.notes:
    right.caption(note)
if not result.total:
    right.info(_("No post matches. Try fewer words, a word~ for typos, a prefix*, or remove "
                 "a filter on the left."))
if result.total and right.button(_("Prepare a CSV of all hits")):
    with workspace_or_stop() as ws:
        data = hits_csv(ws, query, filters)
    right.download_button(_("Download the CSV"), data, file_name="recoupe-hits.csv",
                          mime="text/csv")

for h in hits:
    with right.container(border=True):
        st.caption(f"{escape_markdown(h.chat or '')} · {escape_markdown(h.author or '')} · "
                   f"{show(h.posted_at)} · {h.platform}")
        snip = h.snippet
        marks = [{"kind": "hit", "start": a, "end": b} for a, b in snip.highlights] if snip else []
        text = snip.text if snip else h.text
        st.markdown(("… " if snip and snip.cut_before else "")
                    + marked_markdown(text, marks)
                    + (" …" if snip and snip.cut_after else ""))
        st.page_link("pages/item.py", label=_("Open item {id}", id=h.id),
                     query_params={"id": str(h.id)})
        hit_badge(copies, h.id)
        add_to_case(h.id, key=f"hit-{h.id}")

pages = max(1, -(-(kept if one_per_cluster else result.total) // PAGE))
nav = right.columns(3)
if nav[0].button(_("← Previous"), disabled=page == 0):
    st.session_state["page"] = page - 1
    st.rerun()
nav[1].write(_("Page {page} of {pages}", page=number(page + 1), pages=number(pages)))
if nav[2].button(_("Next →"), disabled=page + 1 >= pages):
    st.session_state["page"] = page + 1
    st.rerun()
