"""Search: the whole archive, with filters that show their counts and hits shown in context."""

from datetime import date

import streamlit as st

from pages.common import through_app, workspace_or_stop
from recoupe.errors import RecoupeError
from recoupe.export import hits_csv
from recoupe.items import parse_bound
from recoupe.render import escape_markdown, marked_markdown
from recoupe.search import search
from recoupe.times import DISPLAY_TZ, show

through_app()
st.title("Search")
PAGE = 20
LABELS = {"chat": "Chat", "platform": "Platform", "lang": "Language", "substance": "Substance",
          "zone": "Zone", "contact": "Contact", "author": "Author", "promotion": "Promotion",
          "recruitment": "Recruitment"}

query = st.text_input("Search", key="q", placeholder='beuh aubagne, "calendrier de l\'avent", '
                      'c0ke -livraison, promo*, reveillon~', help='Words all match; "phrases"; '
                      'OR; -exclude; prefix*; word~ for typos; fields such as zone:Aubagne, '
                      'lang:fr, substance:cocaine. Accents, case and obfuscations are folded.')
left, right = st.columns([1, 3])
sort = left.radio("Order", ["relevance", "time", "time_asc"], horizontal=False,
                  format_func={"relevance": "Relevance", "time": "Newest first",
                               "time_asc": "Oldest first"}.get)
days = left.date_input(f"Days ({DISPLAY_TZ})", value=(), min_value=date(2000, 1, 1))

filters: dict = {}
if len(days) == 2:
    filters["since"] = parse_bound(days[0].isoformat())
    filters["until"] = parse_bound(days[1].isoformat(), end=True)
for key in LABELS:
    chosen = st.session_state.get(f"f_{key}")
    if chosen:
        filters[key] = chosen
signature = repr((query, sort, sorted(filters.items(), key=str)))
if st.session_state.get("signature") != signature:  # a new search starts on its first page
    st.session_state["signature"], st.session_state["page"] = signature, 0
page = st.session_state["page"]

if not query.strip() and not filters:
    right.info("Type words to search every post of the workspace; the filters on the left then "
               "show how many hits each value has.")
    st.stop()

with workspace_or_stop() as ws:
    try:
        result = search(ws, query, filters=filters, sort=sort, offset=page * PAGE, limit=PAGE)
    except RecoupeError as exc:
        right.error(str(exc))
        st.stop()

for key, label in LABELS.items():
    values = result.facets.get(key) or []
    options = {v.value: f"{v.label or v.value} ({v.count})" for v in values}
    for v in st.session_state.get(f"f_{key}") or []:
        options.setdefault(v, f"{v} (0)")
    if options:
        left.multiselect(label, list(options), format_func=options.get, key=f"f_{key}")

right.write(f"**{result.total:,}** hits · {result.seconds * 1000:.0f} ms".replace(",", " "))
for note in result.notes:
    right.caption(note)
if result.total and right.button("Prepare a CSV of all hits"):
    with workspace_or_stop() as ws:
        data = hits_csv(ws, query, filters)
    right.download_button("Download the CSV", data, file_name="recoupe-hits.csv",
                          mime="text/csv")

for h in result.hits:
    with right.container(border=True):
        st.caption(f"{escape_markdown(h.chat or '')} · {escape_markdown(h.author or '')} · "
                   f"{show(h.posted_at)} · {h.platform}")
        snip = h.snippet
        marks = [{"kind": "hit", "start": a, "end": b} for a, b in snip.highlights] if snip else []
        text = snip.text if snip else h.text
        st.markdown(("… " if snip and snip.cut_before else "")
                    + marked_markdown(text, marks)
                    + (" …" if snip and snip.cut_after else ""))
        st.page_link("pages/item.py", label=f"Open item {h.id}", query_params={"id": str(h.id)})

pages = max(1, -(-result.total // PAGE))
nav = right.columns(3)
if nav[0].button("← Previous", disabled=page == 0):
    st.session_state["page"] = page - 1
    st.rerun()
nav[1].write(f"Page {page + 1} of {pages}")
if nav[2].button("Next →", disabled=page + 1 >= pages):
    st.session_state["page"] = page + 1
    st.rerun()
