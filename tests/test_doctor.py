"""`qantara doctor` and the notes a run leaves when a missing part lowered its output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from conftest import REPO
from flows.run import qantara_run
from qantara import doctor
from qantara.arabic import lexicon
from qantara.cli import app
from qantara.pipeline import PreparedDocument
from qantara.types import Issue, SourceRef

ARABIC = "زار وزير الخارجية كازاخستان في مايو 2025. وبحث الجانبان التعاون في مجالات الطاقة والنقل.\n"


def _parts(result) -> dict[str, dict]:
    return {p["name"]: p for p in map(json.loads, result.stdout.splitlines())}


def test_doctor_lists_every_part_and_exits_1_only_when_a_needed_one_is_missing(installed_packages_dir, tmp_path,
                                                                               monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("QANTARA_PACKAGES_DIR", str(installed_packages_dir))
    runner = CliRunner()
    result = runner.invoke(app, ["doctor", "--json"])
    parts = _parts(result)
    assert {"Tesseract OCR, Arabic + English", "Arabic Hunspell dictionary (enchant)",
            "Arabic font for the bilingual PDF", "ar→en translation model", "Prefect server"} <= set(parts)
    assert parts["ar→en translation model"]["found"]
    # On the machines setup.sh prepared, everything the output needs is there.
    assert result.exit_code == 0, result.stdout

    monkeypatch.setenv("QANTARA_PACKAGES_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert "MISSING Tesseract OCR" in result.stdout and "scanned pages" in result.stdout
    assert "MISSING ar→en translation model" in result.stdout and "untranslated" in result.stdout


def test_a_run_without_hunspell_or_tesseract_says_so_in_its_summary_and_index(prefect_server, tmp_path,
                                                                                monkeypatch):
    inputs, out = tmp_path / "inputs", tmp_path / "outputs"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ARABIC, encoding="utf-8")
    shutil.copy(REPO / "inputs" / "003_scan.pdf", inputs / "scan.pdf")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(lexicon, "_open_lexicon", lambda: (None, "enchant has no 'ar' dictionary"))

    summary = qantara_run(input_dir=str(inputs), output_dir=str(out), glossary_dir=str(tmp_path / "none"),
                          packages_dir=str(tmp_path / "none"))

    assert {d.file: d.status for d in summary.documents} == {"a.txt": "published", "scan.pdf": "failed"}
    record = json.loads((out / "run-summary.json").read_text("utf-8"))
    hunspell = next(n for n in record["notes"] if n.startswith("No Arabic Hunspell dictionary"))
    ocr = next(n for n in record["notes"] if n.startswith("No OCR"))
    assert "word-level repairs" in hunspell and "wrong letters" in hunspell
    assert "tesseract is not installed" in ocr and "scan.pdf" in ocr
    index = (out / "index.html").read_text("utf-8")
    assert "No Arabic Hunspell dictionary" in index and "No OCR" in index

    # A rerun that remakes nothing lowers nothing: no such notes.
    (inputs / "scan.pdf").unlink()
    again = qantara_run(input_dir=str(inputs), output_dir=str(out), glossary_dir=str(tmp_path / "none"),
                        packages_dir=str(tmp_path / "none"))
    assert not [n for n in again.notes if n.startswith(("No Arabic Hunspell", "No OCR"))]


def test_notes_count_the_pages_left_out_of_published_documents(tmp_path, monkeypatch):
    doc = PreparedDocument(Path("mixed.pdf"), "mixed", (), (),
                           issues=(Issue(SourceRef(Path("mixed.pdf"), 2), "page-needs-ocr", "page 2: needs OCR"),))
    monkeypatch.setenv("PATH", str(tmp_path))
    notes = doctor.run_notes([doc], [])
    assert any(n.startswith("No OCR") and "1 page(s) needing OCR were left out" in n for n in notes)
