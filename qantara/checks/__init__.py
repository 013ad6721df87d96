"""Cross-language checks: the facts of an Arabic segment that its English must carry.

:func:`check_pair` compares the numbers (digits of any of the three sets, number words,
percentages), months (Gregorian in their Levantine, Egyptian and Maghrebi names, Hijri),
URLs, e-mail addresses, brackets and quotation marks of the Arabic with those of the
English, and the length of the two. Each disagreement is one flag in the ``name:detail`` form
the other flags use, with both values in the detail and no spaces (TMX joins flags with
spaces): ``number-mismatch:2022≠2020``, ``number-missing:30.7%`` (in the Arabic, not in the
English), ``number-added:1990`` (the other way), ``date-mismatch:March≠April``,
``url-missing:…``, ``bracket-mismatch:()≠(``, ``quote-mismatch:«»≠"``,
``length-ratio:0.21``. :func:`suspect_numbers` looks at the Arabic alone: a number mixing
digit sets (``7١77``) is what OCR makes of a misread one.

Facts are compared by value, not by form: 3.5 million is ٣٫٥ مليون and ثلاثة ملايين وخمسمائة
ألف; a Hijri year is also the Gregorian years it spans. What a good translation may leave
implicit (one, two, ordinals, words that are also other words) can match but never has to.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import dates, marks
from .digits import NUMBER, digit_sets
from .facts import Fact
from .numbers import arabic_numbers, english_numbers

NUMBER_MISMATCH, NUMBER_MISSING, NUMBER_ADDED = "number-mismatch", "number-missing", "number-added"
DATE_MISMATCH, DATE_MISSING, DATE_ADDED = "date-mismatch", "date-missing", "date-added"
URL_MISMATCH, URL_MISSING, URL_ADDED = "url-mismatch", "url-missing", "url-added"
BRACKET_MISMATCH = "bracket-mismatch"
QUOTE_MISMATCH = "quote-mismatch"
LENGTH_RATIO = "length-ratio"
SUSPECT_NUMBER = "suspect-number"
KINDS = (NUMBER_MISMATCH, NUMBER_MISSING, NUMBER_ADDED, DATE_MISMATCH, DATE_MISSING, DATE_ADDED,
         URL_MISMATCH, URL_MISSING, URL_ADDED, BRACKET_MISMATCH, QUOTE_MISMATCH, LENGTH_RATIO, SUSPECT_NUMBER)

# English characters per Arabic character, outside which a translation has lost or invented
# a part. Measured on the FLORES, TICO-19 and Tatoeba pairs (the developed half): see
# benchmarks/bench_checks.py.
RATIO_BOUNDS = (0.5, 2.2)
_RATIO_MIN_CHARS = 40
_EMPTY = "∅"


def _unmatched(left: Sequence[Fact], right: Sequence[Fact]) -> tuple[list[Fact], list[Fact]]:
    """The strict facts of each side that no fact of the other side matches, one to one
    (a maximum matching, strict facts served first)."""
    order = sorted(range(len(right)), key=lambda j: not right[j].strict)
    edges = [[j for j in order if left[i].values & right[j].values] for i in range(len(left))]
    partner_of_right = [-1] * len(right)

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if partner_of_right[j] < 0 or augment(partner_of_right[j], seen):
                    partner_of_right[j] = i
                    return True
        return False

    matched_left = {i for i in sorted(range(len(left)), key=lambda i: not left[i].strict) if augment(i, set())}
    return ([f for i, f in enumerate(left) if f.strict and i not in matched_left],
            [f for j, f in enumerate(right) if f.strict and partner_of_right[j] < 0])


def _pair_flags(missing: Sequence[str], added: Sequence[str], kinds: tuple[str, str, str]) -> list[str]:
    """One flag per disagreement: the n-th lost value beside the n-th new one, the rest alone."""
    mismatch, lost, new = kinds
    flags = [f"{mismatch}:{a}≠{e}" for a, e in zip(missing, added)]
    flags += [f"{lost}:{a}" for a in missing[len(added):]]
    flags += [f"{new}:{e}" for e in added[len(missing):]]
    return flags


def suspect_numbers(arabic: str) -> list[str]:
    """Numbers whose digits come from more than one digit set (``7١77``): OCR misreadings."""
    return [f"{SUSPECT_NUMBER}:{m.group()}" for m in NUMBER.finditer(arabic) if digit_sets(m.group()) > 1]


def check_pair(arabic: str, english: str) -> tuple[str, ...]:
    """Flags for the facts of ``arabic`` its translation ``english`` does not carry, and the
    ones it adds; empty when they agree."""
    flags = suspect_numbers(arabic)
    ar_links, en_links = marks.urls(arabic), marks.urls(english)
    ar_masked, en_masked = [(a, b) for a, b, _ in ar_links], [(a, b) for a, b, _ in en_links]
    ar_numbers, ar_months = dates.convert_hijri_dates(arabic, arabic_numbers(arabic, ar_masked),
                                                      dates.arabic_months(arabic))
    missing, added = _unmatched(ar_numbers, english_numbers(english, en_masked))
    flags += _pair_flags([f.shown for f in missing], [f.shown for f in added],
                         (NUMBER_MISMATCH, NUMBER_MISSING, NUMBER_ADDED))
    missing, added = _unmatched(ar_months, dates.english_months(english))
    flags += _pair_flags([f.shown for f in missing], [f.shown for f in added], (DATE_MISMATCH, DATE_MISSING, DATE_ADDED))
    ar_keys, en_keys = [k for _, _, k in ar_links], [k for _, _, k in en_links]
    flags += _pair_flags([k for k in ar_keys if k not in en_keys], [k for k in en_keys if k not in ar_keys],
                         (URL_MISMATCH, URL_MISSING, URL_ADDED))
    # A translation keeps a quotation or a bracket open where the Arabic does (a quotation
    # running over several sentences); it must not open or close one the Arabic does not.
    ar_brackets, en_brackets = marks.brackets(arabic), marks.brackets(english)
    if marks.brackets_balanced(english) != marks.brackets_balanced(arabic) or (
            not marks.brackets_balanced(english) and ar_brackets != en_brackets):
        flags.append(f"{BRACKET_MISMATCH}:{ar_brackets or _EMPTY}≠{en_brackets or _EMPTY}")
    if marks.quotes_balanced(arabic) != marks.quotes_balanced(english):
        flags.append(f"{QUOTE_MISMATCH}:{marks.quotes(arabic) or _EMPTY}≠{marks.quotes(english) or _EMPTY}")
    ar_chars, en_chars = len("".join(arabic.split())), len("".join(english.split()))
    if ar_chars >= _RATIO_MIN_CHARS and not RATIO_BOUNDS[0] <= en_chars / ar_chars <= RATIO_BOUNDS[1]:
        flags.append(f"{LENGTH_RATIO}:{en_chars / ar_chars:.2f}")
    return tuple(dict.fromkeys(flags))
