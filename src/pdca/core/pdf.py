"""Every PDF pdca produces is written with this module: a Unicode font shipped in the package
(DejaVu Sans, see fonts/LICENSE), and a refusal instead of a substitute when a character cannot
be shown. A controlled document prints exactly the text that was signed, or not at all.

`UnicodePDF` is an fpdf2 document with the font registered as FAMILY (regular and bold); every
piece of text fpdf2 writes passes through `normalize_text`, which raises `UnprintableText`
(a ValidationError, so the API answers 400 and a confirmation form shows it) for a character
the current font has no glyph for. `pdf_response` turns a refusal on a download page into a
page that says why.
"""

import functools
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont
from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVuSans"
FONT_FILES = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
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
def _coverage(style: str) -> frozenset[int]:
    return frozenset(TTFont(FONT_FILES[style]).getBestCmap())


def unprintable(text: str, style: str = "") -> str | None:
    """The first character of `text` that the font (in `style`) cannot print, or None."""
    covered = _coverage(style)
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
        self.set_font(FAMILY, "", 10)

    def normalize_text(self, text: str) -> str:
        text = text.replace("\t", TAB)
        style = "B" if "B" in self.font_style else ""
        char = unprintable(text, style)
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
