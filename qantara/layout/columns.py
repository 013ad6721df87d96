"""Reading order from the page's whitespace: columns, however many, balanced or not.

A column gutter is white that runs down the page: a band at least about a font size wide
that no text crosses through a run of lines, with text on both sides of it in several of
those lines, and with the text on at least one side lined up against it (a column's edge is
straight; the white between words of justified text, which may line up by chance for a line
or two, has ragged sides). Lines that cross a gutter's band above or below it (titles,
headings across the columns, a footnote area, a one-column part of the page) cut the page
into slabs; each slab is read column by column, right to left on right-to-left pages, each
column top to bottom. This is the reading order of Breuel's rules for text lines
(a line comes before the lines under it; across a gutter, the whole column before the next,
unless a line spanning both lies between them), computed slab by slab.

Lines come in as :class:`~qantara.layout.lines.RawLine` rows: baseline clusters of a PDF
page (which may hold glyphs of several columns, and are cut at the gutters here) or lines an
OCR engine found. Both readers call :func:`reading_order`.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from statistics import median
from typing import Callable, Iterable

from .blocks import APART_WHITE, is_page_number
from .glyphs import Glyph
from .lines import RawLine, split_pieces

# A gutter is at least this many font sizes wide (real gutters are one to a few sizes
# wide; justified text has word spaces as wide, which line up by chance for a few lines:
# rivers, told apart by their ragged sides and by the space glyphs in them).
_MIN_GUTTER = 0.6
# Share of a band's lines whose space glyphs may lie in it, and how much wider than the
# word spaces of its lines a band must be when the producer draws no spaces.
_RIVER_SHARE = 0.25
_RIVER_WIDTH = 1.5
# White between glyphs wider than this many sizes is a word space, not letter spacing.
_WORD_WHITE = 0.15
# Lines looked at together for the white between columns.
_WINDOW = 4
# Gaps between glyphs narrower than this many sizes stay inside one chunk of ink.
_CHUNK_GAP = 0.5
# Lines on each side of a gutter it needs (one or two per side do not tell a column from
# the white between words that lines up by chance).
_MIN_SIDE = 3
# Share of a side's edges that must line up, within this many sizes of their median
# (a column's edge is straight to a fraction of a point; a river of word spaces is not).
_ALIGNED_SHARE = 0.75
# Where the document's other pages have a gutter, half the edges beside it suffice (a short
# column with indented first lines).
_HINT_ALIGNED_SHARE = 0.5
_ALIGNED = 0.4
# Edges of a PDF page's column line up to this many sizes (a fraction of a point); an OCR
# engine's word boxes never do.
_EXACT = 0.05
# A vertical gap with no line of the page in it ends a gutter when it is this many sizes
# and APART_WHITE times the page's usual white between lines.
_APART = 1.2
# Ink this many sizes from a band still flanks it (a ragged line ends that far short).
_FLANK = 8.0
# Type this much larger or smaller than a band's lines is a heading's or a running head's
# (titles are set 1.3-2 times the body's size, running heads and notes 0.6-0.8 times).
_OTHER_SIZE = 1.2
# A column is at least this many sizes wide: the white after list numbers or between a
# label and its value is no gutter.
_MIN_COLUMN = 4.0


@dataclass(frozen=True)
class Gutter:
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


def _chunks(line: RawLine) -> list[tuple[float, float]]:
    """The line's ink as x-intervals: glyphs closer than a fraction of the size merged."""
    boxes = sorted((g.x0, g.x1) for g in line.bases if not g.is_space)
    if not boxes:
        return []
    gap = _CHUNK_GAP * line.size
    out = [list(boxes[0])]
    for x0, x1 in boxes[1:]:
        if x0 - out[-1][1] <= gap:
            out[-1][1] = max(out[-1][1], x1)
        else:
            out.append([x0, x1])
    return [(a, b) for a, b in out]


