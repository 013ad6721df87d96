"""Bad inputs through the real flow: each gets a clear status naming the file and the problem,
the others are processed, and nothing already published is lost.

One flow run over a corpus of every case (module fixture, one Prefect server); each case
is then its own test over that run's summary and outputs.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SHARED
from support.formats import write_broken
from support.pdf_corpus import render_pdf_reportlab

ARABIC = "زار وزير الخارجية كازاخستان في مايو 2025. وبحث الجانبان التعاون في مجالات الطاقة والنقل.\n"
PDF_PARAGRAPHS = ["عقدت القمة الأولى بين دول مجلس التعاون الخليجي ودول آسيا الوسطى في جدة عام 2023."]
NO_UNICODE_PDF = SHARED / "fixtures" / "pdfs" / "pdfjs__arial_unicode_ab_cidfont.pdf"
BIG_LINE_BYTES = 5 * 1024 * 1024


def _image_only_pdf(path: Path) -> None:
    """A scanned-looking page: one raster image of Arabic text, no text layer."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (800, 200), 255)
    font = ImageFont.truetype("/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf", 48)
    ImageDraw.Draw(image).text((40, 60), "نص في صورة فقط", font=font, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = canvas.Canvas(str(path))
    pdf.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 50, 500, width=400, height=100)
    pdf.save()


