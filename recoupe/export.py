"""Every hit of a search as CSV, for a spreadsheet or a fact-checker's file."""

from __future__ import annotations

import csv
import io

from .items import iso_utc
from .search import iter_all_hits
from .workspace import Workspace

COLUMNS = ("id", "chat", "message_id", "author", "platform", "posted_at_utc", "text")


def hits_csv(ws: Workspace, query: str, filters: dict | None = None) -> str:
    """All hits of `query` (not one page), oldest first, as CSV text."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(COLUMNS)
    for h in iter_all_hits(ws, query, filters):
        w.writerow([h.id, h.chat, h.message_id, h.author, h.platform, iso_utc(h.posted_at), h.text])
    return out.getvalue()
