"""Shared fixtures: workspaces built from committed files, and a way to run the commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "telegram"
REAL = ROOT.parent / "shared" / "real-exports"
sys.path.insert(0, str(ROOT))

from recoupe.imports import import_paths  # noqa: E402
from recoupe.workspace import open_workspace  # noqa: E402


def run(module: str, *args: str, env: dict | None = None, check: bool = False) -> subprocess.CompletedProcess:
    """Run `python -m module args...` from the repository, as a person would."""
    full_env = {k: v for k, v in os.environ.items() if k != "RECOUPE_WORKSPACE"}
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"{module} {args} exited {proc.returncode}: {proc.stderr}")
    return proc


def ndjson(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def sample_ws(tmp_path_factory) -> Path:
    """The sample workspace, built once from samples/ (read-only for the tests that use it)."""
    root = tmp_path_factory.mktemp("sample") / "ws"
    with open_workspace(root, create=True) as ws:
        results = import_paths(ws, [SAMPLES], user="test-suite")
    assert all(r.status == "ingested" for r in results), [r.reason for r in results]
    return root


@pytest.fixture(scope="session")
def mixed_sample_ws(tmp_path_factory) -> Path:
    """A sample workspace of every platform: the Telegram exports, the WhatsApp chat (with its
    attached photo) and two screenshots (read by OCR). Built once; copy it to write to it."""
    root = tmp_path_factory.mktemp("mixed-sample") / "ws"
    shots = ROOT / "samples" / "screenshots"
    folders = [SAMPLES, ROOT / "samples" / "whatsapp", shots / "01-drive13-menu-mid.png",
               shots / "02-marius-menu-mid.png"]
    with open_workspace(root, create=True) as ws:
        results = import_paths(ws, folders, user="test-suite")
    assert all(r.status in ("ingested", "unchanged") for r in results), \
        [r.reason for r in results]
    return root


@pytest.fixture
def ws_path(tmp_path) -> Path:
    return tmp_path / "ws"


def telegram_export(messages: list[dict], *, name="Canal Test", chat_id=4242,
                    chat_type="public_channel") -> dict:
    return {"name": name, "type": chat_type, "id": chat_id, "messages": messages}


def message(mid: int, text, *, unix: int = 1795000000, **extra) -> dict:
    """A Telegram Desktop message, times written as Telegram does (local date in Paris, CET)."""
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo
    local = datetime.fromtimestamp(unix + mid * 60, timezone.utc).astimezone(ZoneInfo("Europe/Paris"))
    m = {"id": mid, "type": "message", "date": local.replace(tzinfo=None).isoformat(),
         "date_unixtime": str(unix + mid * 60), "from": "Canal Test", "from_id": "channel4242",
         "text": text}
    m.update(extra)
    return m


def write_json(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


@pytest.fixture
def quick_hashes(monkeypatch):
    """Argon2id at its lightest for tests that create many accounts: the same algorithm and
    code path, a fraction of the cost (the stand-in hash and the command line keep the real
    parameters)."""
    from argon2 import PasswordHasher

    from recoupe import users
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=8192,
                                                         parallelism=1))
