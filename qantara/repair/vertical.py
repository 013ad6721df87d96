"""Paragraphs a text file carries bottom to top: their lines put back in reading order.

Some extractors emit a paragraph's lines last first. A text file keeps two kinds of
evidence of it. The wrap: a line was broken where the next word no longer fitted, so a line
followed, in reading order, by a word that would have fitted on it is out of place (a
paragraph's short last line emitted first is the common case). And the words at each line
junction: the last word of a line and the first of the next read on in one order and not in
the other.

A dynamic programme reads a stretch of lines as paragraphs, each in emitted or in reversed
order, and keeps the best reading; a paragraph is reversed only when that beats every
reading in emitted order by the prior odds against the damage. Each line's length is its
length as laid out (the extracted line, tatweel and all), against the document's wrap width.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..arabic.lexicon import bare
from ..arabic.particles import PHRASE_OPENERS
from .bigrams import BigramTable, WordPairs, load_table
from .paragraphs import WRAPPED_WIDTH, PageGaps, ends_sentence, is_list_item, is_page_number, page_gaps
from .track import Edit, Tracked

if TYPE_CHECKING:
    from .pipeline import WorkLine

# Log-odds (nats) that a line ending / not ending in a stop ends its paragraph, and against
# a line filled to within FULL_ROOM characters of the wrap width ending one.
END_EVIDENCE = 2.0
FULL_END = 1.5
FULL_ROOM = 3
OPENER_END = 4.0
# Cost (nats) per character of room the next word would have found on a line, and the
# most it can cost: gentle per character, as a PDF's glyphs are not all one width.
FIT_SLOPE = 0.5
FIT_MAX = 6.0
# Prior odds (nats) against a paragraph's lines having been emitted bottom to top.
REVERSED_PRIOR = 3.0
# The word-pair model's say on a line junction, discounted: measured on clean prose, the
# right order of two lines beats the wrong one by 1.2 nats on average with a spread of 3.0,
# which makes each nat of it worth about a quarter of a nat of evidence.
JUNCTION_WEIGHT = 0.3
# A paragraph break between two lines with no paragraph gap between them, on a page whose
# paragraph gaps mark its breaks (nats).
UNSEPARATED_BREAK = 6.0
# Odds (nats) against a line that starts with a list marker going on from the line before.
LIST_MARKER = 5.0
# The longest paragraph, in lines, the programme considers.
MAX_LINES = 40
_NEG = float("-inf")
_TOKEN = re.compile(r"\S+")


def laid_out_length(text: str) -> int:
    """A line's length as set: its characters with runs of spaces counted as one."""
    return len(" ".join(text.split()))


class _Junctions:
    """Scores of one line following another inside a paragraph (log-odds against a break)."""

    def __init__(self, lines: list[WorkLine], width: int, table: BigramTable, local: WordPairs | None):
        self.lines, self.width, self.table, self.local = lines, width, table, local
        self.words = [line.tracked.text.split() for line in lines]

    def first_length(self, k: int) -> float:
        """The laid-out length of line k's first word (its share of the line's length)."""
        text = self.lines[k].tracked.text
        return len(self.words[k][0]) * self.lines[k].length / max(1, len(text))

    def score(self, a: int, b: int) -> float:
        # A list marker opens a paragraph, though a wrap can put a dash at a line's start.
        marker = -LIST_MARKER if is_list_item(self.lines[b].tracked.text, self.lines[b].raw) else 0.0
        room = self.width - self.lines[a].length - 1 - self.first_length(b)
        fit = -min(FIT_MAX, FIT_SLOPE * max(0.0, room))
        last, first = self.words[a][-1], self.words[b][0]
        reads_on = self.table.logprob(last, first, self.local) - self.table.unigram_logprob(first)
        return marker + fit + JUNCTION_WEIGHT * reads_on

    def end(self, k: int) -> float:
        """Log-odds that line k ends its paragraph: its stop, whether it is full (a
        paragraph's last line seldom reaches the wrap width), and whether its last word
        needs a next one (في, التي…)."""
        text = self.lines[k].tracked.text
        stop = END_EVIDENCE if ends_sentence(text) else -END_EVIDENCE
        full = FULL_END if self.lines[k].length >= self.width - FULL_ROOM else 0.0
        opener = OPENER_END if stop < 0 and bare(self.words[k][-1]) in PHRASE_OPENERS else 0.0
        return stop - full - opener


