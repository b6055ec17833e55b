"""Importing source files into a workspace.

For each file: detect its format, copy it into the workspace under its SHA-256 (the evidentiary
copy, read back for parsing so that what is stored is what was parsed), then parse and store it in
one transaction. A file that fails is rolled back and recorded as rejected with its reason; the
other files of the same command are still imported. Re-importing a file already stored (same
SHA-256) changes nothing and says so.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import queue
import shutil
import socket
import sys
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ingest import Chat, Rejected
from ingest.model import ITEM_FIELDS, OPTIONAL_ITEM_FIELDS
from ingest.formats import PARSERS, detect, known_formats
from ingest.timeutil import DEFAULT_TZ, zone

from . import __version__, audit
from .access import Actor, actor_for, require
from .enrich import enrich, pending
from .i18n import N_, _
from .recovery import one_import_at_a_time
from .saved import recount as recount_saved
from .search import update as search_update
from .sql import parameters, sql
from .thumbs import thumbnail
from .workspace import Workspace, utcnow

BATCH_ROWS = 50_000

_STAGE_SCHEMA = pa.schema([
    ("seq", pa.int64()), ("chat_id", pa.int32()), ("platform", pa.string()),
    ("item_key", pa.string()), ("message_id", pa.int64()), ("kind", pa.string()),
    ("author", pa.string()), ("author_id", pa.string()), ("posted_epoch", pa.int64()),
    ("posted_offset_min", pa.int16()), ("tz_assumed", pa.string()), ("text", pa.string()),
    ("entities", pa.string()), ("reply_to", pa.int64()), ("forwarded_from", pa.string()),
    ("forwarded_from_id", pa.string()), ("edited_epoch", pa.int64()), ("media", pa.string()),
    ("reactions", pa.string()), ("buttons", pa.string()), ("action", pa.string()),
    ("album_key", pa.string()), ("extra", pa.string()), ("text_encoding", pa.string()),
    ("text_origin", pa.string()), ("ocr_confidence", pa.float64()), ("ocr_words", pa.string()),
    ("phash", pa.string()), ("source_rank", pa.int16()),
])
_ITEM_COLUMNS = list(ITEM_FIELDS)
_OPTIONAL_COLUMNS = list(OPTIONAL_ITEM_FIELDS)
# When two sources disagree about one message, the more trusted wins: Telegram's JSON export
# carries edit times and ids that an HTML export or a scraper's table may lack.
SOURCE_RANK = {"telegram_json": 2}


@dataclass
class FileResult:
    """What happened to one file; the shape of `python -m ingest --json`'s `files` entries."""

    path: str
    format: str | None = None
    sha256: str | None = None
    status: str = "rejected"          # ingested | unchanged | rejected
    reason: str | None = None         # "<file name>: <why>"
    why: str | None = field(default=None, repr=False)
    items_new: int = 0
    items_updated: int = 0
    items_unchanged: int = 0
    source_id: int | None = field(default=None, repr=False)

    def as_json(self) -> dict:
        d = asdict(self)
        d.pop("source_id")
        d.pop("why")
        return d


@dataclass
class Progress:
    """Callbacks for long work: the CLI draws a bar with them, the app `st.progress`."""

    start_file: Callable[[Path, int], None] = lambda path, size: None
    advance: Callable[[int], None] = lambda nbytes: None
    end_file: Callable[[FileResult], None] = lambda result: None
    start_enrich: Callable[[int], None] = lambda items: None
    advance_enrich: Callable[[int], None] = lambda items: None
    skip_file: Callable[[Path], None] = lambda path: None  # in a folder, a file no parser knows
    duplicates: Callable[[str, int, int], None] = lambda phase, done, total: None


def totals(results: list[FileResult]) -> dict:
    """Counts over the results of one import: files by status, items by outcome."""
    t = {"files": len(results), "ingested": 0, "unchanged": 0, "rejected": 0,
         "items_new": 0, "items_updated": 0, "items_unchanged": 0}
    for r in results:
        t[r.status] += 1
        t["items_new"] += r.items_new
        t["items_updated"] += r.items_updated
        t["items_unchanged"] += r.items_unchanged
    return t


def current_user() -> str:
    return os.environ.get("RECOUPE_USER") or getpass.getuser()


