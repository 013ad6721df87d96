"""The review page as a reviewer uses it, in Debian's headless Chromium (Playwright): editing
and exporting corrections that `qantara review import` takes and the next run keeps; long
tokens that stay in their column; a names page that keeps its width over hundreds of documents."""

import csv
import io
import json
import random
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qantara.config import Settings
from qantara.publish import publish_document
from qantara.publish.exchange import neutralise_cell
from qantara.publish.html import render_names_html
from qantara.review import read_tsv, review_history
from qantara.types import Document, GlossaryHit, Origin, Paragraph, Segment, Translation
from qantara_cli import app

from support.runs import run_inline
from test_browser import ARTIFACTS, CHROMIUM, browser, page  # noqa: F401 (fixtures)

pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists() and not shutil.which("chromium"),
                                reason="Debian chromium is not installed (/usr/bin/chromium)")

REPO = Path(__file__).resolve().parents[1]
TEXT = "زار وزير الخارجية الكويتي كازاخستان في مايو 2025. وبحث الجانبان التعاون في مجالات الطاقة والنقل.\n"
FIRST = "The Kuwaiti foreign minister visited Kazakhstan in May 2025."
# Markup and a spreadsheet formula, typed by a reviewer: text in the page, text in the export.
SECOND = '=SUM(A1) <b onmouseover="x">both sides</b> discussed energy and transport.'


def _run(tmp_path: Path, force: bool = False):
    inputs, outputs, glossary = tmp_path / "inputs", tmp_path / "outputs", tmp_path / "glossary"
    if not inputs.exists():
        inputs.mkdir()
        (inputs / "a.txt").write_text(TEXT, encoding="utf-8")
        glossary.mkdir()
        shutil.copy(REPO / "glossary" / "names.csv", glossary / "names.csv")
    run_inline(inputs, outputs, glossary, Settings(packages_dir=tmp_path / "no-packages"), force=force)
    return outputs


def _segments(outputs: Path) -> dict[str, dict]:
    lines = (outputs / "a" / "segments.jsonl").read_text("utf-8").splitlines()
    return {row["id"]: row for row in map(json.loads, lines)}


def test_edit_export_import_and_the_next_run_keeps_it(page, tmp_path):
    outputs = _run(tmp_path)
    ids = list(_segments(outputs))
    assert len(ids) == 2 and all(r["origin"] == "untranslated" for r in _segments(outputs).values())
    url = (outputs / "a" / "a.html").as_uri()
    page.goto(url)
    assert page.locator("#review-tools").is_visible()
    page.locator("#reviewer").fill("amina")
    page.locator("#edit-mode").check()
    page.locator(f"#en-{ids[0]} .en-text").fill(FIRST)
    page.locator(f"#en-{ids[1]} .en-text").fill(SECOND)
    assert page.locator("#edit-count").inner_text() == "2 edited · 0 approved"

    # A reload (or a closed tab) loses nothing: the edits are kept in the browser.
    page.reload()
    assert page.locator(f"#en-{ids[0]} .en-text").inner_text() == FIRST
    assert page.locator(f"#en-{ids[1]} .en-text").inner_text() == SECOND
    assert page.locator(f"#en-{ids[1]} b").count() == 0  # typed markup stays text
    assert page.locator("td.en .seg.edited").count() == 2
    page.locator("#changes summary").click()
    changes = page.locator("#change-list li")
    assert changes.count() == 2 and "(untranslated) → " + FIRST in changes.first.inner_text()
    assert page.locator("#reviewer").input_value() == "amina"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-page-editing.png"), full_page=True)

    with page.expect_download() as download:
        page.locator("#export").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.name == "a.corrections.tsv"
    raw = exported.read_text("utf-8-sig")
    # The cell as the published TSV writes it: no formula for a spreadsheet, quotes doubled.
    cell = io.StringIO()
    csv.writer(cell, delimiter="\t").writerow([neutralise_cell(SECOND)])
    assert "\t" + cell.getvalue().strip() + "\t" in raw and "'=SUM" in raw
    units = read_tsv(exported)
    assert [(u.document, u.id, u.english, u.approved, u.reviewer) for u in units] == [
        ("a", ids[0], FIRST, True, "amina"), ("a", ids[1], SECOND, True, "amina")]
    assert all(u.version and u.version.startswith("untranslated-") for u in units)

    result = CliRunner().invoke(app, ["review", "import", str(exported), "--output", str(outputs)])
    assert result.exit_code == 0, result.output
    assert "2 applied" in result.output and "0 conflicts" in result.output
    assert [(h.segment_id, h.reviewer, h.outcome) for h in review_history(outputs, "a")] == [
        (ids[0], "amina", "applied"), (ids[1], "amina", "applied")]

    # The page now shows them published; the browser's copy of the edits is done with.
    page.reload()
    assert page.locator("td.en .seg.reviewed").count() == 2
    assert page.locator("#edit-count").inner_text() == "0 edited · 0 approved"
    assert page.evaluate("() => localStorage.length") == 1  # the reviewer's name only

    # The next run (unchanged inputs) and a forced one (read and translated again) keep them.
    for force in (False, True):
        _run(tmp_path, force=force)
        rows = _segments(outputs)
        assert [(r["origin"], r["english"]) for r in rows.values()] == [("reviewed", FIRST), ("reviewed", SECOND)]
    page.reload()
    assert page.locator(f"#en-{ids[1]} .en-text").inner_text() == SECOND
    assert page.errors == [] and page.dialogs == []


