"""Screenshots in the workspace: thumbnails, the reporter's fields, the page."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from recoupe.errors import RecoupeError
from recoupe.imports import import_paths
from recoupe.items import iter_items, screenshots, set_capture
from recoupe.thumbs import thumbnail
from recoupe.workspace import open_workspace

SHOTS = ROOT / "samples" / "screenshots"


@pytest.fixture(scope="module")
def shots_ws(tmp_path_factory):
    """Two sample screenshots: one read by OCR, one with its .txt beside it."""
    src = tmp_path_factory.mktemp("shots")
    for name in ("01-drive13-menu-mid.png", "07-drive13-regles.png", "07-drive13-regles.txt"):
        shutil.copy(SHOTS / name, src / name)
    root = tmp_path_factory.mktemp("ws") / "ws"
    with open_workspace(root, create=True) as ws:
        results = import_paths(ws, [src], user="reporter")
    assert [r.status for r in results] == ["ingested", "ingested"], [r.reason for r in results]
    return root


def test_each_screenshot_gets_a_thumbnail_made_from_the_stored_copy(shots_ws):
    from PIL import Image
    with open_workspace(shots_ws) as ws:
        shots = screenshots(ws)
        assert len(shots) == 2
        for s in shots:
            assert s["thumbnail"] == shots_ws / "thumbs" / f"{s['sha256']}.jpg"
            with Image.open(s["thumbnail"]) as im:
                assert max(im.size) <= 360 * 3 and min(im.size) <= 360
        # derived: removed, it comes back
        first = shots[0]["thumbnail"]
        first.unlink()
        assert thumbnail(ws, shots[0]["sha256"]) == first and first.exists()
        assert thumbnail(ws, "../../etc/passwd") is None


def test_the_reporter_records_which_chat_and_when(shots_ws):
    with open_workspace(shots_ws) as ws:
        shot = screenshots(ws)[0]
        set_capture(ws, shot["id"], chat="  Le Drive du 13  ", captured_at=datetime(2026, 12, 1, 9, 30))
        [item] = [i for i in iter_items(ws) if i["id"] == shot["id"]]
        assert item["captured_chat"] == "Le Drive du 13"
        assert item["captured_at"] == "2026-12-01T09:30:00Z"
        with pytest.raises(RecoupeError, match="not a screenshot"):
            set_capture(ws, 10**9, chat="x", captured_at=None)


def test_screenshots_page_shows_text_and_origin(shots_ws, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("RECOUPE_WORKSPACE", str(shots_ws))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/screenshots.py").run()
    assert not at.exception
    texts = " ".join(t.value for t in at.text)
    assert "LES RÈGLES DU DRIVE" in texts      # the sidecar's corrected text
    captions = " ".join(c.value for c in at.caption)
    assert ".txt beside the image" in captions and "OCR · confidence" in captions


def test_screenshots_page_empty_state(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    with open_workspace(tmp_path / "ws", create=True):
        pass
    monkeypatch.setenv("RECOUPE_WORKSPACE", str(tmp_path / "ws"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/screenshots.py").run()
    assert any("No screenshots yet" in i.value for i in at.info)


def test_the_text_beside_a_screenshot_is_kept_as_evidence_too(shots_ws):
    import hashlib
    sidecar = SHOTS / "07-drive13-regles.txt"
    sha = hashlib.sha256(sidecar.read_bytes()).hexdigest()
    kept = shots_ws / "sources" / sha
    assert kept.read_bytes() == sidecar.read_bytes()
    with open_workspace(shots_ws) as ws:
        [shot] = [s for s in screenshots(ws) if s["text_origin"] == "sidecar"]
    assert shot["extra"]["sidecar"]["sha256"] == sha
