"""Render PDF pages to PNG for OCR (pypdfium2, which pdfplumber already depends on)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

DEFAULT_DPI = 300


@dataclass(frozen=True)
class PageImage:
    number: int  # 1-based
    png: bytes
    width: float  # page size in PDF points
    height: float
    dpi: int


def render_pages(path: Path, numbers: list[int], dpi: int = DEFAULT_DPI) -> Iterator[PageImage]:
    """Grayscale PNGs of the given pages, one at a time (PDFium is not thread-safe, so the
    caller renders in one thread and hands the images to OCR workers)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        for number in numbers:
            page = document[number - 1]
            try:
                width, height = page.get_size()
                image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            finally:
                page.close()
            yield PageImage(number, encode_png(image), float(width), float(height), dpi)
    finally:
        document.close()


def encode_png(image) -> bytes:
    """A PIL image as PNG bytes, what Tesseract reads on stdin."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
