"""Uploads through the app: a sender's file name never chooses where anything is written."""

from __future__ import annotations

import io
import json

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, message, telegram_export
from recoupe.imports import import_paths
from recoupe.items import iter_items
from recoupe.uploads import safe_name, saved_uploads
from recoupe.workspace import open_workspace


@pytest.mark.parametrize("hostile, expected", [
    ("../../etc/passwd", "passwd"),
    ("/abs/olute/result.json", "result.json"),
    ("C:\\Users\\x\\WhatsApp Chat with Bob.txt", "WhatsApp Chat with Bob.txt"),
    ("..", "upload"),
    ("...hidden", "hidden"),
    ("evil\x00name\n.json", "evilname.json"),
    ("<img src=x onerror=alert(1)>.png", "_img src_x onerror_alert(1)_.png"),
    ("messages2.html", "messages2.html"),
])
def test_safe_name(hostile, expected):
    assert safe_name(hostile) == expected


def test_long_names_keep_their_suffix():
    name = safe_name("a" * 400 + ".json")
    assert len(name) <= 150 and name.endswith(".json")


def test_uploads_land_in_one_fresh_folder_and_are_removed_after(tmp_path):
    payload = io.BytesIO(json.dumps(telegram_export([message(1, "upload")])).encode())
    with open_workspace(tmp_path / "ws", create=True) as ws:
        with saved_uploads(ws, [("../../../escape.json", payload),
                                ("escape.json", io.BytesIO(b"{}"))]) as paths:
            folder = paths[0].parent
            assert folder.parent == ws.root / ".uploads"
            assert [p.name for p in paths] == ["escape.json", "escape-2.json"]
            results = import_paths(ws, paths, user="app-user", command="app")
            assert [r.status for r in results] == ["ingested", "rejected"]
        assert not folder.exists()
        [item] = list(iter_items(ws))
        assert item["text"] == "upload"
    assert not (tmp_path / "escape.json").exists()
    assert not (tmp_path.parent / "escape.json").exists()


def test_import_page_says_its_limit_and_formats(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("RECOUPE_WORKSPACE", str(tmp_path / "ws"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/import_files.py").run()
    assert not at.exception
    caption = " ".join(c.value for c in at.caption)
    assert "MB per file" in caption and "Telegram Desktop JSON export" in caption
    assert at.button[0].disabled, "nothing to import until files are chosen"
