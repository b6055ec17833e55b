"""MinHash signatures and LSH banding, in numpy: candidate pairs without comparing all pairs.

Each text's distinct words (32-bit hashes, `text.word_hashes`) are signed with `PERMUTATIONS`
universal hashes (multiply-shift on 64 bits, seeded, so a signature means the same in every run
and can be kept on disk); the signature is cut into `BANDS` bands of `ROWS` values, and each band
is hashed to one 64-bit key. Two texts whose word sets have Jaccard similarity s share at least one
band key with probability 1 - (1 - s^ROWS)^BANDS: with 20 bands of 3 rows, 0.99 at s = 0.6, 0.93
at 0.5, 0.42 at 0.3. Reposts share most of their words (numbers and contacts are not words), so
the check (`compare`) sees nearly every true pair and few others.

A band bucket can grow huge when thousands of adverts share a template. Pairs are then taken only
between neighbours: members sorted by another band's key, each paired with the next `WINDOW`.
Every bucket of up to WINDOW + 1 members gives all its pairs.
"""

from __future__ import annotations

import numpy as np

BANDS = 15
ROWS = 4
PERMUTATIONS = BANDS * ROWS
WINDOW = 4
MIN_ESTIMATE = 0.55  # pairs whose signatures agree on fewer values than this share are dropped
MAX_BOTH_SIDES = 2.0  # … and pairs estimated to miss more than this many words each (`one_sided`)
SEED = 20261106
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)

_rng = np.random.default_rng(SEED)
_A = (_rng.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1))
_B = _rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)
_BAND_MIX = _rng.integers(1, 2**63, size=ROWS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
EMPTY = np.uint64(0)  # the band key of a text without words: never a candidate


def signatures_flat(flat: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The same from the word hashes of every text one after the other (`lengths` per text); a
    text without words gets all-max values."""
    n = len(lengths)
    sig = np.full((n, PERMUTATIONS), np.iinfo(np.uint32).max, dtype=np.uint32)
    has = lengths > 0
    if not has.any():
        return sig
    x = flat.astype(np.uint64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[has]
    with np.errstate(over="ignore"):
        for k in range(PERMUTATIONS):
            values = ((x * _A[k] + _B[k]) >> np.uint64(32)).astype(np.uint32)
            sig[has, k] = np.minimum.reduceat(values, starts)
    return sig


def band_keys(sig: np.ndarray, has_words: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint64 keys; EMPTY for texts without words. Each band's key also mixes in the
    band's number, so equal values in two different bands never collide. Computed 100,000 rows
    at a time, to keep the 64-bit intermediates small."""
    keys = np.zeros((len(sig), BANDS), dtype=np.uint64)
    band_no = (np.arange(BANDS, dtype=np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        for start in range(0, len(sig), 100_000):
            s = sig[start:start + 100_000].astype(np.uint64).reshape(-1, BANDS, ROWS)
            k = np.zeros((len(s), BANDS), dtype=np.uint64)
            for r in range(ROWS):
                k = (k ^ s[:, :, r]) * _BAND_MIX[r]
            keys[start:start + len(s)] = (k ^ band_no) | np.uint64(1)  # never EMPTY
    keys[~has_words] = EMPTY
    return keys


def estimate(sig: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The estimated Jaccard similarity of the pairs (a[i], b[i]) of rows of `sig`."""
    out = np.empty(len(a), dtype=np.float32)
    for start in range(0, len(a), 200_000):
        sa, sb = sig[a[start:start + 200_000]], sig[b[start:start + 200_000]]
        out[start:start + len(sa)] = (sa == sb).mean(axis=1)
    return out


def one_sided(est: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """Which pairs could be copies judging by their signatures: from the estimated Jaccard
    similarity and the two set sizes, the words each text holds that the other lacks; a repost
    adds words on one side only (a footer) where an advert on the same template replaces words on
    both sides. Pairs with more than MAX_BOTH_SIDES words missing on each side are not copies."""
    inter = est * (size_a + size_b) / (1.0 + est)
    return np.minimum(size_a - inter, size_b - inter) <= MAX_BOTH_SIDES


def candidate_pairs(keys: np.ndarray, window: int = WINDOW) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row pairs (i < j) that share a band key, neighbours only in big buckets; with, for each
    pair, how many bands it was found in (more bands: more similar, checked first)."""
    n = len(keys)
    found = []
    for b in range(keys.shape[1]):
        k = keys[:, b]
        tie = keys[:, (b + 1) % keys.shape[1]]
        order = np.lexsort((tie, k))
        ks = k[order]
        for d in range(1, window + 1):
            if d >= n:
                break
            same = (ks[:-d] == ks[d:]) & (ks[:-d] != EMPTY)
            if not same.any():
                break
            i, j = order[:-d][same], order[d:][same]
            found.append(np.minimum(i, j).astype(np.int64) * n + np.maximum(i, j))
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    codes, counts = np.unique(np.concatenate(found), return_counts=True)
    order = np.argsort(-counts, kind="stable")
    codes, counts = codes[order], counts[order]
    return codes // n, codes % n, counts
