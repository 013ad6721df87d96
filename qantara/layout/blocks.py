"""Page layout: paragraph blocks from spacing and indentation, running headers and footers."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from statistics import median
from typing import Callable

from .lines import RawLine

_DIGITS = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]+")
_NUMBER = "[0-9\u0660-\u0669\u06f0-\u06f9]{1,4}"
_PAGE_LABEL = re.compile(rf"(?:page|p\.|صفحة|صفحه|الصفحة)\s*{_NUMBER}", re.IGNORECASE)
# "12", "- 12 -", "(12)", "[12]", "Page 12", "صفحة ١٢", "12/40", "12 of 40": a line that is a page
# number and nothing else. A list marker ("1.", "1.)") or a run of digits (a table's years) is not.
_PAGE_NUMBER = re.compile(
    rf"^[\s\-–—|]*(?:(?:page|p\.|صفحة|صفحه|الصفحة|ص\.?)\s*)?(?:{_NUMBER}|\({_NUMBER}\)|\[{_NUMBER}\])"
    rf"(?:\s*(?:/|of|من)\s*{_NUMBER})?[\s\-–—|]*$",
    re.IGNORECASE,
)
_LIST_MARKER = re.compile(
    r"^\s*(?:[•▪◦●■\-–—*]|[0-9\u0660-\u0669\u06f0-\u06f9]{1,3}\s*[.)\-–:]|[(\[][0-9\u0660-\u0669\u06f0-\u06f9a-zأ-ي]{1,3}[)\]]|[a-zأ-ي][.)])\s"
)
# Share of the page height, at the top and at the bottom, where running heads live.
_MARGIN_ZONE = 0.12
# Lines within this many of their sizes of the page's first or last text are at its edge.
_EDGE_ROWS = 1.0
_SIZE_CHANGE = 0.15


@dataclass(frozen=True)
class LineBox:
    """A line's extent and font size: all layout needs, without the glyphs (kept for a whole
    document until running heads are known, so it must stay small)."""

    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @classmethod
    def of(cls, line: RawLine) -> LineBox:
        return cls(line.x0, line.x1, line.top, line.bottom, line.size)


@dataclass(frozen=True)
class PlacedLine:
    """A line in logical order with the geometry layout decisions need."""

    raw: LineBox
    text: str
    direction: str
    confidence: float | None = None  # OCR'd lines: mean word confidence, 0-100


def running_key(text: str) -> str:
    """What stays the same in a running header or footer from page to page: its text without
    white space and digits (page numbers, in either digit set, at either end or inside), and
    without a page number's label ("صفحة 2": a gutter may cut it off one page's head, which
    is then known by the rest)."""
    return _DIGITS.sub("", "".join(_PAGE_LABEL.sub("", text).split()))


def is_page_number(text: str) -> bool:
    """Whether a line is a page number: a footer on a PDF page, a stray line in a text file."""
    return bool(_PAGE_NUMBER.match(text.strip()))


def margin_lines(lines: list[PlacedLine], height: float) -> list[int]:
    """Indexes of the lines at the top and at the bottom of a page: those no other line
    stands above (or below) by more than a line, and those in the margin zones. Running heads
    and feet are among them, wherever the producer put its margins."""
    if not height or not lines:
        return []
    top = min(line.raw.top for line in lines)
    bottom = max(line.raw.bottom for line in lines)
    return [
        i for i, line in enumerate(lines)
        if line.raw.bottom <= height * _MARGIN_ZONE or line.raw.top >= height * (1 - _MARGIN_ZONE)
        or line.raw.top <= top + _EDGE_ROWS * line.raw.size or line.raw.bottom >= bottom - _EDGE_ROWS * line.raw.size
    ]


@dataclass(frozen=True)
class RunningLines:
    """Where each margin text stands on each page: running heads and feet are the texts that
    stand at the same height on at least half the pages (and on two or more)."""

    places: dict[str, list[tuple[int, float, float]]]  # key -> (page, top, size)
    needed: int

    def __contains__(self, item: tuple[str, float]) -> bool:
        key, top = item
        spots = self.places.get(key, ())
        pages = {page for page, t, size in spots if abs(t - top) <= max(size, 4.0)}
        return len(pages) >= self.needed


def find_running_keys(pages: list[tuple[list[PlacedLine], float]]) -> RunningLines:
    places: dict[str, list[tuple[int, float, float]]] = {}
    for number, (lines, height) in enumerate(pages):
        for i in margin_lines(lines, height):
            key = running_key(lines[i].text)
            if key:
                places.setdefault(key, []).append((number, lines[i].raw.top, lines[i].raw.size))
    return RunningLines(places, max(2, (len(pages) + 1) // 2))


def drop_running_lines(lines: list[PlacedLine], height: float, running: RunningLines,
                       alone: bool = False) -> list[PlacedLine]:
    """Drop page numbers and running heads and feet (every copy: a document's title, when a
    head repeats it, stands in the body of its first page too). ``alone``: the page is the
    document's only one, so nothing repeats; a head or foot is then told by its form, a
    line in the margin set smaller than the body and apart from it, unless it opens with a
    note mark (a footnote looks the same, and is kept as one)."""
    doomed = set()
    for i in margin_lines(lines, height):
        text = lines[i].text
        if is_page_number(text) or (running_key(text), lines[i].raw.top) in running \
                or (alone and _looks_like_furniture(lines, i) and not is_note_start(text)):
            doomed.add(i)
    return [line for i, line in enumerate(lines) if i not in doomed]


def _looks_like_furniture(lines: list[PlacedLine], i: int) -> bool:
    """Set smaller than the body and apart from it: by more than a line, or by many times the
    white between the body's lines (tightly leaded pages leave less than a line under a
    running head)."""
    body = median(line.raw.size for line in lines)
    line = lines[i]
    if line.raw.size > 0.9 * body or len(lines) < 4:
        return False
    others = [o for j, o in enumerate(lines) if j != i]
    gap = min(max(o.raw.top - line.raw.bottom, line.raw.top - o.raw.bottom) for o in others)
    return gap > 1.2 * body or gap > APART_WHITE * _line_white(others)


# White this many times a page's usual white between lines parts what it separates: furniture
# from the body, a title or a note from the columns (qantara.layout.columns).
APART_WHITE = 2.5


def _line_white(lines: list[PlacedLine]) -> float:
    """The usual white between a line and the next one under it in its column."""
    rows = sorted(lines, key=lambda line: line.raw.top)
    gaps = []
    for k, a in enumerate(rows):
        below = next((b for b in rows[k + 1:] if b.raw.top > a.raw.bottom
                      and b.raw.x0 < a.raw.x1 and a.raw.x0 < b.raw.x1), None)
        if below is not None:
            gaps.append(below.raw.top - a.raw.bottom)
    return median(gaps) if gaps else float("inf")


_NOTE_MARK = re.compile(r"^\s*(?:[0-9\u0660-\u0669\u06f0-\u06f9]{1,3}|[*†‡])(?=\s|[^\s0-9\u0660-\u0669\u06f0-\u06f9.,/:\-])")
# Footnotes are set at most this share of the body's size.
_NOTE_SIZE = 0.9


def split_footnotes(lines: list[PlacedLine]) -> tuple[list[PlacedLine], list[PlacedLine]]:
    """A page's body and its footnotes: lines set smaller than the body at the foot of the
    page or of a column (no body line under them there), the first of each footnote
    opening with a mark. Footnotes interrupt the body's paragraphs where they stand; they
    are read after the body."""
    if len(lines) < 3:
        return lines, []
    body = median(line.raw.size for line in lines)
    small = [line.raw.size <= _NOTE_SIZE * body for line in lines]
    notes: set[int] = set()
    i = 0
    while i < len(lines):
        line = lines[i]
        if small[i] and _NOTE_MARK.match(line.text) and not _body_below(lines, small, line):
            j = i
            while j < len(lines) and small[j] and lines[j].raw.top >= line.raw.top - 1:
                notes.add(j)
                j += 1
            i = j
        else:
            i += 1
    if not notes or len(notes) == len(lines):
        return lines, []
    return [l for k, l in enumerate(lines) if k not in notes], [l for k, l in enumerate(lines) if k in notes]


def _body_below(lines: list[PlacedLine], small: list[bool], line: PlacedLine) -> bool:
    return any(not small[k] and other.raw.top > line.raw.bottom and _overlaps(other.raw, line.raw)
               for k, other in enumerate(lines))


def note_text(text: str) -> str:
    """A footnote's first line with a space after its mark (set as a superscript, the mark
    touches the note's first word)."""
    m = _NOTE_MARK.match(text)
    if m and not text[m.end():m.end() + 1].isspace():
        return text[:m.end()] + " " + text[m.end():]
    return text


