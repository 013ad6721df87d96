"""Glossary names through machine translation: protect before, restore and check after.

`protect_names` replaces each glossary hit in the Arabic by the canonical English form
itself. That is the placeholder a Marian/argos model copies through most reliably: Latin
named entities inside Arabic sentences are common in its training data, the model keeps
their meaning (it writes "in Kuwait", not "in the ZX1Z"), and an opaque token that the
model drops or splits is lost without a trace, whereas an English name it respells is
still close enough to be recognised. The proclitics the matcher left outside the span stay
in front, written the way Arabic attaches them to Latin words and numbers: a bare
conjunction with a space (و Kuwait), a preposition with tatweel (بـ Kuwait, لـ Kuwait).

`restore_names` then puts every name back in its canonical spelling: it fixes the case
(KUWAIT), recognises respellings (Kazakstan) and removes clitic stubs the model copied
(بـ). `name_flags` counts each English form against the hits, so a segment whose names were
dropped or duplicated is flagged, never silently passed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher

from ..types import Flag, GlossaryHit

_TATWEEL = "\u0640"
_CONJUNCTIONS = frozenset("وف")
# A clitic stub protect_names wrote (بـ, وبـ, لـ) that the model copied into its output.
_STUB = re.compile(rf"(?<!\w)[وفبكل]{{0,3}}{_TATWEEL}+\s*")
_SPACES = re.compile(r"[ \t]{2,}")
_LATIN_WORD = re.compile(r"[A-Za-z][\w'’.-]*")
# Respellings closer than this to a missing name are taken to be that name; short names
# (Iran/Iraq, Oman) are never guessed at, since one letter there makes another country.
_MIN_RATIO = 0.8
_MIN_FUZZY_LENGTH = 5


def _in_word(ch: str) -> bool:
    # Harakat and tatweel sit inside words (بِالكويت) without being letters.
    return ch.isalnum() or ch == _TATWEEL or unicodedata.category(ch).startswith("M")


def _clitic(prefix: str) -> str:
    """How the clitics in front of a protected name are written before its English form."""
    prefix = "".join(c for c in prefix if c.isalpha())
    if not prefix:
        return ""
    if all(c in _CONJUNCTIONS for c in prefix):
        return prefix + " "
    return prefix + _TATWEEL + " "


def protect_names(arabic: str, hits: Sequence[GlossaryHit]) -> str:
    """The Arabic with each hit replaced by its English form, clitics kept in front."""
    parts: list[str] = []
    last = 0
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.start < last:  # overlapping hits cannot come from Glossary.find; keep the first
            continue
        word_start = hit.start
        while word_start > last and _in_word(arabic[word_start - 1]):
            word_start -= 1
        parts.append(arabic[last:word_start])
        parts.append(_clitic(arabic[word_start : hit.start]))
        parts.append(hit.english)
        last = hit.end
    parts.append(arabic[last:])
    return "".join(parts)


def _name_pattern(english: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(english)}(?![\w-])", re.IGNORECASE)


def _expected(hits: Sequence[GlossaryHit]) -> Counter[str]:
    return Counter(h.english for h in hits)


def count_names(english: str, names: Sequence[str]) -> Counter[str]:
    """How often each name occurs in `english` as whole words, case-insensitively.

    Longer names are counted first and their occurrences masked, so "Central Asia" does not
    also count as "Asia".
    """
    counts: Counter[str] = Counter()
    masked = english
    for name in sorted(set(names), key=len, reverse=True):
        pattern = _name_pattern(name)
        counts[name] = len(pattern.findall(masked))
        masked = pattern.sub(lambda m: "\x00" * len(m.group()), masked)
    return counts


def name_flags(english: str, hits: Sequence[GlossaryHit]) -> tuple[str, ...]:
    """`glossary-missing:<E>` / `glossary-duplicated:<E>` for names found too few/many times."""
    expected = _expected(hits)
    found = count_names(english, list(expected))
    flags = []
    for name, want in expected.items():
        if found[name] < want:
            flags.append(Flag.GLOSSARY_MISSING.with_detail(name))
        elif found[name] > want:
            flags.append(Flag.GLOSSARY_DUPLICATED.with_detail(name))
    return tuple(flags)


def _best_respelling(english: str, name: str, taken: Sequence[str]) -> tuple[int, int] | None:
    """The span of the run of Latin words in `english` most like `name`, if close enough."""
    if len(name) < _MIN_FUZZY_LENGTH:
        return None
    words = list(_LATIN_WORD.finditer(english))
    size = len(name.split())
    best: tuple[float, int, int] | None = None
    for n in {max(1, size - 1), size, size + 1}:
        for i in range(len(words) - n + 1):
            start, end = words[i].start(), words[i + n - 1].end()
            candidate = english[start:end].rstrip(".")
            end = start + len(candidate)
            # Never swallow a name already spelled right (Kazakhstan and → Kazakhstan).
            if any(_name_pattern(t).search(candidate) for t in taken):
                continue
            ratio = SequenceMatcher(None, candidate.casefold(), name.casefold()).ratio()
            if ratio >= _MIN_RATIO and (best is None or ratio > best[0]):
                best = (ratio, start, end)
    return None if best is None else (best[1], best[2])


def restore_names(english: str, hits: Sequence[GlossaryHit]) -> tuple[str, tuple[str, ...]]:
    """The translation with every protected name in its canonical form, plus repair flags.

    Flags: `placeholder-mangled:<E>` when a respelling was replaced by the canonical form,
    `placeholder-leftover` when copied clitic stubs were removed. Names that are still
    missing or duplicated afterwards are for `name_flags` to report.
    """
    if not hits:
        return english, ()
    flags: list[str] = []
    text, stubs = _STUB.subn("", english)
    if stubs:
        text = _SPACES.sub(" ", text).strip()
        flags.append(Flag.PLACEHOLDER_LEFTOVER)
    expected = _expected(hits)
    names = sorted(expected, key=len, reverse=True)
    for name in names:
        text = _name_pattern(name).sub(name, text)
    found = count_names(text, names)
    for name in names:
        for _ in range(expected[name] - found[name]):
            span = _best_respelling(text, name, names)
            if span is None:
                break
            text = text[: span[0]] + name + text[span[1] :]
            flags.append(Flag.PLACEHOLDER_MANGLED.with_detail(name))
    return text, tuple(dict.fromkeys(flags))
