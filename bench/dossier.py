"""How long a case's PDF dossier takes: 100 pieces of evidence, 20 of them screenshots.

    python bench/dossier.py [--runs 5] [--workspace DIR] [--summary FILE] [--quick]

Builds (once, in a temporary folder unless --workspace names one) a workspace from a synthetic
Telegram export and 20 phone screenshots (the sample ones, each marked so that every file is
new, with its text given beside it so that no OCR runs), opens a case of 80 messages and the 20
screenshots with 10 claims and their verdicts, then times, in the same run and on the same case:

- the dossier as `dossier export` makes it (target: under 5 s);
- the same dossier redacted;
- baseline: the same dossier without its images;
- baseline: a plain reportlab document of the same texts (Helvetica, one paragraph per line,
  no tables, no fonts embedded, no images): what reportlab itself costs.

Medians of --runs runs are printed (the machine is shared: single runs are noisy). --quick
makes a case of 10 messages and 2 screenshots, once: it checks that the benchmark runs.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))  # after the repository: bench/ingest.py is no package

from PIL import Image, ImageDraw  # noqa: E402

from recoupe import cases  # noqa: E402
from recoupe.access import Actor  # noqa: E402
from recoupe.dossier import export, gather, render  # noqa: E402
from recoupe.imports import import_paths  # noqa: E402
from recoupe.workspace import open_workspace  # noqa: E402
from summary import Figures, add_options  # noqa: E402
from synth import write_export  # noqa: E402

TARGET_S = 5.0
ADMIN = Actor("bench", "admin")
MESSAGES, SCREENSHOTS, CLAIMS = 80, 20, 10


def build(root: Path) -> int:
    """The workspace and its case; returns the case's id."""
    sources = root.parent / "bench-sources"
    shutil.rmtree(sources, ignore_errors=True)
    shots = sources / "screenshots"
    shots.mkdir(parents=True)
    write_export(sources / "result.json", 400, seed=8)
    samples = sorted((ROOT / "samples" / "screenshots").glob("0*.png")) + \
        sorted((ROOT / "samples" / "screenshots").glob("0*.jpg"))
    for n in range(SCREENSHOTS):
        img = Image.open(samples[n % len(samples)]).convert("RGB")
        ImageDraw.Draw(img).rectangle((0, 0, 40 + n, 6), fill=(n * 12 % 255, 90, 160))
        img.save(shots / f"capture-{n:02d}.png")
        (shots / f"capture-{n:02d}.txt").write_text(
            f"Capture {n}\nMENU MIS À JOUR 🎄\nBeuh 10g = {50 + n}€ · @drv13_standard\n"
            f"06 39 98 {n:02d} 87", encoding="utf-8")
    with open_workspace(root, create=True) as ws:
        import_paths(ws, [sources / "result.json", shots], user="bench")
        from recoupe.search import search
        posts = [h.id for h in search(ws, "platform:telegram", limit=MESSAGES, facets=False,
                                      sort="time_asc").hits]
        images = [h.id for h in search(ws, "platform:screenshot", limit=SCREENSHOTS,
                                       facets=False).hits]
        assert len(posts) == MESSAGES and len(images) == SCREENSHOTS, (len(posts), len(images))
        case_id = cases.create_case(ws, ADMIN, "Benchmark: the Christmas calendar 🎄",
                                    "A case of a hundred pieces of evidence.")
        evidence = [cases.add_evidence(ws, ADMIN, case_id, item, note=f"note {n}",
                                       tags="bench").id
                    for n, item in enumerate(posts + images)]
        for n in range(CLAIMS):
            claim = cases.add_claim(ws, ADMIN, case_id, f"Claim number {n} of the story",
                                    evidence[n * 10:(n + 1) * 10]).id
            cases.give_verdict(ws, ADMIN, claim, ("corroborated", "disputed")[n % 2],
                               "read in the adverts")
        cases.approve(ws, ADMIN, case_id)
    return case_id


def plain_reportlab(texts: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    style = getSampleStyleSheet()["BodyText"]
    story = [Paragraph(escape(line.encode("latin-1", "replace").decode("latin-1")) or "&nbsp;",
                       style) for text in texts for line in text.splitlines()]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return out.getvalue()


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--workspace", type=Path, default=None,
                   help="build the workspace there (default: a temporary folder)")
    add_options(p)
    args = p.parse_args()
    global MESSAGES, SCREENSHOTS, CLAIMS
    if args.quick:
        MESSAGES, SCREENSHOTS, CLAIMS, args.runs = 10, 2, 2, 1
    temp = None
    if args.workspace is None:
        temp = tempfile.mkdtemp(prefix="recoupe-bench-dossier-")
        root = Path(temp) / "ws"
    else:
        root = args.workspace
        shutil.rmtree(root, ignore_errors=True)
    try:
        print(f"building a workspace and a case of {MESSAGES + SCREENSHOTS} pieces of evidence "
              f"({SCREENSHOTS} screenshots)…", file=sys.stderr)
        case_id = build(root)
        out = Path(temp or root.parent) / "bench-dossier.pdf"
        rows: dict[str, list[float]] = {k: [] for k in ("dossier", "redacted", "no_images",
                                                        "plain")}
        pages = images = 0
        with open_workspace(root) as ws:
            dossier = gather(ws, case_id, generated_by="bench")
            texts = [e.row["text"] or "" for e in dossier.evidence]
            for run in range(args.runs):
                s, made = timed(lambda: export(ws, ADMIN, case_id, out))
                rows["dossier"].append(s)
                pages, images = made.pages, made.images
                s, _made = timed(lambda: export(ws, ADMIN, case_id, out, redact=True))
                rows["redacted"].append(s)
                s, _made = timed(lambda: render(ws, gather(ws, case_id, generated_by="bench"),
                                                images=False))
                rows["no_images"].append(s)
                s, _made = timed(lambda: plain_reportlab(texts))
                rows["plain"].append(s)
                print(f"run {run + 1}/{args.runs} done", file=sys.stderr)
        med = {k: statistics.median(v) for k, v in rows.items()}
        labels = {"dossier": "dossier export (complete)", "redacted": "dossier export (redacted)",
                  "no_images": "baseline: the same dossier without images",
                  "plain": "baseline: plain reportlab, same texts"}
        print(f"\nDossier of {MESSAGES + SCREENSHOTS} pieces of evidence ({SCREENSHOTS} "
              f"screenshots, {images} printed), {pages} pages; median of {args.runs} runs")
        print(f"{'what':<46} {'median s':>9} {'min s':>7} {'max s':>7}")
        for key, label in labels.items():
            print(f"{label:<46} {med[key]:>9.2f} {min(rows[key]):>7.2f} {max(rows[key]):>7.2f}")
        met = med["dossier"] < TARGET_S
        print(f"\ntarget: under {TARGET_S:.0f} s for the complete dossier: "
              f"{'met' if met else 'NOT met'}")
        figures = Figures(quick=args.quick)
        figures.add(f"dossier of {MESSAGES + SCREENSHOTS} pieces of evidence, {SCREENSHOTS} "
                    "screenshots", round(med["dossier"], 3), "s", target=f"< {TARGET_S:.0f} s",
                    met=met, baseline=f"the same without images: {med['no_images']:.2f} s; "
                                      f"plain reportlab, same texts: {med['plain']:.2f} s")
        figures.add("the same dossier, redacted", round(med["redacted"], 3), "s")
        figures.write(args.summary)
        return 0
    finally:
        if temp:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
