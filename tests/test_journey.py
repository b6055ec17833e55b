"""The reporter's journey, end to end, in a real browser (headless Chromium driven by Playwright).

The app is started as `make run` starts it (`streamlit run app.py`), on a copy of the sample
workspace, and a browser goes through what a newcomer does: open the app, import a WhatsApp
export and a screenshot from the Import page, search with a filter, open an item and the posts
around it. One pass is in English (a browser that asks for en-US), one in French (fr-FR).

Each step is a function of `Journey`, listed in `ENGLISH` or `FRENCH` in the order they run; a
later step (open a duplicate cluster, add to a case, a claim and its verdict, the editor's
approval, the PDF; signing in) is one more function added to the list. When a step fails, a
screenshot of the page is saved under the test's tmp folder and in tests/journey-artifacts/
(git-ignored), and its path is printed. `RECOUPE_UPDATE_DOCS=1` (`make docs`) also writes the
README's screenshot, docs/search.png, from the search step.

Needs Debian's `chromium` (scripts/system-packages.sh installs it) and the `playwright` package;
no browser is downloaded.
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
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ROOT

playwright = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect, sync_playwright  # noqa: E402

CHROMIUM = Path(os.environ.get("RECOUPE_CHROMIUM", "/usr/bin/chromium"))
if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM}: run scripts/system-packages.sh as root "
                "(apt-get install chromium)", allow_module_level=True)

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "tests" / "journey-artifacts"
DOCS = ROOT / "docs"
WHATSAPP = ROOT / "samples" / "whatsapp" / "WhatsApp Chat - Drive 13 commande.zip"
SCREENSHOT = ROOT / "samples" / "screenshots" / "02-marius-menu-mid.png"
WHATSAPP_CHAT = "Drive 13 commande"   # the chat's name in the zip's file name
TIMEOUT_MS = 30_000
expect.set_options(timeout=15_000)
# The page has finished its run: nothing stale, and Streamlit's "running" indicator is gone.
SETTLED = """() => !document.querySelector('[data-stale="true"]')
  && !document.querySelector('[data-testid="stStatusWidget"]')"""


# -- the app and the browser -----------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_url(sample_ws, tmp_path_factory):
    """The app on a copy of the sample workspace (the journey imports into it), on a free port;
    stopped at the end of the session."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # what is there is from this run's failures
    ws = tmp_path_factory.mktemp("journey") / "ws"
    shutil.copytree(sample_ws, ws)
    port = _free_port()
    log = open(ws.parent / "streamlit.log", "wb")
    env = {**os.environ, "RECOUPE_WORKSPACE": str(ws)}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("the app did not start: "
                            + (ws.parent / "streamlit.log").read_text(errors="replace")[-2000:])
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Journey:
    """A person's browser on the app: steps, and what they share (what was imported...)."""

    def __init__(self, browser, url: str, locale: str, shots: Path):
        self.context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.url, self.locale, self.shots = url, locale, shots
        self.done: list[str] = []
        self.seen: dict = {}   # what a step leaves for the next ones (an item id, a count...)

    # how a step talks to Streamlit
    def settle(self) -> None:
        """Wait until the page has finished its run."""
        self.page.wait_for_timeout(150)  # let a rerun that was just asked for begin
        self.page.wait_for_function(SETTLED)

    def nav(self, title: str) -> None:
        """Go to a page with the sidebar (the session, and its language, carry over)."""
        self.page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
        expect(self.page.locator("h1")).to_have_text(title)
        self.settle()

    def main(self):
        return self.page.locator('[data-testid="stMain"]')

    def search(self, label: str, query: str, count: str):
        """Type a query in the Search page's box; the box, and the line that counts the hits
        (which must match the pattern `count`) once it is drawn."""
        box = self.main().get_by_role("textbox", name=label, exact=True)
        box.fill(query)
        box.press("Enter")
        line = self.main().get_by_text(re.compile(count))
        expect(line).to_be_visible()
        self.settle()
        return box, line

    def block_of(self, element, levels: int = 1):
        """The container an element is drawn in (a bordered hit, a column...)."""
        return element.locator(
            f"xpath=ancestor::div[@data-testid='stVerticalBlock'][{levels}]")

    def metric(self, label: str):
        return self.main().locator('[data-testid="stMetricLabel"]').get_by_text(label, exact=True)

    @contextmanager
    def step(self, name: str):
        """Run one step; on failure, keep a screenshot of the page and say where it is."""
        try:
            yield
        except BaseException:
            self.shots.mkdir(parents=True, exist_ok=True)
            shot = self.shots / f"{self.locale}-{len(self.done) + 1:02d}-{name}.png"
            try:
                self.page.screenshot(path=str(shot), full_page=True)
                ARTIFACTS.mkdir(exist_ok=True)
                shutil.copy(shot, ARTIFACTS / shot.name)
                print(f"\nstep '{name}' failed; screenshot: {shot} "
                      f"(and {ARTIFACTS / shot.name})", file=sys.stderr)
            except Exception as exc:  # noqa: BLE001 (the step's own failure matters more)
                print(f"\nstep '{name}' failed; no screenshot ({exc})", file=sys.stderr)
            raise
        self.done.append(name)

    def close(self) -> None:
        self.context.close()


