"""Real Arabic–English pairs with facts, and the same pairs with the English altered.

The pairs come from ``../shared/eval`` (FLORES-200 devtest, TICO-19 test, Tatoeba): those
whose Arabic or English carries a number, a month, a percentage, a bracket, a quotation mark,
a URL or an e-mail address. Each is split into a developed and an unseen half by a fixed hash
of its Arabic, so that the checks are tuned on one half and judged on the other.

An alteration changes one fact of the English, drawn at random from a seed among the kinds
the pair allows: a digit changed, a number dropped, a number word changed, a percentage
changed, a month swapped, a bracket or a quotation mark dropped, a URL changed. The unaltered
pairs are themselves the false-flag test: real translations that write "second" for الثاني,
convert units or leave a number implicit.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CORPORA = {
    "flores": ("flores200_devtest/arb_Arab.devtest", "flores200_devtest/eng_Latn.devtest", None),
    "tico": ("tico19_test/tico19-test.ar", "tico19_test/tico19-test.en", None),
    "tatoeba": ("tatoeba_test_ara_eng/tatoeba-test-v2021-08-07.ara", "tatoeba_test_ara_eng/tatoeba-test-v2021-08-07.eng",
                "tatoeba_test_ara_eng/tatoeba-test-v2021-08-07.ara.labels"),
}
HALVES = ("developed", "unseen")
_SALT = b"qantara-checks-split-1"

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b")
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?:\s?(?:%|percent\b|per cent\b))?")
_PERCENT = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?)(\s?(?:%|percent\b|per cent\b))")
_DIGIT = re.compile(r"\d")
_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "fifteen", "twenty", "thirty", "forty", "fifty", "hundred")
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.IGNORECASE)
_BRACKET = re.compile(r"[()\[\]]")
_QUOTE = re.compile(r"[\"“”«»]")
_URL = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ARABIC_FACTS = re.compile(r"[0-9٠-٩۰-۹%٪()\[\]\"“”«»]|https?://|@")
KINDS = ("digit", "drop-number", "number-word", "percent", "month", "bracket", "quote", "url")


@dataclass(frozen=True)
class Pair:
    corpus: str
    line: int
    arabic: str
    english: str

    @property
    def half(self) -> str:
        digest = hashlib.blake2b(self.arabic.encode("utf-8"), key=_SALT, digest_size=8).digest()
        return HALVES[digest[0] & 1]


@dataclass(frozen=True)
class Altered:
    pair: Pair
    kind: str
    english: str  # the altered English


def _carries_facts(arabic: str, english: str) -> bool:
    return bool(_ARABIC_FACTS.search(arabic) or _DIGIT.search(english) or _MONTH.search(english)
                or _BRACKET.search(english) or _QUOTE.search(english) or "%" in english)


def load_pairs(shared: Path) -> list[Pair]:
    """The pairs of ``shared/eval`` that carry facts, in corpus and line order."""
    pairs = []
    for corpus, (ar_name, en_name, labels_name) in CORPORA.items():
        arabic = (shared / "eval" / ar_name).read_text("utf-8").splitlines()
        english = (shared / "eval" / en_name).read_text("utf-8").splitlines()
        labels = (shared / "eval" / labels_name).read_text("utf-8").splitlines() if labels_name else None
        for line, (ar, en) in enumerate(zip(arabic, english, strict=True), 1):
            # Tatoeba has a few dialect lines in Latin script: not Arabic to check.
            if labels and labels[line - 1].endswith("_Latn"):
                continue
            if ar.strip() and en.strip() and _carries_facts(ar, en):
                pairs.append(Pair(corpus, line, ar.strip(), en.strip()))
    return pairs


def _replace(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _alter(kind: str, english: str, rng: random.Random) -> str | None:
    """``english`` with one fact of ``kind`` altered; None when it has none to alter."""
    if kind == "digit":
        digits = [m for m in _DIGIT.finditer(english) if not _in_url(english, m.start())]
        if not digits:
            return None
        m = rng.choice(digits)
        choices = [d for d in "0123456789" if d != m.group()
                   and not (d == "0" and (m.start() == 0 or not english[m.start() - 1].isdigit()))]
        return _replace(english, m.start(), m.end(), rng.choice(choices))
    if kind == "drop-number":
        numbers = [m for m in _NUMBER.finditer(english) if not _in_url(english, m.start())]
        if not numbers:
            return None
        m = rng.choice(numbers)
        return re.sub(r"\s{2,}", " ", _replace(english, m.start(), m.end(), "")).strip()
    if kind == "number-word":
        words = list(_NUMBER_WORD.finditer(english))
        if not words:
            return None
        m = rng.choice(words)
        new = rng.choice([w for w in _WORDS if w != m.group().lower()])
        return _replace(english, m.start(), m.end(), new.capitalize() if m.group()[0].isupper() else new)
    if kind == "percent":
        percents = list(_PERCENT.finditer(english))
        if not percents:
            return None
        m = rng.choice(percents)
        value = float(m.group(1))
        new = value + rng.choice([-1, 1]) * rng.choice([1, 2, 5, 10, 0.5])
        text = f"{new:g}" if new > 0 else f"{value + 3:g}"
        return _replace(english, m.start(1), m.end(1), text)
    if kind == "month":
        months = list(_MONTH.finditer(english))
        if not months:
            return None
        m = rng.choice(months)
        return _replace(english, m.start(), m.end(), rng.choice([x for x in _MONTHS if x != m.group()]))
    if kind in ("bracket", "quote"):
        marks = list((_BRACKET if kind == "bracket" else _QUOTE).finditer(english))
        if not marks:
            return None
        m = rng.choice(marks)
        return _replace(english, m.start(), m.end(), "")
    if kind == "url":
        links = list(_URL.finditer(english))
        if not links:
            return None
        m = rng.choice(links)
        letters = [i for i in range(m.start(), m.end()) if english[i].isalpha()]
        i = rng.choice(letters)
        return _replace(english, i, i + 1, rng.choice([c for c in "abcdefghijklmnopqrstuvwxyz" if c != english[i].lower()]))
    raise ValueError(f"unknown alteration {kind!r}")


def _in_url(text: str, index: int) -> bool:
    return any(m.start() <= index < m.end() for m in _URL.finditer(text))


def alterations(pairs: list[Pair], seed: int) -> list[Altered]:
    """For each pair, one alteration of each kind it allows (the fact altered and how drawn
    from ``seed``)."""
    rng = random.Random(seed)
    out = []
    for pair in pairs:
        for kind in KINDS:
            english = _alter(kind, pair.english, rng)
            if english is not None and english != pair.english:
                out.append(Altered(pair, kind, english))
    return out


@dataclass
class Score:
    """How a check did: unaltered pairs it flagged (by flag kind), altered ones it caught (by
    alteration kind)."""

    pairs: int = 0
    false_flagged: int = 0
    false_kinds: Counter = field(default_factory=Counter)
    altered: Counter = field(default_factory=Counter)
    detected: Counter = field(default_factory=Counter)

    @property
    def false_rate(self) -> float:
        return self.false_flagged / self.pairs if self.pairs else 0.0

    @property
    def detection_rate(self) -> float:
        total = sum(self.altered.values())
        return sum(self.detected.values()) / total if total else 0.0


def score(pairs: list[Pair], altered: list[Altered], check: Callable[[str, str], tuple[str, ...]]) -> Score:
    """``check(arabic, english)`` returns flags; any flag on an unaltered pair is a false one."""
    result = Score(pairs=len(pairs))
    for pair in pairs:
        flags = check(pair.arabic, pair.english)
        result.false_flagged += bool(flags)
        result.false_kinds.update({flag.partition(":")[0] for flag in flags})
    for item in altered:
        result.altered[item.kind] += 1
        result.detected[item.kind] += bool(check(item.pair.arabic, item.english))
    return result
