"""Extraction on generated documents (tests/support/generate): each failure kind pinned with
a document of the developed half that has it, and a fresh random sample of the developed half
on every run, its seed printed so that a failure replays (QANTARA_CORPUS_SEED=<seed>).

The sample holds the developed half to the issue's targets: a failure there is a kind to fix
in the developed cells. The unseen half is measured by benchmarks/bench_pdf.py and stays
unseen; its figures (README) do not meet the targets yet, so a sample of it would fail on
most seeds without telling anything the benchmark does not.

A pinned document is found, not copied: the first seed whose drawn layout and text have the
kind (three unbalanced columns, a percentage, footnotes...), in a cell of the developed half.
"""

from __future__ import annotations

import os
import random
import re
import unicodedata
from pathlib import Path

import pytest

from support.generate import Spec, build, document, draw, half_of, missing, text_available
from support.generate.spec import PRODUCERS, fonts_for
from support.score import cer, paragraphs_of

from qantara.errors import UnreadableDocument
from qantara.extraction import extract_document

pytestmark = pytest.mark.skipif(not text_available(), reason="../shared (eval sets, seeds) is absent")

_MAX_CHARS = 4000
# The issue's target (#15) for a producer/layout cell's CER (the half's mean: 0.005).
CELL_TARGET = 0.01
# What one document of a fresh sample may read at before the sample test fails (see there).
SAMPLE_BOUND = 0.05


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("generated")


def _find(producer: str, font: str, columns: int, redistill: bool = False, **wanted) -> Spec:
    """The first seed giving a document of this developed cell whose layout has ``wanted``
    attributes, and whose content passes the ``content`` test when given."""
    content = wanted.pop("content", None)
    for seed in range(500):
        spec = Spec(producer, font, columns, seed, redistill=redistill)
        assert spec.half == "developed", spec.cell  # pins stay in the developed half
        doc = document(spec)
        # Short documents keep the tests quick (a page or two).
        if sum(len(t) for t in doc.truth()) > _MAX_CHARS:
            continue
        if all(getattr(doc.layout, k) == v for k, v in wanted.items()) and (content is None or content(doc)):
            return spec
    raise AssertionError(f"no seed under 500 gives {producer}/{font}/{columns} with {wanted}")


def _built(spec: Spec, folder: Path):
    why = missing(spec)
    if why:
        pytest.skip(why)
    return build(spec, folder)


def _text(pdf: Path) -> str:
    return "\n".join(paragraphs_of(extract_document(pdf, ocr=False)))


def test_the_grid_split_is_fixed_and_leaves_every_producer_layout_in_both_halves() -> None:
    assert draw(7, 12) == draw(7, 12)
    for producer in PRODUCERS:
        for label in (producer, producer + "+gs"):
            for columns in (1, 2, 3):
                halves = {half_of((label, font, columns)) for font in fonts_for(producer)}
                assert halves == {"developed", "unseen"}, (label, columns)
    assert all(s.half == "unseen" for s in draw(3, 5, half="unseen"))


def test_three_right_to_left_columns_on_an_unbalanced_last_page(corpus_dir: Path) -> None:
    # The last (here the only) page's columns filled one after the other: the last short.
    made = _built(_find("reportlab", "amiri", 3, balanced=False, justify=True), corpus_dir)
    assert cer(made.truth, _text(made.pdf)) <= CELL_TARGET


def test_three_ragged_columns_without_space_glyphs(corpus_dir: Path) -> None:
    # reportlab draws no space glyphs; ragged lines leave only the gutters as white between
    # chunks of ink, and each gutter was taken for a river as wide as the other one.
    made = _built(_find("reportlab", "amiri", 3, justify=False, balanced=True), corpus_dir)
    assert cer(made.truth, _text(made.pdf)) <= CELL_TARGET


def test_balanced_columns_of_a_browser_page(corpus_dir: Path) -> None:
    made = _built(_find("chromium", "noto-naskh", 2, balanced=True), corpus_dir)
    assert cer(made.truth, _text(made.pdf)) <= CELL_TARGET


