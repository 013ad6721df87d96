"""Glyphs: one small frozen type for what a page draws (PDF glyphs, OCR words), cleaned up.

This is the only place that reads pdfplumber's dicts. Cleaning happens per glyph and per
page: presentation forms and ligatures become base letters (keeping a ligature's letters in
the order its text layer gives them), Persian letter forms standing for Arabic letters become
those letters on Arabic pages, an ActualText span pinned on one glyph is cut back to that
glyph's word, overdrawn duplicates (fake bold) are dropped, and glyphs
that carry no usable text (U+FFFD, private use, unmapped CIDs) are counted so that a page
without a text layer can be reported instead of passed on.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, NamedTuple

from ..arabic.charsets import LETTERS

# Arabic presentation forms A/B and Latin ligatures: NFKC gives the base letters in logical
# order. Everything else is left as the producer wrote it (NFKC would also rewrite digits,
# superscripts and compatibility spaces the later stages should see).
_PRESENTATION_RANGES = ((0xFB00, 0xFB4F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_PRESENTATION = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _PRESENTATION_RANGES) + "]")
_UNUSABLE = {"\ufffd", "\uffff", "\ufffe"}
_ARABIC_LETTER = re.compile(f"[{LETTERS}]")
KASHIDA = "\u0640"
_SPACES = {" ", "\u00a0", "\u2002", "\u2003", "\u2009", "\u200a", "\u202f"}
_STRONG = ("L", "R", "AL")
# Fonts made for Persian and Urdu (and Word's "Arabic" text runs in them) draw Arabic medial
# yeh, heh and kaf with the Persian letters' glyphs, which look the same in those positions;
# their text layers then name the Persian letters. On a page with no letter only Persian or
# Urdu uses, these forms stand for the Arabic letters the reader sees.
_PERSIAN_AS_ARABIC = {
    "\ufbfe": "\u064a", "\ufbff": "\u064a",  # farsi yeh initial/medial: dotted, as yeh
    "\ufbfc": "\u0649", "\ufbfd": "\u0649",  # farsi yeh isolated/final: dotless, as alef maksura
    "\ufbaa": "\u0647", "\ufbab": "\u0647", "\ufbac": "\u0647", "\ufbad": "\u0647",  # heh doachashmee
    "\u06be": "\u0647",
    "\ufb90": "\u0643", "\ufb91": "\u0643",  # keheh initial/medial, the shape of kaf there
}
# Letters of Persian and Urdu that Arabic lacks (base letters; presentation forms are folded first).
_PERSIAN_ONLY = re.compile("[\u067e\u0686\u0698\u06af\u0688\u0679\u0691\u06ba\u06d2\u06c0]")


class Glyph(NamedTuple):
    """One drawn glyph, in PDF points from the page's top left. A named tuple rather than a
    frozen dataclass: pages have thousands of glyphs, and a tuple is built several times
    faster, which is most of what reading a page costs on top of parsing it."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str = ""
    seq: int = -1  # position in the page's content stream
    # Distance of the baseline from the page's top, when known: glyph boxes come from each
    # font's ascent and descent, so letters of two fonts on one line have different bottoms.
    baseline: float | None = None
    # The glyph's code in its font (PDF glyphs): with the font, which glyph of the font this
    # is, whatever text the producer named it with.
    cid: int = -1

    # Properties over per-text caches: glyph texts repeat, so each answer is computed once.
    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def is_space(self) -> bool:
        return _is_space(self.text)

    @property
    def is_mark(self) -> bool:
        return _is_mark(self.text)

    @property
    def bidi_type(self) -> str:
        return glyph_bidi_type(self.text)

    def drawn_in_font_of(self, other: Glyph) -> bool:
        """Whether two glyphs come from one font, whatever subsets the producer split it into
        (known where the text layer's fonts are: OCR words have none, and always agree)."""
        return _font_family(self.font) == _font_family(other.font)