def _build_corpus(inputs: Path, work: Path) -> dict[str, str]:
    """Write every case; returns case name → input file name."""
    files = {
        "zero-byte": "empty.txt",
        "random-pdf": "random.pdf",
        "random-txt": "random.txt",
        "truncated-pdf": "truncated.pdf",
        "encrypted-pdf": "encrypted.pdf",
        "image-only-pdf": "scan.pdf",
        "windows-1256": "cp1256.txt",
        "utf-16-bom": "utf16.txt",
        "mixed-line-endings": "mixed endings.txt",
        "english-only": "english.txt",
        "odd-name": "تقرير الكويت v1.2.final.txt",
        "deleted-mid-run": "vanishing.txt",
        "previously-published": "kept.txt",
    }
    (inputs / files["zero-byte"]).write_bytes(b"")
    rng = __import__("random").Random(7)
    (inputs / files["random-pdf"]).write_bytes(bytes(rng.randrange(256) for _ in range(4000)))
    (inputs / files["random-txt"]).write_bytes(bytes(rng.randrange(256) for _ in range(4000)))
    whole = work / "whole.pdf"
    render_pdf_reportlab(PDF_PARAGRAPHS * 3, whole)
    data = whole.read_bytes()
    (inputs / files["truncated-pdf"]).write_bytes(data[: len(data) // 3])
    if shutil.which("qpdf"):
        subprocess.run(["qpdf", "--encrypt", "secret", "owner", "256", "--", str(whole),
                        str(inputs / files["encrypted-pdf"])], check=True)
    _image_only_pdf(inputs / files["image-only-pdf"])
    (inputs / files["windows-1256"]).write_bytes(ARABIC.encode("windows-1256"))
    (inputs / files["utf-16-bom"]).write_bytes(ARABIC.encode("utf-16"))
    mixed = "السطر الأول من النص.\r\nالسطر الثاني من النص.\rالسطر الثالث من النص.\n\r\nفقرة ثانية هنا.\n"
    (inputs / files["mixed-line-endings"]).write_bytes(mixed.encode("utf-8"))
    (inputs / files["english-only"]).write_text("An English-only document. Nothing to translate.\n", encoding="utf-8")
    (inputs / files["odd-name"]).write_text(ARABIC, encoding="utf-8")
    (inputs / files["deleted-mid-run"]).write_text(ARABIC, encoding="utf-8")
    for case, (name, _) in write_broken(inputs).items():
        files[case] = name
    if NO_UNICODE_PDF.is_file():
        files["no-unicode-fonts"] = "no-unicode.pdf"
        shutil.copy(NO_UNICODE_PDF, inputs / files["no-unicode-fonts"])
    return files


@pytest.fixture(scope="module")
def bad_run(prefect_server, tmp_path_factory):
    import qantara.run as run_module
    from flows.run import qantara_run

    work = tmp_path_factory.mktemp("bad-inputs")
    inputs, out, none = work / "inputs", work / "outputs", work / "no-packages"
    inputs.mkdir()
    none.mkdir()
    kwargs = dict(input_dir=str(inputs), output_dir=str(out), glossary_dir=str(work / "no-glossary"),
                  packages_dir=str(none))
    # A first run publishes kept.txt; it is then damaged, and its outputs must survive.
    (inputs / "kept.txt").write_text(ARABIC, encoding="utf-8")
    qantara_run(**kwargs)
    kept_before = (out / "kept" / "kept.ar.txt").read_text("utf-8")
    (inputs / "kept.txt").write_bytes(b"\x00\xff\x00\xfe" * 200)

    files = _build_corpus(inputs, work)
    discover = run_module.discover_documents

    def discover_then_delete(folder):
        # The file is listed, then vanishes before the run reads it (a user moving it away).
        found = discover(folder)
        (inputs / files["deleted-mid-run"]).unlink()
        return found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(run_module, "discover_documents", discover_then_delete)
        summary = qantara_run(**kwargs)
    reports = {d.file: d for d in summary.documents}
    return files, reports, out, kept_before


def _report(bad_run, case):
    files, reports, out, _ = bad_run
    if case not in files:
        pytest.skip(f"{case}: fixture could not be built here")
    return files[case], reports[files[case]], out


FAILS = [
    ("zero-byte", "empty file"),
    ("random-pdf", ""),
    ("random-txt", ""),
    ("encrypted-pdf", "encrypt"),
    ("deleted-mid-run", "disappeared"),
    ("previously-published", ""),
    # Structured documents (tests/support/formats.py), each with what its error must say.
    *((case, problem) for case, (_, problem) in write_broken(None).items()),
]


@pytest.mark.parametrize(("case", "problem"), FAILS, ids=[c for c, _ in FAILS])
def test_unreadable_input_fails_alone_with_its_reason(bad_run, case, problem):
    name, report, out = _report(bad_run, case)
    assert report.status == "failed", report
    assert name in report.error and problem in report.error.lower()


@pytest.mark.parametrize("case", ["image-only-pdf", "truncated-pdf"])
def test_pdf_without_usable_text_is_reported_not_passed_on(bad_run, case):
    name, report, out = _report(bad_run, case)
    if report.status == "failed":
        assert name in report.error
    else:  # whatever text survived is published, and the damage is on record
        assert report.status == "published"
        assert (out / report.stem / "segments.jsonl").is_file()


@pytest.mark.skipif(not NO_UNICODE_PDF.is_file(), reason=f"{NO_UNICODE_PDF} is absent (shared fixtures)")
def test_pdf_whose_fonts_have_no_unicode_is_unextractable(bad_run):
    name, report, out = _report(bad_run, "no-unicode-fonts")
    # Read from the page image where Tesseract is installed, else reported as unextractable:
    # never its broken text layer (U+FFFD) passed on as text.
    if shutil.which("tesseract"):
        assert report.status == "published", report
        text = (out / report.stem / f"{report.stem}.ar.txt").read_text("utf-8")
        assert "\ufffd" not in text and "عربي" in text
    else:
        assert report.status == "failed" and name in report.error and "tesseract" in report.error
        assert not (out / report.stem).exists()


@pytest.mark.parametrize("case", ["windows-1256", "utf-16-bom", "odd-name"])
def test_encoding_is_detected(bad_run, case):
    name, report, out = _report(bad_run, case)
    assert report.status == "published", report
    text = (out / report.stem / f"{report.stem}.ar.txt").read_text("utf-8")
    assert "كازاخستان" in text and "وزير الخارجية" in text


def test_mixed_line_endings(bad_run):
    name, report, out = _report(bad_run, "mixed-line-endings")
    assert report.status == "published", report
    text = (out / report.stem / f"{report.stem}.ar.txt").read_text("utf-8")
    assert "\r" not in text
    assert "السطر الثالث" in text and "فقرة ثانية" in text


def test_five_megabyte_single_line(prefect_server, tmp_path):
    from flows.run import qantara_run

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    sentence = "هذه جملة عربية طويلة بلا فواصل أسطر "
    line = sentence * (BIG_LINE_BYTES // len(sentence.encode("utf-8")) + 1)
    (inputs / "one-line.txt").write_text(line, encoding="utf-8")
    (inputs / "short.txt").write_text(ARABIC, encoding="utf-8")
    summary = qantara_run(input_dir=str(inputs), output_dir=str(tmp_path / "outputs"),
                          glossary_dir=str(tmp_path / "none"), packages_dir=str(tmp_path))
    status = {d.file: d.status for d in summary.documents}
    assert status["short.txt"] == "published"
    assert status["one-line.txt"] == "published"


def test_english_only_document(bad_run):
    name, report, out = _report(bad_run, "english-only")
    assert report.status == "published"
    segments = [json.loads(l) for l in (out / "english" / "segments.jsonl").read_text("utf-8").splitlines()]
    assert {s["origin"] for s in segments} == {"source-english"}


def test_odd_file_name_keeps_its_name(bad_run):
    name, report, out = _report(bad_run, "odd-name")
    assert report.stem == "تقرير الكويت v1.2.final"
    assert (out / report.stem / f"{report.stem}.en.txt").is_file()


def test_earlier_outputs_survive_a_failure(bad_run):
    files, reports, out, kept_before = bad_run
    assert reports["kept.txt"].status == "failed"
    assert (out / "kept" / "kept.ar.txt").read_text("utf-8") == kept_before


def test_summary_lists_every_input_once(bad_run):
    files, reports, out, _ = bad_run
    record = json.loads((out / "run-summary.json").read_text("utf-8"))
    listed = [d["file"] for d in record["documents"]]
    assert sorted(listed) == sorted(set(files.values()))
    assert not [p for p in out.rglob("*.tmp")]
