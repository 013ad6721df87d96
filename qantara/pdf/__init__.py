"""Glyph-level PDF extraction in logical reading order (see :func:`extract_pdf`)."""

from .reader import extract_pdf

__all__ = ["extract_pdf"]
