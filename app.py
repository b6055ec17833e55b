"""Recoupe's browser app: `make run` starts it on 127.0.0.1:8501.

The workspace is `$RECOUPE_WORKSPACE`, else ./workspace. Pages call `recoupe/` and draw; they
hold no SQL and no business rule. Before any page, pages/signin.py decides who is using the app
(sign-in whenever the workspace has accounts; refusal when served beyond this machine without
any); the navigation then holds only the pages that person's role may use, and a page not in the
navigation cannot be reached. The library checks every action again.
"""

import streamlit as st

from pages.common import choose_language
from pages.signin import gate
from recoupe.i18n import _

st.set_page_config(page_title="Recoupe", page_icon="🔎", layout="wide")
choose_language()

# Each page with the permission it needs (recoupe.access.PERMISSIONS); a new page adds its line.
PAGES = [
    ("pages/overview.py", lambda: _("Workspace"), "🗂️", "search"),
    ("pages/search.py", lambda: _("Search"), "🔎", "search"),
    ("pages/timeline.py", lambda: _("Timeline"), "📈", "search"),
    ("pages/import_files.py", lambda: _("Import"), "📥", "import"),
    ("pages/item.py", lambda: _("Item"), "📄", "search"),
    ("pages/screenshots.py", lambda: _("Screenshots"), "🖼️", "search"),
    ("pages/duplicates.py", lambda: _("Duplicates"), "🔁", "search"),
    ("pages/cases.py", lambda: _("Cases"), "🗂", "case.write"),
    ("pages/audit.py", lambda: _("Audit trail"), "📜", "audit.read"),
    ("pages/accounts.py", lambda: _("Accounts"), "👥", "search"),
]

actor = gate()  # the signed-in person (or the local user); the pages act as them

pages = [st.Page(path, title=title(), icon=icon, default=i == 0)
         for i, (path, title, icon, permission) in enumerate(PAGES) if actor.can(permission)]
st.navigation(pages).run()
