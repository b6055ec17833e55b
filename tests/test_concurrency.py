"""Several people at once, and an import killed halfway.

The app's sessions are threads of one process, each page run opening its own connection to the
workspace; these tests do the same with real threads on a real workspace. The killed import is a
real `python -m ingest` in a subprocess, killed with SIGKILL while it stores a large file.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REAL, ROOT, SAMPLES
from recoupe import audit, cases, users
from recoupe.access import Actor, Forbidden
from recoupe.imports import import_paths
from recoupe.saved import of_owner, save
from recoupe.search import search
from recoupe.workspace import WriteConflict, open_workspace

sys.path.insert(0, str(ROOT / "bench"))
from synth import write_export  # noqa: E402

ADMIN = Actor("alice", "admin")
NEW_FILE = REAL / "telegram-json" / "tkonverter_result.json"  # not in the sample workspace


pytestmark = pytest.mark.usefixtures("quick_hashes")

@pytest.fixture
def ws_copy(sample_ws, tmp_path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(sample_ws, root)
    return root


def _run_together(jobs) -> list[BaseException]:
    """Start every job on its own thread at the same moment; the errors they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(len(jobs))

    def wrap(job):
        try:
            start.wait()
            job()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=wrap, args=(j,)) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return errors


def test_sessions_write_at_once_and_no_write_is_lost(ws_copy):
    """Two reporters add evidence with tags and write claims in one case, tagging the same piece
    of evidence too; four people save searches; an admin adds accounts: each change a page run of
    its own (its own connection), all at once, while a fifth imports a WhatsApp export and two
    more search. Every write is there afterwards; the searches never failed; the import's items
    are found once it is done."""
    people = ["leila", "marc", "nina", "omar"]
    rounds = 12
    found_during: list[int] = []
    with open_workspace(ws_copy) as ws:
        case = cases.create_case(ws, ADMIN, "Calendrier de l'avent")
        posts = [r[0] for r in ws.con.execute(
            "SELECT id FROM items WHERE kind = 'post' ORDER BY id LIMIT 40").fetchall()]
        shared = cases.add_evidence(ws, ADMIN, case, posts[-1]).id

    def reporter(name, items):
        actor = Actor(name, "reporter")

        def job():
            for i, item in enumerate(items):
                with open_workspace(ws_copy) as ws:
                    ev = cases.add_evidence(ws, actor, case, item, note=f"{name} {i}",
                                            tags=[f"{name}-{i}"]).id
                with open_workspace(ws_copy) as ws:
                    cases.add_claim(ws, actor, case, f"{name} claims {i}", evidence=[ev])
                with open_workspace(ws_copy) as ws:  # both tag one piece of evidence
                    cases.add_evidence(ws, actor, case, posts[-1], tags=[f"{name}-shared-{i}"])
        return job

    def saver(person):
        def job():
            for i in range(rounds):
                with open_workspace(ws_copy) as ws:
                    save(ws, person, f"s{i}", "calendrier", {})
        return job

    def admin():
        with open_workspace(ws_copy) as ws:
            users.add(ws, Actor("local", "admin"), "alice", "admin", "correct horse battery")
        for i in range(rounds):
            with open_workspace(ws_copy) as ws:
                users.add(ws, ADMIN, f"reporter{i}", "reporter", "correct horse battery")

    def importer():
        with open_workspace(ws_copy) as ws:
            [r] = import_paths(ws, [SAMPLES.parent / "whatsapp"], actor=ADMIN, command="app")
        assert r.status == "ingested", r.reason

    def searcher():
        for _ in range(rounds):
            with open_workspace(ws_copy) as ws:
                found_during.append(search(ws, "aubagne", limit=1, facets=False).total)

    errors = _run_together([saver(p) for p in people] + [
        admin, importer, searcher, searcher,
        reporter("rita", posts[:rounds]), reporter("remi", posts[rounds:2 * rounds])])
    assert not errors, errors
    with open_workspace(ws_copy) as ws:
        for p in people:
            assert sorted(s["name"] for s in of_owner(ws, p)) == sorted(f"s{i}" for i in
                                                                        range(rounds))
        assert len(users.accounts(ws)) == rounds + 1
        assert len(audit.entries(ws, action="user.add")) == rounds + 1
        whatsapp = search(ws, "platform:whatsapp", limit=1, facets=False).total
        assert whatsapp > 0                      # the import's items, searchable once it ended
        assert len(found_during) == 2 * rounds and min(found_during) > 0
        claims = {c["statement"] for c in cases.claims_of(ws, case)}
        assert claims == {f"{n} claims {i}" for n in ("rita", "remi") for i in range(rounds)}
        evidence = {e["id"]: e for e in cases.evidence_of(ws, case)}
        assert len(evidence) == 2 * rounds + 1
        assert set(evidence[shared]["tags"]) == {f"{n}-shared-{i}" for n in ("rita", "remi")
                                                 for i in range(rounds)}
        assert len(audit.entries(ws, action="claim.create", case_id=case)) == 2 * rounds
        # and the index, updated by the import and by every tag change, has every tag
        for name in ("rita", "remi"):
            assert search(ws, f"tag:{name}-shared-{rounds - 1}", limit=1, facets=False).total == 1
            assert search(ws, f"tag:{name}-0", limit=1, facets=False).total == 1


