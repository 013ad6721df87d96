"""Word evidence for the repair steps: Hunspell's Arabic dictionary and wordfreq frequencies.

Nothing is loaded at import; `default_lexicon()` loads both once, on first use, and reports
what is missing instead of failing, so the pipeline can skip the steps that need them.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Callable

from .charsets import LETTERS, MARKS, TATWEEL

_MARKS = re.compile(f"[{MARKS}{TATWEEL}]")
_EDGE_PUNCT = re.compile(f"^[^{LETTERS}]+|[^{LETTERS}]+$")
_ARABIC_WORD = re.compile(f"^[{LETTERS}]+$")


def bare(token: str) -> str:
    """The Arabic letters of a token: punctuation at its edges and diacritics removed."""
    return _EDGE_PUNCT.sub("", _MARKS.sub("", token))


@dataclass(frozen=True)
class Lexicon:
    check: Callable[[str], bool]
    zipf: Callable[[str], float]

    def known(self, token: str) -> bool | None:
        """True/False for an Arabic word, None for anything the lexicon cannot judge."""
        word = bare(token)
        if not _ARABIC_WORD.match(word):
            return None
        return self.check(word) or self.zipf(word) > 0

    def score(self, token: str) -> float:
        """How plausible a word is: its Zipf frequency, plus a bonus when Hunspell accepts it."""
        word = bare(token)
        if not _ARABIC_WORD.match(word):
            return 0.0
        return self.zipf(word) + (2.0 if self.check(word) else 0.0)


_OPENING = threading.Lock()


def default_lexicon() -> tuple[Lexicon | None, str | None]:
    """The installed lexicon, or None and a sentence saying what is missing."""
    # Documents are repaired in parallel threads; two enchant dictionaries opened at once
    # corrupted the heap, so the first opening is serialised.
    with _OPENING:
        return _open_lexicon()


def lexicon_signature() -> str:
    """Which lexicon a repair will have, without loading it (that takes a second or two):
    ``hunspell-ar+wordfreq-3.1.1``, or ``none``."""
    from importlib import metadata

    try:
        import enchant

        wordfreq = metadata.version("wordfreq")
        found = enchant.dict_exists("ar")
    except Exception:  # no libenchant, no pyenchant or no wordfreq: the lexicon is missing
        return "none"
    return f"hunspell-ar+wordfreq-{wordfreq}" if found else "none"


@cache
def _open_lexicon() -> tuple[Lexicon | None, str | None]:
    try:
        import enchant

        dictionary = enchant.Dict("ar")
    except Exception as exc:  # enchant raises its own errors and ImportError when absent
        return None, f"Arabic Hunspell dictionary unavailable ({exc}); word-level repairs skipped"
    try:
        from wordfreq import get_frequency_dict
    except ImportError:
        return None, "wordfreq is not installed; word-level repairs skipped"
    # The table wordfreq's own zipf_frequency reads (and keeps), looked up without its
    # tokenizer: a word of Arabic letters is one token, and OCR post-correction scores
    # thousands of candidate spellings a page.
    frequencies = get_frequency_dict("ar")

    def zipf(word: str) -> float:
        frequency = frequencies.get(unicodedata.normalize("NFKC", word))
        return round(math.log10(frequency) + 9, 2) if frequency else 0.0

    # pyenchant calls Hunspell through ctypes, which releases the GIL, and Hunspell is not
    # thread-safe: documents repaired in parallel threads crashed the process without this lock.
    lock = threading.Lock()

    def locked_check(word: str) -> bool:
        with lock:
            return dictionary.check(word)

    check = lru_cache(maxsize=200_000)(locked_check)
    return Lexicon(check, zipf), None
