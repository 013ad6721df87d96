"""Page geometry measured from the ink before any reading: the skew of the text lines, and
the height of their words.

Tesseract reads Arabic best when words are some 24-34 pixels high (see
:mod:`qantara.extraction.ocr.page`), whatever resolution a page was scanned at and whatever
size its text was set in, so each page is scaled to that height before it is read; and a
page scanned a little askew is turned straight first, so that each text line is a band of
rows and can be cut out and read again alone.
"""

from __future__ import annotations

import math

INK = 140  # gray level below which a pixel is ink
# Skew: angles tried (degrees either way), coarse then fine, on a page drawn this small.
_MAX_SKEW = 5.0
_COARSE_STEP = 0.25
_FINE_STEP = 0.05
_SKEW_WIDTH = 1000  # pixels
# Strips of the page whose row sums are measured apart (see :func:`skew`): narrow ones for a
# first turn, each strip's best turn voting, and wide ones to refine it, within a few tenths
# of a degree. Measured against the turn on 22 pages of generated scans of 2 and 3 columns
# (-1.5 to 1.5 degrees) and 48 drawn pages of 1-4 columns set up to half a line apart: within
# 0.17 and 0.55 degrees (0.05 and 0.12 on average); the whole page was 1.5 and 3.35 degrees
# off, one count of strips alone 0.15-0.3 and 0.35-2.3.
_NARROW_STRIPS = 8
_WIDE_STRIPS = (3, 4, 5, 6)
_STRIP_INK = 0.05  # share of the page's ink a narrow strip needs to vote
_REFINE = 0.4  # degrees
# A turn smaller than this is left alone (resampling blurs more than it helps).
_MIN_TURN = 0.1
# Word height: ink bands of the text lines within vertical strips this wide (inches). Over
# such a strip a line skewed by a degree or two still rises less than its letters' height,
# and the strip holds a word or two: its band runs from the highest ascender or dot to the
# lowest descender, as a word's box does. The bands' 90th percentile is the typical word's
# height (0.92-1.08 times Tesseract's median word box over the developed scans); lower
# bands are strips that caught only a word's low letters.
_STRIP_INCHES = 0.4
_BAND_PERCENTILE = 90
_MIN_BAND = 4  # pixels: specks and noise
# Bands taller than this (inches) are rules, borders and pictures that run down the page, not
# words: a page framed by a vertical rule measured as one word as high as the page.
_MAX_BAND_INCHES = 1.0


