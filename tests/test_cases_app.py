"""Cases from the command line and the Cases page; add-to-case from the item view."""

from __future__ import annotations

import contextlib
import io
import json
import shutil

import pypdf
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, run
from recoupe import audit, cases, i18n
from recoupe.cli import main
from recoupe.workspace import open_workspace


@pytest.fixture
def ws_copy(sample_ws, tmp_path):
    dest = tmp_path / "ws"
    shutil.copytree(sample_ws, dest)
    return dest


class Done:
    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def cli(*args) -> Done:
    """`python -m recoupe ARGS` in this process (the interpreter's start would cost more than
    the command); `run()` does it as a separate process where that matters."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:
                code = exc.code
    finally:
        i18n.use("en")
    return Done(code, out.getvalue(), err.getvalue())


def case_cmd(ws, *args, user="rita", check=True):
    proc = cli("case", *args, "--workspace", str(ws), "--user", user, "--json")
    if check:
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)
    return proc


def test_the_whole_work_scripted(ws_copy, tmp_path):
    case = case_cmd(ws_copy, "create", "Calendrier <b>de l'avent</b>", "--summary",
                    "Le réseau vend un calendrier", "--member", "sami")["case"]
    items = json.loads(cli("search", '"calendrier de l\'avent"', "--workspace",
                           str(ws_copy), "--json", "--limit", "2").stdout)["hits"]
    added = case_cmd(ws_copy, "add", str(case), *[str(h["id"]) for h in items],
                     "--note", "vu", "--tag", "calendar,noël")["evidence"]
    assert [a["item"] for a in added] == [h["id"] for h in items]
    claim = case_cmd(ws_copy, "claim", str(case), "The network offered an advent calendar",
                     "--item", str(items[0]["id"]), "--evidence", f"E{added[1]['evidence']}")
    assert sorted(claim["evidence"]) == [added[0]["evidence"], added[1]["evidence"]]
    case_cmd(ws_copy, "verdict", str(claim["claim"]), "corroborated", "--reason", "two relays",
             user="fred")
    case_cmd(ws_copy, "approve", str(case), user="eve")
    shown = case_cmd(ws_copy, "show", str(case))
    assert shown["approval"]["current"]["approved_by"] == "eve"
    assert shown["claims"][0]["verdict"] == "corroborated"
    assert [m["name"] for m in shown["members"]] == ["rita", "sami"]
    tagged = json.loads(cli("search", "tag:noel", "--workspace", str(ws_copy),
                            "--json").stdout)
    assert {h["id"] for h in tagged["hits"]} == {h["id"] for h in items}

    # a later claim withdraws the approval, and the command says so
    proc = cli("case", "claim", str(case), "Second claim", "--workspace",
               str(ws_copy), "--user", "rita")
    assert proc.returncode == 0
    assert "withdrawn: claim" in proc.stdout
    proc = cli("case", "show", str(case), "--workspace", str(ws_copy), "--lang", "fr")
    assert "Non validé : la validation donnée par eve" in proc.stdout

    out = tmp_path / "dossier.pdf"
    made = json.loads(run("recoupe", "dossier", "export", str(case), "--out", str(out),
                          "--redact", "--workspace", str(ws_copy), "--user", "eve", "--json",
                          check=True).stdout)
    reader = pypdf.PdfReader(str(out))
    assert len(reader.pages) == made["pages"] and made["redacted"] is True
    assert "REDACTED" in reader.pages[0].extract_text()


def test_refusals_are_one_line(ws_copy, tmp_path):
    case = case_cmd(ws_copy, "create", "Refusals")["case"]
    proc = case_cmd(ws_copy, "add", str(case), "99999999", check=False)
    assert proc.returncode == 1 and proc.stderr.strip() == \
        "error: There is no item 99999999 in this workspace."
    claim = case_cmd(ws_copy, "claim", str(case), "Unsupported")["claim"]
    proc = case_cmd(ws_copy, "verdict", str(claim), "corroborated", "--reason", "x", check=False)
    assert proc.returncode == 1 and "rests on no evidence" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = cli("case", "verdict", str(claim), "maybe", "--workspace", str(ws_copy))
    assert proc.returncode == 2  # argparse: not one of the verdicts
    proc = cli("dossier", "export", "1", "--out", str(tmp_path / "no" / "x.pdf"),
               "--workspace", str(ws_copy))
    assert proc.returncode == 1 and "does not exist" in proc.stderr


def test_roles_apply_once_the_workspace_has_accounts(ws_copy, tmp_path):
    case = case_cmd(ws_copy, "create", "Team")["case"]
    with open_workspace(ws_copy) as ws:  # accounts as `user add` (issue 9) will make them
        for name, role in (("rita", "reporter"), ("eve", "editor")):
            ws.con.execute("INSERT INTO users (name, role, created_at_utc, created_by) "
                           "VALUES (?, ?, now(), 'test')", [name, role])
    proc = case_cmd(ws_copy, "approve", str(case), check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip() == ("error: rita is a reporter and may not approve a dossier; "
                                   "ask an editor or an admin")
    proc = cli("dossier", "export", str(case), "--out", str(tmp_path / "x.pdf"),
               "--workspace", str(ws_copy), "--user", "rita")
    assert proc.returncode == 1 and "may not export a dossier" in proc.stderr
    assert not (tmp_path / "x.pdf").exists()
    proc = case_cmd(ws_copy, "add", str(case), "1", user="mallory", check=False)
    assert proc.returncode == 1 and "'mallory' is not an enabled account" in proc.stderr


@pytest.fixture
def app(ws_copy, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("RECOUPE_WORKSPACE", str(ws_copy))
    monkeypatch.setenv("RECOUPE_USER", "rita")
    # AppTest starts every run in the old multipage mode, where `through_app()` reruns the page
    # at once, and a rerun forgets the click that started the run: buttons could not be tested.
    # A real server leaves that mode on the first run (test_app covers it).
    import pages.common
    monkeypatch.setattr(pages.common, "through_app", lambda: None)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    return at


def submit(at, label: str):
    [button] = [b for b in at.button if b.label == label][:1]
    return button.click().run()


def test_cases_page_opens_a_case_and_walks_a_claim_to_approval(app, ws_copy):
    at = app.switch_page("pages/cases.py").run()
    assert not at.exception
    assert any("No case yet" in i.value for i in at.info)
    [title] = [t for t in at.text_input if t.label == "Title"]
    title.input("Calendrier <script>alert(1)</script>")
    at.text_area[0].input("Le réseau vend un calendrier")
    at = submit(at, "Open the case")
    assert not at.exception
    assert any("#1 Calendrier \\<script\\>" in h.value for h in at.subheader)
    with open_workspace(ws_copy) as ws:
        [case] = cases.list_cases(ws)
        item = cases.add_evidence(ws, cases_actor("rita"), case["id"], 5).id
    at.run()
    # a claim resting on the evidence
    new_claim = [t for t in at.text_area if t.label == "Statement"][-1]
    new_claim.input("The network offered a drug advent calendar")
    [rests] = [m for m in at.multiselect if m.label == "Rests on"][-1:]
    rests.select(item)
    at = submit(at, "Add the claim")
    assert any("Claim added." in s.value for s in at.success)
    # rita acts as a local admin (no accounts): she may give the verdict and approve
    [reason] = [t for t in at.text_input if t.label == "Why"][:1]
    reason.input("three channels")
    at.radio(key=f"v-{claim_id(ws_copy)}-en").set_value("corroborated")
    at = submit(at, "Give the verdict")
    assert any("Verdict recorded." in s.value for s in at.success)
    at = submit(at, "Approve the dossier")
    assert any("Approved by rita" in s.value for s in at.success)
    with open_workspace(ws_copy) as ws:
        actions = [e["action"] for e in audit.entries(ws, case_id=case["id"])]
    assert actions[:3] == ["dossier.approve", "claim.verdict", "claim.create"]
    at = submit(at, "Prepare the PDF dossier")
    assert not at.exception
    assert any(b.label.startswith("Download the dossier") for b in at.get("download_button"))


def cases_actor(name):
    from recoupe.access import Actor
    return Actor(name, "admin")


def claim_id(ws_path) -> int:
    with open_workspace(ws_path) as ws:
        return cases.claims_of(ws, cases.list_cases(ws)[0]["id"])[0]["id"]


def test_item_view_adds_its_item_to_a_new_case(app, ws_copy):
    at = app
    at.query_params["id"] = "7"
    at = at.switch_page("pages/item.py").run()
    assert not at.exception
    at.text_input(key="title-item").input("From the item view")
    at.text_area(key="note-item").input("seen on <b>Telegram</b>")
    at.text_input(key="tags-item").input("calendar")
    at.selectbox(key="case-item-en").set_value(-1)
    at = submit(at, "Add item 7")
    assert not at.exception
    assert any("Item 7 is evidence" in s.value for s in at.success)
    with open_workspace(ws_copy) as ws:
        [case] = cases.list_cases(ws)
        [evidence] = cases.evidence_of(ws, case["id"])
    assert case["title"] == "From the item view" and case["owner"] == "rita"
    assert evidence["item_id"] == 7 and evidence["note"] == "seen on <b>Telegram</b>"
    assert evidence["tags"] == ["calendar"] and evidence["added_by"] == "rita"
