"""What the pages share: opening the workspace, and errors drawn as sentences."""

from __future__ import annotations

from contextlib import contextmanager

import streamlit as st

from recoupe import i18n
from recoupe.errors import WorkspaceError, WorkspaceLocked
from recoupe.i18n import _
from recoupe.workspace import open_workspace, resolve


def choose_language() -> str:
    """Set this run's language and draw the switch in the sidebar (app.py calls it on every run).

    The person's choice, kept in the session, wins; before any choice, French when the browser
    asks for it, else English.
    """
    if "lang" not in st.session_state:
        st.session_state["lang"] = i18n.negotiate(st.context.locale)
    lang = i18n.use(st.session_state["lang"])
    choice = st.sidebar.segmented_control(
        _("Language"), list(i18n.LANGUAGES), default=lang,
        format_func=i18n.LANGUAGES.get, key="lang_switch")
    if choice and choice != lang:
        st.session_state["lang"] = choice
        st.rerun()
    return lang


def through_app() -> None:
    """Make sure the page runs under app.py's navigation, never on its own.

    A Streamlit server that finds a `pages/` folder beside its main script starts in the old
    multipage mode, where a deep link (/screenshots) on a fresh server runs the page file directly,
    skipping app.py (and whatever app.py decides about who may see what). Every page calls this
    first: in that mode it switches the server to app.py's `st.navigation` and runs again.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


@contextmanager
def workspace_or_stop(write: bool = False):
    """Open the workspace for this page run, or draw why not and stop the page.

    The connection is closed at the end of each run, so that a command-line import can take the
    workspace between two clicks. Every page opens it the same way (DuckDB refuses a read-only
    and a read-write connection to one file in one process); `write` may create it.
    """
    from pages.signin import WAIT, locked
    root = resolve()
    try:
        ws = open_workspace(root, create=write, wait=WAIT)
    except WorkspaceLocked as exc:
        locked(exc)
    except WorkspaceError:
        st.info(f"There is no workspace at {root} yet.")
        st.text("Build the sample one with `make run`, or import exports with:\n"
                f"    python -m ingest PATH... --workspace {root}")
        st.stop()
    try:
        yield ws
    finally:
        ws.close()
