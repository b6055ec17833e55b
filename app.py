"""Recoupe's browser app: `make run` starts it on 127.0.0.1:8501.

The workspace is `$RECOUPE_WORKSPACE`, else ./workspace. Pages call `recoupe/` and draw; they
hold no SQL and no business rule.
"""

import streamlit as st

from pages.common import choose_language
from recoupe.i18n import _

st.set_page_config(page_title="Recoupe", page_icon="🔎", layout="wide")
choose_language()

pages = [
    st.Page("pages/overview.py", title=_("Workspace"), icon="🗂️", default=True),
    st.Page("pages/search.py", title=_("Search"), icon="🔎"),
    st.Page("pages/timeline.py", title=_("Timeline"), icon="📈"),
    st.Page("pages/import_files.py", title=_("Import"), icon="📥"),
    st.Page("pages/item.py", title=_("Item"), icon="📄"),
    st.Page("pages/screenshots.py", title=_("Screenshots"), icon="🖼️"),
    st.Page("pages/duplicates.py", title=_("Duplicates"), icon="🔁"),
    st.Page("pages/cases.py", title=_("Cases"), icon="🗂"),
]
st.navigation(pages).run()
