"""How far a reviewer can trust a segment's English without reading it: a 0-100 score, and
the legend that says what each flag means.

The score is the product of the chances that each step got the segment right, as a
percentage:

    trust = 100 × ocr × repair × model × Π weight(flag)

- ``ocr``: Tesseract's confidence in the least sure line of the segment's paragraph, over
  100 (1 for a text layer). A misread word is wrong however well it is translated.
- ``repair``: 0.9 per repair change inside the segment: each is a guess at what the damaged
  text said (most are right, see bench_repair; one in ten is the order of their misses).
- ``model``: for a machine translation, exp of the model's mean log-probability per token
  (CTranslate2's score with its length normalisation undone): the geometric mean of the
  probabilities the model gave its own tokens, which falls where the model hesitated. A
  translation kept from before scores were stored has no score and counts
  ``UNSCORED_MODEL``, a guess below a confident model, so it is reviewed before those. A
  reviewed translation or English source counts 1; an untranslated segment 0 (nothing to
  trust: it comes first).
- each flag multiplies by its weight in :data:`LEGEND`: 0 when the English is certainly
  wrong (empty, untranslated), about one half when a fact or name differs, near 1 for what
  is worth a look but rarely wrong. A flag that repeats a factor above (``ocr-confidence``)
  weighs 1.

A product, because the steps fail independently and any one of them ruins the sentence; a
reviewer sorting by it reads the least trustworthy first. The weights rank kinds of flag
against each other; the figures are orders of magnitude, not measured error rates.
"""

from __future__ import annotations

import math
from typing import Mapping, NamedTuple

from . import checks
from .types import Document, Flag, Origin, Paragraph, RepairChange, Segment, flag_kind

REPAIR_FACTOR = 0.9
UNSCORED_MODEL = 0.6


class FlagMeaning(NamedTuple):
    sentence: str  # what a reviewer reads
    weight: float  # factor on the trust score (0: certainly wrong, 1: no effect)


# Every kind of flag a segment can carry: the Flag members and the cross-language checks.
# tests/test_trust.py fails when a kind is added without its entry here.
LEGEND: Mapping[str, FlagMeaning] = {
    Flag.OCR: FlagMeaning("The Arabic was read from an image by OCR: compare it with the scan.", 1.0),
    Flag.OCR_CONFIDENCE: FlagMeaning(
        "OCR's confidence (0-100) in the least sure line of the paragraph; below about 80, words may be misread.",
        1.0),
    Flag.UNTRANSLATED: FlagMeaning("No translation: no model was installed, or the Arabic was not fit to send to one.",
                                   0.0),
    Flag.EMPTY_OUTPUT: FlagMeaning("The model returned nothing for this sentence.", 0.0),
    Flag.COPIED_SOURCE: FlagMeaning("The model copied the Arabic instead of translating it.", 0.1),
    Flag.ARABIC_IN_OUTPUT: FlagMeaning("Arabic letters were left in the English: part of the sentence is untranslated.",
                                       0.5),
    Flag.REPEATED_NGRAMS: FlagMeaning("The English repeats the same words over and over: a sign the model lost its way.",
                                      0.4),
    Flag.GLOSSARY_MISSING: FlagMeaning("A glossary name in the Arabic is missing from the English (the name follows).",
                                       0.6),
    Flag.GLOSSARY_DUPLICATED: FlagMeaning(
        "A glossary name appears in the English more often than in the Arabic (the name follows).", 0.8),
    Flag.PLACEHOLDER_MANGLED: FlagMeaning(
        "A protected name came back damaged from the model and was put back by guess: check the name.", 0.7),
    Flag.PLACEHOLDER_LEFTOVER: FlagMeaning("A protected name's placeholder was left in the English.", 0.5),
    Flag.REVIEWED_FROM: FlagMeaning(
        "A reviewer's translation of the same Arabic in another place (document#segment follows) was used.", 0.95),
    Flag.GARBLED: FlagMeaning(
        "The PDF's font maps letters wrongly, so the Arabic is garbled; it was not translated. Read the page image.",
        0.0),
    Flag.GARBLED_CONFIDENCE: FlagMeaning("How sure the garbled-font test is (0-1).", 1.0),
    Flag.PARTIAL_PAGE: FlagMeaning("Part of this page's data was damaged in the file; text may be missing.", 0.7),
    checks.NUMBER_MISMATCH: FlagMeaning("A number differs between the Arabic and the English (Arabic≠English).", 0.4),
    checks.NUMBER_MISSING: FlagMeaning("A number in the Arabic is missing from the English.", 0.6),
    checks.NUMBER_ADDED: FlagMeaning("The English has a number the Arabic does not.", 0.7),
    checks.DATE_MISMATCH: FlagMeaning("A month or date differs between the Arabic and the English (Arabic≠English).",
                                      0.4),
    checks.DATE_MISSING: FlagMeaning("A month or date in the Arabic is missing from the English.", 0.6),
    checks.DATE_ADDED: FlagMeaning("The English has a month or date the Arabic does not.", 0.7),
    checks.URL_MISMATCH: FlagMeaning("A web or e-mail address differs between the Arabic and the English.", 0.5),
    checks.URL_MISSING: FlagMeaning("A web or e-mail address in the Arabic is missing from the English.", 0.6),
    checks.URL_ADDED: FlagMeaning("The English has a web or e-mail address the Arabic does not.", 0.7),
    checks.BRACKET_MISMATCH: FlagMeaning("Brackets differ between the Arabic and the English (Arabic≠English).", 0.85),
    checks.QUOTE_MISMATCH: FlagMeaning("Quotation marks differ between the Arabic and the English.", 0.9),
    checks.LENGTH_RATIO: FlagMeaning(
        "The English is much shorter or longer than the Arabic (English/Arabic characters): part may be lost or invented.",
        0.5),
    checks.SUSPECT_NUMBER: FlagMeaning(
        "A number in the Arabic mixes digit sets (7١77): usually an OCR misreading; check the scan.", 0.5),
}


