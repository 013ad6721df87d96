"""`qantara doctor` and the notes a run leaves when a missing part lowered its output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from conftest import REPO
from qantara import doctor
from qantara_cli import app
from qantara.types import Document, DocumentReport, Issue, SourceRef

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


def test_a_run_without_hunspell_or_tesseract_says_so_in_its_summary_and_index(prefect_server, tmp_path):
    from prefect.settings import PREFECT_API_URL

    inputs, out = tmp_path / "inputs", tmp_path / "outputs"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ARABIC, encoding="utf-8")
    shutil.copy(REPO / "inputs" / "003_scan.pdf", inputs / "scan.pdf")
    # A machine without tesseract on its PATH and without the enchant library, in processes of
    # its own (documents are prepared in worker processes that outlive a test's monkeypatching).
    env = {**os.environ, "PATH": str(tmp_path), "PYENCHANT_LIBRARY_PATH": str(tmp_path / "no-libenchant.so"),
           "PREFECT_API_URL": PREFECT_API_URL.value(), "PYTHONPATH": str(REPO),
           "QANTARA_PACKAGES_DIR": str(tmp_path / "none")}
    done = subprocess.run([sys.executable, "-m", "qantara", "run", "--input", str(inputs), "--output", str(out),
                           "--glossary", str(tmp_path / "none")], env=env, capture_output=True, text=True, timeout=300)

    assert done.returncode == 1, done.stderr[-2000:]  # the scan failed
    record = json.loads((out / "run-summary.json").read_text("utf-8"))
    assert {d["file"]: d["status"] for d in record["documents"]} == {"a.txt": "published", "scan.pdf": "failed"}
    hunspell = next(n for n in record["notes"] if n.startswith("No Arabic Hunspell dictionary"))
    ocr = next(n for n in record["notes"] if n.startswith("No OCR"))
    assert "word-level repairs" in hunspell and "wrong letters" in hunspell
    assert "tesseract is not installed" in ocr and "scan.pdf" in ocr
    index = (out / "index.html").read_text("utf-8")
    assert "No Arabic Hunspell dictionary" in index and "No OCR" in index
    assert "No OCR" in done.stdout.replace("\n", " ")


def test_a_run_that_remakes_nothing_has_no_such_notes():
    skipped = DocumentReport("a.txt", "a", "skipped", "unchanged since 2026-01-01T00:00:00+00:00")
    assert doctor.run_notes([], [skipped]) == []


def test_notes_count_the_pages_left_out_of_published_documents(tmp_path, monkeypatch):
    doc = Document(Path("mixed.pdf"), "mixed",
                   issues=(Issue(SourceRef(Path("mixed.pdf"), 2), "page-needs-ocr", "page 2: needs OCR"),))
    monkeypatch.setenv("PATH", str(tmp_path))
    notes = doctor.run_notes([doc], [])
    assert any(n.startswith("No OCR") and "1 page(s) needing OCR were left out" in n for n in notes)
