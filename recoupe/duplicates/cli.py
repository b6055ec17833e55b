"""python -m recoupe duplicates: near-duplicate clusters on the command line."""

from __future__ import annotations

import json
import sys

from ..cliutil import add_json_option, add_workspace_option, fail
from ..items import iso_utc
from ..times import show
from ..workspace import open_workspace


def add_commands(sub) -> None:
    p = sub.add_parser(
        "duplicates", help="near-duplicate clusters: every copy of an advert, and who posted it first",
        description="Bring the near-duplicate clusters up to date (only the posts new since the "
                    "last run are compared), then print them ranked by spread (how many chats) "
                    "and size. Copies differ by prices, emoji, case, accents, spacing, line "
                    "order, disguised letters, a footer, the relay's contact or OCR errors.")
    add_workspace_option(p)
    p.add_argument("--cluster", type=int, metavar="ID", help="print every copy of this cluster")
    p.add_argument("--screenshot", type=int, metavar="ITEM",
                   help="print the messages closest to this screenshot, with what differs")
    p.add_argument("--chat", metavar="NAME", help="only clusters with a copy in this chat")
    p.add_argument("--limit", type=int, default=30, metavar="N", help="clusters to print (default 30)")
    p.add_argument("--rebuild", action="store_true",
                   help="make every cluster again from the items (and the index beside the store)")
    p.add_argument("--no-update", action="store_true",
                   help="print the clusters as stored, without bringing them up to date")
    add_json_option(p, "the clusters (with their items), or the copies, or the matches")
    p.set_defaults(handler=run)


def run(args) -> int:
    from tqdm import tqdm

    from . import clusters, copies, screen_matches, summary, update
    if args.limit < 1:
        return fail("--limit must be at least 1", 2)
    report = None
    with open_workspace(args.workspace, read_only=args.no_update) as ws:
        if not args.no_update:
            bars: dict = {}

            def progress(phase: str, done: int, total: int) -> None:
                bar = bars.get(phase)
                if bar is None:
                    for other in bars.values():
                        other.close()
                    bar = bars[phase] = tqdm(total=total, desc=phase, file=sys.stderr,
                                             leave=False, disable=None)
                bar.n = done
                bar.refresh()

            report = update(ws, progress, rebuild=args.rebuild)
            for bar in bars.values():
                bar.close()
        if args.screenshot is not None:
            found = screen_matches(ws, args.screenshot)
            return _print_matches(args, found)
        if args.cluster is not None:
            rows = copies(ws, args.cluster)
            if not rows:
                return fail(f"there is no cluster {args.cluster} in the workspace {ws.root}")
            return _print_copies(args, rows)
        listed = clusters(ws, args.limit, args.chat)
        totals = summary(ws)
        if args.json:
            out = []
            for c in listed:
                c = {k: (iso_utc(v) if k.endswith("_utc") else v) for k, v in c.items()}
                c["items"] = [r["item_id"] for r in copies(ws, c["cluster_id"])]
                out.append(c)
            print(json.dumps({"clusters": out, "total_clusters": totals["clusters"],
                              "clustered_items": totals["items"],
                              "update": report.__dict__ if report else None},
                             ensure_ascii=False, default=str))
            return 0
    if report:
        print(f"{report.posts} posts: {totals['clusters']} clusters hold {totals['items']} "
              f"items ({'rebuilt' if report.rebuilt else f'{report.signed} new or changed posts compared'}, "
              f"{report.seconds:.1f} s)")
    for c in listed:
        first = (c["first_text"] or "").split("\n", 1)[0][:90]
        print(f"\n#{c['cluster_id']} · {c['size']} copies in {c['chats']} chats · first in "
              f"{c['first_chat']} on {show(c['first_seen_utc'])} (item {c['first_item_id']})")
        print(f"  {first}")
    return 0


def _print_copies(args, rows: list[dict]) -> int:
    if args.json:
        print(json.dumps([{k: (iso_utc(v) if k.endswith("_utc") else v) for k, v in r.items()}
                          for r in rows], ensure_ascii=False))
        return 0
    from .diff import changes
    first = rows[0]
    for r in rows:
        marks = changes(first["text"], r["text"]) if r is not first else []
        what = ", ".join(f"{r['text'][m['start']:m['end']]}" + (f" (was {m['was']})" if m["was"] else "")
                         for m in marks if m["kind"] != "added")
        print(f"item {r['item_id']} · {r['chat']} · {show(r['posted_at_utc']) or 'no time'} · "
              f"{r['platform']}" + (" · first" if r is first else f" · {r['via']} {r['score']}"))
        if what:
            print(f"  changed: {what}")
    return 0


def _print_matches(args, found: list[dict]) -> int:
    if args.json:
        print(json.dumps([{k: (iso_utc(v) if k.endswith("_utc") else v) for k, v in r.items()}
                          for r in found], ensure_ascii=False))
        return 0
    if not found:
        print("no message matches this screenshot's text (is it a screenshot? is the search "
              "index up to date?)")
    for r in found:
        flag = f" · MISMATCH: differs in {', '.join(r['differs'])}" if r["differs"] else ""
        print(f"{r['score']:5.1f}  item {r['item_id']} · {r['chat']} · "
              f"{show(r['posted_at_utc'])}{flag}")
    return 0
