"""The accounts of a workspace: who may sign in, with which role, and their sign-ins.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second recommended
profile); the hash is kept in the workspace's `users` table and the password nowhere.
`verify()` answers a wrong password, an unknown name and a disabled account with the same
sentence, in about the same time (an unknown name is checked against a stand-in hash), and waits
a moment after each failure; after `MAX_FAILURES` failed sign-ins for one name within
`LOCK_MINUTES`, that name is refused for the rest of that window, whatever the password. The
count comes from the audit trail, where every sign-in and failed sign-in is recorded, so a
locked name stays locked across restarts and nothing but the trail has to be kept.

Every change is checked against the acting person's role (`user.manage`: admins) and recorded in
the audit trail in the same transaction: 'user.add', 'user.disable', 'user.enable',
'user.passwd', 'user.role'. A person may change their own password (their language is kept
by `recoupe.preferences`). The first account of a workspace must be an admin's (who then
manages the others),
and the last enabled admin can be neither disabled nor demoted.

Accounts of the newsroom's identity provider (OIDC, see the README) are ordinary accounts with an
e-mail address and no password: the provider proves the address, the account gives the role.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from . import audit
from .access import PERMISSIONS, ROLES, Actor, has_accounts, require
from .errors import RecoupeError
from .i18n import _
from .workspace import Workspace

MIN_PASSWORD = 10
MAX_FAILURES = 5
LOCK_MINUTES = 15
FAILURE_DELAY = 1.0  # seconds a failed sign-in waits before it answers
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")

_hasher = PasswordHasher()
# Checked when the name is unknown, so that a wrong name costs the same time as a wrong password.
_STAND_IN = _hasher.hash("recoupe: no such account")


class SignInFailed(RecoupeError):
    """Wrong name or password, disabled account, or a name locked after too many failures."""


class AccountError(RecoupeError):
    """An account change that cannot be made (bad name, weak password, last admin...)."""


def normal_name(name: str) -> str:
    return (name or "").strip().lower()


def _check_name(name: str) -> str:
    name = normal_name(name)
    if not NAME.match(name):
        raise AccountError(_("An account name is 2 to 40 lower-case letters, digits, dots, "
                             "dashes or underscores, starting with a letter or a digit; "
                             "{name!r} is not.", name=name[:60]))
    return name


def _check_role(role: str) -> str:
    if role not in PERMISSIONS:
        raise AccountError(_("{role!r} is not a role; the roles are {roles}.", role=role,
                             roles=", ".join(ROLES)))
    return role


def _check_password(password: str | None) -> str:
    if password is None or len(password) < MIN_PASSWORD:
        raise AccountError(_("A password needs at least {n} characters.", n=MIN_PASSWORD))
    if password != password.strip():
        raise AccountError(_("A password may not start or end with a space."))
    return password


def _get(ws: Workspace, name: str) -> dict:
    rows = ws.rows("users.get", {"name": normal_name(name)})
    if not rows:
        raise AccountError(_("There is no account {name!r} in this workspace.",
                             name=normal_name(name)[:60]))
    return rows[0]


def _public(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "password_hash"}


def accounts(ws: Workspace) -> list[dict]:
    """Every account, without its password hash, admins first."""
    return ws.rows("users.every")


def add(ws: Workspace, actor: Actor, name: str, role: str, password: str | None = None, *,
        email: str | None = None, display_name: str | None = None) -> dict:
    """Create an account. The first account of a workspace must be an admin's; after it, only
    an admin may add accounts. An account without a password signs in only through the
    identity provider, by its e-mail address."""
    first = not has_accounts(ws)
    if not first:
        require(actor, "user.manage", _("add accounts"))
    name, role = _check_name(name), _check_role(role)
    if first and role != "admin":
        raise AccountError(_("The first account of a workspace must be an admin's (--role admin): "
                             "the admin then adds the others."))
    email = (email or "").strip().lower() or None
    if password is None and email is None:
        raise AccountError(_("An account needs a password, or an e-mail address to sign in "
                             "through the identity provider."))
    hashed = _hasher.hash(_check_password(password)) if password is not None else None
    with ws.transaction():
        if ws.rows("users.get", {"name": name}):
            raise AccountError(_("There is already an account {name!r}.", name=name))
        if email and ws.rows("users.by_email", {"email": email}):
            raise AccountError(_("Another account already has the e-mail address {email}.",
                                 email=email))
        ws.q("users.add", {"name": name, "display_name": (display_name or "").strip() or None,
                           "role": role, "password_hash": hashed, "email": email,
                           "created_at_utc": audit.now_utc(), "created_by": actor.name})
        audit.record(ws, actor.name, "user.add", "user", name,
                     detail={"role": role, "email": email, "password": hashed is not None})
    return _public(_get(ws, name))


def _enabled_admins(ws: Workspace) -> int:
    return ws.one("users.enabled_admins")


def disable(ws: Workspace, actor: Actor, name: str) -> None:
    """Refuse the account's sign-ins from now on (its past work and audit entries stay)."""
    require(actor, "user.manage", _("disable accounts"))
    with ws.transaction():
        row = _get(ws, name)
        if row["role"] == "admin" and not row["disabled"] and _enabled_admins(ws) <= 1:
            raise AccountError(_("{name} is the last enabled admin; make another admin first.",
                                 name=row["name"]))
        ws.q("users.set_disabled", {"name": row["name"], "disabled": True})
        audit.record(ws, actor.name, "user.disable", "user", row["name"])


