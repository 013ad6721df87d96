"""Plain-text sides: the repaired Arabic and the English, one paragraph each, blank-line separated."""

from __future__ import annotations

from collections import defaultdict

from ..types import Document, Segment

UNTRANSLATED = "[untranslated]"


def english_paragraphs(doc: Document) -> list[str]:
    """English for every paragraph of the document, in order (one per Arabic paragraph)."""
    by_paragraph: dict[int, list[Segment]] = defaultdict(list)
    for seg in doc.segments:
        by_paragraph[seg.paragraph].append(seg)
    out = []
    for paragraph in doc.paragraphs:
        parts = [seg.english if seg.english else UNTRANSLATED for seg in by_paragraph[paragraph.index]]
        out.append(" ".join(parts) if parts else UNTRANSLATED)
    return out


def render_arabic_text(doc: Document) -> str:
    return "\n\n".join(p.text for p in doc.paragraphs) + "\n"


def render_english_text(doc: Document) -> str:
    return "\n\n".join(english_paragraphs(doc)) + "\n"
