"""Group a page's glyphs into lines, and lines into columns, by geometry alone."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from statistics import median

from .glyphs import Glyph

# Glyphs whose baselines differ by less than this share of the font size share a line.
_BASELINE_TOLERANCE = 0.35
# A gap wider than this many font sizes splits a line into pieces (columns, table cells).
_COLUMN_GAP = 1.5
# A footnote mark or superscript: at most this many glyphs, at most this share of the size
# of the line beside it.
_SUPERSCRIPT_GLYPHS = 3
_SUPERSCRIPT_SIZE = 0.8


@dataclass(frozen=True)
class RawLine:
    glyphs: tuple[Glyph, ...]
    # The font most of the page's letters are drawn in (None where glyphs have no font).
    main_font: str | None = None

    @cached_property
    def x0(self) -> float:
        return min(g.x0 for g in self.glyphs)

    @cached_property
    def x1(self) -> float:
        return max(g.x1 for g in self.glyphs)

    @cached_property
    def top(self) -> float:
        return min(g.top for g in self._body)

    @cached_property
    def bottom(self) -> float:
        return max(g.bottom for g in self._body)

    @cached_property
    def _body(self) -> tuple[Glyph, ...]:
        """The glyphs in the page's main font, or else the line's. Boxes come from each
        font's ascent and descent: a bracket or Latin word set in a fallback font sits on the
        same baseline with another top and bottom, and would make the spacing between lines
        look uneven (a line may hold as many glyphs of the fallback font as of the main one)."""
        letters = [g for g in self.bases if not g.is_space] or list(self.glyphs)
        fonts = Counter(g.font for g in letters)
        if len(fonts) == 1:
            return tuple(letters)
        main = self.main_font if self.main_font in fonts else fonts.most_common(1)[0][0]
        return tuple(g for g in letters if g.font == main)

    @cached_property
    def bases(self) -> tuple[Glyph, ...]:
        return tuple(g for g in self.glyphs if not g.is_mark)

    @cached_property
    def pieces(self) -> list[RawLine]:
        """The line split at wide gaps (see :func:`split_pieces`); both the column finder and
        the reordering need them."""
        return _split_pieces(self)

    @cached_property
    def size(self) -> float:
        sizes = [g.size for g in self.bases if not g.is_space] or [g.size for g in self.glyphs]
        return median(sizes)


def group_lines(glyphs: list[Glyph]) -> list[RawLine]:
    """Cluster glyphs by baseline; diacritics join the line they overlap most."""
    bases = sorted((g for g in glyphs if not g.is_mark), key=_baseline)
    clusters: list[list[Glyph]] = []
    anchors: list[float] = []
    for g in bases:
        base = _baseline(g)
        if clusters and base - anchors[-1] <= _BASELINE_TOLERANCE * g.size:
            clusters[-1].append(g)
        else:
            clusters.append([g])
            anchors.append(base)
    clusters = _merge_superscripts_apart(clusters)
    bounds = [
        (min(c.top for c in cl), max(c.bottom for c in cl), min(c.x0 for c in cl), max(c.x1 for c in cl))
        for cl in clusters
    ]
    baselines = [median(_baseline(g) for g in cl) for cl in clusters]
    for mark in (g for g in glyphs if g.is_mark):
        mid = (mark.top + mark.bottom) / 2
        best = None
        for i, (top, bottom, lo, hi) in enumerate(bounds):
            if lo - mark.size <= mark.center <= hi + mark.size:
                if mark.baseline is not None:
                    # A shaper moves a mark a little off its letter's baseline, never a line.
                    dist = max(0.0, abs(mark.baseline - baselines[i]) - _BASELINE_TOLERANCE * mark.size)
                else:
                    dist = 0.0 if top <= mid <= bottom else min(abs(mid - top), abs(mid - bottom))
                if best is None or dist < best[0]:
                    best = (dist, i)
        # A mark near no line (its letters were drawn in a font without a text layer, or
        # it is a stray) is dropped: on a line of its own it would read as a word.
        if best is not None and best[0] <= mark.size:
            clusters[best[1]].append(mark)
    fonts = Counter(g.font for g in bases if not g.is_space)
    main = fonts.most_common(1)[0][0] if fonts else None
    lines = [RawLine(tuple(c), main) for c in clusters]
    return sorted(lines, key=lambda line: line.top)


def _baseline(g: Glyph) -> float:
    return g.bottom if g.baseline is None else g.baseline


def _merge_superscripts_apart(clusters: list[list[Glyph]]) -> list[list[Glyph]]:
    """Superscripts merged with the line they are raised from, those standing apart on
    another line's baseline included; one that finds no such line stays where it was."""
    parts: list[list[Glyph]] = []
    owner: dict[int, list[Glyph]] = {}
    for cluster in clusters:
        kept, *apart = _detach_superscripts(cluster)
        parts.append(kept)
        for piece in apart:
            owner[id(piece)] = kept
            parts.append(piece)
    merged = _merge_superscripts(parts)
    for piece in merged:
        if id(piece) in owner:
            owner[id(piece)].extend(piece)
    return [piece for piece in merged if id(piece) not in owner]


