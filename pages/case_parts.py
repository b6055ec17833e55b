"""What the pages share about cases: who acts, and the "Add to a case" widget that search
results, the item view and the Duplicates page show beside an item."""

from __future__ import annotations

import streamlit as st

from pages.common import workspace_or_stop
from recoupe import cases
from recoupe.access import Actor, UnknownUser, actor_for, default_name
from recoupe.errors import RecoupeError, WorkspaceError
from recoupe.i18n import _, language
from recoupe.render import escape_markdown
from recoupe.workspace import open_workspace, resolve

ACTING_AS = "acting_as"        # the name typed in "Acting as", kept across pages
NEW_CASE = -1


def acting_actor(ws) -> Actor | None:
    """The person acting in this browser session.

    A signed-in person (st.session_state["actor"], set by the sign-in page once it exists) acts
    under their account; otherwise the name typed in "Acting as" (else $RECOUPE_USER or the
    login name), which in a workspace without accounts is a local admin. In a workspace with
    accounts a name that is not an enabled account acts as no one: the page says so."""
    actor = st.session_state.get("actor")
    if isinstance(actor, Actor):
        return actor
    try:
        return actor_for(ws, acting_name())
    except UnknownUser as exc:
        st.warning(str(exc))
        return None


def acting_name() -> str:
    actor = st.session_state.get("actor")
    if isinstance(actor, Actor):
        return actor.name
    return (st.session_state.get(ACTING_AS) or default_name()).strip()


def acting_as_input() -> None:
    """The "Acting as" field in the sidebar (where no one is signed in; a signed-in person is
    named, with the sign-out button, by the app's sidebar: pages/signin.py)."""
    if isinstance(st.session_state.get("actor"), Actor):
        return

    def keep() -> None:
        st.session_state[ACTING_AS] = st.session_state["acting_as_field"].strip()

    st.sidebar.text_input(_("Acting as"), value=st.session_state.get(ACTING_AS) or default_name(),
                          key="acting_as_field", on_change=keep,
                          help=_("The name your changes are recorded under in the audit trail."))


@st.cache_data(ttl=10, show_spinner=False)
def open_cases(root: str) -> list[tuple[int, str]]:
    """(id, title) of the cases that are not closed, most recently changed first; cached for a
    few seconds, as a page of search results shows the widget twenty times."""
    try:
        with open_workspace(root) as ws:
            return [(c["id"], c["title"]) for c in cases.list_cases(ws)
                    if c["status"] != "closed"]
    except WorkspaceError:
        return []


def add_to_case(item_id: int, *, key: str, label: str | None = None) -> None:
    """A popover to add an item to a case (or to a new one) with a note and tags."""
    choices = open_cases(str(resolve()))
    with st.popover(label or _("Add to a case"), icon=":material/cases:"):
        with st.form(f"add-{key}", clear_on_submit=True, border=False):
            # labels made now, in this run's language (AppTest calls format_func elsewhere)
            names = {NEW_CASE: _("New case…"), **{c: f"#{c} {title}" for c, title in choices}}
            case_id = st.selectbox(_("Case"), list(names), index=1 if choices else 0,
                                   format_func=names.get,
                                   # the options are drawn in the page's language: a new widget
                                   # when it changes, so the choice is not looked up in the other
                                   key=f"case-{key}-{language()}")
            title = st.text_input(_("Title of the new case"), key=f"title-{key}")
            note = st.text_area(_("Your note"), key=f"note-{key}", height=68)
            tags = st.text_input(_("Tags (comma-separated)"), key=f"tags-{key}",
                                 placeholder=_("calendar, black-friday"))
            st.caption(_("Recorded under the name {name}.", name=acting_name()))
            submitted = st.form_submit_button(_("Add item {id}", id=item_id))
        if submitted:
            _add(item_id, case_id, title, note, tags)


def _add(item_id: int, case_id: int, title: str, note: str, tags: str) -> None:
    with workspace_or_stop(write=True) as ws:
        actor = acting_actor(ws)
        if actor is None:
            return
        try:
            if case_id == NEW_CASE:
                case_id = cases.create_case(ws, actor, title)
                open_cases.clear()
            change = cases.add_evidence(ws, actor, case_id, item_id, note=note, tags=tags)
        except RecoupeError as exc:
            st.error(str(exc))
            return
    st.success(_("Item {item} is evidence E{evidence} of case {case}.", item=item_id,
                 evidence=change.id, case=case_id))
    if change.withdrawn:
        st.warning(_("The approval of case {case}'s dossier is withdrawn: evidence was added.",
                     case=case_id))
    st.page_link("pages/cases.py", label=_("Open case {case}", case=case_id),
                 query_params={"case": str(case_id)})


def cases_of(item_id: int) -> None:
    """A line saying which cases an item is evidence in (the item view)."""
    with workspace_or_stop() as ws:
        found = cases.cases_of_item(ws, item_id)
    for c in found:
        st.page_link("pages/cases.py", label=_("Evidence E{evidence} of case {case}: {title}",
                                                evidence=c["evidence_id"], case=c["case_id"],
                                                title=escape_markdown(c["title"])),
                     query_params={"case": str(c["case_id"])}, icon=":material/cases:")