def test_a_reporter_is_refused_an_approval(ws_copy):
    """Whatever a page shows, the library refuses a reporter the editor's approval (and a
    fact-checker too); an editor may approve."""
    with open_workspace(ws_copy) as ws:
        rita = Actor("rita", "reporter")
        case = cases.create_case(ws, rita, "Drive du 13")
        claim = cases.add_claim(ws, rita, case, "The network sold a drug advent calendar").id
        cases.give_verdict(ws, Actor("fred", "fact-checker"), claim, "disputed",
                           "one channel only")
        for who in (Actor("rita", "reporter"), Actor("fred", "fact-checker")):
            with pytest.raises(Forbidden, match="may not approve a dossier"):
                cases.approve(ws, who, case)
        assert cases.approval_state(ws, case)["current"] is None
        cases.approve(ws, Actor("eve", "editor"), case)
        assert cases.approval_state(ws, case)["current"]["approved_by"] == "eve"


def test_a_conflict_is_a_sentence_and_keeps_nothing(ws_copy):
    """Two connections changing one row at once: DuckDB refuses the second; the person is told to
    try again and nothing of that change is kept (here the other side holds a bulk transaction,
    the only kind that runs beside the short ones)."""
    with open_workspace(ws_copy) as a, open_workspace(ws_copy) as b:
        users.add(a, Actor("local", "admin"), "alice", "admin", "correct horse battery")
        users.add(a, ADMIN, "bob", "reporter", "correct horse battery")
        with a.transaction(bulk=True):
            a.q("users.set_role", {"name": "bob", "role": "editor"})
            with pytest.raises(WriteConflict, match="try again"):
                users.set_role(b, ADMIN, "bob", "fact-checker")
        assert {u["name"]: u["role"] for u in users.accounts(b)}["bob"] == "editor"  # not the
        assert not audit.entries(b, action="user.role")                           # refused one


def _snapshot(root: Path) -> dict:
    """What the store holds, table by table, with a checksum of the items' content."""
    with open_workspace(root) as ws:
        con = ws.con
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("source_files", "chats", "items", "item_versions", "item_sources",
                            "entities")}
        counts["items_hash"] = con.execute(
            "SELECT sum(hash(id, text, chat_id, posted_at_utc)) FROM items").fetchone()[0]
        counts["hits"] = search(ws, "calendrier", limit=1, facets=False).total
    return counts


def _kill_while_storing(cmd: list[str], ws: Path, big_size: int) -> None:
    """Start `cmd`, wait until it has copied the big file and its transaction is writing into
    the store (the database file or its log grows), then SIGKILL it."""
    def written() -> int:
        return sum(f.stat().st_size for f in (ws / "recoupe.duckdb", ws / "recoupe.duckdb.wal")
                   if f.exists())

    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    copied_at = None
    try:
        while time.monotonic() < deadline:
            assert proc.poll() is None, "the import ended before it could be killed: " + \
                proc.stderr.read().decode()[-500:]
            if copied_at is None:
                copies = list((ws / "sources").glob(".incoming-*"))
                if any(c.exists() and c.stat().st_size == big_size for c in copies):
                    copied_at, base = time.monotonic(), written()
            elif written() > base + (1 << 18) or time.monotonic() > copied_at + 1:
                break
            time.sleep(0.02)
        else:
            raise AssertionError("the import never reached the store")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)