def is_note_start(text: str) -> bool:
    return bool(_NOTE_MARK.match(text))


def assign_blocks(lines: list[PlacedLine], first_block: int, carried: PlacedLine | None = None) -> list[int]:
    """A block id per line: a new block where spacing, size, indentation or a list marker
    says a new paragraph starts. Headings (another size) get blocks of their own.

    A paragraph cut by a column or page break goes on: when the line before the break
    (``carried`` for the previous page's last line, whose block is ``first_block - 1``) runs
    the full width, the line after it continues its block.
    """
    if not lines:
        return []
    sizes = [line.raw.size for line in lines]
    body = median(sizes)
    gaps = [
        b.raw.top - a.raw.bottom
        for a, b in zip(lines, lines[1:])
        if b.raw.top > a.raw.top and _overlaps(a.raw, b.raw)
    ]
    leading = median(gaps) if gaps else body * 0.3
    edges = _column_edges(lines)
    full = full_width(lines)
    # In justified text every line but a paragraph's last runs the full measure, so a short
    # line ends its paragraph even where the spacing says nothing.
    spans = {
        id(line): line.raw.x0 <= edges[id(line)].left + 0.5 * line.raw.size
        and line.raw.x1 >= edges[id(line)].right - 0.5 * line.raw.size
        for line in lines
    }
    # Justified columns have two straight edges (ragged lines of large type reach both edges
    # within half a size often enough by chance).
    straight = sum(edges[id(line)].left_straight and edges[id(line)].right_straight for line in lines)
    justified = len(lines) >= 4 and straight >= 0.5 * len(lines)
    starts_new = carried is None or not _continues(carried, lines[0], carried_full=True)
    blocks = [first_block if starts_new else first_block - 1]
    for prev, line in zip(lines, lines[1:]):
        size = line.raw.size
        gap = line.raw.top - prev.raw.bottom
        if not _overlaps(prev.raw, line.raw) or gap < -0.5 * size:  # column break
            new = not _continues(prev, line, carried_full=full.get(id(prev), False))
        else:
            new = (
                _size_changed(prev, line)
                or gap > max(leading * 1.3, leading + 0.35 * size)
                or bool(_LIST_MARKER.match(line.text))
                or _indented(prev, line, edges[id(line)])
                or (justified and not spans[id(prev)])
            )
        blocks.append(blocks[-1] + 1 if new else blocks[-1])
    return blocks


