"""What the dossier takes from the other parts of Recoupe: near-duplicate copies (issue 6,
`recoupe.duplicates`) and the case's timeline chart (issue 7, `recoupe.timeline`).

Near-duplicate detection is built in parallel with the dossier: until it is in this version of
Recoupe, `other_copies` returns None and the dossier says that part is not available.
"""

from __future__ import annotations

import importlib
import importlib.util

from ..workspace import Workspace


def _module(name: str):
    """The module `recoupe.<name>`, or None when this version of Recoupe has none."""
    if importlib.util.find_spec(f"recoupe.{name}") is None:
        return None
    return importlib.import_module(f"recoupe.{name}")


def other_copies(ws: Workspace, item_id: int) -> list[dict] | None:
    """The other copies of an item (its near-duplicate cluster, without the item itself), each
    with its chat and when it was first seen; [] when it has none; None when near-duplicate
    detection is not in this version (issue 6: `duplicates.cluster_of`, `duplicates.copies`)."""
    duplicates = _module("duplicates")
    if duplicates is None:
        return None
    cluster = duplicates.cluster_of(ws, item_id)
    if cluster is None:
        return []
    return [dict(c) for c in duplicates.copies(ws, cluster)
            if dict(c).get("item_id", dict(c).get("id")) != item_id]


def timeline_png(ws: Workspace, item_ids: list[int]) -> bytes | None:
    """The case's timeline as PNG bytes: each piece of evidence a point on its chat's line, with
    the markers of the days it covers (the chart the Timeline page draws); None without
    evidence in the workspace."""
    from .. import timeline
    if not item_ids:
        return None
    frame = timeline.spread(ws, item_ids)
    if frame.empty:
        return None
    marks = timeline.markers(ws, frame["local"].min().date(), frame["local"].max().date())
    chats = frame["chat_id"].nunique()
    return timeline.png(timeline.spread_chart(frame, marks, height=60 * chats + 110),
                        width=1000, height=60 * chats + 160)
