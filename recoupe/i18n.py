"""French and English: every label, message and error a person reads goes through `_()`.

The source strings are English and are their own keys; French lives in `recoupe/locale/fr/*.toml`
(one file per area, flat `"English" = "Français"` pairs, merged when loaded). A string without a
French entry is shown in English, and `tests/test_i18n.py` reads every `_()` and `_n()` call with
a literal in the code to make sure none lacks one.

    _("Search")                                   -> "Rechercher" in French
    _("{n} hits for {query}", n=3, query=q)        -> formatted after translation
    _n("{n} copy in {chats} chats", "{n} copies in {chats} chats", n, chats=3)

Strings kept in English (in the store, say) and translated only when shown are marked with
`N_("English text")`, which returns them unchanged; `_()` translates them later, where they are read.

Money and dates go through Babel (the CLDR's forms of each language): `money(12.5)` is "€12.50"
in English and "12,50 €" in French; `recoupe.times.show()` writes dates in the current language.

The language is per thread of work (a page run, a command, a dossier export): `use("fr")` sets it,
`language()` reads it. Pages set it at the start of every run from the person's choice, else the
browser's; commands take `--lang`, else `$RECOUPE_LANG`, else English.
"""

from __future__ import annotations

import os
import tomllib
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

LANGUAGES = {"fr": "Français", "en": "English"}
DEFAULT = "en"
ENV_LANG = "RECOUPE_LANG"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current: ContextVar[str] = ContextVar("recoupe_language", default=DEFAULT)


def use(lang: str | None) -> str:
    """Make `lang` the language of this thread of work; an unknown one falls back to English."""
    lang = lang if lang in LANGUAGES else DEFAULT
    _current.set(lang)
    return lang


def language() -> str:
    return _current.get()


def from_env() -> str:
    """The language of a command: $RECOUPE_LANG, else English."""
    return use((os.environ.get(ENV_LANG) or DEFAULT)[:2].lower())


def negotiate(locale: str | None) -> str:
    """The language for a browser locale such as 'fr-FR' or 'en-GB' (French for any 'fr-*')."""
    code = (locale or "").replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """Every translation of `lang`, merged from its TOML files (empty for English)."""
    merged: dict[str, str] = {}
    folder = LOCALE_DIR / lang
    if folder.is_dir():
        for path in sorted(folder.glob("*.toml")):
            with path.open("rb") as f:
                merged.update(tomllib.load(f))
    return merged


def _(text: str, /, **values) -> str:
    """`text` in the current language, formatted with `values` when any are given."""
    lang = _current.get()
    out = text if lang == DEFAULT else catalogue(lang).get(text, text)
    return out.format(**values) if values else out


def _n(singular: str, plural: str, n: int, /, **values) -> str:
    """The singular or plural form for `n` (French takes the singular for 0 and 1), translated;
    `n` is passed to format as `n`, already written as a number of the language."""
    lang = _current.get()
    one = n in (0, 1) if lang == "fr" else n == 1
    text = singular if one else plural
    out = text if lang == DEFAULT else catalogue(lang).get(text, text)
    return out.format(n=number(n), **values)


def number(value: float | int, decimals: int = 0) -> str:
    """A number as the current language writes it: 12,345.6 in English, 12 345,6 in French."""
    text = f"{value:,.{decimals}f}"
    if _current.get() == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def N_(text: str, /) -> str:
    """Mark `text` for the French catalogue without translating it now (gettext's noop): for
    English kept as is where it is stored, and translated with `_()` where it is shown."""
    return text


LOCALES = {"fr": "fr_FR", "en": "en_GB"}  # Babel locales: French of France; English with € and d/m/y


def babel_locale() -> str:
    return LOCALES[_current.get()]


@lru_cache(maxsize=None)
def _money_patterns(locale: str) -> tuple[str, str]:
    from babel import Locale
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    return pattern, pattern.replace(".00", "")


def money(value: float | int | None, currency: str = "EUR") -> str:
    """A sum as the current language writes it: "€12.50" and "€50" in English, "12,50 €" and
    "50 €" in French (cents only when there are some); "" for none."""
    if value is None:
        return ""
    from babel.numbers import format_currency
    locale = babel_locale()
    with_cents, whole = _money_patterns(locale)
    integral = float(value).is_integer()
    return format_currency(value, currency, locale=locale,
                           format=whole if integral else with_cents, currency_digits=False)
