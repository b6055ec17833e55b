"""What a person chose for themselves (today their language), kept in their account.

A workspace without accounts keeps nothing here: the choice lives in the browser session.
"""

from __future__ import annotations

from . import i18n
from .workspace import Workspace


def set_language(ws: Workspace, name: str, lang: str) -> None:
    """Keep `lang` as the language of account `name` (no account of that name: nothing kept)."""
    if lang not in i18n.LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; languages are {', '.join(i18n.LANGUAGES)}")
    ws.q("preferences.set_language", {"name": name.lower(), "language": lang})


def language(ws: Workspace, name: str) -> str | None:
    """The language account `name` chose, or None (then the browser's applies)."""
    return ws.one("preferences.language", {"name": name.lower()})
