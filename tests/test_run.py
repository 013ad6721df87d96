"""A run's decisions, without Prefect: what it makes again after each kind of change, and
which stages it takes from the cache (OCR and extraction never after a review, a glossary
edit or a change of code outside extraction)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO
from qantara import pipeline
from qantara.config import Settings
from qantara.lock import run_lock
from qantara.memory import MEMORY_FILE, TranslationMemory
from qantara.publish import pdf
from qantara.review import import_review
from qantara import run as runs
from qantara.glossary.damage import looks_damaged
from qantara.run import plan_run
from support.runs import run_inline

A = "زار وزير الخارجية الكويتي كازاخستان في مايو 2025. وبحث الجانبان التعاون في مجالات الطاقة والنقل.\n"
B = "وقالت الحكومة إن مجلس التعاون الخليجي يسعى إلى تعزيز الشراكة مع دول آسيا الوسطى.\n"


@pytest.fixture
def corpus(tmp_path):
    inputs, outputs, glossary = tmp_path / "inputs", tmp_path / "outputs", tmp_path / "glossary"
    inputs.mkdir()
    (inputs / "a.txt").write_text(A, encoding="utf-8")
    (inputs / "b.txt").write_text(B, encoding="utf-8")
    glossary.mkdir()
    shutil.copy(REPO / "glossary" / "names.csv", glossary / "names.csv")
    summary = run_inline(inputs, outputs, glossary, _settings(tmp_path))
    assert [d.status for d in summary.documents] == ["published", "published"]
    return inputs, outputs, glossary


def _settings(tmp_path: Path) -> Settings:
    return Settings(packages_dir=tmp_path / "no-packages")


def _plan(corpus, tmp_path):
    inputs, outputs, glossary = corpus
    return plan_run(inputs, outputs, glossary, _settings(tmp_path))


def _published(outputs: Path) -> dict[str, bytes]:
    """Every published file (the run's own bookkeeping and the times it prints left out)."""
    skip = {"run-summary.json", "index.html", ".qantara-state.json", ".qantara.lock"}
    return {str(p.relative_to(outputs)): p.read_bytes() for p in sorted(outputs.rglob("*"))
            if p.is_file() and p.name not in skip and not p.name.startswith(MEMORY_FILE)
            and ".qantara-cache" not in p.parts}


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The documents extracted (and repaired) from here on, by file name."""
    done: list[str] = []
    real = pipeline.read_document
    monkeypatch.setattr(pipeline, "read_document", lambda path, **kw: done.append(path.name) or real(path, **kw))
    return done


def _same_as_a_fresh_run(corpus, tmp_path) -> None:
    """The incremental run's files are those of a run that reads everything afresh."""
    inputs, outputs, glossary = corpus
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    if (outputs / MEMORY_FILE).is_file():  # the same reviewed translations
        shutil.copy(outputs / MEMORY_FILE, fresh / MEMORY_FILE)
    run_inline(inputs, fresh, glossary, _settings(tmp_path))
    assert _published(outputs) == _published(fresh)


def test_an_unchanged_folder_is_decided_before_anything_runs(corpus, tmp_path):
    plan = _plan(corpus, tmp_path)
    assert plan.unchanged and plan.todo == []
    assert [r.error.startswith("unchanged since") for r in plan.reports.values()] == [True, True]
    (corpus[0] / "b.txt").write_text(B + B, encoding="utf-8")
    plan = _plan(corpus, tmp_path)
    assert not plan.unchanged and [(t.path.name, t.reason) for t in plan.todo] == [("b.txt", "content changed")]


def test_a_glossary_edit_remakes_from_the_cached_reading(corpus, tmp_path, reads, monkeypatch):
    """Nor is the PDF's Arabic shaped again: its lines come from the cache too."""
    inputs, outputs, glossary = corpus
    with (glossary / "names.csv").open("a", encoding="utf-8") as csv:
        csv.write("Ministry of Energy,وزارة الطاقة,,organization,,\n")
    plan = _plan(corpus, tmp_path)
    assert {t.reason for t in plan.todo} == {"glossary changed"} and len(plan.todo) == 2
    shaped: list[str] = []
    real = pdf._arabic_lines
    monkeypatch.setattr(pdf, "_arabic_lines", lambda text, *rest: shaped.append(text) or real(text, *rest))
    run_inline(inputs, outputs, glossary, _settings(tmp_path))
    assert reads == [] and shaped == []
    _same_as_a_fresh_run(corpus, tmp_path)
    assert shaped  # the fresh run's


def test_a_glossary_edit_judges_no_suggested_name_again(tmp_path, monkeypatch):
    """Whether a name the run suggests for the glossary looks like extraction damage is kept in
    the stage cache: the rerun after a glossary edit judges no name again, and suggests the
    same names."""
    inputs, outputs, glossary = tmp_path / "inputs", tmp_path / "outputs", tmp_path / "glossary"
    inputs.mkdir()
    (inputs / "a.txt").write_text(A + "والتقى السفير جمشيد خوجاييف بالوزير في أستانا.\n", encoding="utf-8")
    glossary.mkdir()
    shutil.copy(REPO / "glossary" / "names.csv", glossary / "names.csv")
    judged: list[str] = []
    monkeypatch.setattr(runs, "looks_damaged", lambda name: judged.append(name) or looks_damaged(name))
    suggested: list[list[str]] = []
    real = runs.suggestions_markdown
    monkeypatch.setattr(runs, "suggestions_markdown", lambda *a: suggested.append(real(*a)) or suggested[-1])
    run_inline(inputs, outputs, glossary, _settings(tmp_path))
    assert judged and any("جمشيد خوجاييف" in line for line in suggested[0])
    judged.clear()
    with (glossary / "names.csv").open("a", encoding="utf-8") as csv:
        csv.write("Ministry of Energy,وزارة الطاقة,,organization,,\n")
    run_inline(inputs, outputs, glossary, _settings(tmp_path))
    assert judged == [] and suggested[1] == suggested[0]


def test_a_code_change_outside_extraction_remakes_everything_but_the_reading(corpus, tmp_path, monkeypatch, reads):
    inputs, outputs, glossary = corpus
    monkeypatch.setattr("qantara.signature.code_version", lambda: "0.1.0+another")
    plan = _plan(corpus, tmp_path)
    assert {t.reason for t in plan.todo} == {"code changed"} and len(plan.todo) == 2
    summary = run_inline(inputs, outputs, glossary, _settings(tmp_path))
    assert [d.status for d in summary.documents] == ["published", "published"] and reads == []
    assert "qantara:0.1.0+another|" in (outputs / "a" / "a.xlf").read_text("utf-8")
    _same_as_a_fresh_run(corpus, tmp_path)


def test_a_review_import_leaves_the_next_run_nothing_to_do(corpus, tmp_path, reads):
    inputs, outputs, glossary = corpus
    tsv = outputs / "a" / "a.tsv"
    lines = tsv.read_text("utf-8").splitlines()
    cells = lines[1].split("\t")
    cells[2] = "The foreign minister visited Kazakhstan in May 2025."
    edited = tmp_path / "a.tsv"
    edited.write_text("\n".join([lines[0], "\t".join(cells)]) + "\n", encoding="utf-8")
    report = import_review(edited, outputs)
    assert report.updated_documents == ("a",)
    plan = _plan(corpus, tmp_path)
    assert plan.unchanged and plan.todo == []
    # What the import published is what a run would: the same files as a fresh run.
    _same_as_a_fresh_run(corpus, tmp_path)
    assert reads == ["a.txt", "b.txt"]  # the fresh run's, none before


def test_reviewed_translations_stored_outside_an_import_remake_only_their_documents(corpus, tmp_path):
    inputs, outputs, glossary = corpus
    with TranslationMemory(outputs / MEMORY_FILE) as memory:
        memory.store_reviewed([(B.strip(), "The government said the GCC seeks closer ties.", "b", "p1s1")])
    plan = _plan(corpus, tmp_path)
    assert [(t.path.name, t.reason) for t in plan.todo] == [("b.txt", "reviewed translations imported")]
    run_inline(inputs, outputs, glossary, _settings(tmp_path))
    assert _plan(corpus, tmp_path).unchanged


def test_force_reads_every_document_again(corpus, tmp_path, reads):
    inputs, outputs, glossary = corpus
    run_inline(inputs, outputs, glossary, _settings(tmp_path), force=True)
    assert sorted(reads) == ["a.txt", "b.txt"]


def test_cache_entries_of_documents_gone_are_pruned(corpus, tmp_path):
    inputs, outputs, glossary = corpus
    cache = outputs / ".qantara-cache"
    stages = ("read", "segment", "shape")
    assert [len(list(cache.glob(f"{stage}/*.json"))) for stage in stages] == [2, 2, 2]
    (inputs / "b.txt").unlink()
    run_inline(inputs, outputs, glossary, _settings(tmp_path))
    assert [len(list(cache.glob(f"{stage}/*.json"))) for stage in stages] == [1, 1, 1]


def test_planning_holds_no_lock_and_writes_nothing(corpus, tmp_path):
    outputs = corpus[1]

    def files():
        # SQLite's shared-memory files come and go with any reader of the memory.
        return {p: p.stat().st_mtime_ns for p in outputs.rglob("*")
                if p.name != ".qantara.lock" and not p.name.endswith(("-shm", "-wal"))}

    before = files()
    with run_lock(outputs):  # a run is writing: planning still reads
        _plan(corpus, tmp_path)
    assert files() == before
