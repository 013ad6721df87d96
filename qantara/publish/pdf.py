"""A printable bilingual PDF: English on the left, Arabic on the right, paragraph by paragraph.

reportlab does not shape Arabic, so each Arabic line is broken in logical order first, then
shaped with arabic-reshaper and put in visual order with python-bidi, and drawn right-aligned.
Breaking before reordering matters: reordering a whole paragraph and then wrapping it would
put its last words on its first line. A word too wide for its column (a URL, OCR garbage) is
cut inside, in either language, so no glyph runs into the other column.

Shaping and reordering in pure Python is most of the drawing, so a paragraph's Arabic lines
can be handed in as already drawn (:func:`arabic_paragraph_lines`; kept by the stage cache,
:mod:`qantara.cache`): they depend only on the text and :func:`shaping_version`.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence

from ..types import Document
from .text import english_paragraphs

ARABIC_FONTS = (
    Path("/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf"),
    Path("/usr/share/fonts/truetype/fonts-hosny-amiri/Amiri-Regular.ttf"),
    Path("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"),
)
LATIN_FONTS = (
    Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
)
_PAGE = (595.27, 841.89)  # A4 in points
_MARGIN = 42.0
_GUTTER = 22.0
_AR_SIZE, _EN_SIZE = 12.0, 10.0
_AR_LEADING, _EN_LEADING = 21.0, 14.0
_PARAGRAPH_GAP = 9.0


class PdfFontMissing(LookupError):
    """No Arabic font to draw with; the caller records an Issue and publishes the rest."""


def _first(paths: tuple[Path, ...]) -> Path | None:
    return next((p for p in paths if p.is_file()), None)


def register_fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    arabic = _first(ARABIC_FONTS)
    if arabic is None:
        raise PdfFontMissing("no Arabic font found; looked for " + ", ".join(map(str, ARABIC_FONTS)))
    if "QantaraArabic" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("QantaraArabic", str(arabic)))
    latin = _first(LATIN_FONTS)
    if latin is None:
        return "QantaraArabic", "Helvetica"
    if "QantaraLatin" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("QantaraLatin", str(latin)))
    return "QantaraArabic", "QantaraLatin"


@lru_cache(maxsize=8)
def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def _libraries() -> str:
    from importlib import metadata

    return "|".join(f"{dist}:{metadata.version(dist)}" for dist in ("arabic-reshaper", "python-bidi", "reportlab"))


def shaping_version() -> str:
    """Everything an Arabic line as drawn depends on besides its text: this module (sizes,
    column width, breaking), the Arabic font's file, and the shaping, reordering and metrics
    libraries."""
    font = _first(ARABIC_FONTS)
    parts = (_file_digest(Path(__file__)), f"{font}:{_file_digest(font)}" if font else "no-font", _libraries())
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


@lru_cache(maxsize=1)
def _reshaper():
    from arabic_reshaper import ArabicReshaper

    # The default reshaper deletes harakat; they carry meaning and must survive the round trip.
    # Building one compiles its ligature regex, so it is built once.
    return ArabicReshaper(configuration={"delete_harakat": False, "support_ligatures": True})


@lru_cache(maxsize=65536)
def visual_arabic(text: str) -> str:
    """One logical line shaped and reordered for a renderer that does neither."""
    from bidi.algorithm import get_display

    return get_display(_reshaper().reshape(text))


def _shaped_words(text: str) -> list[str] | None:
    """Each word of a paragraph shaped, from one call for the whole paragraph: shaping never
    joins letters across a space. None when a ligature spans words (ﷺ): the paragraph is then
    shaped line by line."""
    words = text.split()
    shaped = _reshaper().reshape(" ".join(words)).split(" ")
    return shaped if len(shaped) == len(words) else None


def _break(words: list[str], widths: list[float], space: float, width: float) -> list[list[int]]:
    """Indexes of the words on each line, filling lines up to ``width``."""
    lines: list[list[int]] = []
    current: list[int] = []
    used = 0.0
    for k, w in enumerate(widths):
        if current and used + space + w > width:
            lines.append(current)
            current, used = [], 0.0
        used += (space if current else 0.0) + w
        current.append(k)
    if current:
        lines.append(current)
    return lines


def _cut_to_fit(word: str, measure, width: float) -> list[str]:
    """``word`` as it is when it fits ``width``, else cut into the longest runs of characters
    that do (a URL or a run of garbage has no space to break at, and must not run into the
    other column)."""
    pieces, current = [], ""
    for char in word:
        if current and measure(current + char) > width:
            pieces.append(current)
            current = ""
        current += char
    return pieces + [current] if current else pieces


def _fitted_words(text: str, measure, size: float, width: float) -> list[str]:
    """The words of ``text``, those wider than ``width`` cut (:func:`_cut_to_fit`). No glyph is
    wider than two ems, so only words longer than ``width`` / 2 ems are measured."""
    short = width / (2 * size)
    return [piece for word in text.split()
            for piece in ([word] if len(word) <= short else _cut_to_fit(word, measure, width))]


def latin_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines that fit ``width``, at spaces, and inside any word too long
    for a line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    words = _fitted_words(text, lambda w: stringWidth(w, font, size), size, width)
    lines = _break(words, [stringWidth(w, font, size) for w in words], stringWidth(" ", font, size), width)
    return [" ".join(words[k] for k in line) for line in lines]


def wrap_arabic(text: str, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` into logical lines whose shaped forms fit ``width``."""
    return [line for line, _ in _arabic_lines(text, font, size, width)]


