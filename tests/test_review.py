import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from qantara.memory import TranslationMemory
from qantara.pipeline import prepare_document, translate_documents
from qantara.publish import publish_document
from qantara.memory import MEMORY_FILE
from qantara.review import ReviewFileError, import_review, read_xliff
from qantara.types import GlossaryHit

XLIFF = "urn:oasis:names:tc:xliff:document:1.2"
NS = {"x": XLIFF}
DOC_A = "زار الوزير الكويت أمس. ثم عاد إلى بلاده. وقال إن الزيارة ناجحة.\n\nتعاون الخليج وآسيا الوسطى مهم.\n"
DOC_B = "في خبر آخر. ثم عاد إلى بلاده.\n"


class Model:
    """A stand-in translator; ``tag`` plays the part of a model version."""

    def __init__(self, tag="v1"):
        self.tag = tag
        self.calls = 0

    def translate(self, sentences):
        self.calls += 1
        return [f"[{self.tag}] sentence {len(s)}" for s in sentences]


class Names:
    """A one-name glossary; changing its English plays the part of a glossary change."""

    def __init__(self, english="Kuwait"):
        self.english = english

    def find(self, text):
        at = text.find("الكويت")
        return [GlossaryHit(at, at + 6, "الكويت", self.english, "place")] if at >= 0 else []


def run(inputs: Path, output: Path, model: Model, names: Names) -> dict[str, list]:
    """What the flow does per run, without Prefect: prepare, translate with the memory, publish."""
    docs = [prepare_document(p, p.stem, names) for p in sorted(inputs.glob("*.txt"))]
    with TranslationMemory(output / MEMORY_FILE) as memory:
        reviewed = memory.reviewed(s.arabic for d in docs for s in d.segments)
        translated = translate_documents(docs, model, reviewed)
    for doc in translated:
        publish_document(replace(doc, signature=f"model:{model.tag}"), output)
    return {doc.stem: doc.segments for doc in translated}


@pytest.fixture
def published(tmp_path):
    inputs, output = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "a.txt").write_text(DOC_A, "utf-8")
    (inputs / "b.txt").write_text(DOC_B, "utf-8")
    run(inputs, output, Model("v1"), Names())
    return inputs, output


def rows(output: Path, stem: str) -> dict[str, dict]:
    lines = (output / stem / "segments.jsonl").read_text("utf-8").splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


def id_of(output: Path, stem: str, arabic: str) -> str:
    return next(r["id"] for r in rows(output, stem).values() if r["arabic"] == arabic)


def edit_xliff(path: Path, edits: dict[str, tuple[str, str]], dest: Path) -> Path:
    tree = etree.parse(str(path))
    for unit in tree.iterfind(".//x:trans-unit", NS):
        if unit.get("id") in edits:
            text, state = edits[unit.get("id")]
            target = unit.find("x:target", NS)
            target.text, target.attrib["state"] = text, state
    tree.write(str(dest), xml_declaration=True, encoding="UTF-8")
    return dest


