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


def read(ws, reader, **filters) -> list[dict]:
    """`entries(...)` for a person (an Actor) allowed to read the trail: editors and admins."""
    from .access import require
    from .i18n import _
    require(reader, "audit.read", _("read the audit trail"))
    return entries(ws, **filters)


def facets(ws) -> dict[str, list[str]]:
    """The people, actions and kinds of object found in the trail, most frequent first."""
    out: dict[str, list[str]] = {"actor": [], "action": [], "object_type": []}
    for r in ws.rows("audit.facets"):
        out[r["kind"]].append(r["value"])
    return out


CSV_COLUMNS = ("id", "at_utc", "actor", "action", "object_type", "object_id", "case_id", "detail")


def to_csv(rows: list[dict]) -> str:
    """Entries as CSV (times in UTC, ISO 8601; detail as JSON), every cell safe to open in a
    spreadsheet (see `render.spreadsheet_safe`)."""
    import csv
    import io

    from .render import spreadsheet_safe
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(CSV_COLUMNS)
    for r in rows:
        detail = orjson.dumps(r["detail"], default=str).decode() if r["detail"] else ""
        w.writerow([spreadsheet_safe(v) for v in (
            r["id"], r["at_utc"].isoformat() + "Z", r["actor"], r["action"], r["object_type"],
            r["object_id"], r["case_id"], detail)])
    return out.getvalue()