def test_an_edit_made_on_an_older_page_is_a_conflict(page, tmp_path):
    outputs = _run(tmp_path)
    first = next(iter(_segments(outputs)))
    page.goto((outputs / "a" / "a.html").as_uri())
    page.locator("#edit-mode").check()
    page.locator(f"#en-{first} .en-text").fill("An older correction.")
    with page.expect_download() as download:
        page.locator("#export").click()
    older = tmp_path / "older.tsv"
    download.value.save_as(older)
    # Meanwhile another reviewer's correction is published.
    newer = tmp_path / "newer.tsv"
    newer.write_text(older.read_text("utf-8-sig").replace("An older correction.", "The newer correction."), "utf-8")
    assert CliRunner().invoke(app, ["review", "import", str(newer), "--output", str(outputs)]).exit_code == 0
    result = CliRunner().invoke(app, ["review", "import", str(older), "--output", str(outputs)])
    assert result.exit_code == 1 and f"conflict\ta#{first}\ta newer reviewed translation" in result.output
    assert _segments(outputs)[first]["english"] == "The newer correction."
    # The page still holds the older edit (not published), so it is not lost either.
    page.reload()
    assert page.locator(f"#en-{first} .en-text").inner_text() == "An older correction."


LONG_URL = "https://example.org/" + "a1b2c3d4e5" * 28  # 300 characters, no break opportunity
LONG_ARABIC = "ب" * 150 + "ت" * 150  # 300 letters, no space


def _long_tokens() -> Document:
    arabic = f"انظر {LONG_URL} و{LONG_ARABIC} هنا."
    seg = Segment("p1s1", 0, arabic, translation=Translation(f"See {LONG_URL} and {LONG_ARABIC} here.", Origin.MACHINE))
    plain = Segment("p2s1", 1, "نص قصير.", translation=Translation("A short text.", Origin.MACHINE))
    return Document(path=Path("long.txt"), stem="long", paragraphs=(Paragraph(0, arabic), Paragraph(1, plain.arabic)),
                    segments=(seg, plain), signature="qantara:test")


def test_long_tokens_wrap_in_both_columns(page, tmp_path):
    publish_document(_long_tokens(), tmp_path)
    page.set_viewport_size({"width": 900, "height": 900})
    page.goto((tmp_path / "long" / "long.html").as_uri())
    for column in ("en", "ar"):
        cell = page.locator(f"td.{column}").first.bounding_box()
        seg = page.locator(f"td.{column} .seg").first
        # Every line box of the segment (an inline element) lies inside its own cell.
        boxes = seg.evaluate("e => Array.from(e.getClientRects(), r => [r.left, r.right])")
        assert len(boxes) > 3, column  # it wrapped
        for left, right in boxes:
            assert cell["x"] - 0.5 <= left and right <= cell["x"] + cell["width"] + 0.5, (column, left, right, cell)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for folder in (ARTIFACTS, tmp_path):
        page.screenshot(path=str(folder / "review-page-long-tokens.png"), full_page=True)
    assert (tmp_path / "review-page-long-tokens.png").stat().st_size > 1000


def _many_documents(count: int, seed: int) -> tuple[Document, ...]:
    rng = random.Random(seed)
    names = [("الكويت", "Kuwait"), ("طشقند", "Tashkent"), ("أستانا", "Astana"), ("الدوحة", "Doha"), ("مسقط", "Muscat")]
    docs = []
    for n in range(count):
        chosen = rng.sample(names, rng.randint(1, len(names)))
        segments = []
        for i, (arabic, english) in enumerate(chosen):
            text = f"زار الوفد {arabic} أمس."
            at = text.index(arabic)
            segments.append(Segment(f"p1s{i + 1}", 0, text, glossary=(GlossaryHit(at, at + len(arabic), arabic, english, "place"),),
                                    translation=Translation(f"The delegation visited {english}.", Origin.MACHINE)))
        stem = f"report-{n:03d}-" + "x" * rng.randint(0, 40)
        docs.append(Document(path=Path(stem + ".txt"), stem=stem, paragraphs=(Paragraph(0, "…"),),
                             segments=tuple(segments), signature="qantara:test"))
    return tuple(docs)


def test_names_page_keeps_its_width_over_hundreds_of_documents(page, tmp_path):
    corpus = _many_documents(300, seed=19)
    html = render_names_html(corpus, "qantara:test")
    path = tmp_path / "names.html"
    path.write_text(html, "utf-8")
    page.goto(path.as_uri())
    widest_row = page.evaluate("() => Math.max(...Array.from(document.querySelectorAll('tr'), r => r.cells.length))")
    assert widest_row <= 7
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    # Every document is a row of the by-document table, linked to its page.
    assert page.locator("#documents tr").count() == 301
    assert page.locator("#documents a[href$='report-000-" + corpus[0].stem[len("report-000-"):] + ".html']").count() == 1
    page.screenshot(path=str(ARTIFACTS / "names-300.png"))
