"""The plain data handed from one stage to the next.

Every hand-off is a frozen dataclass that records where its text came from, so each stage
can be tested alone and a reviewer can trace a sentence back to its page and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class SourceRef:
    """Where a piece of text came from: a file, and (1-based) page and line when known."""

    path: Path
    page: int | None = None
    line: int | None = None

    def __str__(self) -> str:
        parts = [str(self.path)]
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Issue:
    """A problem confined to one page or segment; it travels with the stage output."""

    ref: SourceRef
    code: str
    message: str


@dataclass(frozen=True)
class TextLine:
    """One line of extracted text in logical (reading) order."""

    text: str
    ref: SourceRef
    # Geometry when it is known (PDF pages): left, top, right, bottom in PDF points.
    bbox: tuple[float, float, float, float] | None = None
    size: float | None = None
    # Paragraph id assigned by page layout (PDFs); None when the layout is unknown (text
    # files), in which case the repair stage decides where paragraphs break.
    block: int | None = None
    direction: str = "rtl"  # base direction of the line: "rtl" or "ltr"


@dataclass(frozen=True)
class PageText:
    """The lines of one page (a text file is one page)."""

    number: int
    lines: tuple[TextLine, ...]
    width: float | None = None
    height: float | None = None


@dataclass(frozen=True)
class OcrPage:
    """A page whose text came from OCR instead of the PDF's text layer."""

    number: int
    confidence: float  # mean word confidence, 0-100 as Tesseract reports it
    words: int
    # Each published line's mean word confidence, by line number (SourceRef.line - 1).
    lines: tuple[float, ...] = ()


@dataclass(frozen=True)
class ExtractedDocument:
    path: Path
    kind: str  # "pdf" or "text"
    pages: tuple[PageText, ...]
    encoding: str | None = None
    issues: tuple[Issue, ...] = ()
    ocr: tuple[OcrPage, ...] = ()


@dataclass(frozen=True)
class RepairChange:
    """One change made by the repair stage, in the coordinates of the repaired paragraph."""

    kind: str
    paragraph: int
    start: int
    end: int
    before: str
    after: str


@dataclass(frozen=True)
class Paragraph:
    index: int  # 0-based, in document order
    text: str
    language: str = "ar"  # "ar" or "en"; English paragraphs are not machine-translated
    kind: str = "body"  # "body", "heading" or "list-item"
    ref: SourceRef | None = None
    # What a reviewer must know of the text itself, e.g. "garbled" (a wrong-letter font:
    # never machine-translated) with "garbled-confidence:0.97"; every segment carries them.
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class RepairedDocument:
    path: Path
    paragraphs: tuple[Paragraph, ...]
    changes: tuple[RepairChange, ...] = ()
    issues: tuple[Issue, ...] = ()


@dataclass(frozen=True)
class GlossaryHit:
    """A glossary name found in a text; start/end index the text it was found in."""

    start: int
    end: int
    arabic: str  # surface form as found
    english: str
    type: str
    canonical_arabic: str = ""


@dataclass(frozen=True)
class Segment:
    """One sentence-sized unit of a paragraph: the unit of translation and alignment."""

    id: str
    paragraph: int
    arabic: str
    language: str = "ar"
    glossary: tuple[GlossaryHit, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class TranslatedSegment:
    segment: Segment
    english: str
    origin: str  # "machine", "reviewed", "source-english" or "untranslated"
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bitext:
    """A document's aligned pairs plus everything needed to publish it."""

    path: Path
    stem: str
    paragraphs: tuple[Paragraph, ...]
    segments: tuple[TranslatedSegment, ...]
    changes: tuple[RepairChange, ...] = ()
    issues: tuple[Issue, ...] = ()
    signature: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentReport:
    """What happened to one input file in a run."""

    file: str
    stem: str
    status: str  # "published", "skipped" or "failed"
    error: str | None = None
    segments: int = 0
    translated: int = 0
    flagged: int = 0
    glossary_hits: int = 0


@dataclass(frozen=True)
class RunSummary:
    documents: tuple[DocumentReport, ...]
    model_calls: int
    signature: str
    started: str
    finished: str
    model: str | None = None  # package name and version, None when no model was installed
    notes: tuple[str, ...] = ()

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents if d.status == status)
