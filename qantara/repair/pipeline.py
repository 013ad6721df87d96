"""The repair pipeline: line steps, line-structure steps, paragraphs, then paragraph steps."""

from __future__ import annotations

from dataclasses import dataclass

from ..types import ExtractedDocument, Issue, Paragraph, RepairChange, RepairedDocument, SourceRef
from . import chars, paragraphs, structure, words
from .lexicon import Lexicon, default_lexicon
from .tatweel import strip_tatweel
from .track import Tracked, apply, join

@dataclass(frozen=True)
class WorkLine:
    tracked: Tracked
    raw: str
    ref: SourceRef
    block: int | None

def _clean_line(text: str) -> Tracked:
    tracked = Tracked(text)
    tracked = apply(tracked, "presentation-form", chars.fold_presentation_forms(tracked.text))
    tracked = apply(tracked, "tatweel", strip_tatweel(tracked.text))
    return apply(tracked, "whitespace", chars.normalise_whitespace(tracked.text), record=False)

def _blank_lines_separate(pages: list[list[WorkLine | None]]) -> bool:
    """Whether blank lines mark paragraph breaks in this document.

    Some extractors put a blank line after every line (seed 001); there a blank line says
    nothing and only the wrap width decides. Where blank lines stand between some lines and
    not others, the author put them there to end paragraphs.
    """
    gaps = adjacent = 0
    for page in pages:
        previous_text, blank_since = False, False
        for line in page:
            if line is None:
                blank_since = previous_text
                continue
            if previous_text:
                gaps += blank_since
                adjacent += not blank_since
            previous_text, blank_since = True, False
    return gaps > 0 and gaps < adjacent + gaps and gaps / (adjacent + gaps) < 0.5


def _group(lines: list[WorkLine | None], width: int, blank_breaks: bool) -> list[list[WorkLine]]:
    """Split a page's lines (None marks a blank line) into paragraphs of one or more lines."""
    groups: list[list[WorkLine]] = []
    current: list[WorkLine] = []
    after_blank = False
    for line in lines:
        if line is None:
            after_blank = True
            continue
        if current:
            last = current[-1]
            if blank_breaks and after_blank and last.block is None:
                same = False
            elif last.block is not None:
                same = line.block == last.block
            else:
                same = paragraphs.continues(last.tracked.text, line.tracked.text, line.raw, width)
            if not same:
                groups.append(current)
                current = []
        current.append(line)
        after_blank = False
    if current:
        groups.append(current)
    return groups

def repair_document(doc: ExtractedDocument, lexicon: Lexicon | None = None) -> RepairedDocument:
    """Repair every page of `doc` and return its paragraphs with each change recorded.

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
            work.append(WorkLine(tracked, line.text, line.ref, line.block) if tracked.text else None)
        pages.append(work)
    pages = [structure.repair_lines(page, issues) for page in pages]
    lengths = [len(l.tracked.text) for page in pages for l in page if l is not None]
    width = paragraphs.wrap_width(lengths)
    blank_breaks = _blank_lines_separate(pages)

    result: list[Paragraph] = []
    changes: list[RepairChange] = []
    for page in pages:
        kept = [l if l is None or not paragraphs.is_page_number(l.tracked.text) else None for l in page]
        for group in _group(kept, width, blank_breaks):
            index = len(result)
            tracked = join([line.tracked for line in group])
            tracked = words.repair_paragraph(tracked, lexicon, group[0].ref, issues)
            text = tracked.text
            result.append(
                Paragraph(
                    index=index,
                    text=text,
                    language=paragraphs.language(text),
                    kind=paragraphs.kind(text, group[0].raw, len(group)),
                    ref=group[0].ref,
                )
            )
            changes.extend(
                RepairChange(e.kind, index, e.start, e.end, e.before, e.after) for e in tracked.edits
            )
    return RepairedDocument(doc.path, tuple(result), tuple(changes), tuple(issues))

__all__ = ["WorkLine", "repair_document", "replace"]
