"""`python -m recoupe user add|list|disable|enable|passwd|role`: the accounts of a workspace.

The command line acts as the person named by `--as` (default: $RECOUPE_USER, else the login
name), who must be an enabled admin account once the workspace has accounts; the first account
is created by whoever runs the command, and must be an admin's. The command line trusts whoever
can write the workspace folder: keep that folder readable by the app's service account only.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from .access import ROLES, actor_for
from .cliutil import add_json_option, add_workspace_option, fail
from .i18n import _
from .times import show
from .users import accounts, add, disable, enable, set_password, set_role
from .workspace import open_workspace


def add_commands(sub) -> None:
    user = sub.add_parser("user", help="manage the accounts of a workspace (admins)",
                          description="Accounts, roles and passwords. Roles: reporter (search, "
                                      "import, cases, evidence, claims), fact-checker (also "
                                      "verdicts), editor (also approval, dossier export, audit "
                                      "trail), admin (also accounts).")
    actions = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)

    def action(name: str, help_text: str, handler) -> argparse.ArgumentParser:
        p = actions.add_parser(name, help=help_text, description=help_text[0].upper()
                               + help_text[1:] + ".")
        add_workspace_option(p)
        p.add_argument("--as", dest="acting", metavar="NAME",
                       help="the admin account acting (default: $RECOUPE_USER, else your login)")
        p.set_defaults(handler=handler)
        return p

    a = action("add", "create an account (the first one must be an admin)", cmd_add)
    a.add_argument("name", metavar="NAME", help="sign-in name: lower-case letters, digits, . _ -")
    a.add_argument("--role", required=True, choices=ROLES)
    a.add_argument("--email", help="e-mail address, for sign-in through the identity provider")
    a.add_argument("--display-name", metavar="TEXT", help="the name shown in the app")
    a.add_argument("--no-password", action="store_true",
                   help="an identity-provider account only (needs --email)")
    a.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of standard input (for scripts)")

    ls = action("list", "list the accounts", cmd_list)
    add_json_option(ls, "the accounts")

    for name, text, handler in (("disable", "refuse an account's sign-ins from now on",
                                 cmd_disable),
                                ("enable", "let a disabled account sign in again", cmd_enable)):
        action(name, text, handler).add_argument("name", metavar="NAME")

    pw = action("passwd", "set an account's password (yours, or anyone's as admin)", cmd_passwd)
    pw.add_argument("name", metavar="NAME")
    pw.add_argument("--password-stdin", action="store_true",
                    help="read the password from the first line of standard input")

    ro = action("role", "change an account's role", cmd_role)
    ro.add_argument("name", metavar="NAME")
    ro.add_argument("role", choices=ROLES)


def _password(args) -> str | None:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    first = getpass.getpass(_("Password for {name}: ", name=args.name))
    if getpass.getpass(_("The same password again: ")) != first:
        raise _Mismatch()
    return first


class _Mismatch(Exception):
    pass


def cmd_add(args) -> int:
    if args.no_password and not args.email:
        return fail(_("--no-password needs --email (the identity provider's address)"), 2)
    try:
        password = None if args.no_password else _password(args)
    except _Mismatch:
        return fail(_("the two passwords differ; nothing was changed"), 2)
    with open_workspace(args.workspace, create=True) as ws:
        actor = actor_for(ws, args.acting)
        row = add(ws, actor, args.name, args.role, password, email=args.email,
                  display_name=args.display_name)
    print(_("account {name} added as {role}", name=row["name"], role=row["role"]))
    return 0


def cmd_list(args) -> int:
    with open_workspace(args.workspace) as ws:
        rows = accounts(ws)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
        return 0
    if not rows:
        print(_("no accounts: the workspace belongs to one local user (see `user add`)"))
    for r in rows:
        state = _("disabled") if r["disabled"] else _("enabled")
        print(f"{r['name']:<20} {r['role']:<13} {state:<9} {r['email'] or '':<28} "
              f"{show(r['created_at_utc'])} ({r['created_by']})")
    return 0


def cmd_disable(args) -> int:
    with open_workspace(args.workspace) as ws:
        disable(ws, actor_for(ws, args.acting), args.name)
    print(_("account {name} disabled", name=args.name.lower()))
    return 0


def cmd_enable(args) -> int:
    with open_workspace(args.workspace) as ws:
        enable(ws, actor_for(ws, args.acting), args.name)
    print(_("account {name} enabled", name=args.name.lower()))
    return 0


def cmd_passwd(args) -> int:
    try:
        password = _password(args)
    except _Mismatch:
        return fail(_("the two passwords differ; nothing was changed"), 2)
    with open_workspace(args.workspace) as ws:
        set_password(ws, actor_for(ws, args.acting), args.name, password)
    print(_("password of {name} changed", name=args.name.lower()))
    return 0


def cmd_role(args) -> int:
    with open_workspace(args.workspace) as ws:
        set_role(ws, actor_for(ws, args.acting), args.name, args.role)
    print(_("{name} is now {role}", name=args.name.lower(), role=args.role))
    return 0
