"""Read a PDF page by page into :class:`ExtractedDocument` (glyph level, logical order)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ... import bounded
from ...arabic.numbers import order_numbers
from ...config import Settings
from ...errors import LimitExceeded, UnreadableDocument
from ...types import ExtractedDocument, Issue, OcrPage, PageText, SourceRef, TextLine
from .guards import Guard, guarded
from .bidi import page_direction, reorder_visual_line
from .device import page_glyphs
from .outlines import EmbeddedFonts
from ...layout.glyphs import Glyph, clean_glyphs, drop_overdrawn, is_unusable_text, name_stretchers, page_is_arabic
from ...layout.blocks import (LineBox, PlacedLine, assign_blocks, drop_running_lines, find_running_keys, full_width,
                              is_note_start, note_text, split_footnotes)
from ...layout.columns import reading_order
from ...layout.lines import RawLine, group_lines, split_pieces
from .quality import (foreign_layer, foreign_words, garbled_like_others, garbled_share, joining_blanks, lost_letters,
                      page_known_share, stranded_blanks, wedged_symbols)

# A page where more than this share of glyphs carry no usable text has no text layer.
_UNUSABLE_SHARE = 0.2
# Page problems OCR can solve.
OCR_PROBLEMS = ("no-text", "unusable-text", "garbled-text")
# How far from the end of a file the %%EOF marker may sit (some producers append junk).
_TAIL = 4096
# Characters of a parser's error kept in a document's error message.
_DESCRIBED = 200


@dataclass(frozen=True)
class PageLines:
    number: int
    width: float
    height: float
    lines: list[PlacedLine]
    # "no-text" (image only or blank), "unusable-text" (glyphs without letters) or
    # "garbled-text" (glyphs mapped to wrong letters)
    problem: str | None = None
    # Column gutters (x0, x1) found on the page: hints for the document's other pages.
    gutters: tuple[tuple[float, float], ...] = ()
    # Arabic words holding a character no Arabic word holds, and Arabic words (quality.py).
    foreign: tuple[int, int] = (0, 0)
    # Share of the page's Arabic words the lexicon knows (quality.py), None when not judged.
    known: float | None = None


def read_pdf_pages(path: Path, settings: Settings | None = None) -> tuple[list[PageLines], list[Issue]]:
    """Every page of a PDF as lines in reading order, or with the problem that stops it
    (pages that need OCR say so); raises UnreadableDocument for a file that is no usable PDF,
    LimitExceeded for one over ``max_pages`` or ``max_stream_mb``.

    A page whose streams lost data on the way (corrupted or cut short) keeps what they still
    hold and gets a ``partial-page`` issue."""
    path = Path(path)
    settings = settings or Settings()
    with path.open("rb") as handle:
        head = handle.read(1024)
        handle.seek(max(0, path.stat().st_size - _TAIL))
        tail = handle.read()
    if b"%PDF" not in head:
        raise UnreadableDocument(path, "not a PDF file (no %PDF header)")
    if b"%%EOF" not in tail:
        # pdfminer "recovers" a cut file by scanning for objects and returns whatever
        # pages it found: better to say the file is incomplete than to publish half of it.
        raise UnreadableDocument(path, "truncated PDF (no %%EOF end marker); the file is incomplete")
    with guarded(path, settings.max_stream_mb) as guard:
        return _read_pages(path, settings.max_pages, guard)


def _read_pages(path: Path, max_pages: int, guard: Guard) -> tuple[list[PageLines], list[Issue]]:
    import pdfplumber

    try:
        pdf = pdfplumber.open(path)
    except LimitExceeded:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        guard.check()
        if _is_password_error(exc):
            raise UnreadableDocument(path, "encrypted PDF: it needs a password to open") from exc
        raise UnreadableDocument(path, f"corrupt PDF ({_describe(exc)})") from exc
    try:
        return _read_open_pages(pdf, path, max_pages, guard)
    finally:
        _close(pdf)


def _close(pdf) -> None:
    # Not pdfplumber's close(): it builds the whole page list to close each page (20,000 of
    # them for a file refused for its page count) and raises again where that failed. The
    # pages read were closed one by one.
    pdf.stream.close()


def _read_open_pages(pdf, path: Path, max_pages: int, guard: Guard) -> tuple[list[PageLines], list[Issue]]:
    pages: list[PageLines] = []
    issues: list[Issue] = []
    # The page tree's own count first: a 20,000-page file is refused before its pages are.
    _check_pages(path, _declared_pages(pdf), max_pages)
    try:
        page_objects = pdf.pages
    except LimitExceeded:
        raise
    except Exception as exc:
        guard.check()
        raise UnreadableDocument(path, f"corrupt PDF ({_describe(exc)})") from exc
    if not page_objects:
        raise UnreadableDocument(path, "PDF has no pages")
    _check_pages(path, len(page_objects), max_pages)
    bounded.report_pages(len(page_objects))
    losses = guard.take_losses()
    if losses:
        issues.append(Issue(SourceRef(path), "partial-document",
                            f"data lost while reading the document's structure ({'; '.join(losses)})"))
    hints: list[tuple[float, float]] = []
    cluster_named: set[tuple[str, int]] = set()
    kashida: set[tuple[str, int]] = set()
    font_names: dict[int, str] = {}
    fonts = EmbeddedFonts()
    # The page before, kept until this one is read: a gutter found on a page is a hint for
    # the page before it too (a document's first page, or a page whose columns hold a few
    # indented lines, may not show its gutters plainly enough alone).
    before: tuple[list[Glyph], PageLines] | None = None
    for number, page in enumerate(page_objects, start=1):
        try:
            glyphs = page_glyphs(page, font_names, fonts)
            width, height = float(page.width), float(page.height)
            pages.append(read_page(glyphs, number, width, height, hints, cluster_named, kashida))
            hints.extend(g for g in pages[-1].gutters if g not in hints)
            if before is not None and _missing_gutters(before[1], pages[-1]):
                kept, last = before
                pages[-2] = read_page(kept, last.number, last.width, last.height, hints, cluster_named, kashida)
            before = (glyphs, pages[-1]) if pages[-1].problem is None else None
        except LimitExceeded:
            raise
        except Exception as exc:
            guard.check()
            pages.append(PageLines(number, 0.0, 0.0, [], problem="unreadable"))
            before = None
            issues.append(Issue(SourceRef(path, number), "page-unreadable",
                                f"page {number} could not be parsed ({type(exc).__name__}: {exc})"))
        finally:
            # Drop the page's parsed objects, and pdfminer's cache of decoded PDF objects
            # (content streams included), so memory stays flat however long the file.
            page.close()
            _forget_parsed_objects(pdf)
        guard.check()
        losses = guard.take_losses()
        if losses:
            issues.append(Issue(SourceRef(path, number), "partial-page",
                                f"page {number}: data lost in a damaged stream, its text may be incomplete "
                                f"({'; '.join(losses)})"))
    return _doubt_layers(pages), issues


def _missing_gutters(page: PageLines, after: PageLines) -> bool:
    """Whether the page after found a gutter where this page found none."""
    return any(not any(g0 < x1 and x0 < g1 for g0, g1 in page.gutters) for x0, x1 in after.gutters)


def _doubt_layers(pages: list[PageLines]) -> list[PageLines]:
    """Wrong-letter layers judged with the whole document in view: one word with a foreign
    character on a page may be a typo, unless the document's other pages have them too; a
    page that knows fewer of its words than a clean page does is garbled where the
    document's other pages are."""
    total = sum(p.foreign[0] for p in pages)
    out = []
    for page in pages:
        count, words = page.foreign
        if page.problem is None and foreign_layer(count, words, total - count >= 2):
            page = replace(page, lines=[], problem="garbled-text")
        out.append(page)
    if any(p.problem == "garbled-text" for p in out):
        out = [replace(p, lines=[], problem="garbled-text") if p.problem is None and garbled_like_others(p.known)
               else p for p in out]
    return out


