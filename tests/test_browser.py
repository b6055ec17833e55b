"""In Chromium, against a real server: hostile content stays inert in the DOM, and two people
work at once (one imports from the Import page while the other searches and saves searches).

Debian's `chromium`, driven by Playwright through its executable path (no browser download).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES
from recoupe import users
from recoupe.access import Actor
from recoupe.imports import import_paths
from recoupe.saved import of_owner
from recoupe.workspace import open_workspace
from test_hostile_app import hostile_export

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct horse battery"
playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="Chromium is not installed (Debian package `chromium`)")
WAIT = 120_000  # ms: the machine may be busy (its two cores are shared)
IDLE = ("() => document.querySelector('[data-testid=\"stStatusWidget\"]') === null"
        " && !document.querySelector('[data-stale=\"true\"]')")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a free port over a workspace holding the samples' Telegram channels and a
    hostile export, with a reporter, an editor and an admin."""
    base = tmp_path_factory.mktemp("browser")
    root = base / "ws"
    with open_workspace(root, create=True) as ws:
        results = import_paths(ws, [SAMPLES, hostile_export(base / "in")], user="setup")
        assert all(r.status == "ingested" for r in results), [r.reason for r in results]
        users.add(ws, Actor("setup", "admin"), "alice", "admin", PASSWORD)
        for name, role in (("rita", "reporter"), ("eve", "editor")):
            users.add(ws, Actor("alice", "admin"), name, role, PASSWORD)
    port = _free_port()
    env = {**os.environ, "RECOUPE_WORKSPACE": str(root)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                             "--server.headless", "true", "--server.port", str(port),
                             "--server.address", "127.0.0.1"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError("the app did not start: " + proc.stderr.read().decode())
            time.sleep(0.3)
    yield url, root
    proc.terminate()
    proc.wait(30)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


class Person:
    """One person's browser session; every dialog the page opens is recorded."""

    def __init__(self, browser, url: str, name: str):
        self.url, self.name = url, name
        self.context = browser.new_context(viewport={"width": 1400, "height": 1100})
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url, timeout=WAIT)
        self.page.locator("input[aria-label='Name']").fill(name)
        self.page.locator("input[aria-label='Password']").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.get_by_text(f"Signed in as {name}").wait_for(timeout=WAIT)

    def open(self, title: str, *, wait_for: str | None = None) -> None:
        """Go to a page through the navigation (a reload would start a new, signed-out session:
        the signed-in person lives in the session)."""
        self.page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
        if wait_for:
            self.page.get_by_text(wait_for).first.wait_for(timeout=WAIT)
        self.page.wait_for_function(IDLE, timeout=WAIT)

    def go_to_item(self, item_id: int) -> None:
        """Type an id in the Item page's "Go to item" field; again if the page, busy with its
        previous run, did not take it."""
        for attempt in range(3):
            self.page.wait_for_function(IDLE, timeout=WAIT)
            box = self.page.locator("input[aria-label='Go to item']").last
            box.fill(str(item_id))
            box.press("Enter")
            try:
                self.page.wait_for_function(
                    "(id) => new URLSearchParams(location.search).get('id') === id", arg=str(item_id),
                    timeout=WAIT // 3)
                break
            except playwright.TimeoutError:
                if attempt == 2:
                    raise
        self.page.wait_for_function(IDLE, timeout=WAIT)

    def hits_line(self) -> str:
        return next((t for t in self.page.locator("[data-testid='stMarkdownContainer']")
                     .all_inner_texts() if " hits · " in t), "")

    def search(self, query: str) -> int:
        """Run a query on the Search page; the number of hits the page then says."""
        before = self.hits_line()
        box = self.page.locator("input[aria-label='Search']")
        box.fill(query)
        box.press("Enter")
        try:  # the run starts (the status widget shows), unless it is over at once
            self.page.locator("[data-testid='stStatusWidget']").wait_for(timeout=3_000)
        except playwright.TimeoutError:
            pass
        self.page.wait_for_function(
            "(prev) => document.querySelector('[data-testid=\"stStatusWidget\"]') === null"
            " && !document.querySelector('[data-stale=\"true\"]')"
            " && [...document.querySelectorAll('[data-testid=\"stMarkdownContainer\"]')]"
            ".some(e => / hits · \\d+ ms/.test(e.innerText) && e.innerText !== prev)",
            arg=before, timeout=WAIT)
        line = self.hits_line()
        return int(re.sub(r"\D", "", line.split(" hits")[0]))

    def assert_inert(self, where: str) -> None:
        page = self.page
        assert page.locator("img[src='x']").count() == 0, where
        assert page.locator("a[href^='javascript:' i]").count() == 0, where
        scripts = page.evaluate("() => [...document.scripts].map(s => s.text)")
        assert not any("alert(" in s for s in scripts), where
        assert not self.dialogs, (where, self.dialogs)


def test_hostile_content_is_inert_in_the_browser(server, browser):
    url, root = server
    eve = Person(browser, url, "eve")
    eve.page.get_by_text("Chats").first.wait_for(timeout=WAIT)
    eve.assert_inert("overview")
    eve.open("Search", wait_for="Type words")
    for query in ("alert", "javascript"):
        assert eve.search(query) >= 0
        eve.assert_inert(f"search {query}")
    with open_workspace(root) as ws:
        ids = [r[0] for r in ws.con.execute(
            "SELECT i.id FROM items i JOIN chats c ON c.id = i.chat_id "
            "WHERE c.external_id = '666' ORDER BY i.id").fetchall()]
    eve.open("Item", wait_for="Provenance")
    for item_id in ids:
        eve.go_to_item(item_id)
        eve.page.get_by_text("Provenance").wait_for(timeout=WAIT)
        eve.assert_inert(f"item {item_id}")
        body = eve.page.inner_text("body")
        assert "<img src=x onerror=alert(1)> <script>alert(1)</script>" in body  # as text
    eve.open("Audit trail", wait_for="Nothing here can be edited")
    eve.assert_inert("audit")
    eve.context.close()


def test_two_people_at_once(server, browser, tmp_path):
    """Rita imports a WhatsApp export and a large Telegram export from the Import page; while it
    runs, Eve keeps searching; when it ends, Eve finds its posts. Then both save searches at the
    same moment, and both are kept."""
    url, root = server
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import write_export
    big = tmp_path / "result.json"
    write_export(big, 30_000, seed=7)
    rita, eve = Person(browser, url, "rita"), Person(browser, url, "eve")
    nav = [t.split()[-1] for t in
           rita.page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()]
    assert "trail" not in nav and "Import" in nav             # a reporter's: no Audit trail
    eve.open("Search", wait_for="Type words")
    before = eve.search("platform:whatsapp")
    assert before == 0

    rita.open("Import", wait_for="Upload exports")
    zip_path = next((SAMPLES.parent / "whatsapp").glob("*.zip"))
    rita.page.locator("input[type=file]").set_input_files([str(zip_path), str(big)])
    rita.page.wait_for_function(  # both uploads done: the Import button is enabled
        "() => { const b = [...document.querySelectorAll('button')]"
        ".find(b => b.innerText.trim() === 'Import'); return b && !b.disabled; }",
        timeout=WAIT)
    rita.page.get_by_role("button", name="Import", exact=True).click()
    rita.page.get_by_text("Reading").first.wait_for(timeout=WAIT)  # the import is under way

    # Eve searches again and again until Rita's import has ended; the searches answered while
    # it still ran are counted (an answer that comes after its end is not).
    finished = rita.page.get_by_text(re.compile(r"2 files: 2 files imported"))
    during, deadline = [], time.monotonic() + 180
    for query in ("aubagne", "calendrier", "livraison") * 60:
        hits = eve.search(query)
        if finished.count() or time.monotonic() > deadline:
            break
        during.append(hits)
    assert during and all(n > 0 for n in during), during
    finished.wait_for(timeout=180_000)
    assert eve.search("platform:whatsapp") > 0              # eve sees the new posts
    assert eve.search('chat:"Bench Channel"') > 0

    # Both save a search at the same moment (the Save button, which AppTest cannot click).
    for person, name in ((rita, "rita's"), (eve, "eve's")):
        person.open("Search")
        person.page.locator("input[aria-label='Search']").wait_for(timeout=WAIT)
        person.search("calendrier")
        person.page.get_by_placeholder("Save this search as…").fill(name)
        person.page.get_by_placeholder("Save this search as…").press("Tab")
        person.page.wait_for_function(  # the name is taken: the Save button is enabled
            "() => { const b = [...document.querySelectorAll('button')]"
            ".find(b => b.innerText.trim() === 'Save'); return b && !b.disabled"
            " && document.querySelector('[data-testid=\"stStatusWidget\"]') === null; }",
            timeout=WAIT)
    rita.page.get_by_role("button", name="Save", exact=True).click()
    eve.page.get_by_role("button", name="Save", exact=True).click()
    for person in (rita, eve):
        try:
            person.page.get_by_text("Saved; after each import").wait_for(timeout=WAIT)
        except playwright.TimeoutError:
            person.page.screenshot(path=f"/tmp/team-save-{person.name}.png", full_page=True)
            raise
    with open_workspace(root) as ws:
        assert [s["name"] for s in of_owner(ws, "rita")] == ["rita's"]
        assert [s["name"] for s in of_owner(ws, "eve")] == ["eve's"]
    for person in (rita, eve):
        person.assert_inert("after the import")
        person.context.close()
    print(f"searches answered while rita's import ran: {len(during)}")
