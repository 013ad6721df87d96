import csv
import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from qantara.publish import load_corpus, publish_document, publish_run
from qantara.fs import write_text_atomic
from qantara.publish.html import bar_chart, flag_kind
from qantara.publish.records import load_document
from qantara.review import read_tmx, read_tsv, read_xliff
from qantara.types import (
    Document, DocumentReport, GlossaryHit, Origin, Paragraph, RepairChange, RunSummary, Segment, Translation,
)

EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
XLIFF = "{urn:oasis:names:tc:xliff:document:1.2}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def translated(seg: Segment, english: str, origin: Origin, flags=()) -> Segment:
    return Segment(seg.id, seg.paragraph, seg.arabic, seg.language, seg.glossary, seg.flags, seg.ref,
                   Translation(english, origin, flags))


def make_bitext(arabic=f"زار الوزير الكويت {EVIL}", stem="doc"):
    seg = Segment("p1s1", 0, arabic, glossary=(GlossaryHit(11, 17, "الكويت", "Kuwait", "place"),))
    return Document(
        path=Path(f"{stem}.txt"),
        stem=stem,
        paragraphs=(Paragraph(0, arabic), Paragraph(1, "Annex", language="en")),
        segments=(
            translated(seg, "The minister visited.", Origin.MACHINE, ("glossary-missing:Kuwait",)),
            translated(Segment("p2s1", 1, "Annex", language="en"), "Annex", Origin.SOURCE_ENGLISH),
        ),
        changes=(RepairChange("tatweel", 0, 0, 3, "زار", "زار"),),
        signature="qantara:test",
    )


def mixed_bitext(stem="mix"):
    """Every origin: machine, reviewed, untranslated and English source."""
    texts = ["وصل الوفد إلى الكويت.", "ثم عقد اجتماعاً مع الوزير.", "وانتهت الزيارة بعد يومين."]
    kuwait = (GlossaryHit(13, 19, "الكويت", "Kuwait", "place"),)
    segs = [Segment("p1s1", 0, texts[0], glossary=kuwait), Segment("p1s2", 0, texts[1]), Segment("p2s1", 1, texts[2])]
    return Document(
        path=Path(f"{stem}.txt"),
        stem=stem,
        paragraphs=(Paragraph(0, " ".join(texts[:2])), Paragraph(1, texts[2]), Paragraph(2, "References", language="en")),
        segments=(
            translated(segs[0], "The delegation arrived in Kuwait.", Origin.MACHINE),
            translated(segs[1], "Then he met the minister.", Origin.REVIEWED),
            translated(segs[2], "", Origin.UNTRANSLATED, ("untranslated",)),
            translated(Segment("p3s1", 2, "References", language="en"), "References", Origin.SOURCE_ENGLISH),
        ),
        signature="qantara:test|model:none",
    )


