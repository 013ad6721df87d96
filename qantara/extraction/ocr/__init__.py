"""OCR fallback for PDF pages without a usable text layer (Tesseract, Arabic + English).

Pages are rendered one at a time in the calling thread and read in a small thread pool, each
page several times over (:mod:`qantara.extraction.ocr.page`, :mod:`qantara.extraction.ocr.vote`), never with more
Tesseract processes at once than there are cores; each page's words become lines through the
same layout code as text-layer pages, then the lines are post-corrected
(:mod:`qantara.extraction.ocr.correct`).
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ...layout.blocks import PlacedLine
from .correct import correct_lines
from .geometry import skew, straightened
from .layout import page_lines
from .render import DEFAULT_DPI, DEFAULT_MAX_PIXELS, MIN_OCR_DPI, PageImage, render_pages
from .page import read_page_words
from .tesseract import LANGUAGES, OcrWord, tesseract_problem

DEFAULT_WORKERS = 2

__all__ = ["DEFAULT_DPI", "DEFAULT_MAX_PIXELS", "DEFAULT_WORKERS", "MIN_OCR_DPI", "OcrResult", "ocr_pages",
           "read_image", "tesseract_problem"]


@dataclass(frozen=True)
class OcrResult:
    number: int
    width: float  # PDF points
    height: float
    lines: list[PlacedLine]  # reading order, post-corrected
    confidence: float  # mean word confidence, 0-100
    words: int
    problem: str | None = None  # "blank", "too-large" or "unrenderable": not read (see render)
    dpi: float = DEFAULT_DPI


def ocr_pages(
    path: Path,
    numbers: list[int],
    *,
    dpi: int = DEFAULT_DPI,
    workers: int = DEFAULT_WORKERS,
    languages: str = LANGUAGES,
    correct: bool = True,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> Iterator[OcrResult]:
    """OCR the given pages of a PDF, in page order, at most ``workers`` at a time. Blank
    pages, and pages over ``max_pixels`` even at the lowest readable resolution, are not
    read: their results carry the problem."""
    lexicon = _lexicon()
    hints: list[tuple[float, float]] = []
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="qantara-ocr") as pool:
        pending: deque[tuple[PageImage, Future[list[OcrWord]]]] = deque()
        for image in render_pages(Path(path), numbers, dpi, max_pixels):
            words = pool.submit(_read, image, languages, lexicon) if image.image is not None else _none()
            pending.append((image, words))
            # Bound the rendered images held in memory on long scans.
            while len(pending) > 2 * max(1, workers):
                yield _result(*_take(pending), correct, hints)
        while pending:
            yield _result(*_take(pending), correct, hints)


def _none() -> Future[list[OcrWord]]:
    future: Future[list[OcrWord]] = Future()
    future.set_result([])
    return future


def _take(pending: deque) -> tuple[PageImage, list[OcrWord]]:
    image, future = pending.popleft()
    return image, future.result()


def read_image(image: PageImage, languages: str = LANGUAGES, correct: bool = True) -> OcrResult:
    """OCR one rendered page (no pool): for tests and single images."""
    return _result(image, _read(image, languages, _lexicon()), correct, [])


def _read(page: PageImage, languages: str, lexicon) -> list[OcrWord]:
    """The page's words, in the pixels of the page turned straight (the lines then run level
    for layout as for the line crops)."""
    image = straightened(page.image, skew(page.image))
    return read_page_words(image, page.dpi, languages, lexicon)


def _result(image: PageImage, words: list[OcrWord], correct: bool, hints: list[tuple[float, float]]) -> OcrResult:
    """The page's lines in reading order; the columns found on it join ``hints`` for the
    pages after it."""
    lines, gutters = page_lines(words, 72.0 / image.dpi, hints)
    hints.extend(g for g in gutters if g not in hints)
    if correct:
        lines = correct_lines(lines, _lexicon())
    confidences = [w.confidence for w in words if w.confidence >= 0]
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return OcrResult(image.number, image.width, image.height, lines, round(mean, 1), len(words),
                     image.problem, image.dpi)


def _lexicon():
    """The Arabic lexicon, or None (post-correction then keeps to the rules that need none)."""
    from ...arabic.lexicon import default_lexicon

    return default_lexicon()[0]
