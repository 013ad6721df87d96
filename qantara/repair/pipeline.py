"""The repair pipeline: line steps, line-structure steps, paragraphs, then paragraph steps."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..types import Document, ExtractedDocument, Flag, Issue, Paragraph, RepairChange, SourceRef, TextLine
from . import chars, garbled, paragraphs, structure, vertical, words
from ..arabic.direction import language
from ..arabic.lexicon import Lexicon, default_lexicon
from ..layout.blocks import is_page_number
from .glyphs import collapse_repeated_glyphs
from .tatweel import strip_tatweel
from .track import Edit, Tracked, apply, join

# A zero-width mark at the start of each line of a paragraph: carried through the paragraph
# steps like any edit, it says where each source line begins in the repaired text.
_LINE_START = "line-start"


@dataclass(frozen=True)
class WorkLine:
    tracked: Tracked
    source: TextLine  # the extracted line, as it came

    @property
    def raw(self) -> str:
        return self.source.text

    @property
    def ref(self) -> SourceRef:
        return self.source.ref

    @property
    def block(self) -> int | None:
        return self.source.block
    # The line after its character repairs, with the extractor's spacing kept: wide gaps
    # and glued words are the evidence of word order the reordering needs.
    gapped: str = ""
    # Its length as laid out (the extracted line, tatweel included, spaces collapsed), which
    # the wrap width is measured in.
    length: int = 0


def _character_repairs(text: str, lexicon: Lexicon | None) -> str:
    text = strip_tatweel(chars.fold_presentation_forms(text))
    return collapse_repeated_glyphs(text, lexicon)


def _clean_line(text: str, lexicon: Lexicon | None) -> tuple[Tracked, str]:
    tracked = Tracked(text)
    tracked = apply(tracked, "presentation-form", chars.fold_presentation_forms(tracked.text))
    tracked = apply(tracked, "tatweel", strip_tatweel(tracked.text))
    tracked = apply(tracked, "doubled-glyph", collapse_repeated_glyphs(tracked.text, lexicon))
    gapped = _character_repairs(text.replace("\t", "  "), lexicon)
    return apply(tracked, "whitespace", chars.normalise_whitespace(tracked.text), record=False), gapped

def _group(lines: list[WorkLine | None], width: int) -> list[list[WorkLine]]:
    """Split a page's lines (None marks a blank line) into paragraphs of one or more lines.

    A blank line ends a paragraph when the line before it followed its own predecessor
    directly: there the author used blank lines to separate paragraphs. Where every line is
    followed by a blank one (extractors do that: seed 001), a blank line says nothing and the
    wrap width decides, unless the page marks its paragraph breaks with more blank lines than
    it puts between lines (see paragraphs.page_gaps): then a break needs such a gap.
    """
    gaps = paragraphs.page_gaps(lines, width)
    groups: list[list[WorkLine]] = []
    current: list[WorkLine] = []
    # A page starts as if after a blank line: its first line says nothing about blank lines.
    after_blank = True
    last_after_blank = True  # whether the last line kept was itself preceded by a blank line
    for k, line in enumerate(lines):
        if line is None:
            after_blank = True
            continue
        if current:
            last = current[-1]
            if last.block is not None:
                same = line.block == last.block
            elif gaps.breaks_before(k) or (after_blank and not last_after_blank and not gaps.mark_breaks):
                same = False
            else:
                same = paragraphs.continues(last.tracked.text, line.tracked.text, line.raw, width)
            if not same:
                groups.append(current)
                current = []
        current.append(line)
        last_after_blank, after_blank = after_blank, False
    if current:
        groups.append(current)
    return groups


def _mark_line_starts(group: list[WorkLine], tracked: Tracked) -> Tracked:
    starts, offset = [], 0
    for line in group:
        starts.append(offset)
        offset += len(line.tracked.text) + 1  # join's separator
    return Tracked(tracked.text, tracked.edits + tuple(Edit(_LINE_START, s, s, "", "") for s in starts))


def repair_document(doc: ExtractedDocument, lexicon: Lexicon | None = None) -> Document:
    """Repair every page of `doc` and return its record: paragraphs (each with the lines it
    came from), every change, and the extraction's issues with the repair's after them.

    `lexicon` defaults to the installed Hunspell/wordfreq lexicon; without one, the steps
    that need word evidence are skipped and an Issue says so.
    """
    issues: list[Issue] = []
    if lexicon is None:
        lexicon, problem = default_lexicon()
        if problem:
            issues.append(Issue(SourceRef(doc.path), "repair-no-lexicon", problem))
    pages: list[list[WorkLine | None]] = []
    for page in doc.pages:
        work: list[WorkLine | None] = []
        for line in page.lines:
            tracked, gapped = _clean_line(line.text, lexicon)
            length = vertical.laid_out_length(line.text)
            work.append(WorkLine(tracked, line, gapped, length) if tracked.text else None)
        pages.append(work)
    pages = [structure.repair_lines(page, issues, lexicon) for page in pages]
    laid_out = paragraphs.wrap_width([l.length for page in pages for l in page if l is not None and l.block is None])
    pages = [vertical.restore_vertical_order(page, laid_out) for page in pages]
    lengths = [len(l.tracked.text) for page in pages for l in page if l is not None]
    width = paragraphs.wrap_width(lengths)

    result: list[Paragraph] = []
    changes: list[RepairChange] = []
    for page in pages:
        kept = [l if l is None or not is_page_number(l.tracked.text) else None for l in page]
        for group in _group(kept, width):
            index = len(result)
            tracked = _mark_line_starts(group, join([line.tracked for line in group]))
            tracked = words.repair_paragraph(tracked, lexicon, group[0].ref, issues)
            text = tracked.text
            result.append(
                Paragraph(
                    index=index,
                    text=text,
                    language=language(text),
                    kind=paragraphs.kind(text, group[0].raw, len(group)),
                    ref=group[0].ref,
                    lines=tuple(line.source for line in group),
                    line_starts=tuple(e.start for e in tracked.edits if e.kind == _LINE_START),
                )
            )
            changes.extend(
                RepairChange(e.kind, index, e.start, e.end, e.before, e.after)
                for e in tracked.edits if e.kind != _LINE_START
            )
    result = _flag_garbled(result, lexicon, issues, doc.path)
    return Document(doc.path, kind=doc.kind, encoding=doc.encoding, metadata=doc.metadata,
                    paragraphs=tuple(result), changes=tuple(changes), issues=doc.issues + tuple(issues))


def _flag_garbled(result: list[Paragraph], lexicon: Lexicon | None, issues: list[Issue], path: Path) -> list[Paragraph]:
    """Flag the Arabic paragraphs a wrong-letter font produced (see garbled.py)."""
    verdicts = [garbled.judge(p.text, lexicon) if p.language == "ar" else None for p in result]
    confidences = [v.confidence if v is not None else None for v in verdicts]
    # English paragraphs break a run of garbled ones.
    flagged = garbled.flag_garbled([c if p.language == "ar" else 0.0 for p, c in zip(result, confidences)])
    # The font's own misspellings, learnt from what was flagged, find the rest of its pages.
    font = garbled.font_words([p.text for p in result], [c is not None for c in flagged], lexicon)
    if font:
        confidences = [garbled.with_font_words(c, p.text, font) for p, c in zip(result, confidences)]
        flagged = garbled.flag_garbled([c if p.language == "ar" else 0.0 for p, c in zip(result, confidences)])
    out = []
    for paragraph, verdict, confidence in zip(result, verdicts, flagged):
        if confidence is None:
            out.append(paragraph)
            continue
        reason = verdict.reason if verdict is not None else "too short to judge, between garbled paragraphs"
        issues.append(Issue(paragraph.ref or SourceRef(path), "repair-garbled",
                            f"paragraph {paragraph.index + 1} reads as a wrong-letter font ({reason}); not translated"))
        flags = (Flag.GARBLED.value, Flag.GARBLED_CONFIDENCE.with_detail(f"{confidence:.2f}"))
        out.append(replace(paragraph, flags=paragraph.flags + flags))
    return out

__all__ = ["WorkLine", "repair_document"]
