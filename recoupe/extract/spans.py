"""A set of spans (start, end) kept merged and sorted, so that an overlap test costs O(log n).

Extraction asks "does this span overlap a contact, a price, a wage?" once per candidate; with a
plain list that is quadratic on a long hostile text, with this it is not.
"""

from __future__ import annotations

import bisect


class Spans:
    def __init__(self, spans=()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in spans:
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) shares at least one character with a span of the set."""
        i = bisect.bisect_right(self.ends, start)
        return i < len(self.starts) and self.starts[i] < end

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.ends, start)
        j = i
        while j < len(self.starts) and self.starts[j] <= end:
            start, end = min(start, self.starts[j]), max(end, self.ends[j])
            j += 1
        self.starts[i:j] = [start]
        self.ends[i:j] = [end]

    def __bool__(self) -> bool:
        return bool(self.starts)
