"""Every benchmark, then one table of their headline figures against their targets (`make bench`).

    python bench/run_all.py [--quick] [--only ingest search ...] [--skip ocr ...]

Runs each script of bench/ that can be run (it has a `__main__` block; helpers such as synth.py
and summary.py are not), in name order (search.py builds the workspace search_page.py reads),
with `--summary FILE`, and `--quick` when asked: a small size, to check that each one runs, whose
figures are shown but not judged. A script added later (bench/dedup.py, timeline.py...) is picked
up as it is, with the targets its summary gives. Each script's own tables are printed as it runs;
the gathered figures are also written to bench/out/summary.json.

Exits 1 when a script fails or writes no summary; figures that miss their target are counted in
the last line (the machine is shared: read them beside their baselines).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NOT_BENCHMARKS = {"run_all.py", "dedup_data.py"}  # dedup_data.py writes the labelled set


def scripts(only: list[str] | None = None, skip: list[str] | None = None,
            folder: Path = HERE) -> list[Path]:
    """The runnable benchmark scripts of bench/, in name order."""
    found = []
    for path in sorted(folder.glob("*.py")):
        if path.name in NOT_BENCHMARKS or "__name__ == \"__main__\"" not in path.read_text("utf-8"):
            continue
        if only and path.stem not in only:
            continue
        if skip and path.stem in skip:
            continue
        found.append(path)
    return found


def run(script: Path, quick: bool, folder: Path) -> tuple[list[dict], str | None, float]:
    """Run one script; its figures, what went wrong (or None), and how long it took."""
    out = folder / f"{script.stem}.json"
    command = [sys.executable, str(script), "--summary", str(out)] + (["--quick"] if quick else [])
    print(f"\n=== bench/{script.name}{' --quick' if quick else ''}", flush=True)
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        return [], f"exited with status {proc.returncode}", seconds
    if not out.exists():
        return [], "wrote no --summary (see bench/summary.py for the convention)", seconds
    try:
        figures = json.loads(out.read_text(encoding="utf-8"))
    except ValueError as exc:
        return [], f"its summary is not JSON ({exc})", seconds
    if not isinstance(figures, list) or not all(isinstance(f, dict) and "figure" in f
                                                for f in figures):
        return [], "its summary is not a list of figures", seconds
    return figures, None, seconds


def show_value(value, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "ratio":
        return f"{value:.3f}"
    if unit in ("s", "ms"):
        decimals = 2 if value < 1 else 1 if value < 100 else 0
        return f"{value:,.{decimals}f} {unit}"
    return f"{value:,.0f} {unit}"


def table(results: list[tuple[Path, list[dict], str | None, float]], quick: bool) -> str:
    rows = [("script", "figure", "value", "target", "met", "baseline (same run)")]
    for script, figures, error, seconds in results:
        if error:
            rows.append((script.name, f"FAILED after {seconds:.0f} s: {error}", "", "", "✗", ""))
            continue
        for f in figures:
            met = {True: "✓", False: "✗", None: "–"}[f.get("met")]
            rows.append((script.name, str(f["figure"]), show_value(f.get("value"), f.get("unit", "")),
                         f.get("target") or "", met, f.get("baseline") or ""))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    head = ("Quick run (small sizes): the figures show that each benchmark runs; they are not "
            "judged against the targets, which are for the full sizes.\n\n" if quick else "")
    return head + "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="each benchmark at a small size")
    p.add_argument("--only", nargs="+", metavar="NAME", help="only these (ingest, search...)")
    p.add_argument("--skip", nargs="+", metavar="NAME", help="all but these")
    args = p.parse_args(argv)
    chosen = scripts(args.only, args.skip)
    if not chosen:
        print("error: no benchmark script matches", file=sys.stderr)
        return 2
    results = []
    with tempfile.TemporaryDirectory(prefix="recoupe-bench-") as tmp:
        for script in chosen:
            figures, error, seconds = run(script, args.quick, Path(tmp))
            results.append((script, figures, error, seconds))
    print(f"\n=== Summary: {len(chosen)} benchmark{'s' if len(chosen) != 1 else ''}, "
          f"{sum(r[3] for r in results) / 60:.1f} min in all\n")
    print(table(results, args.quick))
    record = HERE / "out" / "summary.json"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"quick": args.quick, "scripts": [
        {"script": s.name, "seconds": round(sec, 1), "error": e, "figures": f}
        for s, f, e, sec in results]}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    failed = [s.name for s, _, e, _ in results if e]
    missed = sum(1 for _, figures, _, _ in results for f in figures if f.get("met") is False)
    print(f"\n{len(failed)} script(s) failed{': ' + ', '.join(failed) if failed else ''}; "
          f"{missed} figure(s) miss their target. Figures kept in {record.relative_to(ROOT)}.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
