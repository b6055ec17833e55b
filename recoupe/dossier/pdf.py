"""The dossier's pages, drawn with reportlab's platypus.

Cover (case, id, when and by whom it was made, approval, redaction), summary, claims with their
verdicts and the evidence each rests on, each piece of evidence (text, image, metadata,
entities, earlier versions, other copies), the case's timeline, then the appendices: chain of
custody (every source file behind the evidence) and the case's audit trail. Every page's footer
carries the case id and "page n of N". Every text goes through `text.Writer` (escaped, shaped,
drawn with a font that has it) and, in a redacted dossier, through the redactor first.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from typing import BinaryIO

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (CondPageBreak, Flowable, KeepTogether, PageBreak,
                                Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle)

from ingest.archive import human_size

from .. import __version__
from ..cases import describe_change, describe_entry, status_label, system_reason, verdict_label
from ..i18n import _, _n, language, number
from ..times import DISPLAY_TZ, local
from .content import Dossier, EvidenceEntry
from .fonts import Fonts
from .images import Withheld, picture
from .text import Writer

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
LABEL_W = 38 * mm
IMAGE_MAX_W = 110 * mm
IMAGE_MAX_H = 200 * mm
IMAGE_MIN_H = 90 * mm
MAX_UPSCALE = 2.0        # points per pixel: a small image is not blown up into a blur
BODY = 9
SMALL = 7.5
VERDICT_COLOURS = {"corroborated": colors.HexColor("#1b7a3a"),
                   "disputed": colors.HexColor("#b86e00"),
                   "refuted": colors.HexColor("#b3261e"),
                   "unverified": colors.HexColor("#5f6368")}
GREY = colors.HexColor("#5f6368")
LIGHT = colors.HexColor("#f1f3f4")
RULE = colors.HexColor("#c8ccd0")


def utc_text(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else "—"


def paris_text(value: datetime | None) -> str:
    loc = local(value)
    return f"{loc.strftime('%Y-%m-%d %H:%M:%S %Z')} ({DISPLAY_TZ})" if loc else "—"


def paris_short(value: datetime | None) -> str:
    loc = local(value)
    return loc.strftime("%Y-%m-%d %H:%M:%S %Z") if loc else "—"


def both_times(value: datetime | None) -> str:
    return "—" if value is None else f"{paris_text(value)} · {utc_text(value)}"


class Styles:
    def __init__(self, fonts: Fonts):
        base = ParagraphStyle("body", fontName=fonts.sans, fontSize=BODY, leading=BODY * 1.3,
                              splitLongWords=True)
        self.body = base
        self.small = ParagraphStyle("small", base, fontSize=SMALL, leading=SMALL * 1.3)
        self.grey = ParagraphStyle("grey", self.small, textColor=GREY)
        self.label = ParagraphStyle("label", self.small, textColor=GREY)
        self.mono = ParagraphStyle("mono", self.small, fontName=fonts.mono)
        self.h1 = ParagraphStyle("h1", base, fontName=fonts.bold, fontSize=17, leading=21,
                                 spaceBefore=4, spaceAfter=8)
        self.h2 = ParagraphStyle("h2", base, fontName=fonts.bold, fontSize=12.5, leading=16,
                                 spaceBefore=10, spaceAfter=5)
        self.h3 = ParagraphStyle("h3", base, fontName=fonts.bold, fontSize=10, leading=13,
                                 spaceBefore=6, spaceAfter=3)
        self.title = ParagraphStyle("title", base, fontName=fonts.bold, fontSize=24, leading=30,
                                    spaceAfter=6)
        self.kicker = ParagraphStyle("kicker", base, fontName=fonts.bold, fontSize=10,
                                     textColor=GREY, spaceAfter=14)
        self.source = ParagraphStyle("source", base, backColor=LIGHT, leftIndent=4,
                                     rightIndent=4, borderPadding=(0, 2, 0, 2))
        self.source_rtl = ParagraphStyle("source_rtl", self.source, alignment=TA_RIGHT)
        self.notice = ParagraphStyle("notice", base, fontName=fonts.bold, fontSize=10,
                                     leading=14, borderPadding=6, spaceBefore=10, spaceAfter=10,
                                     borderWidth=1)


class FitImage(Flowable):
    """An image as large as it may be (up to `max_w` x `max_h`), made smaller to fit the rest
    of the page when at least `min_h` is left there, so a tall screenshot does not leave most
    of a page blank."""

    def __init__(self, path: str, width: int, height: int, max_w: float, max_h: float,
                 min_h: float):
        super().__init__()
        self.path, self.px = path, (width, height)
        self.max_w, self.max_h, self.min_h = max_w, max_h, min_h
        self.drawWidth = self.drawHeight = 0.0

    def wrap(self, avail_w, avail_h):
        w, h = self.px
        ratio = min(self.max_w / w, self.max_h / h, avail_w / w, MAX_UPSCALE)
        if h * ratio > avail_h >= self.min_h:
            ratio = avail_h / h
        self.drawWidth, self.drawHeight = w * ratio, h * ratio
        return self.drawWidth, self.drawHeight

    def draw(self):
        # A JPEG file's bytes go into the PDF as they are (DCTDecode): given an ImageReader,
        # reportlab would decode every image to hash its pixels, and compress them again.
        self.canv.drawImage(self.path, 0, 0, self.drawWidth, self.drawHeight)
        self.canv.setStrokeColor(RULE)
        self.canv.rect(0, 0, self.drawWidth, self.drawHeight, stroke=1, fill=0)


class Outline(Flowable):
    """An invisible mark: an entry of the PDF's outline (bookmarks) at this point."""

    def __init__(self, title: str, key: str, level: int = 0):
        super().__init__()
        self.title, self.key, self.level = title, key, level
        self.width = self.height = 0

    def wrap(self, *args):
        return 0, 0

    def draw(self):
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, self.level, closed=self.level > 0)


