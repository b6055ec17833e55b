"""Accounts: your password and language; for admins, every account of the workspace."""

import pandas as pd
import streamlit as st

from pages.common import through_app, workspace_or_stop
from pages.signin import current_actor
from recoupe import users
from recoupe.access import ROLES, role_label
from recoupe.errors import RecoupeError
from recoupe.i18n import _
from recoupe.times import show

through_app()
st.title(_("Accounts"))
actor = current_actor()


def attempt(action, done: str) -> None:
    """Run an account change; say what became of it."""
    try:
        with workspace_or_stop(write=True) as ws:
            action(ws)
    except RecoupeError as exc:
        st.error(str(exc))
    else:
        st.success(done)


with workspace_or_stop() as ws:
    accounts = users.accounts(ws)
    mine = next((a for a in accounts if a["name"] == actor.name), None)

if mine is not None:
    st.subheader(_("Your account"))
    st.text(_("{name}, {role}", name=mine["name"], role=role_label(mine["role"])))
    with st.form("own-password", clear_on_submit=True):
        new = st.text_input(_("New password"), type="password", autocomplete="new-password")
        again = st.text_input(_("The same password again"), type="password",
                              autocomplete="new-password")
        if st.form_submit_button(_("Change my password")):
            if new != again:
                st.error(_("The two passwords differ; nothing was changed."))
            else:
                attempt(lambda w: users.set_password(w, actor, actor.name, new),
                        _("Your password was changed."))
    st.caption(_("Your language is the one you choose with the switch in the sidebar: it is "
                 "kept with your account."))

if not actor.can("user.manage"):
    st.stop()

st.subheader(_("Every account") if accounts else _("No accounts yet"))
if not accounts:
    st.info(_("This workspace has no accounts: whoever opens the app on this machine acts as "
              "admin, and the app refuses to be served to other machines. Create the first "
              "account, an admin's; from then on everyone signs in."))
else:
    # A table shows its cells as plain text.
    st.dataframe(pd.DataFrame([{
        _("Name"): a["name"], _("Role"): role_label(a["role"]),
        _("State"): _("disabled") if a["disabled"] else _("enabled"),
        _("E-mail"): a["email"] or "", _("Created"): show(a["created_at_utc"]),
        _("By"): a["created_by"],
    } for a in accounts]), hide_index=True, width="stretch")

with st.form("add-account", clear_on_submit=True):
    st.markdown("**" + _("Add an account") + "**")
    name = st.text_input(_("Name"), help=_("2 to 40 lower-case letters, digits, dots, dashes "
                                           "or underscores"))
    role = st.selectbox(_("Role"), ROLES if accounts else ("admin",), format_func=role_label)
    email = st.text_input(_("E-mail (to sign in through the identity provider)"))
    password = st.text_input(_("Password (at least {n} characters)", n=users.MIN_PASSWORD),
                             type="password", autocomplete="new-password")
    if st.form_submit_button(_("Add")):
        attempt(lambda w: users.add(w, actor, name, role, password or None, email=email or None),
                _("Account {name} added.", name=users.normal_name(name)))

if accounts:
    st.markdown("**" + _("Change an account") + "**")
    names = [a["name"] for a in accounts]
    cols = st.columns(3)
    who = cols[0].selectbox(_("Account"), names, index=None, key="acct")
    if who:
        row = next(a for a in accounts if a["name"] == who)
        new_role = cols[1].selectbox(_("Role"), ROLES, index=ROLES.index(row["role"]),
                                     format_func=role_label, key="acct-role")
        if new_role != row["role"] and cols[1].button(_("Change the role")):
            attempt(lambda w: users.set_role(w, actor, who, new_role),
                    _("{name} is now {role}.", name=who, role=role_label(new_role)))
        if row["disabled"]:
            if cols[2].button(_("Enable")):
                attempt(lambda w: users.enable(w, actor, who), _("{name} may sign in again.",
                                                                name=who))
        elif cols[2].button(_("Disable")):
            attempt(lambda w: users.disable(w, actor, who),
                    _("{name} can no longer sign in.", name=who))
        with st.form("reset-password", clear_on_submit=True):
            pw = st.text_input(_("New password for {name}", name=who), type="password",
                               autocomplete="new-password")
            if st.form_submit_button(_("Set the password")):
                attempt(lambda w: users.set_password(w, actor, who, pw),
                        _("The password of {name} was changed.", name=who))