class _Row:
    __slots__ = ("line", "chunks", "starts", "size", "top", "bottom")

    def __init__(self, line: RawLine) -> None:
        self.line = line
        self.chunks = _chunks(line)
        self.starts = [c[0] for c in self.chunks]
        self.size = line.size
        self.top = line.top
        self.bottom = line.bottom

    def free(self, x0: float, x1: float) -> tuple[float, float] | None:
        """The widest part of [x0, x1] no chunk of this row covers (None if all covered)."""
        best: tuple[float, float] | None = None
        cursor = x0
        i = max(0, bisect_left(self.starts, x0) - 1)
        while i < len(self.chunks) and self.chunks[i][0] < x1:
            a, b = self.chunks[i]
            if b > cursor:
                if a > cursor and (best is None or a - cursor > best[1] - best[0]):
                    best = (cursor, a)
                cursor = max(cursor, b)
            i += 1
        if cursor < x1 and (best is None or x1 - cursor > best[1] - best[0]):
            best = (cursor, x1)
        return best

    def spaced_across(self, x0: float, x1: float) -> bool:
        """Whether a space glyph in [x0, x1] joins the words on either side in the
        producer's own order (the glyphs drawn before and after it lie on its two sides): the
        white is a space between two words of one line. Its two sides, not the band's: a
        justified line's space glyph has its natural width at one edge of the white, and the
        band's edges come from other lines."""
        by_seq = {g.seq: g for g in self.line.glyphs if g.seq >= 0}
        for g in self.line.glyphs:
            if not g.is_space or g.seq < 0 or not (x0 - 1 <= g.center <= x1 + 1):
                continue
            before, after = by_seq.get(g.seq - 1), by_seq.get(g.seq + 1)
            if before is None or after is None or before.is_space or after.is_space:
                continue
            if (before.center - g.center) * (after.center - g.center) < 0:
                return True
        return False

    def word_spaces(self, x0: float, x1: float, within: float) -> list[float]:
        """The white between this row's words outside [x0, x1] but ``within`` of it (the
        line of this column, not of the columns beyond): gaps between glyphs wider than
        letters leave. Glyph by glyph, not chunk by chunk: between chunks lie only the wide
        gaps, the page's other gutters among them (three columns)."""
        boxes = sorted((g.x0, g.x1) for g in self.line.bases if not g.is_space)
        out = []
        reach = boxes[0][1] if boxes else 0.0
        for a, b in boxes[1:]:
            if (a - reach > _WORD_WHITE * self.size and (a <= x0 or reach >= x1)
                    and x0 - within <= reach and a <= x1 + within):
                out.append(a - reach)
            reach = max(reach, b)
        return out

    def inside(self, x0: float, x1: float) -> bool:
        return any(x0 <= a and b <= x1 for a, b in self.chunks)

    def left_edge(self, x: float) -> float | None:
        """Right end of this row's ink left of x."""
        ends = [b for a, b in self.chunks if b <= x]
        return max(ends) if ends else None

    def right_edge(self, x: float) -> float | None:
        starts = [a for a, b in self.chunks if a >= x]
        return min(starts) if starts else None


def find_gutters(lines: Iterable[RawLine], hints: Iterable[tuple[float, float]] = ()) -> list[Gutter]:
    """Column gutters of a page. ``hints``: gutters (x0, x1) of the document's other pages,
    accepted here on weaker evidence (one line each side) where the page is white there: a
    last page's columns may hold a line or two."""
    rows = [_Row(line) for line in lines if line.glyphs]
    rows = [r for r in rows if r.chunks]
    rows.sort(key=lambda r: r.top)
    spacing = _line_spacing(rows)
    found: list[Gutter] = []
    for i, row in enumerate(rows):
        for a, b in _window_gaps(rows, i):
            if b - a < _MIN_GUTTER * row.size or _covered(found, a, b, row):
                continue
            gutter = _grow(rows, i, a, b, _MIN_SIDE, spacing)
            if gutter is not None:
                found.append(gutter)
    for x0, x1 in hints:
        for i, row in enumerate(rows):
            span = row.free(x0, x1)
            if span is not None and span[1] - span[0] >= _MIN_GUTTER * row.size * 0.8:
                gutter = _grow(rows, i, *span, 1, spacing, _HINT_ALIGNED_SHARE)
                if gutter is not None:
                    # Kept where it runs along lines that no gutter found in its place does: a
                    # column of a line or two leaves white from the gutter before it to the
                    # one after it under its lines, found as one gutter that ends there.
                    if not any(g.x0 < gutter.x1 and gutter.x0 < g.x1 and g.top <= gutter.top
                               and gutter.bottom <= g.bottom for g in found):
                        found.append(gutter)
                    break
    return _wide_columns(_merge(found), rows)


