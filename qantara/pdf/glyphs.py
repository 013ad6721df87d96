"""Glyphs: pdfplumber's char dicts turned into one small frozen type, cleaned up.

This is the only place that reads pdfplumber's dicts. Cleaning happens per glyph and per
page: presentation forms and ligatures become base letters (keeping a ligature's letters in
the order its text layer gives them), overdrawn duplicates (fake bold) are dropped, and glyphs
that carry no usable text (U+FFFD, private use, unmapped CIDs) are counted so that a page
without a text layer can be reported instead of passed on.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Mapping

# Arabic presentation forms A/B and Latin ligatures: NFKC gives the base letters in logical
# order. Everything else is left as the producer wrote it (NFKC would also rewrite digits,
# superscripts and compatibility spaces the later stages should see).
_PRESENTATION_RANGES = ((0xFB00, 0xFB4F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_UNUSABLE = {"\ufffd", "\uffff", "\ufffe"}
_SPACES = {" ", "\u00a0", "\u2002", "\u2003", "\u2009", "\u200a", "\u202f"}


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str = ""
    seq: int = -1  # position in the page's content stream

    @cached_property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    @cached_property
    def is_space(self) -> bool:
        return self.text.strip() == ""

    @cached_property
    def is_mark(self) -> bool:
        return bool(self.text) and all(unicodedata.category(ch) in ("Mn", "Me") for ch in self.text)


def glyph_from_char(char: Mapping, seq: int = -1) -> Glyph:
    """pdfplumber char dict -> Glyph (the one function that knows pdfplumber's keys)."""
    return Glyph(
        text=normalize_glyph_text(char["text"]),
        x0=float(char["x0"]),
        x1=float(char["x1"]),
        top=float(char["top"]),
        bottom=float(char["bottom"]),
        size=float(char.get("size") or (char["bottom"] - char["top"]) or 10.0),
        font=str(char.get("fontname", "")),
        seq=seq,
    )


def _is_presentation(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _PRESENTATION_RANGES)


def normalize_glyph_text(text: str) -> str:
    """Presentation forms and ligatures to base letters; spaces of any width to one space."""
    if text in _SPACES:
        return " "
    if not any(_is_presentation(ch) for ch in text):
        return text
    out = []
    for ch in text:
        if _is_presentation(ch):
            base = unicodedata.normalize("NFKC", ch)
            # Isolated harakat forms (U+FE70...) decompose to space + mark: keep the mark.
            out.append(base.strip(" ") or base)
        else:
            out.append(ch)
    return "".join(out)


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
    seen: dict[tuple[str, int, int], list[Glyph]] = {}
    for g in glyphs:
        if not g.text.strip():
            kept.append(g)
            continue
        tol = max(g.size * 0.1, 0.3)
        bx, by = int(g.x0 // tol), int(g.top // tol)
        twins = (
            o
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for o in seen.get((g.text, bx + dx, by + dy), ())
        )
        if any(abs(o.x0 - g.x0) < tol and abs(o.top - g.top) < tol for o in twins):
            continue
        seen.setdefault((g.text, bx, by), []).append(g)
        kept.append(g)
    return kept
