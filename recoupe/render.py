"""Text from sources, made safe to show in Markdown, with its entities marked.

Everything a source file says is the adversary's words. Streamlit never renders HTML from
Markdown unless told to (we never tell it), but Markdown itself would still turn a message's
`[clic](javascript:…)`, `**`, `#`, `:emoji:` or a bare URL into formatting. So every ASCII
punctuation character of the source text is backslash-escaped (CommonMark allows it for each one),
which shows the text exactly as written; only the marks we add around entities are Markdown.
"""

from __future__ import annotations

import string

_ESCAPE = {ord(c): "\\" + c for c in string.punctuation}

# Streamlit's background colours for each kind of entity
COLOURS = {
    "substance": "red", "quantity_price": "orange", "price": "orange", "zone": "green",
    "contact": "blue", "promotion": "violet", "recruitment": "gray", "hit": "orange",
}


def escape_markdown(text: str) -> str:
    """The text, shown literally by Markdown (line breaks kept)."""
    escaped = text.translate(_ESCAPE)
    return "  \n".join(escaped.split("\n"))


def marked_markdown(text: str, entities: list[dict], colours: dict[str, str] = COLOURS) -> str:
    """Markdown of `text` with each entity's span on a coloured background.

    `entities` have `start`, `end` and `kind` (coloured by `colours`); overlapping spans keep the
    first that starts.
    """
    out: list[str] = []
    pos = 0
    for e in sorted(entities, key=lambda e: (e["start"], -e["end"])):
        start, end = e["start"], e["end"]
        if start < pos or end <= start or end > len(text):
            continue
        out.append(escape_markdown(text[pos:start]))
        span = escape_markdown(text[start:end]).replace("  \n", " ")
        out.append(f":{colours.get(e['kind'], 'gray')}-background[{span}]")
        pos = end
    out.append(escape_markdown(text[pos:]))
    return "".join(out)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A CSV cell that a spreadsheet shows as text: a text starting like a formula (=, +, -, @)
    gets a leading apostrophe, so that `=HYPERLINK(...)` from a source file is never run.
    Numbers and empty cells are left as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
