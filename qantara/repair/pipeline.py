"""The repair pipeline: line steps, line-structure steps, paragraphs, then paragraph steps."""

from __future__ import annotations

from dataclasses import dataclass

from ..types import Document, ExtractedDocument, Issue, Paragraph, RepairChange, SourceRef, TextLine
from . import chars, paragraphs, structure, words
from ..arabic.direction import language
from ..arabic.lexicon import Lexicon, default_lexicon
from ..layout.blocks import is_page_number
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

def _clean_line(text: str) -> Tracked:
    tracked = Tracked(text)
    tracked = apply(tracked, "presentation-form", chars.fold_presentation_forms(tracked.text))
    tracked = apply(tracked, "tatweel", strip_tatweel(tracked.text))
    return apply(tracked, "whitespace", chars.normalise_whitespace(tracked.text), record=False)

def _group(lines: list[WorkLine | None], width: int) -> list[list[WorkLine]]:
    """Split a page's lines (None marks a blank line) into paragraphs of one or more lines.

    A blank line ends a paragraph when the line before it followed its own predecessor
    directly: there the author used blank lines to separate paragraphs. Where every line is
    followed by a blank one (extractors do that: seed 001), a blank line says nothing and the
    wrap width decides.
    """
    groups: list[list[WorkLine]] = []
    current: list[WorkLine] = []
    # A page starts as if after a blank line: its first line says nothing about blank lines.
    after_blank = True
    last_after_blank = True  # whether the last line kept was itself preceded by a blank line
    for line in lines:
        if line is None:
            after_blank = True
            continue
        if current:
            last = current[-1]
            if last.block is not None:
                same = line.block == last.block
            elif after_blank and not last_after_blank:
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
            tracked = _clean_line(line.text)
            work.append(WorkLine(tracked, line) if tracked.text else None)
        pages.append(work)
    pages = [structure.repair_lines(page, issues) for page in pages]
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
    return Document(doc.path, kind=doc.kind, encoding=doc.encoding, paragraphs=tuple(result),
                    changes=tuple(changes), issues=doc.issues + tuple(issues))

__all__ = ["WorkLine", "repair_document"]