def test_a_killed_import_leaves_the_workspace_as_it_was(ws_copy, tmp_path):
    """`python -m ingest` given a small export and a large one, killed while it stores the large
    one. What "as it was" means (recoupe/recovery.py): each file is one transaction, so the
    large file left nothing at all, and the small one, finished before the kill, is there whole.
    The workspace opens; the next import clears the temporary copy, records the run as
    interrupted, and brings the search index up to date with the small file's posts."""
    big = tmp_path / "big" / "result.json"
    big.parent.mkdir()
    size = write_export(big, 150_000)
    big_sha = _sha(big)
    before = _snapshot(ws_copy)
    small = NEW_FILE
    _kill_while_storing([sys.executable, "-m", "ingest", str(small), str(big), "--workspace",
                         str(ws_copy), "--user", "rita", "--no-extract"], ws_copy, size)

    after = _snapshot(ws_copy)  # the workspace opens, and the store is consistent
    with open_workspace(ws_copy) as ws:
        assert search(ws, '"Base text with entities"', limit=1, facets=False).total == 0
        sources = {r[0] for r in ws.con.execute("SELECT sha256 FROM source_files").fetchall()}
        bench_chat = ws.con.execute("SELECT count(*) FROM chats WHERE name = "
                                    "'Bench Channel 🎄'").fetchone()[0]
        [run] = ws.rows("audit.unfinished_runs")
        [entry] = audit.entries(ws, action="import", actor="rita")
    assert bench_chat == 0                                        # nothing of the big file
    assert len(sources) == 1 + before["source_files"] == after["source_files"]  # the small one
    assert after["items"] > before["items"] and after["hits"] == before["hits"]
    assert entry["detail"]["file"] == "tkonverter_result.json" and entry["actor"] == "rita"
    assert run["files_stored"] == 1
    # The kill left the temporary copy (or, killed in the instant between placing the
    # evidentiary copy and the commit, that copy under its SHA-256, which nothing refers to and
    # a later import of the same file reuses).
    incoming = list((ws_copy / "sources").glob(".incoming-*"))
    assert incoming or (ws_copy / "sources" / big_sha).exists()

    # The next import, of nothing new, tidies up and catches up.
    again = subprocess.run([sys.executable, "-m", "ingest", str(small), "--workspace",
                            str(ws_copy), "--user", "rita"], cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "unchanged" in again.stdout
    assert not list((ws_copy / "sources").glob(".incoming-*"))      # removed by the recovery
    with open_workspace(ws_copy) as ws:
        [interrupted] = audit.entries(ws, action="import.interrupted")
        assert interrupted["object_id"] == str(run["id"]) and interrupted["actor"] == "rita"
        assert not ws.rows("audit.unfinished_runs")
        # the small file's posts were stored before the kill but never indexed: now they are
        assert search(ws, '"Base text with entities"', limit=1, facets=False).total == 1


def test_the_command_line_says_what_to_do_when_the_app_holds_the_workspace(ws_copy):
    """A process holding the workspace (the app during a page run): the import waits a moment,
    then says in one line what to do, and changes nothing."""
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; sys.path.insert(0, '.');"
        "from recoupe.workspace import open_workspace;"
        f"ws = open_workspace({str(ws_copy)!r}); print('open', flush=True); time.sleep(60)")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        p = subprocess.run([sys.executable, "-m", "ingest", str(NEW_FILE),
                            "--workspace", str(ws_copy)], cwd=ROOT, capture_output=True,
                           text=True, timeout=120, env={**os.environ, "RECOUPE_USER": "rita"})
    finally:
        holder.kill()
        holder.wait()
    assert p.returncode == 1
    [line] = p.stderr.strip().splitlines()
    assert "in use by another program" in line and "import from its Import page" in line
    with open_workspace(ws_copy) as ws:
        assert not ws.one("ingest.source_by_sha", {"sha256": _sha(NEW_FILE)})


def _sha(path: Path) -> str:
    import hashlib
    return hashlib.sha256(path.read_bytes()).hexdigest()
