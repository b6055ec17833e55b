"""The fonts embedded in a dossier, and which characters each can draw.

- DejaVu Sans (Debian `fonts-dejavu-core`, required): Latin with every French accent, Greek,
  Cyrillic, Arabic (its presentation forms, which `text.py` shapes the letters into), arrows,
  many symbols. Bold and oblique for headings and notes; DejaVu Sans Mono for hashes and ids.
- Symbola (Debian `fonts-symbola`, optional): monochrome outlines of the emoji up to Unicode 9,
  the sellers' code (🎄 🍫 ❄️ 💊 🛵 🔥...). Without it, emoji become named placeholders.

Which font draws a character is read from each font's own character map (fontTools), never
guessed: a character that no embedded font has is printed as a named placeholder
("[emoji: Large green circle]"), never as an empty box.

Fonts are looked for in $RECOUPE_FONT_DIRS (folders separated by ':'), then in the usual system
folders, by file name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont as FTFont
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from ..errors import RecoupeError
from ..i18n import _

ENV_DIRS = "RECOUPE_FONT_DIRS"
SYSTEM_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
               "/Library/Fonts", "/System/Library/Fonts", "C:/Windows/Fonts")

SANS = "RecoupeSans"
SANS_BOLD = "RecoupeSans-Bold"
SANS_ITALIC = "RecoupeSans-Oblique"
SANS_BOLD_ITALIC = "RecoupeSans-BoldOblique"
MONO = "RecoupeMono"
SYMBOLS = "RecoupeSymbols"

# (name registered with reportlab, file name, required)
FILES = (
    (SANS, "DejaVuSans.ttf", True),
    (SANS_BOLD, "DejaVuSans-Bold.ttf", True),
    (SANS_ITALIC, "DejaVuSans-Oblique.ttf", False),
    (SANS_BOLD_ITALIC, "DejaVuSans-BoldOblique.ttf", False),
    (MONO, "DejaVuSansMono.ttf", False),
    (SYMBOLS, "Symbola_hint.ttf", False),
)
SYMBOL_ALTERNATIVES = ("Symbola_hint.ttf", "Symbola.ttf")


class FontsMissing(RecoupeError):
    """The fonts a dossier needs are not installed."""


@dataclass(frozen=True)
class Fonts:
    """The fonts registered for dossiers and the characters each covers."""

    sans: str
    bold: str
    italic: str
    bold_italic: str
    mono: str
    symbols: str | None          # None when no emoji font is installed
    sans_chars: frozenset[int]
    symbol_chars: frozenset[int]
    files: dict                  # registered name -> path of the font file


def _dirs() -> list[Path]:
    extra = [d for d in os.environ.get(ENV_DIRS, "").split(os.pathsep) if d]
    return [Path(d).expanduser() for d in (*extra, *SYSTEM_DIRS)]


def find(file_name: str) -> Path | None:
    """The first font file of that name in the font folders."""
    for folder in _dirs():
        if not folder.is_dir():
            continue
        direct = folder / file_name
        if direct.is_file():
            return direct
        for found in folder.rglob(file_name):
            if found.is_file():
                return found
    return None


def coverage(path: Path) -> frozenset[int]:
    """The code points a font's character map gives a glyph to."""
    font = FTFont(str(path), lazy=True)
    try:
        cmap = font.getBestCmap() or {}
        return frozenset(cmap)
    finally:
        font.close()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map of a font subset, with characters beyond U+FFFF (emoji)
    written as UTF-16 surrogate pairs, as the PDF reference requires."""
    fixed = [f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>"
             for i, v in enumerate(subset)]
    head, _sep, rest = _ORIGINAL_CMAP(fontname, [0x20]).partition("1 beginbfchar")
    head = head.replace("<00> <00>", f"<00> <{len(subset) - 1:02X}>")
    tail = rest.split("endbfchar", 1)[1]
    return f"{head}{len(subset)} beginbfchar\n" + "\n".join(fixed) + "\nendbfchar" + tail


_ORIGINAL_CMAP = ttfonts.makeToUnicodeCMap
# reportlab 5.1 writes U+1F384 as "<1F384>" in a font's ToUnicode map, which PDF readers take
# for U+1F38 and a stray digit: the emoji of a dossier would be copied and searched as the
# wrong characters. The map is made by this one function: replace it, only while the flaw is
# there.
if "<1F384>" in _ORIGINAL_CMAP("probe", [0x1F384]):
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@lru_cache(maxsize=1)
def load() -> Fonts:
    """Find and register the fonts (once per process). Raises FontsMissing, saying what to
    install, when DejaVu Sans is not there."""
    files: dict[str, Path] = {}
    for name, file_name, required in FILES:
        candidates = SYMBOL_ALTERNATIVES if name == SYMBOLS else (file_name,)
        path = next((p for p in map(find, candidates) if p is not None), None)
        if path is None and required:
            raise FontsMissing(_("The dossier needs the DejaVu fonts ({file} was not found): "
                                 "install the Debian package fonts-dejavu-core, or name the "
                                 "folder that holds them in ${env}.", file=file_name,
                                 env=ENV_DIRS))
        if path is not None:
            files[name] = path
    for name, path in files.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
    italic = SANS_ITALIC if SANS_ITALIC in files else SANS
    bold_italic = SANS_BOLD_ITALIC if SANS_BOLD_ITALIC in files else SANS_BOLD
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=italic,
                                  boldItalic=bold_italic)
    symbols = SYMBOLS if SYMBOLS in files else None
    return Fonts(sans=SANS, bold=SANS_BOLD, italic=italic, bold_italic=bold_italic,
                 mono=MONO if MONO in files else SANS, symbols=symbols,
                 sans_chars=coverage(files[SANS]),
                 symbol_chars=coverage(files[SYMBOLS]) if symbols else frozenset(),
                 files={k: str(v) for k, v in files.items()})