def expand(paths: Iterable[str | os.PathLike]) -> tuple[list[tuple[Path, bool]], list[FileResult]]:
    """Files to import, each with whether it was named directly; and results for bad paths.

    A folder is walked in name order; inside a folder, files that no parser knows are passed over
    (a Telegram export folder also holds its photos), while a file named directly must be known.
    """
    files: list[tuple[Path, bool]] = []
    bad: list[FileResult] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for sub in sorted(q for q in p.rglob("*") if q.is_file()):
                if not any(part.startswith(".") for part in sub.relative_to(p).parts):
                    files.append((sub, False))
        elif p.is_file():
            files.append((p, True))
        elif p.exists():
            bad.append(FileResult(str(p), why=N_("not a regular file")))
        else:
            bad.append(FileResult(str(p), why=N_("no such file or folder")))
    return [(f, named) for f, named in files if not is_sidecar(f)], bad


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def is_sidecar(path: Path) -> bool:
    """A .txt beside an image of the same stem is that image's text, read with the image."""
    return path.suffix.lower() == ".txt" and any(
        path.with_suffix(s).exists() or path.with_suffix(s.upper()).exists() for s in IMAGE_SUFFIXES)


@one_import_at_a_time
def import_paths(ws: Workspace, paths: Iterable[str | os.PathLike], *, tz: str = DEFAULT_TZ,
                 user: str | None = None, command: str = "cli",
                 progress: Progress | None = None, extract: bool = True,
                 index: bool = True, duplicates: bool = True,
                 actor: Actor | None = None) -> list[FileResult]:
    """Import files and folders into an open (writable) workspace; one result per file.

    With `extract` (the default), extraction then runs on what the import added or changed;
    without it, those items wait for `python -m recoupe enrich`. With `index` (the default), the
    search index then takes what changed; without it, the next search update or `reindex` does.
    With `duplicates` (the default), near-duplicate clusters then take the new posts; without
    it, `python -m recoupe duplicates` does.
    `actor` (else the account named `user`) must be allowed to import; each stored file is
    recorded in the audit trail. Imports take turns and clear what a killed one left (`recovery`).
    """
    zone(tz)  # a bad zone is a usage error, before anything is written
    progress = progress or Progress()
    actor = actor or actor_for(ws, user or current_user())
    require(actor, "import", "import files")
    user = actor.name
    paths = list(paths)
    files, results = expand(paths)
    run_id = ws.one("ingest.start_run", {
        "started": utcnow(), "user_name": user, "command": command,
        "arguments": orjson.dumps({"paths": [str(p) for p in paths], "tz": tz}).decode(),
        "tool_version": __version__, "host": socket.gethostname()})
    for r in results:
        _reject(ws, run_id, r, r.why)
        progress.end_file(r)
    for path, named in files:
        try:
            fmt = detect(path)
            empty = path.stat().st_size == 0
        except OSError as exc:
            r = _reject(ws, run_id, FileResult(str(path)), N_("could not be read ({error})"),
                        error=exc.strerror or exc)
            results.append(r)
            progress.end_file(r)
            continue
        if empty and (named or fmt is not None):
            r = _reject(ws, run_id, FileResult(str(path), format=fmt), N_("the file is empty"))
            results.append(r)
            progress.end_file(r)
            continue
        if fmt is None:
            if named:
                r = _reject(ws, run_id, FileResult(str(path)),
                            N_("not a format Recoupe reads (it reads: {formats})"),
                            formats=known_formats())
                results.append(r)
                progress.end_file(r)
            else:
                progress.skip_file(path)
            continue
        r = import_file(ws, path, fmt, run_id=run_id, tz=tz, user=user, progress=progress,
                        handed_in=N_("uploaded in the app") if command == "app" else None)
        results.append(r)
        progress.end_file(r)
    ws.q("ingest.finish_run", {"finished": utcnow(), "run_id": run_id})
    if extract and any(r.items_new or r.items_updated for r in results):
        progress.start_enrich(pending(ws))
        enrich(ws, progress=progress.advance_enrich)
    if index and any(r.items_new or r.items_updated for r in results):
        search_update(ws)
        recount_saved(ws)
    if duplicates and any(r.items_new or r.items_updated for r in results):
        from .duplicates import update as update_duplicates
        update_duplicates(ws, progress.duplicates)
    return results


