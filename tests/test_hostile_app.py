"""The adversary's words stay inert text on every page of the app.

A Telegram export whose channel name, author names, texts and file name carry HTML, scripts,
Markdown links to `javascript:` and Markdown headers is imported; then every page is run
(AppTest), and every string the app sent to the browser is inspected: where the element renders
Markdown (text of st.markdown, captions, alerts, titles, widget labels and help), the payloads
must appear escaped, never raw, and no element may allow HTML. The same workspace is opened in
Chromium by tests/test_browser.py, which checks the DOM itself.
"""

from __future__ import annotations

import re

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from conftest import ROOT, message, telegram_export, write_json
from recoupe import cases
from recoupe.access import Actor
from recoupe.imports import import_paths
from recoupe.workspace import open_workspace

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
LINK = "[click](javascript:alert(1))"
ANCHOR = '<a href="javascript:alert(2)">here</a>'
HEADER = "# BIG HEADER"
PAYLOADS = (IMG, SCRIPT, LINK, ANCHOR)
# What must never reach a Markdown-rendering field unescaped (escaped, each mark has a backslash).
RAW = re.compile(r"(?<!\\)<(img|script|a href)|(?<!\\)\]\(javascript:|(^|\n)# BIG")


def hostile_export(folder):
    name = f"Canal {IMG} {SCRIPT}"
    msgs = [
        message(1, f"{IMG} promo beuh aubagne", **{"from": f"Vendeur {SCRIPT}"}),
        message(2, f"{LINK} livraison coke marseille", **{"from": f"{ANCHOR}"}),
        message(3, f"{HEADER}\n{ANCHOR} 10g = 60€ calendrier", **{"from": LINK}),
        message(4, [f"{SCRIPT} texte riche ", {"type": "text_link", "text": "lien",
                                                "href": "javascript:alert(3)"}],
                **{"from": HEADER}),
    ]
    return write_json(folder / f"{IMG}.json", telegram_export(msgs, name=name, chat_id=666))


@pytest.fixture(scope="module")
def hostile_ws(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    src = hostile_export(root / "in")
    with open_workspace(root / "ws", create=True) as ws:
        [r] = import_paths(ws, [src], user="rita")
        assert r.status == "ingested", r.reason
        # a case whose title, summary, note, tags and claim carry the payloads too
        rita = Actor("rita", "admin")
        case = cases.create_case(ws, rita, f"Enquête {IMG}", f"{LINK} {HEADER}")
        first = ws.con.execute("SELECT min(id) FROM items").fetchone()[0]
        ev = cases.add_evidence(ws, rita, case, first, note=f"{SCRIPT} {ANCHOR}",
                                tags=["<b>gras</b>"]).id
        cases.add_claim(ws, rita, case, f"{ANCHOR} {IMG}", evidence=[ev])
    return root / "ws"


def _strings(msg: Message, path: str = ""):
    """(field path, text) for every string field of a protobuf message, recursively."""
    for field, value in msg.ListFields():
        name = f"{path}.{field.name}" if path else field.name
        values = value if getattr(field, "is_repeated", False) or isinstance(value, (list, tuple)) or type(value).__name__.startswith("Repeated") else [value]
        for v in values:
            if isinstance(v, Message):
                yield from _strings(v, name)
            elif isinstance(v, str):
                yield name, v


# Fields Streamlit shows as plain text (never through Markdown).
PLAIN_TYPES = {"text", "code", "json"}
PLAIN_FIELDS = ("options", "default", "value", "placeholder", "raw_value", "id", "form_id",
                "page_script_hash", "url_path", "page", "query_string")


def rendered(at: AppTest):
    """(element type, field, text) for every string the page sent that Streamlit may render as
    Markdown; and the elements that allow HTML."""
    out, html = [], []

    def walk(node):
        children = getattr(node, "children", None)
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is not None and isinstance(proto, Message):
            if getattr(proto, "allow_html", False) or kind == "html":
                html.append(kind)
            if kind not in PLAIN_TYPES:
                for field, text in _strings(proto):
                    if not field.split(".")[-1] in PLAIN_FIELDS:
                        out.append((kind, field, text))
        for child in (children or {}).values():
            walk(child)

    walk(at._tree)
    return out, html


def check(at: AppTest, page: str) -> None:
    assert not at.exception, (page, at.exception)
    strings, html = rendered(at)
    assert not html, (page, html)
    leaks = [(kind, field, text[:120]) for kind, field, text in strings
             if RAW.search(text)]
    assert not leaks, (page, leaks)


@pytest.fixture
def app(hostile_ws, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("RECOUPE_WORKSPACE", str(hostile_ws))
    monkeypatch.setenv("RECOUPE_USER", "rita")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    return at.run()


def test_every_page_shows_the_payloads_as_text(app, hostile_ws):
    check(app, "overview")
    shown = {t.value for t in app.text}
    for page in ("pages/screenshots.py", "pages/import_files.py", "pages/audit.py",
                 "pages/accounts.py", "pages/timeline.py", "pages/duplicates.py",
                 "pages/cases.py"):
        app.switch_page(page).run()
        check(app, page)
        if page == "pages/cases.py":  # the case is there, its payloads escaped
            strings = " ".join(text for _, _, text in rendered(app)[0])
            assert "Enquête \\<img src\\=x onerror\\=alert\\(1\\)\\>" in strings, strings[:500]
    with open_workspace(hostile_ws) as ws:
        ids = [r[0] for r in ws.con.execute("SELECT id FROM items ORDER BY id").fetchall()]
    for item_id in ids:
        app.query_params["id"] = str(item_id)
        app.switch_page("pages/item.py").run()
        check(app, f"item {item_id}")
        shown |= {t.value for t in app.text}
    # the payloads are there, as text: the author and chat lines of the item view
    assert any(IMG in s and SCRIPT in s for s in shown)
    assert any(LINK in s for s in shown)


@pytest.mark.parametrize("query", ["aubagne", "alert", "javascript", "script", "click",
                                   "calendrier", "img"])
def test_search_hits_and_facets_show_the_payloads_as_text(app, query):
    app.switch_page("pages/search.py").run()
    app.text_input(key="q").input(query).run()
    check(app, f"search {query}")
    assert not app.error, [e.value for e in app.error]


def test_hostile_search_input_is_inert(app):
    app.switch_page("pages/search.py").run()
    for query in PAYLOADS + (HEADER,):
        app.text_input(key="q").input(query).run()
        check(app, f"search {query!r}")
