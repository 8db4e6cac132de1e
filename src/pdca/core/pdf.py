"""Every PDF pdca produces is written with this module: a Unicode font shipped in the package
(DejaVu Sans, see fonts/LICENSE), and a refusal instead of a substitute when a character cannot
be shown. A controlled document prints exactly the text that was signed, or not at all.

`UnicodePDF` is an fpdf2 document with the font registered as FAMILY (regular, bold, italic,
bold italic) and MONO; every piece of text fpdf2 writes passes through `normalize_text`, which
raises `UnprintableText` (a ValidationError, so the API answers 400 and a confirmation form
shows it) for a character the current font has no glyph for. `pdf_response` turns a refusal on
a download page into a page that says why.

`ControlledPDF` adds the frame of a controlled copy: the organization, the record's number,
title, revision, status and dates in the header of every page; the controlled-copy note and
"page N of M" in the footer. `write_markdown` prints Markdown as the screen shows it.
"""

import datetime
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont
from fpdf import FPDF, FontFace, TextStyle

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVuSans"
MONO = "DejaVuSansMono"
FONT_FILES = {
    "": FONT_DIR / "DejaVuSans.ttf",
    "B": FONT_DIR / "DejaVuSans-Bold.ttf",
    "I": FONT_DIR / "DejaVuSans-Oblique.ttf",
    "BI": FONT_DIR / "DejaVuSans-BoldOblique.ttf",
}
# Code is printed in the monospace face; it has no bold or italic of its own here, so fpdf2 is
# given the one face for every style.
MONO_FILE = FONT_DIR / "DejaVuSansMono.ttf"
TAB = "    "
# Layout characters fpdf2 handles itself rather than drawing a glyph for.
LAYOUT = {"\n"}


class UnprintableText(ValidationError):
    """The text holds a character the PDF font cannot show."""

    def __init__(self, char: str) -> None:
        name = unicodedata.name(char, "")
        shown = f"“{char}” " if unicodedata.category(char)[0] not in "CZ" else ""
        super().__init__(
            _(
                "This PDF cannot be produced: the character %(char)sU+%(code)04X %(name)s "
                "cannot be printed with pdca's font. Replace it in the text and try again."
            )
            % {"char": shown, "code": ord(char), "name": name}
        )
        self.char = char


@functools.cache
def _coverage(path: Path) -> frozenset[int]:
    return frozenset(TTFont(path).getBestCmap())


def _font_file(style: str, family: str = FAMILY) -> Path:
    if family.lower() == MONO.lower():
        return MONO_FILE
    return FONT_FILES["".join(c for c in "BI" if c in style)]


def unprintable(text: str, style: str = "", family: str = FAMILY) -> str | None:
    """The first character of `text` that the font (in `style`) cannot print, or None."""
    covered = _coverage(_font_file(style, family))
    for char in text:
        if char not in LAYOUT and char != "\t" and ord(char) not in covered:
            return char
    return None


