"""A workspace: one folder holding the DuckDB store and everything derived from it.

    WORKSPACE/
        recoupe.duckdb      the store, the source of truth
        sources/<sha256>    the evidentiary copy of every source file, unchanged

The folder is `--workspace DIR`, else `$RECOUPE_WORKSPACE`, else `./workspace`. Schema changes
are the migrations in `queries/migrations/`, each applied in one transaction and recorded in
`schema_migrations`, so a half-applied migration cannot exist.

Several people at once. DuckDB lets one process write a database file, and within that process
every connection to the file shares one database (the app's sessions are threads of one process,
each page run opening its own connection). Its transactions are optimistic: two transactions
that change the same row, or insert the same key, conflict, and the second fails. So that no
write is lost, the short transactions of `Workspace.transaction()` take a lock shared by every
connection of the process to the same file: they run one after the other (each lasts
milliseconds) and never conflict with each other. An import is different: each file is one long
transaction (seconds to minutes) that must not hold up a tag or a claim meanwhile, so it runs
beside the short writes (`transaction(bulk=True)`; it writes other rows than they do), and imports
take turns among themselves (`Workspace.importing()`). A conflict that still happens (a change
made while an import held the same row) fails with `WriteConflict`, which says to try again.
Reads never wait: they see the last committed state.
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb

from .errors import RecoupeError, WorkspaceError, WorkspaceLocked
from .i18n import _
from .sql import migrations, parameters, sql

DB_NAME = "recoupe.duckdb"
SOURCES_DIR = "sources"
ENV_VAR = "RECOUPE_WORKSPACE"


def resolve(path: str | os.PathLike | None = None) -> Path:
    """The workspace folder: the argument, else $RECOUPE_WORKSPACE, else ./workspace."""
    chosen = path or os.environ.get(ENV_VAR) or "workspace"
    return Path(chosen).expanduser().resolve()


def utcnow() -> datetime:
    """Now, as a naive datetime in UTC (how the store keeps every time)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class WriteConflict(RecoupeError, duckdb.TransactionException):
    """Another person changed the same thing at the same moment; nothing of this change was
    kept. Still a DuckDB TransactionException (whose text says "conflict"), so that code that
    retries a conflicting transaction, such as `cases._write`, goes on doing so."""


_registry_lock = threading.Lock()
_locks: dict[tuple[str, str], threading.RLock] = {}


def _lock(db: Path, kind: str) -> threading.RLock:
    """The process-wide lock of one kind ('write', 'import') for one database file."""
    with _registry_lock:
        return _locks.setdefault((str(db), kind), threading.RLock())


def _is_conflict(exc: duckdb.Error) -> bool:
    text = str(exc)
    return isinstance(exc, duckdb.TransactionException) and (
        "conflict" in text.lower() or "Failed to commit" in text)


RETRIES = 5


def _friendly(exc: duckdb.Error, db: Path) -> Exception:
    text = str(exc)
    if "could not set lock" in text.lower() or "conflicting lock" in text.lower():
        return WorkspaceLocked(_(
            "The workspace {folder} is in use by another program ({holder}). If the app is "
            "running, import from its Import page; otherwise wait for the other import to "
            "finish and try again.", folder=db.parent, holder=_holder(text)))
    if "file handle conflict" in text.lower():
        return WorkspaceError(_("The workspace {folder} was being closed by another session at "
                                "the same moment; try again.", folder=db.parent))
    if "not a valid DuckDB database" in text or "database file" in text.lower():
        return WorkspaceError(_("{db} is not a Recoupe workspace database ({error}): check "
                                "RECOUPE_WORKSPACE or --workspace.", db=db,
                                error=text.splitlines()[0]))
    return WorkspaceError(_("The workspace {folder} could not be opened: {error}",
                            folder=db.parent, error=text.splitlines()[0]))


def _holder(text: str) -> str:
    marker = "PID "
    if marker in text:
        pid = text.split(marker, 1)[1].split(")", 1)[0].split()[0]
        return _("process {pid}", pid=pid)
    return _("another process")


