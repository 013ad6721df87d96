"""The clean/repair stage: extracted lines in, repaired paragraphs and their changes out."""

from __future__ import annotations

from .pipeline import repair_document

__all__ = ["repair_document"]