def test_round_trip_survives_model_and_glossary_change(published, tmp_path):
    inputs, output = published
    assert rows(output, "a")["p1s2"]["arabic"] == rows(output, "b")["p1s2"]["arabic"] == "ثم عاد إلى بلاده."
    edited = edit_xliff(output / "a" / "a.xlf", {
        "p1s1": ("The minister visited Kuwait yesterday.", "translated"),
        "p1s2": ("Then he went home.", "final"),
    }, tmp_path / "a.xlf")
    report = import_review(edited, output)
    assert sorted((a.document, a.segment_id, a.english) for a in report.applied) == [
        ("a", "p1s1", "The minister visited Kuwait yesterday."), ("a", "p1s2", "Then he went home.")]
    assert report.unmatched == () and report.conflicts == () and (report.units, report.unchanged) == (4, 2)
    # The memory has both corrections, keyed by the Arabic.
    with TranslationMemory(output / MEMORY_FILE) as memory:
        found = memory.reviewed(["زار الوزير الكويت أمس.", "ثم عاد إلى بلاده."])
    assert {k: v.english for k, v in found.items()} == {
        "زار الوزير الكويت أمس.": "The minister visited Kuwait yesterday.", "ثم عاد إلى بلاده.": "Then he went home."}
    # Published files show the corrections at once, identical Arabic in b included.
    assert report.updated_documents == ("a", "b") and report.filled == 3
    a, b = rows(output, "a"), rows(output, "b")
    assert (a["p1s1"]["origin"], a["p1s1"]["english"]) == ("reviewed", "The minister visited Kuwait yesterday.")
    assert (b["p1s2"]["origin"], b["p1s2"]["flags"]) == ("reviewed", ["reviewed-from:a#p1s2"])
    assert "Then he went home." in (output / "b" / "b.html").read_text("utf-8")
    assert "Then he went home." in (output / "b" / "b.tmx").read_text("utf-8")
    states = {u.id: u.approved for u in read_xliff(output / "a" / "a.xlf")}
    assert states["p1s2"] and not states["p1s3"]

    # A later run with another model and another glossary: reviewed segments stay as reviewed.
    later = run(inputs, output, Model("v2"), Names("State of Kuwait"))
    by_id = {s.id: s for s in later["a"]}
    assert (by_id["p1s1"].origin, by_id["p1s1"].english) == ("reviewed", "The minister visited Kuwait yesterday.")
    assert (by_id["p1s2"].origin, by_id["p1s2"].english) == ("reviewed", "Then he went home.")
    assert by_id["p1s3"].origin == "machine" and by_id["p1s3"].english.startswith("[v2]")
    other = {s.id: s for s in later["b"]}["p1s2"]
    assert (other.origin, other.english, other.all_flags) == ("reviewed", "Then he went home.", ("reviewed-from:a#p1s2",))
    assert rows(output, "a")["p1s1"]["origin"] == "reviewed"


def test_reimporting_published_files_changes_nothing(published):
    _, output = published
    for name in ("a.xlf", "a.tmx", "a.tsv"):
        report = import_review(output / "a" / name, output)
        assert (report.applied, report.conflicts, report.unmatched) == ((), (), ())
        assert report.unchanged == report.units > 0
    assert not sqlite3.connect(output / MEMORY_FILE).execute("SELECT * FROM reviewed").fetchall()


def test_approving_without_editing_counts_as_reviewed(published, tmp_path):
    _, output = published
    machine = rows(output, "a")["p1s3"]["english"]
    edited = edit_xliff(output / "a" / "a.xlf", {"p1s3": (machine, "signed-off")}, tmp_path / "a.xlf")
    report = import_review(edited, output)
    assert [(a.segment_id, a.english) for a in report.applied] == [("p1s3", machine)]
    assert rows(output, "a")["p1s3"]["origin"] == "reviewed"


def test_tsv_conflicts_and_unmatched(published, tmp_path):
    _, output = published
    tsv = tmp_path / "review.tsv"
    tsv.write_text(
        "id\tarabic\tenglish\tdocument\n"
        "p1s2\tثم عاد إلى بلاده.\tThen he returned.\ta\n"
        "p1s2\tثم عاد إلى بلاده.\tAfterwards he went back.\tb\n"
        "p9s9\tنص لا وجود له.\tNothing.\ta\n"
        "p1s1\tنص آخر غير المنشور.\tOther.\ta\n"
        "\tتعاون الخليج وآسيا الوسطى مهم.\tGulf–Central Asia cooperation matters.\t\n",
        "utf-8",
    )
    report = import_review(tsv, output)
    cooperation = id_of(output, "a", "تعاون الخليج وآسيا الوسطى مهم.")
    assert [(a.document, a.segment_id) for a in report.applied] == [("a", cooperation)]  # matched by text
    assert sorted(p.reason.split(":")[0] for p in report.conflicts) == [
        "same Arabic given different translations", "same Arabic given different translations",
        "source differs from the published Arabic"]
    assert [(p.segment_id, p.arabic) for p in report.unmatched] == [("p9s9", "نص لا وجود له.")]
    assert rows(output, "a")["p1s2"]["origin"] == "machine"  # a conflict stores nothing


def test_tmx_without_ids_matches_by_text(published, tmp_path):
    _, output = published
    tmx = tmp_path / "edited-by-reviewer.tmx"
    tmx.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="ar" segtype="sentence" datatype="plaintext" '
        'o-tmf="x" adminlang="en" creationtool="t" creationtoolversion="1"/><body>'
        '<tu><tuv xml:lang="ar-SA"><seg>وقال إن الزيارة ناجحة.</seg></tuv>'
        '<tuv xml:lang="en-US"><seg>He said the visit was a success.</seg></tuv></tu>'
        "</body></tmx>", "utf-8")
    report = import_review(tmx, output)
    assert [(a.document, a.segment_id, a.english) for a in report.applied] == [
        ("a", "p1s3", "He said the visit was a success.")]


