"""The app, driven by Streamlit's AppTest on real workspaces."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT


@pytest.fixture
def app_env(monkeypatch):
    monkeypatch.chdir(ROOT)

    def use(ws):
        monkeypatch.setenv("RECOUPE_WORKSPACE", str(ws))
        return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()

    return use


def test_overview_shows_what_the_sample_workspace_holds(app_env, sample_ws):
    at = app_env(sample_ws)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Source files"] == "5"
    assert metrics["Chats"] == "4"
    assert metrics["Earlier versions"] == "4"
    chats = at.dataframe[0].value
    assert set(chats["Chat"]) == {"Le Drive du 13 🎄", "Bons Plans 13 🔥", "Marius Delivery 🛵",
                                  "Drive 13 Secours 🆘"}
    assert chats["Posts"].sum() == int(metrics["Posts"].replace(" ", ""))
    # dates shown in Europe/Paris: the first sample post is 09:15Z, 10:15 in Paris
    assert any("1 Nov 2026 10:15" in t.value for t in at.text)


def test_missing_workspace_says_what_to_do(app_env, tmp_path):
    at = app_env(tmp_path / "none")
    assert not at.exception
    assert any("There is no workspace" in i.value for i in at.info)
    assert any("python -m ingest" in c.value for c in at.code)


def test_hostile_chat_names_stay_text(app_env, tmp_path):
    from conftest import message, telegram_export, write_json
    from recoupe.imports import import_paths
    from recoupe.workspace import open_workspace
    evil = '<img src=x onerror=alert(1)> [clic](javascript:alert(1)) <script>alert(2)</script>'
    f = write_json(tmp_path / "evil.json", telegram_export([message(1, evil)], name=evil))
    with open_workspace(tmp_path / "ws", create=True) as ws:
        import_paths(ws, [f])
    at = app_env(tmp_path / "ws")
    assert not at.exception
    assert evil in set(at.dataframe[0].value["Chat"])  # shown as a table cell, as text
    assert all(evil not in m.value for m in at.markdown)  # never fed to markdown



# -- empty states: a newcomer's first look at each page -----------------------------------------

# What each page of app.py says first (its first st.info, as written in English in the page) when
# the workspace holds nothing: the next step, never empty controls. A page added to app.py
# without an entry here fails, on purpose.
NO_POSTS = "This workspace has no posts yet. Import exports from the Import page."
EMPTY_STATES = {
    "pages/overview.py": "This workspace is empty. Add exports and screenshots from the Import "
                         "page: Telegram Desktop exports (JSON or HTML), WhatsApp chat exports "
                         "(.zip or .txt), scrapers' tables and screenshots.",
    "pages/search.py": NO_POSTS,
    "pages/timeline.py": NO_POSTS,
    "pages/item.py": NO_POSTS,
    "pages/screenshots.py": "No screenshots yet. Import PNG, JPEG or WebP images from the Import "
                            "page; a .txt with the same name beside an image is taken as its "
                            "text.",
    "pages/duplicates.py": "No advert has a copy in this workspace yet. Clusters are made after "
                           "each import, or with `python -m recoupe duplicates`.",
    "pages/audit.py": "Nothing is recorded yet: imports, sign-ins, account changes and the work "
                      "on cases are listed here as they happen.",
    "pages/accounts.py": "This workspace has no accounts: whoever opens the app on this machine "
                         "acts as admin, and the app refuses to be served to other machines. "
                         "Create the first account, an admin's; from then on everyone signs in.",
    "pages/cases.py": "No case yet. Open one on the left, or add an item to a new case from the "
                      "Search page or the item view.",
    # the Import page is the next step itself: it says which files to choose
    "pages/import_files.py": "Choose files above (or drop them on the box): a Telegram export's "
                             "result.json or its messages*.html pages, a WhatsApp chat .zip, "
                             "screenshots. Then press Import.",
}


def _in(lang: str, english: str, **values) -> str:
    """What a person reading `lang` is shown for a string of the catalogue."""
    from recoupe import i18n
    previous = i18n.language()
    try:
        i18n.use(lang)
        return i18n._(english, **values)
    finally:
        i18n.use(previous)


def _page_run(monkeypatch, ws, page: str, lang: str) -> AppTest:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("RECOUPE_WORKSPACE", str(ws))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_every_page_of_the_app_has_its_empty_state_checked():
    from test_languages import app_pages
    assert sorted(EMPTY_STATES) == app_pages()


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("page", sorted(EMPTY_STATES))
def test_each_page_says_what_to_do_when_there_is_nothing(monkeypatch, tmp_path, page, lang):
    """No workspace yet: each page (but Import, which makes it) says so and how to make one,
    and looking does not make it. An empty workspace: each page says what to import, or how to
    open a case; Search and Timeline draw no control that could only find nothing."""
    from recoupe.render import escape_markdown
    from recoupe.workspace import open_workspace
    none = tmp_path / "none"
    at = _page_run(monkeypatch, none, page, lang)
    infos = [i.value for i in at.info]
    if page == "pages/import_files.py":
        assert infos == [_in(lang, EMPTY_STATES[page])]
    else:
        assert infos == [_in(lang, "There is no workspace at {root} yet.",
                             root=escape_markdown(str(none)))]
        assert any(f"--workspace {none}" in c.value for c in at.code)
        assert not none.exists()
    open_workspace(tmp_path / "empty", create=True).close()
    at = _page_run(monkeypatch, tmp_path / "empty", page, lang)
    assert [i.value for i in at.info][:1] == [_in(lang, EMPTY_STATES[page])]
    if page in ("pages/search.py", "pages/timeline.py"):
        assert not at.text_input and not at.radio and not at.date_input
