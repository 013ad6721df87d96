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

from .arabic_words import Phrase, Role, fold, is_percent_word, lookup, loose_values
from .dates import hijri_years
from .digits import DIGITS, NUMBER, pieces, readings, western
from .facts import Fact, show_number

_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671\u0640\u064b-\u065f\u0670]+")
_TIME = re.compile(rf"\s*:\s*([{DIGITS}]{{2}})(?![{DIGITS}])")
_RANGE = re.compile(r"\s*[-–—/]\s*")
_FRACTION = re.compile(rf"/([{DIGITS}]{{1,2}})(?![{DIGITS}/])")
_AR_PERCENT_AFTER = re.compile(r"\s?[%٪]|\s*(?:بال|في ال)(?:مئه|مائه|ميه)")
_AR_PERCENT_BEFORE = re.compile(r"[%٪]\s?$")
_AR_HIJRI = re.compile(r"\s*(?:هـ|ه(?![\u0621-\u064a])|هجري|هجريه|للهجره)")
_EN_SCALE = re.compile(r"\+?\s*(thousand|million|billion|trillion|bn|mn)\b", re.IGNORECASE)
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
_RESTATED_BETWEEN = re.compile(r"[\s()\[\]]{0,4}")
_CENTURY_BETWEEN = re.compile(r"\s+(?:من\s+)?ال?قرن\s+(?:الـ?\s*)?")
_DECADE_VALUES = frozenset(range(20, 100, 10))
_DECADE_SET = frozenset(Decimal(1900 + d) for d in _DECADE_VALUES)
# nine-year-old: alpha2digit reads number words only between spaces.
_EN_HYPHEN = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")
_EN_UNIT_AFTER_HYPHEN = re.compile(r"(?:one|two|three|four|five|six|seven|eight|nine|first|second|third|fourth|"
                                   r"fifth|sixth|seventh|eighth|ninth)\b", re.IGNORECASE)
# Roman numerals: multi-letter ones anywhere, I/V/X after the words that number things.
_EN_ROMAN = re.compile(r"\b(?:(?<=type[\s-])|(?<=class[\s-])|(?<=phase[\s-])|(?<=stage[\s-])|(?<=grade[\s-])|"
                       r"(?<=level[\s-])|(?<=part[\s-])|(?<=war[\s-]))(I|V|X)\b"
                       r"|\b(II|III|IV|VI|VII|VIII|IX|XI|XII|XIII|XIV|XV|XX)\b")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
          "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15, "XX": 20}
_EN_MULTIPLES = re.compile(r"\b(twice|double[ds]?|doubling|triple[ds]?|tripling|thrice|threefold|"
                           r"quadruple[ds]?|fourfold|half|quarter|dozen|zero)\b", re.IGNORECASE)
_SHARES = {"a": 1, "one": 1, "two": 2, "three": 3}
_PARTS = {"third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
_EN_FRACTION_WORDS = re.compile(r"\b(a|one|two|three)[\s-](thirds?|quarters?|fifths?|tenths?)\b", re.IGNORECASE)
_DECADE_WORDS = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70,
                 "eighties": 80, "nineties": 90}
