"""A document's record as JSON: written once, read back equal; older folders read from their views."""

from __future__ import annotations

import json
from pathlib import Path

from qantara import record
from qantara.publish.records import load_document
from qantara.types import (
    Document, Flag, GlossaryHit, Issue, Origin, Paragraph, RepairChange, Segment, SourceRef, TextLine, Translation,
)

PATH = Path("inputs/gazette.pdf")


def full_document() -> Document:
    lines = (TextLine("زار الوزير الكويت.", SourceRef(PATH, 4, 7), (72.0, 100.5, 520.0, 114.0), 12.0, 3, "rtl", 91.0),
             TextLine("ثم عاد", SourceRef(PATH, 5, 1), (72.0, 80.0, 300.0, 94.0), 12.0, 3, "rtl", 42.5))
    kuwait = GlossaryHit(11, 17, "الكويت", "Kuwait", "place", "الكويت")
    return Document(
        path=PATH, stem="gazette", kind="pdf", encoding=None,
        paragraphs=(Paragraph(0, "زار الوزير الكويت. ثم عاد", "ar", "body", lines[0].ref, lines, (0, 19),
                              (Flag.GARBLED.value, Flag.GARBLED_CONFIDENCE.with_detail("0.97"))),),
        changes=(RepairChange("tatweel", 0, 4, 10, "الوزيـــر", "الوزير"),),
        issues=(Issue(SourceRef(PATH, 6), "page-no-text", "page 6: no text layer"),
                Issue(SourceRef(Path("elsewhere.txt")), "odd", "a reference to another file survives too")),
        segments=(
            Segment("p1s1", 0, "زار الوزير الكويت.", "ar", (kuwait,), ("ocr", "ocr-confidence:42"), lines[0].ref,
                    Translation("The minister visited.", Origin.MACHINE, (Flag.GLOSSARY_MISSING.with_detail("Kuwait"),))),
            Segment("p1s2", 0, "ثم عاد", "ar", (), ("ocr", "ocr-confidence:42"), lines[1].ref,
                    Translation("He came back.", Origin.REVIEWED, ("reviewed-from:other#p2s1",))),
        ),
        signature="qantara:0.1.0+abc|model:none",
    )


def test_record_round_trip_loses_nothing():
    doc = full_document()
    text = record.dumps(doc)
    assert record.loads(text) == doc
    # The source and the translation keep their flags apart, the references their pages.
    row = json.loads(text)["segments"][0]
    assert row["flags"] == ["ocr", "ocr-confidence:42"] and row["translation"]["flags"] == ["glossary-missing:Kuwait"]
    assert row["ref"] == [4, 7]


def test_every_field_of_the_record_is_written():
    """A field added to a stage's dataclass must reach the record, or a cached stage loses it
    (paragraph flags once did: cached reruns machine-translated garbled text)."""
    from dataclasses import fields

    row = json.loads(record.dumps(full_document()))
    paragraph, segment = row["paragraphs"][0], row["segments"][0]
    assert {f.name for f in fields(Paragraph)} <= set(paragraph)
    assert {f.name for f in fields(TextLine)} <= set(paragraph["lines"][0])
    assert {f.name for f in fields(Segment)} <= set(segment)
    assert {f.name for f in fields(Translation)} <= set(segment["translation"])
    assert {f.name for f in fields(Document)} - {"path"} <= set(row)


def test_segments_jsonl_rows_carry_the_page():
    doc = full_document()
    rows = [record.segment_row(doc.stem, s) for s in doc.segments]
    assert [r["page"] for r in rows] == [4, 5]
    assert rows[0]["flags"] == ["ocr", "ocr-confidence:42", "glossary-missing:Kuwait"]


def test_a_folder_published_before_the_whole_record_is_read_from_its_views(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "document.json").write_text(json.dumps({
        "stem": "old", "file": "old.txt", "signature": "qantara:0.0.9",
        "paragraphs": [{"index": 0, "text": "نص قديم.", "language": "ar", "kind": "body"}],
        "issues": [{"ref": "inputs/old.txt", "code": "repair-no-lexicon", "message": "no lexicon"}],
    }, ensure_ascii=False), encoding="utf-8")
    (folder / "segments.jsonl").write_text(json.dumps({
        "id": "p1s1", "document": "old", "paragraph": 0, "language": "ar", "arabic": "نص قديم.",
        "english": "Old text.", "origin": "reviewed", "glossary": [], "flags": ["reviewed-from:x#p1s1"],
    }, ensure_ascii=False) + "\n", encoding="utf-8")
    doc = load_document(folder)
    assert (doc.stem, doc.path, doc.signature) == ("old", Path("old.txt"), "qantara:0.0.9")
    assert [(s.id, s.english, s.origin, s.all_flags) for s in doc.segments] == [
        ("p1s1", "Old text.", Origin.REVIEWED, ("reviewed-from:x#p1s1",))]
    assert [i.code for i in doc.issues] == ["repair-no-lexicon"]
