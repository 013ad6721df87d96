"""Documents whose format knows its paragraphs (Word, OpenDocument, web pages, EPUB).

Their text is already in logical order and cut into paragraphs; there are no pages. Each
reader yields :class:`Block` s (one paragraph each, with the part of the file it came from
and its declared direction) and :func:`build_document` makes them the same
:class:`ExtractedDocument` every reader produces: one page without a number, one line per
paragraph with a block id of its own (so the repair never joins or splits paragraphs), lines
numbered by paragraph, the part in each line's :class:`SourceRef`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..config import Settings
from ..errors import LimitExceeded, UnreadableDocument
from ..types import ExtractedDocument, Issue, PageText, SourceRef, TextLine
from ..arabic.direction import direction as text_direction
from .text import cut_line

# Line breaks, tabs and runs of spaces inside a paragraph are layout, not text. No-break
# spaces and the zero-width joiners are kept: they are the author's.
_LAYOUT_SPACE = re.compile(r"[ \t\r\n\f\v]+")


@dataclass(frozen=True)
class Block:
    """One paragraph as a format holds it."""

    text: str
    part: str  # "body", "table", "text box", "header", "footer", "footnote 2", "chapter 3"…
    direction: str | None = None  # "rtl"/"ltr" as the document declares it; None: from the text


def build_document(path: Path, kind: str, blocks: Iterable[Block], settings: Settings, *,
                   encoding: str | None = None, metadata: tuple[tuple[str, str], ...] = ()) -> ExtractedDocument:
    """The paragraphs of a structured document as an ExtractedDocument; raises
    UnreadableDocument when none has text, LimitExceeded over ``max_file_chars``."""
    lines: list[TextLine] = []
    issues: list[Issue] = []
    chars = number = 0
    for block in blocks:
        text = _LAYOUT_SPACE.sub(" ", block.text).strip()
        if not text:
            continue
        chars += len(text)
        if chars > settings.max_file_chars:
            raise LimitExceeded(path, f"more than the limit of {settings.max_file_chars:,} characters of text "
                                      f"(max_file_chars)", "max_file_chars")
        number += 1
        ref = SourceRef(path, None, number, block.part)
        direction = block.direction or text_direction(text)
        pieces = cut_line(text, settings.max_line_chars)
        if len(pieces) > 1:
            issues.append(Issue(ref, "line-cut", f"paragraph {number}: {len(text):,} characters, cut into "
                                                 f"{len(pieces)} lines of at most {settings.max_line_chars:,} "
                                                 f"(max_line_chars)"))
        # The pieces keep one block: the repair joins them back into one paragraph.
        lines.extend(TextLine(text=piece, ref=ref, block=number, direction=direction) for piece in pieces)
    if not lines:
        raise UnreadableDocument(path, "no text in it")
    return ExtractedDocument(path=path, kind=kind, pages=(PageText(number=1, lines=tuple(lines)),),
                             encoding=encoding, issues=tuple(issues), metadata=metadata)


def once(stories: Iterator[Iterator[Block]]) -> Iterator[Block]:
    """Blocks of several parts, a text repeated across them (a first-page header like the
    others) given once."""
    seen = set()
    for story in stories:
        for block in story:
            key = " ".join(block.text.split())
            if key and key not in seen:
                seen.add(key)
                yield block
