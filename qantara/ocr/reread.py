"""Second readings that repair what Tesseract's page reading (Arabic + English) gets wrong.

- Lines: with English loaded, the page reading turns Arabic ligatures into Latin junk
  ("£5" for "مؤتمر", "LAM كون" for "المشاركون") and drops words. Each Arabic line is read
  again alone with the Arabic model (``--psm 7``); the two readings are aligned word by word
  and, where they differ, the side whose words the lexicon knows more of (counted in
  letters) wins, so Latin names the Arabic model mangles ("Carnegie") stay.
- Numbers: the Arabic model drops digits and decimal points ("5" for "3.5"). Number words
  are read again, enlarged, with the English model restricted to digits and their
  punctuation, and the reading that keeps more digits wins.
"""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor
from collections import Counter
from dataclasses import replace
from difflib import SequenceMatcher

from .tesseract import OcrWord, parse_tsv, run_tesseract

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
_LETTERS = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u064b-\u0652\u0670]+")
# Characters no Arabic newspaper line holds; a reading with them is junk.
_JUNK = re.compile(r"[^\u0600-\u06ffA-Za-z0-9\s.,:;!?()«»\"'\-–%/\u200e\u200f]")
_NUMBER = re.compile(r"^[(«]?\d[\d.,\-–/%]*[)»،.]?$")
_NUMBER_READING = re.compile(r"^\d[\d.,\-–/%]*$")
_DECIMAL = re.compile(r"^\d+[.,]\d+$")
_YEAR = re.compile(r"^(19|20)\d\d$")
_NUMBER_CHARS = "tessedit_char_whitelist=0123456789.,-/%"
# Lexicon score (Zipf + Hunspell bonus) from which a known word counts in full.
_COMMON = 5.0
# A word only the page reading has must score this much to stay (see merge_readings).
_LONE_WORD = 3.0
_PAD = 10  # white border (pixels) around a re-read crop
_NUMBER_ZOOM = 2  # Tesseract reads small digits better enlarged
_WORKERS = 4  # Tesseract processes per page for the line readings


def reread(image, words: list[OcrWord], lexicon) -> list[OcrWord]:
    """The page's words with Arabic lines and number words read again where that helps."""
    if lexicon is not None:
        words = _reread_lines(image, words, lexicon)
    return _reread_numbers(image, words)


def _reread_lines(image, words: list[OcrWord], lexicon) -> list[OcrWord]:
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    arabic = [key for key, members in lines.items() if _arabic_share(members) >= 0.5]
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        readings = list(pool.map(lambda key: _read_line(image, lines[key]), arabic))
    out: list[OcrWord] = []
    replaced = dict(zip(arabic, readings))
    for key, members in lines.items():
        second = replaced.get(key)
        out.extend(merge_readings(members, second, lexicon) if second else members)
    return out


def _read_line(image, members: list[OcrWord]) -> list[OcrWord]:
    left = max(0, min(w.left for w in members) - _PAD)
    top = max(0, min(w.top for w in members) - _PAD)
    crop = image.crop((left, top, max(w.right for w in members) + _PAD, max(w.bottom for w in members) + _PAD))
    try:
        found = parse_tsv(run_tesseract(_png(crop), "ara", psm=7))
    except RuntimeError:
        return []  # a second reading only improves on the first
    line = members[0].line
    return [replace(w, left=w.left + left, right=w.right + left, top=w.top + top, bottom=w.bottom + top, line=line)
            for w in found]


def merge_readings(first: list[OcrWord], second: list[OcrWord], lexicon) -> list[OcrWord]:
    """Two readings of one line merged: aligned in visual order (right to left) and, where
    they differ, the second side replaces the first when it scores higher."""
    a = sorted(first, key=lambda w: -w.right)
    b = sorted(second, key=lambda w: -w.right)
    matcher = SequenceMatcher(None, [w.text for w in a], [w.text for w in b], autojunk=False)
    out: list[tuple[OcrWord, bool]] = []  # (word, from the first reading)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        ours, theirs = a[i1:i2], b[j1:j2]
        mine = chunk_score([w.text for w in ours], lexicon)
        if op == "delete" and mine < _LONE_WORD:
            continue  # a short word only the page reading saw: mostly a piece of a mark or ligature
        if op != "equal" and chunk_score([w.text for w in theirs], lexicon) > mine:
            out.extend((w, False) for w in theirs)
        else:
            out.extend((w, True) for w in ours)
    # A word with a wrong box sits elsewhere in the first reading than in the second, so both
    # copies can survive: no word may occur more often than in either reading.
    limit = Counter(w.text for w in a) | Counter(w.text for w in b)
    seen = Counter(w.text for w, first in out if not first)
    kept = []
    for w, first in out:
        if first:
            seen[w.text] += 1
            if seen[w.text] > limit[w.text]:
                continue
        kept.append(w)
    return kept


def chunk_score(tokens: list[str], lexicon) -> float:
    """Letters and digits in words that read as real: known Arabic words, numbers and Latin
    words; junk characters count against."""
    score = 0
    for token in tokens:
        if _JUNK.search(token):
            score -= len(token)
            continue
        letters = "".join(_LETTERS.findall(token))
        if letters:
            # Zipf-weighted: wordfreq knows many misreadings ("الشرين"), but as rare words.
            score += len(letters) * min(lexicon.score(letters), _COMMON) / _COMMON if lexicon.known(letters) else 0
        elif _DIGIT.search(token):
            score += len(_DIGIT.findall(token))
        elif _LATIN.search(token):
            score += len(_LATIN.findall(token))
    return score


def _reread_numbers(image, words: list[OcrWord]) -> list[OcrWord]:
    from PIL import Image

    out = list(words)
    for i, w in enumerate(words):
        if not _NUMBER.match(w.text):
            continue
        # The box may hold only the digits read ("5" of "3.5"): widen it by up to a word
        # height each side, short of the neighbouring words.
        reach = w.bottom - w.top
        others = [o for o in words if o.line == w.line and o is not w]
        left = max([w.left - reach] + [o.right + _PAD + 2 for o in others if o.right <= w.left])
        left = min(left, w.left)
        right = min([w.right + reach] + [o.left - _PAD - 2 for o in others if o.left >= w.right])
        right = max(right, w.right)
        crop = image.crop((left - _PAD, w.top - _PAD, right + _PAD, w.bottom + _PAD))
        crop = crop.resize((crop.width * _NUMBER_ZOOM, crop.height * _NUMBER_ZOOM), Image.LANCZOS)
        try:
            found = parse_tsv(run_tesseract(_png(crop), "eng", psm=7, config=(_NUMBER_CHARS,)))
        except RuntimeError:
            continue
        text = "".join(r.text for r in found).strip(".,")
        core = w.text.strip("()«»،.")
        if _NUMBER_READING.match(text) and restores_digits(core, text):
            out[i] = replace(w, text=w.text.replace(core, text, 1))
    return out


def restores_digits(core: str, text: str) -> bool:
    """Whether ``text`` is ``core`` with the digits Tesseract drops put back: the integer
    part of a decimal ("5" of "3.5") or the century of a year ("24" of "2024"). Anything
    else may be a neighbouring mark read as a digit ("62017" for "2017،")."""
    if _DECIMAL.match(text) and core in re.split(r"[.,]", text):
        return True
    return bool(_YEAR.match(text)) and len(core) < 4 and text.endswith(core)


def _arabic_share(words: list[OcrWord]) -> float:
    arabic = sum(len(_ARABIC.findall(w.text)) for w in words)
    latin = sum(len(_LATIN.findall(w.text)) for w in words)
    return arabic / ((arabic + latin) or 1)


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
