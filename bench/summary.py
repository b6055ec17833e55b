"""What every benchmark script shares: `--summary FILE` and `--quick`, and the figures it writes.

A script under bench/ prints its own tables, and with `--summary FILE` also writes its headline
figures as a JSON list, which `bench/run_all.py` (`make bench`) gathers into one table:

    [{"figure": "import, messages per second", "value": 64735, "unit": "msg/s",
      "target": ">= 50,000 msg/s", "met": true, "baseline": "DuckDB read_json: 120,000 msg/s"}]

`target` is the goal as written in the issue (or null), `met` whether this run meets it (null
when there is no target, or when `--quick` sizes are too small to judge it: a figure that does
not depend on the size, such as a precision on a labelled set, is added with
`size_free=True` and judged in quick runs too), `baseline` an
optional figure measured in the same run to read this one against. `--quick` runs the script at
a small size, to check that it works, not to measure.

    from summary import Figures, add_options
    add_options(parser)                      # --summary FILE, --quick
    figures = Figures(quick=args.quick)
    figures.add("p95 per query", 12.3, "ms", target="< 50 ms", met=12.3 < 50)
    figures.write(args.summary)
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

UNITS = ("s", "ms", "MB", "ratio", "msg/s", "images/min", "count")


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--summary", type=Path, metavar="FILE",
                        help="also write the headline figures as JSON to FILE (for make bench)")
    parser.add_argument("--quick", action="store_true",
                        help="a small size, to check that the benchmark runs (figures not judged)")


class Figures:
    """The headline figures of one run of a script."""

    def __init__(self, quick: bool = False):
        self.quick = quick
        self.rows: list[dict] = []

    def add(self, figure: str, value: float, unit: str, *, target: str | None = None,
            met: bool | None = None, baseline: str | None = None,
            size_free: bool = False) -> None:
        if unit not in UNITS:
            raise ValueError(f"unit {unit!r} is not one of {UNITS}")
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        row = {"figure": figure, "value": value, "unit": unit, "target": target,
               "met": None if target is None or (self.quick and not size_free) else bool(met)}
        if baseline:
            row["baseline"] = baseline
        self.rows.append(row)

    def write(self, path: Path | None) -> None:
        if path is not None:
            Path(path).write_text(json.dumps(self.rows, indent=1, ensure_ascii=False) + "\n",
                                  encoding="utf-8")
