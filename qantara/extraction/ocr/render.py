"""Render PDF pages to grayscale images for OCR (pypdfium2, which pdfplumber already depends on).

PDFium is not thread-safe: two documents rendered from two threads at once crash the process
(damaged files most of all). Every PDFium call here holds one lock for the process, and
nothing is left for PDFium's finalizers to free later from another thread.

Each page is first drawn small: a page with no ink is reported blank in milliseconds and never
reaches Tesseract. Others are drawn at the OCR resolution, scaled down to ``max_pixels``; a
page that would then be too coarse to read is refused.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ...errors import UnreadableDocument

DEFAULT_DPI = 300
DEFAULT_MAX_PIXELS = 40_000_000
# The probe that decides whether a page is blank: fine enough that a 4-point digit in light
# gray leaves a few pixels of ink (tested over a grid of sizes, grays, scripts and pages),
# on pages up to 19 x 19 inches; larger ones are probed coarser.
_PROBE_DPI = 150
_PROBE_PIXELS = 8_000_000
# Ink: at least this many gray levels off the paper (the commonest level), darker or lighter
# (white text on a dark page); over five standard deviations of a scanner's paper noise.
_INK_CONTRAST = 32
# Fewer ink pixels than this are specks, not a mark anyone made.
_MIN_INK_PIXELS = 3
# Below this resolution body text is a few pixels high and OCR reads nothing useful.
MIN_OCR_DPI = 72
_PDFIUM = threading.Lock()


@dataclass(frozen=True)
class PageImage:
    number: int  # 1-based
    image: object  # grayscale PIL image; None when the page is not to be read (see ``problem``)
    width: float  # page size in PDF points
    height: float
    dpi: float
    # None, "blank" (no ink), "too-large" (over max_pixels even at MIN_OCR_DPI) or
    # "unrenderable" (PDFium could not load the page)
    problem: str | None = None


def render_pages(path: Path, numbers: list[int], dpi: float = DEFAULT_DPI,
                 max_pixels: int = DEFAULT_MAX_PIXELS) -> Iterator[PageImage]:
    """Grayscale images of the given pages, one at a time (the caller hands them to OCR
    workers); blank and oversized pages come back without an image."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            raise UnreadableDocument(path, f"pages that need OCR cannot be drawn ({exc})") from None
    try:
        for number in numbers:
            with _PDFIUM:  # released before each yield: the caller may take its time
                image, width, height, used, problem = _render(document, number, dpi, max_pixels)
            yield PageImage(number, image, width, height, used, problem)
    finally:
        with _PDFIUM:
            document.close()


def fitting_dpi(width: float, height: float, dpi: float, max_pixels: int) -> float:
    """``dpi``, or less where a ``width`` x ``height`` point page would exceed ``max_pixels``
    (counting the row and column PDFium may round up to)."""
    w, h = max(width, 1.0) / 72, max(height, 1.0) / 72  # inches
    # (w d + 1)(h d + 1) = max_pixels, solved for d.
    fit = (-(w + h) + ((w + h) ** 2 + 4 * w * h * (max_pixels - 1)) ** 0.5) / (2 * w * h)
    return min(dpi, fit)


def _render(document, number: int, dpi: float, max_pixels: int):
    """(image or None, width, height, dpi used, problem) of one page; called with the PDFium
    lock held."""
    import pypdfium2 as pdfium

    try:
        page = document[number - 1]
    except pdfium.PdfiumError:
        return None, 0.0, 0.0, dpi, "unrenderable"
    try:
        width, height = (float(v) for v in page.get_size())
        probe_dpi = fitting_dpi(width, height, _PROBE_DPI, _PROBE_PIXELS)
        if is_blank(_draw(page, probe_dpi)):
            return None, width, height, probe_dpi, "blank"
        used = fitting_dpi(width, height, dpi, max_pixels)
        if used < MIN_OCR_DPI:
            return None, width, height, used, "too-large"
        return _draw(page, used), width, height, used, None
    finally:
        page.close()


def _draw(page, dpi: float):
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    try:
        # A copy: the bitmap's own image shares PDFium's buffer, freed just below.
        return bitmap.to_pil().copy()
    finally:
        bitmap.close()


def is_blank(image) -> bool:
    """Whether a grayscale page image has no ink: nothing off the paper's gray."""
    histogram = image.histogram()
    paper = max(range(256), key=histogram.__getitem__)
    ink = sum(histogram[:max(0, paper - _INK_CONTRAST + 1)]) + sum(histogram[paper + _INK_CONTRAST:])
    return ink < _MIN_INK_PIXELS
