"""Repairs across and within whole lines, before lines become paragraphs.

- A diacritic alone on a line (tanween the extractor pushed out of its word) rejoins the
  word it belongs to; such lines also came out in reverse order, which is undone.
- A list number the extractor moved to the end of its line (". 5") goes back to the start.
- A line whose words or space-separated pieces came out in reversed order is put back in
  order when the bigram model prefers the reversal by a clear margin.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..arabic.charsets import MARKS
from ..types import Issue
from .bigrams import WordPairs, load_table, word_pairs
from .chars import fold_presentation_forms
from .tatweel import strip_tatweel
from .track import Edit, Tracked, apply, join

if TYPE_CHECKING:
    from .pipeline import WorkLine

_MARKS_ONLY = re.compile(f"^[{MARKS}]+$")
# Tanween al-fath sits on a final alif, ta marbuta or alif maqsura.
_TAKES_TANWEEN = re.compile(r"[اةىء]$")
_SENTENCE_END = re.compile(r"[.!?؟:][\"'»”)]*$")
_TRAILING_NUMBER = re.compile(
    r"^(?P<body>.{20,}?)(?:\s+\.\s*(?P<a>[0-9٠-٩]{1,2})|(?<=\.)\.\s*(?P<b>[0-9٠-٩]{1,2}))\s*$"
)
_PIECE_GAP = re.compile(r"\s{2,}")
# Log-probability margin (nats) the reordered line must win by.
REORDER_MARGIN = 1.0
MIN_REORDER_WORDS = 3
MIN_GAPS = 2
# A short line needs only one gap: "المشترك.   العمل" is a two-word tail read backwards.
SHORT_LINE_WORDS = 4
PIECES_PENALTY = 2.0
STOP_PENALTY = 2.0
# A line shorter than this share of the document's median line is taken as a paragraph's last.
SHORT_LINE_SHARE = 0.5
# A line whose words are nearly all set apart by wide gaps was emitted word by word, right to
# left; clean justified lines have a few wide gaps at most. That layout is itself evidence.
FULL_GAP_SHARE = 0.8
FULL_GAP_PRIOR = 4.0
ARABIC_SHARE = 0.7
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{2}")
_NUMBER_AFTER_FIRST = re.compile(r"^(?P<first>\S+)\s+\.\s+(?P<n>[0-9٠-٩]{1,2})\s+(?P<rest>.+)$")


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
    texts, marks = run[::2], [r.tracked.text for r in run[1::2]]
    if all(_TAKES_TANWEEN.search(t.tracked.text) for t in texts[1:]):
        order = list(range(len(texts) - 1, -1, -1))
        mark_of = {n: marks[n - 1] for n in range(1, len(texts))}
    else:
        order = list(range(len(texts)))
        mark_of = {n: marks[n] for n in range(len(marks))}
    parts = [
        apply(texts[n].tracked, "orphan-mark", texts[n].tracked.text + mark_of[n]) if n in mark_of else texts[n].tracked
        for n in order
    ]
    merged = join(parts)
    if order[0] != 0:
        before = " ".join(t.tracked.text for t in texts)
        merged = Tracked(merged.text, merged.edits + (Edit("orphan-reorder", 0, len(merged.text), before, merged.text),))
    return replace(texts[order[0]], tracked=merged)


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


def _candidates(raw: str, words: list[str]) -> list[tuple[str, list[str]]]:
    found = [("words", words[::-1])]
    numbered = _NUMBER_AFTER_FIRST.match(" ".join(words))
    if numbered:
        # "حديد . 5 سكة خط ..." is item 5 read backwards with its number moved after
        # the first word: "5. ... خط سكة حديد".
        rest = numbered.group("rest").split()
        found.append(("numbered", [numbered.group("n") + "."] + rest[::-1] + [numbered.group("first")]))
    numbered_raw = _NUMBER_AFTER_FIRST.match(raw.strip())
    if numbered_raw:
        # The same with the item's pieces, not words, read backwards (seed 001: "إيران . 6
        # برنامج  تجاه ...  مع دول  التعاون  بحث موضوع").
        rest = [p.split() for p in _PIECE_GAP.split(numbered_raw.group("rest")) if p.strip()]
        flat = [numbered_raw.group("n") + "."] + [w for p in rest[::-1] for w in p] + [numbered_raw.group("first")]
        if any(len(p) > 1 for p in rest) and sorted(flat[1:]) == sorted(w for w in words if w not in (".", numbered_raw.group("n"))):
            found.append(("numbered-pieces", flat))
    pieces = [p.split() for p in _PIECE_GAP.split(raw.strip()) if p.strip()]
    flat = [w for p in pieces[::-1] for w in p]
    if len(pieces) > 2 and any(len(p) > 1 for p in pieces) and sorted(flat) == sorted(words):
        found.append(("pieces", flat))
    return found


def reorder_reversed(
    line: WorkLine, before: str | None, after: str | None, local: WordPairs | None = None,
    short: bool = False,
) -> tuple[WorkLine, bool | None]:
    """Put a reversed line back in order. Returns the line and True (reordered), False (kept)
    or None (the evidence was too close to call). A ``short`` line (well under the document's
    usual width) most likely ends a paragraph, so most likely ends with a full stop."""
    words = line.tracked.text.split()
    raw = _raw_with_gaps(line.raw)
    # A line emitted right to left keeps the wide gaps of its justification; without
    # them a line is taken as it stands, which protects clean text.
    if not _may_be_reversed(words, raw):
        return line, False
    table = load_table()

    def score(tokens: list[str]) -> float:
        context = ([before] if before else []) + tokens + ([after] if after else [])
        # A full stop inside a line usually ends a sentence that another one follows;
        # inside a two-piece jumble it is the clearest sign of the wrong order.
        stops = sum(1 for t in tokens[:-1] if _SENTENCE_END.search(t))
        ends = short and bool(_SENTENCE_END.search(tokens[-1]))
        return table.score(context, local) - STOP_PENALTY * stops + STOP_PENALTY * ends

    base = score(words)
    # Reversing whole pieces is the rarer damage, so it must also beat plain reversal.
    scored = [(score(tokens) - (PIECES_PENALTY if name == "pieces" else 0.0), tokens) for name, tokens in _candidates(raw, words)]
    best, best_tokens = max(scored, key=lambda c: c[0])
    gain = best - base + _gap_prior(words, raw)
    if gain >= REORDER_MARGIN:
        new = " ".join(best_tokens)
        return replace(line, tracked=apply(line.tracked, "reversed-line", new, whole=True)), True
    return line, None if gain >= REORDER_MARGIN / 2 else False


def _may_be_reversed(words: list[str], raw: str) -> bool:
    arabic = sum(1 for w in words if _ARABIC_WORD.search(w))
    gaps = len(_PIECE_GAP.findall(raw.strip()))
    if len(words) < 2 or arabic < ARABIC_SHARE * len(words):
        return False
    if len(words) <= SHORT_LINE_WORDS:
        return gaps >= 1
    return len(words) >= MIN_REORDER_WORDS and gaps >= MIN_GAPS


def _gap_prior(words: list[str], raw: str) -> float:
    gaps = len(_PIECE_GAP.findall(raw.strip()))
    if gaps < FULL_GAP_SHARE * (len(words) - 1):
        return 0.0
    # One gap between two words is thinner evidence than a whole line of them.
    return FULL_GAP_PRIOR if gaps >= MIN_GAPS else FULL_GAP_PRIOR / 2


def _raw_with_gaps(raw: str) -> str:
    return strip_tatweel(fold_presentation_forms(raw)).replace("\t", "  ")


def repair_lines(lines: list[WorkLine | None], issues: list[Issue]) -> list[WorkLine | None]:
    lines = rejoin_orphan_marks(lines)
    lines = [
        l if l is None else replace(l, tracked=apply(l.tracked, "list-number", move_list_number(l.tracked.text)))
        for l in lines
    ]
    out: list[WorkLine | None] = []
    suspect = [l is not None and _may_be_reversed(l.tracked.text.split(), _raw_with_gaps(l.raw)) for l in lines]
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
        fixed, verdict = reorder_reversed(
            line, before.split()[-1] if before else None, after.split()[0] if after else None, local,
            short=len(line.tracked.text) < SHORT_LINE_SHARE * usual,
        )
        if verdict is None:
            issues.append(Issue(line.ref, "repair-word-order", "line may be in reversed word order; left as it was"))
        if verdict:
            # Put back in order, a numbered item's line can end in its moved number.
            fixed = replace(fixed, tracked=apply(fixed.tracked, "list-number", move_list_number(fixed.tracked.text)))
        out.append(fixed)
    return out
