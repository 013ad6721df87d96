"""Lines into paragraphs: hard wraps join, headings and list items stand alone, page numbers go."""

from __future__ import annotations

import re

from ..layout.blocks import is_page_number

_LIST_ITEM = re.compile(
    r"^(?:[-•*·▪◦●■–]\s|\(?[0-9٠-٩]{1,3}[.)\-–]\s|\([0-9٠-٩]{1,3}\)\s?|\[[0-9٠-٩]+\]\s"
    r"|(?:[a-zA-Z]|[\u0621-\u064a])[.)]\s)"
)
# Extractors that lose a bullet glyph often leave an indented number in its place.
_INDENTED_NUMBER = re.compile(r"^\s+[0-9٠-٩]{1,2}\s")
_TERMINAL = re.compile(r"[.!?؟:؛…»”\"')\]]\s*$")
_CLAUSE_END = re.compile(r"[.!?؟،,;؛]\s*$")

# A document whose long lines stay under this many characters was hard-wrapped.
WRAPPED_WIDTH = 250
# A line this fraction of the wrap width or longer may continue on the next line.
FULL_LINE = 0.55
FULL_SENTENCE_LINE = 0.95
HEADING_CHARS = 70
HEADING_WORDS = 10


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
