"""Every string a person reads exists in French and in English."""

import ast
from pathlib import Path

import pytest

from recoupe import i18n

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")),
           *sorted((ROOT / "recoupe").rglob("*.py"))]


def translatable_literals():
    """(file, line, text) for each literal passed to _(), _n() or N_() in the code."""
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "_n", "N_")):
                continue
            count = 2 if node.func.id == "_n" else 1
            for arg in node.args[:count]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield path.relative_to(ROOT), node.lineno, arg.value


def test_every_translatable_string_has_french():
    """A string wrapped in _() or _n() without a French entry would show English to a French
    reader: each one is listed with where it is."""
    fr = i18n.catalogue("fr")
    missing = sorted({f"{p}:{line}: {text!r}" for p, line, text in translatable_literals()
                      if text not in fr})
    assert not missing, "no French for:\n" + "\n".join(missing)


def test_french_placeholders_match_english():
    """A translation that drops or renames a {placeholder} would break formatting at run time."""
    import string
    fmt = string.Formatter()
    bad = []
    for en, fr in i18n.catalogue("fr").items():
        names = lambda s: sorted({f for _, f, _, _ in fmt.parse(s) if f})  # noqa: E731
        if names(en) != names(fr):
            bad.append(f"{en!r} -> {fr!r}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("locale, lang", [("fr-FR", "fr"), ("fr_CA", "fr"), ("en-GB", "en"),
                                          ("de-DE", "en"), (None, "en"), ("", "en")])
def test_browser_locale_chooses_the_language(locale, lang):
    assert i18n.negotiate(locale) == lang


def test_numbers_and_plurals_follow_the_language():
    try:
        i18n.use("fr")
        assert i18n.number(12345.6, 1) == "12\u202f345,6"
        assert i18n._("Language") == "Langue"
        assert i18n._n("{n} file", "{n} files", 1) == "1 file"  # no French entry: English text
        i18n.use("en")
        assert i18n.number(12345.6, 1) == "12,345.6"
        assert i18n._n("{n} file", "{n} files", 0) == "0 files"
        assert i18n._("Language") == "Language"
    finally:
        i18n.use("en")


def test_no_english_string_has_two_french_translations():
    """Each area keeps its own catalogue file; one English key translated two ways in two files
    would make the app's vocabulary depend on which file loads last ("Posts" as « Messages » on
    one page and « Publications » on another)."""
    import tomllib
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for path in sorted((i18n.LOCALE_DIR / "fr").glob("*.toml")):
        with path.open("rb") as f:
            for en, fr in tomllib.load(f).items():
                if en in seen and seen[en][1] != fr:
                    clashes.append(f"{en!r}: {seen[en][0]} says {seen[en][1]!r}, "
                                   f"{path.name} says {fr!r}")
                seen.setdefault(en, (path.name, fr))
    assert not clashes, "\n".join(clashes)