def test_running_header_and_page_numbers_are_gone_from_every_page(corpus_dir: Path) -> None:
    # A small page and a long text: several pages.
    spec = _find("typst", "kacst-book", 1, numbers="header", page=(148.0, 210.0),
                 content=lambda d: sum(len(t) for t in d.truth()) > 3000)
    made = _built(spec, corpus_dir)
    header = document(spec).layout.header
    assert header and made.notes["pages"] >= 2
    text = _text(made.pdf)
    assert header not in text
    assert cer(made.truth, text) <= CELL_TARGET


def test_lam_alef_and_kashida_of_libreoffice_with_noto_naskh(corpus_dir: Path) -> None:
    # LibreOffice writes "الإقليمي" as a lam-alef glyph named lam and a zero-width alef, and
    # names its kashida glyphs "(": "ا إلقليمي", "تهدي((د" before.
    made = _built(_find("writer", "noto-naskh", 2, justify=True), corpus_dir)
    text = _text(made.pdf)
    assert not re.search(r"(?:^|\s)ا ال", text) and "((" not in text and "))" not in text
    assert cer(made.truth, text) <= CELL_TARGET


def test_harakat_of_typst_clusters(corpus_dir: Path) -> None:
    # Typst names a mark glyph after the cluster it first met ("يُ" for every damma).
    has_marks = lambda d: sum(unicodedata.combining(ch) > 0 for b in d.content.blocks for ch in b.text) > 40  # noqa: E731
    made = _built(_find("typst", "scheherazade", 2, content=has_marks), corpus_dir)
    assert cer(made.truth, _text(made.pdf)) <= CELL_TARGET


def test_marks_and_ligatures_of_cairo(corpus_dir: Path) -> None:
    # cairo gives a lam-alef glyph no text (its /ActualText does) and writes marks after
    # their base, in logical order.
    made = _built(_find("cairo", "lateef", 1), corpus_dir)
    assert cer(made.truth, _text(made.pdf)) <= CELL_TARGET


def test_percentages_and_ranges_read_as_written(corpus_dir: Path) -> None:
    with_numbers = lambda d: any(re.search(r"\d%", b.text) for b in d.content.blocks)  # noqa: E731
    made = _built(_find("writer", "amiri", 1, content=with_numbers), corpus_dir)
    text = _text(made.pdf)
    assert not re.search(r"(?<![\d.,])%\d", text)
    assert cer(made.truth, text) <= CELL_TARGET


def test_footnotes_come_after_the_body(corpus_dir: Path) -> None:
    with_notes = lambda d: len(d.content.notes) >= 2  # noqa: E731
    spec = _find("typst", "noto-kufi", 1, content=with_notes)
    made = _built(spec, corpus_dir)
    paragraphs = paragraphs_of(extract_document(made.pdf, ocr=False))
    notes = document(spec).content.notes
    assert [p for p in paragraphs[-len(notes):] if any(n[:20] in p for n in notes)]
    assert cer(made.truth, "\n".join(paragraphs)) <= CELL_TARGET


def test_a_wrong_letter_layer_is_reported_never_published(corpus_dir: Path) -> None:
    # Ghostscript re-distilling packs each ligature's two letters into one CJK code point.
    made = _built(_find("fpdf2", "kacst-book", 2, redistill=True), corpus_dir)
    assert made.wrong_pages
    try:
        document_ = extract_document(made.pdf, ocr=False)
    except UnreadableDocument as error:
        assert set(made.wrong_pages) <= set(error.pages)
        return
    reported = {i.ref.page for i in document_.issues if i.code in ("page-garbled-text", "page-unusable-text")}
    assert set(made.wrong_pages) <= reported
    published = {line.ref.page for page in document_.pages for line in page.lines}
    assert not published & set(made.wrong_pages)


def _reported(made) -> set[int]:
    """Pages Qantara (without OCR) reports instead of publishing as text."""
    try:
        document_ = extract_document(made.pdf, ocr=False)
    except UnreadableDocument as error:
        return set(error.pages)
    return {i.ref.page for i in document_.issues if i.code in ("page-garbled-text", "page-unusable-text")}


def _drawn(producer: str, font: str, columns: int, seed: int, redistill: bool = False) -> Spec:
    """A document a fresh sample found a kind with (its seed as the sample printed it)."""
    spec = Spec(producer, font, columns, seed, redistill=redistill)
    assert spec.half == "developed", spec.cell
    return spec


