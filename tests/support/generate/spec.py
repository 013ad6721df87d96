"""What a generated document is: its cell of the grid, its layout and its content, all drawn
from seeds, and the fixed rule that splits the grid into a developed and an unseen half.

A cell is (producer, font, columns). Everything else (page size, margins, gutter, balance,
alignment, size, leading, running header, page numbers and their digit set, footnotes,
headings, the text itself) is drawn per document from the document's own seed.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path

from . import text as prose

# (family as fontconfig names it, file) for every font drawn from.
FONTS = {
    "amiri": ("Amiri", "/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf"),
    "noto-naskh": ("Noto Naskh Arabic", "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"),
    "noto-kufi": ("Noto Kufi Arabic", "/usr/share/fonts/truetype/noto/NotoKufiArabic-Regular.ttf"),
    "noto-sans": ("Noto Sans Arabic", "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"),
    "kacst-book": ("KacstBook", "/usr/share/fonts/truetype/kacst/KacstBook.ttf"),
    "kacst-office": ("KacstOffice", "/usr/share/fonts/truetype/kacst/KacstOffice.ttf"),
    "scheherazade": ("Scheherazade", "/usr/share/fonts/truetype/scheherazade/Scheherazade-Regular.ttf"),
    "lateef": ("Lateef", "/usr/share/fonts/opentype/lateef/Lateef-Regular.ttf"),
}
# For characters a font lacks (Latin letters, ASCII digits in KacST), where the producer
# does not fall back by itself.
FALLBACK_FONT = ("DejaVu Sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

PRODUCERS = ("writer", "impress", "weasyprint", "chromium", "typst", "fpdf2", "cairo", "reportlab")
# reportlab draws legacy-shaped text (presentation forms): only fonts that have those glyphs.
_LEGACY_SHAPING_FONTS = ("amiri", "noto-naskh", "noto-sans", "kacst-book", "kacst-office")
# Producers that set footnotes themselves (the others' documents carry none).
NOTE_PRODUCERS = ("writer", "weasyprint", "typst")
COLUMNS = (1, 2, 3)
# Share of PDF documents re-distilled by Ghostscript (pdfwrite), as "print to PDF" does.
REDISTILL_SHARE = 0.2

PAGE_SIZES = {  # mm
    "A4": (210.0, 297.0), "Letter": (215.9, 279.4), "A5": (148.0, 210.0),
    "B5": (176.0, 250.0), "Legal": (215.9, 355.6),
}
SLIDE_SIZES = {"16:9": (280.0, 157.5), "4:3": (254.0, 190.5)}


def fonts_for(producer: str) -> tuple[str, ...]:
    return _LEGACY_SHAPING_FONTS if producer == "reportlab" else tuple(FONTS)


@dataclass(frozen=True)
class Scan:
    """How a page is printed and scanned back."""

    dpi: int
    rotate: float  # degrees, counter-clockwise
    blur: float  # Gaussian radius in scan pixels
    noise: float  # standard deviation of Gaussian grey-level noise
    jpeg: int | None  # JPEG quality, None for lossless


@dataclass(frozen=True)
class Spec:
    """One document of the grid: its cell and the seed of everything else."""

    producer: str
    font: str
    columns: int
    seed: int
    redistill: bool = False
    scan: Scan | None = None

    @property
    def producer_label(self) -> str:
        return self.producer + ("+gs" if self.redistill else "")

    @property
    def cell(self) -> tuple[str, str, int]:
        return (self.producer_label, self.font, self.columns)

    @property
    def half(self) -> str:
        return half_of(self.cell)

    @property
    def name(self) -> str:
        scan = "" if self.scan is None else f"-scan{self.scan.dpi}"
        return f"{self.producer_label}-{self.font}-{self.columns}col-{self.seed:08x}{scan}"


def half_of(cell: tuple[str, str, int]) -> str:
    """The fixed split: within each producer × layout, the fonts ranked by a hash of the
    cell; the first half of them are developed on, the rest never looked at while
    developing. Each producer × layout thus has cells in both halves."""
    producer, font, columns = cell
    base = producer.removesuffix("+gs")
    ranked = sorted(fonts_for(base), key=lambda f: hashlib.sha256(f"{producer}|{f}|{columns}".encode()).hexdigest())
    return "developed" if ranked.index(font) < (len(ranked) + 1) // 2 else "unseen"


def draw(seed: int, count: int, *, half: str | None = None, producers: tuple[str, ...] = PRODUCERS,
         redistill: bool = True, scans: bool = False) -> list[Spec]:
    """``count`` documents drawn at random from ``seed`` (the same seed gives the same list),
    only of ``half`` when given. ``scans``: each gets scan settings (not re-distilled)."""
    rng = random.Random(f"qantara-corpus/{seed}")
    out: list[Spec] = []
    while len(out) < count:
        producer = rng.choice(producers)
        spec = Spec(
            producer=producer,
            font=rng.choice(fonts_for(producer)),
            columns=rng.choices(COLUMNS, weights=(0.45, 0.4, 0.15))[0],
            seed=rng.getrandbits(32),
            redistill=redistill and not scans and rng.random() < REDISTILL_SHARE,
            scan=draw_scan(rng) if scans else None,
        )
        if half is None or spec.half == half:
            out.append(spec)
    return out


def draw_scan(rng: random.Random) -> Scan:
    return Scan(
        dpi=rng.choice((150, 200, 200, 300, 300)),
        rotate=round(rng.uniform(-1.5, 1.5), 2) if rng.random() < 0.7 else 0.0,
        blur=round(rng.uniform(0.0, 1.0), 2) if rng.random() < 0.6 else 0.0,
        noise=round(rng.uniform(0.0, 12.0), 1) if rng.random() < 0.5 else 0.0,
        jpeg=rng.randint(30, 95) if rng.random() < 0.6 else None,
    )


@dataclass(frozen=True)
class Layout:
    slide: bool
    page: tuple[float, float]  # width, height in mm
    margins: tuple[float, float, float, float]  # top, right, bottom, left in mm
    columns: int
    gutter: float  # mm
    balanced: bool  # columns of the last page balanced (else filled one after the other)
    justify: bool
    size: float  # body font size, pt
    leading: float  # line height as a multiple of the size
    header: str | None  # running header
    numbers: str | None  # where page numbers go: "footer", "header" or None
    number_format: str  # "{n}", "- {n} -", "صفحة {n}"
    eastern: bool  # digits of the whole document, page numbers included

    @property
    def column_width(self) -> float:
        width = self.page[0] - self.margins[1] - self.margins[3]
        return (width - self.gutter * (self.columns - 1)) / self.columns

    def page_number(self, n: int) -> str:
        return prose.digits(self.number_format.format(n=n), self.eastern)


@dataclass(frozen=True)
class Block:
    kind: str  # "h" (heading) or "p"
    text: str
    note: str | None = None  # a footnote called after the block's ``note_at``-th word
    note_at: int = 0


@dataclass(frozen=True)
class Content:
    title: str | None
    blocks: tuple[Block, ...]

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(b.note for b in self.blocks if b.note)


@dataclass(frozen=True)
class Document:
    spec: Spec
    layout: Layout
    content: Content

    def note_mark(self, n: int) -> str:
        return prose.digits(str(n), self.layout.eastern)

    def truth(self) -> list[str]:
        """What a perfect reading gives: the title, the body blocks in reading order, with
        footnote marks after their words, then the footnotes ("1 text"); running headers
        and page numbers are not text."""
        out = [self.content.title] if self.content.title else []
        n = 0
        for block in self.content.blocks:
            words = block.text.split()
            if block.note:
                n += 1
                words[block.note_at] += self.note_mark(n)
            out.append(" ".join(words))
        out.extend(f"{self.note_mark(i)} {note}" for i, note in enumerate(self.content.notes, start=1))
        return out


def document(spec: Spec) -> Document:
    rng = random.Random(f"qantara-document/{spec.seed}")
    layout = _layout(spec, rng)
    return Document(spec, layout, _content(spec, layout, rng))


def _layout(spec: Spec, rng: random.Random) -> Layout:
    slide = spec.producer == "impress"
    if slide:
        page = SLIDE_SIZES[rng.choice(tuple(SLIDE_SIZES))]
        margins = (rng.uniform(12, 25), rng.uniform(10, 20), rng.uniform(10, 18), rng.uniform(10, 20))
    else:
        names = [n for n in PAGE_SIZES if spec.columns < 3 or n != "A5"]
        page = PAGE_SIZES[rng.choice(names)]
        side = rng.uniform(12, 30)
        margins = (rng.uniform(15, 30), side + rng.uniform(-3, 3), rng.uniform(15, 30), side + rng.uniform(-3, 3))
    eastern = rng.random() < 0.3
    header = prose.running_header(rng, eastern=eastern) if rng.random() < 0.6 and not slide else None
    numbers = rng.choice(("footer", "footer", "header", None))
    if numbers == "header" and header is None:
        numbers = "footer"
    small = page[0] < 160 or spec.columns == 3
    return Layout(
        slide=slide,
        page=page,
        margins=tuple(round(m, 1) for m in margins),
        columns=spec.columns,
        gutter=round(rng.uniform(5, 18), 1),
        balanced=rng.random() < 0.5,
        justify=rng.random() < 0.6,
        size=round(rng.uniform(9.5, 12) if small else rng.uniform(10.5, 15), 1) + (4 if slide else 0),
        leading=round(rng.uniform(1.25, 1.8), 2),
        header=header,
        numbers=numbers,
        number_format=rng.choice(("{n}", "{n}", "- {n} -", "صفحة {n}")),
        eastern=eastern,
    )


def _content(spec: Spec, layout: Layout, rng: random.Random) -> Content:
    eastern = layout.eastern
    # Enough text for half a page to three pages (slides: a third of a page each), from
    # the page's capacity: lines of the leading, of glyphs about 0.45 em wide.
    mm = layout.size * 0.3528
    width = layout.page[0] - layout.margins[1] - layout.margins[3]
    height = layout.page[1] - layout.margins[0] - layout.margins[2]
    capacity = (height / (mm * layout.leading)) * (width / (mm * 0.45))
    target = int(capacity * rng.uniform(0.5, 2.6) * (0.3 if layout.slide else 1.0))
    blocks: list[Block] = []
    length = 0
    notes = rng.random() < 0.35 and spec.producer in NOTE_PRODUCERS
    while length < target:
        if blocks and rng.random() < 0.12:
            blocks.append(Block("h", prose.title(rng, eastern=eastern)))
        sentences = (1, 2) if layout.slide else (2, 5)
        body = prose.paragraph(rng, eastern=eastern, sentences=sentences, inserts=0.8)
        note = prose.footnote(rng, eastern=eastern) if notes and rng.random() < 0.25 else None
        words = body.split()
        at = rng.randrange(len(words)) if note else 0
        # A footnote mark goes after a word, not after punctuation that ends one.
        if note and not words[at][-1].isalpha():
            note = None
        blocks.append(Block("p", body, note, at))
        length += len(body)
    title = prose.title(rng, eastern=eastern) if rng.random() < 0.8 else None
    return Content(title, tuple(blocks))


@dataclass
class Generated:
    """A built document: the PDF and the paragraphs a perfect reading gives."""

    spec: Spec
    pdf: Path
    truth: list[str]
    # Pages whose text layer names wrong letters (they must be read by OCR or reported);
    # None for scans (no text layer).
    wrong_pages: list[int] | None = None
    notes: dict = field(default_factory=dict)

    @property
    def layer_ok(self) -> bool | None:
        return None if self.wrong_pages is None else not self.wrong_pages
