"""Word-order evidence: a bigram model over coarse word classes, built from clean Arabic text.

Words are reduced to classes (frequent words stay themselves, the rest become their
clitic prefix and trailing punctuation), so a small clean corpus is enough to tell
"بالإضافة إلى الحوار" from "الحوار إلى بالإضافة". The table ships as
`qantara/data/repair_bigrams.json`, made by `build_table` and read by `load_table`.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
import threading
from functools import cache
from importlib import resources
from typing import Iterable

from ..arabic.lexicon import bare

_PREFIXES = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_TRAILING = re.compile(r"([.,،:؛;!?؟]+)$")
_DIGITS = re.compile(r"^[0-9٠-٩]+")
FREQUENT_WORDS = 1500
_SUFFIXES = ("ات", "ين", "ون", "ية", "ة", "ها", "هم", "ا", "ي")
TABLE = "repair_bigrams.json"
MIN_WORD_COUNT = 2
WORD_WEIGHT = 0.5


def word_class(token: str, frequent: frozenset[str]) -> str:
    trailing = _TRAILING.search(token)
    tail = trailing.group(1)[:1] if trailing else ""
    word = bare(token)
    if not word:
        return ("#" if _DIGITS.match(token) else "?") + tail
    if word in frequent:
        return word + tail
    suffix = next((x for x in _SUFFIXES if word.endswith(x) and len(word) - len(x) >= 3), "")
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return prefix + "*" + suffix + tail
    return "*" + suffix + tail


@dataclass(frozen=True)
class BigramTable:
    frequent: frozenset[str]
    pairs: dict[str, dict[str, int]]
    totals: dict[str, int]
    classes: int
    words: dict[str, dict[str, int]]
    word_totals: dict[str, int]
    # How often each class follows anything: the baseline a pair's evidence is measured against.
    unigrams: dict[str, int]
    unigram_total: int

    def logprob(self, left: str, right: str, local: WordPairs | None = None) -> float:
        a, b = word_class(left, self.frequent), word_class(right, self.frequent)
        count = self.pairs.get(a, {}).get(b, 0)
        by_class = (count + 0.1) / (self.totals.get(a, 0) + 0.1 * self.classes)
        # Seen word pairs are sharper evidence than classes; mix them in where they exist.
        left_word, right_word = bare(left), bare(right)
        seen = self.word_totals.get(left_word, 0)
        pair = self.words.get(left_word, {}).get(right_word, 0)
        if local is not None:
            seen += sum(local.get(left_word, {}).values())
            pair += local.get(left_word, {}).get(right_word, 0)
        if not seen:
            return math.log(by_class)
        by_word = pair / seen
        return math.log(WORD_WEIGHT * by_word + (1 - WORD_WEIGHT) * by_class)

    def unigram_logprob(self, token: str) -> float:
        """Log-probability of the token's class wherever it stands, whatever comes before."""
        count = self.unigrams.get(word_class(token, self.frequent), 0)
        return math.log((count + 0.1) / (self.unigram_total + 0.1 * self.classes))

    def score(self, tokens: list[str], local: WordPairs | None = None) -> float:
        return sum(self.logprob(a, b, local) for a, b in zip(tokens, tokens[1:]))


WordPairs = dict[str, Counter[str]]


def word_pairs(lines: Iterable[str]) -> WordPairs:
    """Word-pair counts of some clean lines (a document's own undamaged lines, say)."""
    pairs: WordPairs = {}
    for line in lines:
        tokens = [bare(t) for t in line.split()]
        for a, b in zip(tokens, tokens[1:]):
            if a and b:
                pairs.setdefault(a, Counter())[b] += 1
    return pairs


def build_table(lines: Iterable[str]) -> dict:
    """The JSON-ready table for clean text lines (run once, offline, to refresh the data file)."""
    sentences = [line.split() for line in lines if line.strip()]
    counts = Counter(bare(t) for s in sentences for t in s if bare(t))
    frequent = frozenset(w for w, _ in counts.most_common(FREQUENT_WORDS))
    pairs: dict[str, Counter[str]] = {}
    for tokens in sentences:
        classes = [word_class(t, frequent) for t in tokens]
        for a, b in zip(classes, classes[1:]):
            pairs.setdefault(a, Counter())[b] += 1
    words = word_pairs(" ".join(tokens) for tokens in sentences)
    return {
        "frequent": sorted(frequent),
        "pairs": {a: dict(c) for a, c in pairs.items()},
        "word_totals": {a: sum(c.values()) for a, c in words.items() if sum(c.values()) >= MIN_WORD_COUNT},
        "words": {
            a: {b: n for b, n in c.items() if n >= MIN_WORD_COUNT}
            for a, c in words.items()
            if any(n >= MIN_WORD_COUNT for n in c.values())
        },
    }


_LOADING = threading.Lock()


def load_table() -> BigramTable:
    """The word-pair table, loaded once even when several threads ask at the same time."""
    with _LOADING:
        return _load_table()


@cache
def _load_table() -> BigramTable:
    raw = json.loads(resources.files("qantara.data").joinpath(TABLE).read_text(encoding="utf-8"))
    pairs = raw["pairs"]
    classes = {b for row in pairs.values() for b in row} | set(pairs)
    unigrams: Counter[str] = Counter()
    for row in pairs.values():
        unigrams.update(row)
    return BigramTable(
        frozenset(raw["frequent"]),
        pairs,
        {a: sum(row.values()) for a, row in pairs.items()},
        len(classes),
        raw["words"],
        raw["word_totals"],
        dict(unigrams),
        sum(unigrams.values()),
    )
