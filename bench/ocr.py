"""OCR benchmark: screenshots read per minute, and how much of each message the OCR found again.

    python bench/ocr.py [--runs 3] [--psm 4 [6 ...]] [--recompress] [--summary FILE] [--quick]

Reads every sample screenshot (samples/screenshots/, written by samples/screenshots.py) with the
screenshot parser as an import does (decode, pHash, Tesseract OCR; the .txt beside one of them is
not looked for, so every image goes through OCR), --runs times. Prints, for each page segmentation
mode asked for, the throughput in images per minute (median of the runs), then per image the share
of its source message's words found in the OCR text (distinct words of 3+ letters, lower-cased,
accents kept, emoji removed) and the mean word confidence. With several modes, a summary follows.
--recompress reads copies scaled to 540 pixels wide and saved as JPEG quality 55, as a messenger
passes a screenshot on.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from PIL import Image  # noqa: E402

from ingest import screenshot  # noqa: E402
from samples.screenshots import OUT, SCREENS, source_text, word_share  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from summary import Figures, add_options  # noqa: E402


def recompress(folder: Path) -> Path:
    """Copies of the samples as a messenger passes them on: 540 pixels wide, JPEG quality 55."""
    for s in SCREENS:
        img = Image.open(OUT / s.file).convert("RGB")
        img.resize((540, img.height * 540 // img.width), Image.Resampling.LANCZOS).save(
            folder / s.file, "JPEG", quality=55)
    return folder


def read_all(folder: Path, psm: int) -> tuple[float, dict[str, dict]]:
    """Seconds taken to read every sample with OCR mode `psm`, and each image's item."""
    default = screenshot.PSM
    screenshot.PSM = psm
    try:
        start = time.perf_counter()
        items = {}
        for s in SCREENS:
            _, items[s.file] = screenshot.Parser(folder / s.file).records()
        return time.perf_counter() - start, items
    finally:
        screenshot.PSM = default


def measure(folder: Path, psm: int, runs: int) -> tuple[int, float, float, float, float]:
    """Print one mode's table; return (psm, images per minute, mean and lowest share, confidence)."""
    timings = []
    for _ in range(runs):
        seconds, items = read_all(folder, psm)
        timings.append(seconds)
    per_minute = len(SCREENS) * 60 / statistics.median(timings)
    ocr = json.loads(items[SCREENS[0].file]["extra"])["ocr"]
    print(f"\n{ocr['engine']}, -l {ocr['langs']} --psm {ocr['psm']}: {per_minute:.0f} images per "
          f"minute (median of {runs} runs over {len(SCREENS)} images)\n")
    print(f"{'image':32} {'words found':>11} {'confidence':>10}")
    shares, confs = [], []
    for s in SCREENS:
        item = items[s.file]
        share = word_share(source_text(s), item["text"])
        shares.append(share)
        confs.append(item["ocr_confidence"] or 0.0)
        print(f"{s.file:32} {share:>11.1%} {confs[-1]:>10.1f}")
    print(f"{'mean':32} {statistics.mean(shares):>11.1%} {statistics.mean(confs):>10.1f}")
    return psm, per_minute, statistics.mean(shares), min(shares), statistics.mean(confs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=None, help="runs per mode (default 3; quick: 1)")
    parser.add_argument("--psm", type=int, nargs="+", default=[screenshot.PSM],
                        help=f"Tesseract page segmentation modes to compare (default {screenshot.PSM})")
    parser.add_argument("--recompress", action="store_true",
                        help="read copies scaled to 540 pixels wide and saved as JPEG quality 55")
    add_options(parser)
    args = parser.parse_args(argv)
    args.runs = args.runs or (1 if args.quick else 3)
    missing = [s.file for s in SCREENS if not (OUT / s.file).exists()]
    if missing:
        sys.exit(f"missing sample screenshots ({', '.join(missing)}): "
                 "run python samples/screenshots.py")
    with tempfile.TemporaryDirectory() as tmp:
        folder = recompress(Path(tmp)) if args.recompress else OUT
        summary = [measure(folder, psm, args.runs) for psm in args.psm]
    figures = Figures(quick=args.quick)
    psm, per_minute, mean, low, conf = summary[0]
    figures.add(f"OCR of the sample screenshots (--psm {psm}), images per minute", per_minute,
                "images/min")
    figures.add("OCR, share of each message's words found (mean)", mean, "ratio")
    figures.add("OCR, share of each message's words found (lowest image)", low, "ratio")
    figures.write(args.summary)
    if len(summary) > 1:
        print(f"\n{'psm':>4} {'images/min':>10} {'mean found':>10} {'min found':>9} "
              f"{'confidence':>10}")
        for psm, per_minute, mean, low, conf in summary:
            print(f"{psm:>4} {per_minute:>10.0f} {mean:>10.1%} {low:>9.1%} {conf:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
