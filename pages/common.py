"""What the pages share: opening the workspace, and errors drawn as sentences."""

from __future__ import annotations

from contextlib import contextmanager

import streamlit as st

from recoupe import i18n
from recoupe.errors import WorkspaceError, WorkspaceLocked
from recoupe.i18n import _
from recoupe.preferences import set_language
from recoupe.render import escape_markdown
from recoupe.workspace import DB_NAME, open_workspace, resolve


def choose_language() -> str:
    """Set this run's language and draw the switch in the sidebar (app.py calls it on every run).

    The person's choice, kept in the session, wins; before any choice, French when the browser
    asks for it, else English.
    """
    if "lang" not in st.session_state:
        st.session_state["lang"] = i18n.negotiate(st.context.locale)
    lang = i18n.use(st.session_state["lang"])
    if st.session_state.get("lang_switch") != lang:
        st.session_state["lang_switch"] = lang  # before the widget: it shows the language in use
    st.sidebar.segmented_control(_("Language"), list(i18n.LANGUAGES), key="lang_switch",
                                 format_func=i18n.LANGUAGES.get, on_change=_switched)
    return lang


def _switched() -> None:
    """The switch was clicked (a callback: the run that follows is in the new language)."""
    choice = st.session_state.get("lang_switch")
    if choice:  # a click on the language in use unselects it: nothing changes
        remember_language(choice)


def remember_language(lang: str) -> None:
    """Keep `lang` as the person's language from the next run on: for this session, and, once
    people sign in (issue 9 puts the signed-in `Actor` in st.session_state["actor"]), in their
    account, so that it is theirs on every device. Sign-in calls this with the account's
    language when it has one (`recoupe.preferences.language`), then reruns."""
    st.session_state["lang"] = i18n.use(lang)
    actor = st.session_state.get("actor")
    if actor is not None:
        with workspace_or_stop(write=True) as ws:
            set_language(ws, actor.name, st.session_state["lang"])


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
    except WorkspaceError as exc:
        if write or root.joinpath(DB_NAME).exists() or (root.exists() and not root.is_dir()):
            st.error(str(exc))  # there is something there, or it cannot be made: say why
            st.stop()
        _no_workspace(root)
    try:
        yield ws
    finally:
        ws.close()


def stop_without_posts() -> None:
    """Before a page draws widgets that need posts: when there is no workspace, or it holds no
    post yet, say how to import some and stop (a page that searches or counts posts would only
    show empty controls)."""
    from recoupe.itemview import has_posts

    with workspace_or_stop() as ws:
        empty = not has_posts(ws)
    if empty:
        st.info(_("This workspace has no posts yet. Import exports from the Import page."))
        st.page_link("pages/import_files.py", label=_("Go to the Import page"), icon="📥")
        st.stop()


def _no_workspace(root) -> None:
    st.info(_("There is no workspace at {root} yet.", root=escape_markdown(str(root))))
    st.markdown(_("To start, upload exports or screenshots on the **Import** page (it makes "
                  "the workspace), build the sample one with `make run`, or import from the "
                  "command line:"))
    st.code(f"python -m ingest PATH... --workspace {root}", language="bash")
    st.page_link("pages/import_files.py", label=_("Go to the Import page"), icon="📥")
    st.stop()