def _reject(ws: Workspace, run_id: int, r: FileResult, why: str, **values) -> FileResult:
    """Record a rejection; the reason names the file, then says why.

    `why` is English (a template for `values`, marked with N_ for the French catalogue, or a
    parser's reason): the store keeps it in English, as it keeps the parsers' reasons, so that a
    workspace's record reads the same whoever imported; the result says it in the language of
    the person importing.
    """
    english = why.format(**values) if values else why
    r.status, r.why = "rejected", _(why, **values)
    r.reason = f"{Path(r.path).name}: {r.why}"
    r.items_new = r.items_updated = r.items_unchanged = 0
    ws.q("ingest.record_rejection", {"run_id": run_id, "path": r.path, "sha256": r.sha256,
                                     "format": r.format,
                                     "reason": f"{Path(r.path).name}: {english}",
                                     "rejected_at": utcnow()})
    return r


def _keep_copy(ws: Workspace, path: Path) -> str:
    """Keep an evidentiary copy of a companion file (a screenshot's .txt) under its SHA-256."""
    tmp, sha, _size = _copy_hashed(path, ws.sources_dir)
    dest = ws.sources_dir / sha
    if dest.exists():
        tmp.unlink()
    else:
        os.replace(tmp, dest)
        os.chmod(dest, 0o444)
    return sha


