"""Hostile and unusual inputs, one case at a time: each is stopped where its cost comes from,
with an error that names the file and the limit (README "Limits").

The whole run over all of them at once is tests/test_hostile_run.py.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from conftest import REPO, SHARED
from support.hostile import (
    ARABIC,
    blank_pdf,
    corrupted_stream_pdf,
    inflation_bomb_pdf,
    mutate,
    one_line_text,
    random_text_bytes,
    reference_loop_pdf,
    stream,
    write_pdf,
)
from qantara.config import Settings
from qantara.errors import LimitExceeded, UnreadableDocument
from qantara.extraction import extract_document
from qantara.extraction.ocr.render import render_pages
from qantara.extraction.text import decode_text
from qantara.links import link_refusal
from qantara.pipeline import prepare_document

# CI draws a fresh seed for the generated grids; QANTARA_TEST_SEED replays one.
SEED = int(os.environ.get("QANTARA_TEST_SEED") or random.SystemRandom().randrange(10**6))
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")])}


@pytest.fixture
def no_tesseract_calls(monkeypatch):
    """OCR on, as if Tesseract were installed, and any page that reaches it fails the test."""
    import qantara.extraction as extraction
    import qantara.extraction.ocr as ocr

    def refuse(*args, **kwargs):
        raise AssertionError("a page reached Tesseract")

    monkeypatch.setattr(extraction, "tesseract_problem", lambda *a: None)
    monkeypatch.setattr(ocr, "read_page_words", refuse)


def _damaged_pdfs(folder: Path, seed: int, count: int = 8) -> list[Path]:
    """Damaged copies of PDFs the tests render, and of the shared real ones where present."""
    from support.pdf_corpus import PARAGRAPHS, render_pdf_reportlab

    sources = [render_pdf_reportlab(PARAGRAPHS * 2, folder / "rendered.pdf")]
    sources += sorted(SHARED.glob("fixtures/pdfs*/*.pdf"))
    rng = random.Random(seed)
    damaged = []
    for k in range(count):
        path = folder / f"damaged-{k}.pdf"
        path.write_bytes(mutate(sources[k % len(sources)].read_bytes(), rng))
        damaged.append(path)
    return damaged


def test_pdfium_is_never_used_from_two_threads_at_once(tmp_path):
    # Eight threads rendering damaged PDFs at once crashed the process (SIGSEGV, double
    # free) within seconds before rendering took a lock; run apart, a crash ends only it.
    files = _damaged_pdfs(tmp_path, seed=20)
    done = subprocess.run([sys.executable, str(REPO / "tests" / "support" / "render_concurrently.py"), "5", *map(str, files)],
                          capture_output=True, text=True, timeout=180, env=ENV)
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-1500:]}"
    assert "from 8 threads" in done.stdout


def test_reference_loop_is_refused_at_once(tmp_path):
    path = reference_loop_pdf(tmp_path / "loop.pdf")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "qantara", "repair", str(path)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path, env=ENV)
    assert done.returncode == 1 and time.monotonic() - started < 60
    assert str(path) in done.stderr and "loop (7 0 R -> 6 0 R -> 7 0 R)" in done.stderr


def test_inflation_bomb_stops_at_max_stream_mb(tmp_path):
    path = inflation_bomb_pdf(tmp_path / "bomb.pdf", inflated=64 << 20)
    with pytest.raises(LimitExceeded) as info:
        extract_document(path, settings=Settings(max_stream_mb=8))
    assert info.value.limit == "max_stream_mb"
    assert str(info.value) == f"{path}: a stream inflates to more than 8 MB, the limit (max_stream_mb)"


def test_pages_over_max_pages_are_refused_before_they_are_read(tmp_path):
    path = blank_pdf(tmp_path / "blank.pdf", 20_000)
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match=r"20000 pages, more than the limit of 2000 \(max_pages\)"):
        extract_document(path)
    assert time.monotonic() - started < 30


def test_blank_pages_are_not_ocred(tmp_path, no_tesseract_calls):
    path = blank_pdf(tmp_path / "blank.pdf", 60)
    with pytest.raises(UnreadableDocument, match=r"blank \(no ink, not OCR'd\) on pages 1-60"):
        extract_document(path, ocr=True)


def test_blank_page_among_text_pages_is_reported(tmp_path, no_tesseract_calls):
    from pypdf import PdfReader, PdfWriter

    from support.pdf_corpus import PARAGRAPHS, render_pdf_reportlab

    render_pdf_reportlab(PARAGRAPHS[:1], tmp_path / "text.pdf")
    writer = PdfWriter()
    writer.add_page(PdfReader(tmp_path / "text.pdf").pages[0])
    writer.add_blank_page(width=612, height=792)
    writer.write(tmp_path / "mixed.pdf")
    doc = extract_document(tmp_path / "mixed.pdf", ocr=True)
    assert [(i.code, i.ref.page) for i in doc.issues] == [("page-blank", 2)]


def test_a_blank_page_200_inches_square_costs_little(tmp_path):
    path = blank_pdf(tmp_path / "huge.pdf", 1, 14_400, 14_400)
    # VmHWM, the peak of this process's own memory: ru_maxrss would start from the peak of
    # the test process it was forked from.
    code = ("import sys\nfrom qantara.extraction import extract_document\n"
            "try:\n    extract_document(sys.argv[1])\nexcept Exception as exc:\n    print(exc)\n"
            "status = open('/proc/self/status').read()\n"
            "print(int(status.split('VmHWM:')[1].split()[0]) // 1024)")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120, env=ENV)
    message, peak_mb = done.stdout.strip().splitlines()
    assert "blank (no ink, not OCR'd) on page 1" in message
    assert int(peak_mb) < 400, f"{peak_mb} MB resident (3.6 GB before blank pages were found from a small drawing)"


def test_a_page_too_large_to_read_is_refused_by_max_page_pixels(tmp_path, no_tesseract_calls):
    path = write_pdf(tmp_path / "wall.pdf", {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 4 0 R >>",
        4: stream(b"0 g 100 100 5000 5000 re f"),
    })
    with pytest.raises(UnreadableDocument, match="too large to OCR within max_page_pixels on page 1"):
        extract_document(path, ocr=True)


def test_large_pages_are_drawn_within_max_page_pixels(tmp_path):
    from reportlab.lib.pagesizes import A0
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(tmp_path / "poster.pdf"), pagesize=A0)
    pdf.setFont("Helvetica", 200)
    pdf.drawString(200, 1500, "POSTER")
    pdf.save()
    [image] = render_pages(tmp_path / "poster.pdf", [1], dpi=300, max_pixels=20_000_000)
    width, height = image.image.size
    assert image.problem is None and 72 <= image.dpi < 300
    assert width * height <= 20_000_000 and abs(width - A0[0] / 72 * image.dpi) <= 1


def _grid_page(rng: random.Random, path: Path) -> bool:
    """One page of the blank-detection grid; returns whether it is blank."""
    import numpy as np
    from reportlab.lib.pagesizes import A3, A4, A5, letter
    from reportlab.pdfgen import canvas

    from support.pdf_corpus import _register_amiri

    # Up to 19 x 19 inches, the largest page the probe draws at its full resolution.
    size = rng.choice([A5, A4, A3, letter, (rng.uniform(200, 1380), rng.uniform(200, 1380))])
    kind = rng.choice(["word", "word", "inverted word", "nothing", "scanned paper"])
    if kind == "scanned paper":  # a scan of an empty page: paper gray with sensor noise
        dpi = rng.choice([100, 150, 200])
        shape = (int(size[1] / 72 * dpi), int(size[0] / 72 * dpi))
        paper = np.random.default_rng(rng.randrange(1 << 30)).normal(rng.randrange(180, 250), rng.uniform(1, 5), shape)
        pixels = zlib.compress(np.clip(paper, 0, 255).astype(np.uint8).tobytes(), 1)
        write_pdf(path, {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.1f %.1f] /Contents 4 0 R "
               b"/Resources << /XObject << /Scan 5 0 R >> >> >>" % size,
            4: stream(b"q %.1f 0 0 %.1f 0 0 cm /Scan Do Q" % size),
            5: stream(pixels, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                              b"/BitsPerComponent 8 /Filter /FlateDecode " % (shape[1], shape[0])),
        })
        return True
    pdf = canvas.Canvas(str(path), pagesize=size)
    if kind != "nothing":
        gray = rng.choice([0, 0.3, 0.5, 0.7])
        if kind == "inverted word":
            pdf.setFillGray(0)
            pdf.rect(0, 0, size[0], size[1], fill=1, stroke=0)
            gray = 1 - gray
        pdf.setFillGray(gray)
        pdf.setFont(_register_amiri(), rng.choice([4, 5, 6, 8, 12]))
        pdf.drawString(rng.uniform(10, size[0] - 60), rng.uniform(10, size[1] - 20),
                       rng.choice(["٣", "7", "نعم", "and", "الخليج", "Gulf", "٢٠٢٤"]))
    pdf.showPage()
    pdf.save()
    return kind == "nothing"


def test_blank_detection_over_a_grid_of_pages(tmp_path):
    """A word, however small (4 pt) or light (70 % gray), or white on black, is never
    blank; an empty page or a scan of an empty page always is."""
    print(f"blank-detection grid seed {SEED} (QANTARA_TEST_SEED={SEED} replays it)")
    rng = random.Random(SEED)
    wrong = []
    for k in range(30):
        path = tmp_path / f"page{k}.pdf"
        blank = _grid_page(rng, path)
        [image] = render_pages(path, [1])
        if (image.problem == "blank") != blank:
            wrong.append(f"{path.name}: {'blank' if blank else 'ink'} judged {image.problem}")
    assert not wrong, f"seed {SEED}: {wrong}"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_encodings_without_byte_order_mark(encoding):
    assert decode_text(ARABIC.encode(encoding)) == (ARABIC, encoding)


def test_random_bytes_without_nul_are_binary(tmp_path):
    path = random_text_bytes(tmp_path / "random.txt", 50_000)
    with pytest.raises(UnreadableDocument, match="binary data"):
        extract_document(path)
    printable = bytes(random.Random(3).randrange(32, 127) for _ in range(50_000))
    with pytest.raises(UnreadableDocument, match=r"only \d+% of its characters are letters, digits or spaces"):
        decode_text(printable)


def test_nul_bytes_that_spell_no_words_are_binary():
    with pytest.raises(UnreadableDocument, match="no word breaks"):
        decode_text(b"\x00\xff\x00\xfe" * 200)


def test_files_over_max_file_chars_are_refused_unread(tmp_path):
    path = one_line_text(tmp_path / "line.txt", 30 << 20)
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match=r"more than max_file_chars \(3,000,000 characters\)"):
        extract_document(path)
    assert time.monotonic() - started < 5
    small = one_line_text(tmp_path / "small.txt", 4000)
    with pytest.raises(LimitExceeded, match=r"characters, more than the limit of 1,500 \(max_file_chars\)"):
        extract_document(small, settings=Settings(max_file_chars=1500))


def test_long_lines_are_cut_at_sentence_ends(tmp_path):
    path = one_line_text(tmp_path / "line.txt", 200_000)
    lines = extract_document(path, settings=Settings(max_line_chars=1000)).pages[0].lines
    assert len(lines) > 100 and all(len(line.text) <= 1000 for line in lines)
    assert all(line.text.endswith(".") for line in lines[:-1])


def test_partial_pages_are_flagged(tmp_path):
    path = corrupted_stream_pdf(tmp_path / "partial.pdf")
    prepared = prepare_document(path, "partial", None, settings=Settings(ocr=False))
    assert "Partial page text survives" in " ".join(p.text for p in prepared.paragraphs)
    assert all("partial-page:1" in s.flags for s in prepared.segments)
    assert [i.code for i in prepared.issues] == ["partial-page"]


def test_a_stream_cut_short_is_partial_too(tmp_path):
    import zlib

    rng = random.Random(5)
    content = b"".join(b"BT /F1 12 Tf 72 %d Td (Line %d: %s) Tj ET\n" % (
        760 - 16 * k, k, " ".join(rng.choice(["Gulf", "trade", "Astana", "energy", "talks"]) for _ in range(6)).encode())
        for k in range(40))
    packed = zlib.compress(content)
    path = write_pdf(tmp_path / "cut.pdf", {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
           b"/Resources << /Font << /F1 5 0 R >> >> >>",
        4: stream(packed[: len(packed) // 2], b"/Filter /FlateDecode "),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    })
    doc = extract_document(path, ocr=False)
    assert [(i.code, i.ref.page) for i in doc.issues] == [("partial-page", 1)]
    assert "cut short" in doc.issues[0].message


def test_links_leaving_the_input_folder_are_refused(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "inside.txt").write_text(ARABIC, encoding="utf-8")
    (inputs / "alias.txt").symlink_to(inputs / "inside.txt")
    (inputs / "passwd.txt").symlink_to("/etc/passwd")
    (inputs / "chain.txt").symlink_to(inputs / "passwd.txt")
    assert link_refusal(inputs / "inside.txt", inputs, follow=False) is None
    assert link_refusal(inputs / "alias.txt", inputs, follow=False) is None
    for name in ("passwd.txt", "chain.txt"):
        refusal = link_refusal(inputs / name, inputs, follow=False)
        assert refusal.startswith(f"{inputs / name}: symbolic link to /etc/passwd") and "follow_outside_links" in refusal
        assert link_refusal(inputs / name, inputs, follow=True) is None
