"""The app in French and in English: pages, dates, numbers, euros, errors and import reasons.

tests/test_i18n.py makes sure that every string wrapped in _() has French; these tests make
sure the pages wrap what they show, and run them in both languages on the sample workspace.
"""

from __future__ import annotations

import ast
import shutil
from datetime import datetime

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, message, telegram_export, write_json
from ingest.formats import DESCRIPTIONS
from recoupe import i18n
from recoupe.i18n import money, number
from recoupe.imports import import_paths
from recoupe.overview import overview
from recoupe.times import show
from recoupe.workspace import open_workspace

PAGES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
# Streamlit calls that draw a string a person reads: as first argument, or as these keywords
DRAWS = {"title", "header", "subheader", "caption", "info", "warning", "error", "success",
         "write", "markdown", "text", "button", "form_submit_button", "download_button",
         "text_input", "number_input", "date_input", "time_input", "selectbox", "multiselect",
         "radio", "file_uploader", "expander", "metric", "toggle", "checkbox", "tabs",
         "segmented_control", "pills", "page_link", "progress", "spinner", "status", "toast"}
WORDED_KEYWORDS = {"label", "help", "placeholder", "text"}
# words that are the same in both languages: identifiers, units
SAME_IN_BOTH = {"SHA-256", "pHash", "UTC", "ms", "MB"}


@pytest.fixture
def lang():
    """Run a test's library calls in a language, and come back to English after it."""
    def use(code):
        return i18n.use(code)
    yield use
    i18n.use("en")


def _worded(node) -> str | None:
    """The words of a literal argument (a string, or an f-string's literal parts), if any."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = " ".join(v.value for v in node.values if isinstance(v, ast.Constant))
    else:
        return None
    for same in SAME_IN_BOTH:
        text = text.replace(same, "")
    return text if any(ch.isalpha() for ch in text) else None


def test_pages_draw_no_string_outside_the_catalogue():
    """A label, message or caption written as a bare literal would stay English in French."""
    bare = []
    for path in PAGES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in DRAWS):
                continue
            args = [] if node.func.attr == "page_link" else node.args[:1]  # a page's path
            args += [k.value for k in node.keywords if k.arg in WORDED_KEYWORDS]
            bare += [f"{path.name}:{node.lineno}: {_worded(a)!r}" for a in args if _worded(a)]
    assert not bare, "wrap these in _():\n" + "\n".join(bare)


def test_format_descriptions_have_french():
    """The Import page lists the formats with each parser's description, translated."""
    fr = i18n.catalogue("fr")
    assert [d for d in DESCRIPTIONS.values() if d not in fr] == []


def test_dates_numbers_and_euros_in_both_languages(lang):
    winter, summer = datetime(2026, 12, 24, 22, 12), datetime(2026, 7, 1, 10, 5)  # UTC
    lang("en")
    assert (show(winter), show(summer)) == ("24 Dec 2026 23:12", "1 Jul 2026 12:05")
    assert (money(12.5), money(50), money(1250.5)) == ("€12.50", "€50", "€1,250.50")
    assert number(1234567) == "1,234,567"
    lang("fr")
    assert (show(winter), show(summer)) == ("24 déc. 2026 23:12", "1 juil. 2026 12:05")
    assert (money(12.5), money(50)) == ("12,50\u00a0€", "50\u00a0€")
    assert money(1250.5) == "1\u202f250,50\u00a0€"
    assert number(1234567) == "1\u202f234\u202f567"
    assert show(None) == "" and money(None) == ""


# -- the pages, run in each language -----------------------------------------------------------

def _app(sample_ws, monkeypatch, lang_code: str) -> AppTest:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("RECOUPE_WORKSPACE", str(sample_ws))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = lang_code
    return at


