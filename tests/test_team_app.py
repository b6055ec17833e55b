"""The app with a team: sign-in first, navigation built from the role, the Audit page, refusal
to serve other machines without accounts."""

from __future__ import annotations

import shutil

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from recoupe import audit, users
from recoupe.access import Actor
from recoupe.workspace import open_workspace

PASSWORD = "correct horse battery"
ADMIN = Actor("alice", "admin")


pytestmark = pytest.mark.usefixtures("quick_hashes")

@pytest.fixture(autouse=True)
def no_delay(monkeypatch):
    monkeypatch.setattr(users, "FAILURE_DELAY", 0)


@pytest.fixture
def team_ws(sample_ws, tmp_path, monkeypatch):
    root = tmp_path / "ws"
    shutil.copytree(sample_ws, root)
    with open_workspace(root) as ws:
        users.add(ws, Actor("local", "admin"), "alice", "admin", PASSWORD)
        for name, role in (("eve", "editor"), ("fred", "fact-checker"), ("rita", "reporter")):
            users.add(ws, ADMIN, name, role, PASSWORD)
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("RECOUPE_WORKSPACE", str(root))
    return root


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def reachable(at: AppTest) -> set[str]:
    """The pages of the navigation: AppTest lists them when asked for one it does not know."""
    with pytest.raises(ValueError) as caught:
        at.switch_page("pages/signin.py")  # a file that is never a page of the navigation
    known = str(caught.value).split("Known pages: ", 1)[1]
    return {p.rsplit("/", 1)[-1].strip("'[]. ") for p in known.split(",")}


def test_nothing_before_sign_in(team_ws):
    at = app().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in to Recoupe"]
    assert not at.dataframe and not at.metric          # nothing of the workspace shows
    with pytest.raises(ValueError):
        at.switch_page("pages/search.py")              # and no page is reachable
    sign_in(at, "rita", "not the password")
    assert [e.value for e in at.error] == ["Wrong name or password, or the account is disabled."]
    assert "person" not in at.session_state


@pytest.mark.parametrize("name, audit_page", [("rita", False), ("fred", False), ("eve", True),
                                              ("alice", True)])
def test_navigation_follows_the_role(team_ws, name, audit_page):
    at = sign_in(app().run(), name)
    assert not at.exception
    assert at.session_state["person"].name == name
    pages = reachable(at)
    assert {"overview.py", "search.py", "import_files.py", "item.py"} <= pages
    assert ("audit.py" in pages) is audit_page
    with open_workspace(team_ws) as ws:
        assert audit.entries(ws, action="signin")[0]["actor"] == name


def test_an_editor_reads_and_filters_the_audit_trail(team_ws):
    at = sign_in(app().run(), "eve")
    at.switch_page("pages/audit.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert {"user.add", "signin", "import"} <= set(table["Action"])
    at.selectbox[0].select("eve").run()  # who
    assert set(at.dataframe[0].value["Who"]) == {"eve"}
    labels = {b.label for b in at.button}
    assert not labels & {"Delete", "Edit"}             # the trail is read only
    # the library refuses the trail to a reporter, whatever the page shows
    with open_workspace(team_ws) as ws:
        with pytest.raises(Exception, match="rita is a reporter and may not read the audit"):
            audit.read(ws, Actor("rita", "reporter"))


def test_a_disabled_account_is_signed_out_at_its_next_click(team_ws):
    at = sign_in(app().run(), "rita")
    assert at.session_state["person"].role == "reporter"
    with open_workspace(team_ws) as ws:
        users.disable(ws, ADMIN, "rita")
    at.run()
    assert [t.value for t in at.title] == ["Sign in to Recoupe"]
    assert any("disabled" in w.value for w in at.warning)


def test_a_role_change_applies_at_the_next_click(team_ws):
    at = sign_in(app().run(), "rita")
    assert "audit.py" not in reachable(at)
    with open_workspace(team_ws) as ws:
        users.set_role(ws, ADMIN, "rita", "editor")
    at.run()
    assert "audit.py" in reachable(at)


def test_sign_out(team_ws):
    at = sign_in(app().run(), "fred")
    at.sidebar.button(key="signout").click().run()
    assert [t.value for t in at.title] == ["Sign in to Recoupe"]
    with open_workspace(team_ws) as ws:
        assert audit.entries(ws, action="signout")[0]["actor"] == "fred"


@pytest.fixture
def served_on():
    """Serve the app on an address (Streamlit's option, as `--server.address` sets it)."""
    previous = config.get_option("server.address")
    yield lambda address: config.set_option("server.address", address)
    config.set_option("server.address", previous)


@pytest.mark.parametrize("address", ["0.0.0.0", ""])
def test_refuses_other_machines_without_accounts(sample_ws, monkeypatch, served_on, address):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("RECOUPE_WORKSPACE", str(sample_ws))
    served_on(address)
    at = app().run()
    assert not at.exception
    [error] = at.error
    assert "where others can reach it" in error.value and "user add" in error.value
    assert not at.dataframe and not at.metric


def test_loopback_without_accounts_is_the_local_user(sample_ws, monkeypatch, served_on):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("RECOUPE_WORKSPACE", str(sample_ws))
    monkeypatch.setenv("RECOUPE_USER", "marie")
    served_on("127.0.0.1")
    at = app().run()
    assert not at.exception and at.metric                # the overview, without sign-in
    assert at.session_state["person"] == Actor("marie", "admin")


def test_with_accounts_other_machines_sign_in(team_ws, served_on):
    served_on("0.0.0.0")
    at = app().run()
    assert [t.value for t in at.title] == ["Sign in to Recoupe"]
    sign_in(at, "rita")
    assert at.session_state["person"] == Actor("rita", "reporter")
