"""Timeline benchmark: drawing a timeline (the series query and the chart's spec) over 1,000,000
messages, against baselines measured in the same run.

    python bench/timeline.py [--messages 1000000] [--repeat 5] [--summary FILE] [--quick]

The workspace is bench/search.py's (a seeded synthetic corpus of 12 chats over a year, imported
with extraction and indexed): it is built on the first run and kept in bench/out/. For each kind
of series the page draws, each `--repeat` times:

- Recoupe: `recoupe.timeline` (the series aggregated in DuckDB, counted per UTC hour before the
  move to Europe/Paris, empty periods filled) and the Altair chart's Vega-Lite spec, markers
  included: what the Timeline page does before the browser draws;
- DuckDB, every post moved to Paris: the same series with the zone computed for each post
  (`timeline.volume_direct`), same chart;
- pandas: the posts' times and chats fetched from DuckDB, moved to Paris and grouped by pandas
  (what one would write without the store doing the work), same chart.

The three give the same counts (checked). Prints the median time of each; the target (issue 7)
is under one second for Recoupe's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

TARGET_S = 1.0


def _chart_spec(tl, frame, ws, by, prices=False):
    import altair as alt
    view = tl.days_in_view(frame, by)
    marks = tl.markers(ws, *view) if view else []
    chart = (tl.price_chart(frame, marks, by=by) if prices
             else tl.volume_chart(frame, marks, by=by))
    with alt.data_transformers.disable_max_rows():
        return chart.to_dict()


def _pandas_volume(ws, tl, scope, by, split):
    """The baseline: rows fetched, zone and grouping in pandas."""
    import pandas as pd
    ids = None
    if scope.query:
        from recoupe.search import hit_ids
        ids = hit_ids(ws, scope.query)
    rows = ws.q("timeline.post_times", {}).df()
    if ids is not None:
        rows = rows[rows["id"].isin(ids)]
    local = (pd.to_datetime(rows["posted_at_utc"]).dt.tz_localize("UTC")
             .dt.tz_convert("Europe/Paris").dt.tz_localize(None))
    freq = {"hour": "h", "day": "D"}.get(by)
    period = local.dt.floor(freq) if freq else (local.dt.normalize()
                                                - pd.to_timedelta(local.dt.day_of_week, unit="D"))
    keys = [period.rename("period")] + ([rows["chat_id"]] if split else [])
    counts = rows.groupby(keys).size()
    return counts.reset_index(name="items")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--messages", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--summary", metavar="FILE", help="write the headline figures as JSON")
    p.add_argument("--quick", action="store_true",
                   help="20,000 messages, twice: checks that it runs (figures not judged)")
    args = p.parse_args()
    if args.quick:
        args.messages, args.repeat = 20_000, 2

    import search as search_bench
    from recoupe import timeline as tl
    from recoupe.workspace import open_workspace

    out = HERE / "out"
    out.mkdir(exist_ok=True)
    ws_dir = search_bench.build_workspace(out, args.messages)
    with open_workspace(ws_dir) as ws:  # brings an older benchmark workspace up to date
        pass
    ws = open_workspace(ws_dir, read_only=True)
    cases = [
        ("all posts, per day", tl.Scope(), "day", False),
        ("all posts, per hour (a year)", tl.Scope(), "hour", False),
        ("one line per chat, per week", tl.Scope(), "week", True),
        ("one line per chat, per day", tl.Scope(), "day", True),
        ("posts naming a zone, per day", tl.Scope(entity=("zone", "Aubagne")), "day", False),
        ("a search (coke), per day", tl.Scope(query="coke"), "day", False),
    ]
    rows = []
    summary = []
    for label, scope, by, split in cases:
        timings = {"recoupe": [], "query": [], "duckdb_direct": [], "pandas": []}
        frames = {}
        for _ in range(args.repeat):
            t = time.perf_counter()
            frame = tl.volume(ws, scope, by=by, split=split)
            timings["query"].append(time.perf_counter() - t)
            _chart_spec(tl, frame, ws, by)
            timings["recoupe"].append(time.perf_counter() - t)
            frames["recoupe"] = frame
            t = time.perf_counter()
            frame = tl.volume(ws, scope, by=by, split=split, direct=True)
            _chart_spec(tl, frame, ws, by)
            timings["duckdb_direct"].append(time.perf_counter() - t)
            frames["duckdb_direct"] = frame
            if scope.entity is None:  # (the baseline has no entity filter)
                t = time.perf_counter()
                counts = _pandas_volume(ws, tl, scope, by, split)
                timings["pandas"].append(time.perf_counter() - t)
                frames["pandas"] = counts
        a, b = frames["recoupe"], frames["duckdb_direct"]
        same = (a["items"].tolist() == b["items"].tolist()
                and ("pandas" not in frames
                     or int(a["items"].sum()) == int(frames["pandas"]["items"].sum())))
        med = {k: statistics.median(v) if v else None for k, v in timings.items()}
        rows.append((label, len(a), int(a["items"].sum()), med, same))
        summary.append({"figure": f"timeline: {label}", "value": round(med["recoupe"], 3),
                        "unit": "s", "target": f"< {TARGET_S:g} s",
                        "met": None if args.quick else med["recoupe"] < TARGET_S,
                        "baseline": f"DuckDB moving every post: {med['duckdb_direct']:.3f} s"})

    timings = {"recoupe": [], "query": []}
    for _ in range(args.repeat):
        t = time.perf_counter()
        frame = tl.prices(ws, "cocaine", by="week", per_chat=True)
        timings["query"].append(time.perf_counter() - t)
        _chart_spec(tl, frame, ws, "week", prices=True)
        timings["recoupe"].append(time.perf_counter() - t)
    price_med = statistics.median(timings["recoupe"])
    price_query = statistics.median(timings["query"])
    observations = int(frame["observations"].sum())
    summary.append({"figure": "timeline: cocaine prices per chat, per week", "value":
                    round(price_med, 3), "unit": "s", "target": f"< {TARGET_S:g} s",
                    "met": None if args.quick else price_med < TARGET_S})
    ws.close()

    print(f"\nTimeline on {args.messages:,} messages (median of {args.repeat}; query and chart "
          f"spec, markers included)\n")
    print(f"{'series':<34} {'periods':>7} {'posts':>9} {'Recoupe':>8} {'(query)':>8} "
          f"{'DuckDB/post':>11} {'pandas':>8}  same  target")
    for label, periods, posts, med, same in rows:
        pandas_ms = f"{med['pandas'] * 1000:.0f}ms" if med["pandas"] else "—"
        print(f"{label:<34} {periods:>7,} {posts:>9,} {med['recoupe'] * 1000:>6.0f}ms "
              f"{med['query'] * 1000:>6.0f}ms {med['duckdb_direct'] * 1000:>9.0f}ms "
              f"{pandas_ms:>8}  "
              f"{'yes' if same else 'NO':>4}  {'met' if med['recoupe'] < TARGET_S else 'MISSED'}")
    print(f"{'cocaine prices per chat, per week':<34} {len(frame):>7,} {observations:>9,} "
          f"{price_med * 1000:>6.0f}ms {price_query * 1000:>6.0f}ms {'':>11} {'':>8}        "
          f"{'met' if price_med < TARGET_S else 'MISSED'}")
    print("\nRecoupe: series query and chart spec, (query) the query alone; DuckDB/post: the same "
          "series and chart moving every post to Europe/Paris; pandas: the "
          "rows fetched and grouped in pandas (no chart for it; — where it has no such filter). "
          "'posts' counts prices on the last line.")
    if args.summary:
        Path(args.summary).write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0 if all(s["met"] is not False for s in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
