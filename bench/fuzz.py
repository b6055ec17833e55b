"""Fuzzing every parser: any input imports or is rejected with a reason; no crash, hang or stray file.

    python bench/fuzz.py [--minutes 10] [--parser NAME ...] [--import-every 25] [--summary FILE] [--quick]

One target per parser in `ingest/` (WhatsApp twice: its text and its zip):

| target          | seeds                                                                   |
|-----------------|-------------------------------------------------------------------------|
| telegram_json   | the samples' and the real exports' result.json files, plus generated exports |
| telegram_html   | the samples' and the real exports' messages.html pages                  |
| whatsapp_txt    | the real exports' chats (iOS, Android, many locales and calendars)      |
| whatsapp_zip    | the samples' and the real exports' zips, and zips built from the texts  |
| screenshot      | the sample screenshots, made small (PNG, JPEG, WebP) so that OCR is quick |
| scraper_tables  | 4CAT, Telethon and telegram-tracker tables from tests/data/scrapers     |

Hypothesis draws each input: a seed and a list of mutations (bytes flipped, inserted, deleted,
repeated, truncated, spliced with another seed, and tokens that parsers trip on: quotes, braces,
angle brackets, NUL, huge numbers, odd Unicode, `../` names), or, for Telegram JSON and
WhatsApp text, a document generated from the format's grammar with hostile values. Every input
goes through the real parser (`ingest.formats.PARSERS`) and every record is read. The checks:

- the parser yields its records or raises `ingest.Rejected` with a non-empty reason; any other
  exception is a finding (saved, with its traceback, under bench/out/fuzz-findings/);
- each input finishes within a time limit (`--timeout`, 20 s; a hang is a finding);
- nothing is written outside the input's own folder: the parser runs in a fresh, empty working
  directory with TMPDIR pointing into the run's own folder, and the folder around the input is
  listed before and after (an archive member named `../x` must never appear there);
- one input in `--import-every` also goes through `recoupe.imports.import_paths` into a
  temporary workspace (copy, store, extraction, search index), which must report it ingested,
  unchanged or rejected with a reason, never "could not be imported" (an unexpected exception).

Each target runs for `--minutes` (default 10; `--quick`: 3 seconds each, to check that it runs)
and the table says how many inputs each took.
Run it niced: `nice -n 19 python bench/fuzz.py --parser telegram_json --parser whatsapp_txt`.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(HERE))  # after ROOT: bench/ingest.py must not hide the ingest package

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ingest import Rejected  # noqa: E402
from ingest.formats import PARSERS  # noqa: E402
from summary import Figures, add_options  # noqa: E402

SAMPLES = ROOT / "samples"
REAL = ROOT.parent / "shared" / "real-exports"
SCRAPERS = ROOT / "tests" / "data" / "scrapers"
OUT = HERE / "out"

TOKENS = [b'"', b"'", b"{", b"}", b"[", b"]", b"<", b">", b"</div>", b"<script>", b"\x00",
          b"\\u0000", b"\\ud800", b"\xff\xfe", b"\xef\xbb\xbf", b"\r\n", b"\n\n\n", b",", b":",
          b"99999999999999999999999999", b"-1", b"1e308", b"NaN", b"null", b"true", b"[[[[[[[[",
          b"{{{{{{{{", b"&#0;", b"&amp;", b"\xe2\x80\x8e", b"\xd8\xa7", b"\xf0\x9f\x8e\x84",
          b"../../escaped.txt", b"/etc/passwd", b"%s%n", b"<img src=x onerror=alert(1)>",
          b"[01/12/2026, 10:00:00] ", b"12/1/26, 10:00 - ", b"\"date_unixtime\": \"", b"\t"]


@dataclass
class Target:
    name: str
    parser: str           # the key in ingest.formats.PARSERS
    file_name: str        # the name the input is written under
    seeds: list[bytes] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # one file name per seed (some parsers read it)


def _read(paths) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in paths if p.is_file()]


def _small_images() -> list[tuple[str, bytes]]:
    from PIL import Image
    out = []
    for i, p in enumerate(sorted((SAMPLES / "screenshots").glob("*.*"))):
        if p.suffix.lower() not in (".png", ".jpg", ".jpeg", ".webp"):
            continue
        img = Image.open(p).convert("RGB")
        img.thumbnail((320, 320))
        fmt = ("PNG", "JPEG", "WEBP")[i % 3]
        buf = io.BytesIO()
        img.save(buf, fmt)
        out.append((f"shot.{fmt.lower()}", buf.getvalue()))
    return out


def _zip_of(name: str, text: bytes, extra: tuple = ()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_chat.txt", text)
        for member, data in extra:
            z.writestr(member, data)
    return buf.getvalue()


def targets() -> dict[str, Target]:
    tg_json = _read(sorted(SAMPLES.glob("telegram/*/result.json"))) + \
        _read(sorted((REAL / "telegram-json").glob("*.json")))
    tg_html = _read(sorted(SAMPLES.glob("telegram-html/*/messages*.html"))) + \
        _read(sorted((REAL / "telegram-html").glob("*/messages*.html")))
    wa_txt = _read(sorted((REAL / "whatsapp").glob("*.txt")))
    wa_zip = _read(sorted(SAMPLES.glob("whatsapp/*.zip"))) + \
        _read(sorted((REAL / "whatsapp").glob("*.zip"))) + \
        [(f"WhatsApp Chat - {i}.zip", _zip_of(n, data, (("IMG-1.jpg", b"\xff\xd8\xff"),)))
         for i, (n, data) in enumerate(wa_txt[:4])]
    tables = _read(sorted(p for p in SCRAPERS.rglob("*") if p.suffix in (".csv", ".ndjson",
                                                                          ".jsonl")))
    found = {
        "telegram_json": Target("telegram_json", "telegram_json", "result.json"),
        "telegram_html": Target("telegram_html", "telegram_html", "messages.html"),
        "whatsapp_txt": Target("whatsapp_txt", "whatsapp", "WhatsApp Chat with Fuzz.txt"),
        "whatsapp_zip": Target("whatsapp_zip", "whatsapp", "WhatsApp Chat - Fuzz.zip"),
        "screenshot": Target("screenshot", "screenshot", "shot.png"),
        "scraper_tables": Target("scraper_tables", "scraper_tables", "table.csv"),
    }
    for key, seeds in (("telegram_json", tg_json), ("telegram_html", tg_html),
                       ("whatsapp_txt", wa_txt), ("whatsapp_zip", wa_zip),
                       ("screenshot", _small_images()), ("scraper_tables", tables)):
        found[key].seeds = [data for _, data in seeds]
        found[key].names = [name for name, _ in seeds]
    return found


# --- inputs ---------------------------------------------------------------------------------

@st.composite
def mutated(draw, target: Target) -> tuple[str, bytes]:
    i = draw(st.integers(0, len(target.seeds) - 1))
    data = bytearray(target.seeds[i])
    name = target.names[i]
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(("flip", "insert", "token", "delete", "repeat", "truncate",
                                   "splice")))
        n = len(data)
        at = draw(st.integers(0, max(n - 1, 0)))
        if op == "flip" and n:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "token":
            data[at:at] = draw(st.sampled_from(TOKENS)) * draw(st.integers(1, 4))
        elif op == "delete" and n:
            del data[at:at + draw(st.integers(1, 256))]
        elif op == "repeat" and n:
            chunk = bytes(data[at:at + draw(st.integers(1, 512))])
            data[at:at] = chunk * draw(st.integers(1, 20))
        elif op == "truncate":
            del data[at:]
        elif op == "splice":
            other = target.seeds[draw(st.integers(0, len(target.seeds) - 1))]
            cut = draw(st.integers(0, len(other)))
            data[at:] = other[cut:]
    return name, bytes(data)


HOSTILE_TEXT = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                     "[click](javascript:alert(1))", "# header", "\u202e\u0000", "💊" * 50,
                     "x" * 10_000, "", " ", "\n"]))
JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                        st.floats(allow_nan=False), HOSTILE_TEXT)
JSON_ANY = st.recursive(JSON_SCALAR, lambda kids: st.one_of(
    st.lists(kids, max_size=4), st.dictionaries(st.text(max_size=12), kids, max_size=4)),
    max_leaves=12)


@st.composite
def telegram_document(draw) -> tuple[str, bytes]:
    """A Telegram Desktop export generated from its shape, each field possibly of a wrong type."""
    def value(good):
        return draw(st.one_of(good, JSON_ANY)) if draw(st.booleans()) else draw(good)

    messages = []
    for mid in range(draw(st.integers(0, 12))):
        unix = draw(st.integers(-2**40, 2**40)) if draw(st.integers(0, 9)) == 0 \
            else 1795000000 + mid * 60
        m = {"id": value(st.just(mid + 1)), "type": value(st.sampled_from(["message", "service"])),
             "date": value(st.just("2026-12-01T10:00:00")),
             "date_unixtime": value(st.just(str(unix))),
             "from": value(HOSTILE_TEXT), "from_id": value(st.just("user1")),
             "text": value(st.one_of(HOSTILE_TEXT, st.lists(st.one_of(HOSTILE_TEXT, st.fixed_dictionaries(
                 {"type": st.sampled_from(["link", "bold", "text_link", "mention", "x"]),
                  "text": HOSTILE_TEXT}, optional={"href": HOSTILE_TEXT})), max_size=4)))}
        for key in draw(st.lists(st.sampled_from(["reply_to_message_id", "forwarded_from",
                                                  "edited_unixtime", "photo", "file",
                                                  "reactions", "inline_bot_buttons", "action",
                                                  "media_type", "text_entities"]), max_size=3)):
            m[key] = draw(JSON_ANY)
        messages.append(m)
    doc = {"name": value(HOSTILE_TEXT), "type": value(st.sampled_from(
        ["public_channel", "private_group", "personal_chat", "saved_messages"])),
           "id": value(st.integers(-2**63, 2**63)), "messages": messages}
    if draw(st.booleans()):
        doc = {"about": "x", "chats": {"about": "y", "list": [doc]}}
    return "result.json", json.dumps(doc, ensure_ascii=draw(st.booleans())).encode()


@st.composite
def whatsapp_document(draw) -> tuple[str, bytes]:
    """A WhatsApp text built from its line shapes, with hostile names, dates and texts."""
    shapes = ["[{d}/{m}/{y}, {H}:{M}:{S}] {who}: {text}", "{d}/{m}/{y}, {H}:{M} - {who}: {text}",
              "{m}/{d}/{y} {H}:{M} {ampm} - {who}: {text}", "{y}-{m}-{d} {H}:{M} - {who}: {text}",
              "[{d}.{m}.{y}, {H}:{M}:{S}] {who}: {text}", "{text}"]
    lines = []
    for _ in range(draw(st.integers(1, 20))):
        lines.append(draw(st.sampled_from(shapes)).format(
            d=draw(st.integers(0, 40)), m=draw(st.integers(0, 14)),
            y=draw(st.sampled_from([26, 2026, 2569, 1, 99999, 0])), H=draw(st.integers(0, 30)),
            M=draw(st.integers(0, 70)), S=draw(st.integers(0, 70)),
            ampm=draw(st.sampled_from(["AM", "PM", "ص", "م", "", "a.m."])),
            who=draw(HOSTILE_TEXT).replace("\n", " "), text=draw(HOSTILE_TEXT)))
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "cp1252", "utf-8-sig"]))
    return "WhatsApp Chat with Fuzz.txt", "\n".join(lines).encode(encoding, "replace")


def inputs(target: Target):
    if target.name == "telegram_json":
        return st.one_of(mutated(target), telegram_document())
    if target.name == "whatsapp_txt":
        return st.one_of(mutated(target), whatsapp_document())
    return mutated(target)


# --- running one input ----------------------------------------------------------------------

class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def _listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")} if folder.exists() else set()


@dataclass
class Stats:
    inputs: int = 0
    imported: int = 0
    rejected: int = 0
    through_import: int = 0
    findings: list[str] = field(default_factory=list)


class Runner:
    def __init__(self, target: Target, base: Path, timeout: float, import_every: int):
        self.target, self.base, self.timeout = target, base, timeout
        self.import_every = import_every
        self.stats = Stats()
        self.findings_dir = OUT / "fuzz-findings" / target.name
        self.cwd = base / "cwd"
        self.tmp = base / "tmp"
        self.cage = base / "cage"   # the input's folder sits two levels down, so that `../x`
        self.ws = base / "ws"       # and `../../x` land here, where they are looked for

    def run(self, name: str, data: bytes) -> None:
        s = self.stats
        s.inputs += 1
        for folder in (self.cwd, self.tmp, self.cage):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        folder = self.cage / "a" / "in"
        folder.mkdir(parents=True)
        path = folder / (name if self.target.name in ("whatsapp_zip", "scraper_tables",
                                                      "screenshot") else self.target.file_name)
        path.write_bytes(data)
        before = _listing(self.cage)
        outcome, detail = self._parse(path)
        after = _listing(self.cage)
        stray = sorted(after - before)
        stray += sorted(str(p) for p in (_listing(self.cwd) | _listing(self.tmp)))
        if outcome == "imported":
            s.imported += 1
        elif outcome == "rejected":
            s.rejected += 1
        else:
            self._finding(outcome, name, data, detail)
        if stray:
            self._finding("stray files", name, data, "\n".join(stray))
        if self.import_every and s.inputs % self.import_every == 0:
            self._through_import(path, name, data)

    def _parse(self, path: Path) -> tuple[str, str]:
        old_cwd = os.getcwd()
        old_tmp = os.environ.get("TMPDIR")
        os.chdir(self.cwd)
        os.environ["TMPDIR"] = str(self.tmp)
        tempfile.tempdir = None
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, self.timeout)
        try:
            parser = PARSERS[self.target.parser](path, source_sha256="0" * 64, origin=path)
            for _ in parser.records():
                pass
            return "imported", ""
        except Rejected as exc:
            if not str(exc).strip():
                return "empty reason", "Rejected with an empty reason"
            return "rejected", str(exc)
        except Hang:
            return "hang", f"more than {self.timeout} s"
        except RecursionError:
            return "crash", traceback.format_exc()
        except Exception:  # noqa: BLE001 - every other exception is what the fuzzer looks for
            return "crash", traceback.format_exc()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            os.chdir(old_cwd)
            if old_tmp is None:
                os.environ.pop("TMPDIR", None)
            else:
                os.environ["TMPDIR"] = old_tmp
            tempfile.tempdir = None

    def _through_import(self, path: Path, name: str, data: bytes) -> None:
        from recoupe.imports import import_paths
        from recoupe.workspace import open_workspace
        self.stats.through_import += 1
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, self.timeout * 3)
        try:
            with open_workspace(self.ws, create=True) as ws:
                results = import_paths(ws, [path], user="fuzz")
            for r in results:
                if r.status not in ("ingested", "unchanged", "rejected"):
                    self._finding("import status", name, data, repr(r))
                elif r.status == "rejected" and (not r.why or "could not be imported" in r.why):
                    self._finding("import crash", name, data, r.reason or "no reason")
        except Hang:
            self._finding("import hang", name, data, f"more than {self.timeout * 3} s")
        except Exception:  # noqa: BLE001
            self._finding("import error", name, data, traceback.format_exc())
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def _finding(self, kind: str, name: str, data: bytes, detail: str) -> None:
        digest = hashlib.sha256(data).hexdigest()[:16]
        last = detail.strip().splitlines()[-1] if detail.strip() else kind
        self.stats.findings.append(f"{kind}: {last} [{digest}]")
        self.findings_dir.mkdir(parents=True, exist_ok=True)
        (self.findings_dir / f"{digest}-{Path(name).name}").write_bytes(data)
        (self.findings_dir / f"{digest}.txt").write_text(f"{kind}\n{name}\n\n{detail}\n")


def fuzz(target: Target, minutes: float, timeout: float, import_every: int) -> Stats:
    base = Path(tempfile.mkdtemp(prefix=f"recoupe-fuzz-{target.name}-"))
    runner = Runner(target, base, timeout, import_every)
    deadline = time.monotonic() + minutes * 60

    @settings(max_examples=50, phases=[Phase.generate], database=None, deadline=None,
              suppress_health_check=list(HealthCheck), derandomize=False)
    @given(inputs(target))
    def one(case):
        if time.monotonic() < deadline:
            runner.run(*case)

    try:
        while time.monotonic() < deadline:
            one()
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return runner.stats


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, default=10.0, help="per parser (default 10)")
    p.add_argument("--parser", action="append", choices=sorted(targets()),
                   help="only these targets (repeatable; default: all)")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds per input (hang above)")
    p.add_argument("--import-every", type=int, default=25,
                   help="every Nth input also goes through import_paths (0: never)")
    add_options(p)
    args = p.parse_args(argv)
    if args.quick:
        args.minutes = 0.05
    chosen = targets()
    names = args.parser or list(chosen)
    rows = []
    for name in names:
        started = time.monotonic()
        stats = fuzz(chosen[name], args.minutes, args.timeout, args.import_every)
        took = time.monotonic() - started
        rows.append((name, stats, took))
        print(f"{name}: {stats.inputs} inputs in {took / 60:.1f} min, {len(stats.findings)} "
              "findings", file=sys.stderr, flush=True)
    print(f"\n{'parser':<16}{'inputs':>9}{'inputs/s':>10}{'imported':>10}{'rejected':>10}"
          f"{'via import':>12}{'findings':>10}")
    for name, s, took in rows:
        print(f"{name:<16}{s.inputs:>9}{s.inputs / took:>10.1f}{s.imported:>10}{s.rejected:>10}"
              f"{s.through_import:>12}{len(s.findings):>10}")
    for name, s, _ in rows:
        for f in dict.fromkeys(s.findings):
            print(f"  {name}: {f}")
    figures = Figures(quick=args.quick)
    for name, s, took in rows:
        figures.add(f"fuzz {name}: findings in {s.inputs} inputs ({took / 60:.0f} min)",
                    len(s.findings), "count", target="0", met=not s.findings, size_free=True)
    figures.write(args.summary)
    return 1 if any(s.findings for _, s, _ in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
