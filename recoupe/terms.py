"""The list of terms of a batch search, from a text or CSV file a reporter uploads."""

from __future__ import annotations

import csv
import io

from .errors import RecoupeError
from .i18n import _

MAX_TERMS = 500


def read_terms(data: bytes) -> list[str]:
    """Terms, one per line, or the first column of a CSV; blanks and repeats dropped."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise RecoupeError(_("The list of terms is empty: write one term per line."))
    try:
        dialect = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
        rows = csv.reader(io.StringIO("\n".join(lines)), dialect)
        firsts = [row[0] if row else "" for row in rows]
    except csv.Error:
        firsts = lines
    terms: list[str] = []
    for t in (f.strip() for f in firsts):
        if t and t not in terms:
            terms.append(t)
    if len(terms) > MAX_TERMS:
        raise RecoupeError(_("The list holds {n} terms; a batch search takes at most {max}.",
                             n=len(terms), max=MAX_TERMS))
    return terms
