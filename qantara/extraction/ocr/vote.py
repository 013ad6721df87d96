"""Several readings of one page voted into one.

Tesseract's errors on Arabic scans depend strongly on the text's size in pixels: the same
page read at 150, 175 and 200 dpi loses different words and drops different lines, and a
word read wrong at one size is usually read right at another. The page is read at a few
sizes chosen from its own text height, and the readings vote word by word:

- lines are matched across readings by position (every reading is mapped back to the
  pixels of the first one), so a line one reading dropped is taken from the others;
- within a line, each reading's words in reading order are aligned with those of the
  reading the lexicon likes best (the pivot); for each pivot word, each reading's words
  aligned with it are one vote (nothing is a vote too). The lexicon breaks ties in favour
  of words it knows, and a number read with its leading digits beats one read without them.

Word boxes differ between readings, and Tesseract's boxes for Arabic words are sometimes
misplaced, so the voted words get boxes laid out along the line in reading order.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from statistics import median

from ...arabic.charsets import LETTERS, MARKS
from ...arabic.lexicon import bare
from .layout import is_rtl, logical_order, visual_order
from .numbers import restores_digits
from .tesseract import OcrWord

# Numbers as newspapers write them: the Arabic model reads a Latin word as a long digit run.
_NUMBER = re.compile(r"^[(«]?\d{1,4}(?:[.,/\-–]\d{1,4})*%?[)»،.]?$")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z.\-']*$")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
# What the Arabic model makes of a Latin word or of a stain it cannot read: digits run into
# letters ("6816م:03" for "Carnegie"), signs inside a word. No word of either script is
# written so: such a reading is junk however many readings agree on it, and its line is read
# again (:mod:`qantara.extraction.ocr.page`).
MIXED = re.compile(f"\\d.*[{LETTERS}A-Za-z]|[{LETTERS}A-Za-z].*\\d|\\w[^\\w\\s{MARKS}.,،؛:;!?؟%\\-–/]+\\w")
_EDGE = ".,:;!?()«»\"'\u060c\u061b\u061f\u200e\u200f"
# Characters no Arabic newspaper line holds; a reading with them is junk.
_JUNK = re.compile(r"[^\u0600-\u06ffA-Za-z0-9\s.,:;!?()«»\"'\-–%/\u200e\u200f]")
# What a known word adds to its votes: less than one vote, so it only breaks ties.
_KNOWN_BONUS = 0.5
_LATIN_BONUS = 0.25
_COMMON_ENGLISH = 5.0  # Zipf frequency
# How much surer (Tesseract's word confidence) the Arabic + English reading of a Latin line
# must be than an Arabic-only reading that makes known words of it.
_SURER = 30.0
# Word confidence from which a Latin reading is sure enough to outvote Arabic-only readings
# that saw nothing there.
_SURE_LATIN = 80.0
# How many times a page's median word height makes a box that spans two lines.
_BLOB = 2.5
# How much larger (or smaller) than the page's typical word a line's words must be, in
# every reading, for the line to count as set in another size (a heading).
_OTHER_SIZE = 1.25


@dataclass
class _Line:
    top: float
    bottom: float
    left: float
    right: float
    words: dict[int, list[OcrWord]] = field(default_factory=lambda: defaultdict(list))

    def add(self, index: int, words: list[OcrWord]) -> None:
        """Words of reading ``index``; the line reaches as far as any reading's words, so a
        word one reading missed does not cut the line in two for the others."""
        self.words[index].extend(words)
        self.left = min(self.left, *(w.left for w in words))
        self.right = max(self.right, *(w.right for w in words))

    def holds(self, word: OcrWord, reach: float) -> bool:
        """Whether the word's middle is in the line's band, and the word within ``reach`` (a
        typical word's height) of
        the line's ends (a word set apart by a justified line's wide gap stays in its line;
        the other column's words are farther off)."""
        cy = (word.top + word.bottom) / 2
        return self.top <= cy <= self.bottom and self.left - reach <= word.right and word.left <= self.right + reach


def scaled(words: list[OcrWord], factor: float) -> list[OcrWord]:
    """Word boxes of a reading made at ``factor`` times the first reading's size, in the
    first reading's pixels."""
    return [replace(w, left=round(w.left / factor), top=round(w.top / factor),
                    right=round(w.right / factor), bottom=round(w.bottom / factor)) for w in words]


def vote(readings: list[list[OcrWord]], lexicon, reads_latin: list[bool] | None = None) -> list[OcrWord]:
    """One reading from several of the same page (same pixel coordinates). A line needs two
    readings: one reading alone is mostly specks read as text (a line every reading but one
    dropped is found again by the strip reader in :mod:`qantara.extraction.ocr.page`)."""
    sighted = reads_latin or [True] * len(readings)
    kept = [k for k, r in enumerate(readings) if r]
    readings, blind = [readings[k] for k in kept], {n for n, k in enumerate(kept) if not sighted[k]}
    if len(readings) < 2:
        return readings[0] if readings else []
    # Readings at other sizes box words more or less tightly: a line's height is measured
    # in each reading against that reading's typical word, and the ratios are averaged.
    typical = [_heights(_own_boxes(words) or words) for words in readings]
    # Tesseract sometimes boxes a word with ink of the line below or above as one word,
    # twice a word's height or more: where it belongs, and what it reads, is unknown.
    blobs = [[w for w in words if w.bottom - w.top > _BLOB * typical[k][1]] for k, words in enumerate(readings)]
    readings = [[w for w in words if w.bottom - w.top <= _BLOB * typical[k][1]] for k, words in enumerate(readings)]
    out: list[OcrWord] = []
    for number, line in enumerate(_match_lines(readings)):
        out.extend(replace(w, line=(number, 0, 0)) for w in _vote_line(line, typical, blind, blobs, lexicon))
    return out


def _match_lines(readings: list[list[OcrWord]]) -> list[_Line]:
    """Lines of all readings matched by position: a word belongs to the line whose band
    holds its centre; words no line holds keep their reading's line, as a new line."""
    reach = median(w.bottom - w.top for w in readings[0])
    lines: list[_Line] = []
    for index, words in enumerate(readings):
        groups: dict[tuple[int, int, int], list[OcrWord]] = defaultdict(list)
        for w in words:
            groups[w.line].append(w)
        for members in groups.values():
            unplaced = []
            for w in members:
                home = _home(lines, w, reach)
                if home is None:
                    unplaced.append(w)
                else:
                    home.add(index, [w])
            if unplaced:
                line = _home(lines, _box(unplaced), reach)
                if line is None:
                    line = _Line(median(w.top for w in unplaced), median(w.bottom for w in unplaced),
                                 min(w.left for w in unplaced), max(w.right for w in unplaced))
                    lines.append(line)
                line.add(index, unplaced)
    return _join_touching(lines, reach)


def _join_touching(lines: list[_Line], reach: float) -> list[_Line]:
    """Lines on one band whose ends came within ``reach`` of each other as other readings'
    words were added: one line that a reading's missed word had cut in two."""
    out: list[_Line] = []
    for line in sorted(lines, key=lambda line: line.left):
        other = next((o for o in out if o.right + reach >= line.left and o.left <= line.right + reach
                      and min(o.bottom, line.bottom) - max(o.top, line.top) > 0.5 * (line.bottom - line.top)), None)
        if other is None:
            out.append(line)
            continue
        for index, words in line.words.items():
            if words:
                other.add(index, words)
    return out


def _home(lines: list[_Line], word: OcrWord, reach: float) -> _Line | None:
    cy = (word.top + word.bottom) / 2
    homes = [line for line in lines if line.holds(word, reach)]
    return min(homes, key=lambda line: abs((line.top + line.bottom) / 2 - cy), default=None)


def _box(words: list[OcrWord]) -> OcrWord:
    return replace(words[0], left=min(w.left for w in words), right=max(w.right for w in words),
                   top=round(median(w.top for w in words)), bottom=round(median(w.bottom for w in words)))


def _vote_line(line: _Line, typical: list[tuple[float, float]], blind: set[int], blobs: list[list[OcrWord]],
               lexicon) -> list[OcrWord]:
    voters = [index for index, words in line.words.items() if words]
    if len(voters) < 2:
        return []
    sighted = [index for index in voters if index not in blind]
    if sighted and _latin_line(line, sighted[0], [index for index in voters if index in blind], lexicon):
        return line.words[sighted[0]]
    everyone = [w for index in voters for w in line.words[index]]
    rtl = is_rtl([w.text for w in everyone])
    sequences = {}
    for index in voters:
        words = sorted(line.words[index], key=lambda w: w.left)
        sequences[index] = [words[i] for i in logical_order([w.text for w in words], rtl)]
    # The pivot sets the order of the voted words, so it is the reading with the most words
    # the lexicon knows: a Latin misreading in a right-to-left line is misplaced.
    pivot = max(voters, key=lambda i: (_known_letters(sequences[i], lexicon), -i))
    ballots = _ballots(sequences, pivot)
    chosen: list[OcrWord] = []
    for segment in ballots:
        # A reading that saw nothing here, where it boxed two lines' ink as one word, abstains.
        span = [w for words in segment.values() for w in words]
        left, right = min((w.left for w in span), default=0), max((w.right for w in span), default=0)
        blurred = {i for i in voters if not segment[i] and any(
            b.left < right and left < b.right and b.top < line.bottom and line.top < b.bottom for b in blobs[i])}
        chosen.extend(_elect({i: ws for i, ws in segment.items() if i not in blurred}, blind, lexicon))
    if not chosen:
        return []
    # Tesseract sometimes gives several words of a line (often a paragraph's last) one
    # shared box, the line's, which runs down into the gap below: only words with boxes of
    # their own tell the line's size and baseline.
    sound = {i: _own_boxes(line.words[i]) for i in voters}
    measured = [i for i in voters if sound[i]]
    if measured:
        bottom = median(w.bottom for i in measured for w in sound[i])
        ratio = _size_ratio([_ratio(_heights(sound[i]), typical[i]) for i in measured])
        top = bottom - ratio * typical[0][0]
    else:
        top = median(w.top for w in everyone)
        bottom = top + typical[0][0]
    left = round(median(min(w.left for w in line.words[i]) for i in voters))
    right = round(median(max(w.right for w in line.words[i]) for i in voters))
    return _lay_out(chosen, left, right, round(top), round(bottom), rtl)


def _latin_line(line: _Line, sighted: int, blind: list[int], lexicon) -> bool:
    """Whether a line is Latin text, which only the reading that knows Latin script can
    read: what the Arabic model alone makes of it is junk, not votes. The Arabic + English
    reading also makes Latin junk of Arabic it cannot make out, so a line the Arabic model
    reads as words the lexicon knows, about as surely, stays Arabic."""
    words = line.words[sighted]
    if is_rtl([w.text for w in words]):
        return False
    sure = _confidence([words])
    return not any(
        2 * _known_letters(line.words[index], lexicon) > sum(len(w.text) for w in line.words[index])
        and _confidence([line.words[index]]) > sure - _SURER
        for index in blind
    )


def _own_boxes(words: list[OcrWord]) -> list[OcrWord]:
    shared = Counter((w.top, w.bottom) for w in words)
    return [w for w in words if shared[(w.top, w.bottom)] == 1]


def _heights(words: list[OcrWord]) -> tuple[float, float]:
    """The height of a line's taller words (with ascenders or descenders) and its median
    word's: either alone misjudges some lines, short words such as "في" or "بين" making the
    median small, one word boxed with a mark of the line above making the tall one big."""
    heights = sorted(w.bottom - w.top for w in words)
    return heights[min(len(heights) - 1, int(0.75 * len(heights)))], median(heights)


def _ratio(line: tuple[float, float], page: tuple[float, float]) -> float:
    """A line's size against the page's typical word: other than 1 only when both measures
    say so."""
    tall, middle = line[0] / page[0], line[1] / page[1]
    if tall > 1 and middle > 1:
        return min(tall, middle)
    if tall < 1 and middle < 1:
        return max(tall, middle)
    return 1.0


def _known_letters(words: list[OcrWord], lexicon) -> int:
    """Arabic letters in words the lexicon knows (all characters without a lexicon)."""
    if lexicon is None:
        return sum(len(w.text) for w in words)
    return sum(len(bare(w.text)) for w in words if lexicon.known(w.text))


def _size_ratio(ratios: list[float]) -> float:
    """A line's text size against the page's typical word. Word boxes are a noisy measure
    of an Arabic font's size (ascenders, descenders, a line half merged with the next in
    one reading): a line is taken as set in another size only when every reading says so."""
    if min(ratios) > _OTHER_SIZE or max(ratios) < 1 / _OTHER_SIZE:
        return median(ratios)
    return 1.0


def _ballots(sequences: dict[int, list[OcrWord]], pivot: int) -> list[dict[int, list[OcrWord]]]:
    """Per word of the pivot reading, each reading's words for it (in reading order)."""
    pivot_words = sequences[pivot]
    n = len(pivot_words)
    out: list[dict[int, list[OcrWord]]] = [{index: [] for index in sequences} for _ in range(n)]
    for index, words in sequences.items():
        if index == pivot:
            for position, w in enumerate(words):
                out[position][index].append(w)
            continue
        matcher = SequenceMatcher(None, [w.text for w in pivot_words], [w.text for w in words], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            latin = any(_LATIN_LETTER.search(w.text) for w in pivot_words[i1:i2] + words[j1:j2])
            for k, w in enumerate(words[j1:j2]):
                if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1 and not latin):
                    position = i1 + k
                elif op == "replace" and latin:
                    # A word read as Latin joins the run of Latin words next to it, which
                    # reverses that run's order: pair by place on the page instead.
                    position = min(range(i1, i2), key=lambda i: abs(_centre(pivot_words[i]) - _centre(w)))
                else:  # words the pivot lacks or reads as fewer go with the first pivot word
                    position = min(i1, n - 1)
                out[position][index].append(w)
    return out


def _centre(word: OcrWord) -> float:
    return (word.left + word.right) / 2


def _elect(segment: dict[int, list[OcrWord]], blind: set[int], lexicon) -> list[OcrWord]:
    """The words most readings read for one segment: first the words, then, among the
    readings that agree on them, the punctuation. Where a reading that knows Latin script
    read a Latin word, the words of readings that do not (``blind``) count only when another
    of them read them too or they are Arabic words the lexicon knows: what they make of Latin
    text is junk (Arabic letters or digits), and different junk each time. When it is sure of
    the Latin word, their reading nothing there is no vote either."""
    keys = {index: _words_of(words) for index, words in segment.items()}
    latin = [index for index, key in keys.items() if index not in blind and _LATIN_LETTER.search(key)]
    sure = any(_confidence([segment[index]]) >= _SURE_LATIN for index in latin)
    agreed = Counter(key for index, key in keys.items() if index in blind)
    ballots: dict[str, list[list[OcrWord]]] = defaultdict(list)
    for index, words in segment.items():
        key = keys[index]
        junk = key and (MIXED.search(key) or (agreed[key] == 1 and not _arabic_words(key, lexicon)))
        if latin and index in blind and (junk or (sure and not key)):
            continue
        ballots[key].append(words)
    score = {key: len(ballots[key]) + _bonus(key, lexicon) for key in ballots}
    winner = max(ballots, key=lambda key: (score[key], _confidence(ballots[key])))
    for key in ballots:
        # Tesseract's Arabic model drops a number's leading digits ("5" for "3.5", "4"
        # for "2024"); a reading that has them wins.
        if _NUMBER.match(winner) and _NUMBER.match(key) and restores_digits(winner, key):
            winner = key
    spellings: dict[str, list[list[OcrWord]]] = defaultdict(list)
    for words in ballots[winner]:
        spellings[" ".join(w.text for w in words)].append(words)
    best = max(spellings, key=lambda text: (len(spellings[text]), _confidence(spellings[text])))
    return max(spellings[best], key=lambda words: _confidence([words]))


def _arabic_words(text: str, lexicon) -> bool:
    return lexicon is not None and all(lexicon.known(token) for token in text.split())


def _words_of(words: list[OcrWord]) -> str:
    """What readings must agree on to count as the same vote: the words without the
    punctuation around them, which Tesseract reads less consistently than letters."""
    tokens = (w.text.strip(_EDGE) for w in words)
    return " ".join(t for t in tokens if t)


def _bonus(text: str, lexicon) -> float:
    """Less than one vote: known Arabic words and numbers score most, Latin words less
    (with English loaded Tesseract reads Arabic it cannot make out as Latin words), junk
    counts against."""
    if not text:
        return 0.0
    if _JUNK.search(text):
        return -_KNOWN_BONUS
    bonus = _KNOWN_BONUS
    for token in text.split():
        known = lexicon.known(token) if lexicon is not None else None
        if known is None and _LATIN.match(token):
            # Scaled by how common the word is in English, so that of two Latin readings
            # "Carnegie" beats "ager".
            bonus = min(bonus, _LATIN_BONUS * min(1.0, _english(token) / _COMMON_ENGLISH))
        elif not (known or (known is None and _NUMBER.match(token))):
            return 0.0
    return bonus


def _english(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _confidence(ballot: list[list[OcrWord]]) -> float:
    return max((sum(w.confidence for w in words) / len(words) for words in ballot if words), default=0.0)


def _lay_out(words: list[OcrWord], left: int, right: int, top: int, bottom: int, rtl: bool) -> list[OcrWord]:
    """Words in reading order on the line's band. Where their own boxes (from the readings
    that won) stand in reading order on the page, they keep them: the white between them is
    what tells columns apart when a reading ran two columns' lines together. Otherwise each
    gets a box side by side across the line, in visual order, as wide as its share of the
    line's letters."""
    texts = [w.text for w in words]
    order = visual_order(texts, rtl)
    centres = [words[i].left + words[i].right for i in order]
    if all(a < b for a, b in zip(centres, centres[1:])):
        return [replace(w, top=top, bottom=bottom) for w in words]
    total = sum(len(t) + 1 for t in texts)
    out: list[OcrWord] = [words[0]] * len(words)
    x = float(left)
    for i in order:
        width = (right - left) * (len(texts[i]) + 1) / total
        out[i] = replace(words[i], left=round(x), right=round(x + width) - 1, top=top, bottom=bottom)
        x += width
    return out
