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
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="qantara-ocr") as pool:
        pending: deque[tuple[PageImage, Future[list[OcrWord]]]] = deque()
        for image in render_pages(Path(path), numbers, dpi, max_pixels):
            words = pool.submit(read_page_words, image.png, languages, lexicon) if image.png else _none()
            pending.append((image, words))
            # Bound the rendered images held in memory on long scans.
            while len(pending) > 2 * max(1, workers):
                yield _result(*_take(pending), correct)
        while pending:
            yield _result(*_take(pending), correct)


def _none() -> Future[list[OcrWord]]:
    future: Future[list[OcrWord]] = Future()
    future.set_result([])
    return future


def _take(pending: deque) -> tuple[PageImage, list[OcrWord]]:
    image, future = pending.popleft()
    return image, future.result()


def read_image(image: PageImage, languages: str = LANGUAGES, correct: bool = True) -> OcrResult:
    """OCR one rendered page (no pool): for tests and single images."""
    return _result(image, read_page_words(image.png, languages, _lexicon()), correct)


def _result(image: PageImage, words: list[OcrWord], correct: bool) -> OcrResult:
    scale = 72.0 / image.dpi
    lines = page_lines(words, scale, image.width)
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
