"""Extraction: turn a PDF, an image, a text file or a structured document into lines of text in
logical order.

PDFs are read glyph by glyph (:mod:`.pdf`), page by page; pages without a usable text layer
are read by OCR (:mod:`.ocr`), and so is every frame of an image (:mod:`.image`). Text
files are decoded with a detected encoding (:mod:`.text`). Both readers lay out lines with the same code (:mod:`qantara.layout`). Word, OpenDocument,
web pages and EPUB know their paragraphs (:mod:`.structured`): :mod:`.docx`, :mod:`.odt`,
:mod:`.html`, :mod:`.epub`, and legacy files through LibreOffice (:mod:`.legacy`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .. import progress
from ..config import Settings
from ..errors import UnreadableDocument
from ..types import ExtractedDocument, Issue, OcrPage, SourceRef
from .image import IMAGE_SUFFIXES, extract_image
from .ocr import MIN_OCR_DPI, ocr_pages, tesseract_problem
from .pdf import OCR_PROBLEMS, PageLines, assemble, page_list, read_pdf_pages
from .docx import extract_docx
from .epub import extract_epub
from .html import HTML_SUFFIXES, extract_html
from .legacy import LEGACY_SUFFIXES, extract_legacy
from .odt import extract_odt
from .text import TEXT_SUFFIXES, extract_text_file

PDF_SUFFIXES = frozenset({".pdf"})
# Formats that know their paragraphs (see .structured), by suffix.
DOCUMENT_READERS = {".docx": extract_docx, ".odt": extract_odt, ".epub": extract_epub,
                    **dict.fromkeys(HTML_SUFFIXES, extract_html), **dict.fromkeys(LEGACY_SUFFIXES, extract_legacy)}
SUPPORTED_SUFFIXES = PDF_SUFFIXES | TEXT_SUFFIXES | IMAGE_SUFFIXES | frozenset(DOCUMENT_READERS)

__all__ = ["IMAGE_SUFFIXES", "PDF_SUFFIXES", "SUPPORTED_SUFFIXES", "TEXT_SUFFIXES", "extract_document", "extract_pdf", "extract_text_file"]


def extract_document(path: Path, *, ocr: bool = True, settings: Settings | None = None) -> ExtractedDocument:
    """Read a PDF, image, text file or structured document (Word, OpenDocument, web page, EPUB) into
    an :class:`ExtractedDocument`, or raise UnreadableDocument
    (LimitExceeded for a file over one of the ``settings``' limits).

    ``ocr``: read images, and PDF pages without a usable text layer, with Tesseract (when
    installed)."""
    path = Path(path)
    settings = settings or Settings()
    if not path.exists():
        raise UnreadableDocument(path, "file not found")
    if not path.is_file():
        raise UnreadableDocument(path, "not a regular file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UnreadableDocument(path, f"unsupported file type {suffix or '(none)'!r}; supported: {supported}")
    if path.stat().st_size == 0:
        raise UnreadableDocument(path, "empty file (0 bytes)")
    if suffix in PDF_SUFFIXES:
        return extract_pdf(path, ocr=ocr, settings=settings)
    if suffix in IMAGE_SUFFIXES:
        if not ocr:
            raise UnreadableDocument(path, "an image is read by OCR, which is turned off (--no-ocr)")
        return extract_image(path, settings)
    if suffix in DOCUMENT_READERS:
        return DOCUMENT_READERS[suffix](path, settings)
    return extract_text_file(path, settings)


def extract_pdf(path: Path, *, ocr: bool = True, ocr_workers: int = 2, settings: Settings | None = None) -> ExtractedDocument:
    """Read a PDF; with ``ocr``, pages without a usable text layer are read by Tesseract."""
    path = Path(path)
    settings = settings or Settings()
    pages, issues = read_pdf_pages(path, settings)
    ocr_done: list[OcrPage] = []
    if ocr:
        pages, ocr_done = _read_by_ocr(path, pages, issues, ocr_workers, settings.max_page_pixels)
    return assemble(path, pages, issues, tuple(ocr_done))


def _read_by_ocr(
    path: Path, pages: list[PageLines], issues: list[Issue], workers: int, max_pixels: int
) -> tuple[list[PageLines], list[OcrPage]]:
    """Replace pages without usable text by their OCR reading. Without Tesseract, a document
    with no text at all is unreadable (saying why); otherwise its text pages go on and each
    page that needed OCR gets an issue."""
    wanted = [p.number for p in pages if p.problem in OCR_PROBLEMS]
    if not wanted:
        return pages, []
    missing = tesseract_problem()
    if missing is not None:
        message = f"{page_list(wanted)} need{'s' if len(wanted) == 1 else ''} OCR but {missing}"
        if not any(p.lines for p in pages if p.problem is None):
            raise UnreadableDocument(path, message, pages=tuple(wanted))
        issues.extend(Issue(SourceRef(path, n), "page-needs-ocr", f"page {n}: needs OCR but {missing}") for n in wanted)
        return [replace(p, problem="needs-ocr") if p.number in wanted else p for p in pages], []
    by_number = {p.number: p for p in pages}
    done: list[OcrPage] = []
    report = progress.current()
    report.pages(path.name, len(wanted))
    for result in ocr_pages(path, wanted, workers=workers, max_pixels=max_pixels):
        report.page_done(path.name)
        if result.problem is not None:  # never read: reported by assemble, with why
            by_number[result.number] = replace(by_number[result.number], problem=result.problem)
            if result.problem == "too-large":
                issues.append(Issue(SourceRef(path, result.number), "page-too-large", _too_large(result, max_pixels)))
            elif result.problem == "unrenderable":
                issues.append(Issue(SourceRef(path, result.number), "page-unrenderable",
                                    f"page {result.number}: PDFium could not load it to draw it for OCR"))
            continue
        if result.lines:  # otherwise the page keeps its problem, reported by assemble
            by_number[result.number] = PageLines(result.number, result.width, result.height, result.lines)
        done.append(OcrPage(result.number, result.confidence, result.words))
    return [by_number[p.number] for p in pages], done


def _too_large(result, max_pixels: int) -> str:
    inches = f"{result.width / 72:.0f} x {result.height / 72:.0f} in"
    return (f"page {result.number} ({inches}) is too large to OCR: within max_page_pixels ({max_pixels:,}) it "
            f"could be drawn at {result.dpi:.0f} dpi only, under the {MIN_OCR_DPI} dpi text needs")
