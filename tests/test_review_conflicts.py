"""Two reviewers, one run: versions on exported segments, conflicts, and the review history."""

import csv
import json
import sqlite3

from typer.testing import CliRunner

from qantara.memory import MEMORY_FILE, TranslationMemory
from qantara.review import import_review, read_tsv, read_xliff, review_history
from qantara_cli import app

from test_review import Model, Names, edit_xliff, published, rows, run  # noqa: F401 (fixture)

MACHINE_TEXT = "[v1] sentence"


def test_exports_carry_the_version_of_each_translation(published):
    _, output = published
    xliff = {u.id: u.version for u in read_xliff(output / "a" / "a.xlf")}
    tsv = {u.id: u.version for u in read_tsv(output / "a" / "a.tsv")}
    assert xliff == tsv and all(v and v.startswith("machine-") for v in xliff.values())
    assert "x-version" in (output / "a" / "a.tmx").read_text("utf-8")
    with (output / "a" / "a.tsv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle, delimiter="\t"))
    # Existing columns keep their places; the version comes last.
    assert header == ["id", "arabic", "english", "origin", "flags", "document", "page", "version"]


def test_an_older_copy_never_overwrites_a_newer_correction(published, tmp_path):
    _, output = published
    # Both reviewers take the XLIFF of the same run.
    first = edit_xliff(output / "a" / "a.xlf", {"p1s1": ("The minister visited Kuwait yesterday.", "translated")},
                       tmp_path / "first.xlf")
    second = edit_xliff(output / "a" / "a.xlf", {
        "p1s1": ("A minister went to Kuwait.", "translated"),  # conflicts with the first reviewer
        "p1s3": ("He said the visit went well.", "final"),  # nobody else touched it
    }, tmp_path / "second.xlf")
    assert [a.segment_id for a in import_review(first, output, reviewer="amina").applied] == ["p1s1"]

    report = import_review(second, output, reviewer="bilal")
    assert [(a.segment_id, a.english) for a in report.applied] == [("p1s3", "He said the visit went well.")]
    assert [(p.segment_id, p.english) for p in report.conflicts] == [("p1s1", "A minister went to Kuwait.")]
    assert "newer reviewed translation" in report.conflicts[0].reason
    published_rows = rows(output, "a")
    assert (published_rows["p1s1"]["origin"], published_rows["p1s1"]["english"]) == (
        "reviewed", "The minister visited Kuwait yesterday.")
    # The segments the second reviewer left alone were not written back with the machine text.
    assert published_rows["p1s2"]["origin"] == "machine"
    assert report.unchanged == 2

    # The refused correction is kept: the history has both, who made them and from which file.
    history = review_history(output, "a", "p1s1")
    assert [(h.outcome, h.reviewer, h.new_english) for h in history] == [
        ("applied", "amina", "The minister visited Kuwait yesterday."),
        ("refused", "bilal", "A minister went to Kuwait.")]
    assert history[0].old_english.startswith(MACHINE_TEXT) and history[0].review_file == str(first.resolve())
    assert history[1].base_version.startswith("machine-")

    # Forced, the older copy wins, and the history says so.
    forced = import_review(second, output, force=True, reviewer="bilal")
    assert [(a.segment_id, a.forced) for a in forced.applied] == [("p1s1", True)] and forced.conflicts == ()
    assert rows(output, "a")["p1s1"]["english"] == "A minister went to Kuwait."
    assert [h.outcome for h in review_history(output, "a", "p1s1")] == ["applied", "refused", "forced"]


def test_stale_copy_untouched_reverts_nothing(published, tmp_path):
    """The issue's case: the second copy holds the machine text of a segment the first reviewer corrected."""
    _, output = published
    stale = output / "a" / "a.tsv"
    copy = tmp_path / "stale.tsv"
    copy.write_bytes(stale.read_bytes())
    fresh = edit_xliff(output / "a" / "a.xlf", {"p1s2": ("Then he went home.", "final")}, tmp_path / "fresh.xlf")
    import_review(fresh, output)
    # Approving everything in the stale TSV: the untouched machine text of p1s2 is not approved over the review.
    text = copy.read_text("utf-8").replace("\tmachine\t", "\treviewed\t")
    copy.write_text(text, "utf-8")
    report = import_review(copy, output)
    assert [p.segment_id for p in report.conflicts] == ["p1s2"]
    assert rows(output, "a")["p1s2"]["english"] == "Then he went home."
    assert rows(output, "b")["p1s2"]["english"] == "Then he went home."


def test_a_copy_of_the_current_version_applies_over_a_review(published, tmp_path):
    _, output = published
    import_review(edit_xliff(output / "a" / "a.xlf", {"p1s2": ("Then he went home.", "final")}, tmp_path / "one.xlf"),
                  output)
    # Made from the reviewed translation now published: a correction of it, not a conflict.
    report = import_review(
        edit_xliff(output / "a" / "a.xlf", {"p1s2": ("Then he returned home.", "final")}, tmp_path / "two.xlf"), output)
    assert [a.english for a in report.applied] == ["Then he returned home."] and report.conflicts == ()


def test_history_migrates_an_old_memory_and_the_cli_shows_it(published, tmp_path):
    _, output = published
    # A memory from before the history: a reviewed entry and no history table.
    db = sqlite3.connect(output / MEMORY_FILE)
    db.execute("DROP TABLE IF EXISTS review_history")
    db.execute("INSERT INTO reviewed VALUES ('ثم عاد إلى بلاده.', 'Then he went home.', 'a', 'p1s2', '2024-01-01')")
    db.commit()
    db.close()
    with TranslationMemory(output / MEMORY_FILE) as memory:
        (seeded,) = memory.history()
    assert (seeded.document, seeded.segment_id, seeded.new_english, seeded.at) == ("a", "p1s2", "Then he went home.",
                                                                                   "2024-01-01")
    edited = edit_xliff(output / "a" / "a.xlf", {"p1s1": ("Visited Kuwait.", "final")}, tmp_path / "a.xlf")
    cli = CliRunner()
    result = cli.invoke(app, ["review", "import", str(edited), "--output", str(output), "--reviewer", "amina"])
    assert result.exit_code == 0, result.output
    listed = cli.invoke(app, ["review", "history", "--output", str(output), "--json"])
    assert listed.exit_code == 0, listed.output
    entries = json.loads(listed.stdout)
    assert [(e["document"], e["segment_id"], e["outcome"], e["reviewer"]) for e in entries] == [
        ("a", "p1s2", "applied", None), ("a", "p1s1", "applied", "amina")]
    assert {"at", "old_english", "new_english", "review_file", "base_version", "reason"} <= set(entries[0])
    # Filtered by a segment of another document that shares the Arabic: the correction made on a shows.
    shared = cli.invoke(app, ["review", "history", "--output", str(output), "--document", "b", "--segment", "p1s2"])
    assert shared.exit_code == 0 and "a#p1s2" in shared.stdout and "Visited" not in shared.stdout
    none = cli.invoke(app, ["review", "history", "--output", str(output), "--document", "b", "--segment", "p9s9"])
    assert none.exit_code == 0 and "no review history" in none.stdout
