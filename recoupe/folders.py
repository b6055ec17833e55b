"""Derived folders of a workspace (the search index, the near-duplicate index) are rebuilt beside
the one in use and swapped in whole, so that a reader never sees half of one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def swap_in(fresh: Path, folder: Path) -> None:
    """Put the freshly built `fresh` where `folder` is: the old one is first moved aside (to
    `<folder>.old`), then removed once the new one is in place."""
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(fresh, folder)
    shutil.rmtree(old, ignore_errors=True)
