"""Every named SQL statement in queries/ runs against a real workspace.

A renamed column breaks this test, not a page. Each statement runs inside a transaction that is
rolled back, with example values for its named parameters; a parameter without an example fails
the test, so a new statement cannot slip through unexercised.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime

import pyarrow as pa
import pytest

from recoupe import enrich
from recoupe.search.indexer import BATCH_SCHEMA, FINGERPRINT_SCHEMA
from recoupe.timeline.series import IDS_TABLE, IDS_SCHEMA
from recoupe.imports import _STAGE_SCHEMA, classify, stage_table
from recoupe.sql import catalogue, migrations, sql
from recoupe.workspace import open_workspace

EXAMPLES = {
    "version": 999, "name": "example", "applied_at": datetime(2026, 12, 1),
    "started": datetime(2026, 12, 1), "finished": datetime(2026, 12, 1), "user_name": "tester",
    "command": "test", "arguments": "{}", "tool_version": "0", "host": "localhost",
    "run_id": 1, "sha256": "0" * 64, "source_id": 1, "original_name": "x.json",
    "original_path": "/tmp/x.json", "format": "telegram_json", "size_bytes": 1,
    "parser": "telegram_json", "parser_version": "1", "stored_as": "sources/x",
    "imported_at": datetime(2026, 12, 1), "imported_by": "tester", "items_new": 0,
    "items_updated": 0, "items_unchanged": 0, "tz_assumed": None, "notes": None, "path": "x",
    "reason": "test", "rejected_at": datetime(2026, 12, 1), "platform": "telegram",
    "external_id": "example-999", "chat_type": "public_channel", "chat_id": 1, "now": datetime(2026, 12, 1),
    "chat": "Le Drive du 13 🎄", "since": datetime(2026, 11, 1), "until": datetime(2027, 1, 1),
    "events": True, "item_id": 1, "limit": 5, "captured_chat": "Le Drive du 13 🎄",
    "captured_at": datetime(2026, 12, 1), "lexicon_version": "test",
    "around": 3, "kind": "substance", "after": 0,
    "owner": "reporter", "query": "beuh", "filters": "{}", "total": 3, "id": 1, "n": 3,
    "at_utc": datetime(2026, 12, 1), "actor": "tester", "action": "case", "object_type": "case",
    "object_id": "1", "case_id": 1, "detail": "{}",
    "display_name": "Rita R.", "role": "reporter", "password_hash": "$argon2id$x",
    "email": "rita@example.org", "created_at_utc": datetime(2026, 12, 1), "created_by": "tester",
    "disabled": True,
    "title": "Calendrier de l'avent", "summary": "", "status": "open", "note": "",
    "evidence_id": 1, "tag": "calendar", "statement": "The network sold a calendar",
    "claim_id": 1, "verdict": "corroborated", "reason": "seen in three channels",
    "language": "fr",
    "chat_ids": [1, 2], "entity_kind": "zone", "entity_value": "Aubagne", "with_ids": True,
    "unit": "day", "tz": "Europe/Paris", "first": datetime(2026, 12, 24),
    "last": datetime(2026, 12, 25), "substance": "cocaine", "first_day": datetime(2026, 12, 10).date(),
    "last_day": datetime(2026, 12, 11).date(), "label": "police operation", "note": "example",
    "bucket_us": 3_600_000_000,
    "cluster_id": 1,
}
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def test_catalogue_is_not_empty_and_every_statement_says_what_it_returns():
    names = list(catalogue())
    assert len(names) >= 20
    for name, st in catalogue().items():
        assert st.returns, f"{name} in {st.path.name} has no '-- returns:' line"
        assert st.text.strip(), name


def test_migrations_are_numbered_in_order():
    versions = [v for v, _, _ in migrations()]
    assert versions == sorted(set(versions)) and versions[0] == 1


@pytest.fixture(scope="module")
def copy_ws(sample_ws, tmp_path_factory):
    dest = tmp_path_factory.mktemp("queries") / "ws"
    shutil.copytree(sample_ws, dest)
    return dest


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_statement_runs(name, copy_ws):
    text = sql(name)
    params = {p: EXAMPLES[p] for p in set(_PARAM.findall(text)) if p in EXAMPLES}
    missing = set(_PARAM.findall(text)) - set(params)
    assert not missing, f"add example values for {missing} to EXAMPLES"
    with open_workspace(copy_ws) as ws:
        con = ws.con
        empty = stage_table({name: [] for name in _STAGE_SCHEMA.names})
        con.register("stage_batch", empty)
        con.register("stage_class",
                     classify(empty, con.execute(sql("ingest.classify_batch")).to_arrow_table(), None))
        con.register("enrich_items", pa.Table.from_pylist([], schema=enrich._ITEM_SCHEMA))
        con.register("enrich_entities", pa.Table.from_pylist([], schema=enrich._ENTITY_SCHEMA))
        con.register("search_batch", pa.Table.from_pylist([], schema=BATCH_SCHEMA))
        con.register("search_current", pa.Table.from_pylist([], schema=FINGERPRINT_SCHEMA))
        con.register("search_previous", pa.Table.from_pylist([], schema=FINGERPRINT_SCHEMA))
        con.register(IDS_TABLE, pa.Table.from_pylist([{"id": 1}], schema=IDS_SCHEMA))
        con.register("dup_ids", pa.table({"id": pa.array([1], pa.int64())}))
        con.register("dup_remap", pa.table({"old": pa.array([], pa.int64()),
                                            "new": pa.array([], pa.int64())}))
        con.register("dup_new_members", pa.table({
            "item_id": pa.array([], pa.int64()), "cluster_id": pa.array([], pa.int64()),
            "via": pa.array([], pa.string()), "linked_item_id": pa.array([], pa.int64()),
            "score": pa.array([], pa.float64())}))
        con.register("dup_new_matches", pa.table({
            "screenshot_id": pa.array([], pa.int64()), "item_id": pa.array([], pa.int64()),
            "rank": pa.array([], pa.int64()), "score": pa.array([], pa.float64()),
            "differs": pa.array([], pa.string())}))
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(text, params)
        finally:
            con.execute("ROLLBACK")
