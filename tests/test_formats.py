"""Structured documents: Word, OpenDocument, web pages, EPUB and legacy .doc, round-tripped.

Each run draws a fresh seed (printed; QANTARA_FORMATS_SEED=<seed> replays it) and writes, for
both halves of the prose (developed and never looked at while developing), one document per
format (tests/support/formats.py); each must read back, through extraction and repair, at a
CER of at most 0.001 against the paragraphs written, with no segment of its furniture
(comments, tracked deletions, a page's boilerplate) and no repair on its clean text.
"""

from __future__ import annotations

import os
import random
import shutil
import zipfile
from pathlib import Path

import pytest

from support.formats import FORMATS, HALVES, available, make, write_broken
from support.score import cer, flat, paragraphs_of
from qantara.config import Settings
from qantara.errors import LimitExceeded, UnreadableDocument
from qantara.extraction import SUPPORTED_SUFFIXES, extract_document
from qantara.pipeline import prepare_document

TARGET = 0.001
INPUTS = Path(__file__).resolve().parents[1] / "inputs"
needs_prose = pytest.mark.skipif(not available(), reason="../shared (FLORES-200 prose) is absent")


def _seed() -> int:
    return int(os.environ.get("QANTARA_FORMATS_SEED") or random.SystemRandom().randrange(1 << 31))


@needs_prose
@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip(fmt, tmp_path):
    if fmt == "doc" and shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: no .doc can be made or read")
    seed = _seed()
    print(f"\n{fmt}: QANTARA_FORMATS_SEED={seed}")
    for split, half in HALVES.items():
        folder = tmp_path / split
        folder.mkdir()
        made = make(fmt, seed, half, folder)
        prepared = prepare_document(made.path, made.path.stem, None)
        text = "\n".join(p.text for p in prepared.paragraphs)
        score = cer(made.reference, text)
        leaked = made.leaked([s.arabic for s in prepared.segments])
        print(f"{fmt} {split}: CER {score:.4f} over {len(flat(chr(10).join(made.reference)))} characters, "
              f"{len(leaked)} furniture segments, {len(prepared.changes)} repairs")
        assert score <= TARGET, (seed, split, score)
        assert not leaked, (seed, split, leaked)
        assert not prepared.changes, (seed, split, prepared.changes[:5])


@needs_prose
def test_word_parts_marks_and_furniture_once(tmp_path):
    seed = _seed()
    print(f"QANTARA_FORMATS_SEED={seed}")
    made = make("docx", seed, 0, tmp_path)
    lines = extract_document(made.path).pages[0].lines
    parts = [line.ref.part for line in lines]
    assert parts[0] == "header" and parts.count("header") == 1, parts  # a first-page header like it: once
    assert parts.index("footnote 1") < parts.index("endnote i") < parts.index("footer")
    assert lines[parts.index("footnote 1")].text.startswith("[1] ")
    body = " ".join(line.text for line in lines if line.ref.part == "body")
    assert body.count("[1]") == 1 and body.count("[i]") == 1
    assert "text box" in parts and "table" in parts
    assert [line.ref.line for line in lines] == list(range(1, len(lines) + 1))


def test_runs_join_and_declared_direction_is_kept(tmp_path):
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    sentence = document.add_paragraph()
    for k, piece in enumerate(("زار الوز", "ير كازاخ", "ستان في مايو.")):  # bold starts inside words
        sentence.add_run(piece).bold = k == 1
    declared_ltr = document.add_paragraph("نص عربي في فقرة من اليسار إلى اليمين")
    bidi = OxmlElement("w:bidi")
    bidi.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", "0")
    declared_ltr._p.get_or_add_pPr().append(bidi)
    declared_rtl = document.add_paragraph("An English sentence in a right-to-left paragraph.")
    declared_rtl._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
    document.add_paragraph("An English sentence, no direction declared.")
    path = tmp_path / "runs.docx"
    document.save(path)
    lines = extract_document(path).pages[0].lines
    assert lines[0].text == "زار الوزير كازاخستان في مايو."
    assert [line.direction for line in lines] == ["rtl", "ltr", "rtl", "ltr"]


def test_odt_writing_mode_is_the_direction(tmp_path):
    from odf import style, text
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    rtl = style.Style(name="Arabic", family="paragraph")
    rtl.addElement(style.ParagraphProperties(writingmode="rl-tb"))
    document.styles.addElement(rtl)
    child = style.Style(name="Quote", family="paragraph", parentstylename="Arabic")
    document.automaticstyles.addElement(child)
    document.text.addElement(text.P(stylename=child, text="English in an inherited right-to-left style."))
    document.text.addElement(text.P(text="English with no style."))
    path = tmp_path / "modes.odt"
    document.save(str(path))
    assert [line.direction for line in extract_document(path).pages[0].lines] == ["rtl", "ltr"]


