"""Repairs inside a paragraph: brackets, glyphs lost as U+FFFD, words split in two."""

from __future__ import annotations

import re

from ..types import Issue, SourceRef
from . import chars
from .lexicon import Lexicon
from .track import Tracked, apply

# The extractor lost the tooth-and-dot part of one letter of the seen family and kept its
# tail: "الع\ufffdسر" stands for العصر, "ي\ufffdسمل" for يشمل.
_LOST_SEEN = re.compile("\ufffdس")
_SEEN_FAMILY = ("س", "ش", "ص", "ض")
_WORD = re.compile(r"\S+")


def restore_lost_seen(text: str, lexicon: Lexicon) -> tuple[str, list[str]]:
    """Choose the letter behind each "\ufffdس" by the lexicon; returns the text and the
    words it could not decide (left as they were)."""
    undecided: list[str] = []

    def choose(match: re.Match[str]) -> str:
        token = match.group()
        if "\ufffd" not in token:
            return token
        candidates = [_LOST_SEEN.sub(letter, token) for letter in _SEEN_FAMILY]
        known = [c for c in candidates if lexicon.known(c)]
        if not known:
            undecided.append(token)
            return token
        return max(known, key=lexicon.score)

    return _WORD.sub(choose, text), undecided


def join_split_words(text: str, lexicon: Lexicon) -> str:
    """Join two neighbouring pieces when one is no word and together they are one:
    "الا قتصادية" -> "الاقتصادية". Two known words are never joined."""
    tokens = text.split(" ")
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens):
            left, right = tokens[i], tokens[i + 1]
            verdicts = (lexicon.known(left), lexicon.known(right))
            if False in verdicts and None not in verdicts and lexicon.known(left + right):
                out.append(left + right)
                i += 2
                continue
        out.append(tokens[i])
        i += 1
    return " ".join(out)


def repair_paragraph(
    tracked: Tracked, lexicon: Lexicon | None, ref: SourceRef, issues: list[Issue]
) -> Tracked:
    tracked = apply(tracked, "mirrored-bracket", chars.fix_mirrored_brackets(tracked.text))
    if "\ufffd" in tracked.text and lexicon is not None:
        text, undecided = restore_lost_seen(tracked.text, lexicon)
        tracked = apply(tracked, "lost-glyph", text)
        issues.extend(
            Issue(ref, "repair-lost-glyph", f"no dictionary word fits {word!r}; left as it was")
            for word in undecided
        )
    if lexicon is not None:
        tracked = apply(tracked, "split-word", join_split_words(tracked.text, lexicon))
    return tracked