def run(journey: Journey, steps) -> None:
    for fn in steps:
        with journey.step(fn.__name__):
            fn(journey)


@pytest.fixture
def journey_for(browser, app_url, tmp_path):
    made = []

    def make(locale: str) -> Journey:
        j = Journey(browser, app_url, locale, tmp_path / "screenshots")
        made.append(j)
        return j

    yield make
    for j in made:
        j.close()


# -- the steps, in English --------------------------------------------------------------------

def open_the_app(j: Journey) -> None:
    """The overview opens on the sample workspace, in the browser's language."""
    j.page.goto(j.url)
    expect(j.page.locator("h1")).to_have_text("Workspace")
    j.settle()
    expect(j.metric("Source files")).to_be_visible()
    expect(j.main().get_by_text(re.compile(r"^Posts from \d{1,2} [A-Z][a-z]{2} 2026 \d\d:\d\d to "))
           ).to_be_visible()
    sidebar = j.page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("Language")).to_be_visible()


def import_a_whatsapp_export_and_a_screenshot(j: Journey) -> None:
    """Upload both files on the Import page; each is imported, with what became of it."""
    j.nav("Import")
    main = j.main()
    expect(main.get_by_text("Choose files above")).to_be_visible()
    main.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(WHATSAPP), str(SCREENSHOT)])
    j.settle()
    # who imports is the person using the app (here the local user: the sample has no accounts)
    button = main.get_by_role("button", name="Import", exact=True)
    expect(button).to_be_enabled(timeout=60_000)  # once both uploads are done
    button.click()
    summary = main.locator('[data-testid="stAlertContentSuccess"]')
    expect(summary).to_contain_text(
        "2 files: 2 files imported, 0 already there, 0 files rejected", timeout=90_000)
    new = int(re.search(r"rejected; (\d+) new items", summary.inner_text()).group(1))
    assert new >= 2  # the chat's messages and the screenshot
    table = main.locator('[data-testid="stDataFrame"]')
    expect(table).to_be_visible()
    j.seen["imported"] = new


def search_with_a_filter(j: Journey) -> None:
    """A word found in several chats; the Chat filter narrows it to the WhatsApp chat just
    imported, and says how many hits each chat has."""
    j.nav("Search")
    main = j.main()
    box, count = j.search("Search", "livraison", r"^\d[\d,]* hits? · \d[\d,]* ms$")
    everywhere = _hits(count.inner_text())
    if os.environ.get("RECOUPE_UPDATE_DOCS"):  # the README's picture of the Search page
        DOCS.mkdir(exist_ok=True)
        j.page.screenshot(path=str(DOCS / "search.png"))
    chat_filter = main.locator('[data-testid="stMultiSelect"]').filter(has_text="Chat")
    chat_filter.click()
    option = j.page.get_by_role("option", name=re.compile(re.escape(WHATSAPP_CHAT) + r" \(\d+\)"))
    expected = int(re.search(r"\((\d+)\)", option.inner_text()).group(1))
    option.click()
    j.page.keyboard.press("Escape")
    expect(count).to_have_text(re.compile(rf"^{expected} hits? · "))
    j.settle()
    assert 0 < expected < everywhere
    links = main.get_by_role("link", name=re.compile(r"^Open item \d+$"))
    expect(links).to_have_count(min(expected, 20))
    for link in links.all():
        hit = j.block_of(link)
        expect(hit).to_contain_text(WHATSAPP_CHAT)
        expect(hit).to_contain_text(re.compile(r"\d{1,2} Dec 2026 \d\d:\d\d"))
    link = links.first
    j.seen["item"] = int(re.search(r"\d+", link.inner_text()).group(0))


