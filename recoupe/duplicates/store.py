"""Clusters kept in the workspace: made from scratch, or brought up to date after an import.

DuckDB holds the clusters (`dup_clusters`, `dup_members`, `dup_screen_matches`, migration 6).
Beside it, `duplicates-index/` keeps what an incremental run needs of every post already
clustered: its id, a hash of its text, its exact key and its MinHash signature (numpy files, about
250 bytes a post). The index is derived: when it is missing, made by another version, or most
posts changed, `update` makes everything again from the items (`rebuild`).

An update signs only the posts that are new or whose text changed, looks their band keys up in
the index, checks the candidate pairs, and joins them to existing clusters (merging two clusters
that a new copy links), without recomputing the others.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa

from ..folders import swap_in
from ..sql import sql
from ..workspace import Workspace, utcnow
from . import engine, lsh

INDEX_DIR = "duplicates-index"
INDEX_VERSION = f"2-{lsh.BANDS}x{lsh.ROWS}-{lsh.SEED}"
FETCH = 50_000
REBUILD_SHARE = 0.5   # more new or changed posts than this share: rebuild instead

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Report:
    rebuilt: bool
    posts: int          # posts clustered now
    signed: int         # posts signed by this run (all on a rebuild, new and changed otherwise)
    checked: int        # candidate pairs checked
    clusters: int
    clustered: int      # items in a cluster
    screenshots: int    # screenshots matched against the messages
    seconds: float


@dataclass
class Index:
    ids: np.ndarray          # int64, ascending
    fingerprints: np.ndarray  # uint64
    exact: np.ndarray        # uint64
    sig: np.ndarray          # uint32 (n, PERMUTATIONS)
    sizes: np.ndarray        # int32: words signed
    frequent: np.ndarray     # uint32


def index_dir(ws: Workspace) -> Path:
    return ws.root / INDEX_DIR


def load_index(ws: Workspace) -> Index | None:
    folder = index_dir(ws)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("version") != INDEX_VERSION:
            return None
        arrays = {name: np.load(folder / f"{name}.npy") for name in
                  ("ids", "fingerprints", "exact", "sig", "sizes", "frequent")}
    except (OSError, ValueError, KeyError):
        return None
    if not (len(arrays["ids"]) == len(arrays["fingerprints"]) == len(arrays["exact"])
            == len(arrays["sig"])):
        return None
    return Index(**arrays)


def save_index(ws: Workspace, index: Index) -> None:
    """Write the index beside the store; a new folder replaces the old one whole."""
    folder = index_dir(ws)
    tmp = folder.with_name(INDEX_DIR + ".new")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for name in ("ids", "fingerprints", "exact", "sig", "sizes", "frequent"):
        np.save(tmp / f"{name}.npy", getattr(index, name))
    (tmp / "meta.json").write_text(json.dumps({"version": INDEX_VERSION, "posts": len(index.ids)}),
                                   encoding="utf-8")
    swap_in(tmp, folder)


def _fingerprints(ws: Workspace) -> tuple[np.ndarray, np.ndarray]:
    t = ws.q("duplicates.fingerprints").to_arrow_table()
    return (t.column("id").to_numpy().astype(np.int64),
            t.column("fingerprint").to_numpy().astype(np.uint64))


def _texts(ws: Workspace, ids: np.ndarray) -> dict[int, str]:
    dup_ids = pa.table({"id": pa.array(ids, pa.int64())})  # noqa: F841 (read by the statement)
    return dict(ws.con.execute(sql("duplicates.texts_of")).fetchall())


def pending(ws: Workspace) -> int:
    """Posts not yet clustered with their current text (all of them without an index)."""
    index = load_index(ws)
    ids, fps = _fingerprints(ws)
    if index is None:
        return len(ids)
    known = dict(zip(index.ids.tolist(), index.fingerprints.tolist()))
    return sum(1 for i, f in zip(ids.tolist(), fps.tolist()) if known.get(i) != f)


def update(ws: Workspace, progress: Progress | None = None, *, rebuild: bool = False) -> Report:
    """Bring the clusters up to date with the items (see the module's docstring)."""
    started = time.perf_counter()
    ws.q("duplicates.low_memory")
    try:
        return _update(ws, progress, rebuild, started)
    finally:
        ws.q("duplicates.usual_memory")


def _update(ws: Workspace, progress: Progress | None, rebuild: bool, started: float) -> Report:
    ids, fps = _fingerprints(ws)
    index = None if rebuild else load_index(ws)
    checked = 0
    if index is None:
        signed, checked = _rebuild(ws, ids, fps, progress)
        rebuilt = True
    else:
        known_pos = np.searchsorted(index.ids, ids)
        known_pos = np.minimum(known_pos, max(len(index.ids) - 1, 0))
        same = (len(index.ids) > 0) & (index.ids[known_pos] == ids) if len(ids) else np.zeros(0, bool)
        same &= index.fingerprints[known_pos] == fps if len(index.ids) else same
        fresh = ids[~same]
        gone = np.setdiff1d(index.ids, ids[same])
        if len(fresh) > REBUILD_SHARE * max(len(ids), 1) and len(fresh) > 1000:
            signed, checked = _rebuild(ws, ids, fps, progress)
            rebuilt = True
        else:
            signed = len(fresh)
            if len(fresh) or len(gone):
                checked = _incremental(ws, index, fresh, fps[~same], gone, progress)
            rebuilt = False
    shots = _screens_and_images(ws, progress)
    counts = ws.rows("duplicates.counts")[0]
    return Report(rebuilt, len(ids), signed, checked, counts["clusters"], counts["items"], shots,
                  time.perf_counter() - started)


def _batches(ws: Workspace, ids: list[int]):
    """The texts of every post with text, FETCH at a time, in id order (ids collected in `ids`)."""
    after = 0
    while rows := ws.q("duplicates.posts_after", {"after": after, "limit": FETCH}).fetchall():
        ids.extend(r[0] for r in rows)
        after = ids[-1]
        yield [r[1] for r in rows]


def _rebuild(ws: Workspace, ids_fp: np.ndarray, fps: np.ndarray,
             progress: Progress | None) -> tuple[int, int]:
    ids: list[int] = []
    p = engine.prepare([], progress, batches=_batches(ws, ids), total=len(ids_fp))
    edges, uf = engine.cluster(p, progress)
    id_arr = np.asarray(ids, dtype=np.int64)
    labels = uf.labels()
    best = _best_links(edges, id_arr)
    old = dict(ws.q("duplicates.membership").fetchall())
    # each cluster keeps the id most of its members had before, when it can, so that links to
    # a cluster survive a rebuild
    roots, counts = np.unique(labels, return_counts=True)
    multi = set(roots[counts >= 2].tolist())
    groups: dict[int, list[int]] = {}
    for row, root in enumerate(labels.tolist()):
        if root in multi:
            groups.setdefault(root, []).append(row)
    taken: set[int] = set()
    wanted: dict[int, int] = {}
    for root, rows in groups.items():
        votes: dict[int, int] = {}
        for r in rows:
            c = old.get(ids[r])
            if c is not None:
                votes[c] = votes.get(c, 0) + 1
        for c, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
            if c not in taken:
                taken.add(c)
                wanted[root] = c
                break
    fresh_ids = iter(_new_cluster_ids(ws, len(groups) - len(wanted)))
    member_rows = {"item_id": [], "cluster_id": [], "via": [], "linked_item_id": [], "score": []}
    for root, rows in groups.items():
        cid = wanted.get(root) or next(fresh_ids)
        for r in rows:
            link = best.get(r)
            member_rows["item_id"].append(ids[r])
            member_rows["cluster_id"].append(cid)
            member_rows["via"].append(link[0] if link else "text")
            member_rows["linked_item_id"].append(link[1] if link else None)
            member_rows["score"].append(link[2] if link else None)
    with ws.transaction():
        ws.q("duplicates.forget_all")
        _store_members(ws, member_rows)
        _refresh(ws)
    save_index(ws, Index(id_arr, _align(ids_fp, fps, id_arr), p.exact, p.sig, p.sizes,
                         p.frequent))
    return len(ids), edges.checked


def _align(ids_fp: np.ndarray, fps: np.ndarray, ids: np.ndarray) -> np.ndarray:
    pos = np.searchsorted(ids_fp, ids)
    return fps[np.minimum(pos, len(fps) - 1)] if len(fps) else np.zeros(0, np.uint64)


def _best_links(edges: engine.Edges, ids) -> dict[int, tuple[str, int, float]]:
    """For each row in an edge, its best link: (via, the other item's id, score)."""
    best: dict[int, tuple[str, int, float]] = {}
    for a, b, via, score in zip(edges.a, edges.b, edges.via, edges.score):
        for x, y in ((a, b), (b, a)):
            if x not in best or best[x][2] < score:
                best[x] = (via, int(ids[y]), score)
    return best


def _new_cluster_ids(ws: Workspace, n: int) -> list[int]:
    if n <= 0:
        return []
    return [r[0] for r in ws.q("duplicates.next_cluster_ids", {"n": n}).fetchall()]


def _store_members(ws: Workspace, rows: dict[str, list]) -> None:
    dup_new_members = pa.table({  # noqa: F841 (read by the statement)
        "item_id": pa.array(rows["item_id"], pa.int64()),
        "cluster_id": pa.array(rows["cluster_id"], pa.int64()),
        "via": pa.array(rows["via"], pa.string()),
        "linked_item_id": pa.array(rows["linked_item_id"], pa.int64()),
        "score": pa.array(rows["score"], pa.float64())})
    ws.con.execute(sql("duplicates.store_members"))


def _refresh(ws: Workspace) -> None:
    ws.q("duplicates.forget_all_clusters")
    ws.q("duplicates.refresh_clusters", {"now": utcnow()})
    ws.q("duplicates.drop_lone_members")


def _incremental(ws: Workspace, index: Index, fresh: np.ndarray, fresh_fps: np.ndarray,
                 gone: np.ndarray, progress: Progress | None) -> int:
    """Sign the new and changed posts, link them to the index, merge into the clusters."""
    keep = ~np.isin(index.ids, gone) & ~np.isin(index.ids, fresh)
    old_ids, old_sig, old_exact = index.ids[keep], index.sig[keep], index.exact[keep]
    old_sizes = index.sizes[keep]
    old_fps = index.fingerprints[keep]
    texts_by_id = _texts(ws, fresh)
    fresh_ids_all = fresh
    fresh = np.asarray([i for i in fresh.tolist() if i in texts_by_id], dtype=np.int64)
    new_texts = [texts_by_id[i] for i in fresh.tolist()]
    p = engine.prepare(new_texts, progress, frequent=index.frequent)
    n, m = len(old_ids), len(fresh)
    membership = dict(ws.q("duplicates.membership").fetchall())
    old_group = np.asarray([membership.get(i, -1 - r) for r, i in enumerate(old_ids.tolist())],
                           dtype=np.int64)
    old_keys = lsh.band_keys(old_sig, np.ones(n, bool)) if n else np.zeros((0, lsh.BANDS), np.uint64)
    # exact pass against the index, then among the new
    pairs_a: list[np.ndarray] = []
    pairs_b: list[np.ndarray] = []
    if n and m:
        order = np.argsort(old_exact, kind="stable")
        pos = np.searchsorted(old_exact[order], p.exact)
        pos = np.minimum(pos, n - 1)
        hit = (old_exact[order][pos] == p.exact) & p.has_words
        ra, rb = engine.candidates_in_index(p.keys, old_keys, old_group)
        pairs_a += [np.flatnonzero(hit) + n, ra + n]
        pairs_b += [order[pos[hit]], rb]
    ia, ib, _ = lsh.candidate_pairs(p.keys)
    dup, first = engine.exact_groups(p.exact, p.has_words)
    pairs_a += [dup + n, ia + n]
    pairs_b += [first, ib]
    a = np.concatenate(pairs_a) if pairs_a else np.zeros(0, np.int64)
    b = np.concatenate(pairs_b) if pairs_b else np.zeros(0, np.int64)
    sig = np.concatenate([old_sig, p.sig])
    sizes = np.concatenate([old_sizes, p.sizes])
    a, b = engine.likely(sig, sizes, a, b)
    all_ids = np.concatenate([old_ids, fresh])
    needed = np.unique(b[b < n])
    old_texts = _texts(ws, old_ids[needed]) if len(needed) else {}
    canon_old = {int(r): engine.canonical(old_texts.get(int(old_ids[r]), "")) for r in needed}

    def text_of(row: int) -> str:
        return p.canon[row - n] if row >= n else canon_old[row]

    uf = engine.UnionFind(n + m)
    first_of: dict[int, int] = {}
    for r, g in enumerate(old_group.tolist()):
        if g >= 0:
            if g in first_of:
                uf.union(first_of[g], r)
            else:
                first_of[g] = r
    edges = engine.Edges()
    engine.check_pairs(a, b, text_of, uf, edges, progress)
    pairs = [(int(all_ids[x]), int(all_ids[y]), via, s)
             for x, y, via, s in zip(edges.a, edges.b, edges.via, edges.score)]
    with ws.transaction():
        if len(gone) or len(fresh):
            dup_ids = pa.table({"id": pa.array(np.concatenate([gone, fresh]), pa.int64())})  # noqa: F841
            ws.con.execute(sql("duplicates.forget_members"))
        apply_links(ws, pairs)
    fp_of = dict(zip(fresh_ids_all.tolist(), fresh_fps.tolist()))
    new_fps = np.asarray([fp_of[i] for i in fresh.tolist()], dtype=np.uint64)
    order = np.argsort(all_ids, kind="stable")
    save_index(ws, Index(all_ids[order], np.concatenate([old_fps, new_fps])[order],
                         np.concatenate([old_exact, p.exact])[order], sig[order], sizes[order],
                         index.frequent))
    return edges.checked


def apply_links(ws: Workspace, pairs: list[tuple[int, int, str, float]]) -> None:
    """Join linked items into clusters: a link between two clusters merges them (the smaller id
    stays), a link from an item in none brings it in, a link between two items in none makes a
    new cluster. Runs inside the caller's transaction; cluster rows are recomputed after."""
    if not pairs:
        _refresh(ws)
        return
    membership = dict(ws.q("duplicates.membership").fetchall())
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union(x: int, y: int) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    best: dict[int, tuple[str, int, float]] = {}
    for a, b, via, score in pairs:
        union(a, b)
        for x, y in ((a, b), (b, a)):
            if x not in best or best[x][2] < score:
                best[x] = (via, y, score)
    for item in best:
        c = membership.get(item)
        if c is not None:
            union(item, -c)  # a cluster is node -id: negative, so it is a component's root
    comps: dict[int, list[int]] = {}
    for item in best:
        comps.setdefault(find(item), []).append(item)
    remap_old, remap_new = [], []
    rows = {"item_id": [], "cluster_id": [], "via": [], "linked_item_id": [], "score": []}
    need_new = [root for root in comps if root >= 0]
    fresh = dict(zip(need_new, _new_cluster_ids(ws, len(need_new))))
    for root, items in comps.items():
        olds = sorted({membership[i] for i in items if i in membership})
        target = olds[0] if olds else fresh[root]
        for c in olds[1:]:
            remap_old.append(c)
            remap_new.append(target)
        for i in items:
            if i in membership:
                continue  # already a member: stays (moved with its cluster when merged)
            via, other, score = best[i]
            rows["item_id"].append(i)
            rows["cluster_id"].append(target)
            rows["via"].append(via)
            rows["linked_item_id"].append(other)
            rows["score"].append(score)
    if remap_old:
        dup_remap = pa.table({"old": pa.array(remap_old, pa.int64()),  # noqa: F841
                              "new": pa.array(remap_new, pa.int64())})
        ws.con.execute(sql("duplicates.remap_clusters"))
    _store_members(ws, rows)
    _refresh(ws)


def _screens_and_images(ws: Workspace, progress: Progress | None) -> int:
    """Match every screenshot against the messages, and link images by perceptual hash."""
    from .screens import image_links, match_all
    with ws.transaction():
        ws.q("duplicates.forget_via")
        matches, links = match_all(ws, progress)
        ws.q("duplicates.forget_screen_matches")
        if matches:
            dup_new_matches = pa.Table.from_pylist(matches)  # noqa: F841
            ws.con.execute(sql("duplicates.store_screen_matches"))
        apply_links(ws, links + image_links(ws))
    return len({m["screenshot_id"] for m in matches})
