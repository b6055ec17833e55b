"""Who may do what in a workspace: roles, permissions and the person acting.

Every action of `recoupe/` that changes shared work takes an `Actor` and calls `require()` first,
so a role is enforced by the library, not only by the buttons a page shows. The roles nest:

- reporter: search, import, cases, evidence, tags, notes, claims;
- fact-checker: a reporter who also gives claims their verdicts;
- editor: a fact-checker who also approves dossiers, exports them and reads the audit trail;
- admin: an editor who also manages accounts.

A workspace without any account belongs to a single local user (`make run` on 127.0.0.1), who
acts as admin under the name given (`--user`, else the login name). Once accounts exist, a name
must be an enabled account and its role applies.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

from .errors import RecoupeError
from .i18n import _

ROLES = ("reporter", "fact-checker", "editor", "admin")

_REPORTER = frozenset({"search", "import", "case.write", "evidence.write", "claim.write",
                       "tag.write", "note.write", "timeline.write"})
_FACT_CHECKER = _REPORTER | {"claim.verdict"}
_EDITOR = _FACT_CHECKER | {"dossier.approve", "dossier.export", "audit.read"}
_ADMIN = _EDITOR | {"user.manage"}

PERMISSIONS: dict[str, frozenset[str]] = {
    "reporter": _REPORTER,
    "fact-checker": _FACT_CHECKER,
    "editor": _EDITOR,
    "admin": _ADMIN,
}

ENV_USER = "RECOUPE_USER"


class Forbidden(RecoupeError):
    """The person's role does not allow the action."""


class UnknownUser(RecoupeError):
    """The name is not an enabled account of the workspace."""


@dataclass(frozen=True)
class Actor:
    """The person acting: a name (as written in the audit trail) and a role."""

    name: str
    role: str

    def __post_init__(self):
        if self.role not in PERMISSIONS:
            raise ValueError(f"unknown role {self.role!r}; roles are {', '.join(ROLES)}")

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS[self.role]


def require(actor: Actor, permission: str, what: str | None = None) -> None:
    """Raise Forbidden unless `actor` has `permission`; `what` names the action for the message."""
    if not actor.can(permission):
        raise Forbidden(_("{name} is {role_with_article} and may not {what}; ask an editor or "
                          "an admin", name=actor.name, role_with_article=_ROLE_ARTICLE[actor.role](),
                          what=_(what) if what else permission))


# The role with its article, as a sentence says it ("a reporter", "an editor").
_ROLE_ARTICLE = {
    "reporter": lambda: _("a reporter"),
    "fact-checker": lambda: _("a fact-checker"),
    "editor": lambda: _("an editor"),
    "admin": lambda: _("an admin"),
}


def role_label(role: str) -> str:
    """A role as people read it, in the current language."""
    return {"reporter": _("reporter"), "fact-checker": _("fact-checker"), "editor": _("editor"),
            "admin": _("admin")}.get(role, role)


def default_name() -> str:
    """The name a command acts under when none is given: $RECOUPE_USER, else the login name."""
    name = os.environ.get(ENV_USER)
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local"


def has_accounts(ws) -> bool:
    return bool(ws.one("users.count"))


def actor_for(ws, name: str | None) -> Actor:
    """The Actor for a name given on the command line (or None for the default name).

    Without accounts the workspace is a single local user's, who acts as admin. With accounts the
    name must be an enabled one, and its role applies.
    """
    name = (name or default_name()).strip()
    if not has_accounts(ws):
        return Actor(name, "admin")
    rows = ws.rows("users.get", {"name": name.lower()})
    if not rows or rows[0]["disabled"]:
        raise UnknownUser(_("{name!r} is not an enabled account of this workspace; give the "
                            "name of one (see `python -m recoupe user list`)", name=name))
    return Actor(rows[0]["name"], rows[0]["role"])


LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(address: str | None) -> bool:
    """Whether a server address is reachable from this machine only. An empty address means
    every interface (Streamlit's default), which is not."""
    import ipaddress
    address = (address or "").strip().strip("[]")
    if address.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def serving_mode(address: str | None, accounts: bool) -> str:
    """How the app lets people in: 'local' (127.0.0.1 and no accounts: one local user, no
    sign-in), 'signin' (the workspace has accounts: everyone signs in, wherever it is served),
    or 'refuse' (served where others can reach it, and no account to sign in with)."""
    if accounts:
        return "signin"
    return "local" if is_loopback(address) else "refuse"