@needs_prose
def test_web_page_metadata_is_not_text(tmp_path):
    seed = _seed()
    print(f"QANTARA_FORMATS_SEED={seed}")
    made = make("html", seed, 1, tmp_path)
    document = extract_document(made.path)
    metadata = dict(document.metadata)
    assert metadata["title"] and metadata["author"].startswith("بقلم") and metadata["date"].startswith("2024")
    texts = [line.text for line in document.pages[0].lines]
    assert metadata["title"] not in texts and not any(metadata["author"] in t for t in texts)


def test_web_page_encoding_as_declared_or_detected(tmp_path):
    body = "<p>تعزيز التعاون بين دول الخليج وآسيا الوسطى في مجالات الطاقة والنقل والاستثمار والتعليم. " * 8 + "</p>"
    page = f'<html><head>{{meta}}<title>t</title></head><body><article>{body}</article></body></html>'
    declared = tmp_path / "declared.html"
    declared.write_bytes(page.format(meta='<meta http-equiv="content-type" content="text/html; charset=windows-1256">')
                         .encode("windows-1256"))
    wrong = tmp_path / "wrong.html"  # says UTF-8, is windows-1256: detected, and said so
    wrong.write_bytes(page.format(meta='<meta charset="utf-8">').encode("windows-1256"))
    for path in (declared, wrong):
        document = extract_document(path)
        assert "تعزيز التعاون بين دول الخليج" in document.pages[0].lines[0].text, path
    assert [i.code for i in extract_document(wrong).issues] == ["encoding-mismatch"]
    assert extract_document(declared).encoding == "cp1256"


def test_broken_documents_fail_with_a_clear_reason(tmp_path):
    for case, (name, problem) in write_broken(tmp_path).items():
        with pytest.raises(UnreadableDocument) as raised:
            extract_document(tmp_path / name)
        message = str(raised.value)
        assert name in message and problem in message.lower(), (case, message)
        assert "\n" not in message


def test_zip_bomb_refused_before_reading(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (3 << 20))  # 3 MiB of zeros in a few KB
    assert path.stat().st_size < 64 << 10
    with pytest.raises(LimitExceeded) as raised:
        extract_document(path, settings=Settings(max_stream_mb=2))
    assert raised.value.limit == "max_stream_mb" and "bomb.docx" in str(raised.value)


def test_text_over_max_file_chars_is_refused(tmp_path):
    import docx

    document = docx.Document()
    for _ in range(20):
        document.add_paragraph("نص عربي قصير " * 10)
    path = tmp_path / "long.docx"
    document.save(path)
    with pytest.raises(LimitExceeded) as raised:
        extract_document(path, settings=Settings(max_file_chars=1000))
    assert raised.value.limit == "max_file_chars"


def test_legacy_file_without_libreoffice_says_what_to_install(tmp_path, monkeypatch):
    from qantara.extraction import legacy

    monkeypatch.setattr(legacy, "libreoffice", lambda: None)
    path = tmp_path / "old report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    with pytest.raises(UnreadableDocument) as raised:
        extract_document(path)
    assert "old report.doc" in str(raised.value) and "LibreOffice" in str(raised.value)
    assert {".docx", ".odt", ".doc", ".rtf", ".html", ".htm", ".epub"} <= SUPPORTED_SUFFIXES


def test_samples_read_whole_without_their_furniture():
    word = extract_document(INPUTS / "005_gcc_central_asia.docx").pages[0].lines
    texts = [line.text for line in word]
    assert [t for t in texts if t.startswith("بيان إخلاء المسؤولية")] and texts[-1] == "صفحة"
    assert sum(line.ref.part == "header" for line in word) == 1
    assert any(line.ref.part == "text box" for line in word)
    page = extract_document(INPUTS / "006_samarkand_summit.html")
    text = "\n".join(paragraphs_of(page))
    assert dict(page.metadata)["author"] == "Maram Akram" and page.encoding == "cp1256"
    assert text.startswith("إعداد: هنا داود") and "قائمة المراجع" in text
    for furniture in ("جميع الحقوق محفوظة", "اترك تعليقاً", "أحدث المقالات", "المقال السابق", "لينكدإن", "من نحن",
                      "Posted by"):
        assert furniture not in text, furniture


def test_record_keeps_parts_and_metadata():
    from qantara import record
    from qantara.read import read_document

    for sample in ("005_gcc_central_asia.docx", "006_samarkand_summit.html"):
        document = read_document(INPUTS / sample)
        assert record.loads(record.dumps(document)) == document
    assert dict(document.metadata)["title"].startswith("قمةُ سمرقند")
    assert {line.ref.part for p in document.paragraphs for line in p.lines} == {"article"}
