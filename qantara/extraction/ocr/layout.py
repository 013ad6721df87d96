"""OCR words to lines in reading order, with the layout code text-layer pages use.

Tesseract's own line grouping is kept (it follows skew), but its block order is not: on a
two-column page it reads the left column first. Each word becomes a glyph in PDF points, with
a box synthesized from its line's baseline and font size so that spacing and size tests in
:mod:`qantara.layout.blocks` see the same geometry as on a text page; the columns are then found
and ordered by :mod:`qantara.layout.lines`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from statistics import median
from typing import Iterable

from ...arabic.charsets import SCRIPT
from ...arabic.direction import direction
from ...layout.glyphs import Glyph
from ...layout.blocks import LineBox, PlacedLine
from ...layout.columns import reading_order
from ...layout.lines import RawLine
from .tesseract import OcrWord

_ARABIC = re.compile(f"[{SCRIPT}]")
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9\u00c0-\u024f]")


def page_lines(words: list[OcrWord], scale: float, hints: Iterable[tuple[float, float]] = ()
               ) -> tuple[list[PlacedLine], list[tuple[float, float]]]:
    """Words (pixel boxes) to lines in reading order, and the page's column gutters (x0, x1 in
    points); ``scale`` is points per pixel, ``hints`` the gutters of the document's pages
    read before (see :func:`qantara.layout.columns.reading_order`)."""
    groups = _tesseract_lines(words)
    raw = [_raw_line(group, scale) for group in groups]
    # By glyph, not by line: the column split may cut a line into new ones.
    confidence = {id(g): w.confidence for line, group in zip(raw, groups) for g, w in zip(line.glyphs, group)}
    raw.sort(key=lambda line: line.top)
    texts = {id(line): order_words(line) for line in raw}
    rtl = sum(d == "rtl" for _, d in texts.values()) * 2 >= len(raw)
    ordered, gutters = reading_order(raw, rtl, hints)
    out = []
    for line in ordered:
        text, direction = texts.get(id(line)) or order_words(line)
        if text:
            sure = sum(confidence[id(g)] for g in line.glyphs) / len(line.glyphs)
            out.append(PlacedLine(LineBox.of(line), text, direction, round(sure, 1)))
    return out, [(g.x0, g.x1) for g in gutters]


def _tesseract_lines(words: list[OcrWord]) -> list[list[OcrWord]]:
    groups: dict[tuple[int, int, int], list[OcrWord]] = defaultdict(list)
    for word in words:
        groups[word.line].append(word)
    return list(groups.values())


def _raw_line(words: list[OcrWord], scale: float) -> RawLine:
    """Arabic words hang below and rise above the line unevenly; the median word bottom is
    near the baseline and the median word height near the font size."""
    baseline = median(w.bottom for w in words) * scale
    size = median(w.bottom - w.top for w in words) * scale
    return RawLine(tuple(
        Glyph(w.text, w.left * scale, w.right * scale, baseline - size, baseline, size, seq=i)
        for i, w in enumerate(words)
    ))


def order_words(line: RawLine) -> tuple[str, str]:
    """A line's words in logical order and its base direction.

    Tesseract gives each word's letters in logical order, so only the words need ordering.
    """
    words = sorted(line.glyphs, key=lambda g: g.x0)
    texts = [g.text for g in words]
    rtl = is_rtl(texts)
    return " ".join(texts[i] for i in logical_order(texts, rtl)), "rtl" if rtl else "ltr"


def is_rtl(texts: list[str]) -> bool:
    return direction(" ".join(texts)) == "rtl"


def logical_order(texts: list[str], rtl: bool) -> list[int]:
    """Indexes of words given left to right on the page, in reading order: right to left in
    an Arabic line, except that runs of Latin words and numbers read left to right (and the
    reverse in a Latin line)."""
    visual = list(range(len(texts)))
    return _reverse_runs(visual[::-1] if rtl else visual, texts, rtl)


def visual_order(texts: list[str], rtl: bool) -> list[int]:
    """The inverse of :func:`logical_order`: indexes of words given in reading order, left
    to right on the page."""
    placed = _reverse_runs(list(range(len(texts))), texts, rtl)
    return placed[::-1] if rtl else placed


def _reverse_runs(order: list[int], texts: list[str], rtl: bool) -> list[int]:
    inner = _is_ltr_word if rtl else _is_rtl_word
    out: list[int] = []
    run: list[int] = []
    for i in order:
        if inner(texts[i]):
            run.append(i)
            continue
        out.extend(reversed(run))
        run = []
        out.append(i)
    out.extend(reversed(run))
    return out


def _is_ltr_word(text: str) -> bool:
    return not _ARABIC.search(text) and bool(_LATIN_OR_DIGIT.search(text))


def _is_rtl_word(text: str) -> bool:
    return bool(_ARABIC.search(text))