@dataclass(frozen=True)
class _Measure:
    """The edges of a line's column: the outer edges of the lines of its size above and below
    it, and whether most of them reach each edge (a ragged edge tells no indent)."""

    left: float
    right: float
    left_straight: bool
    right_straight: bool

    def starts_straight(self, direction: str) -> bool:
        return self.right_straight if direction == "rtl" else self.left_straight


def _column_edges(lines: list[PlacedLine]) -> dict[int, _Measure]:
    """Each line's measure (by id): its column's, on a page of several. An edge is where most
    of the column's lines end, where they do (a word overflowing a narrow column is no edge),
    else the outermost line's end."""
    out = {}
    for line in lines:
        column = [o.raw for o in lines if _overlaps(o.raw, line.raw) and not _size_changed(o, line)]
        reach = _EDGE_REACH * line.raw.size
        left, left_straight = _shared_edge([b.x0 for b in column], reach, min)
        right, right_straight = _shared_edge([b.x1 for b in column], reach, max)
        out[id(line)] = _Measure(left, right, left_straight, right_straight)
    return out


def _shared_edge(ends: list[float], reach: float, outer: Callable[[list[float]], float]) -> tuple[float, bool]:
    """The edge lines ending at ``ends`` share, and whether most of them reach it; ``outer``
    (min or max) picks the outermost end where they share none. The edge is the densest
    window of ends ``reach`` wide, wherever it lies (a gutter's sides are judged around their
    median, :mod:`qantara.layout.columns`, which measured worse here)."""
    ends = sorted(ends)
    best, start = (0, 0), 0
    for stop, end in enumerate(ends):
        while end - ends[start] > reach:
            start += 1
        best = max(best, (stop - start + 1, start))
    count, start = best
    if count >= _STRAIGHT_SHARE * len(ends):
        window = ends[start:start + count]
        return outer(window), True
    return outer(ends), False


# A line reaches an edge within this many sizes; an edge most lines reach (this share) is
# straight: aligned or justified, not ragged.
_EDGE_REACH = 0.3
_STRAIGHT_SHARE = 0.75
# First-line indents are one to three sizes (LibreOffice's 1.25 cm at 12 pt is 3.5).
_MAX_INDENT = 4.0


def full_width(lines: list[PlacedLine]) -> dict[int, bool]:
    """Which lines (by id) run (nearly) the full measure of lines of their size."""
    widest: dict[float, float] = {}
    for line in lines:
        key = round(line.raw.size)
        widest[key] = max(widest.get(key, 0.0), line.raw.x1 - line.raw.x0)
    return {id(line): line.raw.x1 - line.raw.x0 >= 0.85 * widest[round(line.raw.size)] for line in lines}


def _continues(prev: PlacedLine, line: PlacedLine, carried_full: bool) -> bool:
    return carried_full and not _size_changed(prev, line) and not _LIST_MARKER.match(line.text)


def _size_changed(a: PlacedLine, b: PlacedLine) -> bool:
    return abs(a.raw.size - b.raw.size) > _SIZE_CHANGE * max(a.raw.size, b.raw.size)


def _overlaps(a: LineBox, b: LineBox) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0)


def _indented(prev: PlacedLine, line: PlacedLine, measure: _Measure) -> bool:
    """First-line indent: this line starts well inside the column while the previous one
    reached the column's start edge, which most lines reach. A line against the far edge
    that starts further in than an indent goes is no indented one but a paragraph's last
    line set flush to that edge (fpdf2 ends a justified right-to-left paragraph so)."""
    size = line.raw.size
    left, right = measure.left, measure.right
    if line.direction == "rtl":
        start_in, start_prev, end = right - line.raw.x1, right - prev.raw.x1, line.raw.x0 - left
    else:
        start_in, start_prev, end = line.raw.x0 - left, prev.raw.x0 - left, right - line.raw.x1
    flush_far = end <= _EDGE_REACH * size and start_in > _MAX_INDENT * size
    return measure.starts_straight(line.direction) and start_in > 1.0 * size and start_prev <= _EDGE_REACH * size and not flush_far