@lru_cache(maxsize=8192)
def _is_space(text: str) -> bool:
    return text.strip() == ""


@lru_cache(maxsize=1024)
def _font_family(name: str) -> str:
    # "ABCDEF+NotoNaskhArabic#2": a subset's tag and the reader's count of same-named fonts
    # (see extraction.pdf.device) part subsets of one font.
    return re.sub(r"^[A-Z]{6}\+", "", name.split("#")[0])


@lru_cache(maxsize=8192)
def _is_mark(text: str) -> bool:
    return bool(text) and all(unicodedata.category(ch) in ("Mn", "Me") for ch in text)


@lru_cache(maxsize=8192)
def glyph_bidi_type(text: str) -> str:
    """The bidi class of a glyph: its first strong character's, else its first character's."""
    types = [unicodedata.bidirectional(ch) for ch in text] or ["ON"]
    for t in types:
        if t in _STRONG:
            return t
    return types[0]


def clean_glyphs(glyphs: list[Glyph], cluster_named: set[tuple[str, int]] | None = None) -> list[Glyph]:
    """A page's glyphs with their text normalised (:func:`normalize_glyph_text`; Persian
    letter forms read as Arabic ones on a page with no letter only Persian or Urdu uses) and
    a size for every glyph."""
    arabic = page_is_arabic(g.text for g in glyphs)
    out = []
    for g in glyphs:
        text = normalize_glyph_text(g.text, arabic)
        if g.x1 - g.x0 < 0.01 and len(text) > 1:
            text = _mark_glyph_text(text)
        if text != g.text or g.size <= 0:
            g = g._replace(text=text, size=g.size if g.size > 0 else (g.bottom - g.top) or 10.0)
        out.append(g)
    return _unname_cluster_marks(_unname_misnamed_marks(out), set() if cluster_named is None else cluster_named)


def _unname_misnamed_marks(glyphs: list[Glyph]) -> list[Glyph]:
    """A glyph drawn with no advance next to an Arabic letter (in the producer's order,
    which may be visual) is a mark or a ligature's second letter: one named after a Latin
    letter or a digit says nothing of it (LibreOffice with Noto Sans Arabic names a damma
    "L": "يLكتب", "القمةL") and loses its name."""
    out = glyphs
    for i, g in enumerate(glyphs):
        if g.x1 - g.x0 >= 0.01 or len(g.text) != 1 or not (g.text.isascii() and g.text.isalnum()):
            continue
        neighbours = glyphs[max(0, i - 1):i] + glyphs[i + 1:i + 2]
        if any(_ARABIC_LETTER.match(n.text[-1:]) for n in neighbours):
            if out is glyphs:
                out = list(glyphs)
            out[i] = g._replace(text="\ufffd")
    return out


def _unname_cluster_marks(glyphs: list[Glyph], unnamed: set[tuple[str, int]]) -> list[Glyph]:
    """A letter's glyph named after the first cluster it was drawn in carries that cluster's
    mark in every word (Typst with Scheherazade names the alef glyph "أ" and every alef reads
    so, Typst "قُ" every final qaf). The producer gives itself away by drawing that mark as a
    glyph of its own over some of the glyph's copies: then the glyph's name loses the mark,
    and the copies the mark is drawn over get it back from the mark's glyph. A glyph whose
    mark is never drawn apart (a font's alef with hamza) keeps it. ``unnamed``: the glyphs
    found so on the document's earlier pages, grown by this page's (the evidence may stand
    on another page than the glyph)."""
    named: dict[tuple[str, int], str] = {}
    for g in glyphs:
        if g.cid >= 0 and g.x1 - g.x0 >= 0.01:
            marks = _own_marks(g.text)
            if marks:
                named[(g.font, g.cid)] = marks
    if not named:
        return glyphs
    apart = [g for g in glyphs if g.x1 - g.x0 < 0.01 and _own_marks(g.text) or g.is_mark]
    for g in glyphs:
        marks = named.get((g.font, g.cid))
        if marks is None or (g.font, g.cid) in unnamed or g.x1 - g.x0 < 0.01:
            continue
        for m in apart:
            if g.x0 - 1 <= m.x0 <= g.x1 + 1 and abs(m.bottom - g.bottom) < g.size \
                    and set(_own_marks(m.text) or m.text) & set(marks):
                unnamed.add((g.font, g.cid))
                break
    if not unnamed & named.keys():
        return glyphs
    return [g._replace(text=unicodedata.normalize("NFC", "".join(
                ch for ch in unicodedata.normalize("NFD", g.text) if not unicodedata.combining(ch))))
            if (g.font, g.cid) in unnamed and g.x1 - g.x0 >= 0.01 else g for g in glyphs]


