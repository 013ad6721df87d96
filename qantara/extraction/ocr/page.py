"""Read one page image with Tesseract, spending the effort where the page needs it.

The page is read once, whole, scaled so that its words are about as high as Tesseract's
Arabic model reads best (:mod:`qantara.extraction.ocr.geometry` measures them before any
reading). Most lines come out right and are kept. A line whose words Tesseract was unsure
of, or which holds words the lexicon does not know, is cut out of the page and read again
alone at two other sizes by the Arabic model: Tesseract's errors on Arabic depend strongly
on the text's size in pixels, and a word read wrong at one size is usually read right at
another, so the three readings of the line vote word by word
(:mod:`qantara.extraction.ocr.vote`). Number words are read again, enlarged, before the
vote (:mod:`qantara.extraction.ocr.numbers`), while each reading has its own boxes.

Layout analysis sometimes drops a whole line (its ascenders touch the line above and the
pair is discarded as a non-text blob). Ink that no word box covers is cut into line strips
and read one strip at a time (``--psm 7``), which does not go through layout analysis.

All readings of a page come from the one image rendered for it, and run in parallel, as
many at once as there are cores (:mod:`qantara.extraction.ocr.tesseract`).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from statistics import median

from ...arabic.charsets import LETTERS, MARKS
from .geometry import INK, cut, resized, word_height
from .numbers import reread_numbers
from .punctuation import CommaRule, comma_rule, restore_commas
from .tesseract import LANGUAGES, OcrWord, cores, read
from .vote import scaled, vote

# Median word height (pixels) of the page's one reading, by the Arabic model alone (twice as
# fast as Arabic + English, which runs both models, and surer of Arabic), and the heights its
# doubtful lines are read again at, by Arabic + English (Latin words) and by the Arabic
# model: Tesseract's Arabic model reads best between about 22 and 36.
MAIN_HEIGHT = 27
REREAD_HEIGHTS = (33, 23)
# A reading whose words came out outside these heights (the page's measure was fooled) is
# made again at the height they say.
_HEIGHTS_READ_WELL = (21.0, 38.0)
# A line is read again when the mean confidence of its words is under this, or when the
# lexicon knows less than this share of its Arabic letters' words.
_SURE_LINE = 88.0
_KNOWN_SHARE = 0.9
_LETTER = re.compile(f"[{LETTERS}]")
# The one reading is by the Arabic model alone: what it makes of Latin words, of signs and of
# stains ("+=" for "محمد" between two Latin words, "6816م:03" for "Carnegie") is not an
# Arabic word or a number, and such a line is read again with English too, whatever its
# confidence.
_ARABIC_OR_NUMBER = re.compile(
    f"^[(«\"']?(?:[{LETTERS}][{LETTERS}{MARKS}]*|\\d[\\d.,\\-–/%]*)[)»\"'.,،؛:;!?؟%]*$")
# Doubtful lines this many word heights apart or less are read again in one crop.
_JOIN = 3.0
_PAD = 12  # white border (pixels) around a re-read crop
# How far above a strip's first ink rows to crop, in median word heights.
_STRIP_RISES = (0.9, 0.6, 1.2)
# A strip reading this sure is kept without trying the other crops.
_STRIP_SURE = 80.0
# Median word confidence below which a strip read again is taken as noise, not a text line.
_STRIP_CONFIDENCE = 60.0


def read_page_words(image, dpi: float, languages: str = LANGUAGES, lexicon=None) -> list[OcrWord]:
    """The words of a straightened grayscale page image, boxes in its pixels."""
    alone = _arabic_alone(languages)
    words = _whole_page(image, dpi, alone)
    if not words:
        return words
    rereads_in = (languages, alone)
    sighted = [language == languages for language in (alone, *rereads_in)]
    height = median(w.bottom - w.top for w in words)
    commas = comma_rule(image, words)
    words = restore_commas(image, words, commas)
    lines = _lines(words)
    regions = _regions(lines, {key for key, members in lines.items() if _doubtful(members, lexicon)}, height)
    with ThreadPoolExecutor(max_workers=cores(), thread_name_prefix="qantara-ocr-region") as pool:
        numbers = pool.submit(reread_numbers, image, words)
        rereads = [[pool.submit(_read_region, image, region.crop, target / height, language, commas)
                    for target, language in zip(REREAD_HEIGHTS, rereads_in)] for region in regions]
        lines = _lines(numbers.result())
        for n, (region, futures) in enumerate(zip(regions, rereads)):
            inside = [w for w in _flat(lines) if region.holds(w, region.crop)]
            voted = vote([inside] + [future.result() for future in futures], lexicon, reads_latin=sighted)
            lines = _replaced(lines, region, voted, n)
        out = _flat(lines)
        missed = _read_missed_lines(image, out, languages)
    return out + missed


def _lines(words: list[OcrWord]) -> dict[tuple[int, int, int], list[OcrWord]]:
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    return lines


def _flat(lines: dict[tuple[int, int, int], list[OcrWord]]) -> list[OcrWord]:
    return [w for members in lines.values() for w in members]


@dataclass
class _Region:
    """Doubtful lines of one column near each other (``core``: the box round them), read again
    together in a crop (``crop``) that takes in the lines above and below whole: a line cut
    out alone holds its neighbours' ascenders and descenders, which spoil its reading."""

    core: tuple[float, float, float, float]  # left, top, right, bottom
    crop: tuple[float, float, float, float] = (0, 0, 0, 0)

    @staticmethod
    def holds(word: OcrWord, box: tuple[float, float, float, float]) -> bool:
        x, y = (word.left + word.right) / 2, (word.top + word.bottom) / 2
        return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _box(words: list[OcrWord]) -> tuple[float, float, float, float]:
    return (min(w.left for w in words), min(w.top for w in words), max(w.right for w in words),
            max(w.bottom for w in words))