def test_a_letter_glyph_named_after_a_bracket_is_a_wrong_letter_layer(corpus_dir: Path) -> None:
    # LibreOffice with Scheherazade names the medial yeh glyph "(": "السعود(ة"; read as a
    # kashida it was dropped ("السعودة") and the page published.
    made = _built(_drawn("writer", "scheherazade", 3, 0xD94CC60D), corpus_dir)
    assert made.wrong_pages and set(made.wrong_pages) <= _reported(made)


def test_kashida_found_on_one_page_are_kashida_on_the_next(corpus_dir: Path) -> None:
    # LibreOffice + Noto Naskh: the kashida glyph (named "(") is stacked on page 1, single on
    # page 2, where it was taken for a letter named after a bracket and the page reported.
    made = _built(_drawn("writer", "noto-naskh", 1, 0xA7B526AE), corpus_dir)
    assert not _reported(made)
    assert cer(made.truth, _text(made.pdf)) <= CELL_TARGET


def test_every_page_of_a_garbled_document_is_reported(corpus_dir: Path) -> None:
    # Chromium re-distilled by Ghostscript: the second page's wrong letters happen to spell
    # 0.69 of its words (0.7 is the bar for a page alone); the first page's are garbled.
    made = _built(_drawn("chromium", "noto-sans", 1, 0x08C18B6C, redistill=True), corpus_dir)
    assert len(made.wrong_pages) >= 2 and set(made.wrong_pages) <= _reported(made)


def _sample_seed() -> int:
    return int(os.environ.get("QANTARA_CORPUS_SEED") or random.SystemRandom().randrange(1 << 31))


# Kinds known to fail in developed cells, not fixed yet (#15), with why: their documents are
# sampled and printed, but not held to the targets.
KNOWN_OPEN = {
    # WeasyPrint gives the separate mark glyphs of the SIL fonts (hamza over alef, harakat)
    # no text: "أ" reads "ا" (CER 0.03-0.05).
    ("weasyprint", "scheherazade"): "nameless mark glyphs",
    ("weasyprint", "lateef"): "nameless mark glyphs",
    # LibreOffice with KacST Office: a page of a good layer can be judged to have lost letters
    # (glyphs without text beside letters, quality.stranded_blanks) and is sent to OCR; without
    # OCR it is left out (seed 606: page 1 of writer-kacst-office-1col-a07a5d11, CER 0.72).
    ("writer", "kacst-office"): "good page taken for lost letters",
}


def test_a_fresh_sample_of_the_developed_half_meets_the_targets(corpus_dir: Path) -> None:
    seed = _sample_seed()
    print(f"generated sample: QANTARA_CORPUS_SEED={seed}")
    specs = [s for s in draw(seed, 6, half="developed") if missing(s) is None]
    for spec in [s for s in specs if (s.producer_label, s.font) in KNOWN_OPEN]:
        print(f"known open kind, not held to the targets: {spec.name} ({KNOWN_OPEN[spec.producer_label, spec.font]})")
    specs = [s for s in specs if (s.producer_label, s.font) not in KNOWN_OPEN]
    scores = {}
    for spec in specs:
        made = build(spec, corpus_dir)
        if made.layer_ok:
            scores[spec.name] = cer(made.truth, _text(made.pdf))
            continue
        try:
            document_ = extract_document(made.pdf, ocr=False)
        except UnreadableDocument:
            continue
        # A wrong-letter layer is reported, or its stray glyph names dropped so that its text
        # reads right (a kashida glyph LibreOffice named "T").
        reported = {i.ref.page for i in document_.issues}
        text = "\n".join(paragraphs_of(document_))
        assert set(made.wrong_pages) <= reported or cer(made.truth, text) <= SAMPLE_BOUND, (seed, spec.name)
    for name, value in scores.items():
        if value > CELL_TARGET:
            print(f"over the cell target: {name} {value:.4f}")
    # A regression guard, not the issue's targets (#15 measures those with bench_pdf, where
    # they are not met yet: a few open kinds reach 0.02-0.03 on one document). A document of a
    # handled kind that falls apart reads at 0.1 and more.
    assert all(v <= SAMPLE_BOUND for v in scores.values()), (seed, scores)
    if scores:
        assert sum(scores.values()) / len(scores) <= SAMPLE_BOUND / 2, (seed, scores)