@lru_cache(maxsize=8192)
def names_a_letter(text: str) -> bool:
    """Whether a glyph's text holds a letter or a digit, of any script."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


@lru_cache(maxsize=8192)
def _own_marks(text: str) -> str:
    """The marks of a letter-and-marks text, decomposed ("أ": the hamza), else ""."""
    decomposed = unicodedata.normalize("NFD", text)
    if len(decomposed) < 2 or unicodedata.combining(decomposed[0]):
        return ""
    marks = decomposed[1:]
    return marks if all(unicodedata.combining(ch) for ch in marks) else ""


def name_stretchers(glyphs: list[Glyph], known: set[tuple[str, int]] | None = None) -> list[Glyph]:
    """Kashida glyphs named after a character: a glyph of a font drawn more than once on top
    of itself, copies shifted by part of their width, on one baseline, is a kashida
    stretching a word (LibreOffice lays copies over each other to fill a width, and names
    the kashida glyph after the first character it met: "(", even the space, whose code it
    then shares with real spaces). Letters and digits are left alone: shapers draw joined
    letters overlapping, a doubled letter ("لل") as two copies a little less than a width
    apart. Its copies become tatweel, whose ink joins the letters
    (bidi.drop_stray_connectors); where the name is a space, only the copies laid over each
    other, unless the font draws its real spaces with another code (a lone copy may be the
    word space it is named after). Fake bold draws a copy too, but
    at (almost) the same place: its copies go first (:func:`drop_overdrawn`). ``known``: the
    kashida glyphs found so on the document's earlier pages, grown by this page's (a page
    may stretch its words by single kashida only)."""
    seen: dict[tuple[str, int, float], list[int]] = {}
    stacked: set[int] = set()
    for i, g in enumerate(glyphs):
        if g.cid < 0 or g.x1 - g.x0 < 0.01 or g.baseline is None or names_a_letter(g.text):
            continue
        key = (g.font, g.cid, round(g.baseline, 1))
        width = g.x1 - g.x0
        for j in seen.get(key, ()):
            shift = abs(glyphs[j].x0 - g.x0)
            if max(0.2 * width, 0.08 * g.size) <= shift < 0.95 * width:
                stacked.update((i, j))
        seen.setdefault(key, []).append(i)
    known = set() if known is None else known
    if not stacked and not known:
        return glyphs
    # A space-named kashida glyph is all kashida when the font draws its real spaces with
    # another code (LibreOffice: code 1 the space, code 32 the kashida, both named " ").
    codes: dict[tuple[str, str], set[int]] = {}
    for g in glyphs:
        if g.cid >= 0:
            codes.setdefault((g.font, g.text), set()).add(g.cid)
    named = {(glyphs[i].font, glyphs[i].cid) for i in stacked
             if not glyphs[i].is_space or len(codes[(glyphs[i].font, glyphs[i].text)]) > 1}
    known |= named
    return [g._replace(text=KASHIDA) if i in stacked or (g.font, g.cid) in known else g
            for i, g in enumerate(glyphs)]


@lru_cache(maxsize=8192)
def _mark_glyph_text(text: str) -> str:
    """The text of a glyph drawn with no advance. A mark glyph some producers name after the
    whole cluster it first appeared in (Typst: the damma glyph reads "يُ" wherever it is
    drawn) says only its marks; the letters belong to the base glyph beside it, which has its
    own text. A zero-width glyph without marks is a ligature's second letter: kept."""
    marks = "".join(ch for ch in text if unicodedata.combining(ch))
    return marks or text


