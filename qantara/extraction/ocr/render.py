"""Render PDF pages to PNG for OCR (pypdfium2, which pdfplumber already depends on).

PDFium is not thread-safe: two documents rendered from two threads at once crash the process
(damaged files most of all). Every PDFium call here holds one lock for the process, and
nothing is left for PDFium's finalizers to free later from another thread.

Each page is first drawn small: a page with no ink is reported blank in milliseconds and never
reaches Tesseract. Others are drawn at the OCR resolution, scaled down to ``max_pixels``; a
page that would then be too coarse to read is refused.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

DEFAULT_DPI = 300
DEFAULT_MAX_PIXELS = 40_000_000
# The probe that decides whether a page is blank: fine enough that 4-point text leaves ink.
_PROBE_DPI = 100
_PROBE_PIXELS = 2_000_000
# Ink: at least this many gray levels off the paper (the commonest level), darker or lighter
# (white text on a dark page).
_INK_CONTRAST = 64
# Less ink than a small letter (2 mm², 0.0031 square inches) is no text.
_MIN_INK_SQUARE_INCHES = 0.0031
# Below this resolution body text is a few pixels high and OCR reads nothing useful.
MIN_OCR_DPI = 72
_PDFIUM = threading.Lock()


@dataclass(frozen=True)
class PageImage:
    number: int  # 1-based
    png: bytes  # empty when the page is not to be read (see ``problem``)
    width: float  # page size in PDF points
    height: float
    dpi: float
    # None, "blank" (no ink) or "too-large" (over max_pixels even at MIN_OCR_DPI)
    problem: str | None = None


def render_pages(path: Path, numbers: list[int], dpi: float = DEFAULT_DPI,
                 max_pixels: int = DEFAULT_MAX_PIXELS) -> Iterator[PageImage]:
    """Grayscale PNGs of the given pages, one at a time (the caller hands them to OCR
    workers); blank and oversized pages come back without an image."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        document = pdfium.PdfDocument(str(path))
    try:
        for number in numbers:
            with _PDFIUM:
                page = document[number - 1]
                try:
                    width, height = (float(v) for v in page.get_size())
                    image, used, problem = _render_page(page, width, height, dpi, max_pixels)
                finally:
                    page.close()
            yield PageImage(number, encode_png(image) if image is not None else b"", width, height, used, problem)
    finally:
        with _PDFIUM:
            document.close()


def fitting_dpi(width: float, height: float, dpi: float, max_pixels: int) -> float:
    """``dpi``, or less where a ``width`` x ``height`` point page would exceed ``max_pixels``."""
    area = max(width, 1.0) * max(height, 1.0) / (72 * 72)  # square inches
    return min(dpi, (max_pixels / area) ** 0.5)


def _render_page(page, width: float, height: float, dpi: float, max_pixels: int):
    """(image or None, dpi used, problem); called with the PDFium lock held."""
    probe_dpi = fitting_dpi(width, height, _PROBE_DPI, _PROBE_PIXELS)
    if is_blank(_draw(page, probe_dpi), probe_dpi):
        return None, probe_dpi, "blank"
    used = fitting_dpi(width, height, dpi, max_pixels)
    if used < MIN_OCR_DPI:
        return None, used, "too-large"
    return _draw(page, used), used, None


def _draw(page, dpi: float):
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    try:
        # A copy: the bitmap's own image shares PDFium's buffer, freed just below.
        return bitmap.to_pil().copy()
    finally:
        bitmap.close()


def is_blank(image, dpi: float) -> bool:
    """Whether a grayscale page image holds less ink than a small letter."""
    histogram = image.histogram()
    paper = max(range(256), key=histogram.__getitem__)
    ink = sum(histogram[:max(0, paper - _INK_CONTRAST + 1)]) + sum(histogram[paper + _INK_CONTRAST:])
    return ink < _MIN_INK_SQUARE_INCHES * dpi * dpi


def encode_png(image) -> bytes:
    """A PIL image as PNG bytes, what Tesseract reads on stdin."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