def _shown(at: AppTest) -> list[str]:
    """Every string the run drew: titles, messages, labels, table columns."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "info", "warning", "error",
                 "success", "markdown", "text"):
        out += [e.value for e in getattr(at, kind)]
    for kind in ("button", "text_input", "number_input", "date_input", "selectbox",
                 "multiselect", "radio", "expander", "metric"):
        out += [e.label for e in getattr(at, kind)]
    for df in at.dataframe:
        out += [str(c) for c in df.value.columns]
    return out


def _english_left(shown: list[str]) -> list[str]:
    """Strings shown in French that are English entries of the catalogue."""
    fr = i18n.catalogue("fr")
    english = {en for en, tr in fr.items() if en != tr}
    return [s for s in shown if s in english]


def app_pages() -> list[str]:
    """Every page app.py declares, so that a page added later is checked too."""
    import re
    from pathlib import Path
    source = (Path(__file__).resolve().parents[1] / "app.py").read_text(encoding="utf-8")
    return sorted(set(re.findall(r'"(pages/[a-z_]+\.py)"', source)))


@pytest.mark.parametrize("page", app_pages())
def test_every_page_runs_in_french_without_english_left(sample_ws, monkeypatch, page):
    at = _app(sample_ws, monkeypatch, "fr").run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    shown = _shown(at)
    assert shown, "the page drew nothing"
    assert _english_left(shown) == []
    assert at.title[0].value in i18n.catalogue("fr").values()


def test_overview_in_french_writes_dates_and_numbers_the_french_way(sample_ws, monkeypatch):
    at = _app(sample_ws, monkeypatch, "fr").run()
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) >= {"Fichiers sources", "Discussions", "Publications", "Événements"}
    # the sample starts on 1 November 2026 at 09:15 UTC: 10:15 in Paris
    assert any(t.value.startswith("Publications du 1 nov. 2026 10:15 au ") for t in at.text)
    chats = at.dataframe[0].value
    assert "Discussion" in chats.columns and "Première publication" in chats.columns
    assert all(" nov. 2026 " in d for d in chats["Première publication"])


def test_search_page_in_french(sample_ws, monkeypatch):
    at = _app(sample_ws, monkeypatch, "fr").run()
    at.switch_page("pages/search.py").run()
    assert any("Tapez des mots" in i.value for i in at.info)
    at.text_input(key="q").input("beuh").run()
    assert not at.exception
    line = next(m.value for m in at.markdown if " ms" in m.value)
    assert " résultats · " in line
    bands = next(c.value for c in at.caption if c.value.startswith("Résultats par € l'unité"))
    assert "\u00a0€–" in bands and "l'unité" in bands  # "5 €–10 € l'unité"
    assert any(" déc. 2026 " in c.value or " nov. 2026 " in c.value for c in at.caption)
    at.text_input(key="q").input('"calendrier').run()
    assert any("n'est pas refermé" in e.value and "au caractère 1" in e.value for e in at.error)
    at.text_input(key="q").input("zzzqqqxxx").run()
    assert any("Aucune publication ne correspond" in i.value for i in at.info)


def test_item_page_in_both_languages(sample_ws, monkeypatch):
    for code, title, around in (("en", "Item", "Around it in the chat"),
                                ("fr", "Publication", "Autour, dans la discussion")):
        at = _app(sample_ws, monkeypatch, code)
        at.query_params["id"] = "20"
        at.run()
        at.switch_page("pages/item.py").run()
        assert not at.exception
        assert at.title[0].value == title
        assert around in [s.value for s in at.subheader]
    at.query_params["id"] = "999999"
    at.run()
    assert any("il n'y a pas de publication 999999" in w.value for w in at.warning)


def test_missing_workspace_in_french(monkeypatch, tmp_path):
    at = _app(tmp_path / "nothing-here", monkeypatch, "fr").run()
    assert not at.exception
    assert any("Il n'y a pas encore d'espace de travail" in i.value for i in at.info)
    assert any("python -m ingest" in c.value for c in at.code)


# -- what the library says, in the reader's language; what it stores, in English ---------------

def test_import_reasons_are_shown_in_french_and_stored_in_english(tmp_path, lang):
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    good = write_json(tmp_path / "good" / "result.json", telegram_export([message(1, "salut")]))
    lang("fr")
    with open_workspace(tmp_path / "ws", create=True) as ws:
        first = import_paths(ws, [empty, tmp_path / "missing.json", good])
        again = import_paths(ws, [good])
        stored = [r["reason"] for r in overview(ws)["rejections"]]
    reasons = {r.path.rsplit("/", 1)[-1]: r.reason for r in first}
    assert reasons["empty.json"] == "empty.json: le fichier est vide"
    assert reasons["missing.json"] == "missing.json: aucun fichier ou dossier de ce nom"
    assert again[0].reason == "déjà importé (même SHA-256)\u00a0: rien n'a changé"
    assert sorted(stored) == ["empty.json: the file is empty",
                              "missing.json: no such file or folder"]


def test_search_errors_in_french(sample_ws, lang):
    from recoupe.errors import RecoupeError
    from recoupe.search import SearchSyntaxError, search
    lang("fr")
    with open_workspace(sample_ws) as ws:
        with pytest.raises(SearchSyntaxError, match="La parenthèse au caractère 6 n'est pas"):
            search(ws, "beuh (coke")
        with pytest.raises(RecoupeError, match="Aucune discussion nommée 'Nulle part'"):
            search(ws, "beuh", filters={"chat": ["Nulle part"]})


def test_workspace_errors_in_french(tmp_path, lang):
    from recoupe.errors import WorkspaceError
    lang("fr")
    with pytest.raises(WorkspaceError, match="Il n'y a pas d'espace de travail dans"):
        open_workspace(tmp_path / "absent")
    (tmp_path / "file").write_text("x")
    with pytest.raises(WorkspaceError, match="est un fichier, pas un dossier"):
        open_workspace(tmp_path / "file", create=True)


def test_language_kept_in_the_account(sample_ws, tmp_path):
    """The hook issue 9's sign-in uses: an account's language is kept and read back."""
    from recoupe.preferences import language, set_language
    ws_path = tmp_path / "ws"
    shutil.copytree(sample_ws, ws_path)
    with open_workspace(ws_path) as ws:
        ws.con.execute("INSERT INTO users (name, role, created_at_utc, created_by) "
                       "VALUES ('leila', 'reporter', now(), 'test')")
        assert language(ws, "Leila") is None
        set_language(ws, "Leila", "fr")
        assert language(ws, "leila") == "fr"
        with pytest.raises(ValueError):
            set_language(ws, "leila", "de")
