"""Repairs inside a paragraph: brackets, glyphs lost as U+FFFD, words split in two."""

from __future__ import annotations

import re

from ..arabic.charsets import LETTERS, TATWEEL
from ..types import Issue, SourceRef
from . import chars
from .bigrams import load_table
from ..arabic.lexicon import Lexicon
from .track import Tracked, apply

# The extractor lost the tooth-and-dot part of one letter of the seen family and kept its
# tail: "الع\ufffdسر" stands for العصر, "ي\ufffdسمل" for يشمل.
_LOST_SEEN = re.compile("\ufffdس")
_SEEN_FAMILY = ("س", "ش", "ص", "ض")
_WORD = re.compile(r"\S+")
# Letters only, and not tatweel alone (a lone ـ is a dash).
_LETTERS = re.compile(rf"^(?!{TATWEEL}+$)[{LETTERS}]+$")
_TRAILING_PUNCT = re.compile(r"[.,،:؛;!?؟]+$")
# Log10 odds (see _join_evidence) that joining must reach; tuned on TICO-19-free FLORES lines
# 300-700 (clean: 5 false joins in 400 lines at 3.0) against words cut in two.
JOIN_MARGIN = 3.0
JOINED_ZIPF = 3.0
HUNSPELL_BONUS = 1.0
SEEN_PAIR_PENALTY = 5.0
SWAP_PENALTY = 1.5
FRAGMENT_ZIPF = 1.0


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


def _piece_zipf(piece: str, lexicon: Lexicon) -> float:
    # wordfreq's tokenizer leaves fragments such as "ال" and "الش" with real frequencies;
    # a piece Hunspell rejects counts as rare however often those fragments occur.
    return lexicon.zipf(piece) if lexicon.check(piece) else min(lexicon.zipf(piece), FRAGMENT_ZIPF)


def _join_evidence(left: str, right: str, lexicon: Lexicon, seen: dict[str, dict[str, int]]) -> tuple[float, str] | None:
    """How much better the two tokens read as one word (in either order), and that word.

    Zipf frequencies are log10 counts per billion words, so `zipf(ab) - zipf(a) - zipf(b) + 9`
    compares one word `ab` with the pair `a b` as independent words; Hunspell's verdicts and
    whether the clean corpus has the pair `a b` sharpen it.
    """
    tail = _TRAILING_PUNCT.search(right)
    right_word = right[: tail.start()] if tail else right
    if not (_LETTERS.match(left) and _LETTERS.match(right_word)):
        return None
    best: tuple[float, str] | None = None
    orders = [(left + right_word, 0.0)] + ([] if tail else [(right_word + left, SWAP_PENALTY)])
    for joined, penalty in orders:
        accepted = lexicon.check(joined)
        if not accepted and lexicon.zipf(joined) < JOINED_ZIPF:
            continue
        score = (
            lexicon.zipf(joined) - _piece_zipf(left, lexicon) - _piece_zipf(right_word, lexicon) + 9
            + HUNSPELL_BONUS * (accepted - lexicon.check(left) - lexicon.check(right_word))
            - (SEEN_PAIR_PENALTY if seen.get(left, {}).get(right_word) else 0.0)
            - penalty
        )
        if best is None or score > best[0]:
            best = (score, joined + (tail.group() if tail else ""))
    return best


def join_split_words(text: str, lexicon: Lexicon) -> str:
    """Join two neighbouring pieces that read far better as one word, in either order:
    "الا قتصادية" -> "الاقتصادية", "صادية الاقت" -> "الاقتصادية". Pairs the clean
    corpus shows as two words, and pairs no dictionary knows joined, stay apart."""
    tokens = text.split(" ")
    seen = load_table().words
    scored = []
    for i in range(len(tokens) - 1):
        evidence = _join_evidence(tokens[i], tokens[i + 1], lexicon, seen)
        if evidence and evidence[0] >= JOIN_MARGIN:
            scored.append((evidence[0], i, evidence[1]))
    # The strongest joins win where two candidate pairs share a piece.
    taken: dict[int, str] = {}
    for _, i, joined in sorted(scored, reverse=True):
        if i not in taken and i + 1 not in taken and i - 1 not in taken:
            taken[i] = joined
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if i in taken:
            out.append(taken[i])
            i += 2
        else:
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