def _copy_hashed(src: Path, dest_dir: Path) -> tuple[Path, str, int]:
    """Copy `src` into `dest_dir` under a temporary name; return (temp path, SHA-256, size)."""
    h = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(prefix=".incoming-", dir=dest_dir)
    with os.fdopen(fd, "wb") as out, open(src, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return Path(tmp), h.hexdigest(), size


def import_file(ws: Workspace, path: Path, fmt: str, *, run_id: int, tz: str, user: str,
                progress: Progress, handed_in: str | None = None) -> FileResult:
    """Import one file (see the module's docstring); `handed_in` replaces its path in the record
    when the path says nothing useful (an upload's temporary folder)."""
    r = FileResult(str(path), format=fmt)
    try:
        tmp, r.sha256, size = _copy_hashed(path, ws.sources_dir)
    except OSError as exc:
        return _reject(ws, run_id, r, N_("could not be read ({error})"),
                       error=exc.strerror or exc)
    try:
        existing = ws.one("ingest.source_by_sha", {"sha256": r.sha256})
        if existing is not None:
            r.status = "unchanged"
            r.reason = _("already imported (same SHA-256): nothing changed")
            r.items_unchanged = ws.one("ingest.items_of_source", {"source_id": existing})
            r.source_id = existing
            return r
        progress.start_file(path, size)
        stored = ws.sources_dir / r.sha256
        parser = PARSERS[fmt](tmp, tz=tz, source_sha256=r.sha256, progress=progress.advance,
                              origin=path)
        try:
            with _bulk_settings(ws), ws.transaction(bulk=True):
                r.source_id = ws.one("ingest.insert_source", {
                    "sha256": r.sha256, "original_name": path.name,
                    "original_path": handed_in or str(path.resolve()), "format": fmt,
                    "size_bytes": size,
                    "parser": parser.name, "parser_version": parser.version,
                    "stored_as": f"{stored.parent.name}/{stored.name}",
                    "imported_at": utcnow(), "imported_by": user, "run_id": run_id})
                counts = _store(ws, parser, r.source_id)
                if sum(counts.values()) == 0:
                    raise Rejected(N_("it holds no messages"))
                r.items_new = counts.get("new", 0)
                r.items_updated = counts.get("newer", 0) + counts.get("older", 0)
                r.items_unchanged = counts.get("unchanged", 0)
                ws.q("ingest.finish_source", {
                    "source_id": r.source_id, "items_new": r.items_new,
                    "items_updated": r.items_updated, "items_unchanged": r.items_unchanged,
                    "tz_assumed": parser.tz_assumed,
                    "notes": orjson.dumps(parser.notes).decode() if parser.notes else None})
                for companion in getattr(parser, "companions", []):
                    _keep_copy(ws, companion)
                audit.record(ws, user, "import", "run", run_id, detail={
                    "file": path.name, "sha256": r.sha256, "format": fmt, "items_new": r.items_new,
                    "items_updated": r.items_updated, "items_unchanged": r.items_unchanged})
                if not stored.exists():
                    os.replace(tmp, stored)
                    os.chmod(stored, 0o444)
        except Rejected as exc:
            r.source_id = None
            return _reject(ws, run_id, r, str(exc))
        except (MemoryError, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug or a store failure: still one line, still rolled back
            r.source_id = None
            return _reject(ws, run_id, r, N_("could not be imported ({error})"),
                           error=f"{type(exc).__name__}: {exc}")
        r.status = "ingested"
        if fmt == "screenshot":
            thumbnail(ws, r.sha256)
        return r
    finally:
        if tmp.exists():
            tmp.unlink()


@contextmanager
def _bulk_settings(ws: Workspace) -> Iterator[None]:
    """DuckDB's settings for importing one file (see ingest.sql), the usual ones again after it."""
    ws.q("ingest.bulk_settings")
    try:
        yield
    finally:
        ws.q("ingest.usual_settings")


def _store(ws: Workspace, parser, source_id: int) -> dict[str, int]:
    """Stage the parser's records in batches; merge each batch into `items` as it fills.

    Merging batch by batch keeps memory flat however large the file is; the whole file is still
    one transaction, so a failure anywhere leaves nothing of it behind. Batches are merged on a
    second thread while the parser reads on (see `_Merger`).
    """
    chat_id = None
    platform = None
    cols = _new_cols()
    counts: dict[str, int] = {}
    seq = 0
    rank = SOURCE_RANK.get(parser.name, 1)
    with _Merger(ws, source_id, counts) as merger:
        for rec in parser.records():
            if isinstance(rec, Chat):
                merger.put(cols)
                cols = _new_cols()
                merger.wait()  # the connection is this thread's again
                chat_id = _chat_id(ws, rec, source_id)
                platform = rec.platform
                continue
            if chat_id is None:
                raise Rejected(N_("messages come before any chat (the parser found no chat "
                                  "header)"))
            seq += 1
            cols["seq"].append(seq)
            cols["chat_id"].append(chat_id)
            cols["platform"].append(platform)
            cols["source_rank"].append(rank)
            for name in _ITEM_COLUMNS:
                cols[name].append(rec[name])
            for name in _OPTIONAL_COLUMNS:
                cols[name].append(rec.get(name))
            if seq % BATCH_ROWS == 0:
                merger.put(cols)
                cols = _new_cols()
        merger.put(cols)
    return counts


def _new_cols() -> dict[str, list]:
    return {name: [] for name in _STAGE_SCHEMA.names}


class _Merger:
    """Merges batches into the store on a second thread, so that parsing goes on meanwhile.

    DuckDB releases the GIL while it works, so parsing and merging share two cores; but it takes
    the GIL back between small steps of a query (to check for Ctrl-C), and with the parser holding
    it each step would wait Python's switch interval (5 ms): the interval is 1 ms meanwhile. The
    connection (and the file's transaction) is used by one thread at a time: this one merges
    while the caller only parses; the caller calls `wait()` before it uses the connection itself.
    At most one batch waits for its turn. An error while merging is raised in the caller, at its
    next `put`, `wait` or at the end of the `with`; leaving the `with` waits for the merge under
    way, so that a rollback never runs beside it.
    """

    def __init__(self, ws: Workspace, source_id: int, counts: dict[str, int]):
        self.ws, self.source_id, self.counts = ws, source_id, counts
        self.error: BaseException | None = None
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.thread = threading.Thread(target=self._run, name="recoupe-merge", daemon=True)

    def __enter__(self) -> "_Merger":
        self.switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self.switch_interval, 0.001))
        self.thread.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and self.error is None:
            self.error = exc  # the batches still queued are dropped
        self.queue.put(None)
        self.thread.join()
        sys.setswitchinterval(self.switch_interval)
        if exc_type is None:
            self._raise()

    def put(self, cols: dict[str, list]) -> None:
        self._raise()
        if cols["seq"]:
            self.queue.put(cols)

    def wait(self) -> None:
        self.queue.join()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while True:
            cols = self.queue.get()
            try:
                if cols is None:
                    return
                if self.error is None:
                    _merge_batch(self.ws, cols, self.source_id, self.counts)
            except BaseException as exc:  # noqa: BLE001 (raised again in the caller's thread)
                self.error = exc
            finally:
                self.queue.task_done()