def explain(flag: str) -> str:
    """The reviewer's sentence for a flag (its detail after a colon is the value it names)."""
    meaning = LEGEND.get(flag_kind(flag))
    return meaning.sentence if meaning is not None else "Unknown flag."


def _segment_spans(paragraph: Paragraph, segments: list[Segment]) -> dict[str, tuple[int, int]]:
    """Where each segment lies in its paragraph's text, found in order (segments are cut from
    it); a segment not found there (normalised) spans the whole paragraph."""
    spans, cursor = {}, 0
    for seg in segments:
        start = paragraph.text.find(seg.arabic, cursor)
        if start < 0:
            spans[seg.id] = (0, len(paragraph.text))
            continue
        spans[seg.id] = (start, start + len(seg.arabic))
        cursor = start + len(seg.arabic)
    return spans


def segment_trust(seg: Segment, ocr_confidence: float | None = None, repairs: int = 0) -> int:
    """The trust score (0-100) of one segment, given its paragraph's OCR confidence and the
    number of repair changes inside it (see the module's formula)."""
    if seg.translation is None or seg.origin == Origin.UNTRANSLATED:
        return 0
    score = 1.0 if ocr_confidence is None else min(max(ocr_confidence / 100, 0.0), 1.0)
    score *= REPAIR_FACTOR**repairs
    if seg.origin == Origin.MACHINE:
        log_prob = seg.translation.score
        score *= UNSCORED_MODEL if log_prob is None else min(math.exp(log_prob), 1.0)
    for flag in seg.all_flags:
        meaning = LEGEND.get(flag_kind(flag))
        if meaning is not None:
            score *= meaning.weight
    return round(100 * score)


def document_trust(doc: Document) -> dict[str, int]:
    """The trust score of every segment of the document, by segment id."""
    paragraphs = {p.index: p for p in doc.paragraphs}
    by_paragraph: dict[int, list[Segment]] = {}
    for seg in doc.segments:
        by_paragraph.setdefault(seg.paragraph, []).append(seg)
    changes: dict[int, list[RepairChange]] = {}
    for change in doc.changes:
        changes.setdefault(change.paragraph, []).append(change)
    scores = {}
    for index, segments in by_paragraph.items():
        paragraph = paragraphs.get(index)
        spans = _segment_spans(paragraph, segments) if paragraph is not None else {}
        for seg in segments:
            start, end = spans.get(seg.id, (0, 0))
            repairs = sum(1 for c in changes.get(index, ()) if c.start < end and c.end > start
                          or c.start == c.end and start <= c.start <= end)
            confidence = paragraph.ocr_confidence if paragraph is not None else None
            scores[seg.id] = segment_trust(seg, confidence, repairs)
    return scores
