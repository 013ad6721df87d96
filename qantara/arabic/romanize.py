"""A proposed English spelling of an Arabic name, from a rule table (always to be verified).

Arabic script writes long vowels and leaves short ones out, so no table can know that
طشقند is Tashkent; what it can do is spell the letters the way English-language news spells
Arabic and Central Asian names (خ kh, ش sh, ج j, ق q, final ييف -yev, ستان -stan), read و and
ي as vowels between consonants and as w/y next to a vowel, and put a short vowel where English
needs one: in a consonant cluster at the start of a syllable, and in a word-final pair after a
long vowel (قاسم Qasim, the fa'il pattern of Arabic given names). Good enough to recognise the
name and correct it; `glossary suggest` marks every such form as unverified.
"""

from __future__ import annotations

import re

from .charsets import MARKS, TATWEEL

_CONSONANTS = {
    "ء": "", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "",
    "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
    "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k", "ڤ": "v",
}
# Letters that are always vowels: alef (with or without hamza), alef maqsura, ta marbuta.
_VOWELS = {"ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ى": "a", "ة": "a", "ؤ": "u", "ئ": "i"}
_SEMIVOWELS = {"و": ("w", "u"), "ي": ("y", "i"), "ی": ("y", "i")}
# Word endings spelled as a whole, longest first: Russian surnames and Central Asian places.
_ENDINGS = (
    ("ييفا", "yeva"), ("ييف", "yev"), ("يفا", "eva"), ("وفا", "ova"), ("يف", "ev"), ("وف", "ov"),
    ("ستان", "stan"), ("ية", "iya"), ("وي", "awi"),
)
_DROPPED = re.compile(f"[{MARKS}{TATWEEL}\u0651]")
_ARTICLE = "ال"
_DEFAULT_VOWEL = "a"
_PATTERN_VOWEL = "i"  # fa'il: Khalid, Hamid, Qasim


def _units(word: str) -> list[tuple[str, bool]]:
    """(spelling, is_vowel) for each letter, semivowels decided by their neighbours."""
    units: list[tuple[str, bool]] = []
    for i, letter in enumerate(word):
        if letter in _VOWELS:
            units.append((_VOWELS[letter], True))
        elif letter in _SEMIVOWELS:
            consonant, vowel = _SEMIVOWELS[letter]
            before = word[i - 1] if i else ""
            after = word[i + 1] if i + 1 < len(word) else ""
            next_to_vowel = before in _VOWELS or after in _VOWELS or after in _SEMIVOWELS
            if i == 0 or (next_to_vowel and before not in _SEMIVOWELS):
                units.append((consonant, False))
            else:
                units.append((vowel, True))
        elif letter in _CONSONANTS:
            units.append((_CONSONANTS[letter], False))
    return units


def _spell(units: list[tuple[str, bool]], word_end: bool) -> str:
    """The letters with short vowels inserted, syllable by syllable from the end.

    Each syllable is an onset consonant, a vowel (written, or a short one inserted) and at
    most one closing consonant, two at the end of the word (Samar-qand, Tash-qand). After a
    written long vowel a final pair is split with i (Qa-sim).
    """
    syllables: list[str] = []
    i = len(units) - 1
    while i >= 0:
        coda: list[str] = []
        limit = 2 if word_end and not syllables else 1
        while i > 0 and not units[i][1] and len(coda) < limit:
            coda.insert(0, units[i][0])
            i -= 1
        if i >= 0 and units[i][1]:
            vowel = units[i][0]
            i -= 1
            if len(coda) == 2:
                syllables.insert(0, coda[0] + _PATTERN_VOWEL + coda[1])
                coda = []
        else:
            vowel = _DEFAULT_VOWEL
        onset = ""
        if i >= 0 and not units[i][1]:
            onset = units[i][0]
            i -= 1
        syllables.insert(0, onset + vowel + "".join(coda))
    return "".join(syllables)


def _romanize_word(word: str) -> str:
    word = _DROPPED.sub("", word)
    prefix = ""
    if word.startswith(_ARTICLE) and len(word) > 3:
        prefix, word = "al-", word[2:]
    if word[:2] in ("أو", "او") and len(word) > 2 and word[2] not in _VOWELS:
        word = "ؤ" + word[2:]  # Uzbekistan, Oman's أومان: a word-initial أو is a vowel
    ending = next(((arabic, latin) for arabic, latin in _ENDINGS
                   if word.endswith(arabic) and len(word) > len(arabic) + 1), None)
    stem = word[: -len(ending[0])] if ending else word
    spelled = _spell(_units(stem), word_end=ending is None) + (ending[1] if ending else "")
    return "-".join(part[:1].upper() + part[1:] for part in (prefix + spelled).split("-") if part)


def romanize_name(arabic: str) -> str:
    """A proposed English spelling of the Arabic name (unverified; see the module doc)."""
    words = [_romanize_word(word) for word in arabic.split()]
    return " ".join(word for word in words if word)