def _regions(lines: dict[tuple[int, int, int], list[OcrWord]], doubtful: set, height: float) -> list[_Region]:
    boxes = {key: _box(members) for key, members in lines.items()}

    def column(a, b) -> bool:  # x-overlap of half the narrower
        return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 * min(a[2] - a[0], b[2] - b[0])

    regions: list[_Region] = []
    for key in sorted(doubtful, key=lambda k: boxes[k][1]):
        box = boxes[key]
        near = next((r for r in regions if column(r.core, box) and box[1] - r.core[3] <= _JOIN * height), None)
        if near is None:
            regions.append(_Region(box))
        else:
            near.core = (min(near.core[0], box[0]), near.core[1], max(near.core[2], box[2]), max(near.core[3], box[3]))
    for region in regions:
        core = region.core
        above = [b for b in boxes.values() if column(core, b) and b[3] <= core[1] + 0.5 * height and b[1] < core[1]]
        below = [b for b in boxes.values() if column(core, b) and b[1] >= core[3] - 0.5 * height and b[3] > core[3]]
        top = max((b[1] for b in above), default=core[1] - height)
        bottom = min((b[3] for b in below), default=core[3] + height)
        region.crop = (core[0] - height, min(top, core[1] - height), core[2] + height, max(bottom, core[3] + height))
    return regions


def _replaced(lines: dict, region: _Region, voted: list[OcrWord], n: int) -> dict:
    """The page's lines with those in the region's core replaced by their vote (a line the
    vote lost is kept as first read)."""
    out = {key: members for key, members in lines.items() if not _centred(members, region.core)}
    kept = [w for w in voted if region.holds(w, region.core)]
    for key, members in lines.items():
        if key in out:
            continue
        top, bottom = min(w.top for w in members), max(w.bottom for w in members)
        if not any(top <= (w.top + w.bottom) / 2 <= bottom for w in kept):
            out[key] = members
    for w in kept:
        key = (20_000 + n, w.line[0], 0)
        out.setdefault(key, []).append(replace(w, line=key))
    return out


def _centred(words: list[OcrWord], box) -> bool:
    b = _box(words)
    return _Region.holds(OcrWord("", round(b[0]), round(b[1]), round(b[2]), round(b[3]), 0.0, (0, 0, 0)), box)


def _whole_page(image, dpi: float, languages: str) -> list[OcrWord]:
    """The page read once, scaled to ``MAIN_HEIGHT``; again at the height its words came out
    at, when that was far from it."""
    height = word_height(image, dpi)
    if height is None:
        return []
    words: list[OcrWord] = []
    for _ in range(2):
        factor = MAIN_HEIGHT / height
        words = scaled(read(resized(image, factor), languages), factor)
        if not words:
            return words
        height = median(w.bottom - w.top for w in words)
        if _HEIGHTS_READ_WELL[0] <= height * factor <= _HEIGHTS_READ_WELL[1]:
            break
    return words


def _doubtful(words: list[OcrWord], lexicon) -> bool:
    if sum(w.confidence for w in words) < _SURE_LINE * len(words):
        return True
    if not all(_ARABIC_OR_NUMBER.match(w.text) for w in words):
        return True
    if lexicon is None:
        return False
    letters = known = 0
    for w in words:
        n = len(_LETTER.findall(w.text))
        letters += n
        if n and lexicon.known(w.text):
            known += n
    return known < _KNOWN_SHARE * letters


def _read_region(image, box, factor: float, languages: str, commas: CommaRule | None) -> list[OcrWord]:
    """The words of a part of the page read alone as one block of text, scaled by
    ``factor``; commas told from full stops as on the rest of the page, numbers read again."""
    crop, origin = cut(image, box, _PAD)
    found = [_moved(w, origin) for w in scaled(read(resized(crop, factor), languages, psm=6), factor)]
    return reread_numbers(image, restore_commas(image, found, commas))


def _moved(word: OcrWord, origin: tuple[int, int]) -> OcrWord:
    x, y = origin
    return replace(word, left=word.left + x, right=word.right + x, top=word.top + y, bottom=word.bottom + y)


def _read_missed_lines(image, words: list[OcrWord], languages: str) -> list[OcrWord]:
    import numpy as np

    ink = np.asarray(image) < INK
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
        crop, origin = cut(image, (left, top - rise * height, right, bottom + 0.2 * height), _PAD)
        found = read(crop, languages, psm=7)
        score = median(w.confidence for w in found) if found else 0.0
        if score > best_score:
            best_score = score
            best = [_moved(w, origin) for w in found]
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


def _arabic_alone(languages: str) -> str:
    """The Arabic model alone when the page's languages include it: it reads Arabic better
    than Arabic + English, which turns Arabic it cannot make out into Latin words."""
    return "ara" if "ara" in languages.split("+") else languages
