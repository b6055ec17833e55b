"""Near-duplicate clusters: pairwise precision and recall on the labelled set, and time and peak
memory on a million messages, each beside baselines measured in the same run.

    python bench/dedup.py                          # the labelled set, then a million messages
                                                   # and 10,000 more (what `make bench` runs)
    python bench/dedup.py --messages 0             # only the labelled set
    python bench/dedup.py --quick                  # the labelled set and 20,000 messages
    python bench/dedup.py --summary FILE           # headline figures as JSON, for `make bench`

The labelled set: 534 items in 108 clusters (36 templates filled three times: an advert and two
hard negatives, each with copies), written by `bench/dedup_data.py`. Baselines: the exact-hash pass
alone (tokens equal after the normaliser), and plain MinHash/LSH (same signatures and bands, every
candidate pair taken as a copy, as text-dedup does), and Recoupe (the same candidates checked with
rapidfuzz, see recoupe/duplicates/compare.py).

With --messages N: N synthetic messages (`dedup_data.stream`: adverts of many networks on the
templates and reposts of them) are imported into a fresh workspace (without extraction, search
index or clustering), then `recoupe.duplicates.update(ws, rebuild=True)` clusters them in a child
process whose peak memory (ru_maxrss) is read; then 10,000 more messages are imported and the
incremental update is timed. The baseline in the same run is plain MinHash/LSH on the same texts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))  # after the repository: bench/ingest.py is not `ingest`

import numpy as np  # noqa: E402

from recoupe.duplicates import engine, lsh  # noqa: E402
from summary import Figures, add_options  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "dedup_labelled.jsonl"
PARIS = ZoneInfo("Europe/Paris")


def pairs(labels) -> set[tuple[int, int]]:
    groups = defaultdict(list)
    for i, label in enumerate(labels):
        groups[label].append(i)
    return {p for g in groups.values() for p in itertools.combinations(g, 2)}


def scores(truth, found) -> tuple[float, float]:
    t, f = pairs(truth), pairs(found)
    hit = len(t & f)
    return (hit / len(f) if f else 1.0), hit / len(t)


def plain_minhash(p: engine.Prepared) -> np.ndarray:
    """Components of the LSH candidate graph, no check (with the exact pass)."""
    uf = engine.UnionFind(len(p.canon))
    dup, first = engine.exact_groups(p.exact, p.has_words)
    for x, y in zip(dup.tolist(), first.tolist()):
        uf.union(x, y)
    ia, ib, _ = lsh.candidate_pairs(p.keys)
    for x, y in zip(ia.tolist(), ib.tolist()):
        uf.union(x, y)
    return uf.labels()


def labelled() -> list[dict]:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    truth = [r["cluster"] for r in rows]
    p = engine.prepare([r["text"] for r in rows])
    exact = [int(k) if h else -i for i, (k, h) in enumerate(zip(p.exact, p.has_words))]
    out = []
    for name, found in (("exact hash", exact), ("plain MinHash/LSH", plain_minhash(p).tolist())):
        pr, rc = scores(truth, found)
        out.append((name, pr, rc, None))
    t0 = time.perf_counter()
    edges, uf = engine.cluster(engine.prepare([r["text"] for r in rows]))
    seconds = time.perf_counter() - t0
    pr, rc = scores(truth, uf.labels().tolist())
    out.append(("Recoupe (LSH + rapidfuzz check)", pr, rc, edges.checked))
    print(f"Labelled set: {len(rows)} items in {len(set(truth))} clusters, "
          f"{len(pairs(truth))} true pairs; Recoupe clustered it in {seconds * 1000:.0f} ms")
    print(f"{'method':34} {'precision':>9} {'recall':>7} {'pairs checked':>14}")
    for name, pr, rc, checked in out:
        print(f"{name:34} {pr:9.3f} {rc:7.3f} {checked if checked is not None else '—':>14}")
    print(f"{'text-dedup MinHash on CORE (published)':34} {0.959:9.3f} {0.942:7.3f} {'—':>14}")
    return [{"figure": "dedup precision (labelled set)", "value": round(out[-1][1], 4),
             "unit": "ratio", "target": ">= 0.98", "met": out[-1][1] >= 0.98},
            {"figure": "dedup recall (labelled set)", "value": round(out[-1][2], 4),
             "unit": "ratio", "target": ">= 0.95", "met": out[-1][2] >= 0.95}]


def write_export(path: Path, rows, name: str, chat_id: int) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps({"name": name, "type": "public_channel", "id": chat_id})[:-1]
                + ', "messages": [\n')
        first = True
        for mid, _chat, text, epoch in rows:
            t = datetime.fromtimestamp(epoch, timezone.utc)
            m = {"id": mid, "type": "message",
                 "date": t.astimezone(PARIS).replace(tzinfo=None).isoformat(),
                 "date_unixtime": str(epoch), "from": name, "from_id": f"channel{chat_id}",
                 "text": text}
            f.write(("" if first else ",\n") + json.dumps(m, ensure_ascii=False))
            first = False
        f.write("\n]}\n")


CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from recoupe.duplicates import update
from recoupe.workspace import open_workspace
with open_workspace({ws!r}) as ws:
    t0 = time.perf_counter()
    r = update(ws, rebuild={rebuild})
    seconds = time.perf_counter() - t0
print(json.dumps({{"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "clusters": r.clusters, "clustered": r.clustered, "checked": r.checked,
                  "signed": r.signed, "posts": r.posts, "rebuilt": r.rebuilt}}))
"""


