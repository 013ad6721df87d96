"""Garbled passages: text a font mapped to wrong letters, recognised from the text alone.

A PDF font whose glyphs map to wrong letters yields text no repair can read back (seed 001's
resolution pages: بلدان → بادان, خالية → ةالية, الإقليمي → الإقايمي). A paragraph is judged
on two measures of clean Arabic: how probable its letter pairs are under a letter-pair model
of clean text (`qantara/data/letter_pairs.json`, built by scripts/build_repair_bigrams.py
from text no benchmark measures on), and how many of its words the lexicon knows. Numbers
that mix digit systems (٢٠1٨) are that font's signature too. A font sets pages, not
paragraphs: the verdicts are read as stretches (flag_garbled), and the unknown words of the
stretches found teach the document's own misspellings, which find the rest (font_words).
The paragraph is flagged ``garbled`` with a confidence, never translated, and shown to the
reviewer as such.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Iterable

from ..arabic.charsets import LETTERS
from ..arabic.lexicon import Lexicon, bare

TABLE = "letter_pairs.json"
_WORD = re.compile(f"[{LETTERS}]+")
_MIXED_DIGITS = re.compile(r"(?=\S*[0-9])(?=\S*[٠-٩])\S+")
EDGE = "#"
# Below this many Arabic words a paragraph says too little to judge alone (unless one of its
# numbers mixes digit systems).
MIN_WORDS = 4
# The logistic model of garbling (weights on the raw measures, and a bias), fitted by
# scripts/fit_garbled.py on the developed half of tests/support/damage.py's grid: clean,
# otherwise damaged and wrongly mapped paragraphs.
WEIGHTS = {"letters": 3.11, "unknown": 29.77, "mixed": 6.29}
BIAS = -13.52
THRESHOLD = 0.5
FULL_SAMPLE = 20
# What starting or ending a garbled stretch costs (nats), and the most one paragraph's
# evidence counts, either way: a lone paragraph is flagged only past 2 * SWITCH_COST.
SWITCH_COST = 2.0
MAX_ODDS = 9.0
# A word of the document's wrong font (see font_words) found in another paragraph: its
# evidence (nats) and how many count; the shortest such word. Seed 001's resolution pages
# are set in a mild such font (one letter in ten wrong): its own misspellings find them.
FONT_WORD_ODDS = 4.0
MAX_FONT_WORDS = 4
MIN_FONT_WORD = 3


@dataclass(frozen=True)
class LetterPairs:
    logprob: dict[str, dict[str, float]]
    floor: float

    def mean(self, words: Iterable[str]) -> float:
        """Mean log-probability of the letter pairs of `words` (word edges included)."""
        total, count = 0.0, 0
        for word in words:
            chars = EDGE + word + EDGE
            for a, b in zip(chars, chars[1:]):
                total += self.logprob.get(a, {}).get(b, self.floor)
                count += 1
        return total / count if count else 0.0


def build_letter_pairs(lines: Iterable[str]) -> dict:
    """The JSON-ready letter-pair table of clean text lines (log-probabilities, add-one)."""
    counts: dict[str, Counter[str]] = {}
    alphabet: set[str] = {EDGE}
    for line in lines:
        for word in _WORD.findall(line):
            chars = EDGE + word + EDGE
            alphabet.update(chars)
            for a, b in zip(chars, chars[1:]):
                counts.setdefault(a, Counter())[b] += 1
    size = len(alphabet)
    return {
        "logprob": {
            a: {b: round(math.log((n + 1) / (sum(row.values()) + size)), 3) for b, n in row.items()}
            for a, row in counts.items()
        },
        "floor": round(math.log(1 / (max(sum(r.values()) for r in counts.values()) + size)), 3),
    }


_LOADING = threading.Lock()


def load_letter_pairs() -> LetterPairs:
    with _LOADING:
        return _load()


@cache
def _load() -> LetterPairs:
    raw = json.loads(resources.files("qantara.data").joinpath(TABLE).read_text(encoding="utf-8"))
    return LetterPairs(raw["logprob"], raw["floor"])


@dataclass(frozen=True)
class Verdict:
    garbled: bool
    confidence: float  # probability that the paragraph is garbled, 0-1
    reason: str


def judge(text: str, lexicon: Lexicon | None, pairs: LetterPairs | None = None) -> Verdict | None:
    """Whether a paragraph reads as text a wrong font produced; None when it is too short
    (or too little Arabic) to judge."""
    words = [bare(w) for w in _WORD.findall(text)]
    words = [w for w in words if len(w) >= 2]
    mixed = len(_MIXED_DIGITS.findall(text))
    # A number mixing digit systems is the font's signature however short the paragraph.
    if len(words) < MIN_WORDS and not (mixed and words):
        return None
    pairs = pairs or load_letter_pairs()
    letters = -pairs.mean(words)
    unknown = sum(1 for w in words if lexicon is not None and not lexicon.known(w)) / len(words) if lexicon else 0.0
    z = BIAS + WEIGHTS["letters"] * letters + WEIGHTS["unknown"] * unknown + WEIGHTS["mixed"] * min(mixed, 2)
    # A few words are a small sample: a short paragraph's odds count for less, both ways.
    z *= min(1.0, len(words) / FULL_SAMPLE)
    confidence = 1 / (1 + math.exp(-z))
    reason = f"{unknown:.0%} of words unknown, letter pairs {letters:.2f} nats"
    if mixed:
        reason += f", {mixed} number(s) mixing digit systems"
    return Verdict(confidence >= THRESHOLD, confidence, reason)


def font_words(texts: list[str], flagged: list[bool], lexicon: Lexicon | None) -> frozenset[str]:
    """The words a wrong-letter font made in this document: the unknown words of its
    flagged paragraphs (الإقايمي for الإقليمي, عاذ for على)."""
    if lexicon is None:
        return frozenset()
    def words(text: str) -> set[str]:
        return {w for w in (bare(t) for t in _WORD.findall(text)) if len(w) >= MIN_FONT_WORD}
    inside = set().union(*(words(t) for t, f in zip(texts, flagged) if f))
    return frozenset(w for w in inside if not lexicon.known(w))


def with_font_words(confidence: float | None, text: str, font: frozenset[str]) -> float | None:
    """A paragraph's confidence once the document's wrong-font words are known: each of
    them it holds is evidence the same font set it."""
    found = {w for w in (bare(t) for t in _WORD.findall(text)) if w in font}
    if confidence is None or not found:
        return confidence
    odds = math.log(max(confidence, 1e-9) / max(1 - confidence, 1e-9)) + FONT_WORD_ODDS * min(len(found), MAX_FONT_WORDS)
    return 1 / (1 + math.exp(-odds))


def flag_garbled(confidences: list[float | None]) -> list[float | None]:
    """The confidence each paragraph is flagged with (None: not flagged), given each one's
    own (None: too short to judge). A wrong font sets pages, not single paragraphs: the
    paragraphs are read as a sequence of clean and garbled stretches (Viterbi), each
    paragraph's log-odds its evidence, each change of stretch costing SWITCH_COST."""
    evidence = [0.0 if c is None else max(-MAX_ODDS, min(MAX_ODDS, math.log(max(c, 1e-9) / max(1 - c, 1e-9))))
                for c in confidences]
    # score[state], state 0 clean, 1 garbled; back pointers per paragraph.
    score = [0.0, -SWITCH_COST]
    back: list[tuple[int, int]] = []
    for e in evidence:
        stay_clean, from_garbled = score[0], score[1] - SWITCH_COST
        stay_garbled, from_clean = score[1], score[0] - SWITCH_COST
        back.append((0 if stay_clean >= from_garbled else 1, 1 if stay_garbled >= from_clean else 0))
        score = [max(stay_clean, from_garbled), max(stay_garbled, from_clean) + e]
    state = 0 if score[0] >= score[1] else 1
    states = []
    for pointers in reversed(back):
        states.append(state)
        state = pointers[state]
    states.reverse()
    judged = [c for c, st in zip(confidences, states) if st and c is not None]
    mean = sum(judged) / len(judged) if judged else THRESHOLD
    return [(c if c is not None else mean) if st else None for c, st in zip(confidences, states)]
