"""The command-line contract of the foundation issue: names, options, outputs, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO, SHARED, needs_shared
from qantara_cli import app

ARABIC = "زار وزير خارجية الكويت مدينة طشقند حيث\nبحث الجانبان التعاون مع كازاخستان.\n\nفقرة ثانية قصيرة.\n"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def doc(tmp_path) -> Path:
    path = tmp_path / "doc.txt"
    path.write_text(ARABIC, encoding="utf-8")
    return path


def test_repair_prints_paragraphs(runner, doc):
    result = runner.invoke(app, ["repair", str(doc)])
    assert result.exit_code == 0, result.output
    paragraphs = result.stdout.strip().split("\n\n")
    assert len(paragraphs) == 2 and "طشقند" in paragraphs[0] and "كازاخستان" in paragraphs[0]


@pytest.mark.parametrize(
    ("name", "content"),
    [("missing.txt", None), ("empty.txt", b""), ("random.pdf", os.urandom(500)), ("binary.txt", bytes(range(256)) * 4)],
)
def test_repair_unreadable_file_is_one_line_naming_it(runner, tmp_path, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(app, ["repair", str(path)])
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0]
    assert result.stdout == ""


def test_glossary_match_json(runner, doc):
    result = runner.invoke(app, ["glossary", "match", "--glossary", str(REPO / "glossary"), "--json", str(doc)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    lines = ARABIC.split("\n")
    assert rows, "expected glossary names in the document"
    for row in rows:
        assert {"line", "start", "end", "arabic", "english", "type"} <= set(row)
        assert lines[row["line"] - 1][row["start"] : row["end"]] == row["arabic"]
    assert {"Kuwait", "Tashkent", "Kazakhstan"} <= {r["english"] for r in rows}


def test_glossary_check_passes_on_shipped_glossary(runner):
    result = runner.invoke(app, ["glossary", "check", "--glossary", str(REPO / "glossary")])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.stdout


def test_models_install_list_and_translate(runner, tmp_path, argos_model_file, doc, monkeypatch):
    monkeypatch.setenv("QANTARA_PACKAGES_DIR", str(tmp_path / "packages"))
    result = runner.invoke(app, ["models", "install", str(argos_model_file)])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(app, ["models", "list"])
    assert listed.exit_code == 0 and "translate-ar_en" in listed.stdout and "1.0" in listed.stdout
    translated = runner.invoke(app, ["translate", str(doc)])
    assert translated.exit_code == 0, translated.output
    assert len(translated.stdout.strip().split("\n\n")) == 2


def test_models_install_rejects_a_bad_file(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("QANTARA_PACKAGES_DIR", str(tmp_path / "packages"))
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(b"not a zip")
    result = runner.invoke(app, ["models", "install", str(bad)])
    assert result.exit_code != 0 and "bad.argosmodel" in result.stderr


def test_translate_without_model_says_how_to_install(runner, tmp_path, doc, monkeypatch):
    monkeypatch.setenv("QANTARA_PACKAGES_DIR", str(tmp_path / "empty"))
    result = runner.invoke(app, ["translate", str(doc)])
    assert result.exit_code != 0 and "qantara models install" in result.stderr


def test_run_command_end_to_end_exit_codes(tmp_path, installed_packages_dir):
    """`qantara run` as a user types it: a real process with Prefect's temporary server."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ARABIC, encoding="utf-8")
    (inputs / "bad.pdf").write_bytes(b"%PDF-1.4 truncated")
    env = {**os.environ, "QANTARA_PACKAGES_DIR": str(installed_packages_dir), "PREFECT_HOME": str(tmp_path / "prefect")}
    env.pop("PREFECT_API_URL", None)
    cmd = [sys.executable, "-m", "qantara", "run", "--input", str(inputs), "--output", str(out)]
    result = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "bad.pdf" in result.stdout and "failed" in result.stdout
    assert (out / "a" / "segments.jsonl").is_file()
    summary = json.loads((out / "run-summary.json").read_text("utf-8"))
    assert summary["counts"]["published"] == 1 and summary["counts"]["failed"] == 1

    (inputs / "bad.pdf").unlink()
    result = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_shared
def test_repair_without_ocr_reports_the_unusable_pages(runner):
    fixture = SHARED / "fixtures" / "pdfs" / "pdfjs__arial_unicode_ab_cidfont.pdf"
    result = runner.invoke(app, ["repair", "--no-ocr", str(fixture)])
    assert result.exit_code != 0
    line, = result.stderr.strip().splitlines()
    assert fixture.name in line and "page 1" in line


def test_translate_refuses_bad_settings(runner, doc):
    result = runner.invoke(app, ["translate", "--beam-size", "0", str(doc)])
    assert result.exit_code != 0 and "beam_size" in result.stderr


def test_version(runner):
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"qantara {version('qantara')}\n"


@pytest.mark.parametrize("args, message", [
    (["--cron", "every night"], '--cron "every night": not a cron line'),
    (["--cron", "0 2 * * *", "--timezone", "Gulf/Standard"], '--timezone "Gulf/Standard": not an IANA time zone'),
])
def test_serve_refuses_a_bad_schedule_in_one_line(tmp_path, args, message):
    # Checked before any server is looked for or started.
    done = subprocess.run([sys.executable, "-m", "qantara", "serve", *args, "--input", str(tmp_path)],
                          cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PREFECT_API_URL": "http://127.0.0.1:1/api"})
    assert done.returncode == 1
    assert done.stderr.startswith(f"qantara: {message}") and len(done.stderr.splitlines()) == 1, done.stderr
