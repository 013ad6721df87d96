"""Word order within a line: runs an extractor emitted in visual order, put back in reading order.

A PDF extractor that writes an Arabic line left to right emits its bidi runs in visual
order: each run keeps its own letters in reading order, but the runs come out last first.
A line justified word by word is the extreme case (every word a run, the gaps wide);
Word's bidi runs are the common one (a few runs, ending anywhere: at a space, at a number,
inside a word, so that junctions come out glued, "والتنقلوتتمتع", or doubly spaced).

The line is cut into pieces (words, and the parts of a glued non-word), and a dynamic
programme over every way of cutting it into runs finds the reversal of runs that the
word-pair model likes best, counting the evidence of each cut: a wide gap or a glued
non-word says a run ended there, a plain space says nothing of the kind. The line is
reordered only when that beats the line as it stands by a clear margin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..arabic.charsets import LETTERS
from ..arabic.lexicon import Lexicon, bare
from ..arabic.particles import PHRASE_OPENERS, PROCLITICS
from .bigrams import BigramTable, WordPairs

WIDE, SPACE, STOP, GLUED, SPLIT = "wide", "space", "stop", "glued", "split"

# Log-odds (nats) that a gap of each kind ends a run, against its being inside one, in a
# line read as reversed runs: a wide gap is a run edge (a run keeps its own spacing), and so
# are the glued pieces of a non-word. A plain space is never taken for one: measured on
# clean prose, the word-pair model finds as much to gain from cutting clean lines at plain
# spaces as from cutting reversed ones, except after a full stop (a paragraph's last words,
# read backwards, put its stop inside the line). Left as it stands, a line owes its gaps nothing.
CUT_PRIOR = {WIDE: 1.0, STOP: -1.0, GLUED: -1.0, SPLIT: 1.0}
# A wide gap left inside a run of a reordered line (runs keep single spaces inside).
WIDE_INSIDE_RUN = 4.0
SET_WORD_BY_WORD = 1000.0
# A word the lexicon does not know costs this much (nats); it decides glued words.
UNKNOWN_WORD = 3.0
STOP_PENALTY = 2.0
MAX_PIECES = 40
# Zipf frequency (log10 per billion words) from which a word counts as common, and the
# shortest half of a split other than a one-letter fragment.
COMMON_ZIPF = 3.5
# Zipf frequency of the few hundred commonest words, short ones a run edge glues to another.
FUNCTION_ZIPF = 5.5
MIN_SPLIT_PART = 4
# A glued word the lexicon knows this well is taken as one word at a run junction.
GOOD_ZIPF = 2.5

_TOKEN = re.compile(r"\S+")
_LEADING_STOP = re.compile(r"^([.,،:؛;!?؟]+)(?=\S)")
# A number against a word, except a year and its م (1991م is one token in any order).
# An Arabic comma or decimal separator between digits is inside the number (15،00).
_DIGIT_LETTER = re.compile(
    r"(?<=[0-9٠-٩])(?![،٫][0-9٠-٩])(?=[^\d٠-٩.,:/%\-م])|(?<=[^\d٠-٩.,:/%\-])(?<![0-9٠-٩][،٫])(?=[0-9٠-٩])"
)
_ARABIC_WORD = re.compile(f"^[{LETTERS}]+$")
_SENTENCE_END = re.compile(r"[.!?؟:][\"'»”)]*$")
_YEAR_SUFFIX = re.compile(r"^م[.,،:؛]*$")


@dataclass(frozen=True)
class Piece:
    text: str
    gap: str | None  # the gap after this piece in the extracted line; None for the last


def pieces(line: str, lexicon: Lexicon | None, whole: frozenset[str] = frozenset()) -> list[Piece]:
    """The line's pieces: its words, with a word split where a run edge glued two things.
    Tokens in `whole` (those the document repeats: a run edge glues by accident, once)
    are never split."""
    out: list[Piece] = []
    tokens = list(_TOKEN.finditer(line))
    for n, match in enumerate(tokens):
        if n + 1 < len(tokens):
            spaces = tokens[n + 1].start() - match.end()
            gap = WIDE if spaces >= 2 else STOP if _SENTENCE_END.search(match.group()) else SPACE
        else:
            gap = None
        parts = [(match.group(), GLUED)] if match.group() in whole else _split_glued(match.group(), lexicon)
        for k, (part, inner) in enumerate(parts):
            out.append(Piece(part, inner if k + 1 < len(parts) else gap))
    return out


def _split_glued(token: str, lexicon: Lexicon | None) -> list[tuple[str, str]]:
    """A token as parts and the kind of glued gap after each: a stop before a word
    ("،بموارد"), a number against a word ("1991في"), two words run together."""
    parts: list[tuple[str, str]] = []
    lead = _LEADING_STOP.match(token)
    if lead:
        parts.append((lead.group(1), GLUED))
        token = token[lead.end():]
    chunks = [c for c in _DIGIT_LETTER.split(token) if c]
    for chunk in chunks:
        split = _lexicon_split(chunk, lexicon)
        if split:
            parts.append((split[0], SPLIT))
            parts.append((split[1], GLUED))
        else:
            parts.append((chunk, GLUED))
    return parts


def _function_word(word: str, lexicon: Lexicon) -> bool:
    """A particle, preposition or verb of the commonest few hundred words (من، قال)."""
    return word in PHRASE_OPENERS or lexicon.zipf(word) >= FUNCTION_ZIPF


def _common(word: str, lexicon: Lexicon) -> bool:
    """A word everyday use knows well: a safe half of a split."""
    return lexicon.zipf(word) >= COMMON_ZIPF


def _lexicon_split(chunk: str, lexicon: Lexicon | None) -> tuple[str, str] | None:
    """Two common words (or a one-letter fragment and a common word) glued into something
    no lexicon knows, as a run edge glues them: the best split, or None. Names the lexicon
    lacks mostly split into nothing common, so they stay whole."""
    word = bare(chunk)
    # A glyph lost as U+FFFD makes a word unknown without gluing anything (see words.py).
    if lexicon is None or "\ufffd" in chunk or len(word) < 3 or not _ARABIC_WORD.match(word) or lexicon.known(word):
        return None
    start = chunk.index(word[0])
    best: tuple[float, int] | None = None
    for k in range(1, len(word)):
        left, right = word[:k], word[k:]
        # Short halves are where names split by chance into two rare words (كان|جار); a run
        # edge glues a function word to its neighbour as often ("العمرمن").
        if any(1 < len(part) < MIN_SPLIT_PART and not _function_word(part, lexicon) for part in (left, right)) \
                or max(len(left), len(right)) < MIN_SPLIT_PART:
            continue
        if not all(_common(part, lexicon) for part in (left, right) if len(part) > 1):
            continue
        score = sum(lexicon.zipf(part) for part in (left, right) if len(part) > 1)
        if best is None or score > best[0]:
            best = (score, k)
    if best is None:
        return None
    cut = start + best[1]
    return chunk[:cut], chunk[cut:]


def _join(parts: list[Piece]) -> str:
    """The text of pieces, glued where the extractor glued them (gap of the last ignored)."""
    text = ""
    for k, piece in enumerate(parts):
        text += piece.text
        if k + 1 < len(parts):
            text += "" if piece.gap in (GLUED, SPLIT) else " "
    return text


def _fragment(word: str) -> bool:
    return len(bare(word)) == 1 and bool(_ARABIC_WORD.match(bare(word)))


class _Scorer:
    def __init__(self, table: BigramTable, lexicon: Lexicon | None, local: WordPairs | None):
        self.table, self.lexicon, self.local = table, lexicon, local
        self.pair = lru_cache(maxsize=None)(self._pair)
        self.word = lru_cache(maxsize=None)(self._word)

    def _pair(self, left: str, right: str) -> float:
        return self.table.logprob(left, right, self.local)

    def _word(self, word: str) -> float:
        """The lexicon's say on one word: unknown Arabic words cost, one-letter fragments more."""
        if self.lexicon is None:
            return 0.0
        core = bare(word)
        if not _ARABIC_WORD.match(core):
            return 0.0
        if len(core) == 1:
            return 0.0 if core == "و" and word == core else -UNKNOWN_WORD
        return 0.0 if self.lexicon.known(core) else -UNKNOWN_WORD

    def words(self, words: list[str]) -> float:
        return sum(self.word(w) for w in words) + sum(self.pair(a, b) for a, b in zip(words, words[1:]))

    def glue(self, left: str, right: str) -> bool:
        """Whether two run ends meeting in the reordered line form one word: a year and its
        م, a one-letter prefix and its word, a fragment and what makes it a known word."""
        if left and left[-1].isdigit() and _YEAR_SUFFIX.match(right):
            return True
        if _fragment(left) and bare(left) in PROCLITICS:
            return bool(_ARABIC_WORD.match(bare(right)))
        if not (_fragment(left) or (_fragment(right) and bare(right) not in PROCLITICS)):
            return False
        glued = bare(left) + bare(right)
        return self.lexicon is not None and (self.lexicon.check(glued) or self.lexicon.zipf(glued) >= GOOD_ZIPF)


