"""Accounts: Argon2 hashes, roles checked by the library, sign-ins and their failures audited."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest

from conftest import ROOT, SAMPLES
from recoupe import audit, users
from recoupe.access import Actor, Forbidden, UnknownUser, actor_for
from recoupe.workspace import open_workspace

LOCAL = Actor("marie", "admin")  # the local user of a workspace without accounts
GOOD = "correct horse battery"


pytestmark = pytest.mark.usefixtures("quick_hashes")

@pytest.fixture(autouse=True)
def no_delay(monkeypatch):
    monkeypatch.setattr(users, "FAILURE_DELAY", 0)


@pytest.fixture
def team(tmp_path):
    """A workspace with an admin, an editor, a fact-checker and a reporter."""
    ws = open_workspace(tmp_path / "ws", create=True)
    users.add(ws, LOCAL, "Alice", "admin", GOOD)
    admin = Actor("alice", "admin")
    for name, role in (("eve", "editor"), ("fred", "fact-checker"), ("rita", "reporter")):
        users.add(ws, admin, name, role, GOOD + name)
    yield ws
    ws.close()


def test_the_first_account_must_be_an_admin(tmp_path):
    with open_workspace(tmp_path / "ws", create=True) as ws:
        with pytest.raises(users.AccountError, match="first account .* admin"):
            users.add(ws, LOCAL, "rita", "reporter", GOOD)
        row = users.add(ws, LOCAL, "alice", "admin", GOOD)
        assert row["name"] == "alice" and "password_hash" not in row
        # once there are accounts, the local user is nobody
        with pytest.raises(UnknownUser):
            actor_for(ws, "marie")
        stored = ws.rows("users.get", {"name": "alice"})[0]["password_hash"]
    assert stored.startswith("$argon2id$") and GOOD not in stored
    db = (tmp_path / "ws" / "recoupe.duckdb").read_bytes()
    assert GOOD.encode() not in db


def test_only_an_admin_manages_accounts(team):
    rita, eve = actor_for(team, "rita"), actor_for(team, "eve")
    assert rita == Actor("rita", "reporter")
    with pytest.raises(Forbidden, match="rita is a reporter and may not add accounts"):
        users.add(team, rita, "mallory", "admin", GOOD)
    with pytest.raises(Forbidden, match="eve is an editor and may not disable accounts"):
        users.disable(team, eve, "rita")
    with pytest.raises(Forbidden):
        users.set_password(team, rita, "alice", "x" * 20)
    users.set_password(team, rita, "rita", "a new password for rita")  # one's own: allowed
    assert users.verify(team, "rita", "a new password for rita") == rita
    assert [r["name"] for r in users.accounts(team)] == ["alice", "eve", "fred", "rita"]


@pytest.mark.parametrize("name, password, words", [
    ("Bad Name", GOOD, "lower-case"), ("<script>", GOOD, "lower-case"), ("x", GOOD, "2 to 40"),
    ("bob", "short", "at least 10"), ("bob", " padded password ", "space"),
])
def test_names_and_passwords_are_checked(team, name, password, words):
    with pytest.raises(users.AccountError, match=words):
        users.add(team, Actor("alice", "admin"), name, "reporter", password)


def test_failures_all_say_the_same_and_are_audited(team):
    alice = Actor("alice", "admin")
    users.disable(team, alice, "rita")
    messages = set()
    for name, password in (("eve", "wrong password!"), ("nobody", GOOD), ("rita", GOOD + "rita")):
        with pytest.raises(users.SignInFailed) as caught:
            users.verify(team, name, password)
        messages.add(str(caught.value))
    assert len(messages) == 1
    assert users.verify(team, "EVE ", GOOD + "eve") == Actor("eve", "editor")
    failed = audit.entries(team, action="signin.failed")
    assert [(e["object_id"], e["detail"]["reason"]) for e in reversed(failed)] == [
        ("eve", "password"), ("nobody", "unknown"), ("rita", "disabled")]
    assert [e["actor"] for e in audit.entries(team, action="signin")
            if e["action"] == "signin"] == ["eve"]
    assert {e["action"] for e in audit.entries(team, object_type="user")} >= {
        "user.add", "user.disable", "signin", "signin.failed"}


def test_a_name_is_locked_after_repeated_failures(team):
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(users.SignInFailed, match="Wrong name or password"):
            users.verify(team, "fred", "guess guess guess")
    with pytest.raises(users.SignInFailed, match="Too many failed sign-ins"):
        users.verify(team, "fred", GOOD + "fred")      # even the right password
    # an unknown name is locked the same way: the lock says nothing of which names exist
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(users.SignInFailed):
            users.verify(team, "ghost", "guess guess guess")
    with pytest.raises(users.SignInFailed, match="Too many failed sign-ins"):
        users.verify(team, "ghost", "guess guess guess")
    # failures older than the window no longer count
    old = audit.now_utc() - timedelta(minutes=users.LOCK_MINUTES + 1)
    with team.transaction():
        for _ in range(users.MAX_FAILURES):
            audit.record(team, "eve", "signin.failed", "user", "eve", at=old)
    assert users.verify(team, "eve", GOOD + "eve").role == "editor"


def test_the_last_admin_stays(team):
    alice = Actor("alice", "admin")
    with pytest.raises(users.AccountError, match="last enabled admin"):
        users.disable(team, alice, "alice")
    with pytest.raises(users.AccountError, match="last enabled admin"):
        users.set_role(team, alice, "alice", "editor")
    users.set_role(team, alice, "eve", "admin")
    users.set_role(team, alice, "alice", "editor")
    assert actor_for(team, "alice").role == "editor"
    assert audit.entries(team, action="user.role")[0]["detail"] == {"from": "admin",
                                                                   "to": "editor"}


def test_identity_provider_accounts(team):
    alice = Actor("alice", "admin")
    users.add(team, alice, "olga", "fact-checker", email="Olga@Newsroom.example")
    assert users.signin_by_email(team, "olga@newsroom.example") == Actor("olga", "fact-checker")
    with pytest.raises(users.SignInFailed):          # no password: only the provider signs her in
        users.verify(team, "olga", "")
    with pytest.raises(users.SignInFailed, match="ask an admin"):
        users.signin_by_email(team, "stranger@example.org")


def _cli(*args, stdin: str = "", env=None):
    import os
    full = {k: v for k, v in os.environ.items() if k not in ("RECOUPE_WORKSPACE", "RECOUPE_USER")}
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, input=stdin, env=full,
                          capture_output=True, text=True, timeout=120)


def test_user_commands(tmp_path):
    ws = str(tmp_path / "ws")
    p = _cli("recoupe", "user", "add", "rita", "--role", "reporter", "--password-stdin",
             "--workspace", ws, stdin=GOOD + "\n")
    assert p.returncode == 1 and "first account" in p.stderr and len(p.stderr.splitlines()) == 1
    p = _cli("recoupe", "user", "add", "alice", "--role", "admin", "--password-stdin",
             "--workspace", ws, stdin=GOOD + "\n")
    assert p.returncode == 0, p.stderr
    p = _cli("recoupe", "user", "add", "rita", "--role", "reporter", "--password-stdin",
             "--workspace", ws, "--as", "alice", stdin=GOOD + "\n")
    assert p.returncode == 0, p.stderr
    p = _cli("recoupe", "user", "add", "mallory", "--role", "admin", "--password-stdin",
             "--workspace", ws, "--as", "rita", stdin=GOOD + "\n")
    assert p.returncode == 1 and "rita is a reporter and may not add accounts" in p.stderr
    p = _cli("recoupe", "user", "disable", "rita", "--workspace", ws, "--as", "alice")
    assert p.returncode == 0, p.stderr
    listed = json.loads(_cli("recoupe", "user", "list", "--json", "--workspace", ws).stdout)
    assert [(u["name"], u["role"], u["disabled"]) for u in listed] == [
        ("alice", "admin", False), ("rita", "reporter", True)]
    assert not any("password_hash" in u for u in listed)
    # with accounts, an import names an enabled account
    p = _cli("ingest", str(SAMPLES / "marius-delivery"), "--workspace", ws, "--user", "rita")
    assert p.returncode == 1 and "'rita' is not an enabled account" in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1
    p = _cli("ingest", str(SAMPLES / "marius-delivery"), "--workspace", ws, "--user", "alice")
    assert p.returncode == 0, p.stderr
    with open_workspace(ws) as w:
        [entry] = audit.entries(w, action="import")
        assert entry["actor"] == "alice" and entry["detail"]["file"] == "result.json"
        assert {e["action"] for e in audit.entries(w)} == {"user.add", "user.disable", "import"}


@pytest.mark.parametrize("address, accounts, mode", [
    ("127.0.0.1", False, "local"), ("localhost", False, "local"), ("::1", False, "local"),
    ("[::1]", False, "local"), ("127.0.0.2", False, "local"),
    ("0.0.0.0", False, "refuse"), ("", False, "refuse"), (None, False, "refuse"),
    ("::", False, "refuse"), ("192.168.1.20", False, "refuse"), ("newsroom.example", False, "refuse"),
    ("127.0.0.1", True, "signin"), ("0.0.0.0", True, "signin"),
])
def test_who_signs_in_depends_on_the_address_and_the_accounts(address, accounts, mode):
    from recoupe.access import serving_mode
    assert serving_mode(address, accounts) == mode
