"""python -m ingest PATH... [--workspace DIR] [--tz ZONE] [--json]

Imports files or folders into a workspace, detecting the format of each.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from recoupe import i18n
from recoupe.cliutil import add_json_option, add_workspace_option, fail, one_line_errors
from recoupe.imports import FileResult, Progress, import_paths, totals
from recoupe.workspace import open_workspace

from .formats import known_formats
from .timeutil import DEFAULT_TZ, zone

LOCK_WAIT = 10.0  # seconds


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Import source files (or folders of them) into a Recoupe workspace. "
                    f"Formats: {known_formats()}.",
        epilog="Exit status: 0 when every file was ingested or unchanged, 1 when any file was "
               "rejected (the others are still imported), 2 for a usage error.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to import")
    add_workspace_option(p)
    p.add_argument("--tz", default=DEFAULT_TZ, metavar="ZONE",
                   help="zone of local times that carry no offset (default: %(default)s); "
                        "the import records that it assumed it")
    p.add_argument("--user", default=None, help="who imports (default: $RECOUPE_USER or your login)")
    p.add_argument("--no-extract", action="store_true",
                   help="store only; run `python -m recoupe enrich` later for languages and "
                        "entities (for very large imports)")
    p.add_argument("--no-index", action="store_true",
                   help="leave the search index as it is; the next import, enrich or "
                        "`python -m recoupe reindex` brings it up to date")
    p.add_argument("--no-duplicates", action="store_true",
                   help="leave the near-duplicate clusters as they are; `python -m recoupe "
                        "duplicates` brings them up to date")
    add_json_option(p, "one object with each file's result and the totals")
    return p


def _bar_progress() -> tuple[Progress, dict]:
    from tqdm import tqdm

    state: dict = {"bar": None}

    def start(path: Path, size: int) -> None:
        state["bar"] = tqdm(total=size, unit="B", unit_scale=True, desc=path.name[:40],
                            file=sys.stderr, leave=False, disable=None)

    def advance(n: int) -> None:
        if state["bar"] is not None:
            state["bar"].update(n)

    def end(result: FileResult) -> None:
        if state["bar"] is not None:
            state["bar"].close()
            state["bar"] = None

    def start_enrich(items: int) -> None:
        state["bar"] = tqdm(total=items, unit=" items", desc="extracting entities",
                            file=sys.stderr, leave=False, disable=None)

    def skip(path: Path) -> None:
        state["skipped"] = state.get("skipped", 0) + 1

    def duplicates(phase: str, done: int, total: int) -> None:
        if state.get("phase") != phase:
            if state["bar"] is not None:
                state["bar"].close()
            state["phase"] = phase
            state["bar"] = tqdm(total=total, desc=f"duplicates: {phase}", file=sys.stderr,
                                leave=False, disable=None)
        state["bar"].n = done
        state["bar"].refresh()

    return Progress(start, advance, end, start_enrich, advance, skip, duplicates), state


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    i18n.from_env()  # recoupe's reasons and errors in $RECOUPE_LANG, else English
    try:
        zone(args.tz)
    except ValueError as exc:
        return fail(str(exc), 2)
    progress, state = _bar_progress()
    # The app holds the workspace only while a page runs: wait a moment for it before saying so.
    with open_workspace(args.workspace, create=True, wait=LOCK_WAIT) as ws:
        results = import_paths(ws, args.paths, tz=args.tz, user=args.user, progress=progress,
                               extract=not args.no_extract, index=not args.no_index,
                               duplicates=not args.no_duplicates)
    if state.get("bar") is not None:
        state["bar"].close()
    summary = totals(results)
    summary["passed_over"] = state.get("skipped", 0)
    if args.json:
        print(json.dumps({"files": [r.as_json() for r in results], "totals": summary},
                         ensure_ascii=False))
    else:
        for r in results:
            if r.status == "rejected":
                print(f"rejected   {r.path}: {r.why}", file=sys.stderr)
            elif r.status == "unchanged":
                print(f"unchanged  {r.path}: already imported, nothing changed "
                      f"({r.items_unchanged} items)")
            else:
                print(f"ingested   {r.path}: {r.items_new} new, {r.items_updated} updated, "
                      f"{r.items_unchanged} unchanged")
        print(f"{summary['files']} file{'s' if summary['files'] != 1 else ''}: {summary['ingested']} ingested, "
              f"{summary['unchanged']} unchanged, {summary['rejected']} rejected; "
              f"{summary['items_new']} new items in {ws.root}")
        if summary["passed_over"]:
            print(f"{summary['passed_over']} other file(s) in the folders passed over: no "
                  "parser knows them (photos of an export, notes...)")
    return 1 if summary["rejected"] else 0


if __name__ == "__main__":
    sys.exit(main())
