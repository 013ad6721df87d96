"""The document pipeline as plain functions: discover → prepare → translate → bitext.

Prefect flows and the CLI call these; nothing here knows about either.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Collection, Mapping, Protocol, Sequence

from . import bounded
from .arabic.charsets import SCRIPT
from .checks import check_pair
from .config import Settings
from .extraction import SUPPORTED_SUFFIXES, extract_document
from .memory import Reviewed
from .glossary.names import name_flags, protect_names, restore_names
from .repair import repair_document
from .repair.garbled import GARBLED
from .segment import split_sentences
from .types import Bitext, GlossaryHit, Issue, OcrPage, Paragraph, RepairChange, Segment, TranslatedSegment



_ARABIC = re.compile(f"[{SCRIPT}]")
_UNSAFE_STEM = re.compile(r"[\x00-\x1f/\\:*?\"<>|]+")


class NameFinder(Protocol):
    def find(self, text: str) -> list[GlossaryHit]: ...


class SentenceTranslator(Protocol):
    def translate(self, sentences: Sequence[str]) -> list[str]: ...


@dataclass(frozen=True)
class PreparedDocument:
    """A document repaired and cut into segments, waiting for translation."""

    path: Path
    stem: str
    paragraphs: tuple[Paragraph, ...]
    segments: tuple[Segment, ...]
    changes: tuple[RepairChange, ...] = ()
    issues: tuple[Issue, ...] = ()


def discover_documents(input_dir: Path) -> list[Path]:
    """Every visible regular file directly inside ``input_dir``, in name order."""
    return sorted(p for p in input_dir.iterdir() if p.is_file() and not p.name.startswith("."))


def safe_stem(path: Path) -> str:
    """A folder name derived from a file name that cannot leave the output folder."""
    stem = _UNSAFE_STEM.sub("_", path.stem).strip(" .")
    return stem or "document"


def assign_stems(paths: Sequence[Path]) -> dict[Path, str]:
    """Output folder names, unique even when two inputs share a stem (report.pdf, report.txt)."""
    stems = {p: safe_stem(p) for p in paths}
    counts = Counter(s.casefold() for s in stems.values())
    return {
        p: (s if counts[s.casefold()] == 1 else f"{s}_{p.suffix.lstrip('.').lower() or 'file'}")
        for p, s in stems.items()
    }


def segment_paragraphs(
    paragraphs: Sequence[Paragraph], names: NameFinder | None, ocr: Sequence[OcrPage] = (),
    partial: Collection[int] = (),
) -> tuple[Segment, ...]:
    """Cut paragraphs into sentence segments, with their glossary names and OCR flags, and a
    ``partial-page:<n>`` flag on those from the ``partial`` pages (data lost in a damaged stream)."""
    ocr_pages = {page.number: page for page in ocr}
    segments = []
    for number, paragraph in enumerate(paragraphs):
        page = ocr_pages.get(paragraph.ref.page) if paragraph.ref is not None else None
        # A reviewer must check OCR'd text against the page: say so, with Tesseract's
        # confidence in the paragraph's least sure line, so the weak ones stand out.
        flags = paragraph.flags
        if page is not None:
            flags += ("ocr", f"ocr-confidence:{_ocr_confidence(page, paragraph, paragraphs[number + 1:]):.0f}")
        if paragraph.ref is not None and paragraph.ref.page in partial:
            flags += (f"partial-page:{paragraph.ref.page}",)
        for k, sentence in enumerate(split_sentences(paragraph.text)):
            segments.append(
                Segment(
                    id=f"p{paragraph.index + 1}s{k + 1}",
                    paragraph=paragraph.index,
                    arabic=sentence,
                    language=paragraph.language,
                    flags=flags,
                )
            )
    return find_names(segments, names)


def find_names(segments: Sequence[Segment], names: NameFinder | None) -> tuple[Segment, ...]:
    """The segments with the glossary names found in their Arabic."""
    if names is None:
        return tuple(segments)
    return tuple(replace(s, glossary=tuple(names.find(s.arabic))) if s.language == "ar" else s for s in segments)


def _ocr_confidence(page: OcrPage, paragraph: Paragraph, rest: Sequence[Paragraph]) -> float:
    """The lowest line confidence from the paragraph's first line to the next paragraph's
    (on the paragraph's first page); the page's mean where lines are not known."""
    first = paragraph.ref.line or 1
    nxt = next((p.ref.line for p in rest if p.ref is not None and p.ref.page == paragraph.ref.page and p.ref.line), None)
    span = page.lines[first - 1:(nxt - 1) if nxt else None]
    return min(span) if span else page.confidence


def prepare_document(path: Path, stem: str, names: NameFinder | None, *, ocr: bool = True,
                     settings: Settings | None = None) -> PreparedDocument:
    """Extract, repair and segment one document; raises UnreadableDocument when it has no text
    (LimitExceeded when it is over one of the ``settings``' limits)."""
    extracted = extract_document(path, ocr=ocr, settings=settings)
    repaired = repair_document(extracted)
    partial = {i.ref.page for i in extracted.issues if i.code == "partial-page"}
    return PreparedDocument(
        path=path,
        stem=stem,
        paragraphs=repaired.paragraphs,
        segments=segment_paragraphs(repaired.paragraphs, names, extracted.ocr, partial),
        changes=repaired.changes,
        issues=extracted.issues + repaired.issues,
    )


def prepare_bounded(path: Path, stem: str, names: NameFinder | None, settings: Settings) -> PreparedDocument:
    """:func:`prepare_document` in a worker process stopped at the document's time, CPU and
    memory limits (:mod:`qantara.bounded`): a document that hangs, bloats or crashes a library
    fails alone, with the limit it hit."""
    # Names are found here, not in the worker: a large glossary would cost more to send to it
    # than to match (Aho-Corasick, linear in the text, which the limits bound).
    prepared = bounded.call(prepare_document, Path(path), stem, None, ocr=settings.ocr, settings=settings,
                            limits=bounded.limits_for(path, settings), label=path)
    return replace(prepared, segments=find_names(prepared.segments, names))


def check_translation(segment: Segment, english: str) -> tuple[str, ...]:
    """Flags a reviewer should see: names lost in translation, the usual MT failure signs, and
    facts (numbers, dates, URLs, brackets…) the English does not carry (:mod:`qantara.checks`)."""
    flags = []
    text = english.casefold()
    if not english.strip():
        flags.append("empty-output")
    # Each name must come out as often as it was found: fewer is a lost name, more a
    # hallucinated or duplicated one.
    flags.extend(name_flags(english, segment.glossary))
    if english.strip() and english.strip() == segment.arabic.strip():
        flags.append("copied-source")
    elif _ARABIC.search(english):
        flags.append("arabic-in-output")
    words = text.split()
    trigrams = Counter(zip(words, words[1:], words[2:]))
    if trigrams and max(trigrams.values()) >= 3:
        flags.append("repeated-ngrams")
    if english.strip():
        flags.extend(check_pair(segment.arabic, english))
    return tuple(dict.fromkeys(flags))


def translate_segments(
    segments: Sequence[Segment], translator: SentenceTranslator | None
) -> list[TranslatedSegment]:
    """Translate every Arabic segment in one call, so the engine can batch across documents.

    English segments pass through as ``source-english``; without a translator the Arabic ones
    are published as ``untranslated``, and so are garbled ones (a wrong-letter font's text
    is never sent to the model, so it never reaches the memory either).
    """
    pending = [s for s in segments if s.language == "ar" and GARBLED not in s.flags]
    english: dict[int, str] = {}
    if translator is not None and pending:
        # Names go to the model already in their English form (see qantara.glossary.names).
        sources = [protect_names(s.arabic, s.glossary) for s in pending]
        english = dict(zip(map(id, pending), translator.translate(sources), strict=True))
    out = []
    for seg in segments:
        if seg.language != "ar":
            out.append(TranslatedSegment(seg, seg.arabic, "source-english"))
        elif translator is None or GARBLED in seg.flags:
            out.append(TranslatedSegment(seg, "", "untranslated", ("untranslated",)))
        else:
            text, repairs = restore_names(english[id(seg)], seg.glossary)
            flags = tuple(dict.fromkeys(repairs + check_translation(seg, text)))
            out.append(TranslatedSegment(seg, text, "machine", flags))
    return out


def build_bitext(prepared: PreparedDocument, translated: Sequence[TranslatedSegment], signature: str) -> Bitext:
    return Bitext(
        path=prepared.path,
        stem=prepared.stem,
        paragraphs=prepared.paragraphs,
        segments=tuple(translated),
        changes=prepared.changes,
        issues=prepared.issues,
        signature=signature,
    )


def translate_documents(
    documents: Sequence[PreparedDocument],
    translator: SentenceTranslator | None,
    reviewed: Mapping[str, Reviewed] | None = None,
) -> list[list[TranslatedSegment]]:
    """Translate the segments of all documents together; one list per document, in order.

    A segment with a reviewed translation is published as reviewed and never sent to the
    model; where the correction was made on another segment, a flag says where.
    """
    reviewed = reviewed or {}
    flat = [(doc.stem, s) for doc in documents for s in doc.segments]
    pending = [s for _, s in flat if not (s.language == "ar" and s.arabic in reviewed)]
    machine = {id(item.segment): item for item in translate_segments(pending, translator)}
    out: list[list[TranslatedSegment]] = []
    position = 0
    for doc in documents:
        items = []
        for stem, seg in flat[position : position + len(doc.segments)]:
            if id(seg) in machine:
                items.append(machine[id(seg)])
                continue
            entry = reviewed[seg.arabic]
            flags = () if (entry.file, entry.segment_id) == (stem, seg.id) else (f"reviewed-from:{entry.file}#{entry.segment_id}",)
            items.append(TranslatedSegment(seg, entry.english, "reviewed", flags + check_pair(seg.arabic, entry.english)))
        out.append(items)
        position += len(doc.segments)
    return out
