"""The shape of the code base: what may import what, and what every command promises."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run

CORE = ("recoupe", "ingest", "queries")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_no_core_file_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for pkg in CORE for p in (ROOT / pkg).rglob("*.py")
                 if "streamlit" in _imports(p)]
    assert offenders == []


def test_importing_the_core_does_not_load_streamlit():
    """Checked in a fresh interpreter: even an indirect import would show in sys.modules."""
    code = ("import sys, recoupe.cli, recoupe.imports, recoupe.overview, recoupe.items, ingest.__main__;"
            "print('streamlit' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"


def test_parsers_never_touch_the_workspace():
    """ingest/ turns files into rows; only its command line may call recoupe."""
    for p in (ROOT / "ingest").glob("*.py"):
        if p.name != "__main__.py":
            assert "recoupe" not in _imports(p), p.name


def test_pages_hold_no_sql():
    import re
    pattern = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b")
    for p in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]:
        assert not pattern.search(p.read_text(encoding="utf-8")), p.name


@pytest.mark.parametrize("cmd", [("ingest",), ("recoupe",), ("recoupe", "items"),
                                 ("recoupe", "overview"), ("recoupe", "migrate"),
                                 ("recoupe", "enrich"), ("recoupe", "search"),
                                 ("recoupe", "reindex"), ("recoupe", "timeline"),
                                 ("recoupe", "marker", "list"), ("recoupe", "marker", "add"),
                                 ("recoupe", "marker", "remove"),
                                 ("recoupe", "case", "create"),
                                 ("recoupe", "case", "list"), ("recoupe", "case", "add"),
                                 ("recoupe", "case", "claim"), ("recoupe", "case", "verdict"),
                                 ("recoupe", "case", "approve"), ("recoupe", "case", "show"),
                                 ("recoupe", "dossier", "export"), ("recoupe", "duplicates"),
                                 ("recoupe", "user", "add"),
                                 ("recoupe", "user", "list"), ("recoupe", "user", "disable"),
                                 ("recoupe", "user", "enable"), ("recoupe", "user", "passwd"),
                                 ("recoupe", "user", "role")])
def test_every_command_has_help(cmd):
    proc = run(cmd[0], *cmd[1:], "--help")
    assert proc.returncode == 0
    assert "usage:" in proc.stdout and "--workspace" in proc.stdout or cmd == ("recoupe",)


def test_readme_documents_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for words in ("make run", "make test", "python -m ingest", "python -m recoupe items",
                  "python -m recoupe overview", "python -m recoupe migrate",
                  "python -m recoupe enrich", "python -m recoupe search",
                  "python -m recoupe reindex", "python -m recoupe timeline",
                  "python -m recoupe marker",
                  "python -m recoupe case create",
                  "python -m recoupe case add", "python -m recoupe case claim",
                  "python -m recoupe case verdict", "python -m recoupe case approve",
                  "python -m recoupe case show", "python -m recoupe case list",
                  "python -m recoupe dossier export", "python -m recoupe duplicates",
                  "python -m recoupe user add",
                  "python -m recoupe user list", "python -m recoupe user disable"):
        assert words in readme, words