@dataclass(frozen=True)
class Reading:
    text: str
    score: float  # log-score of this reading (nats)
    base: float  # log-score of the line as it stands
    runs: int

    @property
    def gain(self) -> float:
        return self.score - self.base


def best_reading(
    line: str,
    table: BigramTable,
    lexicon: Lexicon | None,
    local: WordPairs | None = None,
    before: str | None = None,
    after: str | None = None,
    short: bool = False,
    whole: frozenset[str] = frozenset(),
) -> Reading:
    """The best reading of `line` (its text with the extractor's spacing) as runs reversed."""
    parts = pieces(line, lexicon, whole)
    # A line whose every space between two Arabic words is wide was set word by word: each
    # word, dash or Latin name beside them is a run of its own (the single space a Latin
    # run or a dash keeps next to an Arabic word is no run of two).
    word_by_word = sum(p.gap == WIDE for p in parts) >= 2 and all(
        p.gap not in (SPACE, STOP) or not (_ARABIC_WORD.match(bare(p.text)) and _ARABIC_WORD.match(bare(q.text)))
        for p, q in zip(parts, parts[1:])
    )
    if word_by_word:
        parts = [Piece(p.text, WIDE if p.gap in (SPACE, STOP) else p.gap) for p in parts]
    as_is = " ".join(_join(parts).split())
    if len(parts) < 2 or len(parts) > MAX_PIECES:
        return Reading(as_is, 0.0, 0.0, 1)
    scorer = _Scorer(table, lexicon, local)
    m = len(parts)
    # Only the parts of a token the extractor glued may glue to another run's end: words
    # it set apart stay apart (100 م is a hundred metres).
    split = [p.gap in (GLUED, SPLIT) or (j and parts[j - 1].gap in (GLUED, SPLIT)) for j, p in enumerate(parts)]

    # Words of each run [s, e] (inclusive), and its inside score.
    words: dict[tuple[int, int], list[str]] = {}
    inside: dict[tuple[int, int], float] = {}
    for s in range(m):
        for e in range(s, m):
            w = _join(parts[s : e + 1]).split()
            words[s, e] = w
            inside[s, e] = scorer.words(w) - STOP_PENALTY * sum(1 for x in w[:-1] if _SENTENCE_END.search(x))
    wide = [0]
    for piece in parts:
        wide.append(wide[-1] + (piece.gap == WIDE))
    inside_wide = SET_WORD_BY_WORD if word_by_word else WIDE_INSIDE_RUN

    def edge_score(first: str, last: str) -> float:
        score = scorer.pair(before, first) if before else 0.0
        score += scorer.pair(last, after) if after else 0.0
        return score + (STOP_PENALTY if short and _SENTENCE_END.search(last) else 0.0)

    def junction(left: list[str], right: list[str], may_glue: bool) -> float:
        a, b = left[-1], right[0]
        if may_glue and scorer.glue(a, b):
            return scorer.word(a + b) - scorer.word(a) - scorer.word(b)
        # A stop ending a run that another run follows ends a sentence inside the line.
        return scorer.pair(a, b) - (STOP_PENALTY if _SENTENCE_END.search(a) else 0.0)

    whole = words[0, m - 1]
    base = inside[0, m - 1] + edge_score(whole[0], whole[-1])
    # best[s, e]: the best score of a reading whose runs so far are E[e+1:] reversed and
    # whose latest run is [s, e] (so the next run ends at s - 1).
    NEG = float("-inf")
    best: dict[tuple[int, int], float] = {}
    back: dict[tuple[int, int], tuple[int, int] | None] = {}
    for s in range(1, m):  # the first run of the reading is the line's last, [s, m-1], s >= 1
        if parts[s - 1].gap not in CUT_PRIOR:
            continue
        run = words[s, m - 1]
        best[s, m - 1] = inside[s, m - 1] + (scorer.pair(before, run[0]) if before else 0.0)
        best[s, m - 1] -= inside_wide * (wide[m - 1] - wide[s])
        back[s, m - 1] = None
    for e in range(m - 2, -1, -1):
        for s in range(e, -1, -1):
            # The run [s, e] follows a run [e+1, f].
            top, arg = NEG, None
            cut = CUT_PRIOR.get(parts[e].gap)
            if cut is None:
                continue
            for f in range(e + 1, m):
                prev = best.get((e + 1, f))
                if prev is None:
                    continue
                value = prev + junction(words[e + 1, f], words[s, e], split[f] or split[s])
                if value > top:
                    top, arg = value, (e + 1, f)
            if arg is not None:
                best[s, e] = top + inside[s, e] + cut - inside_wide * (wide[e] - wide[s])
                back[s, e] = arg
    top_score, top_e = NEG, -1
    for e in range(m - 1):
        if (0, e) not in best:
            continue
        last = words[0, e][-1]
        value = best[0, e] + (scorer.pair(last, after) if after else 0.0)
        value += STOP_PENALTY if short and _SENTENCE_END.search(last) else 0.0
        if value > top_score:
            top_score, top_e = value, e
    if top_e < 0:
        return Reading(as_is, base, base, 1)
    runs: list[tuple[int, int]] = []
    key: tuple[int, int] | None = (0, top_e)
    while key is not None:
        runs.append(key)
        key = back[key]
    runs.reverse()  # reading order: the line's last run first
    text_words: list[str] = []
    last_piece = -1
    for run in runs:
        w = list(words[run])
        if text_words and (split[last_piece] or split[run[0]]) and scorer.glue(text_words[-1], w[0]):
            text_words[-1] += w.pop(0)
        text_words.extend(w)
        last_piece = run[1]
    return Reading(" ".join(text_words), top_score, base, len(runs))
