"""Extracted-text damage generated at random from a seed, over a grid of parameters.

Clean Arabic prose (FLORES-200 devtest, which no table the repair learns from has seen) is
cut into paragraphs, dressed the way reports are (headings, numbered items, Latin names,
numbers, hyphenated place lists, brackets), then damaged the ways PDF extractors damage
Arabic: one kind at a time or all together. Every damage is a mechanism, not a copied line:

- ``reversed-words``: a justified line emitted word by word right to left (wide gaps);
- ``reversed-runs``: a line emitted as bidi runs in visual order, each run kept in reading
  order, the runs reversed; runs end anywhere (at spaces, at a number, inside a word), so
  junctions come out glued or doubly spaced;
- ``list-numbers``: an item's number moved to the end of its line (or after the first word of
  its reversed line);
- ``vertical-order``: a paragraph's lines emitted bottom to top;
- ``orphan-tanween``: tanween pushed onto a line of its own, the line's halves swapped;
- ``doubled-glyphs``: an overprinted ("fake bold") heading, each glyph drawn two or three times;
- ``tatweel``, ``lost-glyph`` (one of س ش ص ض lost as U+FFFD), ``mirrored-brackets``,
  ``split-words`` (words cut in two, some pieces swapped), ``hard-wraps``;
- ``garbled``: a paragraph set in a font that maps glyphs to wrong letters; it cannot be
  repaired, only recognised.

The grid's cells (wrap width × damage intensity × half of the prose) are split once into
cells developed on and cells left unseen; `cells("unseen")` is what a benchmark reports.
"""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLORES = ROOT.parent / "shared" / "eval" / "flores200_devtest" / "arb_Arab.devtest"

WIDTHS = (45, 55, 65, 75, 85, 95, 105)
INTENSITIES = (0.25, 0.5, 0.75, 1.0)
HALVES = (0, 1)

KINDS = (
    "tatweel",
    "reversed-words",
    "reversed-runs",
    "list-numbers",
    "vertical-order",
    "orphan-tanween",
    "doubled-glyphs",
    "mirrored-brackets",
    "lost-glyph",
    "split-words",
    "hard-wraps",
    "garbled",
)

_CONNECTS = re.compile(r"(?<=[بتثجحخسشصضطظعغفقكلمنهيئ])(?=[\u0621-\u064a])")
_ARABIC_ONLY = re.compile(r"^[\u0621-\u064a]+$")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{3,}")
_NON_JOINING = set("اأإآدذرزوؤة")
_LAM_ALEF = re.compile("ل[اأإآ]")
_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_PROCLITICS = "وبلفك"


@dataclass(frozen=True)
class Cell:
    width: int
    intensity: float
    half: int

    @property
    def name(self) -> str:
        return f"w{self.width}-i{self.intensity}-h{self.half}"


def _unseen(width: int, intensity: float) -> bool:
    return zlib.crc32(f"{width}/{intensity}".encode()) % 2 == 0


def cells(split: str) -> list[Cell]:
    """The grid's cells of one split. "unseen" cells take the second half of the prose and
    a hashed half of the (width, intensity) pairs; "developed" cells the rest of both, so
    the two share neither sentences nor parameter pairs."""
    wanted = split == "unseen"
    half = 1 if wanted else 0
    return [Cell(w, i, half) for w in WIDTHS for i in INTENSITIES if _unseen(w, i) == wanted]


# Defects of the prose itself, corrected so that clean text is clean: a repair that mends
# them is not changing clean text.
SOURCE_TYPOS = {"أر سلها": "أرسلها"}


def _corrected(sentence: str) -> str:
    for wrong, right in SOURCE_TYPOS.items():
        sentence = sentence.replace(wrong, right)
    return " ".join(sentence.split())


@cache
def _sentences(half: int) -> tuple[str, ...]:
    lines = [_corrected(s) for s in FLORES.read_text(encoding="utf-8").splitlines() if s.strip()]
    middle = len(lines) // 2
    return tuple(lines[:middle] if half == 0 else lines[middle:])


@dataclass
class Document:
    """A generated extraction: its lines, the clean paragraphs and which were garbled."""

    lines: list[str]
    reference: list[str]
    garbled: dict[int, str] = field(default_factory=dict)  # paragraph index -> its garbled text
    kinds: frozenset[str] = frozenset()


