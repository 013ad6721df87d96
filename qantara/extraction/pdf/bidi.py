"""Visual to logical order for one line of glyphs.

PDF text layers list glyphs as they are drawn, left to right. Running the Unicode bidi
algorithm (python-bidi's reference implementation) over that visual sequence gives back the
logical order for the lines documents contain: right-to-left runs are reversed, and numbers
and Latin runs inside them keep their left-to-right order. Each glyph is one unit of the
algorithm, so a ligature glyph whose text layer says "لا" keeps its two letters in order;
diacritics are attached to the glyph they sit on before reordering and follow it after.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from statistics import median
from typing import Iterable, Iterator

from bidi import algorithm as _uba
from bidi.mirror import MIRRORED

from ...arabic.direction import direction
from ...layout.glyphs import KASHIDA, Glyph, glyph_bidi_type, is_unusable_text

_STRAY = re.compile(r"[!-/:-@\[-`{-~\u00a1-\u00bf\u00c0-\u024f]")
_ARABIC_LETTER = re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")
# Punctuation that really stands between two Arabic words with no space: الثاني/نوفمبر, و/أو.
_WORD_JOINERS = frozenset("/-")

# Punctuation that ends a clause, written glued to the word before it.
_CLAUSE_MARKS = frozenset("،,.;:؛")
# Types that, present in a right-to-left line, make some of it left-to-right, and the reverse.
_LTR_TYPES = frozenset({"L", "EN", "AN", "LRE", "LRO", "LRI", "RLE", "RLO", "RLI", "FSI", "PDF", "PDI"})
_RTL_TYPES = frozenset({"R", "AL", "AN", "LRE", "LRO", "LRI", "RLE", "RLO", "RLI", "FSI", "PDF", "PDI"})
_SPACE = Glyph(" ", 0.0, 0.0, 0.0, 0.0, 0.0)
# A horizontal gap wider than this share of the font size is a word space the producer
# did not draw as a glyph.
_WORD_GAP = 0.15
# Digits are set tight: justification that spaces the letters of a line out does not part
# them (LibreOffice Impress), only a wider gap does.
_DIGIT_GAP = 0.5
# Share of the line's own space glyph's width that parts a left-to-right run from a
# right-to-left one (letters of one word touch; two scripts are not one word).
_BOUNDARY_SPACE = 0.5
# A mark this far (share of its size) inside a glyph's advance sits on that glyph.
_MARK_INSIDE = 0.03


@dataclass(frozen=True)
class LogicalLine:
    text: str
    direction: str  # "rtl" or "ltr"


def _strong_letters(glyphs: Iterable[Glyph]) -> Iterator[tuple[Glyph, bool]]:
    """The glyphs that are letters with a direction, each with True when left-to-right."""
    for g in glyphs:
        t = glyph_bidi_type(g.text)
        if t == "L":
            yield g, True
        elif t in ("R", "AL"):
            yield g, False


def page_direction(glyphs: Iterable[Glyph]) -> str:
    """"ltr" when a page has more Latin letters than Arabic ones (glyphs without text, which
    pdfminer names "(cid:28)", are no Latin letters: LibreOffice's kashida glyphs outnumber
    the letters of a narrow justified column)."""
    return direction("".join(g.text for g in glyphs if not is_unusable_text(g.text)))


def line_direction(glyphs: list[Glyph], default: str | None = None) -> str:
    """Base direction from content.

    A line beginning (visually) in one script and ending in the other is ambiguous, however
    many letters each has (an Arabic sentence ending in an English title looks like an
    English one ending in an Arabic word, and a narrow column's line may hold a long Latin
    name and one Arabic word): it follows ``default``, the page's direction, when given.
    Otherwise a line with twice as many letters of one direction as of the other takes that
    direction, and else its ends decide.
    """
    rtl = ltr = 0
    left: Glyph | None = None
    right: Glyph | None = None
    for g, is_ltr in _strong_letters(glyphs):
        if is_ltr:
            ltr += 1
        else:
            rtl += 1
        if left is None or g.x0 < left.x0:
            left = g
        if right is None or g.x1 > right.x1:
            right = g
    if not (ltr or rtl):
        return default or "rtl"
    if not rtl and default == "rtl" and _brackets_face_out(glyphs):
        return "rtl"
    ends = {glyph_bidi_type(left.text) == "L", glyph_bidi_type(right.text) == "L"}
    if len(ends) == 2 and default is not None:
        return default
    if ltr >= 2 * rtl:
        return "ltr"
    if rtl >= 2 * ltr:
        return "rtl"
    if len(ends) == 1:
        return "ltr" if ends == {True} else "rtl"
    return "ltr" if ltr > rtl else "rtl"


def _brackets_face_out(glyphs: list[Glyph]) -> bool:
    """Whether a line opens a bracket at its right end or closes one at its left: no
    left-to-right line does, but a Latin phrase wrapped onto a line of its own in a
    right-to-left paragraph does, its bracket's logical character named ("(Astana
    International" drawn "Astana International(")."""
    ink = [g for g in glyphs if not g.is_space]
    if not ink:
        return False
    left, right = min(ink, key=lambda g: g.x0), max(ink, key=lambda g: g.x1)
    return unicodedata.category(right.text[-1:]) == "Ps" or unicodedata.category(left.text[:1]) == "Pe"


def _rides(g: Glyph) -> bool:
    """A diacritic, or a letter drawn with no width: the second letter of a ligature glyph
    (LibreOffice writes "لا" as a lam-alef glyph named lam, then a zero-width alef at the
    pen's position after it). Either belongs to the glyph of its cluster."""
    return g.is_mark or (g.x1 - g.x0 < 0.01 and not g.is_space)


def attach_marks(glyphs: list[Glyph], direction: str,
                 rightward: bool | None = None) -> list[tuple[Glyph, list[Glyph]]]:
    """Pair each base glyph (visual order) with the diacritics and ligature letters drawn
    on it."""
    bases = sorted((g for g in glyphs if not _rides(g)), key=lambda g: g.x0)
    units: list[tuple[Glyph, list[Glyph]]] = [(b, []) for b in bases]
    if not units:
        # Marks with no letter on their line (the letters' glyphs had no text) say nothing.
        return []
    for mark in (g for g in glyphs if _rides(g)):
        units[_carrier(units, mark, direction, rightward)][1].append(mark)
    return units


def _stream_runs_right(glyphs: list[Glyph]) -> bool | None:
    """Whether the producer wrote the line's glyphs left to right (None: cannot tell).

    HarfBuzz gives a right-to-left run in visual order, each cluster reversed: a mark (or the
    zero-width second letter of a ligature) just before its base. Producers that write that
    order (LibreOffice, XeTeX) put marks before their bases in the stream; those that write
    logical order (cairo) put them after."""
    drawn = sorted((g for g in glyphs if g.seq >= 0 and not _rides(g) and not g.is_space), key=lambda g: g.seq)
    rightward = sum(1 for a, b in zip(drawn, drawn[1:]) if b.x0 > a.x0)
    leftward = sum(1 for a, b in zip(drawn, drawn[1:]) if b.x0 < a.x0)
    if rightward == leftward:
        return None
    return rightward > leftward


def _carrier(units: list[tuple[Glyph, list[Glyph]]], mark: Glyph, direction: str,
             rightward: bool | None = None) -> int:
    """Index of the base glyph a diacritic (or ligature letter) belongs to.

    The producer's order of glyphs says it when known: in a right-to-left line written left
    to right the mark precedes its base, otherwise it follows it; a mark's origin says where
    it is not (fonts draw marks on either side of their origin, so it is only checked to be
    near its base). Without that, the glyph whose advance holds the mark, or for a mark on a
    boundary, the glyph whose origin it was drawn from: the left edge in right-to-left text,
    the right edge (the pen after it) in left-to-right."""
    letters = [i for i, (b, _) in enumerate(units) if not b.is_space] or list(range(len(units)))
    x = mark.center
    if rightward is not None and mark.seq >= 0:
        after = rightward == (direction == "rtl")
        stream = [i for i in letters if units[i][0].seq >= 0 and (units[i][0].seq > mark.seq) == after]
        if stream:
            near = min(stream, key=lambda i: abs(units[i][0].seq - mark.seq))
            base = units[near][0]
            if base.x0 - base.size <= x <= base.x1 + base.size:
                return near
    edge = (lambda b: b.x0) if direction == "rtl" else (lambda b: b.x1)
    best = max(letters, key=lambda i: min(x - units[i][0].x0, units[i][0].x1 - x))
    base = units[best][0]
    if min(x - base.x0, base.x1 - x) > _MARK_INSIDE * mark.size:
        return best
    return min(letters, key=lambda i: (round(abs(edge(units[i][0]) - x), 1), -units[i][0].x0))


def drop_stray_connectors(glyphs: list[Glyph]) -> list[Glyph]:
    """Drop joining/kashida glyphs that carry no letter of their own, keeping the ink they
    add between letters (no word gap may appear there): glyphs with no usable text (Amiri's
    connecting glyphs in LibreOffice Impress), and glyphs named after stray Latin symbols
    (LibreOffice names its kashida glyphs after whatever character it met first: "(" with
    Noto Naskh Arabic). A run of them wedged between two Arabic letters it touches widens the
    letter before it; otherwise unusable glyphs go and symbols stay, unless drawn with no
    width."""
    riders = [g for g in glyphs if _rides(g) and not _is_stray(g) and not is_unusable_text(g.text)]
    bases = sorted((g for g in glyphs if not _rides(g) or is_unusable_text(g.text)), key=lambda g: g.x0)
    keep: list[Glyph] = []
    i = 0
    while i < len(bases):
        g = bases[i]
        if not _is_filler(g):
            keep.append(g)
            i += 1
            continue
        end = i
        reach = g.x1
        while end + 1 < len(bases) and _is_filler(bases[end + 1]) and bases[end + 1].x0 - reach < 0.1 * g.size:
            end += 1
            reach = max(reach, bases[end].x1)
        left = keep[-1] if keep else None
        right = bases[end + 1] if end + 1 < len(bases) else None
        joiners = end > i or g.text not in _WORD_JOINERS
        # Copies laid over each other stretch a word (no punctuation is drawn so): touching
        # one letter is enough for them; a single glyph must touch both.
        stacked = any(b.x0 < a.x1 - 0.1 for a, b in zip(bases[i:end], bases[i + 1:end + 1]))
        touch_left = left is not None and g.x0 - left.x1 < 0.1 * g.size
        touch_right = right is not None and right.x0 - reach < 0.1 * g.size
        # A kashida is the letters' own font's glyph; a symbol from another font (Typst draws
        # the quotes of 'و"حالة' in a fallback font, touching the letters) is the symbol.
        own = left is not None and right is not None and all(
            b.drawn_in_font_of(left) or b.drawn_in_font_of(right) for b in bases[i:end + 1])
        if joiners and own and _ARABIC_LETTER.match(left.text[-1:]) and _ARABIC_LETTER.match(right.text[:1]) \
                and (touch_left and touch_right or stacked and (touch_left or touch_right)):
            # The letter before the run now reaches the next one: no word gap appears.
            keep[-1] = left._replace(x1=max(left.x1, reach))
        else:
            keep.extend(b for b in bases[i:end + 1] if _is_stray(b) and b.x1 - b.x0 >= 0.01)
        i = end + 1
    return keep + riders


def _is_stray(g: Glyph) -> bool:
    return len(g.text) == 1 and bool(_STRAY.match(g.text)) and not g.is_mark


def _is_filler(g: Glyph) -> bool:
    return _is_stray(g) or is_unusable_text(g.text) or g.text == KASHIDA


def _direction_changes(a: str, b: str) -> bool:
    """Whether one of two neighbouring glyphs is right-to-left and the other left-to-right
    (Latin letters and digits against Arabic letters)."""
    kinds = {glyph_bidi_type(a[-1:]), glyph_bidi_type(b[:1])}
    return bool(kinds & {"R", "AL"}) and bool(kinds & {"L", "EN"})


def _is_digit(text: str) -> bool:
    return len(text) == 1 and text.isdigit()


def _with_gap_spaces(units: list[tuple[Glyph, list[Glyph]]], space_width: float | None) -> list[tuple[Glyph, list[Glyph]]]:
    """Units with a space where white parts two of them. ``space_width``: how wide the
    line's own space glyphs are, where it draws some."""
    out: list[tuple[Glyph, list[Glyph]]] = []
    prev: Glyph | None = None
    prev_space = False
    for unit in units:
        g = unit[0]
        space = g.is_space
        if prev is not None:
            if space and prev_space:
                continue
            white = g.x0 - prev.x1
            gap = (_DIGIT_GAP if _is_digit(g.text) and _is_digit(prev.text) else _WORD_GAP) * min(g.size, prev.size)
            # Where the direction changes, a producer may leave the space's white but draw its
            # glyph at the run's other end (pango); the font's own space tells how wide the
            # white is (Lateef's is narrower than the share above).
            if space_width and _direction_changes(prev.text, g.text):
                gap = min(gap, _BOUNDARY_SPACE * space_width)
            if not space and not prev_space and white > gap:
                out.append((_SPACE, []))
        out.append(unit)
        prev, prev_space = g, space
    return out


def _levels(types: list[str], base_level: int) -> list[tuple[int, int]]:
    """(index, level) of each unit, in visual order."""
    present = set(types)
    # Shortcuts for one-script lines (most of them): nothing to resolve.
    if base_level == 1 and not present & _LTR_TYPES:
        return [(i, 1) for i in range(len(types) - 1, -1, -1)]
    if base_level == 0 and not present & _RTL_TYPES:
        return [(i, 0) for i in range(len(types))]
    storage = _uba.get_empty_storage()
    storage["base_level"] = base_level
    storage["base_dir"] = ("L", "R")[base_level]
    storage["chars"] = [{"ch": i, "level": base_level, "type": t, "orig": t} for i, t in enumerate(types)]
    _uba.explicit_embed_and_overrides(storage)
    _uba.resolve_weak_types(storage)
    _uba.resolve_neutral_types(storage, False)
    _uba.resolve_implicit_levels(storage, False)
    _uba.reorder_resolved_levels(storage, False)
    return [(c["ch"], c["level"]) for c in storage["chars"]]


def _numbers_after_arabic(texts: list[str], types: list[str]) -> list[str]:
    """Bidi types of a right-to-left line's units (visual order) with numbers read as Arabic
    text places them typed as Arabic numbers: those of a chain joined by a hyphen or plus
    ("2024-06-14") unless Latin text comes first before them (:func:`_latin_side`; then typed
    Latin), and any number whose clause punctuation stands on its left, glued to it, white
    beyond ("Silk Road ،2024" drawn for "2024، Silk Road").

    The algorithm run on the visual order looks for the strong character before a number on
    its left, but in a right-to-left line what comes before lies on its right. A renderer
    types a number after Arabic letters as Arabic (UAX #9, W2), and a hyphen does not join
    Arabic numbers (W4): an ISO date after Arabic words is drawn "14-06-2024". At the line's
    logical end, nothing stands on its left; read as one European number, it came out in
    the page's order. Punctuation ends the word before it: glued to a number's left side, it
    shows the text running leftwards from the number, whatever Latin word comes next."""
    out = list(types)
    i = 0
    while i < len(out):
        if out[i] != "EN":
            i += 1
            continue
        end = i
        joined = False
        # The number with its decimal and thousands separators ("1.86", "07:30", CS) and
        # the numbers a hyphen chains to it.
        while end + 1 < len(out) and (out[end + 1] == "EN" or (
                out[end + 1] in ("ES", "CS") and end + 2 < len(out) and out[end + 2] == "EN")):
            joined |= out[end + 1] == "ES"
            end += 1
        punctuated = i >= 1 and texts[i - 1] in _CLAUSE_MARKS and (i == 1 or out[i - 2] == "WS")
        if joined or punctuated:
            side = None if punctuated else _latin_side(texts, out, i, end)
            # Typed Latin, it is one left-to-right run whatever stands on its left (W7).
            out[i:end + 1] = [("L" if side else "AN") if t == "EN" else t for t in out[i:end + 1]]
            if side == "right":
                # The bracket parting it from the Latin on its right takes the line's direction
                # (N0), which the algorithm run on the visual order cannot see.
                k = end + 1
                while k < len(out) and out[k] not in ("L", "R", "AL"):
                    if unicodedata.category(texts[k][:1]) in ("Ps", "Pe"):
                        out[k] = "R"
                    k += 1
        i = end + 1
    return out


def _latin_side(texts: list[str], types: list[str], first: int, last: int) -> str | None:
    """The side ("left", "right") of a right-to-left line's number at units ``first..last``
    (visual order) where the Latin text comes that makes it Latin, its first strong character
    before it being Latin (UAX #9, W7); None when it is not.

    That character lies on its left when both are one left-to-right run ("COVID-19", "Agreement
    2024-06-14"); a bracket between them parts the runs (a bracket pair around Latin after
    Arabic takes the Arabic direction, N0): "(C5) 14-06-2024 في" is a date after Arabic, drawn
    as Arabic numbers. Where the run is parted, what came before the number lies on its right
    ("في 1992-04-19 (C5) الوسطى": after the Latin in brackets)."""
    for k in range(first - 1, -1, -1):
        if types[k] in ("L", "R", "AL"):
            if types[k] == "L":
                return "left"
            break
        if unicodedata.category(texts[k][:1]) in ("Ps", "Pe"):
            break
    right = next((t for t in types[last + 1:] if t in ("L", "R", "AL")), None)
    return "right" if right == "L" else None


def _draws_shapes(visual: list[tuple[str, int]]) -> bool:
    """Whether the text layer names the bracket shapes drawn (so right-to-left brackets need
    mirroring back) rather than the logical characters they stand for.

    Legacy shaping and most producers write the shape; HarfBuzz-based ones (fpdf2) map the
    mirrored glyph back to the logical character. A bracket's open side touches the text it
    encloses, so in visual order a shape "(" has a letter on its right and a ")" a letter on
    its left; a logical ")" drawn as "(" shows the opposite. Each right-to-left bracket votes;
    shapes win ties, being the commoner convention.
    """
    votes = 0
    for i, (text, level) in enumerate(visual):
        if not (level % 2 and len(text) == 1 and text in MIRRORED):
            continue
        kind = unicodedata.category(text)
        # Only letters and digits are enclosed text: a comma after a closing bracket is not.
        left = i > 0 and visual[i - 1][0][-1:].isalnum()
        right = i + 1 < len(visual) and visual[i + 1][0][:1].isalnum()
        if left == right:
            continue
        opens_right = right  # the text it encloses lies to its right
        if kind in ("Ps", "Pi"):
            votes += 1 if opens_right else -1
        elif kind in ("Pe", "Pf"):
            votes += -1 if opens_right else 1
    return votes >= 0


def _as_mark(rider: Glyph, base: Glyph) -> Glyph:
    """A zero-width glyph named after its base's letter with a mark ("إ" on an alef drawn
    as its own glyph: Typst names the hamza glyph after the cluster) is that mark."""
    if rider.is_mark:
        return rider
    decomposed = unicodedata.normalize("NFD", rider.text)
    if len(decomposed) > 1 and base.text and decomposed[0] == unicodedata.normalize("NFD", base.text)[0] \
            and all(unicodedata.combining(ch) for ch in decomposed[1:]):
        return rider._replace(text=decomposed[1:])
    return rider


def _unit_text(base: Glyph, riders: list[Glyph], direction: str, rightward: bool | None) -> str:
    """A glyph's text with the ligature letters and marks that belong to it.

    A ligature's letters are its own text plus the zero-width letters after it (in the order
    of their cluster: reversed in a right-to-left line written left to right). Its width is
    shared among them in reading order, and each mark goes after the letter whose share it
    sits over: the tanween of "لًا" over the lam, of "لاً" over the alef. Stacked marks come
    in canonical order (by combining class): producers emit them in either order."""
    if not riders:
        return base.text
    riders = [_as_mark(g, base) for g in riders]
    letters = sorted((g for g in riders if not g.is_mark), key=lambda g: g.seq,
                     reverse=bool(rightward) and direction == "rtl")
    marks = sorted((g for g in riders if g.is_mark), key=lambda g: unicodedata.combining(g.text[0]))
    parts: list[str] = []
    for ch in base.text:  # each letter with the marks the glyph's own text gives it
        if parts and unicodedata.combining(ch):
            parts[-1] += ch
        else:
            parts.append(ch)
    parts.extend(g.text for g in letters)
    if len(parts) == 1:
        return parts[0] + "".join(dict.fromkeys(m.text for m in marks if m.text not in parts[0]))
    share = (base.x1 - base.x0) / len(parts)
    for mark in marks:
        offset = (base.x1 - mark.center) if direction == "rtl" else (mark.center - base.x0)
        k = min(len(parts) - 1, max(0, int(offset / share))) if share > 0 else len(parts) - 1
        # A letter carries a mark once: a producer that names the letter's glyph after its
        # cluster ("قُ") and draws the mark too gives it twice.
        if mark.text not in parts[k]:
            parts[k] += mark.text
    return "".join(parts)


def _drop_misplaced_spaces(glyphs: list[Glyph]) -> list[Glyph]:
    """Space glyphs drawn over letters say nothing about where words part (Typst draws the
    spaces around a left-to-right run at the run's start): only the gaps between letters do."""
    spaces = [g for g in glyphs if g.is_space]
    if not spaces:
        return glyphs
    ink = sorted((g.x0, g.x1) for g in glyphs if not g.is_space and g.x1 - g.x0 > 0.01)
    starts = [a for a, _ in ink]
    dropped = set()
    for sp in spaces:
        width = sp.x1 - sp.x0
        i = max(0, bisect_left(starts, sp.x0) - 1)
        covered = 0.0
        while i < len(ink) and ink[i][0] < sp.x1:
            covered += max(0.0, min(ink[i][1], sp.x1) - max(ink[i][0], sp.x0))
            i += 1
        # Letters may reach a little into a space (cursive overhangs); not cover it.
        if width > 0 and covered > 0.9 * width:
            dropped.add(id(sp))
    return [g for g in glyphs if id(g) not in dropped] if dropped else glyphs


def reorder_visual_line(glyphs: list[Glyph], default: str | None = None) -> LogicalLine:
    """Glyphs of one line, in any order, to the line's text in logical order; ``default`` is
    the page's direction, for lines whose content leaves theirs open."""
    glyphs = _drop_misplaced_spaces(drop_stray_connectors(glyphs))
    direction = line_direction(glyphs, default)
    rightward = _stream_runs_right(glyphs)
    widths = [g.x1 - g.x0 for g in glyphs if g.is_space and g.x1 - g.x0 > 0.01]
    units = _with_gap_spaces(attach_marks(glyphs, direction, rightward), median(widths) if widths else None)
    while units and units[0][0].is_space:
        units.pop(0)
    while units and units[-1][0].is_space:
        units.pop()
    if not units:
        return LogicalLine("", direction)
    texts = [g.text for g, _ in units]
    types = [glyph_bidi_type(t) for t in texts]
    if direction == "rtl":
        types = _numbers_after_arabic(texts, types)
    order = _levels(types, 1 if direction == "rtl" else 0)
    mirror = any(t in MIRRORED for t in texts) and _draws_shapes([(texts[i], level) for i, level in sorted(order)])
    parts: list[str] = []
    for index, level in order:
        base, riders = units[index]
        text = base.text
        if mirror and level % 2 and len(text) == 1:
            text = MIRRORED.get(text, text)
        parts.append(_unit_text(base._replace(text=text), riders, direction, rightward) if riders else text)
    return LogicalLine("".join(parts), direction)
