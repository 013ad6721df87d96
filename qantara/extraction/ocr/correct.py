"""Post-correction of OCR lines: the errors Tesseract's Arabic model makes again and again.

Each rule is a ``str -> str`` transform on one line; the word-level ones take the lexicon
(Hunspell + wordfreq) and only change a word the lexicon does not know into one it does.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...arabic.charsets import LETTERS as _ARABIC_LETTER
from ...arabic.numbers import order_numbers
from ...layout.blocks import PlacedLine

_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Tesseract reads the parts of a date inside right-to-left text last part first
# ("10-07-2024" for "2024-07-10"); ranges of two numbers are put in order by value
# (:func:`qantara.arabic.numbers.order_numbers`).
_DATE = re.compile(r"(?<![\d.,/\-–])\d+(?:[-–/]\d+){2,}(?![\d.,/\-–])")
_DATE_JOIN = re.compile(r"([-–/])")
_LATIN_PUNCT = re.compile(rf"(?<=[{_ARABIC_LETTER}\u064b-\u0652»)])([,;?])")
_ARABIC_PUNCT = {",": "،", ";": "؛", "?": "؟"}
_OPENING = {"«": "»", "(": ")"}
_OPENING_AT_END = re.compile(rf"(?<=[{_ARABIC_LETTER}0-9])[(«](?=\s|$)")
_COMMA_CARRIER = re.compile(rf"[{_ARABIC_LETTER}0-9]")
_MARKS = re.compile(r"[\u064b-\u0652\u0670]")
_WORD = re.compile(rf"[{_ARABIC_LETTER}\u064b-\u0652\u0670]+")
# Letters told apart only by their dots, which blur, merge and vanish in scans.
_DOT_FAMILIES = ("تثنيب", "ىي", "ةه", "فق", "جحخ", "دذ", "رز", "سش", "صض", "طظ", "عغ")
# A letter's swaps come from every family it is in (ي is in two).
_SWAPS = {ch: "".join(dict.fromkeys(o for f in _DOT_FAMILIES if ch in f for o in f if o != ch))
          for family in _DOT_FAMILIES for ch in family}
# Letters Tesseract reads twice; others double legitimately often enough ("الليل").
_DOUBLED = "اوي"
# How much more plausible a dot-swapped spelling of a known word must be to replace it.
_KNOWN_MARGIN = 2.2
# A word must be at least this plausible (Zipf + Hunspell bonus) to replace an unknown one.
_MIN_SCORE = 2.5
# One-edit corrections: only for words rarer than this (Zipf + Hunspell bonus) and this
# long, into a word that, less the edit's cost, scores this much more than the word read
# and at least this much in all (names the lexicon lacks must not become common words).
_RARE = 5.0
_EDITED_LENGTH = 4
_EDIT_MARGIN = 2.5
_EDIT_MIN = 4.0
# Tesseract loses letters inside ligatures far more often than it invents them, and
# mistakes letters for others of the same shape far more often than for unlike ones.
_INSERT = 1.0
_DELETE = 2.5
_SUBSTITUTE = 3.0
_SIMILAR = 1.5
_SHAPES = ("جحخعغ", "دذرزو", "فقم", "هةو", "صضطظ", "سش", "بتثنيى")
_ALEF_CHANGE = 0.5
_ALEFS = "اأإآ"
_ALPHABET = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"
# Punctuation after a word that Tesseract reads as one more letter.
_READ_FOR_PUNCTUATION = {"ه": ".", "ة": ".", "ء": "؛"}
_PUNCTUATION = ".؛"
_PUNCTUATION_READ = 0.5


def correct_lines(lines: list[PlacedLine], lexicon) -> list[PlacedLine]:
    return [replace(line, text=correct_line(line.text, line.direction, lexicon)) for line in lines]


def correct_line(text: str, direction: str, lexicon=None) -> str:
    text = _BIDI_CONTROLS.sub("", text)
    if direction != "rtl":
        return text
    text = order_numbers(order_dates(text))
    text = arabic_punctuation(text)
    if lexicon is not None:
        text = _WORD.sub(lambda m: correct_word(m.group(), lexicon), text)
    return text


def order_dates(text: str) -> str:
    """"10-07-2024" back to "2024-07-10" in a right-to-left line."""
    return _DATE.sub(_reversed_parts, text)


def _reversed_parts(match: re.Match) -> str:
    pieces = _DATE_JOIN.split(match.group())
    numbers, joins = pieces[::2], pieces[1::2]
    return "".join(n + j for n, j in zip(numbers[::-1], joins[::-1] + [""]))


def arabic_punctuation(text: str) -> str:
    """Latin comma, semicolon, question mark after Arabic letters become Arabic ones, and a
    closing guillemet or parenthesis with no opening one after a word (the Arabic comma
    misread) becomes a comma; so does an opening one that ends a word, which opens nothing."""
    text = _LATIN_PUNCT.sub(lambda m: _ARABIC_PUNCT[m.group(1)], text)
    text = _OPENING_AT_END.sub("،", text)
    out: list[str] = []
    depth = {"»": 0, ")": 0}
    for ch in text:
        if ch in _OPENING:
            depth[_OPENING[ch]] += 1
        elif ch in depth:
            if depth[ch] == 0 and out and (out[-1] == ch or _COMMA_CARRIER.match(out[-1])):
                ch = "،"
            else:
                depth[ch] = max(0, depth[ch] - 1)
        out.append(ch)
    return "".join(out)


def correct_word(word: str, lexicon) -> str:
    """Drop invented diacritics from a word the lexicon knows; swap letters told apart by
    dots in one it does not, when a swap makes a known word; and a rare or unknown word one
    edit away from a common one becomes that word."""
    bare = _MARKS.sub("", word)
    if bare != word and lexicon.known(bare):
        return bare
    own = lexicon.score(bare) if lexicon.known(bare) else 0.0
    if own:
        # Known is not enough: wordfreq counts common misspellings ("فى" for "في").
        best, best_score = word, own + _KNOWN_MARGIN
    else:
        best, best_score = word, _MIN_SCORE
    # Both thresholds are above Hunspell's bonus alone: a candidate wordfreq never saw cannot
    # win, and is not looked up in Hunspell (thousands of candidates a page).
    for candidate in _candidates(bare):
        if not lexicon.zipf(candidate):
            continue
        score = lexicon.score(candidate)
        if score > best_score:
            best, best_score = candidate, score
    if best == word and own < _RARE and len(bare) >= _EDITED_LENGTH:
        best_score = max(own + _EDIT_MARGIN, _EDIT_MIN)
        for candidate, cost in _edits(bare):
            word = candidate.rstrip(_PUNCTUATION)
            if not lexicon.zipf(word):
                continue
            score = lexicon.score(word) - cost
            if score > best_score and (own == 0.0 or candidate[-1] not in _PUNCTUATION):
                best, best_score = candidate, score
    return best


def _candidates(word: str):
    for i, ch in enumerate(word):
        for other in _SWAPS.get(ch, ""):
            yield word[:i] + other + word[i + 1:]
    # A letter read twice ("عربيى", "الثلااث").
    if len(word) > 3 and word[-1] in "ىي" and word[-2] in "ىي":
        yield word[:-1]
    for i in range(1, len(word)):
        if word[i] == word[i - 1] and word[i] in _DOUBLED:
            yield word[:i] + word[i + 1:]


def _edits(word: str):
    """Words one edit away, with what the edit costs: a letter lost in a ligature
    ("مكافة", "الختصة"), a hamza or madda lost ("اسيا"), or a stop or semicolon after the
    word read as a letter ("ينايره", "بدايتهاء")."""
    for i in range(len(word) + 1):
        for ch in _ALPHABET:
            yield word[:i] + ch + word[i:], _INSERT
    for i, old in enumerate(word):
        yield word[:i] + word[i + 1:], _DELETE
        for ch in _ALPHABET:
            if ch != old:
                if old in _ALEFS and ch in _ALEFS:
                    cost = _ALEF_CHANGE
                elif any(old in shape and ch in shape for shape in _SHAPES):
                    cost = _SIMILAR
                else:
                    cost = _SUBSTITUTE
                yield word[:i] + ch + word[i + 1:], cost
    if word[-1] in _READ_FOR_PUNCTUATION:
        yield word[:-1] + _READ_FOR_PUNCTUATION[word[-1]], _PUNCTUATION_READ
