"""`make bench`: every benchmark script is found, run with --summary, and gathered in one table."""

from __future__ import annotations

import sys
import textwrap

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import run_all  # noqa: E402


def test_every_benchmark_script_is_found_and_takes_summary_and_quick():
    import subprocess
    found = [p.name for p in run_all.scripts()]
    assert {"ingest.py", "ocr.py", "extract.py", "search.py", "search_page.py"} <= set(found)
    assert not {"synth.py", "summary.py", "run_all.py"} & set(found)  # helpers, the runner
    assert found.index("search.py") < found.index("search_page.py")  # it builds that workspace
    for name in found:
        out = subprocess.run([sys.executable, str(ROOT / "bench" / name), "--help"], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, (name, out.stderr)
        assert "--summary" in out.stdout and "--quick" in out.stdout, name


def _script(folder, name, body):
    (folder / name).write_text(textwrap.dedent(body), encoding="utf-8")


def test_a_new_script_is_picked_up_and_failures_are_reported(tmp_path):
    """A script added later is run with its own targets; one that fails or writes no summary
    is a failed row, not a silent gap."""
    _script(tmp_path, "dedup.py", f'''
        import sys
        sys.path.insert(0, {str(ROOT / "bench")!r})
        from summary import Figures
        import argparse
        p = argparse.ArgumentParser()
        p.add_argument("--summary")
        p.add_argument("--quick", action="store_true")
        a = p.parse_args()
        f = Figures(quick=a.quick)
        f.add("pairwise precision", 0.97, "ratio", target=">= 0.98", met=False, size_free=True)
        f.add("clustering, 1,000,000 messages", 95.0, "s", target="< 120 s", met=True)
        f.write(a.summary)
        if __name__ == "__main__":
            pass
        ''')
    _script(tmp_path, "broken.py", 'import sys\nif __name__ == "__main__":\n    sys.exit(3)\n')
    _script(tmp_path, "silent.py", 'if __name__ == "__main__":\n    print("no summary")\n')
    _script(tmp_path, "helper.py", "X = 1\n")
    found = run_all.scripts(folder=tmp_path)
    assert [p.name for p in found] == ["broken.py", "dedup.py", "silent.py"]
    results = [(p, *run_all.run(p, False, tmp_path)) for p in found]
    by_name = {p.name: (figures, error) for p, figures, error, _ in results}
    assert by_name["broken.py"] == ([], "exited with status 3")
    assert "wrote no --summary" in by_name["silent.py"][1]
    assert [f["met"] for f in by_name["dedup.py"][0]] == [False, True]
    table = run_all.table(results, quick=False)
    assert "| dedup.py " in table and "0.970" in table and ">= 0.98" in table and "✗" in table
    assert "FAILED after" in table and "exited with status 3" in table
    quick = [(p, *run_all.run(p, True, tmp_path)) for p in found if p.name == "dedup.py"]
    assert [f["met"] for f in quick[0][1]] == [False, None]  # a precision is judged at any size
