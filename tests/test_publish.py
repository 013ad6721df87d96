import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from qantara.publish import publish_document, publish_run
from qantara.publish.atomic import write_text_atomic
from qantara.types import (
    Bitext, DocumentReport, GlossaryHit, Paragraph, RepairChange, RunSummary, Segment, TranslatedSegment,
)

EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def make_bitext(arabic=f"زار الوزير الكويت {EVIL}"):
    seg = Segment("p1s1", 0, arabic, glossary=(GlossaryHit(11, 17, "الكويت", "Kuwait", "place"),))
    return Bitext(
        path=Path("doc.txt"),
        stem="doc",
        paragraphs=(Paragraph(0, arabic), Paragraph(1, "Annex", language="en")),
        segments=(
            TranslatedSegment(seg, "The minister visited.", "machine", ("glossary-missing:Kuwait",)),
            TranslatedSegment(Segment("p2s1", 1, "Annex", language="en"), "Annex", "source-english"),
        ),
        changes=(RepairChange("tatweel", 0, 0, 3, "زار", "زار"),),
        signature="qantara:test",
    )


def test_publish_document_writes_every_file(tmp_path):
    written = publish_document(make_bitext(), tmp_path)
    names = sorted(p.name for p in written)
    assert names == ["doc.ar.txt", "doc.en.txt", "doc.html", "repairs.jsonl", "segments.jsonl"]
    rows = [json.loads(line) for line in (tmp_path / "doc" / "segments.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["p1s1", "p2s1"]
    for key in ("id", "paragraph", "arabic", "english", "origin", "glossary", "flags"):
        assert key in rows[0]
    assert rows[0]["glossary"] == [{"arabic": "الكويت", "english": "Kuwait", "start": 11, "end": 17, "type": "place"}]
    assert rows[0]["flags"] == ["glossary-missing:Kuwait"]
    assert rows[1]["origin"] == "source-english"
    assert (tmp_path / "doc" / "doc.en.txt").read_text("utf-8") == "The minister visited.\n\nAnnex\n"
    assert (tmp_path / "doc" / "doc.ar.txt").read_text("utf-8").split("\n\n")[1] == "Annex\n"
    repairs = json.loads((tmp_path / "doc" / "repairs.jsonl").read_text("utf-8"))
    assert set(repairs) == {"kind", "paragraph", "start", "end", "before", "after"}


def test_html_escapes_document_text(tmp_path):
    publish_document(make_bitext(), tmp_path)
    page = (tmp_path / "doc" / "doc.html").read_text("utf-8")
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'dir="rtl"' in page and '<mark class="name"' in page and "glossary-missing:Kuwait" in page


def test_publish_run_summary(tmp_path):
    summary = RunSummary(
        documents=(
            DocumentReport("a.txt", "a", "published", segments=3),
            DocumentReport(EVIL + ".pdf", "x", "failed", error=f"{EVIL}.pdf: not a PDF"),
        ),
        model_calls=2, signature="sig", started="s", finished="f",
    )
    publish_run(summary, tmp_path)
    record = json.loads((tmp_path / "run-summary.json").read_text("utf-8"))
    assert record["counts"] == {"total": 2, "published": 1, "skipped": 0, "failed": 1}
    assert record["model_calls"] == 2
    assert record["documents"][1]["status"] == "failed" and "not a PDF" in record["documents"][1]["error"]
    page = (tmp_path / "index.html").read_text("utf-8")
    assert "<script>" not in page and 'href="a/a.html"' in page


def test_atomic_write_leaves_old_file_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "f.txt"
    write_text_atomic(target, "old")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        write_text_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]