def _line_spacing(rows: list[_Row]) -> float:
    """The page's usual white between a line and the next one under it in its column
    (lines of other columns between, set at other heights, are not the next one)."""
    gaps = []
    for k, a in enumerate(rows):
        for b in rows[k + 1:]:
            if b.top > a.bottom and _overlap(a.chunks, b.chunks):
                gaps.append(b.top - a.bottom)
                break
    return median(gaps) if gaps else 0.0


def _overlap(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    return any(x0 < y1 and y0 < x1 for x0, x1 in a for y0, y1 in b)


def _wide_columns(gutters: list[Gutter], rows: list[_Row]) -> list[Gutter]:
    """Gutters whose columns on both sides are wide enough to hold text, the widest first
    (the columns of a narrower one end at the wider ones kept)."""
    kept: list[Gutter] = []
    for g in sorted(gutters, key=lambda g: g.x0 - g.x1):
        beside = [r for r in rows if r.top < g.bottom and g.top < r.bottom]
        size = median(r.size for r in beside)
        walls = sorted(o.center for o in kept if o.top < g.bottom and g.top < o.bottom)
        left_wall = max((w for w in walls if w < g.x0), default=float("-inf"))
        right_wall = min((w for w in walls if w > g.x1), default=float("inf"))
        left = [a for r in beside for a, b in r.chunks if left_wall < a and b <= g.x0 + 0.5]
        right = [b for r in beside for a, b in r.chunks if a >= g.x1 - 0.5 and b < right_wall]
        if left and right and g.x0 - min(left) >= _MIN_COLUMN * size and max(right) - g.x1 >= _MIN_COLUMN * size:
            kept.append(g)
    return kept


def _window_gaps(rows: list[_Row], i: int) -> list[tuple[float, float]]:
    """The white between the ink of a few lines from row i down: where a gutter may start.
    A few lines, not one: lines an OCR engine found hold one column each, side by side."""
    chunks = sorted(c for row in rows[i:i + _WINDOW] for c in row.chunks)
    gaps = []
    reach = chunks[0][1]
    for a, b in chunks[1:]:
        if a > reach:
            gaps.append((reach, a))
        reach = max(reach, b)
    return gaps


def _covered(found: list[Gutter], a: float, b: float, row: _Row) -> bool:
    return any(g.x0 >= a - 1 and g.x1 <= b + 1 and g.top <= row.top and row.bottom <= g.bottom for g in found)


def _grow(rows: list[_Row], i: int, a: float, b: float, need: int, spacing: float = 0.0,
          aligned: float = _ALIGNED_SHARE) -> Gutter | None:
    """Follow the white band [a, b] of row i up and down while it stays wide enough;
    a gutter if enough lines on each side flank it and one side is straight."""
    lefts: list[float] = []
    rights: list[float] = []
    span = (a, b)
    members = [i]
    for step in (1, -1):
        j = i + step
        band = span
        last = rows[i]
        while 0 <= j < len(rows):
            row = rows[j]
            # White across the whole page is no column's: a title above the columns, a note
            # under them, stand apart by more than a line (of the smaller type: a title's
            # size is no measure of the white after it).
            gap = (row.top - last.bottom) if step == 1 else (last.top - row.bottom)
            if gap > max(_APART * min(row.size, last.size), APART_WHITE * spacing):
                break
            last = row
            free = row.free(*band)
            # Ink standing inside the band (a centred page number, a short title) ends the
            # gutter; ink reaching into it from a side (a ragged line) narrows it.
            if free is None or free[1] - free[0] < _MIN_GUTTER * row.size * 0.8 or row.inside(*band):
                break
            band = free
            members.append(j)
            j += step
        if step == 1:
            span = band
        else:
            span = (max(span[0], band[0]), min(span[1], band[1]))
    if span[1] <= span[0]:
        return None
    members = _without_headings(rows, sorted(members, key=lambda j: rows[j].top), span)
    if not members:
        return None
    size = median(rows[j].size for j in members)
    # The ink flanking the band: what lies beyond the next column is not its edge.
    reach = _FLANK * size
    # Lines with ink on both sides run through the band; the others are beside it (lines of
    # the next column at heights between this column's).
    through = []
    for j in members:
        left, right = rows[j].left_edge(span[0] + 0.5), rows[j].right_edge(span[1] - 0.5)
        near_left = left is not None and left >= span[0] - reach
        near_right = right is not None and right <= span[1] + reach
        if near_left:
            lefts.append(left)
        if near_right:
            rights.append(right)
        if near_left and near_right:
            through.append(j)
    short, long_ = sorted((lefts, rights), key=len)
    if not short or not (_straight(lefts, size, aligned) or _straight(rights, size, aligned)):
        return None
    # A column of a line or two (a one-page document's last column) stands beside a straight
    # edge twice as long as a gutter needs, the band white across its lines: the white is no
    # chance alignment of words.
    few = len(short) < need
    if few and not (len(long_) >= 2 * need and _straight(long_, size, aligned)):
        return None
    # The band itself: from the straightest edges, not from one line's gap, nor from a line
    # that reaches into it off a straight edge (a page number set over the column's end, a
    # long word overflowing a narrow column).
    x0 = max(_edge(lefts, size, aligned))
    x1 = min(_edge(rights, size, aligned))
    if x1 - x0 < _MIN_GUTTER * size * 0.8:
        return None
    if few and any(rows[j].free(x0, x1) != (x0, x1) for j in through):
        return None
    # White that the producer's own space glyphs fill is a river of word spaces. White no
    # wider than the word spaces of the lines it runs through is one too, unless a side of it
    # is a column's edge to a fraction of a point along its lines, which no river is
    # (justified lines of a narrow column have word spaces as wide as a gutter); where the
    # producer draws space glyphs, only if it drew the words facing each other across it one
    # shortly after the other, as the words of one line are (Ghostscript keeps the space
    # glyphs of a re-distilled page, but not in the order that shows them joining words).
    spaced = any(g.is_space for j in members for g in rows[j].line.glyphs)
    if spaced and sum(rows[j].spaced_across(x0, x1) for j in members) > _RIVER_SHARE * min(len(lefts), len(rights)):
        return None
    spaces = [w for j in through for w in rows[j].word_spaces(x0, x1, reach)]
    if (spaces and x1 - x0 < _RIVER_WIDTH * median(spaces) and not _exact(rows, through, x0, x1, size)
            and (not spaced or _drawn_together(rows, through, x0, x1))):
        return None
    return Gutter(x0, x1, min(rows[j].top for j in members), max(rows[j].bottom for j in members))


def _without_headings(rows: list[_Row], members: list[int], span: tuple[float, float]) -> list[int]:
    """The band's rows (top to bottom) without the headings at its top: a row in type of
    another size with ink on one side of the band only is a title or running head over the
    columns, not a column's line (a centred title narrower than the middle column of three
    stands in it, as close above its lines as they are to each other, and the running head
    above it). Under the columns such rows stay: a column may end in a paragraph of larger
    type, which a gutter ended above it would read after the other columns."""
    size = median(rows[j].size for j in members)

    def heading(j: int) -> bool:
        row = rows[j]
        return max(row.size, size) > _OTHER_SIZE * min(row.size, size) and (
            row.left_edge(span[0] + 0.5) is None or row.right_edge(span[1] - 0.5) is None)

    while members and heading(members[0]):
        members = members[1:]
    return members


def _drawn_together(rows: list[_Row], through: list[int], x0: float, x1: float) -> bool:
    """Whether the glyphs facing each other across a band were drawn within a line's worth
    of glyphs of each other (two columns are drawn one after the other)."""
    apart, lengths = [], []
    for j in through:
        drawn = [g for g in rows[j].line.glyphs if not g.is_space and g.seq >= 0]
        left = [g for g in drawn if g.x1 <= x0 + 0.5]
        right = [g for g in drawn if g.x0 >= x1 - 0.5]
        if left and right:
            apart.append(abs(max(left, key=lambda g: g.x1).seq - min(right, key=lambda g: g.x0).seq))
            lengths.append(len(drawn))
    return bool(apart) and median(apart) < median(lengths)


def _exact(rows: list[_Row], through: list[int], x0: float, x1: float, size: float) -> bool:
    """Whether the edges of the lines running through a band line up exactly on one side."""
    if len(through) < 2 * _MIN_SIDE:
        return False
    for side in ([rows[j].left_edge(x0 + 0.5) for j in through], [rows[j].right_edge(x1 - 0.5) for j in through]):
        edges = [e for e in side if e is not None]
        if edges and _straight(edges, size, _ALIGNED_SHARE, _EXACT):
            return True
    return False


def _edge(edges: list[float], size: float, share: float) -> list[float]:
    """A side's edges that line up, where it is straight; all of them where it is ragged."""
    if not _straight(edges, size, share):
        return edges
    edge = median(edges)
    return [e for e in edges if abs(e - edge) <= _ALIGNED * size]


def _straight(edges: list[float], size: float, share: float = _ALIGNED_SHARE, within: float = _ALIGNED) -> bool:
    """Whether most edges line up (within a fraction of the size of their median: an OCR
    engine's word boxes wander by a few pixels, and one line may stick out)."""
    edge = median(edges)
    return sum(abs(e - edge) <= within * size for e in edges) >= share * len(edges)


def _merge(gutters: list[Gutter]) -> list[Gutter]:
    """One gutter per band: those overlapping in x and touching in y become one."""
    out: list[Gutter] = []
    for g in sorted(gutters, key=lambda g: (g.x0, g.top)):
        for k, o in enumerate(out):
            if g.x0 < o.x1 and o.x0 < g.x1 and g.top <= o.bottom + 1 and o.top <= g.bottom + 1:
                out[k] = Gutter(max(o.x0, g.x0), min(o.x1, g.x1), min(o.top, g.top), max(o.bottom, g.bottom))
                break
        else:
            out.append(g)
    return out


def split_at_gutters(lines: list[RawLine], gutters: list[Gutter]) -> list[RawLine]:
    """Cut each line where a gutter runs through it (a baseline cluster of a PDF page may
    hold lines of several columns)."""
    if not gutters:
        return lines
    out: list[RawLine] = []
    for line in lines:
        cuts = sorted(g.center for g in gutters if g.top <= line.bottom and line.top <= g.bottom
                      and line.x0 < g.center < line.x1)
        if not cuts:
            out.append(line)
            continue
        parts: list[list] = [[] for _ in range(len(cuts) + 1)]
        for g in line.glyphs:
            parts[bisect_left(cuts, g.center)].append(g)
        out.extend(RawLine(tuple(p), line.main_font) for p in parts if any(not g.is_space for g in p))
    return out


def reading_order(lines: list[RawLine], rtl: bool, hints: Iterable[tuple[float, float]] = (),
                  regroup: Callable[[list[Glyph]], list[RawLine]] | None = None) -> tuple[list[RawLine], list[Gutter]]:
    """Lines (any order) in reading order, cut at the page's gutters; and the gutters.

    ``regroup``: how glyphs make lines (PDF pages), to make them again column by column once
    the gutters are known: lines of neighbouring columns sit at slightly different heights,
    and grouped across the page they would take each other's glyphs (a mark drawn a little
    higher than its letter)."""
    first, lines, last = _numbers_apart(lines)
    gutters = find_gutters(lines, hints)
    if gutters and regroup is not None:
        columns: dict[tuple[int, ...], list[Glyph]] = {}
        for line in lines:
            for g in line.glyphs:
                c = g.center
                key = tuple(i for i, gut in enumerate(gutters)
                            if gut.top <= g.bottom and g.top <= gut.bottom and gut.center < c)
                columns.setdefault(key, []).append(g)
        lines = [line for glyphs in columns.values() for line in regroup(glyphs)]
    lines = split_at_gutters(lines, gutters)
    return first + _order(sorted(lines, key=lambda l: l.top), gutters, rtl) + last, gutters


def _numbers_apart(lines: list[RawLine]) -> tuple[list[RawLine], list[RawLine], list[RawLine]]:
    """Page numbers of the page's top and bottom rows set apart from its body: (those above,
    the body, those below). A number centred under the gutter, beside the last line of the
    longer column (Impress's slide numbers), would end the gutter a line early and have that
    line read after both columns."""
    rows = [line for line in lines if line.glyphs]
    if len(rows) < 2:
        return [], lines, []
    top = min(line.top for line in rows)
    bottom = max(line.top for line in rows)
    first: list[RawLine] = []
    last: list[RawLine] = []
    body: list[RawLine] = []
    for line in lines:
        edge = None
        if line.glyphs and line.top - top < 0.5 * line.size:
            edge = first
        elif line.glyphs and bottom - line.top < 0.5 * line.size:
            edge = last
        if edge is None:
            body.append(line)
            continue
        pieces = split_pieces(line)
        numbers = [p for p in pieces if _is_number(p)]
        if not numbers:
            body.append(line)
            continue
        edge.extend(numbers)
        body.extend(p for p in pieces if not any(p is n for n in numbers))
    return first, body, last


def _is_number(piece: RawLine) -> bool:
    # Glyphs left to right: a right-to-left page number ("صفحة 3") reads backwards.
    text = "".join(g.text for g in sorted(piece.glyphs, key=lambda g: g.x0))
    return is_page_number(text) or is_page_number(text[::-1])


def _order(lines: list[RawLine], gutters: list[Gutter], rtl: bool) -> list[RawLine]:
    if not gutters or len(lines) < 2:
        return lines
    out: list[RawLine] = []
    slab: list[RawLine] = []
    # A gutter that runs along part of another's height lies in one of its columns (a table
    # in a column, or white between two words that lines up): it orders that column's lines,
    # and the lines of that column above and below it do not cut the page.
    outer = [g for g in gutters if not any(_nested(g, h) for h in gutters)]

    def flush() -> None:
        if not slab:
            return
        top, bottom = min(l.top for l in slab), max(l.bottom for l in slab)
        cuts = sorted(g.center for g in outer if g.top < bottom and top < g.bottom)
        if not cuts:
            out.extend(slab)
        else:
            columns: list[list[RawLine]] = [[] for _ in range(len(cuts) + 1)]
            for line in slab:
                columns[bisect_left(cuts, (line.x0 + line.x1) / 2)].append(line)
            inside = [g for g in gutters if not any(g.x0 < c < g.x1 for c in cuts)]
            for column in (reversed(columns) if rtl else columns):
                out.extend(_order(column, inside, rtl))
        slab.clear()

    for line in lines:
        beside = [g for g in outer if g.top <= line.bottom and line.top <= g.bottom]
        if not beside or any(_crosses(line, g) for g in outer):
            # Crossing a gutter's band, or above or below every gutter: not in a column.
            flush()
            out.append(line)
        else:
            slab.append(line)
    flush()
    return out


def _crosses(line: RawLine, g: Gutter) -> bool:
    """Whether a line runs across a gutter's band, from one side to the other: a long word
    overflowing a narrow column reaches into the band (past its middle, in a narrow gutter)
    but is still its column's line."""
    reach = 0.1 * (g.x1 - g.x0)
    return line.x0 < g.x0 + reach and g.x1 - reach < line.x1


def _nested(g: Gutter, h: Gutter) -> bool:
    """Whether h runs along all of g's height and more."""
    return h.top <= g.top and g.bottom <= h.bottom and (h.top < g.top or g.bottom < h.bottom)
