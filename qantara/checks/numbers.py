"""The numbers of an Arabic text and of an English one, as :class:`Fact` s.

Both sides: digits with their separators, times (8:00), ranges (2010–11 is 2010 and 2011),
a scale word after digits (3.5 million, ٣٫٥ مليون), percentages (30.7%, ٣٠٫٧٪, 30 بالمئة,
30 percent). Arabic: number words through :mod:`.arabic_words`; Hijri years (١٤٤٣هـ) also
read as the Gregorian years they span. English: number words through text2num's
``alpha2digit``; ordinals (2nd, second) and decades (1990s).

``one``/``two`` and their Arabic forms, ordinals written as words, and words that are also
something else are not strict: Arabic says "two months" with a dual (شهرين) and "a" with no
word at all, and English says "first" for الأول as often as "1st".
"""

from __future__ import annotations

import re
from decimal import Decimal

from text_to_num import alpha2digit

from .arabic_words import Phrase, Role, fold, lookup
from .dates import hijri_years
from .digits import DIGITS, NUMBER, pieces, readings, western
from .facts import Fact, show_number

_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671\u0640\u064b-\u065f\u0670]+")
_TIME = re.compile(rf"\s*:\s*([{DIGITS}]{{2}})(?![{DIGITS}])")
_RANGE = re.compile(r"\s*[-–—/]\s*")
_AR_PERCENT_AFTER = re.compile(r"\s?[%٪]|\s*(?:بال|في ال)(?:مئه|مائه|ميه)")
_AR_PERCENT_BEFORE = re.compile(r"[%٪]\s?$")
_AR_HIJRI = re.compile(r"\s*(?:هـ|ه(?![\u0621-\u064a])|هجري|هجريه|للهجره)")
_EN_SCALE = re.compile(r"\s*(thousand|million|billion|trillion|bn|mn)\b", re.IGNORECASE)
_EN_SCALES = {"thousand": 10**3, "million": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9,
              "trillion": 10**12}
_EN_PERCENT = re.compile(r"\s?%|\s*(?:percent|per cent|percentage points?)\b", re.IGNORECASE)
_EN_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)
_EN_DECADE = re.compile(r"'?s\b")
_EN_HIJRI = re.compile(r"\s*(?:AH|A\.H\.|H)\b")
# Plurals alpha2digit would read as one of them ("thousands" → 1000): no number.
_EN_PLURALS = re.compile(r"\b(?:hundreds|thousands|millions|billions|tens|dozens|scores)\b", re.IGNORECASE)
_EN_WORD_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?)(st|nd|rd|th)?(?![\w])")
_MASK = "\u00a7"


def _range_end(previous: re.Match[str] | None, match: re.Match[str], text: str) -> set[Decimal]:
    """2010–11: the end of a range written short, read in full (2011)."""
    if previous is None or not _RANGE.fullmatch(text[previous.end():match.start()]):
        return set()
    first, last = western(previous.group()), western(match.group())
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        return {Decimal(first[: len(first) - len(last)] + last)}
    return set()


