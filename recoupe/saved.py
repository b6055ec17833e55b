"""Saved searches: a person's standing questions, recounted after every import.

Each saved search keeps its total hits after the latest import and after the one before; the
difference is what the Search page and the overview say: "5 new since the last import".
Filters are kept as the search page builds them (dates as ISO text in UTC).
"""

from __future__ import annotations

from datetime import datetime

import orjson

from .errors import RecoupeError
from .i18n import _
from .search import search
from .workspace import Workspace, utcnow


def _dump(filters: dict) -> str:
    return orjson.dumps({k: (v.isoformat() if isinstance(v, datetime) else v)
                         for k, v in filters.items()}).decode()


def load_filters(text: str | None) -> dict:
    out = {}
    for k, v in (orjson.loads(text) if text else {}).items():
        out[k] = datetime.fromisoformat(v) if k in ("since", "until") and v else v
    return out


def _total(ws: Workspace, query: str, filters: dict) -> int:
    return search(ws, query, filters=filters, limit=1, facets=False).total


def save(ws: Workspace, owner: str, name: str, query: str, filters: dict) -> int:
    """Save (or replace) a person's search under a name; it is counted at once."""
    owner, name = owner.strip(), name.strip()
    if not owner or not name:
        raise RecoupeError(_("A saved search needs your name and a name for the search."))
    return ws.one("saved.save", {"owner": owner, "name": name, "query": query,
                                 "filters": _dump(filters), "now": utcnow(),
                                 "total": _total(ws, query, filters)})


def of_owner(ws: Workspace, owner: str) -> list[dict]:
    rows = ws.rows("saved.of_owner", {"owner": owner.strip()})
    for r in rows:
        r["filters"] = load_filters(r["filters"])
        r["new"] = max(0, (r["total"] or 0) - (r["previous_total"] or 0))
    return rows


def delete(ws: Workspace, owner: str, search_id: int) -> None:
    ws.q("saved.delete", {"id": search_id, "owner": owner.strip()})


def recount(ws: Workspace) -> int:
    """Count every saved search again (after an import); returns how many were counted.

    A saved search that no longer reads (a chat filter naming a chat since removed) keeps its
    last counts."""
    done = 0
    for r in ws.rows("saved.all"):
        try:
            total = _total(ws, r["query"], load_filters(r["filters"]))
        except RecoupeError:
            continue
        ws.q("saved.recount", {"id": r["id"], "total": total, "now": utcnow()})
        done += 1
    return done


def with_news(ws: Workspace) -> list[dict]:
    """Saved searches that gained hits with the latest import."""
    return ws.rows("saved.with_news")
