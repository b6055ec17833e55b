"""Source text made safe and legible for reportlab's Paragraph.

Everything printed in a dossier that came from a source (messages, chat and author names, file
names) or from a person (titles, notes, claims) is the adversary's words or may be: reportlab's
Paragraph reads a small markup language (`<font>`, `<a href=...>`, `<img>`...), so every text is
escaped before it is given to it, and prints as the characters it holds, inert.

Then, per character:
- Arabic (and other right-to-left scripts) is shaped into its joined letter forms
  (arabic-reshaper) and put in display order (python-bidi), line by line; a line is wrapped
  before it is reordered, so that a long Arabic line reads from its first line down;
- a character the main font (DejaVu Sans) has is drawn with it; one that only the emoji font
  (Symbola) has, with that; one that no embedded font has becomes a named placeholder,
  "[emoji: Large green circle]", so no character is ever an empty box;
- variation selectors, zero-width joiners, skin-tone modifiers and tag characters are dropped
  (the emoji they modify stays); a keycap emoji prints as its key, "[1]"; bidirectional overrides and isolates in a left-to-right line
  are shown by name, as a reader should see that the text holds them.
"""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import get_display
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..i18n import _
from .fonts import Fonts

DROPPED = frozenset({0xFE0E, 0xFE0F, 0x200D, 0x200E, 0x200F, 0x061C}
                    | set(range(0x1F3FB, 0x1F400)) | set(range(0xE0020, 0xE0080)))
SHOWN_CONTROLS = frozenset({0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068,
                            0x2069})
_RTL = frozenset({"R", "AL"})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_KEYCAP = re.compile("([0-9#*])\ufe0f?\u20e3")


def _clean(text: str) -> str:
    """Control characters out; a keycap emoji ("1️⃣") as the key it shows, "[1]"."""
    return _KEYCAP.sub(r"[\1]", _CONTROL.sub("", text))


def is_rtl(text: str) -> bool:
    """Whether a text holds a right-to-left letter (Arabic, Hebrew...)."""
    return any(unicodedata.bidirectional(c) in _RTL for c in text)


def base_rtl(text: str) -> bool:
    """Whether a line reads right to left: its first strong letter is right-to-left."""
    for c in text:
        kind = unicodedata.bidirectional(c)
        if kind in _RTL:
            return True
        if kind == "L":
            return False
    return False


def placeholder(ch: str) -> str:
    """The name printed for a character no embedded font can draw."""
    name = unicodedata.name(ch, "")
    if not name:
        return f"[U+{ord(ch):04X}]"
    label = name.capitalize()
    if unicodedata.category(ch) in ("So", "Sk") or ord(ch) >= 0x1F000:
        return "[" + _("emoji: {name}", name=label) + "]"
    return "[" + _("character: {name}", name=label) + "]"


class Writer:
    """Turns text into Paragraph markup with the dossier's fonts."""

    def __init__(self, fonts: Fonts):
        self.fonts = fonts
        self._cache: dict[str, str] = {}

    # -- one run of characters ------------------------------------------------------------
    def _segments(self, text: str, rtl_done: bool) -> list[tuple[str | None, str]]:
        """(font or None for the main one, text) runs; placeholders in the main font."""
        out: list[tuple[str | None, str]] = []
        sans, symbols = self.fonts.sans_chars, self.fonts.symbol_chars
        buf: list[str] = []
        current: str | None = None

        def push(font: str | None, piece: str) -> None:
            nonlocal current
            if font != current and buf:
                out.append((current, "".join(buf)))
                buf.clear()
            current = font
            buf.append(piece)

        chars = list(text)
        for i, ch in enumerate(chars):
            cp = ord(ch)
            if cp in DROPPED:
                continue
            if cp in SHOWN_CONTROLS:
                if rtl_done:
                    continue
                push(None, placeholder(ch))
                continue
            if ch == "\t":
                push(None, "    ")
                continue
            if cp in sans:
                push(None, ch)
            elif cp in symbols:
                push(self.fonts.symbols, ch)
            elif unicodedata.category(ch) in ("Mn", "Me", "Cf"):
                continue  # a mark no font has would print on nothing
            else:
                push(None, placeholder(ch))
        if buf:
            out.append((current, "".join(buf)))
        return out

    def inline(self, text: str | None) -> str:
        """One line of text as safe Paragraph markup (newlines become spaces)."""
        if not text:
            return ""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        line = _clean(text.replace("\r", " ").replace("\n", " "))
        rtl = is_rtl(line)
        if rtl:
            line = get_display(arabic_reshaper.reshape(line), base_dir="R" if base_rtl(line)
                               else "L")
        out = self._markup(line, rtl)
        if len(self._cache) < 20_000:
            self._cache[text] = out
        return out

    def _markup(self, line: str, rtl_done: bool) -> str:
        parts = []
        for font, piece in self._segments(line, rtl_done):
            safe = escape(piece)
            parts.append(f'<font name="{font}">{safe}</font>' if font else safe)
        return "".join(parts)

    # -- a text of several lines ----------------------------------------------------------
    def lines(self, text: str | None, width: float, size: float) -> list[tuple[str, bool]]:
        """A multi-line text as (markup, right_aligned) per source line. Right-to-left lines are
        wrapped to `width` points at `size` before being put in display order, so that they
        read top to bottom; left-to-right lines are left to Paragraph to wrap."""
        out: list[tuple[str, bool]] = []
        for raw in _clean((text or "").replace("\r\n", "\n").replace("\r", "\n")).split("\n"):
            if not raw.strip():
                out.append(("", False))
                continue
            if not is_rtl(raw):
                out.append((self._markup(raw, False), False))
                continue
            base = base_rtl(raw)
            wrapped = [self._markup(get_display(arabic_reshaper.reshape(piece),
                                                base_dir="R" if base else "L"), True)
                       for piece in self._wrap(raw, width, size)]
            out.append(("<br/>".join(wrapped), base))
        return out

    def _wrap(self, line: str, width: float, size: float) -> list[str]:
        words = line.split(" ")
        pieces: list[str] = []
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            shaped = arabic_reshaper.reshape(candidate)
            if current and stringWidth(shaped, self.fonts.sans, size) > width:
                pieces.append(current)
                current = word
            else:
                current = candidate
        if current:
            pieces.append(current)
        return pieces
