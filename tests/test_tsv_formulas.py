"""Spreadsheet formula injection: TSV cells neutralised, XLIFF/TMX verbatim, review import lossless."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from qantara.publish import publish_document
from qantara.publish.exchange import neutralise_cell, restore_cell
from qantara.review import import_review, read_tmx, read_tsv, read_xliff
from qantara.types import Document, Origin, Paragraph, Segment, Translation

# (Arabic, English) pairs whose cells a spreadsheet would run, plus harmless look-alikes.
PAIRS = [
    ("=HYPERLINK(\"http://evil.example\",\"انقر\")", "=1+1"),
    ("+٩٦٥ ٢٢٢ ٣٣٣", "+965 222 333"),
    ("- البند الأول", "-5 per cent"),
    ("@SUM(A1:A9)", "@SUM(A1:A9)"),
    ("نص\tبعده", "\tcmd|' /C calc'!A0"),
    ("نص عادي", "\rcarriage"),
    ("＝1+1", "  =2+2"),
    ("'=مقتبس", "''+already quoted twice"),
    ("'بلا صيغة", "'plain apostrophe"),
    ("نص أخير", "a - b = c"),
]
_TRIGGERS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"


def _bitext(stem: str = "doc") -> Document:
    segments = tuple(
        Segment(f"p{n}s1", n - 1, arabic, translation=Translation(english, Origin.MACHINE))
        for n, (arabic, english) in enumerate(PAIRS, start=1)
    )
    paragraphs = tuple(Paragraph(n - 1, arabic) for n, (arabic, _) in enumerate(PAIRS, start=1))
    return Document(path=Path(f"{stem}.txt"), stem=stem, paragraphs=paragraphs, segments=segments,
                    signature="qantara:test")


def _cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t"))


def _is_formula(cell: str) -> bool:
    first = cell.lstrip(" ")[:1]
    return bool(first) and first in _TRIGGERS and cell[:1] != "'"


def test_no_tsv_cell_starts_a_formula_and_exchange_files_keep_the_text(tmp_path):
    publish_document(_bitext(), tmp_path)
    rows = _cells(tmp_path / "doc" / "doc.tsv")
    assert not [cell for row in rows for cell in row if _is_formula(cell)]
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["p1s1"][1:3] == ["'=HYPERLINK(\"http://evil.example\",\"انقر\")", "'=1+1"]
    assert by_id["p8s1"][1:3] == ["''=مقتبس", "'''+already quoted twice"]
    assert by_id["p9s1"][1:3] == ["'بلا صيغة", "'plain apostrophe"]  # no formula: as it is
    expected = [(f"p{n}s1", a.strip(), e.strip()) for n, (a, e) in enumerate(PAIRS, start=1)]
    for reader, suffix in ((read_xliff, "xlf"), (read_tmx, "tmx"), (read_tsv, "tsv")):
        units = reader(tmp_path / "doc" / f"doc.{suffix}")
        assert [(u.id, u.arabic, u.english) for u in units] == expected, suffix
    # The XLIFF and TMX hold the text itself, never the apostrophe.
    for suffix in ("xlf", "tmx"):
        assert "'=1+1" not in (tmp_path / "doc" / f"doc.{suffix}").read_text("utf-8")


def test_review_import_of_the_tsv_keeps_every_correction_exactly(tmp_path):
    output = tmp_path / "out"
    publish_document(_bitext(), output)
    tsv = output / "doc" / "doc.tsv"
    # Unchanged, the published TSV changes nothing.
    report = import_review(tsv, output)
    assert (report.applied, report.conflicts, report.unmatched) == ((), (), ())
    # A reviewer's corrections as a spreadsheet saves them: apostrophe kept or dropped.
    rows = _cells(tsv)
    corrections = {"p2s1": "'+965 222 444", "p3s1": "-6 per cent", "p5s1": "'=not a formula",
                   "p9s1": "'quoted on purpose"}
    for row in rows[1:]:
        if row[0] in corrections:
            row[2], row[3] = corrections[row[0]], "reviewed"
    edited = tmp_path / "doc.tsv"
    with edited.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter="\t", lineterminator="\r\n").writerows(rows)
    report = import_review(edited, output)
    stored = {a.segment_id: a.english for a in report.applied}
    assert stored == {"p2s1": "+965 222 444", "p3s1": "-6 per cent", "p5s1": "=not a formula",
                      "p9s1": "'quoted on purpose"}
    published = {r["id"]: r for r in map(json.loads, (output / "doc" / "segments.jsonl").read_text("utf-8").splitlines())}
    assert {i: published[i]["english"] for i in stored} == stored
    assert {published[i]["origin"] for i in stored} == {"reviewed"}
    # The re-published TSV is neutralised again and re-imports as unchanged.
    assert not [cell for row in _cells(tsv) for cell in row if _is_formula(cell)]
    again = import_review(tsv, output)
    assert (again.applied, again.conflicts, again.unmatched) == ((), (), ())


@given(st.text(alphabet=st.sampled_from("'= +-@\t\rab\uff1dا"), max_size=8) | st.text(max_size=12))
def test_neutralise_is_safe_and_exactly_undone(text):
    cell = neutralise_cell(text)
    assert restore_cell(cell) == text
    assert not _is_formula(cell)


@pytest.mark.parametrize("text", ["'", "''", "'a", "it's", "Kuwait", ""])
def test_text_without_a_formula_is_left_alone(text):
    assert neutralise_cell(text) == restore_cell(text) == text
