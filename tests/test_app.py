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
