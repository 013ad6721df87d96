"""The clean/repair stage: extracted lines in, repaired paragraphs and their changes out."""

from __future__ import annotations

from .pipeline import repair_document

# The kinds of change the repair steps record, in the order they run: the repair's part of
# the signature (tests check that every kind the code records is listed).
STEPS = ("presentation-form", "tatweel", "doubled-glyph", "whitespace", "list-number", "reversed-line",
         "orphan-mark", "orphan-reorder", "vertical-order", "mirrored-bracket", "lost-glyph", "split-word")

__all__ = ["STEPS", "repair_document"]