def _declared_pages(pdf) -> int:
    """The page count the page tree declares (0 where it cannot be read)."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:
        return 0
    return count if isinstance(count, int) else 0


def _check_pages(path: Path, pages: int, max_pages: int) -> None:
    if pages > max_pages:
        raise LimitExceeded(path, f"{pages} pages, more than the limit of {max_pages} (max_pages)", "max_pages")


def _forget_parsed_objects(pdf) -> None:
    cache = getattr(pdf.doc, "_cached_objs", None)
    if isinstance(cache, dict):
        cache.clear()


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception, what it wraps (pdfplumber puts pdfminer's error in args) and its causes."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo:
        e = todo.pop()
        if e is None or any(e is s for s in seen):
            continue
        seen.append(e)
        todo.extend([e.__cause__, e.__context__, *(a for a in e.args if isinstance(a, BaseException))])
    return seen


def _is_password_error(exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    return any(isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) for e in _causes(exc))


def _describe(exc: BaseException) -> str:
    inner = _causes(exc)[-1]
    text = f"{type(inner).__name__}: {inner}".rstrip(": ")
    # pdfminer quotes the damaged bytes it met: keep the message one short printable line.
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text if len(text) <= _DESCRIBED else text[:_DESCRIBED] + "…"


def read_page(glyphs: list[Glyph], number: int, width: float, height: float,
              hints: list[tuple[float, float]] = (), cluster_named: set[tuple[str, int]] | None = None,
              kashida: set[tuple[str, int]] | None = None) -> PageLines:
    """One page's glyphs (:func:`page_glyphs`) to lines in reading order. ``hints``: column
    gutters found on the document's earlier pages; ``cluster_named``: glyphs found named
    after a cluster there (grown by this page's, see layout.glyphs.clean_glyphs); ``kashida``:
    glyphs found to be kashida there (layout.glyphs.name_stretchers)."""
    glyphs = clean_glyphs(glyphs, cluster_named)
    # Only Arabic is judged below: Persian or Urdu words are not in the Arabic lexicon.
    arabic = page_is_arabic(g.text for g in glyphs)
    printed = [g for g in glyphs if not g.is_space]
    if not printed:
        return PageLines(number, width, height, [], problem="no-text")
    bad = sum(1 for g in printed if is_unusable_text(g.text))
    # Glyphs without usable text stay for now: their ink joins letters (see
    # bidi.drop_stray_connectors); they never reach the text.
    glyphs = name_stretchers(drop_overdrawn(glyphs), kashida)
    raw_lines = group_lines(glyphs)
    # Those that join letters (kashida) say nothing against the layer, however many.
    if bad > _UNUSABLE_SHARE * len(printed):
        if bad - joining_blanks(raw.glyphs for raw in raw_lines) > _UNUSABLE_SHARE * len(printed):
            return PageLines(number, width, height, [], problem="unusable-text")
    direction = page_direction(printed)
    ordered, gutters = reading_order(raw_lines, direction == "rtl", hints, regroup=group_lines)
    placed = [PlacedLine(LineBox.of(raw), *_logical(raw, direction)) for raw in ordered]
    placed = [p for p in placed if p.text]
    known = page_known_share(p.text for p in placed) if arabic else None
    if garbled_share(known):
        return PageLines(number, width, height, [], problem="garbled-text")
    foreign = (0, 0)
    if arabic:
        count, words = foreign_words(p.text for p in placed)
        foreign = (count + wedged_symbols(raw.glyphs for raw in ordered), words)
        if bad and lost_letters(stranded_blanks(raw.glyphs for raw in ordered), foreign[1]):
            return PageLines(number, width, height, [], problem="unusable-text")
    return PageLines(number, width, height, placed, gutters=tuple((g.x0, g.x1) for g in gutters), foreign=foreign,
                     known=known)


def _logical(raw: RawLine, default: str) -> tuple[str, str]:
    """A line's text in logical order, numbers in right-to-left lines as Arabic writes them
    (:mod:`qantara.arabic.numbers`)."""
    text, direction = _reordered(raw, default)
    return (order_numbers(text) if direction == "rtl" else text), direction


def _reordered(raw: RawLine, default: str) -> tuple[str, str]:
    """Pieces far apart (table cells, words of a justified line a wide gap parts) are
    reordered one by one, each with its own base direction, then read in the line's
    direction: the bidi algorithm run across cells would interleave their runs. Pieces of
    both directions are read in the page's, however long each is (a Latin name and an Arabic
    word on a narrow column's line)."""
    pieces = [reorder_visual_line(list(p.glyphs), default) for p in split_pieces(raw)]
    pieces = [p for p in pieces if p.text]
    if not pieces:
        return "", default
    if len(pieces) == 1:
        return pieces[0].text, pieces[0].direction
    directions = {p.direction for p in pieces}
    rtl = directions == {"rtl"} or (len(directions) > 1 and default == "rtl")
    if rtl:
        pieces.reverse()
    return " ".join(p.text for p in pieces), "rtl" if rtl else "ltr"


def assemble(
    path: Path, pages: list[PageLines], issues: list[Issue], ocr: tuple[OcrPage, ...] = ()
) -> ExtractedDocument:
    """Drop running heads, number blocks across the document, report pages without text.
    OCR'd pages (listed in ``ocr``) come in as text pages and go through the same steps."""
    text_pages = [p for p in pages if p.problem is None]
    ocr_tried = {p.number for p in ocr}
    if not any(p.lines for p in text_pages):
        problem = _no_text_problem(pages) + ("; OCR found no text either" if ocr_tried else "")
        raise UnreadableDocument(path, problem, pages=tuple(p.number for p in pages))
    running = find_running_keys([(p.lines, p.height) for p in text_pages])
    out: list[PageText] = []
    issues = list(issues)
    block = 0
    carried: PlacedLine | None = None  # last line of the previous page, when it runs full width
    notes: list[tuple[int, int, PlacedLine]] = []  # (page, line on the page, line)
    for page in pages:
        if page.problem in OCR_PROBLEMS and page.number in ocr_tried:
            issues.append(Issue(SourceRef(path, page.number), f"page-{page.problem}",
                                f"page {page.number}: no text layer and OCR found no text (blank page?)"))
        elif page.problem in OCR_PROBLEMS:
            issues.append(Issue(SourceRef(path, page.number), f"page-{page.problem}", _page_message(page)))
        elif page.problem == "blank":
            issues.append(Issue(SourceRef(path, page.number), "page-blank", f"page {page.number}: blank (no ink), not OCR'd"))
        lines = drop_running_lines(page.lines, page.height, running, alone=len(pages) == 1)
        ocr_page = page.number in ocr_tried
        if not ocr_page:
            lines, page_notes = split_footnotes(lines)
            notes.extend((page.number, len(lines) + k, line) for k, line in enumerate(page_notes, start=1))
        blocks = assign_blocks(lines, block, carried)
        if blocks:
            block = blocks[-1] + 1
            carried = lines[-1] if full_width(lines)[id(lines[-1])] else None
        elif page.problem is not None:
            carried = None
        out.append(PageText(
            number=page.number,
            lines=tuple(
                TextLine(
                    text=line.text,
                    ref=SourceRef(path, page.number, i),
                    bbox=(line.raw.x0, line.raw.top, line.raw.x1, line.raw.bottom),
                    size=round(line.raw.size, 2),
                    block=b,
                    direction=line.direction,
                    confidence=(line.confidence or 0.0) if ocr_page else None,
                )
                for i, (line, b) in enumerate(zip(lines, blocks), start=1)
            ),
            width=page.width,
            height=page.height,
        ))
    if notes and out:
        out[-1] = replace(out[-1], lines=out[-1].lines + _note_lines(path, notes, block))
    return ExtractedDocument(path=path, kind="pdf", pages=tuple(out), issues=tuple(issues), ocr=ocr)


def _note_lines(path: Path, notes: list[tuple[int, int, PlacedLine]], block: int) -> tuple[TextLine, ...]:
    """Footnotes after the body, each a block of its own (a line opening with a mark starts
    one), each line keeping the page it was printed on."""
    out = []
    for page, index, line in notes:
        if is_note_start(line.text) or not out:
            block += 1
        out.append(TextLine(
            text=note_text(line.text) if is_note_start(line.text) else line.text,
            ref=SourceRef(path, page, index),
            bbox=(line.raw.x0, line.raw.top, line.raw.x1, line.raw.bottom),
            size=round(line.raw.size, 2),
            block=block,
            direction=line.direction,
        ))
    return tuple(out)


_GARBLED = "text layer maps glyphs to wrong letters"


def _page_message(page: PageLines) -> str:
    if page.problem == "garbled-text":
        return f"page {page.number}: {_GARBLED}; needs OCR"
    if page.problem == "unusable-text":
        return f"page {page.number}: text layer unusable (glyphs map to U+FFFD or private-use codes); needs OCR"
    return f"page {page.number}: no text layer (image-only or blank); needs OCR"


_WHY_NO_TEXT = {
    "garbled-text": _GARBLED,
    "unusable-text": "text layer unusable (glyphs map to U+FFFD or private-use codes)",
    "blank": "blank (no ink, not OCR'd)",
    "too-large": "too large to OCR within max_page_pixels",
    "unreadable": "could not be parsed",
    "unrenderable": "could not be drawn for OCR",
}


def _no_text_problem(pages: list[PageLines]) -> str:
    parts = []
    for problem, why in _WHY_NO_TEXT.items():
        numbers = [p.number for p in pages if p.problem == problem]
        if numbers:
            parts.append(f"{why} on {page_list(numbers)}")
    empty = [p.number for p in pages if p.problem not in _WHY_NO_TEXT]
    if empty:
        parts.append(f"no text layer (image-only or blank) on {page_list(empty)}")
    needs_ocr = any(p.problem in OCR_PROBLEMS for p in pages)
    return "no usable text: " + "; ".join(parts) + (" (needs OCR)" if needs_ocr else "")


def page_list(numbers: list[int]) -> str:
    """"page 3", "pages 1, 2", "pages 1-200, 202": runs of three or more as ranges."""
    label = "page" if len(numbers) == 1 else "pages"
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"{run[0]}-{run[-1]}" if len(run) >= 3 else ", ".join(map(str, run)) for run in runs]
    return f"{label} " + ", ".join(parts)
