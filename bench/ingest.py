"""Import benchmark: messages per second and peak memory for a large Telegram result.json.

    python bench/ingest.py [--messages 1000000] [--repeat 3] [--summary FILE] [--quick]

Writes a seeded synthetic single-chat export (kept in bench/out/ for the next run), then measures,
each run in a fresh process so that peak memory is that process's own:

- recoupe: `python -m ingest --no-extract` into a new workspace (parse, evidentiary copy, store;
  one transaction), and the same with extraction (language and entities), as the import runs
- parse only: Recoupe's streaming parser without the store
- baselines in the same run: DuckDB's `read_json` loading the same messages from NDJSON, and the
  standard library's `json.load` of the whole file (no store: what a non-streaming parser costs)

Prints medians over --repeat runs. Targets: at least 50,000 messages/s and under 1 GB peak for
parse-and-store (issue 2); a million messages imported with extraction in under 2 minutes (issue 4).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from summary import Figures, add_options  # noqa: E402
from synth import write_export  # noqa: E402

QUICK_MESSAGES = 20_000

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
kind, src, work = sys.argv[1], sys.argv[2], sys.argv[3]
t = time.perf_counter()
n = 0
if kind in ("recoupe", "recoupe_extract"):
    from recoupe.imports import import_paths
    from recoupe.workspace import open_workspace
    with open_workspace(work, create=True) as ws:
        [r] = import_paths(ws, [src], user="bench", extract=kind == "recoupe_extract",
                           index=False)
    assert r.status == "ingested", r.reason
    n = r.items_new
elif kind == "parse":
    from ingest.telegram_json import TelegramJsonParser
    for rec in TelegramJsonParser(src).records():
        n += 1
    n -= 1
elif kind == "duckdb_read_json":
    import duckdb
    con = duckdb.connect(work + ".duckdb")
    con.execute("CREATE TABLE m AS SELECT * FROM read_json(?, format='newline_delimited')", [src])
    n = con.execute("SELECT count(*) FROM m").fetchone()[0]
elif kind == "json_load":
    with open(src, "rb") as f:
        n = len(json.load(f)["messages"])
dt = time.perf_counter() - t
print(json.dumps({{"seconds": dt, "messages": n,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def measure(kind: str, src: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        work = tempfile.mkdtemp(prefix="recoupe-bench-")
        try:
            out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT)), kind,
                                  str(src), os.path.join(work, "ws")],
                                 capture_output=True, text=True, check=True, cwd=ROOT)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return {"seconds": statistics.median(r["seconds"] for r in runs),
            "peak_mb": statistics.median(r["peak_mb"] for r in runs),
            "messages": runs[0]["messages"], "runs": runs}


def ndjson_copy(src: Path, dest: Path) -> None:
    """The same messages as newline-delimited JSON (what DuckDB's read_json streams best)."""
    import ijson
    with open(src, "rb") as f, open(dest, "w", encoding="utf-8") as out:
        for m in ijson.items(f, "messages.item", use_float=True):
            out.write(json.dumps(m, ensure_ascii=False))
            out.write("\n")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--messages", type=int, default=None, help="default 1,000,000 (quick: 20,000)")
    p.add_argument("--repeat", type=int, default=None, help="default 3 (quick: 1)")
    p.add_argument("--out", type=Path, default=HERE / "out")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--no-ocr", action="store_true", help="skip the OCR throughput table")
    add_options(p)
    args = p.parse_args()
    args.messages = args.messages or (QUICK_MESSAGES if args.quick else 1_000_000)
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.no_ocr = args.no_ocr or args.quick  # bench/ocr.py measures OCR on its own
    args.out.mkdir(parents=True, exist_ok=True)
    src = args.out / f"telegram-{args.messages}.json"
    nd = args.out / f"telegram-{args.messages}.ndjson"
    if not src.exists():
        print(f"writing {src} ...", file=sys.stderr)
        write_export(src, args.messages)
    if not nd.exists():
        ndjson_copy(src, nd)
    size_mb = src.stat().st_size / 1e6
    rows = []
    for kind, label, ndjson in KINDS:
        source = nd if ndjson else src
        print(f"measuring {label} x{args.repeat} ...", file=sys.stderr)
        m = measure(kind, source, args.repeat)
        rows.append({"what": label, **m, "per_second": m["messages"] / m["seconds"]})
    write_summary(args, {kind: row for (kind, *_), row in zip(KINDS, rows)})
    if args.json:
        print(json.dumps({"messages": args.messages, "file_mb": size_mb, "rows": rows}, indent=1))
        return 0
    print(f"\nImport of a {args.messages:,}-message result.json ({size_mb:,.0f} MB), "
          f"median of {args.repeat} runs\n")
    print(f"| {'what':<40} | {'seconds':>8} | {'messages/s':>11} | {'peak MB':>8} |")
    print(f"|{'-' * 42}|{'-' * 10}|{'-' * 13}|{'-' * 10}|")
    for r in rows:
        print(f"| {r['what']:<40} | {r['seconds']:>8.1f} | {r['per_second']:>11,.0f} | "
              f"{r['peak_mb']:>8,.0f} |")
    print("\nTargets: import at least 50,000 messages/s and under 1,000 MB peak (issue 2); "
          "import + extraction of 1,000,000 messages under 120 s (issue 4).")
    if not args.no_ocr:
        ocr_table(args.repeat)
    return 0


KINDS = (("recoupe", "recoupe import (parse + copy + store)", False),
         ("recoupe_extract", "recoupe import + extraction", False),
         ("parse", "recoupe parser only", False),
         ("duckdb_read_json", "baseline: DuckDB read_json (NDJSON)", True),
         ("json_load", "baseline: json.load whole file", False))


def write_summary(args, rows: dict[str, dict]) -> None:
    """The headline figures against the targets of issues 2 and 4 (see bench/summary.py)."""
    f = Figures(quick=args.quick)
    ours, extract, duck = rows["recoupe"], rows["recoupe_extract"], rows["duckdb_read_json"]
    f.add("import, messages per second", ours["per_second"], "msg/s",
          target=">= 50,000 msg/s", met=ours["per_second"] >= 50_000,
          baseline=f"DuckDB read_json: {duck['per_second']:,.0f} msg/s")
    f.add("import, peak memory", ours["peak_mb"], "MB", target="< 1,000 MB",
          met=ours["peak_mb"] < 1000,
          baseline=f"json.load whole file: {rows['json_load']['peak_mb']:,.0f} MB")
    per_million = extract["seconds"] * 1_000_000 / args.messages
    f.add("import + extraction, seconds for 1,000,000 messages"
          + ("" if args.messages == 1_000_000 else f" (from {args.messages:,})"),
          per_million, "s", target="< 120 s", met=per_million < 120,
          baseline=f"import without extraction: {ours['seconds'] * 1e6 / args.messages:,.0f} s")
    f.write(args.summary)


def ocr_table(repeat: int) -> None:
    """Screenshots read per minute by the import's OCR, beside Tesseract's default mode."""
    import ocr as ocr_bench  # bench/ocr.py
    from ingest import screenshot
    rows = []
    for label, psm in ((f"recoupe OCR (--psm {screenshot.PSM})", screenshot.PSM),
                       ("baseline: Tesseract default (--psm 3)", 3)):
        times = [ocr_bench.read_all(ocr_bench.OUT, psm)[0] for _ in range(repeat)]
        rows.append((label, len(ocr_bench.SCREENS) * 60 / statistics.median(times)))
    print(f"\nOCR of the {len(ocr_bench.SCREENS)} sample screenshots, median of {repeat} runs\n")
    print(f"| {'what':<40} | {'images/min':>10} |")
    print(f"|{'-' * 42}|{'-' * 12}|")
    for label, per_min in rows:
        print(f"| {label:<40} | {per_min:>10.0f} |")


if __name__ == "__main__":
    sys.exit(main())
