"""Kashida justification: tatweel (U+0640) stretching words between letters goes.

A tatweel that ends a word or stands alone is typography the author meant (بـ 27, الـV,
a dash); so is a lone one after an article or one-letter prefix in a line no kashida
stretched (الـستات, بـقيمة). One that starts a word, or ends one longer than a prefix, is
part of a stretched word the extractor cut at a gap (الاقت ــادية, عنوانــ), and goes; so
does a stretch left alone between gaps (ــ).
"""

from __future__ import annotations

import re

from ..arabic.charsets import LETTERS, MARKS, TATWEEL

# The letter range holds U+0640 itself: a letter here is any but tatweel.
_LETTER = f"(?:(?!{TATWEEL})[{LETTERS}])"
_KASHIDA = re.compile(f"(?:(?<={_LETTER})|(?<=[{MARKS}])|(?<!\\S)){TATWEEL}+(?={_LETTER})")
# A word cut at a gap after its stretch: the tatweel ends a word longer than a prefix.
_WORD_END = re.compile(f"(\\S*?)({TATWEEL}+)(?!{_LETTER})")
_SEPARATED_PREFIX = re.compile(f"(?<!{_LETTER})(?:ال|[وبلكف]){TATWEEL}(?={_LETTER})")


def strip_tatweel(text: str) -> str:
    if text.count(TATWEEL) == 1 and _SEPARATED_PREFIX.search(text):
        return text
    return _WORD_END.sub(_word_end, _KASHIDA.sub("", text))


def _word_end(match: re.Match[str]) -> str:
    word, stretch = match.groups()
    # What the author meant: a prefix set apart (بـ 27, الـV) or a lone dash.
    meant = word in ("ال",) or (len(word) == 1 and word.isalpha()) or (not word and len(stretch) == 1)
    return match.group() if meant else word
