"""Fuzzing: damaged copies of real PDFs (../shared fixtures) and of PDFs the tests render go
through the run's bounded prepare step and through the OCR renderer. Each must come back as a
prepared document or as an error that names its file, in bounded time: never another kind of
exception (a traceback in a run summary), never a hang, never a crash of the caller.

A fixed corpus (seeds 0-23) runs everywhere; a fresh seed, drawn each run and printed, adds
more (QANTARA_FUZZ_SEED replays one).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from conftest import SHARED
from support.hostile import mutate
from qantara import bounded
from qantara.config import Settings
from qantara.errors import QantaraError
from qantara.pipeline import prepare_bounded
from qantara.types import Document

FIXED_SEEDS = range(24)
FRESH_SEED = int(os.environ.get("QANTARA_FUZZ_SEED") or random.SystemRandom().randrange(10**6))
FRESH_COUNT = 8
# Tight enough that a hang shows as a limit within the test's time, loose enough for any
# of the sources on a loaded machine.
SETTINGS = Settings(ocr=False, time_limit=60, cpu_limit=60, time_per_page=2, memory_limit_mb=768)
RENDER_LIMITS = bounded.Limits(seconds=60, cpu_seconds=60, seconds_per_page=0, memory_bytes=768 << 20)


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[Path]:
    from support.pdf_corpus import PARAGRAPHS, render_pdf_reportlab

    folder = tmp_path_factory.mktemp("fuzz-sources")
    rendered = [render_pdf_reportlab(PARAGRAPHS * 2, folder / "reportlab.pdf"),
                render_pdf_reportlab(PARAGRAPHS, folder / "two-columns.pdf", columns=2, justify=True)]
    return rendered + sorted(SHARED.glob("fixtures/pdfs*/*.pdf"))


def render_all(path: Path) -> int:
    """Every page of ``path`` through the OCR renderer (blank check, scaling), in a worker."""
    import pypdfium2 as pdfium

    from qantara.extraction.ocr.render import render_pages

    try:
        with pdfium.PdfDocument(str(path)) as document:
            count = len(document)
    except pdfium.PdfiumError:
        return 0  # PDFium refuses the file: the renderer says so in its own words
    return sum(1 for _ in render_pages(path, list(range(1, min(count, 5) + 1)), dpi=72))


def _damaged(sources: list[Path], seed: int, folder: Path) -> Path:
    rng = random.Random(seed)
    source = rng.choice(sources)
    path = folder / f"seed{seed}-{source.stem}.pdf"
    path.write_bytes(mutate(source.read_bytes(), rng))
    return path


def _outcome(path: Path) -> str:
    try:
        prepared = prepare_bounded(path, path.stem, None, SETTINGS)
    except QantaraError as exc:
        assert str(path) in str(exc), f"{path.name}: error without the file's name: {exc}"
        return f"failed: {exc}"
    assert isinstance(prepared, Document)
    return f"published: {len(prepared.segments)} segments"


def _rendered(path: Path) -> str:
    try:
        return f"rendered {bounded.call(render_all, path, limits=RENDER_LIMITS, label=path)} pages"
    except QantaraError as exc:  # unreadable, a limit, or PDFium crashing alone in its worker
        assert str(path) in str(exc), f"{path.name}: error without the file's name: {exc}"
        return f"not rendered: {exc}"


def _fuzz(sources: list[Path], seeds, folder: Path) -> None:
    for seed in seeds:
        path = _damaged(sources, seed, folder)
        print(f"{path.name}: {_outcome(path)}; {_rendered(path)}")


def test_fixed_corpus_of_damaged_pdfs(sources, tmp_path):
    _fuzz(sources, FIXED_SEEDS, tmp_path)


def test_fresh_damaged_pdfs(sources, tmp_path):
    print(f"fuzz seed {FRESH_SEED} (QANTARA_FUZZ_SEED={FRESH_SEED} replays it)")
    rng = random.Random(FRESH_SEED)
    _fuzz(sources, [rng.randrange(10**9) for _ in range(FRESH_COUNT)], tmp_path)
