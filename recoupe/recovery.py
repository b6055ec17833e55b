"""Imports take turns, and an import that was killed leaves nothing half-done behind.

What "as it was before" means for an interrupted import (a killed `python -m ingest`, a server
stopped in the middle of an upload): each file is one transaction, so the file being read when
the import stopped left nothing in the store, and each file that finished before it is there
whole, with its audit entry, exactly as if the import had been given only those files. Running
the same import again completes it (the files already stored are reported unchanged). What the
killed import could not finish is done by the next import, under its turn:

- temporary copies (`sources/.incoming-*`) are removed (a kill in the instant between placing a
  file's evidentiary copy, `sources/<sha256>`, and its commit leaves that copy without a row: it
  is content-addressed, harmless, and reused when the same file is imported again);
- the run is recorded as interrupted in the audit trail ('import.interrupted', under the name of
  who started it), so the trail says why it has no end;
- extraction and the search index, which are derived from the store, are brought up to date
  even when the new import itself adds nothing.

Only the process holding the workspace can import (DuckDB locks the file), and within it imports
take turns (`Workspace.importing()`): so when an import starts, no other one is under way, and
any run without an end is one that was killed.
"""

from __future__ import annotations

from functools import wraps

from . import audit
from .workspace import Workspace

INCOMING = ".incoming-"


def one_import_at_a_time(import_paths):
    """Decorator for `imports.import_paths(ws, paths, ...)`: waits for its turn, clears what a
    killed import left, runs the import, then catches up the derived data if anything was left."""

    @wraps(import_paths)
    def wrapper(ws: Workspace, *args, **kwargs):
        with ws.importing():
            interrupted = clear_interrupted(ws)
            results = import_paths(ws, *args, **kwargs)
            if interrupted:
                catch_up(ws, extract=kwargs.get("extract", True), index=kwargs.get("index", True))
        return results

    return wrapper


def clear_interrupted(ws: Workspace) -> list[int]:
    """Remove the temporary copies of killed imports and record their runs as interrupted;
    returns those runs' ids. Call it only in an import's turn."""
    folder = ws.sources_dir
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.name.startswith(INCOMING):
                entry.unlink(missing_ok=True)
    runs = ws.rows("audit.unfinished_runs")
    for run in runs:
        with ws.transaction():
            audit.record(ws, run["user_name"], "import.interrupted", "run", run["id"],
                         detail={"started_at_utc": run["started_at_utc"],
                                 "files_stored": run["files_stored"]})
    return [r["id"] for r in runs]


def catch_up(ws: Workspace, *, extract: bool = True, index: bool = True) -> None:
    """Extraction and the search index brought up to date with the store."""
    from .enrich import enrich, pending
    from .saved import recount
    from .search import update
    if extract and pending(ws):
        enrich(ws)
    if index:
        update(ws)
        recount(ws)
