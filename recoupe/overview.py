"""What a workspace holds, for the overview page and `python -m recoupe overview`."""

from __future__ import annotations

from .workspace import Workspace


def overview(ws: Workspace, *, recent: int = 10) -> dict:
    totals = ws.rows("overview.totals")[0]
    return {
        "workspace": str(ws.root),
        "totals": totals,
        "chats": ws.rows("overview.chats"),
        "sources": ws.rows("overview.sources"),
        "runs": ws.rows("overview.last_runs", {"limit": recent}),
        "rejections": ws.rows("overview.rejections", {"limit": recent}),
        "languages": ws.rows("overview.languages"),
        "saved_news": ws.rows("saved.with_news"),
        "top": {kind: ws.rows("overview.top_entities", {"kind": kind, "limit": recent})
                for kind in ("substance", "zone", "contact")},
    }