def child(ws: Path, rebuild: bool) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), ws=str(ws),
                                                             rebuild=rebuild)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def million(n: int, more: int, keep: Path | None) -> list[dict]:
    from dedup_data import stream
    from recoupe.imports import import_paths
    from recoupe.workspace import open_workspace
    tmp = Path(tempfile.mkdtemp(prefix="recoupe-dedup-", dir=keep))
    rows = list(stream(n + more))
    base, extra = rows[:n], rows[n:]
    texts = [r[2] for r in base]
    t0 = time.perf_counter()
    p = engine.prepare(texts)
    plain_minhash(p)
    baseline = time.perf_counter() - t0
    del p
    exports = []
    for k, part in enumerate((base, extra)):
        for chat, chat_id in (("network", 1), ("relay", 2)):
            path = tmp / f"part{k}-{chat}.json"
            write_export(path, [r for r in part if (r[1] == "relay") == (chat == "relay")],
                         f"Bench {chat} {k}", 3000 + chat_id)
            exports.append(path)
    del rows, base, texts
    ws = tmp / "ws"
    t0 = time.perf_counter()
    with open_workspace(ws, create=True) as w:
        import_paths(w, exports[:2], user="bench", extract=False, index=False, duplicates=False)
    imported = time.perf_counter() - t0
    full = child(ws, True)
    with open_workspace(ws) as w:
        import_paths(w, exports[2:], user="bench", extract=False, index=False, duplicates=False)
    inc = child(ws, False)
    print(f"\n{n:,} messages (imported in {imported:.0f} s, not counted), then {more:,} more:")
    print(f"{'run':44} {'seconds':>8} {'peak MB':>8} {'pairs checked':>14} {'clusters':>9}")
    print(f"{'baseline: plain MinHash/LSH, in memory':44} {baseline:8.1f} {'—':>8} {'—':>14} {'—':>9}")
    print(f"{'Recoupe: full run from the workspace':44} {full['seconds']:8.1f} {full['rss_mb']:8.0f} "
          f"{full['checked']:>14,} {full['clusters']:>9,}")
    print(f"{'Recoupe: incremental run, ' + format(more, ',') + ' new':44} {inc['seconds']:8.1f} "
          f"{inc['rss_mb']:8.0f} {inc['checked']:>14,} {inc['clusters']:>9,}")
    if keep is None:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    return [{"figure": f"dedup full run, {n:,} messages", "value": round(full["seconds"], 1),
             "unit": "s", "target": "< 120 s", "met": full["seconds"] < 120},
            {"figure": f"dedup peak memory, {n:,} messages", "value": round(full["rss_mb"]),
             "unit": "MB", "target": "< 4096 MB", "met": full["rss_mb"] < 4096},
            {"figure": f"dedup incremental run, {more:,} new", "value": round(inc["seconds"], 1),
             "unit": "s", "target": None, "met": None}]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--messages", type=int, default=None,
                    help="also time N messages (default 1,000,000; 20,000 with --quick; 0: only "
                         "the labelled set)")
    ap.add_argument("--more", type=int, default=10_000, help="messages added for the incremental run")
    ap.add_argument("--keep", type=Path, default=None, help="make the workspace under this folder")
    add_options(ap)
    args = ap.parse_args()
    messages = args.messages if args.messages is not None else (
        20_000 if args.quick else 1_000_000)
    rows = labelled()
    if messages:
        rows += million(messages, min(args.more, max(messages // 10, 1)), args.keep)
    figures = Figures(quick=args.quick)
    for r in rows:  # precision and recall do not depend on a size; the timings do
        figures.add(r["figure"], r["value"], r["unit"], target=r["target"], met=r["met"],
                    size_free=r["unit"] == "ratio")
    figures.write(args.summary)


if __name__ == "__main__":
    main()