class Workspace:
    """An open workspace. Use `open_workspace()`; close it (or use `with`) when done."""

    def __init__(self, root: Path, con: duckdb.DuckDBPyConnection, read_only: bool):
        self.root = root
        self.con = con
        self.read_only = read_only
        self.migrated: list[int] = []  # migrations applied when it was opened
        self._in_transaction = False

    @property
    def sources_dir(self) -> Path:
        return self.root / SOURCES_DIR

    def q(self, name: str, params: dict | None = None) -> duckdb.DuckDBPyConnection:
        """Run a named statement with named parameters; returns the cursor.

        Only the parameters the statement names are passed, so one dict can serve several
        statements; a parameter the statement needs and the dict lacks is an error.
        """
        wanted = parameters(name)
        given = {k: v for k, v in (params or {}).items() if k in wanted}
        if self._in_transaction:
            return self.con.execute(sql(name), given)
        # On its own, a statement is its own transaction: one that lost a conflict was rolled
        # back whole, and runs again on what the other committed.
        for attempt in range(RETRIES):
            try:
                return self.con.execute(sql(name), given)
            except duckdb.TransactionException as exc:
                if not _is_conflict(exc) or attempt == RETRIES - 1:
                    raise self._conflict(exc) from None
                time.sleep(0.01 * 2 ** attempt)
        raise AssertionError("unreachable")

    def rows(self, name: str, params: dict | None = None) -> list[dict]:
        """Run a named statement; each row as a dict."""
        cur = self.q(name, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def one(self, name: str, params: dict | None = None):
        row = self.q(name, params).fetchone()
        return None if row is None else row[0]

    @contextmanager
    def transaction(self, bulk: bool = False) -> Iterator[None]:
        """One transaction: everything in it is stored, or nothing is.

        A short one (the default) waits for the other short transactions of the process on the
        same workspace, so that none of them conflicts; `bulk` (an import's file) does not. A
        conflict that happens anyway raises WriteConflict, with everything rolled back.
        """
        with _no_lock() if bulk else _lock(self.root / DB_NAME, "write"):
            self.con.execute("BEGIN TRANSACTION")
            self._in_transaction = True
            try:
                yield
            except BaseException as exc:
                self._in_transaction = False
                self.con.execute("ROLLBACK")
                if isinstance(exc, duckdb.TransactionException) and _is_conflict(exc):
                    raise self._conflict(exc) from None
                raise
            self._in_transaction = False
            try:
                self.con.execute("COMMIT")
            except duckdb.TransactionException as exc:
                if _is_conflict(exc):
                    raise self._conflict(exc) from None
                raise

    def _conflict(self, exc: duckdb.Error) -> Exception:
        if not _is_conflict(exc):
            return exc
        from .i18n import _
        return WriteConflict(_("Someone else changed the same thing at the same moment, so this "
                               "change was not kept; try again. ({detail})",
                               detail=str(exc).splitlines()[0][:160]))

    @contextmanager
    def importing(self) -> Iterator[None]:
        """Imports into one workspace take turns within the process (each waits for the one
        under way); other processes are kept out by DuckDB's lock on the file."""
        with self.exclusive("import"):
            yield

    @contextmanager
    def exclusive(self, what: str) -> Iterator[None]:
        """One thread of the process at a time does `what` ('import', 'search-index'...) to
        this workspace; the others wait their turn."""
        with _lock(self.root / DB_NAME, what):
            yield

    def close(self) -> None:
        # Never beside a connect to the same file (see `_connect`).
        with _lock(self.root / DB_NAME, "connect"):
            self.con.close()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _connect(db: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection to the database file, never made while another thread of the process
    connects to it or closes it. Connections of one process to one file share one database,
    which DuckDB closes with its last connection; a connect at that moment could start a second
    database on the same file, which DuckDB refuses ("Unique file handle conflict": seen with
    two people's pages running at once). The lock orders the two; and should DuckDB still be
    letting go of the file, the connect is tried again."""
    for attempt in range(50):
        with _lock(db, "connect"):
            try:
                return duckdb.connect(str(db), read_only=read_only)
            except duckdb.Error as exc:
                if "file handle conflict" not in str(exc).lower() or attempt == 49:
                    raise
        time.sleep(0.02)
    raise AssertionError("unreachable")


@contextmanager
def _no_lock() -> Iterator[None]:
    yield


def open_workspace(path: str | os.PathLike | None = None, *, create: bool = False,
                   read_only: bool = False, wait: float = 0.0) -> Workspace:
    """Open (and with `create`, make) a workspace, bringing its schema up to date.

    Raises WorkspaceError with a sentence naming the folder when it does not exist (and `create`
    is false), and WorkspaceLocked when another process holds it for longer than `wait` seconds
    (the app holds it only while a page runs, so a command may wait a moment for it).
    """
    root = resolve(path)
    db = root / DB_NAME
    if not db.exists():
        if not create:
            raise WorkspaceError(_(
                "There is no workspace at {root}. Import something first "
                "(python -m ingest FILE --workspace {root}), or run `make run` for the sample "
                "one.", root=root))
        if root.exists() and not root.is_dir():
            raise WorkspaceError(_("{root} is a file, not a workspace folder.", root=root))
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(_("The workspace folder {root} cannot be made: {error}.",
                                   root=root, error=exc.strerror or exc)) from None
    deadline = time.monotonic() + wait
    while True:
        try:
            con = _connect(db, read_only)
            break
        except duckdb.Error as exc:
            error = _friendly(exc, db)
            if not isinstance(error, WorkspaceLocked) or time.monotonic() >= deadline:
                raise error from None
            time.sleep(0.2)
    con.execute("SET TimeZone = 'UTC'")
    ws = Workspace(root, con, read_only)
    if not read_only:
        try:
            (root / SOURCES_DIR).mkdir(exist_ok=True)
        except OSError as exc:
            con.close()
            raise WorkspaceError(_("The workspace {root} cannot be written to: {error}.",
                                   root=root, error=exc.strerror or exc)) from None
        ws.migrated = migrate(ws)
    else:
        missing = pending_migrations(ws)
        if missing:
            con.close()
            raise WorkspaceError(_(
                "The workspace {root} was made by an older Recoupe and needs migrations "
                "{missing}; open it once for writing (any import, or `python -m recoupe "
                "migrate`).", root=root, missing=missing))
    return ws


def pending_migrations(ws: Workspace) -> list[int]:
    has_table = ws.one("workspace.has_migrations_table")
    applied = {r[0] for r in ws.q("workspace.applied_migrations").fetchall()} if has_table else set()
    return [version for version, _name, _text in migrations() if version not in applied]


def migrate(ws: Workspace) -> list[int]:
    """Apply every migration not yet applied, each in its own transaction. Returns those applied.

    Two sessions opening an old workspace at once: the second waits for the first's migrations
    (under the write lock) and finds nothing left to apply."""
    if ws.one("workspace.has_migrations_table") and not pending_migrations(ws):
        return []
    with _lock(ws.root / DB_NAME, "write"):
        ws.q("workspace.create_migrations_table")
        done = []
        pending = set(pending_migrations(ws))
        for version, name, text in migrations():
            if version not in pending:
                continue
            with ws.transaction():
                ws.con.execute(text)
                ws.q("workspace.record_migration",
                     {"version": version, "name": name, "applied_at": utcnow()})
            done.append(version)
    return done
