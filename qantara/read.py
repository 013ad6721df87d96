"""Reading a document: its file extracted, then repaired, into a record without segments.

The costly stage (OCR takes seconds a page), so runs keep its result (:mod:`qantara.cache`),
keyed by the file's content and everything this stage depends on (:mod:`qantara.signature`).
"""

from __future__ import annotations

from pathlib import Path

from .config import Settings
from .extraction import extract_document
from .repair import repair_document
from .types import Document


def read_document(path: Path, *, settings: Settings | None = None) -> Document:
    """Extract and repair one file; raises UnreadableDocument when it has no text
    (LimitExceeded when it is over one of the ``settings``' limits)."""
    settings = settings or Settings()
    return repair_document(extract_document(path, ocr=settings.ocr, settings=settings))