def page_is_arabic(texts: Iterable[str]) -> bool:
    """Whether a page's glyph texts hold no letter only Persian or Urdu uses."""
    return not _PERSIAN_ONLY.search(unicodedata.normalize("NFKC", "".join(texts)))


@lru_cache(maxsize=8192)
def normalize_glyph_text(text: str, arabic: bool = False) -> str:
    """Presentation forms and ligatures to base letters; spaces of any width to one space.

    ``arabic``: Persian letter forms that look like Arabic ones become the Arabic letters.
    """
    if text in _SPACES:
        return " "
    words = text.split()
    if len(words) > 1:
        # No glyph draws a space inside itself: this is an ActualText span pinned to one of
        # its glyphs (WeasyPrint puts the previous word's on the next one); the glyph's own
        # text is its last word.
        text = words[-1]
    elif words and len(text) > 1:
        text = words[0]
    if arabic and any(ch in _PERSIAN_AS_ARABIC for ch in text):
        text = "".join(_PERSIAN_AS_ARABIC.get(ch, ch) for ch in text)
    if not _PRESENTATION.search(text):
        return text
    out = []
    for ch in text:
        if _PRESENTATION.match(ch):
            base = unicodedata.normalize("NFKC", ch)
            # Isolated harakat forms (U+FE70...) decompose to space + mark: keep the mark.
            out.append(base.strip(" ") or base)
        else:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=8192)
def is_unusable_text(text: str) -> bool:
    """True for glyph text that says nothing: replacement chars, private use, unmapped CIDs."""
    if text.startswith("(cid:"):
        return True
    for ch in text:
        if ch in _UNUSABLE:
            return True
        cat = unicodedata.category(ch)
        if cat in ("Co", "Cs", "Cn") or (cat == "Cc" and ch not in "\t\n\r"):
            return True
    return False


def drop_overdrawn(glyphs: Iterable[Glyph]) -> list[Glyph]:
    """Drop a glyph drawn again at (almost) the same place: producers fake bold that way."""
    kept: list[Glyph] = []
    # Each glyph is filed under its grid cell, and under the neighbouring cells when it lies
    # within the tolerance of their edge, so that one look-up finds any twin. Cells are
    # wide, so most glyphs are filed once.
    seen: dict[tuple[str, int, int], list[Glyph]] = {}
    for g in glyphs:
        text = g.text
        if _is_space(text):
            kept.append(g)
            continue
        tol = max(g.size * 0.1, 0.3)
        cell = 10 * tol
        x0, top = g.x0, g.top
        cx, cy = int(x0 // cell), int(top // cell)
        bucket = seen.get((text, cx, cy))
        if bucket is not None and _has_twin(bucket, x0, top, tol):
            continue
        kept.append(g)
        xs = _cells(cx, x0, cell, tol)
        for cy_ in _cells(cy, top, cell, tol):
            for cx_ in xs:
                seen.setdefault((text, cx_, cy_), []).append(g)
    return kept


def _has_twin(bucket: list[Glyph], x0: float, top: float, tol: float) -> bool:
    for o in bucket:
        if abs(o.x0 - x0) < tol and abs(o.top - top) < tol:
            return True
    return False


def _cells(c: int, v: float, cell: float, tol: float) -> tuple[int, ...]:
    """Cell ``c`` holding coordinate ``v``, with the neighbour whose edge ``v`` is within ``tol`` of."""
    if v - c * cell < tol:
        return (c, c - 1)
    if (c + 1) * cell - v < tol:
        return (c, c + 1)
    return (c,)
