"""The plain data handed from one stage to the next.

Every hand-off is a frozen dataclass that records where its text came from, so each stage
can be tested alone and a reviewer can trace a sentence back to its page and line.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Origin(StrEnum):
    """Where a segment's English came from."""

    MACHINE = "machine"
    REVIEWED = "reviewed"
    SOURCE_ENGLISH = "source-english"  # the source segment is English already
    UNTRANSLATED = "untranslated"  # no model installed


class Status(StrEnum):
    """What a run did with one input file."""

    PUBLISHED = "published"
    SKIPPED = "skipped"
    FAILED = "failed"


class Flag(StrEnum):
    """The kinds of flag that send a segment to a reviewer. A flag may carry a detail after a
    colon (``glossary-missing:Kuwait``); see :meth:`with_detail` and :func:`flag_kind`."""

    OCR = "ocr"
    OCR_CONFIDENCE = "ocr-confidence"  # Tesseract's confidence in the paragraph's least sure line
    UNTRANSLATED = "untranslated"
    EMPTY_OUTPUT = "empty-output"
    COPIED_SOURCE = "copied-source"
    ARABIC_IN_OUTPUT = "arabic-in-output"
    REPEATED_NGRAMS = "repeated-ngrams"
    GLOSSARY_MISSING = "glossary-missing"
    GLOSSARY_DUPLICATED = "glossary-duplicated"
    PLACEHOLDER_MANGLED = "placeholder-mangled"
    PLACEHOLDER_LEFTOVER = "placeholder-leftover"
    REVIEWED_FROM = "reviewed-from"  # the reviewed translation was made on another segment
    # A wrong-letter font's text (repair.garbled): never machine-translated nor remembered.
    GARBLED = "garbled"
    GARBLED_CONFIDENCE = "garbled-confidence"
    PARTIAL_PAGE = "partial-page"  # data lost in a damaged stream of that page

    def with_detail(self, detail: object) -> str:
        return f"{self.value}:{detail}"


def flag_kind(flag: str) -> str:
    """``glossary-missing:Kuwait`` → ``glossary-missing``: the flag without its detail."""
    return flag.partition(":")[0]


@dataclass(frozen=True)
class SourceRef:
    """Where a piece of text came from: a file, and (1-based) page and line when known. Formats
    without pages (Word, OpenDocument, web pages, EPUB) say instead which ``part`` of the file
    ("body", "footnote 3", "header", "chapter 2"…), and count lines as paragraphs."""

    path: Path
    page: int | None = None
    line: int | None = None
    part: str | None = None

    def __str__(self) -> str:
        parts = [str(self.path)]
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.part is not None:
            parts.append(self.part)
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
    # Tesseract's mean word confidence (0-100) on a line read by OCR; None for a text layer.
    confidence: float | None = None


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


@dataclass(frozen=True)
class ExtractedDocument:
    path: Path
    kind: str  # "pdf", "text", or the format read ("docx", "odt", "doc", "html", "epub")
    pages: tuple[PageText, ...]
    encoding: str | None = None
    issues: tuple[Issue, ...] = ()
    ocr: tuple[OcrPage, ...] = ()
    # What a format says about the document besides its text (a web page's title, byline and
    # date), as (name, value) pairs: kept with the document, never made into segments.
    metadata: tuple[tuple[str, str], ...] = ()


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
    ref: SourceRef | None = None  # its first line
    # The extracted lines it was made from, and where each starts in ``text``.
    lines: tuple[TextLine, ...] = ()
    line_starts: tuple[int, ...] = ()
    # What a reviewer must know of the text itself, e.g. "garbled" (a wrong-letter font:
    # never machine-translated) with "garbled-confidence:0.97"; every segment carries them.
    flags: tuple[str, ...] = ()

    def line_at(self, offset: int) -> TextLine | None:
        """The source line that the character at ``offset`` of ``text`` came from."""
        if not self.lines:
            return None
        return self.lines[max(bisect_right(self.line_starts, offset) - 1, 0)]

    @property
    def ocr_confidence(self) -> float | None:
        """Tesseract's confidence in the least sure of its lines; None when none was OCR'd."""
        scores = [line.confidence for line in self.lines if line.confidence is not None]
        return min(scores) if scores else None


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
class Translation:
    english: str
    origin: Origin
    flags: tuple[str, ...] = ()  # what the translation step saw (names lost, MT failure signs...)
    # The model's mean log-probability per target token (CTranslate2's score, length
    # normalisation undone); None for a reviewed translation or one from an older memory.
    score: float | None = None


@dataclass(frozen=True)
class FuzzyMatch:
    """A reviewed translation of a similar Arabic segment: a hint for the reviewer, never
    published as the translation."""

    arabic: str
    english: str
    quality: int  # rapidfuzz similarity of the normalised Arabic, 0-100
    file: str | None = None
    segment_id: str | None = None


@dataclass(frozen=True)
class Segment:
    """One sentence-sized unit of a paragraph: the unit of translation and alignment."""

    id: str
    paragraph: int
    arabic: str
    language: str = "ar"
    glossary: tuple[GlossaryHit, ...] = ()
    flags: tuple[str, ...] = ()  # what the source stages saw (OCR, ...)
    ref: SourceRef | None = None  # the page and line it starts on
    translation: Translation | None = None
    fuzzy: tuple[FuzzyMatch, ...] = ()  # best first; only where no reviewed translation matched exactly

    @property
    def english(self) -> str:
        return self.translation.english if self.translation is not None else ""

    @property
    def origin(self) -> Origin | None:
        return self.translation.origin if self.translation is not None else None

    @property
    def all_flags(self) -> tuple[str, ...]:
        """The source's flags, then the translation's, each once."""
        own = self.translation.flags if self.translation is not None else ()
        return tuple(dict.fromkeys(self.flags + own))

    @property
    def page(self) -> int | None:
        return self.ref.page if self.ref is not None else None


@dataclass(frozen=True)
class Document:
    """One input file's record, from extraction to its published outputs.

    Each stage adds its part and hands the record on: reading (extraction + repair) gives the
    paragraphs with the lines they came from (page, box, OCR confidence), the repair changes
    and the issues; segmentation gives the segments with their glossary names; translation
    gives each segment its English and where that came from; publishing stamps the signature
    it was made under. The record is written once (``document.json``, :mod:`qantara.record`)
    and read back whole.
    """

    path: Path
    stem: str = ""
    kind: str = ""  # "pdf", "text", or the format read ("docx", "odt", "doc", "html", "epub")
    encoding: str | None = None
    metadata: tuple[tuple[str, str], ...] = ()  # as ExtractedDocument.metadata: never segments
    paragraphs: tuple[Paragraph, ...] = ()
    changes: tuple[RepairChange, ...] = ()
    issues: tuple[Issue, ...] = ()
    segments: tuple[Segment, ...] = ()
    signature: str = ""


@dataclass(frozen=True)
class DocumentReport:
    """What happened to one input file in a run."""

    file: str
    stem: str
    status: Status
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
    # "finished"; "running" while the run is under way (a run killed outright leaves it so);
    # "failed" when the run itself stopped (``error`` says why): its documents not listed as
    # published were not.
    outcome: str = "finished"
    error: str | None = None

    def count(self, status: Status) -> int:
        return sum(1 for d in self.documents if d.status == status)