def _detach_superscripts(cluster: list[Glyph]) -> list[list[Glyph]]:
    """A baseline's glyphs with the superscripts standing apart from its line set apart: a
    footnote's raised mark can share its baseline with the line of the next column by
    chance (Typst's "١" over a footnote under the left column and the right column's last
    line), and would be read as a word of that line, or as a page number beside it."""
    sizes = [g.size for g in cluster]
    # Glyphs all of a size (most lines) hold no superscript: no need to cut the line up.
    if len(cluster) <= _SUPERSCRIPT_GLYPHS or min(sizes) > _SUPERSCRIPT_SIZE * max(sizes):
        return [cluster]
    line = RawLine(tuple(cluster))
    apart = [p for p in line.pieces if len(p.glyphs) <= _SUPERSCRIPT_GLYPHS and not any(g.is_space for g in p.glyphs)
             and max(g.size for g in p.glyphs) <= _SUPERSCRIPT_SIZE * line.size]
    kept = [g for p in line.pieces if p not in apart for g in p.glyphs]
    # What stays must be a line, not a superscript itself (it might be merged away).
    if not apart or len(kept) <= _SUPERSCRIPT_GLYPHS:
        return [cluster]
    return [kept, *(list(p.glyphs) for p in apart)]


def _merge_superscripts(clusters: list[list[Glyph]]) -> list[list[Glyph]]:
    """Put footnote marks and other superscripts (a few small glyphs, raised off the
    baseline) back on the line they sit beside instead of on a line of their own."""
    small = [
        i for i, cl in enumerate(clusters)
        if len(cl) <= _SUPERSCRIPT_GLYPHS and not any(g.is_space for g in cl)
    ]
    if not small:
        return clusters
    merged: dict[int, int] = {}
    for i in small:
        cl = clusters[i]
        size = max(g.size for g in cl)
        top, bottom = min(g.top for g in cl), max(g.bottom for g in cl)
        x0, x1 = min(g.x0 for g in cl), max(g.x1 for g in cl)
        # The line it is raised from: of the lines it touches, the nearest whose baseline
        # is below its own.
        raised = median(_baseline(g) for g in cl)
        candidates = []
        for j in range(max(0, i - 2), min(len(clusters), i + 3)):
            other = clusters[j]
            if j == i or j in merged or len(other) <= len(cl):
                continue
            near = [g for g in other if g.x0 - size <= x1 and x0 <= g.x1 + size]
            if near and size <= _SUPERSCRIPT_SIZE * median(g.size for g in other) \
                    and top < min(g.bottom for g in near) and bottom > min(g.top for g in near):
                below = median(_baseline(g) for g in other) - raised
                candidates.append((below < 0, abs(below), j))
        if candidates:
            merged[i] = min(candidates)[2]
    for i, j in merged.items():
        clusters[j].extend(clusters[i])
    return [cl for i, cl in enumerate(clusters) if i not in merged]


def split_pieces(line: RawLine) -> list[RawLine]:
    """Split a line at gaps wider than a few spaces (returns pieces left to right)."""
    return line.pieces


def _split_pieces(line: RawLine) -> list[RawLine]:
    bases = sorted((g for g in line.bases if not g.is_space), key=lambda g: g.x0)
    if not bases:
        return [line]
    size = line.size
    bounds: list[tuple[float, float]] = []
    start, right = bases[0].x0, bases[0].x1
    for g in bases[1:]:
        if g.x0 - right > _COLUMN_GAP * size:
            bounds.append((start, right))
            start = g.x0
        right = max(right, g.x1)
    bounds.append((start, right))
    if len(bounds) == 1:
        return [line]
    pieces: list[list[Glyph]] = [[] for _ in bounds]
    for g in line.glyphs:
        c = g.center
        index = min(range(len(bounds)), key=lambda i: 0 if bounds[i][0] <= c <= bounds[i][1]
                    else min(abs(c - bounds[i][0]), abs(c - bounds[i][1])))
        pieces[index].append(g)
    return [RawLine(tuple(p), line.main_font) for p in pieces if p]
