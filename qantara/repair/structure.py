"""Repairs across and within whole lines, before lines become paragraphs.

- A diacritic alone on a line (tanween the extractor pushed out of its word) rejoins the
  word it belongs to; such lines also came out in reverse order, which is undone.
- A list number the extractor moved to the end of its line (". 5") goes back to the start.
- A line whose words or space-separated pieces came out in reversed order is put back in
  order when the bigram model prefers the reversal by a clear margin.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from ..arabic.charsets import MARKS
from ..arabic.lexicon import Lexicon
from ..types import Issue
from .bigrams import WordPairs, load_table, word_pairs
from .order import GLUED, SPLIT, WIDE, Reading, best_reading, pieces
from .track import Edit, Tracked, apply, join

if TYPE_CHECKING:
    from .pipeline import WorkLine

_MARKS_ONLY = re.compile(f"^[{MARKS}]+$")
# Tanween al-fath sits on a final alif, ta marbuta or alif maqsura.
_TAKES_TANWEEN = re.compile(r"[اةىء]$")
_TRAILING_NUMBER = re.compile(
    r"^(?P<body>.{20,}?)(?:\s+\.\s*(?P<a>[0-9٠-٩]{1,2})|(?<=\.)\.\s*(?P<b>[0-9٠-٩]{1,2}))\s*$"
)
# An item's number inside its line, after the run the extractor emitted first.
_NUMBER_INSIDE = re.compile(r"^(?P<head>\S.*?)\s+\.\s+(?P<n>[0-9٠-٩]{1,2})\s+(?P<tail>\S.*)$")
_LEADING_STOP = re.compile(r"^[.,،:؛;!?؟]+$")
# What reordering a line must gain over leaving it as it is (nats): the prior odds of damage.
REORDER_MARGIN = 2.5
# A list number in the middle of a line is itself evidence of a line read backwards (nats).
NUMBER_PRIOR = 2.0
# A line shorter than this share of the document's median line is taken as a paragraph's last.
SHORT_LINE_SHARE = 0.5
FULL_GAP_SHARE = 0.8
FULL_GAP_PRIOR = 2.0
ARABIC_SHARE = 0.7
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{2}")
_HAS_LETTER = re.compile(r"[^\W\d_]")


def _is_orphan(line: WorkLine | None) -> bool:
    return line is not None and bool(_MARKS_ONLY.match(line.tracked.text))


def rejoin_orphan_marks(lines: list[WorkLine | None]) -> list[WorkLine | None]:
    """Attach lone diacritic lines to their word; undo the line reversal that came with them.

    In a run `L0, mark, L1, mark, L2` each mark belongs at the end of the line after it when
    those lines end in a letter that takes tanween, and the run then reads `L2 L1 L0`;
    otherwise each mark goes to the end of the line before it. A mark with no run is dropped.
    """
    out: list[WorkLine | None] = []
    i = 0
    while i < len(lines):
        run, i_next = _orphan_run(lines, i)
        if len(run) > 1:
            out.append(_merge_run(run))
        elif not _is_orphan(run[0]):
            out.append(run[0])
        i = i_next
    return out


def _orphan_run(lines: list[WorkLine | None], i: int) -> tuple[list[WorkLine], int]:
    run = [lines[i]]
    if lines[i] is None or _is_orphan(lines[i]):
        return run, i + 1
    j = i + 1
    while True:
        k = _skip_blank(lines, j)
        m = _skip_blank(lines, k + 1)
        if k < len(lines) and m < len(lines) and _is_orphan(lines[k]) and not _is_orphan(lines[m]):
            run += [lines[k], lines[m]]
            j = m + 1
        else:
            return run, j


def _merge_run(run: list[WorkLine]) -> WorkLine:
    """One line from a run `L0, mark, L1, mark, L2`. Lines in reverse vertical order end in
    the words their marks belong to (L2 L1 L0 reads on); lines emitted word by word right to
    left start with them, and read on once the joined line is reversed as a whole."""
    texts, marks = run[::2], [r.tracked.text for r in run[1::2]]
    # Where the lines themselves came bottom to top, putting them back settles their order:
    # their junctions are no run edges for the word order to undo.
    junction = "  "
    if all(_TAKES_TANWEEN.search(t.tracked.text) for t in texts[1:]):
        order = list(range(len(texts) - 1, -1, -1))
        mark_of = {n: (marks[n - 1], False) for n in range(1, len(texts))}
        junction = " "
    elif all(_TAKES_TANWEEN.search(t.tracked.text.split()[0]) for t in texts[1:]):
        order = list(range(len(texts)))
        mark_of = {n: (marks[n - 1], True) for n in range(1, len(texts))}
    else:
        order = list(range(len(texts)))
        mark_of = {n: (marks[n], False) for n in range(len(marks))}

    def marked(text: str, n: int) -> str:
        if n not in mark_of:
            return text
        mark, on_first = mark_of[n]
        return re.sub(r"^(\s*\S+)", lambda m: m.group(1) + mark, text) if on_first else text.rstrip() + mark

    parts = [apply(texts[n].tracked, "orphan-mark", marked(texts[n].tracked.text, n)) for n in order]
    merged = join(parts)
    if order[0] != 0:
        before = " ".join(t.tracked.text for t in texts)
        merged = Tracked(merged.text, merged.edits + (Edit("orphan-reorder", 0, len(merged.text), before, merged.text),))
    gapped = junction.join(marked(texts[n].gapped, n).strip() for n in order)
    length = sum(t.length for t in texts) + len(texts) - 1
    return replace(texts[order[0]], tracked=merged, gapped=gapped, length=length)


def _skip_blank(lines: list[WorkLine | None], j: int) -> int:
    while j < len(lines) and lines[j] is None:
        j += 1
    return j


def move_list_number(text: str) -> str:
    """"… للتجزئة . 1" -> "1. … للتجزئة"; a doubled final stop keeps one."""
    match = _TRAILING_NUMBER.match(text)
    if not match:
        return text
    number = match.group("a") or match.group("b")
    body = match.group("body").rstrip()
    return f"{number}. {body}"


def _numbered_reading(
    gapped: str, table, lexicon: Lexicon | None, local: WordPairs, before: str | None, after: str | None, short: bool,
    whole: frozenset[str],
) -> Reading | None:
    """A numbered item read backwards, its number moved after the line's last run:
    "حديد . 5 سكة  خط ..." is item 5, "5. ... خط سكة حديد"."""
    match = _NUMBER_INSIDE.match(gapped.strip())
    if not match:
        return None
    rest = f"{match.group('head')}  {match.group('tail')}"
    reading = best_reading(rest, table, lexicon, local, None, after, short, whole)
    as_is = best_reading(gapped, table, lexicon, local, before, after, short, whole)
    # Scored against the line as it stands, with the marker's odd place as evidence.
    return Reading(f"{match.group('n')}. {reading.text}", reading.score + NUMBER_PRIOR, as_is.base, reading.runs + 1)


def reorder_line(
    line: WorkLine, lexicon: Lexicon | None, before: str | None, after: str | None, local: WordPairs, short: bool,
    whole: frozenset[str] = frozenset(),
) -> tuple[WorkLine, bool | None]:
    """Put a line emitted in visual order back in reading order. Returns the line and True
    (reordered), False (kept) or None (the evidence was too close to call). A ``short`` line
    (well under the document's usual width) most likely ends a paragraph, so with a stop."""
    if not _shows_damage(line.gapped, lexicon, whole):
        return line, False
    table = load_table()
    readings = [best_reading(line.gapped, table, lexicon, local, before, after, short, whole)]
    if readings[0].runs == 1:
        readings = []
    numbered = _numbered_reading(line.gapped, table, lexicon, local, before, after, short, whole)
    if numbered is not None:
        readings.append(numbered)
    if not readings:
        return line, False
    best = max(readings, key=lambda r: r.gain)
    gaps = [p.gap for p in pieces(line.gapped, lexicon, whole)[:-1]]
    # A line whose every gap is wide was set word by word: the layout itself is evidence.
    full = FULL_GAP_PRIOR if gaps and sum(g == WIDE for g in gaps) >= FULL_GAP_SHARE * len(gaps) else 0.0
    best = Reading(best.text, best.score + full, best.base, best.runs)
    if best.gain >= REORDER_MARGIN and best.text != line.tracked.text:
        return replace(line, tracked=apply(line.tracked, "reversed-line", best.text, whole=True)), True
    return line, None if best.gain >= REORDER_MARGIN / 2 and best.runs > 1 else False


def _shows_damage(gapped: str, lexicon: Lexicon | None, whole: frozenset[str] = frozenset()) -> bool:
    """Whether the line's layout shows a run edge at all: a wide gap, two things glued that
    a run edge would glue, or a list number inside the line. Lines without one are taken
    as they stand, which protects clean text."""
    # Dashes and lone commas are no words: the share is of the tokens with letters.
    words = [w for w in gapped.split() if _HAS_LETTER.search(w)]
    if len(words) < 2 or sum(1 for w in words if _ARABIC_WORD.search(w)) < ARABIC_SHARE * len(words):
        return False
    if _NUMBER_INSIDE.match(gapped.strip()):
        return True
    return any(
        p.gap in (WIDE, SPLIT) or (p.gap == GLUED and _LEADING_STOP.match(p.text)) for p in pieces(gapped, lexicon, whole)
    )


def repair_lines(
    lines: list[WorkLine | None], issues: list[Issue], lexicon: Lexicon | None = None
) -> list[WorkLine | None]:
    lines = rejoin_orphan_marks(lines)
    lines = [
        l if l is None else replace(l, tracked=apply(l.tracked, "list-number", move_list_number(l.tracked.text)))
        for l in lines
    ]
    out: list[WorkLine | None] = []
    counts = Counter(t for l in lines if l is not None for t in l.gapped.split())
    whole = frozenset(t for t, n in counts.items() if n > 1)
    suspect = [l is not None and _shows_damage(l.gapped, lexicon, whole) for l in lines]
    # The document's own lines that show no sign of reversal teach its vocabulary's order.
    local = word_pairs(l.tracked.text for l, s in zip(lines, suspect) if l is not None and not s)
    widths = sorted(len(l.tracked.text) for l in lines if l is not None)
    usual = widths[len(widths) // 2] if widths else 0
    for i, line in enumerate(lines):
        # PDF lines come in order from the layout; only text files carry this damage.
        if line is None or line.block is not None:
            out.append(line)
            continue
        # The line before is already repaired; the line after is context only when it is
        # not itself a candidate for reversal (its first word may really be its last).
        before = next((l.tracked.text for l in reversed(out) if l is not None), None)
        j = next((k for k in range(i + 1, len(lines)) if lines[k] is not None), None)
        after = lines[j].tracked.text if j is not None and not suspect[j] else None
        fixed, verdict = reorder_line(
            line, lexicon, before.split()[-1] if before else None, after.split()[0] if after else None, local,
            short=len(line.tracked.text) < SHORT_LINE_SHARE * usual, whole=whole,
        )
        if verdict is None:
            issues.append(Issue(line.ref, "repair-word-order", "line may be in reversed word order; left as it was"))
        if verdict:
            # Put back in order, a numbered item's line can end in its moved number.
            fixed = replace(fixed, tracked=apply(fixed.tracked, "list-number", move_list_number(fixed.tracked.text)))
        out.append(fixed)
    return out
