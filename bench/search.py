"""Search benchmark: time per query on a 1,000,000-message workspace, Recoupe's engine against
DuckDB's `fts` extension on the same posts, in the same run.

    python bench/search.py [--messages 1000000] [--repeat 3] [--json] [--summary FILE] [--quick]

The first run writes a seeded synthetic corpus (Telegram Desktop exports of 12 chats, channels
and groups with many authors, over a year) and imports it with `python -m ingest`, which also
runs extraction; the workspace is kept in bench/out/ for the next runs. Its words follow Zipf's
law over a vocabulary of about 40,000 words (a few function words in most messages, a long tail
of words in a handful), with the sellers' vocabulary mixed in: street names and their emoji
code, obfuscated spellings ("c0ke", "K.E.T.A"), zones, prices, handles, accents and capitals.
(bench/synth.py's messages, which bench/ingest.py uses, draw 45 words uniformly: no rare word,
so they cannot tell a fast engine from a slow one on rare terms.)

Then, each in the same run:

- the index build (`recoupe.search.rebuild`) from the workspace, and the incremental update
  (`recoupe.search.update`) after importing 10,000 more messages, on a copy of the workspace;
- the fixed query set (rare and frequent words, phrases, OR, exclusion, prefix, fuzzy, field
  filters, sort by time, a deep page), each `--repeat` times: Recoupe's engine returns the top 50
  hits with their snippets and the facet counts; DuckDB `fts` (`PRAGMA create_fts_index` over
  the same posts, BM25) returns the top 50 ids for the same words and filters. Its build time is
  printed too. The extension is loaded from the file the `duckdb-extension-fts` package ships
  (its version is DuckDB's), never downloaded.

Prints p50 and p95 of the time per query for each engine. Target (issue 5): p95 under 50 ms for
Recoupe's engine, facet counts included.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
from summary import Figures, add_options  # noqa: E402

QUICK_MESSAGES = 20_000  # bench/search_page.py --quick reads the workspace of this size
PARIS = ZoneInfo("Europe/Paris")
START = datetime(2025, 12, 1, 7, 0, tzinfo=timezone.utc)
INCREMENT = 10_000
FTS_DB = "fts-baseline.duckdb"  # the baseline's copy of the posts, removed after the run

# The head of the vocabulary, most frequent first; the long tail of made-up words follows.
_HEAD = ("de la le et à les des pour en un une du au avec sur dans par dispo livraison pas plus "
         "tout ce qui que on vous nous commande prix qualité top rapide menu gramme promo stock "
         "arrivage frais discret privé offert cadeau réduction fidélité livreur sérieux contact "
         "beuh weed shit frappe coco coke kéta 3mmc ecsta md pollen filtré hash ganja "
         "marseille aubagne ciotat vitrolles marignane aix noailles belsunce canebière "
         "noël réveillon calendrier avent nouvel an black friday soir nuit matin week-end "
         "7j/7 24h/24 jusqu'à minuit secteur quartier centre nord sud").split()
_OBFUSCATED = {"coke": ("c0ke", "C.O.K.E", "ｃｏｋｅ", "COKE"), "kéta": ("k3ta", "K.E.T.A", "KÉTA"),
               "beuh": ("b3uh", "BEUH"), "réveillon": ("RÉVEILLON", "reveillon"),
               "noël": ("NOËL", "noel"), "shit": ("sh1t", "S.H.I.T")}
_EMOJI = ("🍃", "🌿", "❄️", "🍫", "💊", "🔥", "🎄", "🎅", "🚀", "📦", "🛵", "💯", "✅")
_ENGLISH = ("the best quality weed coke delivery fast available now order today price list menu "
            "discreet shipping worldwide top shelf new stock limited offer contact me for more "
            "info free gift with every order").split()
_SYLLABLES = ("ba ko ri ste lu mar vel dro qui zen pa to ne sa fi go lo mi nu ra se ti vo za "
              "bre cla dri fro gra pli tru vin sor bal cam dor fen gil hul jar kem lor mus").split()
_CHATS = (("Le Plug du 13 🍃", "public_channel"), ("Livraison Marseille 24/7", "public_channel"),
          ("Coffee Shop Provence", "public_channel"), ("Menu Noël 🎄", "public_channel"),
          ("Frappe Express", "public_channel"), ("La Ciotat Delivery", "public_channel"),
          ("Vitrolles Drive", "public_channel"), ("Aix Weed Club", "public_channel"),
          ("Groupe Acheteurs 13", "private_supergroup"), ("Entraide Marseille", "private_supergroup"),
          ("Bons Plans Sud", "private_supergroup"), ("Rave Sud-Est", "private_supergroup"))


def _vocabulary(rng: random.Random, tail: int = 40_000) -> tuple[list[str], list[float]]:
    """The words and their cumulative Zipf weights (exponent 1)."""
    seen = set(_HEAD)
    words = list(_HEAD)
    while len(words) < len(_HEAD) + tail:
        w = "".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words, list(itertools.accumulate(1 / rank for rank in range(1, len(words) + 1)))


class Corpus:
    """Seeded message texts: Zipf words, obfuscations, emoji, prices, handles, a few languages."""

    def __init__(self, seed: int = 5):
        self.rng = random.Random(seed)
        self.words, self.cum = _vocabulary(self.rng)
        self.total = self.cum[-1]

    def text(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.08:
            body = " ".join(rng.choices(_ENGLISH, k=rng.randint(5, 16)))
        else:
            picks = [self.words[bisect.bisect_left(self.cum, rng.random() * self.total)]
                     for _ in range(rng.randint(6, 36))]
            body = " ".join(rng.choice(_OBFUSCATED[w]) if w in _OBFUSCATED and rng.random() < 0.2
                            else w for w in picks)
        if rng.random() < 0.3:
            body += " " + "".join(rng.choices(_EMOJI, k=rng.randint(1, 3)))
        if rng.random() < 0.05:
            body = body.upper()
        if rng.random() < 0.5:
            body += f"\n{rng.choice([1, 2, 3, 5, 10, 20])}g = {rng.randint(2, 40) * 5}€"
        if rng.random() < 0.3:
            body += f" @plug{rng.randint(1, 3000)}"
        elif rng.random() < 0.03:
            body += f" 06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} " \
                    f"{rng.randint(10, 99)}"
        return body


def _message(mid: int, t: datetime, author: str, author_id: str, text: str) -> dict:
    local = t.astimezone(PARIS).replace(tzinfo=None).isoformat()
    return {"id": mid, "type": "message", "date": local, "date_unixtime": str(int(t.timestamp())),
            "from": author, "from_id": author_id, "text": text}


def write_corpus(folder: Path, n: int, seed: int = 5) -> tuple[list[Path], Path]:
    """Write `n` messages as one export per chat, and a later export of the first chat holding
    INCREMENT more messages. Returns (the exports, the later export)."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(seed)
    rng = random.Random(seed + 1)
    weights = [1 / (i + 1) ** 0.7 for i in range(len(_CHATS))]
    sizes = [int(n * w / sum(weights)) for w in weights]
    sizes[0] += n - sum(sizes)
    members = [f"{rng.choice(['Karim', 'Léa', 'Yanis', 'Inès', 'Moussa', 'Chloé', 'Nico'])} "
               f"{''.join(rng.choices(_SYLLABLES, k=2)).capitalize()}" for _ in range(3000)]
    paths = []
    span = 365 * 86400
    for number, ((name, kind), size) in enumerate(zip(_CHATS, sizes)):
        chat_id = 2_000_000_000 + number
        path = folder / f"chat-{number:02d}.json"
        t = START
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps({"name": name, "type": kind, "id": chat_id}, ensure_ascii=False)[:-1]
                    + ', "messages": [\n')
            for mid in range(1, size + 1):
                t += timedelta(seconds=rng.randint(1, 2 * span // size))
                if kind == "public_channel":
                    author, author_id = name, f"channel{chat_id}"
                else:
                    member = rng.randrange(len(members))
                    author, author_id = members[member], f"user{100_000 + member}"
                m = _message(mid, t, author, author_id, corpus.text())
                f.write(json.dumps(m, ensure_ascii=False) + (",\n" if mid < size else "\n"))
            f.write("]}\n")
        paths.append(path)
    later = folder / "later" / "chat-00.json"
    later.parent.mkdir(exist_ok=True)
    name, kind = _CHATS[0]
    with open(later, "w", encoding="utf-8") as f:
        msgs = []
        t = START + timedelta(seconds=span + 3600)
        for mid in range(sizes[0] + 1, sizes[0] + INCREMENT + 1):
            t += timedelta(seconds=rng.randint(1, 60))
            msgs.append(_message(mid, t, name, f"channel{2_000_000_000}", corpus.text()))
        json.dump({"name": name, "type": kind, "id": 2_000_000_000, "messages": msgs}, f,
                  ensure_ascii=False)
    return paths, later


def build_workspace(out: Path, n: int) -> Path:
    """The benchmark workspace, imported once and kept in `out`."""
    ws = out / f"search-ws-{n}"
    if (ws / "recoupe.duckdb").exists() and (ws / ".complete").exists():
        return ws
    corpus = out / f"search-corpus-{n}"
    print(f"writing the corpus in {corpus} ...", file=sys.stderr)
    paths, _ = write_corpus(corpus, n)
    shutil.rmtree(ws, ignore_errors=True)
    print(f"importing it into {ws} (python -m ingest, extraction included) ...", file=sys.stderr)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ingest", *map(str, paths), "--workspace", str(ws),
                    "--user", "bench"], cwd=ROOT, check=True)
    print(f"imported in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    (ws / ".complete").write_text("")
    return ws


def queries(n: int) -> list[dict]:
    """The fixed query set: Recoupe's query, its filters and sort, and what DuckDB `fts` runs
    for it (`fts`: the words it scores; `any`: OR instead of AND; `where`: extra SQL). DuckDB's
    `fts` has no phrases, prefixes or fuzzy matching: those rows give it the plain words (less
    work than what Recoupe does for them)."""
    words, _ = _vocabulary(random.Random(5))
    rare, rarer = words[len(_HEAD) + 2_000], words[len(_HEAD) + 30_000]
    typo = rare[:2] + rare[3:]
    since, until = datetime(2026, 3, 1), datetime(2026, 4, 1)
    return [
        {"kind": "frequent word", "q": "de", "fts": "de"},
        {"kind": "frequent word", "q": "livraison", "fts": "livraison"},
        {"kind": "two frequent words", "q": "dispo commande", "fts": "dispo commande"},
        {"kind": "rare word", "q": rare, "fts": rare},
        {"kind": "rarest word", "q": rarer, "fts": rarer},
        {"kind": "accents folded", "q": "RÉVEILLON", "fts": "réveillon"},
        {"kind": "accents folded", "q": "noel", "fts": "noel"},
        {"kind": "obfuscation + emoji code", "q": "c0ke", "fts": "c0ke"},
        {"kind": "street name + emoji code", "q": "beuh", "fts": "beuh"},
        {"kind": "phrase", "q": '"livraison rapide"', "fts": "livraison rapide"},
        {"kind": "phrase", "q": '"calendrier de l\'avent"', "fts": "calendrier avent"},
        {"kind": "OR", "q": "ganja OR hash", "fts": "ganja hash", "any": True},
        {"kind": "exclusion", "q": "livraison -beuh",
         "fts": "livraison", "where": "fts_main_posts.match_bm25(id, 'beuh') IS NULL"},
        {"kind": "prefix", "q": "livr*", "fts": "livraison"},
        {"kind": "prefix", "q": "marseil*", "fts": "marseille"},
        {"kind": "fuzzy", "q": "livraisn~", "fts": "livraisn"},
        {"kind": "fuzzy, rare word", "q": f"{typo}~", "fts": typo},
        {"kind": "fuzzy, 2 edits", "q": "reveilon~2", "fts": "reveilon"},
        {"kind": "field in query", "q": "weed lang:en", "fts": "weed", "where": "lang = 'en'"},
        {"kind": "fields in query", "q": "substance:cocaine zone:aubagne", "fts": "aubagne",
         "where": "list_contains(substances, 'cocaine')"},
        {"kind": "chat filter", "q": "livraison", "filters": {"chat": "Aix Weed Club"},
         "fts": "livraison", "where": "chat = 'Aix Weed Club'"},
        {"kind": "date filter", "q": "promo", "filters": {"since": since, "until": until},
         "fts": "promo", "where": f"posted_at_utc >= '{since}' AND posted_at_utc < '{until}'"},
        {"kind": "price filter", "q": "beuh", "filters": {"unit_price_min": 10, "unit_price_max": 20},
         "fts": "beuh", "where": "len([p FOR p IN unit_prices IF p BETWEEN 10 AND 20]) > 0"},
        {"kind": "group, OR, exclusion", "q": "(coke OR frappe) aubagne -livraison",
         "fts": "coke frappe aubagne", "any": True},
        {"kind": "sorted by time", "q": "prix", "sort": "time", "fts": "prix"},
        {"kind": "deep page (offset 5,000)", "q": "livraison", "offset": 5000, "fts": "livraison",
         "offset_sql": 5000},
        {"kind": "filters only", "q": "", "filters": {"chat": "Rave Sud-Est", "lang": "fr"},
         "fts": None, "where": "chat = 'Rave Sud-Est' AND lang = 'fr'"},
    ]


def fts_extension() -> str | None:
    """The path of DuckDB's fts extension as the `duckdb-extension-fts` package ships it."""
    try:
        import duckdb
        import duckdb_extension_fts
    except ImportError:
        return None
    path = (Path(duckdb_extension_fts.__file__).parent / "extensions" / f"v{duckdb.__version__}"
            / "fts.duckdb_extension")
    return str(path) if path.exists() else None


def build_fts(ws_dir: Path, out: Path) -> tuple[object, float]:
    """A DuckDB database holding the workspace's posts and DuckDB's fts index over them."""
    import duckdb
    db = out / FTS_DB
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    con.execute("SET enable_progress_bar = false")
    con.execute(f"LOAD '{fts_extension()}'")
    con.execute(f"ATTACH '{ws_dir / 'recoupe.duckdb'}' AS ws (READ_ONLY)")
    con.execute("""
        CREATE TABLE posts AS
        SELECT i.id, i.text, c.name AS chat, i.lang, i.posted_at_utc, e.substances, e.unit_prices
        FROM ws.items i JOIN ws.chats c ON c.id = i.chat_id
        LEFT JOIN (SELECT item_id,
                          list(DISTINCT value) FILTER (WHERE kind = 'substance') AS substances,
                          list(unit_price) FILTER (WHERE unit_price IS NOT NULL) AS unit_prices
                   FROM ws.entities GROUP BY item_id) e ON e.item_id = i.id
        WHERE i.kind = 'post'""")
    con.execute("DETACH ws")
    t = time.perf_counter()
    con.execute("PRAGMA create_fts_index('posts', 'id', 'text', stemmer = 'none', "
                "stopwords = 'none', strip_accents = 1, lower = 1, overwrite = 1)")
    return con, time.perf_counter() - t


def fts_query(con, spec: dict) -> int:
    where = spec.get("where")
    offset = spec.get("offset_sql", 0)
    if spec["fts"] is None:
        rows = con.execute(f"SELECT id FROM posts WHERE {where} ORDER BY posted_at_utc DESC "
                           f"LIMIT 50 OFFSET {offset}").fetchall()
        return len(rows)
    conjunctive = 0 if spec.get("any") else 1
    order = "posted_at_utc DESC" if spec.get("sort") == "time" else "score DESC"
    rows = con.execute(
        f"SELECT id FROM (SELECT id, text, chat, lang, posted_at_utc, substances, unit_prices, "
        f"fts_main_posts.match_bm25(id, $q, conjunctive := {conjunctive}) AS score FROM posts) "
        f"WHERE score IS NOT NULL {'AND (' + where + ')' if where else ''} "
        f"ORDER BY {order} LIMIT 50 OFFSET {offset}", {"q": spec["fts"]}).fetchall()
    return len(rows)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def timed(fn, repeat: int) -> tuple[list[float], object]:
    out = fn()  # one run first, so that each engine is measured warm
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1000)
    return times, out


