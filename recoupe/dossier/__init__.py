"""The source dossier of a case, as a PDF an editor, a fact-checker or a lawyer can read.

    export(ws, actor, case_id, out=None, *, redact=False, lang=None) -> Export

makes the PDF (reportlab), writes it to `out` when given (whole or not at all), records the
export in the audit trail (with the PDF's SHA-256) and returns its bytes with what it holds.
Only an editor (permission `dossier.export`) may export. The strings of the PDF are in `lang`
(French or English), the language of the command or the page otherwise.

- `content.py` reads what the dossier prints; `pdf.py` lays it out; `text.py` makes every text
  inert, shaped and drawable; `fonts.py` finds and embeds the fonts; `redact.py` masks phone
  numbers, handles and names of private persons; `images.py` prints screenshots; `links.py`
  takes the other copies of an item (issue 6) and the case's timeline chart (issue 7).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import audit, i18n
from ..access import Actor, require
from ..errors import RecoupeError
from ..i18n import _
from ..workspace import Workspace
from .content import Dossier, gather
from .fonts import FontsMissing, load
from .pdf import Builder


@dataclass(frozen=True)
class Export:
    data: bytes
    sha256: str
    pages: int
    evidence: int
    images: int
    withheld: int
    redacted: bool
    masked: dict


def render(ws: Workspace, dossier: Dossier, *, images: bool = True) -> tuple[bytes, Builder]:
    """The PDF of a gathered dossier, and the builder (which counted its images). Without
    `images`, screenshots and photos are left out (the benchmark's baseline)."""
    builder = Builder(ws, dossier, load(), images=images)
    out = io.BytesIO()
    builder.build(out)
    return out.getvalue(), builder


def export(ws: Workspace, actor: Actor, case_id: int, out: str | os.PathLike | None = None, *,
           redact: bool = False, lang: str | None = None) -> Export:
    """Make the dossier of a case (see the module's docstring)."""
    require(actor, "dossier.export", _("export a dossier"))
    previous = i18n.language()
    if lang:
        i18n.use(lang)
    try:
        dossier = gather(ws, case_id, generated_by=actor.name, redact=redact)
        data, builder = render(ws, dossier)
    finally:
        i18n.use(previous)
    pages = builder.pages
    digest = hashlib.sha256(data).hexdigest()
    if out is not None:
        _write(Path(out), data)
    with ws.transaction():
        audit.record(ws, actor.name, "dossier.export", "case", case_id, case_id,
                     {"redacted": redact, "pages": pages, "sha256": digest,
                      "language": lang or previous, "evidence": len(dossier.evidence),
                      "file": None if out is None else Path(out).name})
    return Export(data, digest, pages, len(dossier.evidence), builder.images, builder.withheld,
                  redact, dict(dossier.redactor.counts) if redact else {})


def _write(path: Path, data: bytes) -> None:
    """Write the PDF whole or not at all (a temporary file beside it, renamed over it)."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RecoupeError(_("The folder {folder} does not exist.", folder=folder))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".dossier-", suffix=".pdf", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise RecoupeError(_("The dossier cannot be written to {path}: {reason}.", path=path,
                             reason=exc.strerror or exc)) from None


__all__ = ["Export", "FontsMissing", "export", "gather", "render"]
