"""Which parser reads which file.

Each parser module has `NAME`, `VERSION`, `DESCRIPTION`, a parser class `Parser` and
`detect(path, head) -> bool` that looks at the file's name and first bytes (never the extension
alone where the content can say more). The first module that claims a file reads it.
"""

from __future__ import annotations

import importlib
from pathlib import Path

SNIFF_BYTES = 8192

# Order matters: the first module whose detect() says yes reads the file.
_MODULES = ("telegram_json", "telegram_html", "whatsapp", "screenshot", "scraper_tables")


MODULES = [importlib.import_module(f"ingest.{name}") for name in _MODULES]
PARSERS = {m.NAME: m.Parser for m in MODULES}
DESCRIPTIONS = {m.NAME: m.DESCRIPTION for m in MODULES}


def detect(path: Path) -> str | None:
    """The format name of a file, or None when no parser knows it (OSError if unreadable)."""
    with open(path, "rb") as f:
        head = f.read(SNIFF_BYTES)
    for m in MODULES:
        if m.detect(path, head):
            return m.NAME
    return None


def known_formats() -> str:
    return "; ".join(DESCRIPTIONS.values())
