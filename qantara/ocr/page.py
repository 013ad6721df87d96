"""Read one page image with Tesseract, then repair the two ways its page reading fails on
Arabic scans.

- Layout analysis sometimes drops a whole line (its ascenders touch the line above and the
  pair is discarded as a non-text blob). Ink that no word box covers is cut into line strips
  and read one strip at a time (``--psm 7``), which does not go through layout analysis.
- With Arabic and English loaded, the English model claims some Arabic words ("آليات" read
  as "OUT"). Latin words inside Arabic lines are read again with the Arabic model alone, and
  the Arabic reading wins when the lexicon knows it (so "Carnegie" stays).

Then whole Arabic lines and number words are read a second time (:mod:`qantara.ocr.reread`).
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from statistics import median

from .reread import reread
from .tesseract import LANGUAGES, OcrWord, parse_tsv, run_tesseract

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z]")
# An Arabic reading that may replace a Latin one: Arabic words of two letters or more.
_ARABIC_READING = re.compile(r"^[\u00ab\u00bb\u060c\u061b\u061f.:!()\s]*(?:[\u0621-\u064a\u064b-\u0652\u0670\u0671-\u06d3]{2,}[\u00ab\u00bb\u060c\u061b\u061f.:!()\s]*)+$")
_INK = 140  # gray level below which a pixel is ink
_PAD = 12  # white border (pixels) around a re-read crop
# How far above a strip's first ink rows to crop, in median word heights.
_STRIP_RISES = (0.9, 0.6, 1.2)
# A strip reading this sure is kept without trying the other crops.
_STRIP_SURE = 80.0
# Median word confidence below which a strip read again is taken as noise, not a text line.
_STRIP_CONFIDENCE = 60.0
# A word this unsure of itself is read again with the Arabic model, wherever it is.
_UNSURE = 60.0


def read_page_words(png: bytes, languages: str = LANGUAGES, lexicon=None) -> list[OcrWord]:
    words = parse_tsv(run_tesseract(png, languages))
    if not words:
        return words
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    words = words + _read_missed_lines(image, words, languages)
    if "ara" in languages.split("+") and languages != "ara":
        words = _reread_latin(image, words, lexicon)
        words = reread(image, words, lexicon)
    return words


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
        top = max(w.top, int(top - 0.4 * height))
        bottom = min(w.bottom, int(bottom + 0.3 * height))
        ink[max(0, top):bottom, max(0, w.left - 4):w.right + 4] = False
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
        read = parse_tsv(run_tesseract(_png(image.crop(box)), languages, psm=7))
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


_SHEET_WIDTH = 12_000


def _reread_latin(image, words: list[OcrWord], lexicon) -> list[OcrWord]:
    """Latin words in Arabic lines, and any word Tesseract is unsure of, read again with the
    Arabic model alone; an Arabic reading replaces the word when the lexicon knows it, or
    when it is surer than the first reading of an unsure word."""
    arabic_lines = {
        line for line in {w.line for w in words}
        if _arabic_share([w for w in words if w.line == line]) >= 0.5
    }
    suspects = [
        i for i, w in enumerate(words)
        if w.confidence < _UNSURE
        or (lexicon is not None and w.line in arabic_lines and _LATIN.search(w.text) and not _ARABIC.search(w.text))
    ]
    if not suspects:
        return words
    readings = []
    for batch in _sheets([words[i] for i in suspects]):
        try:
            readings += _read_side_by_side(image, batch)
        except RuntimeError:
            # A second reading only improves on the first; Tesseract refusing a sheet
            # (seen on a page of docling's right_to_left_02) leaves the first readings.
            readings += [("", 0.0)] * len(batch)
    out = list(words)
    for i, (text, confidence) in zip(suspects, readings):
        if not _ARABIC_READING.match(text) or text == words[i].text:
            continue
        known = lexicon is not None and all(lexicon.known(t) for t in text.split())
        first_known = lexicon is not None and _ARABIC.search(words[i].text) and lexicon.known(words[i].text)
        unsure = words[i].confidence < _UNSURE and confidence > words[i].confidence
        if known and not first_known or (unsure and not first_known) or (lexicon is None and unsure):
            out[i] = replace(words[i], text=text, confidence=confidence)
    return out


def _sheets(words: list[OcrWord]) -> list[list[OcrWord]]:
    """Split crops into sheets Tesseract accepts: it fails on images tens of thousands of pixels wide."""
    sheets: list[list[OcrWord]] = [[]]
    width = 0
    for w in words:
        crop = (w.right - w.left) + 2 * _PAD + (w.bottom - w.top) + 2 * _PAD
        if sheets[-1] and width + crop > _SHEET_WIDTH:
            sheets.append([])
            width = 0
        sheets[-1].append(w)
        width += crop
    return sheets


def _arabic_share(words: list[OcrWord]) -> float:
    arabic = sum(len(_ARABIC.findall(w.text)) for w in words)
    latin = sum(len(_LATIN.findall(w.text)) for w in words)
    return arabic / ((arabic + latin) or 1)


def _read_side_by_side(image, words: list[OcrWord]) -> list[tuple[str, float]]:
    """Read word crops with the Arabic model in one Tesseract run: the crops are pasted in a
    row, far apart, and each reading is matched back by position."""
    from PIL import Image

    crops = [image.crop((w.left - _PAD, w.top - _PAD, w.right + _PAD, w.bottom + _PAD)) for w in words]
    gap = max(c.height for c in crops)
    sheet = Image.new("L", (sum(c.width for c in crops) + gap * (len(crops) + 1), gap * 2), 255)
    spans = []
    x = gap
    for crop in crops:
        sheet.paste(crop, (x, (sheet.height - crop.height) // 2))
        spans.append((x, x + crop.width))
        x += crop.width + gap
    readings: list[list[OcrWord]] = [[] for _ in crops]
    for w in parse_tsv(run_tesseract(_png(sheet), "ara", psm=7)):
        center = (w.left + w.right) / 2
        for k, (lo, hi) in enumerate(spans):
            if lo - gap / 2 <= center <= hi + gap / 2:
                readings[k].append(w)
                break
    return [
        (" ".join(w.text for w in sorted(r, key=lambda w: -w.right)), min((w.confidence for w in r), default=0.0))
        for r in readings
    ]


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
