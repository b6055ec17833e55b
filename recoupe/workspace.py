"""A workspace: one folder holding the DuckDB store and everything derived from it.

    WORKSPACE/
        recoupe.duckdb      the store, the source of truth
        sources/<sha256>    the evidentiary copy of every source file, unchanged

The folder is `--workspace DIR`, else `$RECOUPE_WORKSPACE`, else `./workspace`. Schema changes
are the migrations in `queries/migrations/`, each applied in one transaction and recorded in
`schema_migrations`, so a half-applied migration cannot exist.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb

from .errors import WorkspaceError, WorkspaceLocked
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


def _friendly(exc: duckdb.Error, db: Path) -> Exception:
    text = str(exc)
    if "could not set lock" in text.lower() or "conflicting lock" in text.lower():
        return WorkspaceLocked(_(
            "The workspace {folder} is in use by another program ({holder}). If the app is "
            "running, import from its Import page; otherwise wait for the other import to "
            "finish and try again.", folder=db.parent, holder=_holder(text)))
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
        return self.con.execute(sql(name), given)

    def rows(self, name: str, params: dict | None = None) -> list[dict]:
        """Run a named statement; each row as a dict."""
        cur = self.q(name, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def one(self, name: str, params: dict | None = None):
        row = self.q(name, params).fetchone()
        return None if row is None else row[0]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction: everything in it is stored, or nothing is."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_workspace(path: str | os.PathLike | None = None, *, create: bool = False,
                   read_only: bool = False) -> Workspace:
    """Open (and with `create`, make) a workspace, bringing its schema up to date.

    Raises WorkspaceError with a sentence naming the folder when it does not exist (and `create`
    is false), and WorkspaceLocked when another process holds it.
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
    try:
        con = duckdb.connect(str(db), read_only=read_only)
    except duckdb.Error as exc:
        raise _friendly(exc, db) from None
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
    """Apply every migration not yet applied, each in its own transaction. Returns those applied."""
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