class UnicodePDF(FPDF):
    """An A4 fpdf2 document with pdca's font; text it cannot show is refused, never altered."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "A4")
        super().__init__(**kwargs)
        for style, path in FONT_FILES.items():
            self.add_font(FAMILY, style, str(path))
        for style in ("", "B", "I", "BI"):
            self.add_font(MONO, style, str(MONO_FILE))
        self.set_font(FAMILY, "", 10)

    def normalize_text(self, text: str) -> str:
        text = text.replace("\t", TAB)
        char = unprintable(text, self.font_style, self.font_family)
        if char is not None:
            raise UnprintableText(char)
        return super().normalize_text(text)


def pdf_response(
    request: HttpRequest, build: Callable[[], bytes], *, filename: str, inline: bool = True
) -> HttpResponse:
    """The PDF that `build` makes, or a page saying why it cannot be made (422)."""
    try:
        data = build()
    except UnprintableText as refusal:
        context = {
            "status": 422,
            "title": _("This PDF cannot be produced"),
            "message": refusal.messages[0],
            "request_id": getattr(request, "request_id", ""),
        }
        return render(request, "error.html", context, status=422)
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# Controlled copies -------------------------------------------------------------------------


@dataclass
class Frame:
    """What every page of a controlled copy names: who it belongs to and what it is."""

    organization: str
    heading: str  # e.g. "PRO-004  Control of documents"
    details: list[str] = field(default_factory=list)  # revision, status, dates
    note: str = ""  # the controlled-copy note, printed at the foot of every page
    watermark: str = ""
    fine_print: str = ""  # e.g. the content hash, under the note


GREY = (90, 90, 90)
RULE = (180, 180, 180)


class ControlledPDF(UnicodePDF):
    """A controlled copy: the frame's header and footer on every page, "page N of M"."""

    def __init__(self, frame: Frame, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.frame = frame
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=24)
        self.set_title(frame.heading)
        self.set_creator("pdca")

    def header(self) -> None:
        f = self.frame
        if f.watermark:
            with self.local_context(fill_opacity=0.12):
                self.set_font(FAMILY, "B", 60)
                self.set_text_color(200, 0, 0)
                with self.rotation(45, x=self.w / 2, y=self.h / 2):
                    self.text(self.w / 2 - 80, self.h / 2, f.watermark)
        self.set_y(8)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(*GREY)
        self.cell(0, 4, f.organization, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.set_font(FAMILY, "B", 9.5)
        self.multi_cell(0, 5, f.heading, new_x="LMARGIN", new_y="NEXT")
        if f.details:
            self.set_font(FAMILY, "", 7.5)
            self.multi_cell(0, 4, "  ·  ".join(f.details), new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.set_draw_color(0, 0, 0)
        self.set_y(self.get_y() + 4)
        self.set_font(FAMILY, "", 10)

    def footer(self) -> None:
        f = self.frame
        self.set_y(-19)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_draw_color(0, 0, 0)
        self.set_y(self.get_y() + 1.5)
        self.set_font(FAMILY, "", 7)
        self.set_text_color(*GREY)
        page = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        width = self.w - self.l_margin - self.r_margin
        self.multi_cell(width - 28, 3.5, f.note, new_x="RIGHT", new_y="TOP")
        self.cell(28, 3.5, page, align="R", new_x="LMARGIN", new_y="NEXT")
        if f.fine_print:
            self.set_y(-9)
            self.set_font(FAMILY, "", 6)
            self.cell(0, 3, f.fine_print, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def section(self, title: str) -> None:
        """A heading of pdca's own (signatures, notes), set apart from the document's text."""
        self.ln(3)
        self.set_font(FAMILY, "B", 11)
        self.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, "", 9)


def controlled_copy_note(printed_at: datetime.datetime, *, by: str = "") -> str:
    """Document control's note on every printed page: the copy is valid on the day printed."""
    when = printed_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    if by:
        return _(
            "Controlled copy in pdca. Uncontrolled when printed: printed %(when)s by %(by)s; "
            "check the current revision in pdca before use."
        ) % {"when": when, "by": by}
    return _(
        "Controlled copy in pdca. Uncontrolled when printed: printed %(when)s; "
        "check the current revision in pdca before use."
    ) % {"when": when}


# Markdown ------------------------------------------------------------------------------------

_TAG_STYLES = {
    "h1": FontFace(family=FAMILY, emphasis="BOLD", size_pt=15),
    "h2": FontFace(family=FAMILY, emphasis="BOLD", size_pt=13),
    "h3": FontFace(family=FAMILY, emphasis="BOLD", size_pt=11.5),
    "h4": FontFace(family=FAMILY, emphasis="BOLD", size_pt=10.5),
    "h5": FontFace(family=FAMILY, emphasis="BOLD", size_pt=10),
    "h6": FontFace(family=FAMILY, emphasis="BOLD", size_pt=10),
    "code": FontFace(family=MONO, color=(110, 20, 60)),
    "pre": FontFace(family=MONO, size_pt=8.5),
    "a": FontFace(color=(20, 70, 160), emphasis="UNDERLINE"),
    "blockquote": TextStyle(
        font_family=FAMILY, color=(80, 80, 80), font_style="I", l_margin=8, t_margin=2, b_margin=2
    ),
}


def _printable_html(html: str) -> str:
    """HTML fpdf2 prints faithfully: a link's address is written after its text (paper has no
    links), an image by its description (nothing is fetched while printing)."""

    def link(match: re.Match[str]) -> str:
        href, text = match.group(1), match.group(2)
        shown = re.sub(r"<[^>]+>", "", text)
        if href.strip() in ("", shown.strip()) or href.startswith("#"):
            return match.group(0)
        return f"{match.group(0)} ({href})"

    html = re.sub(r'<a\s[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', link, html, flags=re.S)
    html = re.sub(
        r'<img\s[^>]*?alt="([^"]*)"[^>]*/?>', lambda m: f"[{m.group(1)}]", html, flags=re.S
    )
    html = re.sub(r"<img\b[^>]*>", "", html)
    # fpdf2 prints a table cell's text but no markup inside it: keep the words.
    html = re.sub(
        r"(<t[hd]\b[^>]*>)(.*?)(</t[hd]>)",
        lambda m: m.group(1) + re.sub(r"<[^>]+>", "", m.group(2)) + m.group(3),
        html,
        flags=re.S,
    )
    # fpdf2 keeps the line breaks inside a paragraph's source; Markdown joins them.
    return re.sub(r"(?<=[^>\n])\n(?=[^<\n])", " ", html)


def write_markdown(pdf: FPDF, html: str) -> None:
    """Print the (already sanitized) HTML of a Markdown text: headings, bold, italics, links,
    quotes, code, lists and tables, in pdca's fonts."""
    if not html.strip():
        return
    pdf.set_font(FAMILY, "", 10)
    pdf.write_html(
        _printable_html(html),
        font_family=FAMILY,
        tag_styles=_TAG_STYLES,
        table_line_separators=True,
        ul_bullet_char="•",
        li_prefix_color=(60, 60, 60),
        warn_on_tags_not_matching=False,
    )
    pdf.set_font(FAMILY, "", 10)
