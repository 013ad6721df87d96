"""Segmentation: paragraphs into sentence segments, each with its glossary names and the page
and line it starts on.

Sentences end at ؟ ! . ؛ … (and ? ;) followed by white space, after any closing brackets,
quotes and footnote markers such as ``[1]``. Nothing inside brackets or quotes is split, a
full stop between digits is a decimal point, and a single letter before a full stop is an
abbreviation or an initial (د. for doctor, م. for the Gregorian year).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Collection, Protocol, Sequence

from .types import Document, Flag, GlossaryHit, Paragraph, Segment

_TERMINALS = frozenset(".!?؟؛;…")
_OPENERS = {"(": ")", "[": "]", "{": "}", "«": "»", "“": "”", "‹": "›"}
_CLOSERS = frozenset(_OPENERS.values())
# Trailing material that belongs to the sentence it follows: closing brackets and quotes,
# and footnote references like [12] or (3).
_TRAILER = re.compile(r"""(?:[)\]}»”›"']|\[\d{1,3}\]|\(\d{1,3}\))*""")
_SPACE = re.compile(r"\s+")
# "1." or "٣." opening a list item is its marker, not a sentence.
_LIST_MARKER = re.compile(r"^[0-9٠-٩]{1,3}$")


def _is_abbreviation(text: str, dot: int) -> bool:
    """A lone letter before a full stop (an initial, or د. / م. / ص.)."""
    if text[dot] != ".":
        return False
    before = text[max(0, dot - 2) : dot]
    return len(before) >= 1 and before[-1].isalpha() and (len(before) == 1 or not before[0].isalpha())


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences; the pieces joined with spaces give it back."""
    text = _SPACE.sub(" ", paragraph).strip()
    if not text:
        return []
    sentences: list[str] = []
    stack: list[str] = []
    in_ascii_quote = False
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in _OPENERS:
            stack.append(_OPENERS[ch])
        elif ch in _CLOSERS and stack and stack[-1] == ch:
            stack.pop()
        elif ch == '"':
            in_ascii_quote = not in_ascii_quote
        elif ch in _TERMINALS and not stack and not in_ascii_quote:
            end = i + 1
            while end < n and text[end] in _TERMINALS:  # "؟!" or "..."
                end += 1
            end = _TRAILER.match(text, end).end()
            decimal = ch == "." and 0 < i < n - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
            marker = ch == "." and _LIST_MARKER.match(text[start:i].strip()) is not None
            if (end == n or text[end] == " ") and not (decimal or marker or _is_abbreviation(text, i)):
                sentences.append(text[start:end].strip())
                start = end
            i = end
            continue
        i += 1
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


class NameFinder(Protocol):
    def find(self, text: str) -> list[GlossaryHit]: ...


def _sentence_starts(text: str, sentences: Sequence[str]) -> list[int]:
    """Where each sentence starts in the paragraph text it was cut from."""
    starts, cursor = [], 0
    for sentence in sentences:
        first = sentence.split(" ", 1)[0]
        found = text.find(first, cursor)
        starts.append(found if found >= 0 else cursor)
        cursor = starts[-1] + len(first)
    return starts


def segment_paragraphs(
    paragraphs: Sequence[Paragraph], names: NameFinder | None, partial: Collection[int] = (),
) -> tuple[Segment, ...]:
    """Cut paragraphs into sentence segments, each with its glossary names, the page and line
    it starts on, its paragraph's flags and OCR flags, and a ``partial-page:<n>`` flag where
    the paragraph lies on one of the ``partial`` pages (data lost in a damaged stream)."""
    segments = []
    for paragraph in paragraphs:
        flags = paragraph.flags
        # A reviewer must check OCR'd text against the page: say so, with Tesseract's
        # confidence in the paragraph's least sure line, so the weak ones stand out.
        confidence = paragraph.ocr_confidence
        if confidence is not None:
            flags += (Flag.OCR.value, Flag.OCR_CONFIDENCE.with_detail(f"{confidence:.0f}"))
        pages = {line.ref.page for line in paragraph.lines} or ({paragraph.ref.page} if paragraph.ref else set())
        flags += tuple(Flag.PARTIAL_PAGE.with_detail(n) for n in sorted(pages & set(partial)))
        sentences = split_sentences(paragraph.text)
        for k, (sentence, start) in enumerate(zip(sentences, _sentence_starts(paragraph.text, sentences))):
            hits = tuple(names.find(sentence)) if names is not None and paragraph.language == "ar" else ()
            line = paragraph.line_at(start)
            segments.append(
                Segment(
                    id=f"p{paragraph.index + 1}s{k + 1}",
                    paragraph=paragraph.index,
                    arabic=sentence,
                    language=paragraph.language,
                    glossary=hits,
                    flags=flags,
                    ref=line.ref if line is not None else paragraph.ref,
                )
            )
    return tuple(segments)


def segment_document(document: Document, names: NameFinder | None) -> Document:
    partial = {i.ref.page for i in document.issues if i.code == Flag.PARTIAL_PAGE}
    return replace(document, segments=segment_paragraphs(document.paragraphs, names, partial))
