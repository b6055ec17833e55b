"""The audit trail: an append-only record of who did what, when, on which object.

Imports, tags, notes, evidence, claims, verdicts, approvals, exports, sign-ins and account changes
each write one entry through `record()`. Nothing in Recoupe updates or deletes an entry: the
statements in `queries/audit.sql` only insert and read, and a test reads every statement in
`queries/` to keep it so. The dossier's appendix lists a case's entries.
"""

from __future__ import annotations

from datetime import datetime, timezone

import orjson


def now_utc() -> datetime:
    """Now, as the naive UTC datetime the store keeps."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def record(ws, actor: str, action: str, object_type: str | None = None,
           object_id=None, case_id: int | None = None, detail: dict | None = None,
           at: datetime | None = None) -> int:
    """Append one entry and return its id. Call it inside the transaction of the change it
    records, so that the change and its record are stored together or not at all."""
    return ws.one("audit.record", {
        "at_utc": at or now_utc(), "actor": actor, "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "case_id": case_id,
        "detail": None if detail is None else orjson.dumps(detail, default=str).decode(),
    })


def entries(ws, *, actor: str | None = None, action: str | None = None,
            object_type: str | None = None, object_id=None, case_id: int | None = None,
            since: datetime | None = None, until: datetime | None = None,
            limit: int = 1000) -> list[dict]:
    """Entries, newest first. `action` matches itself and its sub-actions ('claim' matches
    'claim.verdict'); the other filters match exactly; None means any."""
    rows = ws.rows("audit.entries", {
        "actor": actor, "action": action, "object_type": object_type,
        "object_id": None if object_id is None else str(object_id), "case_id": case_id,
        "since": since, "until": until, "limit": limit})
    for r in rows:
        r["detail"] = orjson.loads(r["detail"]) if r["detail"] else {}
    return rows
