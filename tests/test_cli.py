"""The command lines as a person meets them: exit codes, one-line errors, output shapes."""

from __future__ import annotations

import csv
import io
import json

import duckdb

from conftest import SAMPLES, message, ndjson, run, telegram_export, write_json


def test_ingest_json_output_shape_and_exit_code(tmp_path):
    f = write_json(tmp_path / "r.json", telegram_export([message(1, "a"), message(2, "b")]))
    proc = run("ingest", str(f), "--workspace", str(tmp_path / "ws"), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    [entry] = out["files"]
    assert set(entry) == {"path", "format", "sha256", "status", "reason", "items_new",
                          "items_updated", "items_unchanged"}
    assert entry["status"] == "ingested" and entry["format"] == "telegram_json"
    assert len(entry["sha256"]) == 64
    assert out["totals"]["items_new"] == 2


def test_ingest_bad_path_is_one_line_and_exit_1(tmp_path):
    proc = run("ingest", str(tmp_path / "absent.json"), "--workspace", str(tmp_path / "ws"))
    assert proc.returncode == 1
    assert "no such file or folder" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_ingest_unknown_file_named_directly_is_rejected_with_the_formats(tmp_path):
    f = tmp_path / "notes.docx"
    f.write_bytes(b"PK\x03\x04 not really")
    proc = run("ingest", str(f), "--workspace", str(tmp_path / "ws"))
    assert proc.returncode == 1
    assert "notes.docx: not a format Recoupe reads" in proc.stderr


def test_usage_errors_exit_2(tmp_path):
    assert run("ingest").returncode == 2
    proc = run("ingest", str(SAMPLES), "--workspace", str(tmp_path / "ws"), "--tz", "Mars/Olympus")
    assert proc.returncode == 2 and "unknown time zone" in proc.stderr
    proc = run("recoupe", "items", "--workspace", str(tmp_path / "ws"), "--since", "noël")
    assert proc.returncode == 2 and "not a date" in proc.stderr


def test_locked_workspace_gives_one_line(sample_ws, tmp_path):
    import shutil
    ws = tmp_path / "locked"
    shutil.copytree(sample_ws, ws)
    holder = duckdb.connect(str(ws / "recoupe.duckdb"))  # like the app holding it for writing
    try:
        f = write_json(tmp_path / "r.json", telegram_export([message(1, "a")]))
        proc = run("ingest", str(f), "--workspace", str(ws))
    finally:
        holder.close()
    # DuckDB allows several connections in one process; the lock is between processes
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert "in use by another program" in proc.stderr and "Import page" in proc.stderr


def test_missing_workspace_says_what_to_do(tmp_path):
    proc = run("recoupe", "items", "--workspace", str(tmp_path / "nowhere"))
    assert proc.returncode == 1
    assert "There is no workspace at" in proc.stderr and "python -m ingest" in proc.stderr


def test_workspace_from_environment(sample_ws):
    proc = run("recoupe", "overview", "--json", env={"RECOUPE_WORKSPACE": str(sample_ws)})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["workspace"] == str(sample_ws)


def test_items_ndjson_fields_and_events(sample_ws):
    posts = ndjson(run("recoupe", "items", "--workspace", str(sample_ws), check=True).stdout)
    both = ndjson(run("recoupe", "items", "--workspace", str(sample_ws), "--events", check=True).stdout)
    assert {p["kind"] for p in posts} == {"post"}
    assert {p["kind"] for p in both} == {"post", "event"}
    required = {"id", "platform", "chat", "chat_id", "message_id", "author", "posted_at", "text",
                "edited_at", "forwarded_from", "reply_to", "source_file", "source_sha256", "kind"}
    assert required <= set(posts[0])
    assert all(p["posted_at"].endswith("Z") for p in posts)


def test_items_csv_and_chat_filter(sample_ws):
    proc = run("recoupe", "items", "--workspace", str(sample_ws), "--format", "csv",
               "--chat", "marius delivery 🛵", check=True)
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert rows and {r["chat"] for r in rows} == {"Marius Delivery 🛵"}
    proc = run("recoupe", "items", "--workspace", str(sample_ws), "--chat", "Nope")
    assert proc.returncode == 1 and "no chat named 'Nope'" in proc.stderr


def test_migrate_says_what_it_applied(tmp_path, monkeypatch):
    import recoupe.workspace as workspace
    from recoupe.sql import migrations
    from recoupe.workspace import open_workspace
    first_only = migrations()[:1]
    monkeypatch.setattr(workspace, "migrations", lambda: first_only)
    open_workspace(tmp_path / "ws", create=True).close()
    monkeypatch.undo()
    proc = run("recoupe", "overview", "--workspace", str(tmp_path / "ws"))
    assert proc.returncode == 1 and "needs migrations" in proc.stderr
    proc = run("recoupe", "migrate", "--workspace", str(tmp_path / "ws"), check=True)
    assert proc.stdout.strip() == f"applied migrations {[v for v, _, _ in migrations()[1:]]}"
    proc = run("recoupe", "migrate", "--workspace", str(tmp_path / "ws"), check=True)
    assert proc.stdout.strip() == "the workspace is up to date"


def test_items_since_after_until_is_a_usage_error(sample_ws):
    proc = run("recoupe", "items", "--workspace", str(sample_ws), "--since", "2026-12-02",
               "--until", "2026-12-01")
    assert proc.returncode == 2 and "is not before" in proc.stderr


def test_files_no_parser_knows_are_counted_when_a_folder_is_passed_over(tmp_path):
    d = tmp_path / "export"
    d.mkdir()
    write_json(d / "result.json", telegram_export([message(1, "a")]))
    (d / "notes.md").write_text("mes notes", encoding="utf-8")
    (d / "photos").mkdir()
    (d / "photos" / "x.gif").write_bytes(b"GIF89a")
    proc = run("ingest", str(d), "--workspace", str(tmp_path / "ws"), "--json", check=True)
    totals = json.loads(proc.stdout)["totals"]
    assert (totals["files"], totals["ingested"], totals["passed_over"]) == (1, 1, 2)
    proc = run("ingest", str(d), "--workspace", str(tmp_path / "ws"), check=True)
    assert "2 other file(s) in the folders passed over" in proc.stdout