def reversed_paragraphs(
    lines: list[WorkLine], width: int, table: BigramTable, local: WordPairs | None, adjacent: list[bool] | None = None
) -> list[tuple[int, int]]:
    """The (first, last) indices of the stretches of `lines` (one run of a page, none of them
    blank) that read best as paragraphs emitted bottom to top. ``adjacent[k]``: a paragraph
    break between lines k and k + 1 would lack the gap that marks breaks on their page."""
    n = len(lines)
    if n < 2 or width <= 0:
        return []
    junctions = _Junctions(lines, width, table, local)
    forward = [junctions.score(k, k + 1) for k in range(n - 1)]
    backward = [junctions.score(k + 1, k) for k in range(n - 1)]
    ends = [junctions.end(k) for k in range(n)]
    # What ending a paragraph after line k costs besides the line's own evidence.
    breaks = [UNSEPARATED_BREAK if adjacent and adjacent[k] else 0.0 for k in range(n - 1)] + [0.0]
    best = [0.0] + [_NEG] * n  # best[j]: lines [0, j) read as paragraphs
    back: list[tuple[int, bool]] = [(0, False)] * (n + 1)
    for j in range(1, n + 1):
        inside_forward = inside_backward = 0.0
        for i in range(j - 1, max(-1, j - 1 - MAX_LINES), -1):
            if i < j - 1:
                inside_forward += forward[i]
                inside_backward += backward[i]
            if best[i] == _NEG:
                continue
            value = best[i] + inside_forward + ends[j - 1] - breaks[j - 1]
            if value > best[j]:
                best[j], back[j] = value, (i, False)
            if i < j - 1:
                value = best[i] + inside_backward + ends[i] - breaks[j - 1] - REVERSED_PRIOR
                if value > best[j]:
                    best[j], back[j] = value, (i, True)
    found = []
    j = n
    while j > 0:
        i, flipped = back[j]
        if flipped:
            found.append((i, j - 1))
        j = i
    return found[::-1]


def _runs(lines: list[WorkLine | None], gaps: PageGaps) -> list[list[int]]:
    """Indices of the stretches a paragraph cannot cross: paragraph gaps, page numbers and
    lines a PDF's layout already ordered."""
    runs: list[list[int]] = [[]]
    for k, line in enumerate(lines):
        if line is None:
            continue
        if line.block is not None or is_page_number(line.tracked.text) or gaps.breaks_before(k):
            runs.append([])
        if line.block is None:
            runs[-1].append(k)
    return [r for r in runs if len(r) > 1]


def restore_vertical_order(lines: list[WorkLine | None], width: int, local: WordPairs | None = None) -> list[WorkLine | None]:
    """A page's lines with each paragraph emitted bottom to top put back in reading order."""
    if not 0 < width <= WRAPPED_WIDTH:  # lines that are whole paragraphs were never wrapped
        return lines
    table = load_table()
    out = list(lines)
    gaps = page_gaps(lines, width)
    for run in _runs(lines, gaps):
        chosen = [lines[k] for k in run]
        adjacent = [gaps.mark_breaks] * (len(run) - 1)
        for first, last in reversed_paragraphs(chosen, width, table, local, adjacent):
            slots = run[first : last + 1]
            emitted = [out[k] for k in slots]
            for slot, line in zip(slots, reversed(emitted)):
                out[slot] = line
            head = out[slots[0]]
            before = " / ".join(line.tracked.text for line in emitted)
            after = " / ".join(line.tracked.text for line in reversed(emitted))
            edit = Edit("vertical-order", 0, len(head.tracked.text), before, after)
            out[slots[0]] = replace(head, tracked=Tracked(head.tracked.text, head.tracked.edits + (edit,)))
    return out


__all__ = ["laid_out_length", "restore_vertical_order", "reversed_paragraphs"]
