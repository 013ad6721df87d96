"""Number words read again: Tesseract's Arabic model drops a number's leading digits and
its decimal point ("5" for "3.5", "4" for "2024"), and has no per cent sign in its alphabet
(it reads "48%" as "9648"). Each number word is read again, enlarged, with the English model
restricted to digits and their punctuation, and the new reading wins when it only puts back
digits that were dropped, or the per cent sign.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...arabic.numbers import percent_after_number
from .geometry import cut, resized
from .tesseract import OcrWord, read

NUMBER = re.compile(r"^[(«]?\d[\d.,\-–/%]*[)»،.]?$")
_NUMBER_READING = re.compile(r"^\d[\d.,\-–/%]*$")
_DECIMAL = re.compile(r"^\d+[.,]\d+$")
_YEAR = re.compile(r"^(19|20)\d\d$")
_PERCENT = re.compile(r"^%?(\d+(?:[.,]\d+)?)%?$")
# How many characters the Arabic model makes of a per cent sign ("96", "90").
_PERCENT_READ = 2
_NUMBER_CHARS = "tessedit_char_whitelist=0123456789.,-/%"
# Marks after a number sit at its left on the page, and restricted to digits Tesseract
# reads the Arabic comma there as one more digit ("62017" for "2017،").
_TRAILING_MARKS = "،؛»)"
_PAD = 10  # white border (pixels) around a re-read crop
_NUMBER_ZOOM = 2  # Tesseract reads small digits better enlarged


def reread_numbers(image, words: list[OcrWord]) -> list[OcrWord]:
    """The words with number words read again where that puts back dropped digits."""
    out = list(words)
    for i, w in enumerate(words):
        if not NUMBER.match(w.text):
            continue
        # The box may hold only the digits read ("5" of "3.5"): widen it by up to a word
        # height each side, short of the neighbouring words.
        reach = w.bottom - w.top
        others = [o for o in words if o.line == w.line and o is not w]
        left = max([w.left - reach] + [o.right + _PAD + 2 for o in others if o.right <= w.left])
        left = min(left, w.left)
        right = min([w.right + reach] + [o.left - _PAD - 2 for o in others if o.left >= w.right])
        right = max(right, w.right)
        crop, _ = cut(image, (left, w.top, right, w.bottom), _PAD)
        try:
            found = read(resized(crop, _NUMBER_ZOOM), "eng", psm=8, config=(_NUMBER_CHARS,))
        except RuntimeError:
            continue
        # The sign stands left of its number in right-to-left text ("%56" on the page).
        text = percent_after_number("".join(r.text for r in found).strip(".,-–/"))
        core = w.text.strip("()«»،.")
        readings = [text, text[1:]] if w.text[-1] in _TRAILING_MARKS else [text]
        for reading in readings:
            if _NUMBER_READING.match(reading) and (restores_digits(core, reading) or restores_percent(core, reading)):
                out[i] = replace(w, text=w.text.replace(core, reading, 1))
                break
    return out


def restores_digits(core: str, text: str) -> bool:
    """Whether ``text`` is ``core`` with the digits Tesseract drops put back: the integer
    part of a decimal ("5" of "3.5") or the century of a year ("24" of "2024"). Anything
    else may be a neighbouring mark read as a digit ("62017" for "2017،")."""
    if _DECIMAL.match(text) and core in re.split(r"[.,]", text):
        return True
    return bool(_YEAR.match(text)) and len(core) < 4 and text.endswith(core)


def restores_percent(core: str, text: str) -> bool:
    """Whether ``text`` is a percentage whose sign ``core`` lacks or holds as digits, or
    whose leading or trailing digits ``core`` dropped with the sign ("0" for "30%")."""
    match = _PERCENT.match(text)
    if match is None or text.count("%") != 1:
        return False
    digits = match.group(1)
    if len(core) < len(digits):
        return digits.startswith(core) or digits.endswith(core)
    return len(core) - len(digits) <= _PERCENT_READ and digits in (core[:len(digits)], core[-len(digits):])
