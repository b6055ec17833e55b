"""What the dossier takes from the other parts of Recoupe: an item's other copies (its
near-duplicate cluster, `recoupe.duplicates`) and the case's timeline chart (`recoupe.timeline`,
the chart the Timeline page draws)."""

from __future__ import annotations

from .. import duplicates, timeline
from ..workspace import Workspace


def other_copies(ws: Workspace, item_id: int) -> tuple[dict | None, list[dict]]:
    """The item's cluster (size, chats, first copy and when it was first seen) and its other
    copies, oldest first; (None, []) when it has none."""
    cluster = duplicates.cluster_of(ws, item_id)
    if cluster is None:
        return None, []
    return cluster, [c for c in duplicates.copies(ws, cluster["cluster_id"])
                     if c["item_id"] != item_id]


def timeline_png(ws: Workspace, item_ids: list[int]) -> bytes | None:
    """The case's timeline as PNG bytes: each piece of evidence a point on its chat's line, with
    the markers of the days it covers; None without evidence in the workspace."""
    if not item_ids:
        return None
    frame = timeline.spread(ws, item_ids)
    if frame.empty:
        return None
    marks = timeline.markers(ws, frame["local"].min().date(), frame["local"].max().date())
    chats = frame["chat_id"].nunique()
    return timeline.png(timeline.spread_chart(frame, marks, height=60 * chats + 110),
                        width=1000, height=60 * chats + 160)