def incremental(ws_dir: Path, out: Path, n: int) -> dict:
    """Import INCREMENT more messages into a copy of the workspace, then time `update`."""
    from recoupe.search import update
    from recoupe.workspace import open_workspace
    later = out / f"search-corpus-{n}" / "later" / "chat-00.json"
    if not later.exists():
        write_corpus(out / f"search-corpus-{n}", n)
    copy = out / f"search-ws-{n}-plus"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir()
    shutil.copy2(ws_dir / "recoupe.duckdb", copy / "recoupe.duckdb")
    shutil.copytree(ws_dir / "search-index", copy / "search-index")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ingest", str(later), "--workspace", str(copy),
                    "--user", "bench", "--no-index"], cwd=ROOT, check=True, capture_output=True)
    imported = time.perf_counter() - t
    with open_workspace(copy) as ws:
        report = update(ws)
    shutil.rmtree(copy, ignore_errors=True)
    return {"import_seconds": imported, "update_seconds": report.seconds,
            "indexed": report.indexed, "documents": report.documents}


def write_summary(args, figures: dict) -> None:
    """The headline figures against the target of issue 5 (see bench/summary.py)."""
    f = Figures(quick=args.quick)
    ours = figures["summary"][0]
    fts = figures["summary"][1] if len(figures["summary"]) > 1 else None
    f.add(f"search p95 per query, {args.messages:,} messages", ours["p95_ms"], "ms",
          target="< 50 ms", met=ours["p95_ms"] < 50,
          baseline=f"DuckDB fts: {fts['p95_ms']:,.0f} ms" if fts else None)
    f.add(f"search p50 per query, {args.messages:,} messages", ours["p50_ms"], "ms",
          baseline=f"DuckDB fts: {fts['p50_ms']:,.0f} ms" if fts else None)
    build = figures["build"]
    f.add("search index build", build["recoupe_seconds"], "s",
          baseline=f"DuckDB fts: {build['fts_seconds']:,.1f} s" if build["fts_seconds"] else None)
    f.add(f"index update after importing {INCREMENT:,} more messages",
          figures["incremental"]["update_seconds"], "s")
    f.write(args.summary)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--messages", type=int, default=None, help="default 1,000,000 (quick: 20,000)")
    p.add_argument("--repeat", type=int, default=None,
                   help="timed runs of each query per engine (default 3; quick: 1)")
    p.add_argument("--out", type=Path, default=HERE / "out")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    add_options(p)
    args = p.parse_args()
    args.messages = args.messages or (QUICK_MESSAGES if args.quick else 1_000_000)
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.out.mkdir(parents=True, exist_ok=True)
    from recoupe.search import rebuild, search
    from recoupe.workspace import open_workspace

    ws_dir = build_workspace(args.out, args.messages)
    print("building Recoupe's index ...", file=sys.stderr)
    with open_workspace(ws_dir) as ws:
        ws.con.execute("SET enable_progress_bar = false")
        build = rebuild(ws)
    print("importing 10,000 more messages into a copy, then updating its index ...",
          file=sys.stderr)
    inc = incremental(ws_dir, args.out, args.messages)
    fts_con = fts_build = None
    if fts_extension():
        print("building DuckDB's fts index ...", file=sys.stderr)
        fts_con, fts_build = build_fts(ws_dir, args.out)
    else:
        print("duckdb-extension-fts is not installed: no baseline", file=sys.stderr)

    rows = []
    print("timing the queries ...", file=sys.stderr)
    with open_workspace(ws_dir, read_only=True) as ws:
        for spec in queries(args.messages):
            ours, result = timed(lambda: search(
                ws, spec["q"], filters=spec.get("filters"), sort=spec.get("sort", "relevance"),
                offset=spec.get("offset", 0), limit=50), args.repeat)
            row = {"kind": spec["kind"], "query": spec["q"], "hits": result.total,
                   "recoupe_ms": ours}
            if fts_con is not None:
                row["fts_ms"], _ = timed(lambda: fts_query(fts_con, spec), args.repeat)
            rows.append(row)
    if fts_con is not None:
        fts_con.close()
        (args.out / FTS_DB).unlink()
    engines = [("recoupe (tantivy), top 50 + snippets + facet counts", "recoupe_ms")]
    if fts_con is not None:
        engines.append(("baseline: DuckDB fts (BM25), top 50 ids", "fts_ms"))
    summary = []
    for label, key in engines:
        every = [t for r in rows for t in r[key]]
        summary.append({"engine": label, "p50_ms": percentile(every, 50),
                        "p95_ms": percentile(every, 95), "max_ms": max(every)})
    figures = {"messages": args.messages, "queries": len(rows), "repeat": args.repeat,
               "summary": summary,
               "build": {"recoupe_seconds": build.seconds, "documents": build.documents,
                         "fts_seconds": fts_build},
               "incremental": inc,
               "per_query": [{k: (statistics.median(v) if k.endswith("_ms") else v)
                              for k, v in r.items()} for r in rows]}
    write_summary(args, figures)
    if args.json:
        print(json.dumps(figures, indent=1, default=str))
        return 0
    print(f"\nSearch on {args.messages:,} messages: {len(rows)} queries, {args.repeat} timed "
          "runs each per engine (after one warm-up run)\n")
    print(f"| {'engine':<55} | {'p50 ms':>8} | {'p95 ms':>8} | {'max ms':>8} |")
    print(f"|{'-' * 57}|{'-' * 10}|{'-' * 10}|{'-' * 10}|")
    for s in summary:
        print(f"| {s['engine']:<55} | {s['p50_ms']:>8.1f} | {s['p95_ms']:>8.1f} | "
              f"{s['max_ms']:>8.1f} |")
    print("\nTarget (issue 5): p95 under 50 ms for Recoupe's engine, facet counts included.\n")
    print(f"| {'query':<38} | {'kind':<26} | {'hits':>9} | {'recoupe ms':>10} | {'fts ms':>8} |")
    print(f"|{'-' * 40}|{'-' * 28}|{'-' * 11}|{'-' * 12}|{'-' * 10}|")
    for r in figures["per_query"]:
        fts = f"{r['fts_ms']:>8.1f}" if "fts_ms" in r else f"{'-':>8}"
        print(f"| {r['query'][:38]:<38} | {r['kind'][:26]:<26} | {r['hits']:>9,} | "
              f"{r['recoupe_ms']:>10.1f} | {fts} |")
    print(f"\nIndex build from the workspace ({build.documents:,} posts): Recoupe "
          f"{build.seconds:.1f} s" + (f"; DuckDB fts {fts_build:.1f} s" if fts_build else ""))
    print(f"Import of {INCREMENT:,} more messages: {inc['import_seconds']:.1f} s; then the "
          f"incremental index update: {inc['update_seconds']:.2f} s ({inc['indexed']:,} posts "
          f"indexed, {inc['documents']:,} in the index)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
