"""Who is using the app: sign-in, the signed-in person's Actor, sign-out.

Not a page of the navigation: app.py calls `person_or_stop()` on every run before building the
navigation from the person's role. The rules (recoupe.access.serving_mode):

- served on 127.0.0.1 with no account in the workspace: one local user, no sign-in, acting as
  admin under $RECOUPE_USER or the server's login name;
- the workspace has accounts: everyone signs in, with a password, or through the newsroom's
  identity provider when `[auth]` is set in .streamlit/secrets.toml (st.login, OIDC: the
  address the provider vouches for must be an account's);
- served where others can reach it and no account: the app refuses, on the page and in the
  server's log, and says how to create the first account.

The Actor is kept in st.session_state and checked against the workspace on every run, so an
account disabled or given another role takes effect at the person's next click.
"""

from __future__ import annotations

import logging

import streamlit as st

from recoupe import i18n, preferences, users
from recoupe.access import (Actor, UnknownUser, actor_for, default_name, has_accounts,
                            role_label, serving_mode)
from recoupe.errors import RecoupeError, WorkspaceError, WorkspaceLocked
from recoupe.i18n import _
from recoupe.workspace import open_workspace, resolve

from pages.common import workspace_or_stop

KEY = "actor"
log = logging.getLogger("recoupe.app")


def oidc_configured() -> bool:
    """Whether `[auth]` is set in .streamlit/secrets.toml (sign-in through the provider)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all, or one that cannot be read
        return False


PERSON = "person"


def current_actor() -> Actor:
    """The person the page acts for (set by app.py on every run, before the page)."""
    return st.session_state[PERSON]


def gate() -> Actor:
    """app.py's first step: the person using this session (see the module's docstring)."""
    root = resolve()
    try:
        ws = open_workspace(root, wait=WAIT)
    except WorkspaceLocked as exc:
        locked(exc)
    except WorkspaceError:
        ws = None  # no workspace yet: nobody has an account
    try:
        actor = person(ws)
        if actor is not None:
            sidebar(ws, actor)
    finally:
        if ws is not None:
            ws.close()
    if actor is None:
        # The only page there is until someone signs in: no other page can be reached.
        st.session_state.pop(PERSON, None)
        st.navigation([st.Page(sign_in_page, title=_("Sign in"), icon="🔐",
                               url_path="sign-in")], position="hidden").run()
        st.stop()
    st.session_state[PERSON] = actor
    return actor


WAIT = 3.0  # seconds a page run waits for a workspace that a command holds


def locked(exc: Exception) -> None:
    """Say that a command holds the workspace, offer to try again, and stop the page."""
    st.warning(_("Another program is using the workspace ({detail}), probably an import from "
                 "the command line; the app works again as soon as it ends.",
                 detail=str(exc).split("(", 1)[-1].split(")", 1)[0]))
    st.button(_("Try again"), key="locked-retry")
    st.stop()


def person(ws) -> Actor | None:
    """The person using this session, None when someone must sign in; refuses to serve (and
    stops) when the address is reachable by others and nobody could sign in."""
    address = st.get_option("server.address")
    mode = serving_mode(address, ws is not None and has_accounts(ws))
    if mode == "refuse":
        reason = _("Recoupe is served on {address}, where others can reach it, and this "
                   "workspace has no account to sign in with. Create the first one (an admin) "
                   "with `python -m recoupe user add NAME --role admin`, or serve it on "
                   "127.0.0.1 only.", address=address or _("every network interface"))
        log.critical("refusing to serve: %s", reason)  # the server's log (stderr)
        st.navigation([st.Page(lambda: st.error(reason), title="Recoupe", url_path="refused")],
                      position="hidden").run()
        st.stop()
    if mode == "local":
        # one local user, under the name typed in the Cases page's "Acting as", else the
        # default ($RECOUPE_USER, else the login name)
        st.session_state.pop(KEY, None)
        return Actor((st.session_state.get("acting_as") or "").strip() or default_name(), "admin")
    actor = st.session_state.get(KEY)
    if actor is not None:
        try:
            current = actor_for(ws, actor.name)   # disabled or given another role meanwhile?
        except UnknownUser:
            st.session_state.pop(KEY, None)
            st.warning(_("Your account was disabled; sign in again or ask an admin."))
        else:
            st.session_state[KEY] = current
            return current
    return None


def sign_in_page() -> None:
    with workspace_or_stop() as ws:
        _sign_in(ws)


def _sign_in(ws) -> None:
    st.title(_("Sign in to Recoupe"))
    if oidc_configured():
        if getattr(st.user, "is_logged_in", False):
            try:
                actor = users.signin_by_email(ws, st.user.get("email"))
            except RecoupeError as exc:
                st.error(str(exc))
                if st.button(_("Sign out of the identity provider")):
                    st.logout()
                return
            _start(actor)
        if st.button(_("Sign in with the newsroom's account"), type="primary"):
            st.login()
        st.divider()
        st.caption(_("Or with a Recoupe account:"))
    with st.form("signin"):
        name = st.text_input(_("Name"), autocomplete="username")
        password = st.text_input(_("Password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(_("Sign in"), type="primary")
    if submitted:
        try:
            actor = users.verify(ws, name, password)
        except RecoupeError as exc:
            st.error(str(exc))
            return
        _start(actor)


def _start(actor: Actor) -> None:
    """Signed in: keep the person in the session, speak their language if they chose one."""
    st.session_state[KEY] = actor
    with workspace_or_stop() as ws:
        lang = preferences.language(ws, actor.name)
    if lang:
        st.session_state["lang"] = i18n.use(lang)
    st.rerun()


def sidebar(ws, actor: Actor) -> None:
    """Who is signed in, and the sign-out button (nothing to sign out of for the local user)."""
    if ws is None or KEY not in st.session_state:
        st.sidebar.caption(_("Local workspace without accounts: you act as {name}.",
                             name=actor.name))
        return
    st.sidebar.caption(_("Signed in as {name} ({role})", name=actor.name,
                         role=role_label(actor.role)))
    st.sidebar.button(_("Sign out"), key="signout", on_click=_sign_out, args=(ws.root, actor))


def _sign_out(root, actor: Actor) -> None:
    """The sign-out button's callback (it runs before the next run draws anything)."""
    with open_workspace(root, wait=WAIT) as ws:
        users.signout(ws, actor)
    st.session_state.pop(KEY, None)
    st.session_state.pop(PERSON, None)
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()