_EN_DECADE_WORDS = re.compile(r"\b(" + "|".join(_DECADE_WORDS) + r")\b", re.IGNORECASE)
_MULTIPLES = {"twi": (2,), "dou": (2,), "tri": (3,), "thr": (3,), "qua": (4, Decimal("0.25"), 15),
              "fou": (4,), "hal": (Decimal("0.5"), 30), "doz": (12,), "zer": (0,)}


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
        fraction = _FRACTION.match(after)
        if fraction and western(match.group()).isdigit() and text[start - 1:start] != "/" \
                and 0 < int(western(match.group())) < int(western(fraction.group(1))) <= 10:
            # 1/2, ¾ of a thing: one fact, the share (نصف, "half").
            value = Decimal(int(western(match.group()))) / Decimal(int(western(fraction.group(1))))
            end += fraction.end()
            facts.append(Fact("number", frozenset({value}), f"{western(match.group())}/{western(fraction.group(1))}",
                              start, end))
            spans.append((start, end))
            skip_until, previous = end, None
            continue
        if not values:
            for a, b, part in pieces(match):
                facts.append(Fact("number", frozenset({Decimal(western(part))}), western(part), a, b))
            spans.append((start, end))
            previous = match
            continue
        extra = _range_end(previous, match, text)
        percent = False
        # كوف-2 مليون is not two million: digits glued to a name take no scale word. (Arabic
        # clitics glue to digits too: و6 ملايين is "and 6 million".)
        glued = start > 0 and (text[start - 1].isascii() and text[start - 1].isalpha()
                               or text[start - 1] == "-" and start > 1 and text[start - 2].isalpha())
        strict = True
        if english:
            # R0, ACE2, H1N1: part of a name, which the Arabic may spell out in words.
            strict = not (start > 0 and text[start - 1].isalpha())
            scale = None if glued else _EN_SCALE.match(after)
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
                # The 1960s are الستينيات; the 1800s القرن التاسع عشر.
                extra |= {v % 100 for v in values if 1900 <= v < 2100} | {v + c for v in values if v < 100 for c in (1900, 2000)}
                extra |= {v // 100 + k for v in values if v % 100 == 0 and v >= 100 for k in (0, 1)}
                end += _EN_DECADE.match(after).end()
            elif _EN_HIJRI.match(after):
                extra |= {y for v in values for y in hijri_years(v)}
        else:
            gap = len(after) - len(after.lstrip(" \u00a0"))
            word = _ARABIC_WORD.match(after, gap) if gap <= 1 and not glued else None
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
        facts.append(Fact("number", values | frozenset(extra), shown, start, end, strict))
        spans.append((start, end))
        previous = match
    return facts, spans


def arabic_numbers(text: str, masked: list[tuple[int, int]] = ()) -> list[Fact]:
    """Every number of an Arabic text, in digits or in words."""
    facts, spans = _digit_facts(text, english=False, masked=list(masked))
    phrase: Phrase | None = None
    conj_between = False  # a و standing alone between two number words
    reach = 0  # where the phrase ends, a lone و after it included
    previous_word = ""

    def close(percent: bool = False) -> None:
        if phrase is None or phrase.incomplete or phrase.words == 0:
            return
        value = phrase.value
        values = {value}
        if phrase.decade:
            values |= {value + 1900, value + 2000}
        strict = value >= 3 and not phrase.ambiguous
        facts.append(Fact("number", frozenset(values), show_number(value, percent), phrase.start, phrase.end, strict))

    for match in _ARABIC_WORD.finditer(text):
        word, before, previous_word = match.group(), previous_word, match.group()
        if any(a <= match.start() < b for a, b in spans):
            continue
        adjacent = phrase is not None and not text[reach:match.start()].strip()
        if adjacent and fold(word) == "و":
            conj_between, reach = True, match.end()
            continue
        if is_percent_word(word, before):
            close(percent=adjacent or (phrase is not None and fold(before) == "في"))
            phrase, conj_between = None, False
            continue
        found = lookup(word)
        if found is not None and adjacent and phrase.add(found[0], found[1] or conj_between, found[2]):
            phrase.end = reach = match.end()
            conj_between = False
            continue
        close()
        phrase, conj_between = None, False
        if found is not None:
            phrase = Phrase(match.start(), match.end())
            reach = match.end()
            if not phrase.add(*found):
                phrase = None
        loose = loose_values(word) if phrase is None else ()
        if loose:
            facts.append(Fact("number", frozenset(loose), show_number(loose[0]), match.start(), match.end(), False))
    close()
    return _merge_restated(text, _merge_centuries(text, sorted(facts, key=lambda f: f.start)))


def _merge_centuries(text: str, facts: list[Fact]) -> list[Fact]:
    """خمسينيات القرن التاسع عشر is one fact, the 1850s (and the 50s, and the 19th century)."""
    out: list[Fact] = []
    for fact in facts:
        decade = out[-1] if out else None
        if decade is not None and decade.shown.isdigit() and int(decade.shown) in _DECADE_VALUES \
                and _CENTURY_BETWEEN.fullmatch(fold(text[decade.end:fact.start])) and decade.values & _DECADE_SET:
            century = next((v for v in fact.values if 1 <= v <= 30), None)
            if century is not None:
                out[-1] = Fact("number", frozenset({(century - 1) * 100 + int(decade.shown), int(decade.shown), century}),
                               show_number((century - 1) * 100 + int(decade.shown)), decade.start, fact.end, True)
                continue
        out.append(fact)
    return out


def _merge_restated(text: str, facts: list[Fact]) -> list[Fact]:
    """ثلاثة (3), الثمانينيات 1980, three (3): one fact written twice, one fact."""
    out: list[Fact] = []
    for fact in facts:
        if out and out[-1].values & fact.values and _RESTATED_BETWEEN.fullmatch(text[out[-1].end:fact.start]):
            first = out.pop()
            fact = Fact("number", first.values | fact.values, first.shown, first.start, fact.end,
                        first.strict or fact.strict)
        out.append(fact)
    return out


def english_numbers(text: str, masked: list[tuple[int, int]] = ()) -> list[Fact]:
    """Every number of an English text, in digits or in words."""
    facts, spans = _digit_facts(text, english=True, masked=list(masked))
    chars = list(text)
    for a, b in spans + list(masked):
        chars[a:b] = _MASK * (b - a)
    rest = _EN_PLURALS.sub(lambda m: "many".ljust(len(m.group())), "".join(chars))
    rest = _EN_HYPHEN.sub(lambda m: "-" if _EN_UNIT_AFTER_HYPHEN.match(rest, m.end()) else " ", rest)
    converted = alpha2digit(rest, "en", threshold=0)
    for match in _EN_WORD_NUMBER.finditer(converted):
        value = Decimal(match.group(1))
        ordinal = match.group(2) is not None
        after = converted[match.end():]
        scale = _EN_SCALE.match(after)  # five trillion: alpha2digit leaves the scale word
        if scale:
            value *= _EN_SCALES[scale.group(1).lower()]
        percent = bool(_EN_PERCENT.match(after))
        strict = value >= 3 and not ordinal
        facts.append(Fact("number", frozenset({value}), show_number(value, percent), match.start(), match.end(), strict))
    for match in _EN_ROMAN.finditer(text):
        value = Decimal(_ROMAN[match.group(1) or match.group(2)])
        facts.append(Fact("number", frozenset({value}), show_number(value), *match.span(), strict=False))
    for match in _EN_FRACTION_WORDS.finditer(text):
        share = Decimal(_SHARES[match.group(1).lower()]) / Decimal(_PARTS[match.group(2).lower().rstrip("s")])
        facts.append(Fact("number", frozenset({share}), match.group(), *match.span(), strict=False))
    for match in _EN_DECADE_WORDS.finditer(text):
        value = Decimal(_DECADE_WORDS[match.group(1).lower()])
        facts.append(Fact("number", frozenset({value, value + 1900, value + 2000}), match.group(1), *match.span(),
                          strict=False))
    for match in _EN_MULTIPLES.finditer(text):
        values = frozenset(Decimal(v) for v in _MULTIPLES[match.group(1)[:3].lower()])
        facts.append(Fact("number", values, match.group(1), *match.span(), strict=False))
    return _merge_restated(text, sorted(facts, key=lambda f: f.start))
