"""Is this pair of texts one advert? The check of every candidate pair, with rapidfuzz.

A repost changes an advert in ways that leave its *words* alone: prices and other numbers, emoji,
case, accents, spacing, the order of lines, letters disguised ("c0ke"), the relay's handle for the
network's, a footer or header line added ("Rejoins le canal de secours"), or letters misread by
OCR. An advert built on the same template sells *other things* at other prices in other zones: some
of its words are replaced by others. So the check explains the difference between two texts word by
word:

1. the words both texts hold (as multisets: the order of lines does not matter) are matched;
2. a leftover word of one text is paired with a leftover of the other when they are a letter or two
   apart (rapidfuzz's Levenshtein distance: OCR errors, spellings like "gelatto");
3. whole lines at the top or bottom of a text whose words are (nearly) all unmatched are an added
   header or footer;
4. what is left unmatched inside the texts is either *inserted* (one side only) or *replaced*
   (words on both sides): an advert may gain a few words ("PRIX DE NOËL") but not have its words
   replaced by others.

A first pass scores every pair at once with rapidfuzz's `token_sort_ratio` on the words alone
(`process.cpdist`, in C): pairs almost identical in words are one advert at once,
pairs far apart are not, and only the rest go through the check above.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from .text import Features

# First pass: token_sort_ratio of the words alone (0-100).
SURE = 97.0     # at or above: one advert (numbers, contacts, emoji, order aside)
HOPELESS = 40.0  # below: not one advert
# The check
EDGE_UNMATCHED = 0.75   # a top or bottom line with this share of its words unmatched is added
MIN_MATCHED = 3         # fewer shared words than this: only identical words and numbers count
BODY_SHARE = 0.6        # shared words must be at least this share of the longer body
EDGE_FACTOR = 2.0       # added lines may hold at most this many times the shared words
REPLACED_SHORT = 0      # words replaced by others that the pairing could not explain
REPLACED_LONG = 1       # … in a body of LONG_BODY words or more
LONG_BODY = 40


def first_pass(a: list[str], b: list[str]) -> np.ndarray:
    """token_sort_ratio of each pair (a[i], b[i]) of word strings, computed in C on every core."""
    if not a:
        return np.zeros(0, dtype=np.float32)
    return process.cpdist(a, b, scorer=fuzz.token_sort_ratio, workers=1, dtype=np.float32)


def _near(a: str, b: str) -> bool:
    """Two words a letter or two apart (OCR, spelling), never two short different words."""
    shorter = min(len(a), len(b))
    if shorter < 4 or a.isdigit() or b.isdigit():
        return False  # postal codes a digit apart are other places
    allowed = 1 if shorter < 8 else 2
    return Levenshtein.distance(a, b, score_cutoff=allowed) <= allowed


def _unmatched(fa: Features, fb: Features) -> tuple[list[int], list[int]]:
    """Positions of the words of each text left unmatched by the multiset match and the pairing."""
    left: dict[str, int] = {}
    for w in fb.words:
        left[w] = left.get(w, 0) + 1
    ua: list[int] = []
    for i, w in enumerate(fa.words):
        c = left.get(w, 0)
        if c:
            left[w] = c - 1
        else:
            ua.append(i)
    ub: list[int] = []
    if len(fa.words) - len(ua) < len(fb.words):
        # b's unmatched occurrences: the last ones of each word (a footer comes last)
        for j in range(len(fb.words) - 1, -1, -1):
            w = fb.words[j]
            c = left.get(w, 0)
            if c:
                left[w] = c - 1
                ub.append(j)
        ub.reverse()
    if ua and ub:
        wa = [fa.words[i] for i in ua]
        wb = [fb.words[j] for j in ub]
        near = process.cdist(wa, wb, scorer=Levenshtein.distance, score_cutoff=2, workers=1)
        taken: set[int] = set()
        keep_a = []
        for i, row in zip(ua, near):
            for j in np.flatnonzero(row <= 2).tolist():
                if j not in taken and _near(fa.words[i], wb[j]):
                    taken.add(j)
                    break
            else:
                keep_a.append(i)
        ua, ub = keep_a, [j for k, j in enumerate(ub) if k not in taken]
    return ua, ub


def _edges(f: Features, unmatched: list[int]) -> tuple[int, int]:
    """How many words sit in added lines at the top, and at the bottom, of the text."""
    if not unmatched or f.lines == 0:
        return 0, 0
    per_line = [0] * f.lines
    lost = [0] * f.lines
    for ln in f.line_of:
        per_line[ln] += 1
    for i in unmatched:
        lost[f.line_of[i]] += 1
    added = [lost[ln] >= EDGE_UNMATCHED * per_line[ln] for ln in range(f.lines)]
    top = bottom = 0
    first = 0
    while first < f.lines and added[first]:
        top += lost[first]
        first += 1
    last = f.lines - 1
    while last >= first and added[last]:
        bottom += lost[last]
        last -= 1
    return top, bottom


def check(fa: Features, fb: Features) -> tuple[bool, float]:
    """(one advert?, a similarity score 0-100) for two texts' features (see the module)."""
    if not fa.words or not fb.words:
        same = (fa.words, sorted(fa.numbers)) == (fb.words, sorted(fb.numbers)) and bool(
            fa.numbers or fa.words)
        return same, 100.0 if same else 0.0
    ua, ub = _unmatched(fa, fb)
    matched = len(fa.words) - len(ua)
    top_a, bottom_a = _edges(fa, ua)
    top_b, bottom_b = _edges(fb, ub)
    # Lines added at one end of one text are a header or a footer; lines unmatched at the same
    # end of both texts were replaced (another product, another zone): they stay in the body.
    if top_a and top_b:
        top_a = top_b = 0
    if bottom_a and bottom_b:
        bottom_a = bottom_b = 0
    edge_a, edge_b = top_a + bottom_a, top_b + bottom_b
    body_a, body_b = len(ua) - edge_a, len(ub) - edge_b
    # Words unmatched on both sides were replaced by others, wherever they sit (a reordered line
    # can end up last), except in a header or footer only one side has; the rest was added.
    replaced = min(len(ua) - edge_a, len(ub) - edge_b)
    inserted = max(0, body_a + body_b - 2 * replaced)
    score = 100.0 * matched / (matched + replaced + inserted + 0.5 * (edge_a + edge_b))
    if matched < MIN_MATCHED:
        same = not ua and not ub and Counter(fa.numbers) == Counter(fb.numbers)
        return same, score
    longer_body = max(len(fa.words) - edge_a, len(fb.words) - edge_b)
    allowed = REPLACED_LONG if longer_body >= LONG_BODY else REPLACED_SHORT
    same = (replaced <= allowed
            and matched >= BODY_SHARE * longer_body
            and edge_a + edge_b <= EDGE_FACTOR * matched)
    return same, score