def test_external_entities_are_never_resolved(published, tmp_path):
    _, output = published
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", "utf-8")
    evil = tmp_path / "a.xlf"
    evil.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file://{secret}">'
        '<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        f'<xliff version="1.2" xmlns="{XLIFF}"><file original="a.ar.txt" source-language="ar" '
        'target-language="en" datatype="plaintext"><body>'
        '<trans-unit id="p1s1"><source>زار الوزير الكويت أمس.</source>'
        '<target state="translated">Visited &xxe; Kuwait&lol2;.</target></trans-unit>'
        "</body></file></xliff>", "utf-8")
    report = import_review(evil, output)
    assert [a.english for a in report.applied] == ["Visited  Kuwait."]
    for path in output.rglob("*"):
        if path.is_file():
            assert b"TOP-SECRET" not in path.read_bytes(), path
            assert b"lollol" not in path.read_bytes(), path


@pytest.mark.parametrize("name, content, message", [
    ("a.docx", "x", "unsupported review file"),
    ("a.xlf", "<xliff><unclosed>", "not well-formed XML"),
    ("a.tmx", "<xliff/>", "not a TMX file"),
    ("a.tsv", "x\ty\n1\t2\n", "header row"),
])
def test_bad_review_files_raise(published, tmp_path, name, content, message):
    _, output = published
    path = tmp_path / name
    path.write_text(content, "utf-8")
    with pytest.raises(ReviewFileError, match=message):
        import_review(path, output)


def test_cli_review_import(published, tmp_path):
    from typer.testing import CliRunner

    from qantara_cli import app

    _, output = published
    cooperation = id_of(output, "a", "تعاون الخليج وآسيا الوسطى مهم.")
    edited = edit_xliff(output / "a" / "a.xlf", {cooperation: ("Cooperation matters.", "translated")}, tmp_path / "a.xlf")
    result = CliRunner().invoke(app, ["review", "import", str(edited), "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "1 applied" in result.output and f"applied\ta#{cooperation}\tCooperation matters." in result.output
    missing = CliRunner().invoke(app, ["review", "import", str(tmp_path / "none.xlf"), "--output", str(output)])
    assert missing.exit_code == 1


def test_import_redraws_the_run_index(published, tmp_path):
    from qantara.publish import load_summary, publish_run
    from qantara.types import DocumentReport, RunSummary

    _, output = published
    summary = RunSummary((DocumentReport("a.txt", "a", "published", segments=4),), 1, "sig", "t0", "t1", "model:v1")
    publish_run(summary, output)
    assert load_summary(output) == summary
    assert "<title>a: reviewed" not in (output / "index.html").read_text("utf-8")
    edited = edit_xliff(output / "a" / "a.xlf", {"p1s1": ("The minister visited Kuwait yesterday.", "final")},
                        tmp_path / "a.xlf")
    import_review(edited, output)
    index = (output / "index.html").read_text("utf-8")
    assert "<title>a: reviewed 1</title>" in index and "t0 → t1" in index


def test_import_gives_similar_segments_the_fuzzy_hint_a_run_would(tmp_path):
    inputs, output = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "a.txt").write_text(DOC_A, "utf-8")
    (inputs / "c.txt").write_text("زار الوزير الكويت اليوم.\n", "utf-8")
    run(inputs, output, Model("v1"), Names())
    assert rows(output, "c")["p1s1"]["fuzzy"] == []
    edited = edit_xliff(output / "a" / "a.xlf", {"p1s1": ("The minister visited Kuwait yesterday.", "final")},
                        tmp_path / "a.xlf")
    report = import_review(edited, output)
    # c's own translation is the model's still, and it is re-published for its new hint alone.
    assert report.updated_documents == ("a", "c") and report.filled == 1
    row = rows(output, "c")["p1s1"]
    assert row["origin"] == "machine"
    assert [(h["english"], h["file"], h["segment_id"]) for h in row["fuzzy"]] == [
        ("The minister visited Kuwait yesterday.", "a", "p1s1")]
    assert "The minister visited Kuwait yesterday." in (output / "c" / "c.html").read_text("utf-8")
