"""The document pipeline as plain functions over one record (:class:`qantara.types.Document`):
discover → read (extract + repair) → segment → translate.

Prefect flows and the CLI call these; nothing here knows about either.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Mapping, Protocol, Sequence

from .arabic.charsets import SCRIPT
from .extraction import SUPPORTED_SUFFIXES, extract_document
from .memory import Reviewed, apply_reviewed
from .glossary.names import name_flags, protect_names, restore_names
from .repair import repair_document
from .segment import split_sentences
from .types import Document, Flag, GlossaryHit, Origin, Paragraph, Segment, Translation



_ARABIC = re.compile(f"[{SCRIPT}]")
_UNSAFE_STEM = re.compile(r"[\x00-\x1f/\\:*?\"<>|]+")


class NameFinder(Protocol):
    def find(self, text: str) -> list[GlossaryHit]: ...


class SentenceTranslator(Protocol):
    def translate(self, sentences: Sequence[str]) -> list[str]: ...


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


def _sentence_starts(text: str, sentences: Sequence[str]) -> list[int]:
    """Where each sentence starts in the paragraph text it was cut from."""
    starts, cursor = [], 0
    for sentence in sentences:
        first = sentence.split(" ", 1)[0]
        found = text.find(first, cursor)
        starts.append(found if found >= 0 else cursor)
        cursor = starts[-1] + len(first)
    return starts


def segment_paragraphs(paragraphs: Sequence[Paragraph], names: NameFinder | None) -> tuple[Segment, ...]:
    """Cut paragraphs into sentence segments, each with its glossary names, the page and line
    it starts on, and the OCR flags of its paragraph."""
    segments = []
    for paragraph in paragraphs:
        # A reviewer must check OCR'd text against the page: say so, with Tesseract's
        # confidence in the paragraph's least sure line, so the weak ones stand out.
        confidence = paragraph.ocr_confidence
        flags = () if confidence is None else (Flag.OCR.value, Flag.OCR_CONFIDENCE.with_detail(f"{confidence:.0f}"))
        sentences = split_sentences(paragraph.text)
        for k, (sentence, start) in enumerate(zip(sentences, _sentence_starts(paragraph.text, sentences))):
            hits = tuple(names.find(sentence)) if names is not None and paragraph.language == "ar" else ()
            line = paragraph.line_at(start)
            segments.append(
                Segment(
                    id=f"p{paragraph.index + 1}s{k + 1}",
                    paragraph=paragraph.index,
                    arabic=sentence,
                    language=paragraph.language,
                    glossary=hits,
                    flags=flags,
                    ref=line.ref if line is not None else paragraph.ref,
                )
            )
    return tuple(segments)


def read_document(path: Path, stem: str, *, ocr: bool = True) -> Document:
    """Extract and repair one document; raises UnreadableDocument when it has no text."""
    return replace(repair_document(extract_document(path, ocr=ocr)), stem=stem)


def segment_document(document: Document, names: NameFinder | None) -> Document:
    return replace(document, segments=segment_paragraphs(document.paragraphs, names))


def prepare_document(path: Path, stem: str, names: NameFinder | None, *, ocr: bool = True) -> Document:
    """Extract, repair and segment one document: everything before translation."""
    return segment_document(read_document(path, stem, ocr=ocr), names)


def check_translation(segment: Segment, english: str) -> tuple[str, ...]:
    """Flags a reviewer should see: names lost in translation and the usual MT failure signs."""
    flags = []
    text = english.casefold()
    if not english.strip():
        flags.append(Flag.EMPTY_OUTPUT.value)
    # Each name must come out as often as it was found: fewer is a lost name, more a
    # hallucinated or duplicated one.
    flags.extend(name_flags(english, segment.glossary))
    if english.strip() and english.strip() == segment.arabic.strip():
        flags.append(Flag.COPIED_SOURCE.value)
    elif _ARABIC.search(english):
        flags.append(Flag.ARABIC_IN_OUTPUT.value)
    words = text.split()
    trigrams = Counter(zip(words, words[1:], words[2:]))
    if trigrams and max(trigrams.values()) >= 3:
        flags.append(Flag.REPEATED_NGRAMS.value)
    return tuple(dict.fromkeys(flags))


def translate_segments(segments: Sequence[Segment], translator: SentenceTranslator | None) -> list[Segment]:
    """Translate every Arabic segment in one call, so the engine can batch across documents.

    English segments pass through as ``source-english``; without a translator the Arabic ones
    are published as ``untranslated``.
    """
    pending = [s for s in segments if s.language == "ar"]
    english: dict[int, str] = {}
    if translator is not None and pending:
        # Names go to the model already in their English form (see qantara.glossary.names).
        sources = [protect_names(s.arabic, s.glossary) for s in pending]
        english = dict(zip(map(id, pending), translator.translate(sources), strict=True))
    out = []
    for seg in segments:
        if seg.language != "ar":
            translation = Translation(seg.arabic, Origin.SOURCE_ENGLISH)
        elif translator is None:
            translation = Translation("", Origin.UNTRANSLATED, (Flag.UNTRANSLATED.value,))
        else:
            text, repairs = restore_names(english[id(seg)], seg.glossary)
            translation = Translation(text, Origin.MACHINE, tuple(dict.fromkeys(repairs + check_translation(seg, text))))
        out.append(replace(seg, translation=translation))
    return out


def translate_documents(
    documents: Sequence[Document],
    translator: SentenceTranslator | None,
    reviewed: Mapping[str, Reviewed] | None = None,
) -> list[Document]:
    """Translate the segments of all documents together, in one list per document, in order.

    A segment with a reviewed translation is published as reviewed and never sent to the
    model (:func:`qantara.memory.apply_reviewed`).
    """
    reviewed = reviewed or {}
    pending = [s for doc in documents for s in doc.segments if not (s.language == "ar" and s.arabic in reviewed)]
    done = {id(old): new for old, new in zip(pending, translate_segments(pending, translator), strict=True)}
    return [
        apply_reviewed(replace(doc, segments=tuple(done.get(id(s), s) for s in doc.segments)), reviewed)
        for doc in documents
    ]