def skew(image) -> float:
    """Degrees the text lines of a grayscale page rise from left to right (counter-clockwise
    positive, as PIL's ``rotate`` turns), from projection profiles: rows of a page turned
    straight alternate between dense text and white gaps, so the row sums vary most.

    Row sums are taken in vertical strips of the page, each apart: columns whose lines are
    set at other heights than their neighbours' line up across the page at a slant (a
    straight three-column page measured -1.5 degrees as a whole), while a strip's lines only
    line up level. A strip that straddles a gutter still holds two columns, so the turn is
    first the median of narrow strips' own best turns, then refined near it by wider strips
    cut three to six ways (each count straddles the gutters elsewhere)."""
    import numpy as np

    factor = min(1.0, _SKEW_WIDTH / image.width)
    small = image.resize((max(1, round(image.width * factor)), max(1, round(image.height * factor))))
    ys, xs = np.nonzero(np.asarray(small) < INK)
    if len(ys) < 100:
        return 0.0
    cuts = {k: np.minimum((xs * k) // small.width, k - 1) for k in (_NARROW_STRIPS, *_WIDE_STRIPS)}
    xs = xs - small.width / 2

    def spreads(angle: float, k: int):
        """Sum of squared row sums of each of k strips."""
        rows = np.round(ys + xs * math.tan(math.radians(angle))).astype(np.int64)
        rows -= rows.min()
        n = int(rows.max()) + 1
        counts = np.bincount(cuts[k] * n + rows, minlength=k * n).astype(np.float64)
        return (counts.reshape(k, n) ** 2).sum(axis=1)

    coarse = np.arange(-_MAX_SKEW, _MAX_SKEW + _COARSE_STEP / 2, _COARSE_STEP)
    narrow = np.array([spreads(a, _NARROW_STRIPS) for a in coarse])
    inked = np.bincount(cuts[_NARROW_STRIPS], minlength=_NARROW_STRIPS) >= _STRIP_INK * len(ys)
    best = float(np.median([coarse[int(np.argmax(narrow[:, s]))] for s in np.flatnonzero(inked)]))
    fine = np.arange(best - _REFINE, best + _REFINE + _FINE_STEP / 2, _FINE_STEP)
    wide = {k: np.array([spreads(a, k).sum() for a in fine]) for k in _WIDE_STRIPS}
    score = sum(v / v.max() for v in wide.values())
    return float(round(float(fine[int(np.argmax(score))]), 2))


def straightened(image, angle: float):
    """The page turned so that its lines run level (the paper's gray fills the corners)."""
    from PIL import Image

    if abs(angle) < _MIN_TURN:
        return image
    histogram = image.histogram()
    paper = max(range(256), key=histogram.__getitem__)
    return image.rotate(-angle, resample=Image.BICUBIC, expand=False, fillcolor=paper)


def word_height(image, dpi: float) -> float | None:
    """The typical word's height in pixels (see ``_STRIP_INCHES``), None on a page without
    text-sized ink."""
    import numpy as np

    ink = np.asarray(image) < INK
    width = max(8, round(_STRIP_INCHES * dpi))
    bands: list[np.ndarray] = []
    for x in range(0, ink.shape[1] - width + 1, width):
        ys = np.flatnonzero(ink[:, x:x + width].any(axis=1))
        if len(ys) == 0:
            continue
        breaks = np.flatnonzero(np.diff(ys) > 1)
        bands.append(np.r_[ys[breaks], ys[-1]] - np.r_[ys[0], ys[breaks + 1]] + 1)
    heights = np.concatenate(bands) if bands else np.array([])
    heights = heights[(heights >= _MIN_BAND) & (heights <= _MAX_BAND_INCHES * dpi)]
    return float(np.percentile(heights, _BAND_PERCENTILE)) if len(heights) else None


def resized(image, factor: float):
    """The image scaled by ``factor`` (Lanczos: thin strokes stay whole when shrunk)."""
    from PIL import Image

    if abs(factor - 1.0) < 0.01:
        return image
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.LANCZOS)


def cut(image, box: tuple[float, float, float, float], pad: int) -> tuple[object, tuple[int, int]]:
    """The part of the image inside ``box`` (left, top, right, bottom; clipped to the image)
    with a white border of ``pad`` pixels (Tesseract misreads letters touching the image's
    edge), and where the crop's origin lies in the image."""
    from PIL import ImageOps

    left, top = max(0, round(box[0])), max(0, round(box[1]))
    right, bottom = min(image.width, round(box[2])), min(image.height, round(box[3]))
    crop = image.crop((left, top, max(left + 1, right), max(top + 1, bottom)))
    return ImageOps.expand(crop, border=pad, fill=255), (left - pad, top - pad)


def components(ink) -> list[tuple[int, int, int, int, int]]:
    """Connected ink (8-neighbours) of a small boolean image: (left, top, right, bottom,
    pixels) each, right and bottom exclusive. For crops of a word or a mark, not pages."""
    import numpy as np

    height, width = ink.shape
    seen = np.zeros_like(ink, dtype=bool)
    found = []
    for y, x in zip(*np.nonzero(ink)):
        if seen[y, x]:
            continue
        seen[y, x] = True
        stack = [(int(y), int(x))]
        left, top, right, bottom, count = int(x), int(y), int(x), int(y), 0
        while stack:
            cy, cx = stack.pop()
            count += 1
            left, right, top, bottom = min(left, cx), max(right, cx), min(top, cy), max(bottom, cy)
            for ny in (cy - 1, cy, cy + 1):
                for nx in (cx - 1, cx, cx + 1):
                    if 0 <= ny < height and 0 <= nx < width and ink[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
        found.append((left, top, right + 1, bottom + 1, count))
    return found
