"""The reporter's journey, end to end, in a real browser (headless Chromium driven by Playwright).

The app is started as `make run` starts it (`streamlit run app.py`), on a copy of the sample
workspace with accounts made by `python -m recoupe user add`, and a browser goes through what a
newsroom does with it: sign in as a reporter, import a WhatsApp export and a screenshot from the
Import page, search with a filter, open an item and the posts around it, put it in a new case, add
a search hit to the case, open that advert's near-duplicate cluster and add a relay's copy from
there, write a claim resting on that evidence, sign out and in again as a fact-checker to give it
a verdict, then as an editor to approve the dossier, download the PDF and read it back (claim,
verdict, approval, the evidence's SHA-256 and copies). One pass is in English (a browser that
asks for en-US), one in French (fr-FR).

Each step is a function, listed in `ENGLISH` or `FRENCH` in the order they run; a step adds what
later ones need to `Journey.seen`. When a step fails, a screenshot of the page is saved under the
test's tmp folder and in tests/journey-artifacts/ (git-ignored), and its path is printed;
`RECOUPE_JOURNEY_SHOTS=1` keeps one after every step. `RECOUPE_UPDATE_DOCS=1` (`make docs`) also
writes the README's pictures: docs/search.png from the search step, docs/dossier.png (the first
page of evidence of the downloaded PDF, with pdftoppm).

Needs Debian's `chromium` (scripts/system-packages.sh installs it) and the `playwright` package;
no browser is downloaded.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
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

pypdf = pytest.importorskip("pypdf")

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
MAIN_CHANNEL = "Le Drive du 13 🎄"
RELAYS = ("Bons Plans 13 🔥", "Marius Delivery 🛵", "Drive 13 Secours 🆘")  # repost its ads
COPIES = r"(\d+) copies in (\d+) chats"   # a search hit's badge: its near-duplicate cluster
CASE_TITLE = "Drive 13: the advent calendar of December 2026"
CLAIM = ("The Drive du 13 network sold drugs through an advent calendar in December 2026 and "
         "took orders over WhatsApp")
# The people of the journey, each an account of the workspace with a role: who gathers the
# evidence and writes the claim, who checks it, who approves the dossier (and a reporter for the
# French pass, whose language choice is kept in her own account).
REPORTER, FACT_CHECKER, EDITOR, FRENCH_REPORTER = "leila", "bastien", "amelie", "chloe"
ACCOUNTS = {"admin": "admin", REPORTER: "reporter", FACT_CHECKER: "fact-checker",
            EDITOR: "editor", FRENCH_REPORTER: "reporter"}
PASSWORD = secrets.token_urlsafe(12)  # one for all, made for this run
SIGN_IN = {"en-US": ("Sign in to Recoupe", "Name", "Password", "Sign in", "Sign out"),
           "fr-FR": ("Connexion à Recoupe", "Nom", "Mot de passe", "Se connecter",
                     "Se déconnecter")}
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


def add_accounts(ws: Path) -> None:
    """The journey's accounts, made as an admin makes them: with the command line, the password
    on standard input (the first account, an admin's, then the others by that admin)."""
    for name, role in ACCOUNTS.items():
        done = subprocess.run(
            [sys.executable, "-m", "recoupe", "user", "add", name, "--role", role,
             "--password-stdin", "--workspace", str(ws)]
            + ([] if name == "admin" else ["--as", "admin"]),
            input=PASSWORD + "\n", text=True, capture_output=True, cwd=ROOT,
            env={**os.environ, "RECOUPE_LANG": "en"})
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"account {name} added as {role}", done.stdout


@pytest.fixture(scope="session")
def app_url(sample_ws, tmp_path_factory):
    """The app on a copy of the sample workspace (the journey imports into it) with the
    journey's accounts, on a free port; stopped at the end of the session."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # what is there is from this run's failures
    ws = tmp_path_factory.mktemp("journey") / "ws"
    shutil.copytree(sample_ws, ws)
    add_accounts(ws)
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

    def sidebar(self):
        return self.page.locator('[data-testid="stSidebar"]')

    def sign_in(self, name: str) -> None:
        """On the sign-in page (the only page before it), sign in as `name`; the sidebar then
        says who is signed in, with the account's role."""
        title, name_label, password_label, button, _out = SIGN_IN[self.locale]
        expect(self.page.locator("h1")).to_have_text(title)
        self.settle()
        form = self.main().locator('[data-testid="stForm"]')
        form.get_by_label(name_label, exact=True).fill(name)
        form.get_by_label(password_label, exact=True).fill(PASSWORD)
        form.get_by_role("button", name=button, exact=True).click()
        expect(self.page.locator("h1")).not_to_have_text(title)
        self.settle()
        expect(self.sidebar().get_by_text(re.compile(rf"^(Signed in as|Connecté en tant que) "
                                                     rf"{name} \("))).to_be_visible()

    def act_as(self, name: str) -> None:
        """Sign out, sign in as `name`, and come back to the Cases page."""
        self.sidebar().get_by_role("button", name=SIGN_IN[self.locale][4]).click()
        self.sign_in(name)
        expect(self.sidebar().get_by_text(
            f"Signed in as {name} ({ACCOUNTS[name]})", exact=True)).to_be_visible()
        self.nav("Cases")

    def add_to_case(self, near, item: int, case: str, note: str = "", tags: str = ""):
        """Open the "Add to a case" popover drawn in `near` and add `item` to the case named
        `case` (a new one when no case has that title yet); the popover, with its answer."""
        near.get_by_role("button", name="Add to a case").click()
        popover = self.page.locator('[data-testid="stPopoverBody"]')
        expect(popover).to_be_visible()
        chooser = popover.locator('[data-testid="stSelectbox"]')
        chooser.click()
        existing = self.page.get_by_role("option", name=re.compile(
            r"^#\d+ " + re.escape(case) + "$"))
        if existing.count():
            existing.click()
        else:
            self.page.get_by_role("option", name="New case…").click()
            popover.get_by_label("Title of the new case").fill(case)
        popover.get_by_label("Your note").fill(note)
        popover.get_by_label("Tags (comma-separated)").fill(tags)
        popover.get_by_role("button", name=f"Add item {item}", exact=True).click()
        expect(popover.get_by_text(re.compile(rf"^Item {item} is evidence E\d+ of case \d+\.$"))
               ).to_be_visible()
        self.settle()
        return popover

    @contextmanager
    def step(self, name: str):
        """Run one step; on failure, keep a screenshot of the page and say where it is (with
        RECOUPE_JOURNEY_SHOTS=1, every step's, to look at the journey)."""
        try:
            yield
        except BaseException:
            shot = self.screenshot(name)
            print(f"\nstep '{name}' failed; " + (f"screenshot: {shot} (and {ARTIFACTS / shot.name})"
                                                 if shot else "no screenshot"), file=sys.stderr)
            raise
        if os.environ.get("RECOUPE_JOURNEY_SHOTS"):
            self.screenshot(name)
        self.done.append(name)

    def screenshot(self, name: str) -> Path | None:
        """The whole page as a PNG in the test's tmp folder and in tests/journey-artifacts/."""
        self.shots.mkdir(parents=True, exist_ok=True)
        shot = self.shots / f"{self.locale}-{len(self.done) + 1:02d}-{name}.png"
        try:
            self.page.screenshot(path=str(shot), full_page=True)
            ARTIFACTS.mkdir(exist_ok=True)
            shutil.copy(shot, ARTIFACTS / shot.name)
        except Exception as exc:  # noqa: BLE001 (a step's own failure matters more)
            print(f"\nno screenshot of '{name}' ({exc})", file=sys.stderr)
            return None
        return shot

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
    """The workspace has accounts: the app opens on the sign-in page, in the browser's language.
    The reporter signs in; the overview opens on the sample workspace, and the navigation holds
    the pages a reporter may use (not the audit trail, which is for editors)."""
    j.page.goto(j.url)
    nav = j.page.locator('[data-testid="stSidebarNav"]')
    expect(j.page.locator("h1")).to_have_text("Sign in to Recoupe")
    expect(nav.get_by_text("Search", exact=True)).to_have_count(0)  # no page before sign-in
    j.sign_in(REPORTER)
    expect(j.page.locator("h1")).to_have_text("Workspace")
    expect(j.sidebar().get_by_text(f"Signed in as {REPORTER} (reporter)", exact=True)
           ).to_be_visible()
    expect(j.metric("Source files")).to_be_visible()
    expect(j.main().get_by_text(re.compile(r"^Posts from \d{1,2} [A-Z][a-z]{2} 2026 \d\d:\d\d to "))
           ).to_be_visible()
    expect(j.sidebar().get_by_text("Language")).to_be_visible()
    for title in ("Search", "Import", "Duplicates", "Cases"):
        expect(nav.get_by_text(title, exact=True)).to_be_visible()
    expect(nav.get_by_text("Audit trail", exact=True)).to_have_count(0)


def see_that_there_is_no_case_yet(j: Journey) -> None:
    """The Cases page, with no case yet, says how to open one."""
    j.nav("Cases")
    expect(j.main().get_by_text(re.compile(r"^No case yet\. Open one on the left"))
           ).to_be_visible()


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


def add_the_item_to_a_new_case(j: Journey) -> None:
    """From the item view, the WhatsApp message goes into a new case, with a note and tags; the
    item then says which case holds it."""
    main = j.main()
    item = int(re.search(r"id=(\d+)$", j.page.url).group(1))
    popover = j.add_to_case(main, item, CASE_TITLE, note="Order placed in the WhatsApp chat",
                            tags="whatsapp, order")
    said = popover.get_by_text(re.compile(rf"^Item {item} is evidence E\d+ of case \d+\.$"))
    j.seen["case"] = int(re.search(r"of case (\d+)", said.inner_text()).group(1))
    j.seen["evidence"] = [item]
    j.page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    # the item view, drawn again, says which case holds it
    main.get_by_role("button", name="Next →").click()
    j.settle()
    main.get_by_role("button", name="← Previous").click()
    j.settle()
    expect(main.get_by_role("link", name=re.compile(
        rf"^Evidence E\d+ of case {j.seen['case']}: " + re.escape(CASE_TITLE)))).to_be_visible()


def add_search_hits_to_the_case(j: Journey) -> None:
    """A calendar advert of the main channel, found with the search and its Chat filter, joins
    the same case from the search results: the one the relays copied most (its badge says in
    how many chats)."""
    j.nav("Search")
    main = j.main()
    j.search("Search", "calendrier avent", r"^\d[\d,]* hits? · \d[\d,]* ms$")
    chat_filter = main.locator('[data-testid="stMultiSelect"]').filter(has_text="Chat")
    chat_filter.click()
    j.page.get_by_role("option", name=re.compile(re.escape(MAIN_CHANNEL) + r" \(\d+\)")).click()
    j.page.keyboard.press("Escape")
    j.settle()
    links = main.get_by_role("link", name=re.compile(r"^Open item \d+$"))
    expect(links.first).to_be_visible()
    # the hit whose advert spread to the most chats (the first of those)
    spread = {}
    for link in links.all():
        badge = j.block_of(link).get_by_role("link", name=re.compile(COPIES))
        if badge.count():
            spread[link.inner_text()] = int(re.search(COPIES, badge.inner_text()).group(2))
    widest = max(spread.values(), default=0)
    assert widest >= 3, spread  # the main channel and at least two relays
    hit = j.block_of(main.get_by_role("link", name=next(
        name for name, chats in spread.items() if chats == widest), exact=True))
    expect(hit).to_contain_text(MAIN_CHANNEL)
    expect(hit).to_contain_text(re.compile("calendrier", re.I))
    item = int(re.search(r"\d+", hit.get_by_role(
        "link", name=re.compile(r"^Open item \d+$")).inner_text()).group(0))
    popover = j.add_to_case(hit, item, CASE_TITLE, note="The calendar advertised",
                            tags="calendar")
    expect(popover.get_by_text(f"of case {j.seen['case']}.")).to_be_visible()
    j.seen["evidence"].append(item)
    j.page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    badge = hit.get_by_role("link", name=re.compile(COPIES))
    copies, chats = map(int, re.search(COPIES, badge.inner_text()).groups())
    assert copies >= chats == widest
    j.seen["advert"], j.seen["copies"], j.seen["chats"] = item, copies, chats


def open_a_duplicate_cluster(j: Journey) -> None:
    """The badge opens the advert's cluster on the Duplicates page: posted first in the main
    channel, then copied in the relay chats; a relay's copy joins the case from there."""
    main = j.main()
    hit = j.block_of(main.get_by_role("link", name=f"Open item {j.seen['advert']}", exact=True))
    hit.get_by_role("link", name=re.compile(COPIES)).click()
    expect(j.page.locator("h1")).to_have_text("Duplicates")
    j.settle()
    expect(j.page).to_have_url(re.compile(r"cluster=\d+$"))
    j.seen["cluster"] = int(re.search(r"cluster=(\d+)$", j.page.url).group(1))
    expect(main.get_by_role("heading", name=(
        f"Cluster {j.seen['cluster']}: {j.seen['copies']} copies in {j.seen['chats']} chats"),
        exact=True)).to_be_visible()
    expect(main.get_by_text(re.compile(rf"^Posted first in {re.escape(MAIN_CHANNEL)} on "))
           ).to_be_visible()
    expect(main.get_by_role("link", name=f"Open item {j.seen['advert']}", exact=True)
           ).to_be_visible()
    # each copy after the first: "chat · when · item N", with what it changed
    heads = main.get_by_text(re.compile(
        r"^.+ · \d{1,2} [A-Z][a-z]{2} 2026 \d\d:\d\d · item \d+$"))
    expect(heads).to_have_count(j.seen["copies"] - 1)
    seen = {h.split(" · ")[0] for h in heads.all_inner_texts()}
    relays = seen & set(RELAYS)
    assert len(relays) == j.seen["chats"] - 1, seen  # every other chat is a relay
    relay = sorted(relays)[0]
    head = heads.filter(has_text=relay).first
    item = int(re.search(r"item (\d+)$", head.inner_text()).group(1))
    copy = j.block_of(head)
    popover = j.add_to_case(copy, item, CASE_TITLE, note=f"The copy in {relay}",
                            tags="calendar, relay")
    j.seen["evidence"].append(item)
    j.seen["relay"] = relay
    # the answer links to the case: the Cases page opens on it
    popover.get_by_role("link", name=f"Open case {j.seen['case']}", exact=True).click()
    expect(j.page.locator("h1")).to_have_text("Cases")
    j.settle()


def write_a_claim(j: Journey) -> None:
    """On the Cases page the case lists its evidence; a claim is written resting on every
    piece, and waits for a verdict."""
    main = j.main()
    expect(main.get_by_role("heading", name=f"#{j.seen['case']} {CASE_TITLE}")).to_be_visible()
    main.get_by_role("tab", name=f"Evidence ({len(j.seen['evidence'])})").click()
    for item in j.seen["evidence"]:
        expect(main.get_by_role("link", name=f"Open item {item}", exact=True)).to_be_visible()
    main.get_by_role("tab", name=re.compile(r"^Claims \(0\)$")).click()
    form = main.locator('[data-testid="stForm"]').filter(has_text="New claim")
    form.get_by_label("Statement").fill(CLAIM)
    form.locator('[data-testid="stMultiSelect"]').click()
    for item in j.seen["evidence"]:
        j.page.get_by_role("option", name=re.compile(rf"^E\d+ · item {item} · ")).click()
    j.page.keyboard.press("Escape")
    form.get_by_role("button", name="Add the claim").click()
    expect(main.get_by_text("Claim added.")).to_be_visible()
    j.settle()
    claim = j.block_of(main.get_by_text(CLAIM, exact=True).first)
    expect(claim).to_contain_text("unverified")
    expect(claim.get_by_role("button", name="Give the verdict")).to_have_count(0)  # a reporter
    rests = claim.get_by_text(re.compile(r"^Rests on: "))
    for item in j.seen["evidence"]:
        expect(rests).to_contain_text(f"item {item}")
    expect(main.get_by_text("Not approved yet: 1 of 1 claims wait for a verdict.")
           ).to_be_visible()


def give_the_verdict_as_a_fact_checker(j: Journey) -> None:
    """The fact-checker corroborates the claim, saying why; the claim shows who and why."""
    j.act_as(FACT_CHECKER)
    main = j.main()
    claim = j.block_of(main.get_by_text(CLAIM, exact=True).first)
    claim.get_by_role("radiogroup", name="Verdict").get_by_text("corroborated", exact=True).click()
    why = "The calendar adverts and the order in the WhatsApp chat match"
    claim.get_by_label("Why").fill(why)
    claim.get_by_role("button", name="Give the verdict").click()
    expect(main.get_by_text("Verdict recorded.")).to_be_visible()
    j.settle()
    claim = j.block_of(main.get_by_text(CLAIM, exact=True).first)
    expect(claim).to_contain_text("corroborated")
    expect(claim.get_by_text(re.compile(rf"^{FACT_CHECKER} on .*: {why}$"))).to_be_visible()
    # approving is an editor's
    main.get_by_role("tab", name="Approval and dossier").click()
    expect(main.get_by_text("Editors approve the dossier once a fact-checker has given every "
                            "claim its verdict.")).to_be_visible()
    expect(main.get_by_role("button", name="Approve the dossier")).to_have_count(0)


def approve_as_an_editor(j: Journey) -> None:
    """Every claim has its verdict: the editor approves the dossier, with a note."""
    j.act_as(EDITOR)
    main = j.main()
    main.get_by_role("tab", name="Approval and dossier").click()
    main.get_by_label("Note with the approval").fill("Checked with the desk")
    main.get_by_role("button", name="Approve the dossier").click()
    expect(main.get_by_text("Dossier approved.")).to_be_visible()
    j.settle()
    expect(main.get_by_text(re.compile(rf"^Approved by {EDITOR} on "))).to_be_visible()


def download_the_pdf(j: Journey) -> None:
    """The dossier is prepared and downloaded; the file is a PDF whose SHA-256 is the one the
    page gives, and it holds the claim, its verdict, the approval and the WhatsApp export's
    SHA-256 (the evidence's source file, hashed here from the sample)."""
    main = j.main()
    main.get_by_role("tab", name="Approval and dossier").click()
    main.get_by_role("button", name="Prepare the PDF dossier").click()
    button = main.get_by_role("button", name=re.compile(r"^Download the dossier \(\d+ pages\)$"))
    expect(button).to_be_visible(timeout=60_000)
    pages = int(re.search(r"\d+", button.inner_text()).group(0))
    given = re.search(r"[0-9a-f]{64}", main.get_by_text(
        re.compile(r"^SHA-256 of this PDF: ")).inner_text()).group(0)
    with j.page.expect_download() as download:
        button.click()
    name = download.value.suggested_filename
    assert name == f"recoupe-case-{j.seen['case']}.pdf"
    path = j.shots.parent / name
    download.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == given
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == pages
    text = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    everything = " ".join(text)
    assert f"APPROVED by {EDITOR} on " in text[0]         # the cover
    assert "Note: Checked with the desk" in text[0]
    assert CASE_TITLE in text[0]
    assert f"Generated by {EDITOR}" in text[0] and f"Owner {REPORTER}" in text[0]
    assert CLAIM in everything
    assert "Claim 1 · CORROBORATED" in everything
    assert f"Verdict given by {FACT_CHECKER} on " in everything
    assert hashlib.sha256(WHATSAPP.read_bytes()).hexdigest() in everything
    for item in j.seen["evidence"]:
        assert re.search(rf"\bitem {item}\b", everything, re.I), item
    # the advert's copies, as the Duplicates page counted them, and the relay's copy
    assert (f"Cluster {j.seen['cluster']}: {j.seen['copies']} copies in {j.seen['chats']} "
            f"chats; the first was posted ") in everything
    assert j.seen["relay"] in everything
    evidence = next(i for i, t in enumerate(text) if t.startswith("Evidence Evidence E1 "))
    added = re.findall(r"Added to the case \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \w+ "
                       rf"\(Europe/Paris\) · (\w+)", everything)
    assert added == [REPORTER] * len(j.seen["evidence"])
    j.seen["pdf"] = path
    if os.environ.get("RECOUPE_UPDATE_DOCS"):  # the README's picture of a dossier page
        _page_as_png(path, evidence + 1, DOCS / "dossier.png")


ENGLISH = [open_the_app, see_that_there_is_no_case_yet,
           import_a_whatsapp_export_and_a_screenshot, search_with_a_filter,
           open_an_item_and_its_context, add_the_item_to_a_new_case, see_the_screenshot,
           add_search_hits_to_the_case, open_a_duplicate_cluster, write_a_claim,
           give_the_verdict_as_a_fact_checker, approve_as_an_editor, download_the_pdf]


# -- the steps, in French ---------------------------------------------------------------------

def open_the_app_in_french(j: Journey) -> None:
    """A browser that asks for French gets the sign-in page and then the app in French, dates
    and numbers included."""
    j.page.goto(j.url)
    expect(j.page.locator("h1")).to_have_text("Connexion à Recoupe")
    j.sign_in(FRENCH_REPORTER)
    expect(j.page.locator("h1")).to_have_text("Espace de travail")
    expect(j.sidebar().get_by_text(f"Connecté en tant que {FRENCH_REPORTER} (journaliste)",
                                   exact=True)).to_be_visible()
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

def _page_as_png(pdf: Path, page: int, png: Path) -> None:
    """Page `page` of a PDF as a PNG (poppler's pdftoppm, scripts/system-packages.sh)."""
    png.parent.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(png.with_suffix(""))], check=True)


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