@dataclass
class _Block:
    text: str
    kind: str = "body"  # body, heading or item
    number: int | None = None
    garbled: bool = False
    doubled: int = 1

    @property
    def reference(self) -> str:
        return f"{self.number}. {self.text}" if self.number is not None else self.text


# --- dressing clean prose ---------------------------------------------------------------------


def _latin_name(rng: random.Random) -> str:
    syllables = ["ter", "mez", "sur", "khan", "pu", "li", "khu", "mri", "ca", "sa", "lap", "is", "an", "ko",
                 "bal", "tur", "gen", "ro", "vik", "dar", "mo", "na", "ul"]
    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(1, 3))).capitalize()
    shape = rng.random()
    if shape < 0.4:
        return word()
    if shape < 0.7:
        return "-".join(word() for _ in range(rng.randint(2, 3)))
    if shape < 0.85:
        return f"{word().upper()[:4]}-{rng.randint(10, 2000)}"
    return f"{word()} {word()}"


def _number(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.3:
        return str(rng.randint(1, 99))
    if shape < 0.55:
        return f"{rng.randint(1950, 2030)}م"
    if shape < 0.75:
        return f"({rng.randint(2000, 2020)}-{rng.randint(2021, 2030)})"
    if shape < 0.9:
        return f"{rng.randint(1, 9)},{rng.randint(100, 999)}"
    return f"{rng.randint(1, 99)}.{rng.randint(1, 9)}"


def _name_words(rng: random.Random, pool: list[str]) -> str:
    return " ".join(rng.choice(pool) for _ in range(rng.choice((1, 1, 2))))


def _dress(text: str, rng: random.Random, pool: list[str]) -> str:
    """Insert what reports carry and prose seldom does: Latin names, numbers, a hyphenated
    list of places, a bracketed phrase, a quotation in guillemets."""
    words = text.split()
    if len(words) < 6:
        return text
    additions = []
    if rng.random() < 0.35:
        additions.append(_latin_name(rng))
    if rng.random() < 0.35:
        additions.append(rng.choice(("في", "عام", "نحو", "بنحو", "حوالي")) + " " + _number(rng))
    if rng.random() < 0.25:
        places = [_name_words(rng, pool) for _ in range(rng.randint(3, 4))]
        additions.append(" - ".join(places) + "،")
    for addition in additions:
        at = rng.randint(1, len(words) - 1)
        words[at:at] = addition.split()
    text = " ".join(words)
    if rng.random() < 0.3:
        text = re.sub(r"(?<!\S)([\u0621-\u064a]+ [\u0621-\u064a]+)(?=[ ،.])",
                      lambda m: f"({m.group(1)})" if rng.random() < 0.15 else m.group(1), text)
    if rng.random() < 0.2:
        text = re.sub(r"(?<!\S)([\u0621-\u064a]+ [\u0621-\u064a]+)(?= )",
                      lambda m: f"«{m.group(1)}»" if rng.random() < 0.1 else m.group(1), text, count=1)
    return text


def _blocks(rng: random.Random, cell: Cell, count: int) -> list[_Block]:
    sentences = _sentences(cell.half)
    pool = [w for s in sentences for w in s.split() if _ARABIC_ONLY.match(w) and len(w) >= 4]
    blocks: list[_Block] = []
    number = 0
    while len([b for b in blocks if b.kind != "heading"]) < count:
        start = rng.randrange(len(sentences) - 5)
        text = " ".join(sentences[start : start + rng.randint(1, 4)])
        if rng.random() < 0.15:
            words = sentences[rng.randrange(len(sentences))].rstrip(".").split()
            heading = " ".join(words[: rng.randint(2, 6)]).rstrip("،,:")
            if _ARABIC_WORD.search(heading):
                blocks.append(_Block(heading, "heading"))
        if rng.random() < 0.25:
            number = number + 1 if blocks and blocks[-1].number is not None else 1
            blocks.append(_Block(_dress(text, rng, pool), "item", number))
        else:
            blocks.append(_Block(_dress(text, rng, pool), "body"))
    return blocks


# --- damage inside a paragraph ----------------------------------------------------------------


def _tatweel(text: str, rng: random.Random, rate: float) -> str:
    return _CONNECTS.sub(lambda m: "ـ" * rng.randint(1, 4) if rng.random() < 0.25 * rate else "", text)


def _lost_glyph(text: str, rng: random.Random, rate: float) -> str:
    return re.sub("[سشصض]", lambda m: "\ufffdس" if rng.random() < 0.6 * rate else m.group(), text)


def _mirror(text: str) -> str:
    return text.translate(str.maketrans("()«»[]", ")(»«]["))


def _split_words(text: str, rng: random.Random, rate: float) -> str:
    """Cut long words in two with a space, most often after a letter that does not join its
    neighbour (where a PDF leaves a gap), a quarter of them with the pieces swapped."""
    out = []
    for word in text.split(" "):
        if len(word) >= 6 and _ARABIC_ONLY.match(word) and rng.random() < 0.12 * rate:
            natural = [k for k in range(2, len(word) - 1) if word[k - 1] in _NON_JOINING]
            cut = rng.choice(natural) if natural and rng.random() < 0.7 else rng.randint(2, len(word) - 2)
            head, tail = word[:cut], word[cut:]
            out.extend([tail, head] if rng.random() < 0.25 else [head, tail])
        else:
            out.append(word)
    return " ".join(out)


def _double(text: str, times: int) -> str:
    """Every glyph drawn `times` times; a lam-alef ligature is one glyph."""
    out = []
    i = 0
    while i < len(text):
        if _LAM_ALEF.match(text, i):
            out.append(text[i : i + 2] * times)
            i += 2
        else:
            out.append(text[i] * times)
            i += 1
    return "".join(out)


def wrong_font(rng: random.Random) -> dict[str, str]:
    """A font whose glyphs map to wrong letters: some letters become others, nothing, a
    space or two letters (seed 001's resolution pages: بلدان → بادان, خالية → ةالية)."""
    common = "لفصخجىيطذرتكمنعقهدسش"
    mapping: dict[str, str] = {}
    for letter in rng.sample(common, rng.randint(4, 9)):
        shape = rng.random()
        if shape < 0.7:
            mapping[letter] = rng.choice([c for c in _LETTERS + "ةىذ" if c != letter])
        elif shape < 0.8:
            mapping[letter] = ""
        elif shape < 0.9:
            mapping[letter] = " "
        else:
            mapping[letter] = rng.choice(_LETTERS) * 2
    if rng.random() < 0.5:
        # Its digits: Eastern Arabic forms, some of them mapped to Western ones (٢٠1٨).
        for d in range(10):
            mapping[str(d)] = str(d) if rng.random() < 0.3 else chr(0x0660 + d)
    return mapping


def _garble(text: str, font: dict[str, str]) -> str:
    return " ".join(_mirror("".join(font.get(c, c) for c in text)).split())


# --- lines ------------------------------------------------------------------------------------


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + [current] if current else lines


def _reverse_words(line: str, rng: random.Random) -> str:
    """Word by word right to left: every word set on its own, every gap a justified one."""
    return (" " * rng.randint(2, 3)).join(reversed(line.split()))


def _run_cuts(line: str, rng: random.Random, runs: int) -> list[int]:
    """Where bidi runs end: before or after a space, between a number and a word, and now
    and then inside a word (after a one-letter proclitic, or anywhere)."""
    spots = set()
    for i, ch in enumerate(line):
        if ch == " ":
            spots.update((i, i + 1))
        elif i and (line[i - 1].isdigit() != ch.isdigit()) and line[i - 1] != " ":
            spots.add(i)
    inside = [i for i in range(2, len(line) - 2)
              if line[i - 1] != " " and line[i] != " " and (line[i - 1] in _PROCLITICS and line[i - 2] == " " or rng.random() < 0.02)]
    spots.update(rng.sample(inside, min(len(inside), 1)) if inside and rng.random() < 0.3 else ())
    spots.discard(0)
    spots.discard(len(line))
    return sorted(rng.sample(sorted(spots), min(len(spots), runs - 1)))


def _reverse_runs(line: str, rng: random.Random) -> str:
    cuts = _run_cuts(line, rng, rng.randint(2, 5))
    pieces = [line[a:b] for a, b in zip([0] + cuts, cuts + [len(line)])]
    return "".join(reversed(pieces)).strip()


def _move_number(line: str, number: int, reversed_line: bool) -> str:
    prefix = f"{number}. "
    body = line[len(prefix):] if line.startswith(prefix) else line
    if reversed_line:
        # The number lands after the first word of the reversed line: "حديد . 5 سكة خط".
        words = body.split()
        if len(words) >= 2:
            return f"{words[-1]} . {number} " + "  ".join(words[-2::-1])
    # Seed 001 writes ". 5" after one-digit items and ".11" after two-digit ones.
    return f"{body} . {number}" if number < 10 else f"{body} .{number}"


def _orphan(line: str, rng: random.Random) -> list[str] | None:
    words = line.split()
    spots = [i for i, w in enumerate(words) if w.endswith("اً") and 0 < i < len(words) - 1]
    if not spots:
        return None
    i = rng.choice(spots)
    return [" ".join(words[i + 1 :]), "ً", " ".join(words[:i] + [words[i][:-1]])]


def generate(kinds: frozenset[str] | set[str], cell: Cell, rng: random.Random, paragraphs: int = 8) -> Document:
    """One damaged extraction of `paragraphs` paragraphs (plus headings) of the cell's prose."""
    kinds = frozenset(kinds)
    rate = cell.intensity
    blocks = _blocks(rng, cell, paragraphs)
    font = wrong_font(rng)
    if "garbled" in kinds:
        # A wrong font sets a stretch of the document (a page, an annex), headings and all.
        size = max(1, round(len(blocks) * 0.3 * rate))
        start = rng.randrange(len(blocks) - size + 1)
        for b in blocks[start : start + size]:
            b.garbled = True
    if "doubled-glyphs" in kinds:
        headings = [b for b in blocks if b.kind == "heading"]
        if not headings:
            words = _sentences(cell.half)[rng.randrange(len(_sentences(cell.half)))].split()[:4]
            blocks.insert(rng.randrange(len(blocks) + 1), _Block(" ".join(words).rstrip("،.:"), "heading"))
            headings = [b for b in blocks if b.kind == "heading"]
        for b in headings:
            if rng.random() < 0.5 + 0.5 * rate:
                b.doubled = 3 if rng.random() < 0.2 else 2

    lines: list[str] = []
    garbled: dict[int, str] = {}
    blank_after_every_line = rng.random() < 0.5 or "hard-wraps" in kinds
    for index, block in enumerate(blocks):
        text = block.text
        if block.garbled:
            text = garbled[index] = _garble(text, font)
        else:
            if "lost-glyph" in kinds:
                text = _lost_glyph(text, rng, rate)
            if "split-words" in kinds:
                text = _split_words(text, rng, rate)
            if "tatweel" in kinds:
                text = _tatweel(text, rng, rate)
        if "mirrored-brackets" in kinds:
            text = _mirror(text)
        if block.number is not None:
            text = f"{block.number}. {text}"
        wrapped = [text] if block.kind == "heading" else _wrap(text, cell.width)
        out: list[list[str]] = []
        for n, line in enumerate(wrapped):
            pieces = [line]
            is_item_start = n == 0 and block.number is not None
            reversed_here = False
            if "orphan-tanween" in kinds and not block.garbled and rng.random() < 0.6 * rate:
                pieces = _orphan(line, rng) or pieces
            if len(pieces) == 1 and not block.garbled:
                roll = rng.random()
                if "reversed-words" in kinds and roll < 0.5 * rate:
                    line, reversed_here = (line if is_item_start else _reverse_words(line, rng)), True
                    if is_item_start:
                        line = _move_number(line, block.number, True)
                        is_item_start = False
                elif "reversed-runs" in kinds and roll < 0.5 * rate and not is_item_start:
                    line = _reverse_runs(line, rng)
                pieces = [line]
            # (A line split round an orphaned mark keeps its number in its head piece.)
            if is_item_start and "list-numbers" in kinds and not reversed_here and rng.random() < 0.5 + 0.5 * rate and len(pieces) == 1:
                pieces = [_move_number(pieces[0], block.number, False)] + pieces[1:]
            out.append(pieces)
        if "vertical-order" in kinds and len(out) >= 2 and rng.random() < 0.5 * rate:
            out.reverse()
        if block.doubled > 1:
            out = [[_double(p, block.doubled) for p in pieces] for pieces in out]
        for pieces in out:
            for piece in pieces:
                lines.append(piece)
                if blank_after_every_line:
                    lines.append("")
        lines.append("")
    return Document(lines, [b.reference for b in blocks], garbled, kinds)