def _arabic_lines(text: str, font: str, size: float, width: float) -> list[tuple[str, str]]:
    """``text`` broken into lines that fit ``width``: each line logical, and as drawn (shaped,
    then in visual order). A word is as wide shaped whichever way it is read."""
    from bidi.algorithm import get_display
    from reportlab.pdfbase.pdfmetrics import stringWidth

    words = _fitted_words(text, lambda w: stringWidth(_reshaper().reshape(w), font, size), size, width)
    text = " ".join(words)
    shaped = _shaped_words(text)
    forms = shaped if shaped is not None else [_reshaper().reshape(word) for word in words]
    lines = _break(words, [stringWidth(f, font, size) for f in forms], stringWidth(" ", font, size), width)
    return [
        (" ".join(words[k] for k in line),
         get_display(" ".join(forms[k] for k in line)) if shaped is not None
         else visual_arabic(" ".join(words[k] for k in line)))
        for line in lines
    ]


def arabic_paragraph_lines(doc: Document, known: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The drawn lines of each Arabic paragraph of ``doc``, by its text: those in ``known`` as
    they are, the others shaped now."""
    ar_font, _ = register_fonts()
    column = _column()
    lines: dict[str, list[str]] = {}
    for paragraph in doc.paragraphs:
        if paragraph.language == "ar" and paragraph.text not in lines:
            done = known.get(paragraph.text)
            lines[paragraph.text] = list(done) if done is not None else [
                drawn for _, drawn in _arabic_lines(paragraph.text, ar_font, _AR_SIZE, column)]
    return lines


def _column() -> float:
    return (_PAGE[0] - 2 * _MARGIN - _GUTTER) / 2


def render_pdf(doc: Document, arabic: Mapping[str, Sequence[str]] | None = None) -> bytes:
    """The bilingual PDF of ``doc``; ``arabic``: its Arabic paragraphs' lines as drawn, from
    :func:`arabic_paragraph_lines` (made here when not given)."""
    from reportlab.pdfgen.canvas import Canvas

    ar_font, en_font = register_fonts()
    if arabic is None:
        arabic = arabic_paragraph_lines(doc, {})
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=_PAGE, invariant=1)
    canvas.setTitle(doc.path.name)
    canvas.setCreator("Qantara")
    canvas.setSubject(doc.signature)
    width, height = _PAGE
    column = _column()
    left_x, right_x = _MARGIN, width - _MARGIN
    bottom = _MARGIN + 16
    page = 1

    def footer() -> None:
        canvas.setFont(en_font, 7)
        canvas.drawString(_MARGIN, _MARGIN - 6, f"{doc.path.name} · page {page} · {doc.signature}"[:150])

    y = height - _MARGIN
    canvas.setFont(en_font, 13)
    canvas.drawString(left_x, y - 13, doc.path.name[:80])
    y -= 13 + 2 * _PARAGRAPH_GAP
    for paragraph, english in zip(doc.paragraphs, english_paragraphs(doc), strict=True):
        en_lines = latin_lines(english, en_font, _EN_SIZE, column)
        if paragraph.language == "ar":
            ar_lines = arabic[paragraph.text]
        else:
            ar_lines = latin_lines(paragraph.text, en_font, _EN_SIZE, column)
        ar_y, en_y = y, y
        # Lines are placed one at a time so a long paragraph flows onto the next page.
        rows = max(len(ar_lines), len(en_lines))
        for k in range(rows):
            if min(ar_y, en_y) - _AR_LEADING < bottom:
                footer()
                canvas.showPage()
                page += 1
                ar_y = en_y = height - _MARGIN
            if k < len(ar_lines):
                ar_y -= _AR_LEADING
                if paragraph.language == "ar":
                    canvas.setFont(ar_font, _AR_SIZE)
                    canvas.drawRightString(right_x, ar_y, ar_lines[k])
                else:
                    canvas.setFont(en_font, _EN_SIZE)
                    canvas.drawString(right_x - column, ar_y, ar_lines[k])
            if k < len(en_lines):
                en_y -= _EN_LEADING
                canvas.setFont(en_font, _EN_SIZE)
                canvas.drawString(left_x, en_y, en_lines[k])
        y = min(ar_y, en_y) - _PARAGRAPH_GAP
    footer()
    canvas.save()
    return buffer.getvalue()
