"""Plain-text sides: the repaired Arabic and the English, one paragraph each, blank-line separated."""

from __future__ import annotations

from collections import defaultdict

from ..types import Bitext, TranslatedSegment

UNTRANSLATED = "[untranslated]"


def english_paragraphs(bitext: Bitext) -> list[str]:
    """English for every paragraph of the document, in order (one per Arabic paragraph)."""
    by_paragraph: dict[int, list[TranslatedSegment]] = defaultdict(list)
    for item in bitext.segments:
        by_paragraph[item.segment.paragraph].append(item)
    out = []
    for paragraph in bitext.paragraphs:
        parts = [item.english if item.english else UNTRANSLATED for item in by_paragraph[paragraph.index]]
        out.append(" ".join(parts) if parts else UNTRANSLATED)
    return out


def render_arabic_text(bitext: Bitext) -> str:
    return "\n\n".join(p.text for p in bitext.paragraphs) + "\n"


def render_english_text(bitext: Bitext) -> str:
    return "\n\n".join(english_paragraphs(bitext)) + "\n"
