"""The Arabic comma told from a full stop by its shape on the page.

Tesseract's Arabic models have no Arabic comma (،) in their alphabet: they read it as a full
stop, a Latin comma or a closing guillemet. The post-correction puts a Latin comma or a stray
guillemet after an Arabic word right (:mod:`qantara.extraction.ocr.correct`); a full stop
cannot be told from the text. On the page the two differ: a full stop is a dot, about as high
as wide, while the Arabic comma of most fonts is a stroke with a head, half as high again as
wide or more. The marks read as full stops after Arabic words are measured: when their shapes
fall in two groups, a round one and a tall one, the tall marks are commas; when they are all
tall, they all are. Where a font's comma is a round blob itself (KacST's), the marks make one
round group and are left as read.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
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


def comma_shape(image, words: list[OcrWord]) -> float | None:
    """The height-over-width from which a mark read as a full stop after an Arabic word is
    an Arabic comma on this page, or None where the page's marks do not say."""
    shapes = [s for s in _shapes(image, words).values()]
    return _split(shapes) if shapes else None


def restore_commas(image, words: list[OcrWord], threshold: float | None) -> list[OcrWord]:
    """The words, each full stop after an Arabic word whose mark is at least ``threshold``
    tall for its width made an Arabic comma."""
    if threshold is None:
        return words
    shapes = _shapes(image, words)
    return [replace(w, text=w.text[:-1] + "،") if shapes.get(i, 0.0) >= threshold else w
            for i, w in enumerate(words)]


def _shapes(image, words: list[OcrWord]) -> dict[int, float]:
    """Height over width of the mark ending each word read with a full stop after Arabic."""
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
            x0, y0, x1, y1, _ = min(marks, key=lambda c: c[0])
            out[i] = (y1 - y0) / (x1 - x0)
    return out


def _split(shapes: list[float]) -> float | None:
    """Otsu's split of the shapes (on a log scale), kept when it parts a round group from a
    tall one; the smallest shape when all are tall; else None."""
    values = sorted(math.log(s) for s in shapes)
    best = None
    for k in range(1, len(values)):
        low, high = values[:k], values[k:]
        lo, hi = sum(low) / len(low), sum(high) / len(high)
        score = len(low) * len(high) * (hi - lo) ** 2
        if best is None or score > best[0]:
            best = (score, k, lo, hi)
    if best is not None and math.exp(best[3] - best[2]) >= _APART and math.exp(best[3]) >= _TALL:
        k = best[1]
        return math.exp((values[k - 1] + values[k]) / 2)
    if math.exp(values[len(values) // 2]) >= _TALL:
        return math.exp(values[0])
    return None
