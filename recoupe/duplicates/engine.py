"""Clustering texts into adverts, in memory: the exact pass, MinHash/LSH, the rapidfuzz check.

Nothing here touches the workspace (see `store` for that). Rows are positions in the arrays given;
the caller maps them to item ids.

- `prepare(texts)` cuts every text into tokens once and returns what the index keeps: the exact
  key and the LSH band keys of each text (and its canonical form, for the check).
- `cluster(prepared)`: every edge between rows of one batch: the exact pass groups texts with the
  same tokens, LSH proposes pairs among the others, each pair is checked.
- `link_new(...)`: the edges from a few new rows to an existing index (incremental runs).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..i18n import N_
from . import compare, lsh
from .text import canonical, exact_key, features, word_hashes

BATCH = 20_000
CHUNK = 50_000          # candidate pairs checked at once
FREQUENT_SHARE = 0.05    # a word in more than this share of the texts is not signed…
FREQUENT_MIN = 200       # … nor in more than this many (small workspaces sign every word)
MIN_SIGNED = 4           # a text with fewer rarer words than this signs all of its words
NEW_PER_BAND = 8        # incremental: existing rows looked at per new text and band

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass
class Prepared:
    canon: list[str]
    exact: np.ndarray        # uint64 (n,)
    sig: np.ndarray          # uint32 (n, PERMUTATIONS): MinHash signatures
    keys: np.ndarray         # uint64 (n, BANDS)
    has_words: np.ndarray    # bool (n,)
    sizes: np.ndarray        # int32 (n,): words signed
    frequent: np.ndarray     # uint32 word hashes left out of the signatures


@dataclass
class Edges:
    """Checked pairs that are one advert: rows a, b, how ('exact' or 'text') and the score."""

    a: list[int] = field(default_factory=list)
    b: list[int] = field(default_factory=list)
    via: list[str] = field(default_factory=list)
    score: list[float] = field(default_factory=list)
    checked: int = 0         # candidate pairs checked (the exact pass aside)

    def add(self, a: int, b: int, via: str, score: float) -> None:
        self.a.append(a)
        self.b.append(b)
        self.via.append(via)
        self.score.append(score)

    def __len__(self) -> int:
        return len(self.a)


def prepare(texts: list[str], progress: Progress | None = None,
            frequent: np.ndarray | None = None, batches=None, total: int | None = None) -> Prepared:
    """Tokens, exact keys and band keys of every text (of `texts`, or of the lists of texts
    that the iterable `batches` gives, `total` in all, so that the raw texts of a whole
    workspace never sit in memory at once).

    Words that a large share of the texts hold (`frequent_words`: a template's words, "de",
    "livraison") are left out of the signatures, so that adverts sharing a template do not all
    fall in one bucket; a text left with fewer than MIN_SIGNED words keeps them all. `frequent`
    is computed from these texts unless given (an incremental run passes the index's).
    """
    if batches is None:
        n = len(texts)
        batches = (texts[i:i + BATCH] for i in range(0, n, BATCH))
    else:
        n = total
    canon: list[str] = []
    exact = np.zeros(n, dtype=np.uint64)
    lengths = np.zeros(n, dtype=np.int64)
    flat_parts: list[np.ndarray] = []
    paused = gc.isenabled()
    gc.disable()  # many small objects, no cycles (as in extraction)
    start = 0
    try:
        for chunk in batches:
            cs = [canonical(t) for t in chunk]
            fs = [features(c) for c in cs]
            canon.extend(cs)
            exact[start:start + len(chunk)] = [exact_key(f) for f in fs]
            hashes = [word_hashes(f) for f in fs]
            lengths[start:start + len(chunk)] = [len(h) for h in hashes]
            flat_parts.append(np.fromiter((x for h in hashes for x in h), dtype=np.uint32))
            start += len(chunk)
            if progress:
                progress(N_("reading texts"), start, n)
    finally:
        if paused:
            gc.enable()
    if start != n:
        raise ValueError(f"{start} texts read where {n} were expected")
    flat = np.concatenate(flat_parts) if flat_parts else np.zeros(0, np.uint32)
    del flat_parts
    if frequent is None:
        frequent = frequent_words(flat, n)
    keep = ~np.isin(flat, frequent)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    kept = np.add.reduceat(keep, starts) if len(flat) else np.zeros(n, np.int64)
    kept[lengths == 0] = 0
    few = kept < MIN_SIGNED
    keep |= np.repeat(few, lengths)
    flat, lengths = flat[keep], np.where(few, lengths, kept)
    has = lengths > 0
    sig = np.zeros((n, lsh.PERMUTATIONS), dtype=np.uint32)
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    for start in range(0, n, BATCH * 5):
        end = min(start + BATCH * 5, n)
        sig[start:end] = lsh.signatures_flat(flat[offsets[start]:offsets[end]], lengths[start:end])
        if progress:
            progress(N_("signatures"), end, n)
    return Prepared(canon, exact, sig, lsh.band_keys(sig, has), has,
                    lengths.astype(np.int32), frequent)


def frequent_words(flat: np.ndarray, n: int) -> np.ndarray:
    """Word hashes held by more than FREQUENT_SHARE of n texts (and FREQUENT_MIN at least)."""
    if not len(flat):
        return np.zeros(0, np.uint32)
    values, counts = np.unique(flat, return_counts=True)
    return values[counts > max(FREQUENT_MIN, FREQUENT_SHARE * n)]


class UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if ra < rb:
            self.parent[rb] = ra
        else:
            self.parent[ra] = rb
        return True

    def labels(self) -> np.ndarray:
        return np.fromiter((self.find(i) for i in range(len(self.parent))), dtype=np.int64,
                           count=len(self.parent))


def exact_groups(exact: np.ndarray, has: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows, their group's first row) for every row whose exact key another row shares."""
    rows = np.flatnonzero(has)
    order = rows[np.argsort(exact[rows], kind="stable")]
    ks = exact[order]
    if len(ks) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    start = np.concatenate(([True], ks[1:] != ks[:-1]))
    first = order[np.maximum.accumulate(np.where(start, np.arange(len(order)), 0))]
    dup = ~start
    return order[dup], first[dup]


def check_pairs(ia: np.ndarray, ib: np.ndarray, text_of: Callable[[int], str], uf: UnionFind,
                edges: Edges, progress: Progress | None = None) -> None:
    """Check candidate pairs (most promising first), skipping pairs already joined, and add the
    ones that are one advert to `edges` and `uf`."""
    total = len(ia)
    cache: dict[int, object] = {}

    def feats(row: int):
        f = cache.get(row)
        if f is None:
            f = cache[row] = features(text_of(row))
        return f

    for start in range(0, total, CHUNK):
        a = ia[start:start + CHUNK].tolist()
        b = ib[start:start + CHUNK].tolist()
        todo = [(x, y) for x, y in zip(a, b) if uf.find(x) != uf.find(y)]
        if len(cache) > 60_000:
            cache.clear()
        fa = [feats(x) for x, _ in todo]
        fb = [feats(y) for _, y in todo]
        first = compare.first_pass([f.word_string for f in fa], [f.word_string for f in fb])
        edges.checked += len(todo)
        for (x, y), f1, f2, s in zip(todo, fa, fb, first.tolist()):
            if s < compare.HOPELESS:
                continue
            if uf.find(x) == uf.find(y):
                continue
            if s >= compare.SURE and f1.words and f2.words:
                same, score = True, s
            else:
                same, score = compare.check(f1, f2)
            if same:
                uf.union(x, y)
                edges.add(x, y, "text", round(float(score), 1))
        if progress:
            progress(N_("checking pairs"), min(start + CHUNK, total), total)


def likely(sig: np.ndarray, sizes: np.ndarray, ia: np.ndarray,
           ib: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs worth checking, judged on their signatures alone (see `lsh`)."""
    est = lsh.estimate(sig, ia, ib)
    keep = (est >= lsh.MIN_ESTIMATE) & lsh.one_sided(est, sizes[ia], sizes[ib])
    return ia[keep], ib[keep]


def cluster(p: Prepared, progress: Progress | None = None) -> tuple[Edges, UnionFind]:
    """Every edge among the rows of `p`: the exact pass, then LSH candidates checked."""
    n = len(p.canon)
    uf = UnionFind(n)
    edges = Edges()
    dup, first = exact_groups(p.exact, p.has_words)
    for x, y in zip(dup.tolist(), first.tolist()):
        uf.union(x, y)
        edges.add(y, x, "exact", 100.0)
    reps = np.ones(n, dtype=bool)
    reps[dup] = False
    reps &= p.has_words
    rep_rows = np.flatnonzero(reps)
    ia, ib, _ = lsh.candidate_pairs(p.keys[rep_rows])
    ia, ib = rep_rows[ia], rep_rows[ib]
    ia, ib = likely(p.sig, p.sizes, ia, ib)
    if progress:
        progress(N_("candidate pairs"), len(ia), len(ia))
    check_pairs(ia, ib, lambda r: p.canon[r], uf, edges, progress)
    return edges, uf


def candidates_in_index(new_keys: np.ndarray, old_keys: np.ndarray,
                        old_group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(new row, old row) pairs sharing a band key; per new row and band at most NEW_PER_BAND
    old rows, one per existing cluster (`old_group`: a cluster label, or the row itself)."""
    out_new, out_old = [], []
    for b in range(new_keys.shape[1]):
        col = old_keys[:, b]
        order = np.argsort(col, kind="stable")
        sorted_keys = col[order]
        q = new_keys[:, b]
        lo = np.searchsorted(sorted_keys, q, side="left")
        hi = np.searchsorted(sorted_keys, q, side="right")
        for r in np.flatnonzero((hi > lo) & (q != lsh.EMPTY)).tolist():
            rows = order[lo[r]:hi[r]]
            if len(rows) > NEW_PER_BAND:
                _, first = np.unique(old_group[rows], return_index=True)
                rows = rows[np.sort(first)][:NEW_PER_BAND]
            out_new.extend([r] * len(rows))
            out_old.extend(rows.tolist())
    if not out_new:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    codes = np.unique(np.asarray(out_new, np.int64) * (len(old_keys) + 1) + np.asarray(out_old))
    return codes // (len(old_keys) + 1), codes % (len(old_keys) + 1)
