"""Lines into paragraphs: hard wraps join, headings and list items stand alone, page numbers go."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Protocol, Sequence

from ..layout.blocks import is_page_number

_LIST_ITEM = re.compile(
    r"^(?:[-•*·▪◦●■–]\s|\(?[0-9٠-٩]{1,3}[.)\-–]\s|\([0-9٠-٩]{1,3}\)\s?|\[[0-9٠-٩]+\]\s"
    r"|(?:[a-zA-Z]|[\u0621-\u064a])[.)]\s)"
)
# Extractors that lose a bullet glyph often leave an indented number in its place.
_INDENTED_NUMBER = re.compile(r"^\s+[0-9٠-٩]{1,2}\s")
# “ closes a quotation in right-to-left text as often as ” does.
_TERMINAL = re.compile(r"[.!?؟:؛…»”“\"')\]]\s*$")
_CLAUSE_END = re.compile(r"[.!?؟،,;؛]\s*$")

# A document whose long lines stay under this many characters was hard-wrapped.
WRAPPED_WIDTH = 250
# A line this fraction of the wrap width or longer may continue on the next line.
FULL_LINE = 0.55
FULL_SENTENCE_LINE = 0.95
HEADING_CHARS = 70
HEADING_WORDS = 10
# See page_gaps.
SEPARATING_BLANKS = 1.5
MARKED_BREAKS = 0.25
SHORT_LINE = 0.8


def is_list_item(text: str, raw: str | None = None) -> bool:
    return bool(_LIST_ITEM.match(text)) or bool(raw and _INDENTED_NUMBER.match(raw))


def ends_sentence(text: str) -> bool:
    return bool(_TERMINAL.search(text))


def wrap_width(lengths: list[int]) -> int:
    """The width of a full line: the 90th percentile of line lengths."""
    if not lengths:
        return 0
    ordered = sorted(lengths)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]


def continues(line: str, following: str, following_raw: str, width: int) -> bool:
    """Whether `following` carries on the paragraph `line` belongs to (a hard wrap)."""
    if width == 0 or width > WRAPPED_WIDTH:
        return False
    if is_list_item(following, following_raw) or is_page_number(following):
        return False
    # A sentence can end exactly where the wrap falls; only a line filled nearly to the wrap
    # width says the paragraph went on (a paragraph's last line is seldom that full).
    needed = FULL_SENTENCE_LINE if ends_sentence(line) else FULL_LINE
    return len(line) >= needed * width


def kind(text: str, raw: str, joined_lines: int) -> str:
    if is_list_item(text, raw):
        return "list-item"
    if (
        joined_lines == 1
        and len(text) <= HEADING_CHARS
        and len(text.split()) <= HEADING_WORDS
        and not _CLAUSE_END.search(text)
    ):
        return "heading"
    return "body"


class _Laid(Protocol):
    length: int  # the line's laid-out length


@dataclass(frozen=True)
class PageGaps:
    """The blank lines of a page: how many stand before each text line, how many mark a
    paragraph break (None: no count does), and whether such gaps mark every break."""

    before: dict[int, int]
    breaks_at: int | None
    mark_breaks: bool

    def breaks_before(self, k: int) -> bool:
        return self.breaks_at is not None and self.before.get(k, 0) >= self.breaks_at


def page_gaps(lines: Sequence[_Laid | None], width: int) -> PageGaps:
    """Read a page's blank lines (None in `lines`). Gaps as common as the commonest (within
    SEPARATING_BLANKS times) are a line's ordinary spacing: seed 001 has no blank line after
    about half its lines and one after the rest, and generated text one after every line.
    A larger gap is a paragraph break. Such gaps mark every break when there are at least
    MARKED_BREAKS as many of them as lines ending short of the wrap width, which only a
    paragraph's last line does (generated documents: 0.38 and up; seed 001, whose double
    blank lines fall between sections, 0.07)."""
    before: dict[int, int] = {}
    blank, seen = 0, False
    for k, line in enumerate(lines):
        if line is None:
            blank += 1
            continue
        if seen:
            before[k] = blank
        blank, seen = 0, True
    counts = Counter(before.values())
    if not counts:
        return PageGaps(before, None, False)
    usual = max(counts, key=lambda g: (counts[g], -g))
    ordinary = max(g for g in counts if g <= usual or SEPARATING_BLANKS * counts[g] >= counts[usual])
    if not any(g > ordinary for g in counts):
        return PageGaps(before, None, False)
    marked = sum(n for g, n in counts.items() if g > ordinary)
    short = sum(1 for line in lines if line is not None and line.length < SHORT_LINE * width)
    return PageGaps(before, ordinary + 1, marked >= MARKED_BREAKS * short)