def _digit_facts(text: str, english: bool, masked: list[tuple[int, int]]) -> tuple[list[Fact], list[tuple[int, int]]]:
    """Numbers written in digits, and the spans they took (scale words included)."""
    facts: list[Fact] = []
    spans: list[tuple[int, int]] = []
    previous = None
    skip_until = -1
    for match in NUMBER.finditer(text):
        if match.start() < skip_until or any(a <= match.start() < b for a, b in masked):
            continue
        start, end = match.span()
        values = readings(match.group(), english)
        after = text[end:]
        time = _TIME.match(after)
        if time and western(match.group()).isdigit() and int(western(match.group())) <= 24:
            facts.append(Fact("number", values, show_number(min(values)), start, end))
            minutes = western(time.group(1))
            if minutes != "00":
                facts.append(Fact("number", frozenset({Decimal(minutes)}), minutes, end + time.start(1), end + time.end()))
            skip_until = end + time.end()
            spans.append((start, skip_until))
            previous = None
            continue
        if not values:
            for a, b, part in pieces(match):
                facts.append(Fact("number", frozenset({Decimal(western(part))}), western(part), a, b))
            spans.append((start, end))
            previous = match
            continue
        extra = _range_end(previous, match, text)
        percent = False
        if english:
            scale = _EN_SCALE.match(after)
            if scale:
                factor = _EN_SCALES[scale.group(1).lower()]
                values = frozenset(v * factor for v in values)
                end += scale.end()
                after = text[end:]
            suffix = _EN_PERCENT.match(after)
            if suffix:
                percent, end = True, end + suffix.end()
            elif _EN_ORDINAL.match(after):
                end += _EN_ORDINAL.match(after).end()
            elif _EN_DECADE.match(after) and match.group().endswith("0"):
                extra |= {v % 100 for v in values} | {v + c for v in values if v < 100 for c in (1900, 2000)}
                end += _EN_DECADE.match(after).end()
            elif _EN_HIJRI.match(after):
                extra |= {y for v in values for y in hijri_years(v)}
        else:
            gap = len(after) - len(after.lstrip(" \u00a0"))
            word = _ARABIC_WORD.match(after, gap) if gap <= 1 else None
            found = lookup(word.group()) if word else None
            if found and found[0].role in (Role.SCALE, Role.PLURAL) and not found[1]:
                values = frozenset(v * found[0].value for v in values)
                end += word.end()
                after = text[end:]
            folded = fold(after[:16])
            suffix = _AR_PERCENT_AFTER.match(folded)
            if suffix or _AR_PERCENT_BEFORE.search(text[max(0, start - 2):start]):
                percent = True
                if suffix:
                    end += len(suffix.group())
            elif _AR_HIJRI.match(after):
                extra |= {y for v in values for y in hijri_years(v)}
        shown = show_number(min(values), percent)
        facts.append(Fact("number", values | frozenset(extra), shown, start, end))
        spans.append((start, end))
        previous = match
    return facts, spans


def arabic_numbers(text: str, masked: list[tuple[int, int]] = ()) -> list[Fact]:
    """Every number of an Arabic text, in digits or in words."""
    facts, spans = _digit_facts(text, english=False, masked=list(masked))
    phrase: Phrase | None = None

    def close() -> None:
        if phrase is None or phrase.incomplete or phrase.words == 0:
            return
        value = phrase.value
        values = {value}
        if phrase.decade:
            values |= {value + 1900, value + 2000}
        strict = value >= 3 and not (phrase.ordinal or phrase.decade or phrase.ambiguous)
        facts.append(Fact("number", frozenset(values), show_number(value), phrase.start, phrase.end, strict))

    for match in _ARABIC_WORD.finditer(text):
        if any(a <= match.start() < b for a, b in spans):
            continue
        found = lookup(match.group())
        adjacent = phrase is not None and not text[phrase.end:match.start()].strip()
        if found is not None and adjacent and phrase.add(*found):
            phrase.end = match.end()
            continue
        close()
        phrase = None
        if found is not None:
            phrase = Phrase(match.start(), match.end())
            if not phrase.add(*found):
                phrase = None
    close()
    return sorted(facts, key=lambda f: f.start)


def english_numbers(text: str, masked: list[tuple[int, int]] = ()) -> list[Fact]:
    """Every number of an English text, in digits or in words."""
    facts, spans = _digit_facts(text, english=True, masked=list(masked))
    chars = list(text)
    for a, b in spans + list(masked):
        chars[a:b] = _MASK * (b - a)
    rest = _EN_PLURALS.sub(lambda m: "many".ljust(len(m.group())), "".join(chars))
    converted = alpha2digit(rest, "en", threshold=0)
    for match in _EN_WORD_NUMBER.finditer(converted):
        value = Decimal(match.group(1))
        ordinal = match.group(2) is not None
        after = converted[match.end():]
        percent = bool(_EN_PERCENT.match(after))
        strict = value >= 3 and not ordinal
        facts.append(Fact("number", frozenset({value}), show_number(value, percent), match.start(), match.end(), strict))
    return sorted(facts, key=lambda f: f.start)