def _canvas_class(footer_left: str, footer_middle: str, fonts: Fonts):
    """A canvas that knows the page count when it writes each page's footer."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            self.saveState()
            self.setFont(fonts.sans, 7.5)
            self.setFillColor(GREY)
            self.setStrokeColor(RULE)
            y = MARGIN - 8 * mm
            self.line(MARGIN, y + 10, A4[0] - MARGIN, y + 10)
            self.drawString(MARGIN, y, footer_left)
            if footer_middle:
                self.setFont(fonts.bold, 7.5)
                self.setFillColor(VERDICT_COLOURS["refuted"])
                self.drawCentredString(A4[0] / 2, y, footer_middle)
                self.setFont(fonts.sans, 7.5)
                self.setFillColor(GREY)
            self.drawRightString(A4[0] - MARGIN, y,
                                 _("Page {page} of {pages}", page=self._pageNumber,
                                   pages=total))
            self.restoreState()

    return NumberedCanvas


class Builder:
    """Lays out one dossier."""

    def __init__(self, ws, dossier: Dossier, fonts: Fonts, *, images: bool = True):
        self.ws = ws
        self.with_images = images
        self.d = dossier
        self.fonts = fonts
        self.w = Writer(fonts)
        self.s = Styles(fonts)
        self.red = dossier.redactor
        self.story: list = []
        self.images = 0
        self.withheld = 0
        self.pages = 0

    # -- helpers --------------------------------------------------------------------------
    def t(self, text) -> str:
        """Markup of a text from a source or a person: redacted, escaped, drawable."""
        return self.w.inline(self.red(None if text is None else str(text)))

    def p(self, markup: str, style=None) -> Paragraph:
        return Paragraph(markup, style or self.s.body)

    def lines(self, text: str | None, width: float = WIDTH, style=None) -> list[Paragraph]:
        style = style or self.s.source
        out = []
        for markup, rtl in self.w.lines(self.red(text or ""), width - 16, style.fontSize):
            out.append(Paragraph(markup or "&nbsp;",
                                 self.s.source_rtl if rtl and style is self.s.source else style))
        return out

    def facts(self, rows: list[tuple[str, str]], label_width: float = LABEL_W) -> Table:
        """A two-column table: a label (ours, escaped) and a value (markup already made)."""
        data = [[self.p(self.w.inline(label), self.s.label), self.p(value or "—", self.s.small)]
                for label, value in rows if value is not None]
        table = Table(data, colWidths=[label_width, WIDTH - label_width], hAlign="LEFT",
                      splitByRow=1)
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ]))
        return table

    def grid(self, header: list[str], rows: list[list], widths: list[float]) -> Table:
        data = [[self.p(self.w.inline(h), self.s.label) for h in header]]
        data += [[c if isinstance(c, Flowable) else self.p(c or "—", self.s.small) for c in r]
                 for r in rows]
        table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, GREY),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ]))
        return table

    def verdict(self, verdict: str) -> str:
        colour = VERDICT_COLOURS.get(verdict, GREY).hexval()[2:]
        return (f'<font name="{self.fonts.bold}" color="#{colour}">'
                f'{self.w.inline(verdict_label(verdict).upper())}</font>')

    def ev_link(self, number: int) -> str:
        return f'<a href="#E{number}" color="#1a5fb4">E{number}</a>'

    # -- the parts ------------------------------------------------------------------------
    def build(self, out: BinaryIO) -> int:
        with tempfile.TemporaryDirectory(prefix="recoupe-dossier-") as folder:
            self.folder = folder
            return self._build(out)

    def _build(self, out: BinaryIO) -> int:
        d = self.d
        self.cover()
        self.summary()
        self.claims()
        self.evidence()
        self.timeline()
        self.custody()
        self.audit()
        title = self.red(d.case["title"])
        doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                                topMargin=MARGIN, bottomMargin=MARGIN,
                                title=f"{_('Source dossier')}: {title}",
                                author=d.generated_by,
                                subject=_("Case {id}", id=d.case["id"]),
                                creator=f"Recoupe {__version__}", lang=language())
        footer = _("Recoupe · case {id} · source dossier", id=d.case["id"])
        middle = _("REDACTED") if self.red.enabled else ""
        doc.build(self.story, canvasmaker=_canvas_class(footer, middle, self.fonts))
        self.pages = doc.page
        return doc.page

    def cover(self) -> None:
        d, s, story = self.d, self.s, self.story
        case = d.case
        story.append(Outline(_("Cover"), "cover"))
        story.append(self.p(self.w.inline(_("Recoupe · source dossier").upper()), s.kicker))
        story.append(self.p(self.t(case["title"]), s.title))
        story.append(self.p(self.w.inline(_("Case {id}", id=case["id"])), s.h3))
        story.append(Spacer(1, 4 * mm))
        story.append(self.approval_notice())
        story.append(Spacer(1, 3 * mm))
        if self.red.enabled:
            story.append(self.p(self.w.inline(
                _("REDACTED DOSSIER. Third-party phone numbers, handles and names of private "
                  "persons are masked in this document; the workspace keeps them.")) + "<br/>"
                + f'<font name="{self.fonts.sans}" size="8">{self.w.inline(self.red.summary())}'
                  "</font>", ParagraphStyle("redacted", s.notice,
                                            borderColor=VERDICT_COLOURS["refuted"],
                                            textColor=VERDICT_COLOURS["refuted"])))
        counts = {v: 0 for v in VERDICT_COLOURS}
        for c in d.claims:
            counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
        verdicts = ", ".join(_("{verdict}: {n}", verdict=verdict_label(v), n=number(n))
                             for v, n in counts.items() if n)
        members = ", ".join(m["name"] for m in d.members)
        story.append(self.facts([
            (_("Case"), self.w.inline(_("#{id}", id=case["id"]))),
            (_("Status"), self.w.inline(status_label(case["status"]))),
            (_("Owner"), self.t(case["owner"])),
            (_("Members"), self.t(members)),
            (_("Opened"), self.w.inline(both_times(case["created_at_utc"]))
             + " · " + self.t(case["created_by"])),
            (_("Generated"), self.w.inline(both_times(d.generated_at))),
            (_("Generated by"), self.t(d.generated_by)),
            (_("Claims"), self.w.inline(f"{number(len(d.claims))}"
                                        + (f" ({verdicts})" if verdicts else ""))),
            (_("Evidence"), self.w.inline(number(len(d.evidence)))),
            (_("Source files"), self.w.inline(number(len(d.custody)))),
            (_("Language"), self.w.inline({"fr": "Français", "en": "English"}.get(language(),
                                                                                  language()))),
            (_("Made with"), self.w.inline(f"Recoupe {__version__}")),
        ]))
        story.append(Spacer(1, 6 * mm))
        story.append(self.p(self.w.inline(_(
            "Times are given in {zone} and in UTC. Every source file is identified by its "
            "SHA-256; the appendix lists each one, when and by whom it was imported, and the "
            "case's audit trail.", zone=DISPLAY_TZ)), s.grey))
        story.append(PageBreak())

    def approval_notice(self) -> Paragraph:
        state = self.d.approval
        s = self.s
        if state["current"]:
            a = state["current"]
            text = _("APPROVED by {who} on {when}.", who=self.red(a["approved_by"]),
                     when=paris_text(a["approved_at_utc"]))
            if a.get("note"):
                text += " " + _("Note: {note}", note=self.red(a["note"]))
            colour = VERDICT_COLOURS["corroborated"]
        elif state["withdrawn"]:
            a = state["withdrawn"]
            text = _("NOT APPROVED. The approval given by {who} on {when} was withdrawn on "
                     "{withdrawn} by {by}: {why}.", who=self.red(a["approved_by"]),
                     when=paris_text(a["approved_at_utc"]),
                     withdrawn=paris_text(a["withdrawn_at_utc"]),
                     by=self.red(a["withdrawn_by"]), why=self.red(describe_change(a["because"])))
            colour = VERDICT_COLOURS["disputed"]
        else:
            text = _("NOT APPROVED. No editor has approved this dossier.")
            colour = VERDICT_COLOURS["unverified"]
        return self.p(self.w.inline(text), ParagraphStyle("approval", s.notice,
                                                          borderColor=colour, textColor=colour))

    def summary(self) -> None:
        self.story.append(Outline(_("Summary"), "summary"))
        self.story.append(self.p(self.w.inline(_("Summary")), self.s.h1))
        if self.d.case["summary"].strip():
            self.story.extend(self.lines(self.d.case["summary"], style=self.s.body))
        else:
            self.story.append(self.p(self.w.inline(_("No summary was written.")), self.s.grey))

    def claims(self) -> None:
        s, story = self.s, self.story
        story.append(Outline(_("Claims"), "claims"))
        story.append(self.p(self.w.inline(_("Claims")), s.h1))
        if not self.d.claims:
            story.append(self.p(self.w.inline(_("The case has no claim yet.")), s.grey))
        by_number = {e.number: e for e in self.d.evidence}
        for claim in self.d.claims:
            block = [self.p(self.w.inline(_("Claim {n}", n=claim["id"])) + " · "
                            + self.verdict(claim["verdict"]), s.h3)]
            block.extend(self.lines(claim["statement"], style=s.body))
            if claim["verdict"] != "unverified" or claim["verdict_by"]:
                block.append(self.p(self.w.inline(_(
                    "Verdict given by {who} on {when}.", who=self.red(claim["verdict_by"] or "—"),
                    when=paris_text(claim["verdict_at_utc"]))) + " "
                    + self.w.inline(_("Why: {reason}",
                                      reason=self.red(system_reason(claim["verdict_reason"])
                                                      or "—"))), s.small))
            if claim["evidence"]:
                refs = []
                for n in claim["evidence"]:
                    e = by_number[n].row
                    refs.append(self.ev_link(n) + " "
                                + self.t(f"({e['chat'] or '—'}, "
                                         f"{paris_text(e['posted_at_utc'] or e['captured_at_utc'])})"))
                block.append(self.p(self.w.inline(_("Rests on:")) + " " + "; ".join(refs),
                                    s.small))
            else:
                block.append(self.p(self.w.inline(_("Rests on no evidence.")), s.grey))
            if len(claim["history"]) > 1:
                rows = [[self.w.inline(paris_text(h["given_at_utc"])), self.verdict(h["verdict"]),
                         self.t(h["given_by"]), self.t(system_reason(h["reason"]) or "—")]
                        for h in claim["history"]]
                block.append(self.p(self.w.inline(_("Verdict history")), s.label))
                block.append(self.grid([_("When"), _("Verdict"), _("By"), _("Why")], rows,
                                       [44 * mm, 26 * mm, 28 * mm, WIDTH - 98 * mm]))
            block.append(Spacer(1, 3 * mm))
            story.append(KeepTogether(block))

    def evidence(self) -> None:
        story = self.story
        story.append(PageBreak())
        story.append(Outline(_("Evidence"), "evidence"))
        story.append(self.p(self.w.inline(_("Evidence")), self.s.h1))
        if not self.d.evidence:
            story.append(self.p(self.w.inline(_("The case has no evidence yet.")), self.s.grey))
        for entry in self.d.evidence:
            self.one_evidence(entry)

    def one_evidence(self, e: EvidenceEntry) -> None:
        s, story, r = self.s, self.story, e.row
        story.append(CondPageBreak(60 * mm))
        heading = (f'<a name="E{e.number}"/>' + self.w.inline(
            _("Evidence {label} · item {item}", label=e.label, item=r["item_id"]))
            + " · " + self.t(r["chat"] or "—"))
        story.append(Outline(f"{e.label} · {self.red(r['chat'] or '')}", f"ev{e.number}", 1))
        story.append(self.p(heading, s.h2))
        story.append(self.facts(self.metadata(e)))
        self.image(e)
        story.append(Spacer(1, 2 * mm))
        story.append(self.p(self.w.inline(_("Text read by OCR") if r["text_origin"] == "ocr"
                                          else _("Text")), s.label))
        if r["text"]:
            story.extend(self.lines(r["text"]))
        else:
            story.append(self.p(self.w.inline(_("(no text)")), s.grey))
        story.append(Spacer(1, 2 * mm))
        note = [(_("Reporter's note"), self.t(r["note"]) if r["note"] else None),
                (_("Tags"), self.t(", ".join(r["tags"])) if r["tags"] else None),
                (_("Added to the case"), self.w.inline(paris_text(r["added_at_utc"])) + " · "
                 + self.t(r["added_by"])),
                (_("Supports"), ", ".join(_("claim {n}", n=n) for n in e.claims)
                 if e.claims else self.w.inline(_("no claim yet")))]
        story.append(self.facts(note))
        if e.entities:
            story.append(Spacer(1, 2 * mm))
            story.append(self.p(self.w.inline(_("Extracted entities")), s.label))
            story.append(self.grid([_("Kind"), _("As written"), _("Value"), _("Detail")],
                                   [[self.w.inline(entity_kind(x["kind"])), self.t(x["raw"]),
                                     self.t(entity_value(x)), self.t(x["detail"] or "")]
                                    for x in e.entities],
                                   [28 * mm, 50 * mm, 55 * mm, WIDTH - 133 * mm]))
        if e.versions:
            story.append(Spacer(1, 2 * mm))
            story.append(self.p(self.w.inline(_("Earlier versions")), s.label))
            for v in e.versions:
                story.append(self.p(self.w.inline(_(
                    "Edited {when}; seen in {file} (SHA-256 {sha})",
                    when=paris_text(v["edited_at_utc"]) if v["edited_at_utc"] else "—",
                    file=self.red(v["source_file"]), sha=v["source_sha256"])), s.grey))
                story.extend(self.lines(v["text"]))
        story.append(Spacer(1, 2 * mm))
        story.append(self.p(self.w.inline(_("Other copies")), s.label))
        if not e.copies:
            story.append(self.p(self.w.inline(_("No other copy of this item was found.")),
                                s.grey))
        else:
            c0 = e.cluster
            said = _n("Cluster {cluster}: {n} copy in {chats} chats; the first was posted {when} "
                      "in the chat", "Cluster {cluster}: {n} copies in {chats} chats; the first was "
                      "posted {when} in the chat", c0["size"], cluster=c0["cluster_id"],
                      chats=c0["chats"], when=both_times(c0["first_seen_utc"]))
            story.append(self.p(self.w.inline(said) + " " + self.t(c0["first_chat"] or "—"),
                                s.grey))
            story.append(self.grid(
                [_("Item"), _("Chat"), _("First seen")],
                [[self.w.inline(str(c["item_id"])),
                  self.t(c["chat"] or "—"),
                  self.w.inline(both_times(c["posted_at_utc"]))]
                 for c in e.copies],
                [20 * mm, 60 * mm, WIDTH - 80 * mm]))
        story.append(Spacer(1, 6 * mm))

    def metadata(self, e: EvidenceEntry) -> list[tuple[str, str | None]]:
        r, w = e.row, self.w
        posted = r["posted_at_utc"]
        offset = r["posted_offset_min"]
        first = e.sources[0] if e.sources else None
        others = e.sources[1:]
        mono = self.fonts.mono
        rows = [
            (_("Platform"), w.inline(r["platform"])),
            (_("Chat"), self.t(r["chat"] or "—") + (f" ({w.inline(r['chat_type'])})"
                                                    if r["chat_type"] else "")),
            (_("Author"), self.t(r["author"]) if r["author"] else None),
            (_("Posted (UTC)"), w.inline(utc_text(posted)) if posted else None),
            (_("Posted ({zone})", zone=DISPLAY_TZ), w.inline(paris_text(posted))
             if posted else None),
            (_("Offset given by the source"),
             w.inline(f"{offset:+d} min") if offset is not None else None),
            (_("Zone assumed"), w.inline(r["tz_assumed"]) if r["tz_assumed"] else None),
            (_("Edited on"), w.inline(both_times(r["edited_at_utc"])) if r["edited_at_utc"]
             else None),
            (_("Message id"), w.inline(str(r["message_id"])) if r["message_id"] is not None
             else None),
            (_("Link"), f'<a href="{e.link}" color="#1a5fb4">{w.inline(e.link)}</a>'
             if e.link else None),
            (_("Forwarded from"), self.t(r["forwarded_from"]) if r["forwarded_from"] else None),
            (_("Captured in"), self.t(r["captured_chat"]) if r["captured_chat"] else None),
            (_("Captured at"), w.inline(both_times(r["captured_at_utc"]))
             if r["captured_at_utc"] else None),
            (_("Source file"), self.t(r["source_file"])),
            (_("SHA-256"), f'<font name="{mono}">{r["source_sha256"]}</font>'),
            (_("Imported"), w.inline(both_times(r["source_imported_at_utc"])) + " · "
             + self.t(r["source_imported_by"])),
            (_("Parser"), w.inline(f"{first['parser']} {first['parser_version']}")
             if first else None),
            (_("Also in"), "<br/>".join(
                self.t(s["original_name"]) + f' · <font name="{mono}">{s["sha256"]}</font>'
                for s in others if s["sha256"] != r["source_sha256"]) or None),
            (_("Text from"), w.inline(text_origin(r["text_origin"]))
             if r["text_origin"] and r["text_origin"] != "export" else None),
            (_("OCR confidence"), w.inline(f"{number(r['ocr_confidence'], 1)} / 100")
             if r["ocr_confidence"] is not None else None),
            (_("Language"), w.inline(r["lang"] + (f" ({number(r['lang_score'], 2)})"
                                                  if r["lang_score"] is not None else ""))
             if r["lang"] else w.inline(_("not determined"))),
            (_("Text encoding"), w.inline(r["text_encoding"]) if r["text_encoding"] else None),
        ]
        return rows

    def image(self, e: EvidenceEntry) -> None:
        found = picture(self.ws, e, self.red) if self.with_images else None
        if found is None:
            return
        s, story, mono = self.s, self.story, self.fonts.mono
        if isinstance(found, Withheld):
            self.withheld += 1
            reason = {"redacted": _("Its image is left out of this redacted dossier: it has no "
                                    "OCR word boxes, so what it shows cannot be masked."),
                      "unreadable": _("Its image could not be read from the workspace."),
                      "changed": _("Its image in the workspace no longer has the SHA-256 "
                                   "recorded at import: it is not printed.")}[found.reason]
            story.append(self.p(self.w.inline(reason) + " " + self.t(found.name)
                                + f' · <font name="{mono}">{found.sha256}</font>', s.grey))
            return
        self.images += 1
        path = os.path.join(self.folder, f"{self.images}.jpg")
        with open(path, "wb") as f:
            f.write(found.data)
        img = FitImage(path, found.width, found.height, IMAGE_MAX_W, IMAGE_MAX_H, IMAGE_MIN_H)
        caption = (self.w.inline(_("Image")) + " " + self.t(found.name)
                   + f' · SHA-256 <font name="{mono}">{found.sha256}</font>')
        if found.masked:
            caption += " · " + self.w.inline(_("{n} masked areas", n=found.masked))
        story.append(Spacer(1, 2 * mm))
        story.append(img)
        story.append(self.p(caption, s.grey))

    def timeline(self) -> None:
        s, story = self.s, self.story
        story.append(PageBreak())
        story.append(Outline(_("Timeline"), "timeline"))
        story.append(self.p(self.w.inline(_("Timeline of the case")), s.h1))
        if self.d.timeline:
            path = os.path.join(self.folder, "timeline.png")
            with open(path, "wb") as f:
                f.write(self.d.timeline)
            width, height = PILImage.open(path).size
            story.append(FitImage(path, width, height, WIDTH, 120 * mm, 60 * mm))
        else:
            story.append(self.p(self.w.inline(_("The case has no dated evidence to draw.")),
                                s.grey))
        dated = sorted((e for e in self.d.evidence
                        if e.row["posted_at_utc"] or e.row["captured_at_utc"]),
                       key=lambda e: e.row["posted_at_utc"] or e.row["captured_at_utc"])
        if dated:
            story.append(Spacer(1, 3 * mm))
            story.append(self.grid(
                [_("When ({zone})", zone=DISPLAY_TZ), _("Evidence"), _("Chat"), _("Author")],
                [[self.w.inline(paris_text(e.row["posted_at_utc"] or e.row["captured_at_utc"])),
                  self.ev_link(e.number), self.t(e.row["chat"] or "—"),
                  self.t(e.row["author"] or "—")] for e in dated],
                [50 * mm, 16 * mm, 60 * mm, WIDTH - 126 * mm]))

    def custody(self) -> None:
        s, story, mono = self.s, self.story, self.fonts.mono
        story.append(PageBreak())
        story.append(Outline(_("Appendix: chain of custody"), "custody"))
        story.append(self.p(self.w.inline(_("Appendix A · Chain of custody")), s.h1))
        story.append(self.p(self.w.inline(_(
            "Every source file behind the evidence, as imported: its evidentiary copy is kept "
            "unchanged in the workspace under its SHA-256 (sources/<sha256>).")), s.grey))
        if not self.d.custody:
            story.append(self.p(self.w.inline(_("No source file: the case has no evidence.")),
                                s.grey))
        for n, src in enumerate(self.d.custody, 1):
            rows = [
                (_("File"), self.t(src["original_name"])),
                (_("SHA-256"), f'<font name="{mono}">{src["sha256"]}</font>'),
                (_("Size"), self.w.inline(_("{bytes} bytes ({human})", bytes=number(
                    src["size_bytes"]), human=human_size(src["size_bytes"])))),
                (_("Format"), self.w.inline(src["format"])),
                (_("Parser"), self.w.inline(f"{src['parser']} {src['parser_version']}")),
                (_("Imported"), self.w.inline(both_times(src["imported_at_utc"]))),
                (_("Imported by"), self.t(src["imported_by"])),
                (_("Import run"), self.w.inline(
                    f"#{src['run_id']}" + (f" · Recoupe {src['tool_version']}"
                                           if src.get("tool_version") else "")
                    + (f" · {src['command']}" if src.get("command") else ""))),
                (_("Handed in from"), self.t(src["original_path"]) if src["original_path"]
                 else None),
                (_("Zone assumed"), self.w.inline(src["tz_assumed"]) if src["tz_assumed"]
                 else None),
                (_("Stored as"), f'<font name="{mono}">{self.w.inline(src["stored_as"])}</font>'),
                (_("Evidence it holds"), ", ".join(self.ev_link(int(x[1:]))
                                                   for x in src["evidence"])),
            ]
            attached = [m for e in self.d.evidence if e.row["source_sha256"] == src["sha256"]
                        for m in e.media if m.get("included") and m.get("sha256")
                        and m.get("container") == "zip"]
            if attached:
                rows.append((_("Attached files used"), "<br/>".join(
                    self.t(m["path"]) + f' · <font name="{mono}">{m["sha256"]}</font>'
                    for m in attached)))
            story.append(KeepTogether([self.p(self.w.inline(_("Source {n}", n=n)), s.h3),
                                       self.facts(rows)]))

    def audit(self) -> None:
        s, story = self.s, self.story
        story.append(CondPageBreak(80 * mm))
        story.append(Outline(_("Appendix: audit trail"), "audit"))
        story.append(self.p(self.w.inline(_("Appendix B · Audit trail of the case")), s.h1))
        story.append(self.p(self.w.inline(_(
            "Every change to the case, its evidence, claims, verdicts and approvals, oldest "
            "first, as the workspace's append-only audit trail records it.")), s.grey))
        if not self.d.audit:
            story.append(self.p(self.w.inline(_("No entry.")), s.grey))
            return
        rows = [[self.w.inline(str(a["id"])),
                 self.w.inline(paris_short(a["at_utc"])) + "<br/>"
                 + self.w.inline(utc_text(a["at_utc"])),
                 self.t(a["actor"]), self.t(describe_entry(a))] for a in self.d.audit]
        story.append(self.grid([_("#"), _("When ({zone}, UTC)", zone=DISPLAY_TZ), _("Who"),
                                _("What")], rows,
                               [12 * mm, 40 * mm, 28 * mm, WIDTH - 80 * mm]))


def entity_kind(kind: str) -> str:
    return {"substance": _("substance"), "quantity": _("quantity"),
            "quantity_price": _("price"), "price": _("price"), "zone": _("zone"),
            "contact": _("contact"), "promotion": _("promotion"),
            "recruitment": _("recruitment")}.get(kind, kind)


def entity_value(x: dict) -> str:
    if x["kind"] == "quantity_price" and x.get("unit_price") is not None:
        unit = x.get("unit") or ""
        what = f" · {x['substance']}" if x.get("substance") else ""
        return (f"{x['value']} ({number(x['unit_price'], 2)} {x.get('currency') or ''}/"
                f"{unit}){what}")
    return x["value"]


def text_origin(origin: str) -> str:
    return {"ocr": _("OCR of the image"), "sidecar": _("the text file given with the image"),
            "export": _("the export")}.get(origin, origin)
