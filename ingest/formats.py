"""Which parser reads which file.

Detection looks at the file's first bytes and its name, never trusts the extension alone, and
says nothing of a file it does not know (the caller decides whether that is an error).
"""

from __future__ import annotations

from pathlib import Path

from . import telegram_json

SNIFF_BYTES = 4096

PARSERS = {
    telegram_json.NAME: telegram_json.TelegramJsonParser,
}

DESCRIPTIONS = {
    telegram_json.NAME: "Telegram Desktop JSON export (result.json)",
}


def detect(path: Path) -> str | None:
    """The format name of a file, or None when no parser knows it."""
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError:
        return None
    suffix = path.suffix.lower()
    if suffix == ".json" or (not suffix and telegram_json.sniff(head)):
        return telegram_json.NAME
    return None


def known_formats() -> str:
    return "; ".join(DESCRIPTIONS.values())