def test_publish_document_writes_every_file(tmp_path):
    written = publish_document(make_bitext(), tmp_path)
    names = sorted(p.name for p in written)
    assert names == sorted(["doc.ar.txt", "doc.en.txt", "doc.html", "repairs.jsonl", "segments.jsonl", "document.json",
                            "doc.tmx", "doc.xlf", "doc.tsv", "doc.pdf"])
    assert written[-1].name == "segments.jsonl"  # the canonical record is written last
    rows = [json.loads(line) for line in (tmp_path / "doc" / "segments.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["p1s1", "p2s1"]
    for key in ("id", "document", "paragraph", "language", "arabic", "english", "origin", "glossary", "flags"):
        assert key in rows[0]
    assert rows[0]["glossary"] == [{"arabic": "الكويت", "english": "Kuwait", "start": 11, "end": 17, "type": "place"}]
    assert rows[0]["flags"] == ["glossary-missing:Kuwait"]
    assert rows[1]["origin"] == "source-english"
    assert (tmp_path / "doc" / "doc.en.txt").read_text("utf-8") == "The minister visited.\n\nAnnex\n"
    assert (tmp_path / "doc" / "doc.ar.txt").read_text("utf-8").split("\n\n")[1] == "Annex\n"
    repairs = json.loads((tmp_path / "doc" / "repairs.jsonl").read_text("utf-8"))
    assert set(repairs) == {"kind", "paragraph", "start", "end", "before", "after"}
    assert not [p for p in (tmp_path / "doc").iterdir() if p.name.endswith(".tmp")]


def test_records_reload_to_the_same_bitext(tmp_path):
    original = mixed_bitext()
    publish_document(original, tmp_path)
    loaded = load_document(tmp_path / "mix")
    assert loaded.paragraphs == original.paragraphs
    assert loaded.signature == original.signature and loaded.path.name == "mix.txt"
    assert [(s.id, s.arabic, s.english, s.origin) for s in loaded.segments] == [
        (s.id, s.arabic, s.english, s.origin) for s in original.segments
    ]
    assert loaded == original  # nothing lost: flags, refs, issues and all
    # Re-publishing from the records reproduces the same files (what review import relies on).
    before = {p.name: p.read_bytes() for p in (tmp_path / "mix").iterdir() if p.suffix != ".pdf"}
    publish_document(loaded, tmp_path)
    after = {p.name: p.read_bytes() for p in (tmp_path / "mix").iterdir() if p.suffix != ".pdf"}
    assert after == before


def test_tmx_parses_with_translate_toolkit_and_elementtree(tmp_path):
    from translate.storage import tmx

    publish_document(mixed_bitext(), tmp_path)
    data = (tmp_path / "mix" / "mix.tmx").read_bytes()
    store = tmx.tmxfile.parsestring(data)
    # Translations only: the untranslated and the English-source segments stay out of a TM.
    assert [(u.source, u.target) for u in store.units] == [
        ("وصل الوفد إلى الكويت.", "The delegation arrived in Kuwait."),
        ("ثم عقد اجتماعاً مع الوزير.", "Then he met the minister."),
    ]
    root = ElementTree.fromstring(data)
    assert root.get("version") == "1.4"
    assert root.find("header").get("srclang") == "ar"
    tus = root.findall("body/tu")
    assert [tu.get("tuid") for tu in tus] == ["p1s1", "p1s2"]
    for tu in tus:
        assert [tuv.get(XML_LANG) for tuv in tu.findall("tuv")] == ["ar", "en"]
    assert {p.get("type"): p.text for p in tus[1].findall("prop")}["x-origin"] == "reviewed"


def test_xliff_parses_with_translate_toolkit_and_elementtree(tmp_path):
    from translate.storage import xliff

    publish_document(mixed_bitext(), tmp_path)
    data = (tmp_path / "mix" / "mix.xlf").read_bytes()
    store = xliff.xlifffile.parsestring(data)
    assert len(store.units) == 4  # one unit per segment, untranslated included
    assert [u.source for u in store.units][0] == "وصل الوفد إلى الكويت."
    root = ElementTree.fromstring(data)
    assert root.tag == f"{XLIFF}xliff" and root.get("version") == "1.2"
    file_node = root.find(f"{XLIFF}file")
    assert (file_node.get("original"), file_node.get("source-language"), file_node.get("target-language")) == (
        "mix.ar.txt", "ar", "en")
    units = file_node.findall(f"{XLIFF}body/{XLIFF}trans-unit")
    states = {u.get("id"): (u.find(f"{XLIFF}target").get("state"), u.get("approved")) for u in units}
    assert states == {
        "p1s1": ("needs-review-translation", "no"),
        "p1s2": ("final", "yes"),
        "p2s1": ("new", "no"),
        "p3s1": ("final", "yes"),
    }
    assert units[2].find(f"{XLIFF}target").text in (None, "")
    notes = [n.text for n in units[2].findall(f"{XLIFF}note")]
    assert "flags: untranslated" in notes and not any(n.startswith("signature:") for n in notes)
    # The signature and the legend are said once, in the file's header.
    header = [n.text for n in root.find(f"{XLIFF}file/{XLIFF}header").findall(f"{XLIFF}note")]
    assert "signature: qantara:test|model:none" in header
    assert any(n.startswith("untranslated: ") for n in header)


def test_tsv_columns(tmp_path):
    publish_document(make_bitext(), tmp_path)
    with (tmp_path / "doc" / "doc.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert list(rows[0]) == ["id", "arabic", "english", "origin", "flags", "document", "page", "version"]
    assert rows[0]["arabic"] == f"زار الوزير الكويت {EVIL}"  # quotes survive the TSV quoting
    assert (rows[0]["flags"], rows[1]["origin"], rows[1]["document"]) == ("glossary-missing:Kuwait", "source-english", "doc")


@pytest.mark.parametrize("reader, suffix", [(read_xliff, "xlf"), (read_tmx, "tmx"), (read_tsv, "tsv")])
def test_exchange_files_reimport_losslessly(tmp_path, reader, suffix):
    bitext = mixed_bitext()
    publish_document(bitext, tmp_path)
    units = reader(tmp_path / "mix" / f"mix.{suffix}")
    expected = [(s.id, s.arabic, s.english) for s in bitext.segments
                if suffix != "tmx" or s.origin in ("machine", "reviewed")]
    assert [(u.id, u.arabic, u.english) for u in units] == expected
    assert {u.document for u in units} == {"mix"}


def test_html_escapes_document_text(tmp_path):
    publish_document(make_bitext(), tmp_path)
    page = (tmp_path / "doc" / "doc.html").read_text("utf-8")
    # One script, the page's own editor, allowed by its hash; none from the document.
    assert page.count("<script") == 1 and "<script>alert" not in page and "<img" not in page
    assert "script-src 'sha256-" in page and "unsafe-inline'; img" in page and "script-src 'unsafe" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert 'dir="rtl"' in page and '<mark class="name"' in page and "glossary-missing:Kuwait" in page
    assert 'href="doc.xlf"' in page and 'href="doc.pdf"' in page and 'id="repairs"' in page


def test_review_page_marks_reviewed_and_flagged(tmp_path):
    publish_document(mixed_bitext(), tmp_path)
    page = (tmp_path / "mix" / "mix.html").read_text("utf-8")
    assert re.search(r'id="ar-p1s2" class="seg reviewed"', page)
    assert re.search(r'id="en-p2s1" class="seg flagged untranslated"[^>]*title="untranslated"', page)
    assert '<a href="#ar-p2s1">p2s1</a>' in page  # the flagged-segment list links to it


def summary_of(*docs):
    return RunSummary(documents=docs, model_calls=2, signature="sig", started="s", finished="f")


def test_publish_run_summary(tmp_path):
    summary = summary_of(
        DocumentReport("a.txt", "a", "published", segments=3),
        DocumentReport(EVIL + ".pdf", "x", "failed", error=f"{EVIL}.pdf: not a PDF"),
    )
    publish_run(summary, tmp_path)
    record = json.loads((tmp_path / "run-summary.json").read_text("utf-8"))
    assert record["counts"] == {"total": 2, "published": 1, "skipped": 0, "failed": 1}
    assert record["model_calls"] == 2
    assert record["documents"][1]["status"] == "failed" and "not a PDF" in record["documents"][1]["error"]
    page = (tmp_path / "index.html").read_text("utf-8")
    assert "<script>" not in page and 'href="a/a.html"' in page


def test_index_and_names_cover_documents_on_disk(tmp_path):
    publish_document(make_bitext(stem="doc"), tmp_path)
    publish_document(mixed_bitext(stem="mix"), tmp_path)
    # Only "doc" ran this time: "mix" was published by an earlier run but still counts.
    publish_run(summary_of(DocumentReport("doc.txt", "doc", "skipped")), tmp_path)
    assert [b.stem for b in load_corpus(tmp_path)] == ["doc", "mix"]
    index = (tmp_path / "index.html").read_text("utf-8")
    charts = re.findall(r"<svg.*?</svg>", index)
    assert len(charts) == 2 and "<script" not in index
    assert "<title>doc: machine 1</title>" in charts[0] and "<title>mix: untranslated 1</title>" in charts[0]
    assert ">glossary-missing<" in charts[1] and ">untranslated<" in charts[1]
    assert 'href="mix/mix.html"' in index and 'href="doc/doc.html"' in index
    names = (tmp_path / "names.html").read_text("utf-8")
    row = re.search(r"<tr><td>Kuwait</td>.*?</tr>", names).group()
    assert "<td>2</td>" in row  # two mentions, one per document
    assert 'href="doc/doc.html#ar-p1s1"' in row and 'href="mix/mix.html#ar-p1s1"' in row
    assert "الكويت" in row


@pytest.mark.parametrize("flag, kind", [("glossary-missing:Kuwait", "glossary-missing"), ("untranslated", "untranslated"),
                                        ("reviewed-from:a#p1s1", "reviewed-from")])
def test_flag_kind(flag, kind):
    assert flag_kind(flag) == kind


def test_bar_chart_scales_to_the_longest_bar():
    svg = bar_chart("t", [("a", [("x", 10, "#000")]), ("b", [("x", 5, "#000")])], width=300)
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths == [100.0, 50.0]
    ElementTree.fromstring(svg)  # well-formed


def test_missing_pdf_font_is_an_issue_not_a_crash(tmp_path, monkeypatch):
    monkeypatch.setattr("qantara.publish.pdf.ARABIC_FONTS", (tmp_path / "none.ttf",))
    written = publish_document(make_bitext(), tmp_path)
    assert "doc.pdf" not in {p.name for p in written}
    meta = json.loads((tmp_path / "doc" / "document.json").read_text("utf-8"))
    assert [i["code"] for i in meta["issues"]] == ["pdf-skipped"]
    assert "pdf-skipped" in (tmp_path / "doc" / "doc.html").read_text("utf-8")


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
