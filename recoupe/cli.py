"""python -m recoupe COMMAND ...: the workspace's command line.

Commands: `items` (write the items as NDJSON or CSV), `overview` (what a workspace holds),
`enrich` (extraction where the lexicon changed), `migrate` (bring a workspace's schema up to
date), `case` and `dossier` (recoupe/casecli.py). Later issues add duplicates, timeline and
user.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import datetime

from ingest.timeutil import DEFAULT_TZ

from . import __version__, i18n
from .cliutil import add_json_option, add_workspace_option, fail, one_line_errors
from .errors import RecoupeError
from .items import iso_utc, iter_items, parse_bound
from .overview import overview
from .times import show
from .workspace import migrate, open_workspace

# Modules that add commands: each has `add_commands(sub)`, whose sub-parsers set
# `handler=function(args) -> exit code` with `set_defaults`.
COMMAND_MODULES: tuple[str, ...] = ("recoupe.timeline.cli", "recoupe.casecli",
                                     "recoupe.duplicates.cli", "recoupe.usercmd")

CSV_FIELDS = ("id", "platform", "chat", "chat_id", "message_id", "kind", "author", "author_id",
              "posted_at", "posted_offset", "tz_assumed", "text", "edited_at", "forwarded_from",
              "reply_to", "action", "album_key", "versions", "source_file", "source_sha256")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m recoupe",
                                description="Recoupe: an investigation workspace for messenger "
                                            "exports. Each command takes --workspace DIR.")
    p.add_argument("--version", action="version", version=f"recoupe {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    items = sub.add_parser("items", help="write the items of a workspace (NDJSON or CSV)",
                           description="Write the workspace's posts, one per line (NDJSON) or as "
                                       "CSV, oldest first within each chat. Times are UTC.")
    add_workspace_option(items)
    items.add_argument("--format", choices=("ndjson", "csv"), default="ndjson")
    items.add_argument("--chat", metavar="NAME", help="only this chat (its name or id)")
    add_days_options(items)
    items.add_argument("--events", action="store_true",
                       help="also write the chats' events (service messages, system lines)")

    ov = sub.add_parser("overview", help="what a workspace holds: sources, chats, dates",
                        description="Summarise a workspace: sources, chats, items, date range, "
                                    "last imports.")
    add_workspace_option(ov)
    add_json_option(ov, "the overview")

    en = sub.add_parser("enrich", help="extract language and entities where the lexicon changed",
                        description="Run extraction (language, substances, prices, zones, "
                                    "contacts, promotions, recruitment) over every post whose "
                                    "entities come from another lexicon version, or none.")
    add_workspace_option(en)
    add_json_option(en, "how many items were enriched")

    se = sub.add_parser("search", help="search the posts of a workspace",
                        description="Search the posts: words (all must match), \"exact "
                                    "phrases\", OR, -exclusion, prefix*, fuzzy~ (or ~2), and "
                                    "fields (chat:, author:, lang:, substance:, zone:, contact:, "
                                    "platform:, promotion:, recruitment:). Case, accents and the "
                                    "sellers' obfuscations are folded.")
    se.add_argument("query", metavar="QUERY")
    add_workspace_option(se)
    se.add_argument("--chat", metavar="NAME", action="append", help="only this chat (repeatable)")
    add_days_options(se)
    se.add_argument("--lang", metavar="CODE", action="append", help="only this language (fr, en…)")
    se.add_argument("--platform", metavar="P", action="append",
                    help="only this platform (telegram, whatsapp, screenshot)")
    se.add_argument("--sort", choices=("relevance", "time", "time_asc"), default="relevance")
    se.add_argument("--limit", type=int, default=20, metavar="N", help="hits to print (default 20)")
    add_json_option(se, '{"total": n, "hits": [{"id", "chat", "message_id", "posted_at", '
                        '"snippet", "score"}]}')

    rx = sub.add_parser("reindex", help="rebuild the search index from the store",
                        description="Rebuild the search index (WORKSPACE/search-index/) from "
                                    "DuckDB, which stays the source of truth.")
    add_workspace_option(rx)

    mg = sub.add_parser("migrate", help="bring a workspace's schema up to date",
                        description="Apply the migrations a workspace lacks, each in one "
                                    "transaction.")
    add_workspace_option(mg)

    import importlib
    for module in COMMAND_MODULES:
        importlib.import_module(module).add_commands(sub)
    return p


def add_days_options(parser: argparse.ArgumentParser) -> None:
    """--since, --until and --tz, as every command that takes a period has them."""
    parser.add_argument("--since", metavar="DATE",
                        help="from this day (YYYY-MM-DD, a day in --tz) or ISO 8601 time")
    parser.add_argument("--until", metavar="DATE",
                        help="up to this day included (YYYY-MM-DD) or before this ISO 8601 time")
    parser.add_argument("--tz", default=DEFAULT_TZ, metavar="ZONE",
                        help="the zone of --since/--until days (default: %(default)s)")


class UsageError(Exception):
    pass


def days_bounds(args) -> tuple:
    """(since, until) in UTC from --since/--until/--tz; UsageError when they cannot be read."""
    try:
        since = parse_bound(args.since, args.tz)
        until = parse_bound(args.until, args.tz, end=True)
    except (RecoupeError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    if since and until and since >= until:
        raise UsageError(f"--since {args.since} is not before --until {args.until}")
    return since, until


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    i18n.from_env()  # errors and dates in $RECOUPE_LANG, else English
    if getattr(args, "handler", None):
        return args.handler(args)
    if args.command == "items":
        return cmd_items(args)
    if args.command == "overview":
        return cmd_overview(args)
    if args.command == "enrich":
        return cmd_enrich(args)
    if args.command == "search":
        return cmd_search(args)
    if args.command == "reindex":
        return cmd_reindex(args)
    if args.command == "migrate":
        with open_workspace(args.workspace, create=False) as ws:
            done = ws.migrated + migrate(ws)
        print(f"applied migrations {done}" if done else "the workspace is up to date")
        return 0
    return fail(f"unknown command {args.command}", 2)


def cmd_items(args) -> int:
    try:
        since, until = days_bounds(args)
    except UsageError as exc:
        return fail(str(exc), 2)
    with open_workspace(args.workspace, read_only=True) as ws:
        rows = iter_items(ws, chat=args.chat, since=since, until=until, events=args.events)
        out = sys.stdout
        if args.format == "csv":
            writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore")
            writer.writeheader()
            for r in rows:
                writer.writerow(r)
        else:
            for r in rows:
                out.write(json.dumps(r, ensure_ascii=False))
                out.write("\n")
    return 0


def cmd_overview(args) -> int:
    with open_workspace(args.workspace, read_only=True) as ws:
        ov = overview(ws)
    if args.json:
        print(json.dumps(ov, ensure_ascii=False,
                         default=lambda v: iso_utc(v) if isinstance(v, datetime) else str(v)))
        return 0
    t = ov["totals"]
    print(f"Workspace {ov['workspace']}")
    print(f"  {t['sources']} source files, {t['chats']} chats, {t['posts']} posts, "
          f"{t['events']} events, {t['versions']} earlier versions")
    if t["first_post_utc"]:
        print(f"  posts from {show(t['first_post_utc'])} to {show(t['last_post_utc'])}")
    for c in ov["chats"]:
        print(f"  {c['posts']:>8} posts  {c['name'] or '(unnamed)'} [{c['platform']}, "
              f"{c['chat_type'] or 'type unknown'}]")
    for r in ov["runs"][:5]:
        print(f"  import {r['id']} by {r['user_name']} ({r['command']}) at "
              f"{show(r['started_at_utc'])}: {r['ingested']} files ingested, "
              f"{r['rejected']} rejected")
    for j in ov["rejections"][:5]:
        print(f"  rejected {show(j['rejected_at_utc'])}: {j['reason']}")
    return 0


def cmd_enrich(args) -> int:
    from tqdm import tqdm

    from .enrich import enrich, pending
    from .extract import LEXICON_VERSION
    with open_workspace(args.workspace) as ws:
        todo = pending(ws)
        with tqdm(total=todo, unit=" items", desc="extracting", file=sys.stderr,
                  disable=None) as bar:
            done = enrich(ws, progress=bar.update)
        if done:
            from .search import update
            update(ws)
    if args.json:
        print(json.dumps({"enriched": done, "lexicon_version": LEXICON_VERSION}))
    else:
        print(f"{done} items enriched with lexicon {LEXICON_VERSION}" if done
              else f"every item is up to date with lexicon {LEXICON_VERSION}")
    return 0


def cmd_search(args) -> int:
    from .search import search
    try:
        since, until = days_bounds(args)
    except UsageError as exc:
        return fail(str(exc), 2)
    if args.limit < 1:
        return fail("--limit must be at least 1", 2)
    filters = {k: v for k, v in (("chat", args.chat), ("lang", args.lang),
                                 ("platform", args.platform), ("since", since),
                                 ("until", until)) if v}
    with open_workspace(args.workspace) as ws:
        result = search(ws, args.query, filters=filters, sort=args.sort, limit=args.limit,
                        facets=False)
    if args.json:
        print(json.dumps({"total": result.total, "hits": [{
            "id": h.id, "chat": h.chat, "message_id": h.message_id,
            "posted_at": iso_utc(h.posted_at), "snippet": h.snippet.text if h.snippet else None,
            "score": h.score} for h in result.hits]}, ensure_ascii=False))
        return 0
    print(f"{result.total} hits for {args.query!r} ({result.seconds * 1000:.0f} ms)")
    for note in result.notes:
        print(f"  note: {note}")
    for h in result.hits:
        snippet = (h.snippet.text if h.snippet else h.text).replace("\n", " ")
        print(f"\n#{h.id} · {h.chat} · {h.author or ''} · {show(h.posted_at)}")
        print(f"  {snippet}")
    return 0


def cmd_reindex(args) -> int:
    from tqdm import tqdm

    from .search import rebuild
    with open_workspace(args.workspace) as ws:
        with tqdm(unit=" posts", desc="indexing", file=sys.stderr, disable=None) as bar:
            def progress(done, total):
                bar.total = total
                bar.n = done
                bar.refresh()
            report = rebuild(ws, progress)
    print(f"indexed {report.documents} posts in {report.seconds:.1f} s")
    return 0
