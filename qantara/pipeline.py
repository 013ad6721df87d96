"""The document pipeline as plain functions: discover → prepare → translate → bitext.

Prefect flows and the CLI call these; nothing here knows about either.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

from .extract import extract_document
from .repair import repair_document
from .segment import split_sentences
from .types import Bitext, GlossaryHit, Issue, Paragraph, RepairChange, Segment, TranslatedSegment

SUPPORTED_SUFFIXES = frozenset({".pdf", ".txt", ".text", ".md"})

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
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


def segment_paragraphs(paragraphs: Sequence[Paragraph], names: NameFinder | None) -> tuple[Segment, ...]:
    segments = []
    for paragraph in paragraphs:
        for k, sentence in enumerate(split_sentences(paragraph.text)):
            hits = tuple(names.find(sentence)) if names is not None and paragraph.language == "ar" else ()
            segments.append(
                Segment(
                    id=f"p{paragraph.index + 1}s{k + 1}",
                    paragraph=paragraph.index,
                    arabic=sentence,
                    language=paragraph.language,
                    glossary=hits,
                )
            )
    return tuple(segments)


def prepare_document(path: Path, stem: str, names: NameFinder | None) -> PreparedDocument:
    """Extract, repair and segment one document; raises UnreadableDocument when it has no text."""
    extracted = extract_document(path)
    repaired = repair_document(extracted)
    return PreparedDocument(
        path=path,
        stem=stem,
        paragraphs=repaired.paragraphs,
        segments=segment_paragraphs(repaired.paragraphs, names),
        changes=repaired.changes,
        issues=extracted.issues + repaired.issues,
    )


def check_translation(segment: Segment, english: str) -> tuple[str, ...]:
    """Flags a reviewer should see: names lost in translation and the usual MT failure signs."""
    flags = []
    text = english.casefold()
    if not english.strip():
        flags.append("empty-output")
    for hit in segment.glossary:
        if hit.english.casefold() not in text:
            flags.append(f"glossary-missing:{hit.english}")
    if english.strip() and english.strip() == segment.arabic.strip():
        flags.append("copied-source")
    elif _ARABIC.search(english):
        flags.append("arabic-in-output")
    words = text.split()
    trigrams = Counter(zip(words, words[1:], words[2:]))
    if trigrams and max(trigrams.values()) >= 3:
        flags.append("repeated-ngrams")
    return tuple(dict.fromkeys(flags))


def translate_segments(
    segments: Sequence[Segment], translator: SentenceTranslator | None
) -> list[TranslatedSegment]:
    """Translate every Arabic segment in one call, so the engine can batch across documents.

    English segments pass through as ``source-english``; without a translator the Arabic ones
    are published as ``untranslated``.
    """
    pending = [s for s in segments if s.language == "ar"]
    english: dict[int, str] = {}
    if translator is not None and pending:
        english = dict(zip(map(id, pending), translator.translate([s.arabic for s in pending]), strict=True))
    out = []
    for seg in segments:
        if seg.language != "ar":
            out.append(TranslatedSegment(seg, seg.arabic, "source-english"))
        elif translator is None:
            out.append(TranslatedSegment(seg, "", "untranslated", ("untranslated",)))
        else:
            text = english[id(seg)]
            out.append(TranslatedSegment(seg, text, "machine", check_translation(seg, text)))
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
    documents: Sequence[PreparedDocument], translator: SentenceTranslator | None
) -> list[list[TranslatedSegment]]:
    """Translate the segments of all documents together; one list per document, in order."""
    flat = translate_segments([s for doc in documents for s in doc.segments], translator)
    out, start = [], 0
    for doc in documents:
        out.append(flat[start : start + len(doc.segments)])
        start += len(doc.segments)
    return out