def open_an_item_and_its_context(j: Journey) -> None:
    """The hit opens whole, with where it comes from and the posts around it in its chat; one
    of those opens in turn."""
    main = j.main()
    main.get_by_role("link", name=f"Open item {j.seen['item']}", exact=True).click()
    expect(j.page.locator("h1")).to_have_text("Item")
    j.settle()
    assert j.page.url.endswith(f"id={j.seen['item']}")
    expect(main.get_by_text(re.compile(rf"^{re.escape(WHATSAPP_CHAT)} · "))).to_be_visible()
    expect(main.get_by_role("heading", name="Provenance")).to_be_visible()
    expect(main.get_by_text(WHATSAPP.name)).to_be_attached()  # a cell of the provenance table
    expect(main.get_by_role("heading", name="Around it in the chat")).to_be_visible()
    around = main.get_by_role("link", name=re.compile(r"^Open item \d+$"))
    expect(around.first).to_be_visible()
    other = int(re.search(r"\d+", around.first.inner_text()).group(0))
    assert other != j.seen["item"]
    around.first.click()
    j.settle()
    expect(j.page).to_have_url(re.compile(rf"id={other}$"))
    expect(main.get_by_text(re.compile(rf"^{re.escape(WHATSAPP_CHAT)} · "))).to_be_visible()


def see_the_screenshot(j: Journey) -> None:
    """The screenshot imported is listed with the text OCR read on it."""
    j.nav("Screenshots")
    name = j.main().get_by_text(SCREENSHOT.name, exact=True)
    expect(name).to_have_count(1)
    shot = j.block_of(name, levels=2)  # the name's column, then the screenshot's row
    expect(shot).to_contain_text("Text from OCR")
    expect(shot).to_contain_text("MENU")


ENGLISH = [open_the_app, import_a_whatsapp_export_and_a_screenshot, search_with_a_filter,
           open_an_item_and_its_context, see_the_screenshot]


# -- the steps, in French ---------------------------------------------------------------------

def open_the_app_in_french(j: Journey) -> None:
    """A browser that asks for French gets the app in French, dates and numbers included."""
    j.page.goto(j.url)
    expect(j.page.locator("h1")).to_have_text("Espace de travail")
    j.settle()
    main = j.main()
    expect(j.metric("Fichiers sources")).to_be_visible()
    expect(main.get_by_text(re.compile(r"^Publications du \d{1,2} nov\. 2026 \d\d:\d\d au "))
           ).to_be_visible()
    nav = j.page.locator('[data-testid="stSidebarNav"]')
    for title in ("Rechercher", "Importer", "Captures d'écran"):
        expect(nav.get_by_text(title, exact=True)).to_be_visible()


def search_in_french(j: Journey) -> None:
    """The Search page in French: labels, the count of hits, dates, prices, a syntax error."""
    j.nav("Rechercher")
    main = j.main()
    expect(main.get_by_text("Tapez des mots pour chercher")).to_be_visible()
    box, _count = j.search("Rechercher", "livraison",
                           r"^\d[\d\u202f]* résultats? · \d[\d\u202f]* ms$")
    expect(main.get_by_text(re.compile(r"\d{1,2} (nov|déc)\. 2026 \d\d:\d\d")).first).to_be_visible()
    expect(main.get_by_text(re.compile(r"\d+\u00a0€–\d+\u00a0€ l'unité")).first).to_be_visible()
    box.fill('"calendrier')
    box.press("Enter")
    expect(main.get_by_text("n'est pas refermé")).to_be_visible()


def switch_to_english_and_keep_it(j: Journey) -> None:
    """The switch in the sidebar changes the language at once, and it stays for the session."""
    j.page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English").click()
    expect(j.page.locator("h1")).to_have_text("Search")
    j.settle()
    j.nav("Workspace")
    expect(j.metric("Source files")).to_be_visible()
    expect(j.main().get_by_text(re.compile(r"^Posts from \d{1,2} Nov 2026 "))).to_be_visible()
    j.page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="Français").click()
    expect(j.page.locator("h1")).to_have_text("Espace de travail")


FRENCH = [open_the_app_in_french, search_in_french, switch_to_english_and_keep_it]


# -- the tests ---------------------------------------------------------------------------------

def _hits(line: str) -> int:
    return int(re.match(r"[\d,\u202f ]+", line).group(0).replace(",", "").replace("\u202f", ""))


def test_journey_in_english(journey_for):
    j = journey_for("en-US")
    run(j, ENGLISH)
    assert j.done == [fn.__name__ for fn in ENGLISH]


def test_journey_in_french(journey_for):
    j = journey_for("fr-FR")
    run(j, FRENCH)
    assert j.done == [fn.__name__ for fn in FRENCH]