def enable(ws: Workspace, actor: Actor, name: str) -> None:
    require(actor, "user.manage", _("enable accounts"))
    with ws.transaction():
        row = _get(ws, name)
        ws.q("users.set_disabled", {"name": row["name"], "disabled": False})
        audit.record(ws, actor.name, "user.enable", "user", row["name"])


def set_role(ws: Workspace, actor: Actor, name: str, role: str) -> None:
    require(actor, "user.manage", _("change roles"))
    role = _check_role(role)
    with ws.transaction():
        row = _get(ws, name)
        if row["role"] == "admin" and role != "admin" and not row["disabled"] \
                and _enabled_admins(ws) <= 1:
            raise AccountError(_("{name} is the last enabled admin; make another admin first.",
                                 name=row["name"]))
        ws.q("users.set_role", {"name": row["name"], "role": role})
        audit.record(ws, actor.name, "user.role", "user", row["name"],
                     detail={"from": row["role"], "to": role})


def set_password(ws: Workspace, actor: Actor, name: str, password: str) -> None:
    """A new password: a person's own, or anyone's for an admin."""
    name = normal_name(name)
    if name != normal_name(actor.name):
        require(actor, "user.manage", _("change another person's password"))
    hashed = _hasher.hash(_check_password(password))
    with ws.transaction():
        row = _get(ws, name)
        ws.q("users.set_password", {"name": row["name"], "password_hash": hashed})
        audit.record(ws, actor.name, "user.passwd", "user", row["name"])


def verify(ws: Workspace, name: str, password: str) -> Actor:
    """The Actor of an enabled account whose password this is; else SignInFailed, with the same
    sentence whatever was wrong. Records 'signin' or 'signin.failed' in the audit trail."""
    name = normal_name(name)[:80]
    locked = _failures(ws, name) >= MAX_FAILURES
    rows = ws.rows("users.get", {"name": name}) if name else []
    row = rows[0] if rows else None
    stored = row["password_hash"] if row and row["password_hash"] else _STAND_IN
    try:
        good = _hasher.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        good = False
    if locked:
        why = "locked"
    elif row is None:
        why = "unknown"
    elif not good or stored is _STAND_IN:
        why = "password"
    elif row["disabled"]:
        why = "disabled"
    else:
        why = None
    if why is not None:
        with ws.transaction():
            audit.record(ws, name or "?", "signin.failed", "user", name or "?",
                         detail={"reason": why, "via": "password"})
        time.sleep(FAILURE_DELAY)
        if locked:
            raise SignInFailed(_("Too many failed sign-ins for this name: wait {n} minutes, or "
                                 "ask an admin.", n=LOCK_MINUTES))
        raise SignInFailed(_("Wrong name or password, or the account is disabled."))
    with ws.transaction():
        if _hasher.check_needs_rehash(stored):
            ws.q("users.set_password", {"name": name, "password_hash": _hasher.hash(password)})
        audit.record(ws, row["name"], "signin", "user", row["name"], detail={"via": "password"})
    return Actor(row["name"], row["role"])


def signin_by_email(ws: Workspace, email: str | None) -> Actor:
    """The Actor for an identity the provider vouched for: the enabled account with that e-mail
    address. Records the sign-in (or its failure) in the audit trail."""
    email = (email or "").strip().lower()
    rows = ws.rows("users.by_email", {"email": email}) if email else []
    row = rows[0] if rows else None
    if row is None or row["disabled"]:
        with ws.transaction():
            audit.record(ws, email or "?", "signin.failed", "user", email or "?",
                         detail={"reason": "disabled" if row else "unknown", "via": "oidc"})
        raise SignInFailed(_("No enabled account of this workspace has the address {email}; "
                             "ask an admin to add it.", email=email or "?"))
    with ws.transaction():
        audit.record(ws, row["name"], "signin", "user", row["name"], detail={"via": "oidc"})
    return Actor(row["name"], row["role"])


def signout(ws: Workspace, actor: Actor) -> None:
    with ws.transaction():
        audit.record(ws, actor.name, "signout", "user", actor.name)


def _failures(ws: Workspace, name: str) -> int:
    """Failed sign-ins for `name` in the last LOCK_MINUTES, since its last sign-in."""
    return ws.one("users.recent_failures", {
        "name": name or "?", "since": audit.now_utc() - timedelta(minutes=LOCK_MINUTES)})
