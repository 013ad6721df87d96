"""Glyph-level PDF reading in logical reading order (see :func:`read_pdf_pages`)."""

from .reader import OCR_PROBLEMS, PageLines, assemble, page_list, read_page, read_pdf_pages

__all__ = ["OCR_PROBLEMS", "PageLines", "assemble", "page_list", "read_page", "read_pdf_pages"]
