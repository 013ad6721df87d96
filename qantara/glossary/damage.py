"""Whether a word a name finder proposes is extraction damage rather than a name.

`glossary suggest` proposes Arabic words the lexicon does not know; in damaged text most of
those are not foreign names but broken words (the repair step fixes what it can; suggestions
must not carry the rest into the glossary). Damage shows in the spelling itself or against the
statistics of clean Arabic (wordfreq), not against a list of known breakages:

- doubled glyphs: three letters each written twice, two that make up more than half the
  word (ععنن, آآسسيياا), or one letter three times;
- letters in a place Arabic spelling never puts them: ة or ى inside a word, ؤ or ئ at its
  start, two alefs in a row, a hamza-alef followed by the article (أالتوصيات), the article
  before a hamza-alef inside a word (المناالإجمالي: two words glued);
- a broken copy of a word at least a hundred times as frequent: its beginning or its end
  (الاقت of الاقتصادية, جموعة of مجموعة, أغسط of أغسطس), the word with one letter changed
  when no text has it and the two letters are not spellings of one sound (الإقايمي for
  الإقليمي; transliterated names do vary by such letters, تاجيكستان/طاجيكستان, so those pass),
  or the word with the next word's conjunction glued to its end (أوزبكستانو).
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from ..arabic.charsets import MARKS, TATWEEL
from ..arabic.particles import PROCLITICS

# Letter pairs that spell one sound in transliterated names (or one letter in two forms).
_SAME_SOUND = [set(group) for group in ("تط", "سص", "دض", "ذزظ", "كق", "جغگ", "هةح", "يىی", "اأإآ", "وؤ", "ئي")]
_LETTERS = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"
_COMMON_ZIPF = 3.5  # the 28,000 most frequent Arabic words
# Damage is explained by a word at least this much more frequent (Zipf is log10: 100 times).
_MORE_FREQUENT = 2.0
_MIN_FRAGMENT = 3
_DOUBLED = re.compile(r"(.)\1")
_TRIPLED = re.compile(r"(.)\1\1")
# Spellings Arabic never has: ة or ى before another letter, ؤ or ئ starting a word, two alefs
# in a row (tanween fath is one alef: دولياً, never دولياا).
_IMPOSSIBLE = re.compile(r"[ةى](?=.)|^[ؤئ]|اا")
_HAMZA_ALEF_ARTICLE = re.compile(r"^[أإآ]ال")
_GLUED_ARTICLE = re.compile(r"(?<=.)(?<![وفبكل])ال[أإآ]")
_DROPPED = re.compile(f"[{MARKS}{TATWEEL}]")


class _Common:
    """The common Arabic words (wordfreq) with their Zipf frequency, sorted forwards and
    reversed, to find the common words that a word begins or ends."""

    def __init__(self) -> None:
        from wordfreq import get_frequency_list

        # get_frequency_list buckets words by frequency in centibels: bucket b holds words
        # of frequency 10^(-b/100), i.e. Zipf 9 - b/100.
        buckets = get_frequency_list("ar")
        last = int(round((9 - _COMMON_ZIPF) * 100))
        self.zipf = {w: 9 - b / 100 for b, bucket in enumerate(buckets[: last + 1]) for w in bucket
                     if w.isalpha()}
        self.forward = sorted(self.zipf)
        self.backward = sorted(w[::-1] for w in self.zipf)

    def _most_frequent_extension(self, sorted_words: list[str], part: str, reverse: bool) -> float:
        best = 0.0
        at = bisect.bisect_right(sorted_words, part)
        while at < len(sorted_words) and sorted_words[at].startswith(part):
            word = sorted_words[at][::-1] if reverse else sorted_words[at]
            best = max(best, self.zipf[word])
            at += 1
        return best

    def fragment_of(self, word: str) -> float:
        """The Zipf frequency of the most frequent common word that ``word`` begins or ends."""
        if len(word) < _MIN_FRAGMENT:
            return 0.0
        return max(self._most_frequent_extension(self.forward, word, False),
                   self._most_frequent_extension(self.backward, word[::-1], True))

    def respelling_of(self, word: str) -> float:
        """The Zipf frequency of the most frequent common word with one letter of ``word``
        changed to a letter that does not sound alike."""
        best = 0.0
        for i, letter in enumerate(word):
            for other in _LETTERS:
                if other == letter or any(letter in g and other in g for g in _SAME_SOUND):
                    continue
                best = max(best, self.zipf.get(word[:i] + other + word[i + 1 :], 0.0))
        return best


@cache
def _common() -> _Common:
    return _Common()


@cache
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "ar")


def _without_proclitic(word: str) -> tuple[str, ...]:
    """The word, and the word without a conjunction or preposition in front (للتغل: التغل)."""
    if word.startswith("لل"):
        return word, "ال" + word[2:]
    if word[:1] in PROCLITICS:
        return word, word[1:]
    return (word,)


def damage_kind(word: str) -> str | None:
    """What makes ``word`` (one Arabic word) look like extraction damage, or None."""
    word = _DROPPED.sub("", word)
    pairs = len(_DOUBLED.findall(word))
    # Arabic doubles a letter now and then (للصاميين, إنني); damage doubles most of them.
    if _TRIPLED.search(word) or pairs >= 3 or (pairs == 2 and 2 * pairs * 2 > len(word)):
        return "doubled letters"
    impossible = _IMPOSSIBLE.search(word)
    if impossible:
        return f"{impossible.group()!r} where Arabic spelling never has it"
    if _HAMZA_ALEF_ARTICLE.search(word) or _GLUED_ARTICLE.search(word):
        return "the article in a place it cannot be (words glued)"
    common = _common()
    stems = _without_proclitic(word)
    # Explained by a word a hundred times as frequent: the word is a broken copy of it.
    floor = max(_zipf(stem) for stem in stems) + _MORE_FREQUENT
    if any(common.fragment_of(stem) >= floor for stem in stems):
        return "a piece of a common word"
    # Real names, short ones above all, are often one letter away from a common word (سيحون,
    # سيكون); only a word no text has is taken for a respelling.
    if max(_zipf(stem) for stem in stems) == 0 and common.respelling_of(word) >= floor:
        return "a common word with one letter changed"
    if word.endswith("و") and _zipf(word[:-1]) >= floor:
        return "a conjunction glued to its end"
    return None


def looks_damaged(name: str) -> str | None:
    """The damage in the first damaged word of ``name``, or None when every word looks sound."""
    for word in name.split():
        kind = damage_kind(word)
        if kind:
            return f"{word}: {kind}"
    return None