def _merge_batch(ws: Workspace, cols: dict[str, list], source_id: int,
                 counts: dict[str, int]) -> None:
    if not cols["seq"]:
        return
    stage = stage_table(cols)
    cols.clear()
    ws.q("ingest.keep_join_sides")
    try:
        classified = _staged(ws, "ingest.classify_batch", stage_batch=stage).to_arrow_table()
    finally:
        ws.q("ingest.default_join_sides")
    here = {k.as_py(): n.as_py() for k, n in
            zip(*pc.value_counts(classified.column("status")).flatten())}
    for status, n in here.items():
        counts[status] = counts.get(status, 0) + n
    new_ids = ws.q("ingest.new_item_ids", {"n": here["new"]}).to_arrow_table().column("id") \
        if here.get("new") else None
    stage_class = classify(stage, classified, new_ids)  # noqa: F841 (read by the statements)
    del stage, classified
    p = {"source_id": source_id, "now": utcnow()}
    if here.get("newer"):
        _staged(ws, "ingest.archive_replaced", p, stage_class=stage_class)
        _staged(ws, "ingest.apply_newer", p, stage_class=stage_class)
    if here.get("older"):
        _staged(ws, "ingest.archive_older", p, stage_class=stage_class)
    if here.get("new"):
        _staged(ws, "ingest.insert_new", p, stage_class=stage_class)
    _staged(ws, "ingest.link_sources", p, stage_class=stage_class)


def stage_table(cols: dict[str, list]) -> pa.Table:
    """A batch of records as the Arrow table the statements read as `stage_batch`.

    Times become TIMESTAMPs (`posted_at`, `edited_at`) and a missing `text_origin` is 'export'.
    """
    t = pa.Table.from_pydict(cols, schema=_STAGE_SCHEMA)
    for old, new in (("posted_epoch", "posted_at"), ("edited_epoch", "edited_at")):
        i = t.schema.get_field_index(old)
        t = t.set_column(i, new, t.column(i).cast(pa.timestamp("s")))
    i = t.schema.get_field_index("text_origin")
    return t.set_column(i, "text_origin", t.column(i).fill_null("export"))


def classify(stage: pa.Table, classified: pa.Table, new_ids: pa.ChunkedArray | None) -> pa.Table:
    """`stage` with the `item_id` and `status` of `classify_batch`: the table read as `stage_class`.

    `classified` has one row per key, in `seq` order; when a key came twice in the batch only its
    last copy is kept. Items seen for the first time take `new_ids` (from the sequence), in order.
    """
    if classified.num_rows != stage.num_rows:
        stage = stage.take(pc.subtract(classified.column("seq"), stage.column("seq")[0]))
    item_id = classified.column("item_id").combine_chunks()
    if new_ids is not None:
        item_id = pc.replace_with_mask(item_id, pc.is_null(item_id), new_ids.combine_chunks())
    return stage.append_column("item_id", item_id).append_column("status",
                                                                 classified.column("status"))


def _staged(ws: Workspace, name: str, params: dict | None = None, *,
            stage_batch: pa.Table | None = None, stage_class: pa.Table | None = None):
    """Run a named statement that reads the Arrow table `stage_batch` or `stage_class`.

    DuckDB finds the table as a local variable of this function (a replacement scan). Registering
    it instead (`con.register`) would create a view inside the file's transaction, and DuckDB keeps
    each such catalog entry, with the Arrow table it holds, until COMMIT: every batch twice over.
    """
    wanted = parameters(name)
    return ws.con.execute(sql(name), {k: v for k, v in (params or {}).items() if k in wanted})


def _chat_id(ws: Workspace, chat: Chat, source_id: int) -> int:
    """The chat's id in the workspace, made if new.

    A chat known only by its name (an HTML export has no chat id) is the same chat as the one
    with that name from another export of the same platform, when exactly one has that name; and
    a stand-in id gives way to the platform's id when a later export brings it.
    """
    p = {"platform": chat.platform, "external_id": chat.external_id, "name": chat.name}
    found = ws.one("ingest.chat_by_external_id", p)
    if found is None and chat.name:
        if chat.external_id_standin:
            found = ws.one("ingest.chat_by_name", p)
        else:
            found = ws.one("ingest.chat_by_external_id", {**p, "external_id": f"name:{chat.name}"})
            if found is not None:
                ws.q("ingest.adopt_external_id", {"chat_id": found, "external_id": chat.external_id})
    if found is not None:
        if chat.name or chat.chat_type:
            ws.q("ingest.name_chat", {"chat_id": found, "name": chat.name,
                                      "chat_type": chat.chat_type})
        return found
    return ws.one("ingest.insert_chat", {**p, "chat_type": chat.chat_type, "source_id": source_id})
