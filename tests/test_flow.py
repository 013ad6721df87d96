"""The main job end to end: the real Prefect flow on a real (test) Prefect server, real
pdfplumber on a generated PDF, and the real argos install + CTranslate2 path."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.client.schemas.sorting import TaskRunSort

from conftest import REPO
from flows.run import qantara_run
from support.pdf_corpus import render_pdf_reportlab

ARABIC = """تقرير عن العلاقات

زار وزير الخارجية الكويتي كازاخستان في مايو 2025. وبحث الجانبان التعاون في مجالات الطاقة والنقل.

وقالت الحكومة إن مجلس التعاون الخليجي يسعى إلى تعزيز الشراكة مع دول آسيا الوسطى؟ وأكدت أن الاستثمار سيرتفع بنسبة 3.5 في المئة.
"""
PDF_PARAGRAPHS = [
    "عقدت القمة الأولى بين دول مجلس التعاون الخليجي ودول آسيا الوسطى في جدة عام 2023.",
    "وناقش القادة مشاريع الطاقة والنقل والتجارة بين المنطقتين.",
]


def _read_segments(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "segments.jsonl").read_text("utf-8").splitlines()]


@pytest.fixture
def corpus(tmp_path) -> Path:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "تقرير الكويت.v2.final.txt").write_text(ARABIC, encoding="utf-8")
    (inputs / "english note.txt").write_text("An English-only note. It stays as it is.\n", encoding="utf-8")
    render_pdf_reportlab(PDF_PARAGRAPHS, inputs / "brief.pdf")
    (inputs / "broken.pdf").write_bytes(os.urandom(3000))
    (inputs / "slides.pptx").write_bytes(b"PK\x03\x04 not supported")
    return inputs


def test_flow_publishes_every_document_and_isolates_failures(prefect_server, installed_packages_dir, corpus, tmp_path):
    out = tmp_path / "outputs"
    state = qantara_run(
        input_dir=str(corpus), output_dir=str(out), glossary_dir=str(REPO / "glossary"),
        packages_dir=str(installed_packages_dir), return_state=True,
    )
    summary = state.result()
    status = {d.file: d.status for d in summary.documents}
    assert status == {
        "broken.pdf": "failed",
        "brief.pdf": "published",
        "english note.txt": "published",
        "slides.pptx": "skipped",
        "تقرير الكويت.v2.final.txt": "published",
    }
    errors = {d.file: d.error for d in summary.documents}
    assert "broken.pdf" in errors["broken.pdf"]
    assert "slides.pptx" in errors["slides.pptx"]
    # All Arabic segments of the run went to the model together.
    assert summary.model_calls == 1 and summary.model.startswith("translate-ar_en")

    for stem in ("brief", "english note", "تقرير الكويت.v2.final"):
        folder = out / stem
        names = {p.name for p in folder.iterdir()}
        assert {f"{stem}.ar.txt", f"{stem}.en.txt", f"{stem}.html", "segments.jsonl", "repairs.jsonl"} <= names
        segments = _read_segments(folder)
        assert segments and all(s["english"].strip() for s in segments)
        paragraphs = (folder / f"{stem}.ar.txt").read_text("utf-8").strip().split("\n\n")
        assert len((folder / f"{stem}.en.txt").read_text("utf-8").strip().split("\n\n")) == len(paragraphs)

    report = _read_segments(out / "تقرير الكويت.v2.final")
    assert {s["origin"] for s in report} == {"machine"}
    english = {s["english"] for s in _read_segments(out / "english note")}
    assert english == {"An English-only note.", "It stays as it is."}
    assert {s["origin"] for s in _read_segments(out / "english note")} == {"source-english"}
    names = {g["english"] for s in report for g in s["glossary"]}
    assert {"Kazakhstan", "Gulf Cooperation Council (GCC)", "Central Asia"} <= names
    assert "Kuwait" not in names  # الكويتي is the adjective

    pdf_text = (out / "brief" / "brief.ar.txt").read_text("utf-8")
    assert "مجلس التعاون الخليجي" in pdf_text and "2023" in pdf_text

    record = json.loads((out / "run-summary.json").read_text("utf-8"))
    assert record["counts"] == {"total": 5, "published": 3, "skipped": 1, "failed": 1}
    assert record["model_calls"] == 1
    assert (out / "index.html").is_file()
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]

    # The server saw the run and its tasks: one prepare per readable-looking document.
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(state.state_details.flow_run_id)
        tasks = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])), limit=100, sort=TaskRunSort.EXPECTED_START_TIME_DESC
        )
    assert run.state.is_completed() and run.flow_id
    # Task runs are named after their documents.
    prepares = [t for t in tasks if t.name.startswith("prepare ")]
    assert sorted(t.name for t in prepares) == sorted(
        f"prepare {n}" for n in ("brief.pdf", "broken.pdf", "english note.txt", "تقرير الكويت.v2.final.txt"))
    assert [t.name for t in prepares if t.state.is_failed()] == ["prepare broken.pdf"]
    assert sorted(t.name for t in tasks if t.name.startswith("publish ")) == sorted(
        f"publish {n}" for n in ("brief.pdf", "english note.txt", "تقرير الكويت.v2.final.txt"))


def test_flow_without_model_publishes_untranslated(prefect_server, corpus, tmp_path):
    out = tmp_path / "outputs"
    empty = tmp_path / "no-packages"
    empty.mkdir()
    summary = qantara_run(
        input_dir=str(corpus), output_dir=str(out), glossary_dir=str(REPO / "glossary"), packages_dir=str(empty)
    )
    assert summary.model is None and summary.model_calls == 0
    assert any("qantara models install" in note for note in summary.notes)
    segments = _read_segments(out / "تقرير الكويت.v2.final")
    assert {s["origin"] for s in segments} == {"untranslated"}
    assert all("untranslated" in s["flags"] for s in segments)
    assert "[untranslated]" in (out / "brief" / "brief.en.txt").read_text("utf-8")


def test_a_failed_document_keeps_its_earlier_outputs(prefect_server, tmp_path):
    inputs, out = tmp_path / "inputs", tmp_path / "outputs"
    inputs.mkdir()
    doc = inputs / "note.txt"
    doc.write_text("نص عربي قصير للتجربة.\n", encoding="utf-8")
    qantara_run(input_dir=str(inputs), output_dir=str(out), glossary_dir=str(tmp_path / "none"),
                packages_dir=str(tmp_path))
    before = (out / "note" / "note.ar.txt").read_text("utf-8")
    doc.write_bytes(b"\x00\x01\x02\xff\xfe\x00" * 100)  # now unreadable
    summary = qantara_run(input_dir=str(inputs), output_dir=str(out), glossary_dir=str(tmp_path / "none"),
                          packages_dir=str(tmp_path))
    assert summary.documents[0].status == "failed" and "note.txt" in summary.documents[0].error
    assert (out / "note" / "note.ar.txt").read_text("utf-8") == before


def test_unchanged_rerun_makes_no_model_calls(prefect_server, installed_packages_dir, tmp_path):
    inputs, out = tmp_path / "inputs", tmp_path / "outputs"
    inputs.mkdir()
    (inputs / "report.txt").write_text(ARABIC, encoding="utf-8")
    kwargs = dict(input_dir=str(inputs), output_dir=str(out), glossary_dir=str(REPO / "glossary"),
                  packages_dir=str(installed_packages_dir))
    first = qantara_run(**kwargs)
    published = (out / "report" / "segments.jsonl").read_text("utf-8")
    assert first.model_calls == 1 and (out / "translation-memory.sqlite").is_file()
    second = qantara_run(**kwargs)
    assert second.model_calls == 0
    assert (out / "report" / "segments.jsonl").read_text("utf-8") == published
