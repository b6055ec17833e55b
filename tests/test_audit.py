"""The audit trail is append-only, and the roles are enforced by the library."""

import json
import re

import pytest

from recoupe import audit
from recoupe.access import Actor, Forbidden, UnknownUser, actor_for, require
from recoupe.sql import catalogue
from recoupe.workspace import open_workspace


def test_no_statement_updates_or_deletes_the_audit_trail():
    """Append-only is a property of the statements: none of queries/ may UPDATE, DELETE FROM,
    TRUNCATE, DROP or ALTER the audit table (migration 5 creates it; nothing else touches it)."""
    forbidden = re.compile(r"\b(UPDATE\s+audit|DELETE\s+FROM\s+audit|TRUNCATE\s+audit|"
                           r"DROP\s+TABLE\s+(IF\s+EXISTS\s+)?audit|ALTER\s+TABLE\s+audit)\b",
                           re.IGNORECASE)
    offenders = [name for name, st in catalogue().items() if forbidden.search(st.text)]
    assert not offenders


def test_entries_are_recorded_and_filtered(tmp_path):
    with open_workspace(tmp_path / "ws", create=True) as ws:
        first = audit.record(ws, "alice", "case.create", "case", 7, case_id=7,
                             detail={"title": "Drive du 13 <script>"})
        audit.record(ws, "bob", "claim.verdict", "claim", 3, case_id=7,
                     detail={"verdict": "corroborated"})
        audit.record(ws, "bob", "import", "run", 1)
        assert [e["action"] for e in audit.entries(ws, case_id=7)] == ["claim.verdict",
                                                                       "case.create"]
        assert [e["actor"] for e in audit.entries(ws, action="claim")] == ["bob"]
        assert audit.entries(ws, actor="alice")[0]["detail"] == {"title": "Drive du 13 <script>"}
        assert audit.entries(ws, object_type="run", object_id=1)[0]["id"] > first


def test_a_reporter_is_refused_what_an_editor_may_do():
    reporter, editor = Actor("rita", "reporter"), Actor("eve", "editor")
    require(reporter, "claim.write")
    require(editor, "dossier.approve")
    with pytest.raises(Forbidden, match="rita is a reporter and may not approve"):
        require(reporter, "dossier.approve", "approve a dossier")
    with pytest.raises(Forbidden):
        require(editor, "user.manage")


def test_without_accounts_the_local_user_acts_as_admin(tmp_path):
    with open_workspace(tmp_path / "ws", create=True) as ws:
        assert actor_for(ws, "marie") == Actor("marie", "admin")
        ws.con.execute("INSERT INTO users (name, role, created_at_utc, created_by) "
                       "VALUES ('rita', 'reporter', now(), 'test')")
        assert actor_for(ws, "Rita") == Actor("rita", "reporter")
        with pytest.raises(UnknownUser, match="'marie' is not an enabled account"):
            actor_for(ws, "marie")


def test_the_csv_keeps_every_entry_and_no_formula(tmp_path):
    """The Audit page's CSV: every matching entry, times in UTC, and a cell that a spreadsheet
    would run as a formula (a file named '=HYPERLINK(...)' by the adversary) kept as text."""
    import csv
    import io
    from datetime import datetime, timedelta

    with open_workspace(tmp_path / "ws", create=True) as ws:
        old = datetime(2026, 12, 1, 9, 30)
        audit.record(ws, "rita", "import", "run", 1, detail={"file": "a.json"}, at=old)
        audit.record(ws, "=cmd|' /C calc'!A0", "signin.failed", "user", "@SUM(1+1)",
                     detail={"reason": "unknown"}, at=old + timedelta(days=2))
        rows = audit.entries(ws, since=old + timedelta(days=1))
        assert [r["action"] for r in rows] == ["signin.failed"]
        everything = list(csv.DictReader(io.StringIO(audit.to_csv(audit.entries(ws)))))
    assert [r["action"] for r in everything] == ["signin.failed", "import"]
    assert everything[0]["actor"] == "'=cmd|' /C calc'!A0"
    assert everything[0]["object_id"] == "'@SUM(1+1)"
    assert everything[1]["at_utc"] == "2026-12-01T09:30:00Z"
    assert json.loads(everything[1]["detail"]) == {"file": "a.json"}
