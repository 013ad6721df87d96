"""The Arabic comma told from a full stop by its shape on the page.

Tesseract's Arabic models have no Arabic comma (،) in their alphabet: they read it as a full
stop, a Latin comma or a closing guillemet. The post-correction puts a Latin comma or a stray
guillemet after an Arabic word right (:mod:`qantara.extraction.ocr.correct`); a full stop
cannot be told from the text. On the page the two differ: a full stop is a dot, about as high
as wide, while the Arabic comma of most fonts is a stroke with a head, half as high again as
wide or more. The marks read as full stops after Arabic words are measured: when their shapes
fall in two groups, a round one and a tall one, the tall marks are commas; when they are all
tall, they all are. Where a font's comma is a round blob itself (KacST's, whose full stop
comes from another font), the marks may still fall in two groups by their size: the group
holding the marks that end paragraphs, full stops nearly always, is the full stops', the
other the commas. Where neither says, the marks are left as read.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from statistics import median

from ...arabic.charsets import LETTERS, MARKS
from .geometry import INK, components
from .tesseract import OcrWord

_STOP_AFTER_ARABIC = re.compile(f"(?<=[{LETTERS}{MARKS}])\\.$")
# How far into a word from its left end (its end, in Arabic) the mark is looked for, and the
# largest a mark may be, in the page's median word heights.
_REACH = 0.6
_MARK_HEIGHT = 0.6
_MARK_WIDTH = 0.5
# Two groups of shapes (height over width) are a round one and a tall one when the tall
# group's middle is this many times the round one's, and at least this tall itself (full
# stops measure 0.8-1.25 over the fonts drawn from; commas 1.4-2.2 where they differ).
_APART = 1.35
_TALL = 1.4
# Two groups of sizes (ink area) are a small one and a large one when the large group's
# middle is this many times the small one's (KacST's comma against a fallback font's full
# stop: 2-2.2 times in scans at 150-300 dpi; one mark's size varies by a third with blur).
_LARGER = 1.6
# A line this many word heights shorter than its block's lines ends a paragraph.
_SHORT_LINE = 3.0
# Share of the marks ending paragraphs that must fall in one size group to name it the
# full stops'.
_ENDS_AGREE = 0.75


@dataclass(frozen=True)
class CommaRule:
    """How a page's Arabic commas are told from its full stops: marks whose ``feature``
    ("shape": height over width, or "size": ink area over the square of the page's word
    height) is on the commas' side of ``threshold``."""

    feature: str
    threshold: float
    commas_above: bool

    def is_comma(self, mark: tuple[float, float]) -> bool:
        value = mark[0] if self.feature == "shape" else mark[1]
        return value >= self.threshold if self.commas_above else value < self.threshold


def comma_rule(image, words: list[OcrWord]) -> CommaRule | None:
    """How a mark read as a full stop after an Arabic word is told an Arabic comma on this
    page, or None where the page's marks do not say."""
    marks = _marks(image, words)
    if not marks:
        return None
    threshold = _split([shape for shape, _ in marks.values()])
    if threshold is not None:
        return CommaRule("shape", threshold, True)
    return _by_size(marks, _paragraph_ends(words))


def restore_commas(image, words: list[OcrWord], rule: CommaRule | None) -> list[OcrWord]:
    """The words, each full stop after an Arabic word whose mark ``rule`` calls a comma made
    an Arabic comma."""
    if rule is None:
        return words
    marks = _marks(image, words)
    return [replace(w, text=w.text[:-1] + "،") if i in marks and rule.is_comma(marks[i]) else w
            for i, w in enumerate(words)]


def _marks(image, words: list[OcrWord]) -> dict[int, tuple[float, float]]:
    """Shape (height over width) and size (ink area over the square of the page's median
    word height) of the mark ending each word read with a full stop after Arabic."""
    import numpy as np

    marked = [i for i, w in enumerate(words) if _STOP_AFTER_ARABIC.search(w.text)]
    if not marked:
        return {}
    pixels = np.asarray(image)
    height = median(w.bottom - w.top for w in words)
    out = {}
    for i in marked:
        w = words[i]
        left = max(0, w.left - 2)
        crop = pixels[max(0, w.top):w.bottom, left:min(pixels.shape[1], w.left + round(_REACH * height))] < INK
        marks = [c for c in components(crop)
                 if c[3] - c[1] < _MARK_HEIGHT * height and c[2] - c[0] < _MARK_WIDTH * height]
        if marks:
            x0, y0, x1, y1, area = min(marks, key=lambda c: c[0])
            out[i] = ((y1 - y0) / (x1 - x0), area / height ** 2)
    return out


def _paragraph_ends(words: list[OcrWord]) -> set[int]:
    """The words that end paragraphs: the last (leftmost) word of a line shorter than its
    block's lines by more than a few word heights, whichever side the block is aligned to
    (Tesseract's own paragraphs end at column and block ends too, mid-sentence)."""
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i, w in enumerate(words):
        lines.setdefault(w.line, []).append(i)
    height = median(w.bottom - w.top for w in words)
    widths: dict[int, list[int]] = {}
    for key, members in lines.items():
        widths.setdefault(key[0], []).append(_width(words, members))
    out = set()
    for key, members in lines.items():
        block = widths[key[0]]
        if len(block) >= 3 and median(block) - _width(words, members) > _SHORT_LINE * height:
            out.add(min(members, key=lambda i: words[i].left))
    return out


def _width(words: list[OcrWord], members: list[int]) -> int:
    return max(words[i].right for i in members) - min(words[i].left for i in members)


def _by_size(marks: dict[int, tuple[float, float]], ends: set[int]) -> CommaRule | None:
    """Marks in two groups by size, the full stops' group named by the paragraph ends in it."""
    values = sorted(math.log(size) for _, size in marks.values())
    split = _otsu(values)
    if split is None:
        return None
    _, k, lo, hi = split
    if math.exp(hi - lo) < _LARGER:
        return None
    threshold = math.exp((values[k - 1] + values[k]) / 2)
    ended = [marks[i][1] >= threshold for i in ends if i in marks]
    if not ended:
        return None
    large = sum(ended) / len(ended)
    if large >= _ENDS_AGREE:
        return CommaRule("size", threshold, False)
    if large <= 1 - _ENDS_AGREE:
        return CommaRule("size", threshold, True)
    return None


def _otsu(values: list[float]) -> tuple[float, int, float, float] | None:
    """Otsu's split of sorted values: (score, index of the first high value, low mean, high
    mean), None for fewer than two values."""
    best = None
    for k in range(1, len(values)):
        low, high = values[:k], values[k:]
        lo, hi = sum(low) / len(low), sum(high) / len(high)
        score = len(low) * len(high) * (hi - lo) ** 2
        if best is None or score > best[0]:
            best = (score, k, lo, hi)
    return best


def _split(shapes: list[float]) -> float | None:
    """Otsu's split of the shapes (on a log scale), kept when it parts a round group from a
    tall one; the smallest shape when all are tall; else None."""
    values = sorted(math.log(s) for s in shapes)
    best = _otsu(values)
    if best is not None and math.exp(best[3] - best[2]) >= _APART and math.exp(best[3]) >= _TALL:
        k = best[1]
        return math.exp((values[k - 1] + values[k]) / 2)
    if math.exp(values[len(values) // 2]) >= _TALL:
        return math.exp(values[0])
    return None
