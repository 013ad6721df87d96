"""Output folder names: one per input whatever the file system's case sensitivity or Unicode
normalisation, never a run-level file's name, the same for the same inputs in any listing
order, kept when files are added; every entry of the input folder that is not read is listed
as skipped with its reason (a FIFO never blocks the run)."""

from __future__ import annotations

import itertools
import os
import random
import shutil
import socket
import threading
import unicodedata
from pathlib import Path

import pytest

from conftest import REPO
from qantara.config import Settings
from qantara.pipeline import assign_stems, name_key, safe_stem
from qantara.publish import RUN_NAMES
from qantara.run import plan_run
from support.runs import run_inline

TEXT = "زار وزير الخارجية الكويتي كازاخستان في مايو 2025.\n"
CAFE_NFC = unicodedata.normalize("NFC", "café")
CAFE_NFD = unicodedata.normalize("NFD", "café")
COLLIDING = [
    ["a.txt", "a.TXT"],
    ["c.txt", "c.pdf", "c_txt.text"],
    [f"{CAFE_NFC}.txt", f"{CAFE_NFD}.txt"],
    ["r.pdf", "R.txt", "r_txt.md", "r_TXT.text", "r.md"],
]


def _check_unique(stems: dict[Path, str]) -> None:
    keys = [name_key(s) for s in stems.values()]
    assert len(set(keys)) == len(keys), stems
    assert not {name_key(n) for n in RUN_NAMES} & set(keys)


@pytest.mark.parametrize("names", COLLIDING, ids=lambda n: "+".join(n))
def test_colliding_inputs_get_distinct_names_in_any_order(names):
    paths = [Path(n) for n in names]
    first = assign_stems(paths, reserved=RUN_NAMES)
    _check_unique(first.names)
    for order in itertools.permutations(paths):
        assert assign_stems(list(order), reserved=RUN_NAMES).names == first.names
    # Every input that did not get its plain stem is said to have been renamed, with the other.
    assert len(first.renamed) >= len(names) - 1
    for path, why in first.renamed.items():
        assert why.startswith(f"{path.name}: published as {first.names[path]}/")


def test_random_name_sets_stay_unique_and_order_free():
    rng = random.Random(21)
    parts = ["a", "A", "b", "a_txt", "A_TXT", CAFE_NFC, CAFE_NFD, "index", "index.html", "Names.HTML"]
    suffixes = [".txt", ".TXT", ".pdf", ".text", ".md", ".Txt"]
    for _ in range(200):
        names = {rng.choice(parts) + rng.choice(suffixes) for _ in range(rng.randint(1, 12))}
        paths = [Path(n) for n in names]
        stems = assign_stems(paths, reserved=RUN_NAMES).names
        _check_unique(stems)
        rng.shuffle(paths)
        assert assign_stems(paths, reserved=RUN_NAMES).names == stems


def test_adding_a_file_renames_no_published_document():
    first = assign_stems([Path("a.pdf")], reserved=RUN_NAMES).names
    assert first == {Path("a.pdf"): "a"}
    previous = {p.name: s for p, s in first.items()}
    second = assign_stems([Path("a.pdf"), Path("a.txt"), Path("A.TXT")], previous, RUN_NAMES)
    assert second.names[Path("a.pdf")] == "a"
    _check_unique(second.names)
    assert set(second.renamed) == {Path("a.txt"), Path("A.TXT")}


def test_a_recorded_name_that_is_unsafe_or_taken_is_not_kept():
    stems = assign_stems([Path("x.txt"), Path("y.txt")], {"x.txt": "../escape", "y.txt": "index.html"}, RUN_NAMES)
    assert stems.names == {Path("x.txt"): "x", Path("y.txt"): "y"}


@pytest.mark.parametrize("reserved", RUN_NAMES)
def test_no_input_takes_a_run_level_name(reserved):
    for path in (Path(f"{reserved}.txt"), Path(f"{reserved.upper()}.txt"), Path(f"{reserved}.TXT")):
        stems = assign_stems([path], reserved=RUN_NAMES)
        _check_unique(stems.names)  # a dot-name's stem loses its dot: no clash to report
        assert reserved in stems.renamed[path] if name_key(safe_stem(path)) == name_key(reserved) else not stems.renamed


@pytest.fixture
def folders(tmp_path):
    inputs, outputs, glossary = tmp_path / "inputs", tmp_path / "outputs", tmp_path / "glossary"
    inputs.mkdir()
    glossary.mkdir()
    shutil.copy(REPO / "glossary" / "names.csv", glossary / "names.csv")
    return inputs, outputs, glossary


def _settings(tmp_path: Path) -> Settings:
    return Settings(packages_dir=tmp_path / "no-packages")


def test_inputs_sharing_a_name_each_publish_their_own_outputs(folders, tmp_path):
    inputs, outputs, glossary = folders
    names = ["a.txt", "a.TXT", "c.txt", "c.md", "c_txt.text", f"{CAFE_NFC}.txt", f"{CAFE_NFD}.txt",
             "index.html.txt", "run-summary.json.txt", "names.html.txt", "translation-memory.sqlite.txt",
             "translation-memory.sqlite-wal.txt", "INDEX.HTML.md"]
    for number, name in enumerate(names):
        (inputs / name).write_text(f"{TEXT}الوثيقة رقم {number}\n", encoding="utf-8")
    summary = run_inline(inputs, outputs, glossary, _settings(tmp_path))
    assert [d.status for d in summary.documents] == ["published"] * len(names), summary.documents
    stems = {d.file: d.stem for d in summary.documents}
    _check_unique({Path(f): s for f, s in stems.items()})
    for number, name in enumerate(names):  # each folder holds its own document, none overwritten
        arabic = (outputs / stems[name] / f"{stems[name]}.ar.txt").read_text("utf-8")
        assert f"رقم {number}" in arabic, name
    assert (outputs / "index.html").is_file() and (outputs / "run-summary.json").is_file()
    renamed = [n for n in summary.notes if "published as" in n]
    assert len(renamed) >= 8, summary.notes
    # The state holds every one of them: nothing is skipped forever, nothing remade.
    again = run_inline(inputs, outputs, glossary, _settings(tmp_path))
    assert [d.status for d in again.documents] == ["skipped"] * len(names)
    assert {d.file: d.stem for d in again.documents} == stems
    # A new file sharing a name takes another one; the published documents keep theirs.
    (inputs / "A.txt").write_text(TEXT, encoding="utf-8")
    third = run_inline(inputs, outputs, glossary, _settings(tmp_path))
    assert {d.file: d.stem for d in third.documents if d.file != "A.txt"} == stems
    assert [d.status for d in third.documents if d.file != "A.txt"] == ["skipped"] * len(names)


def test_entries_that_are_not_documents_are_listed_as_skipped(folders, tmp_path):
    inputs, outputs, glossary = folders
    (inputs / "good.txt").write_text(TEXT, encoding="utf-8")
    (inputs / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (inputs / "loop.txt").symlink_to(inputs / "loop.txt")
    os.mkfifo(inputs / "pipe.txt")
    (inputs / "folder.txt").mkdir()
    (inputs / "folder.txt" / "inside.txt").write_text(TEXT, encoding="utf-8")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(inputs / "socket.txt"))
    try:
        done: list = []
        # A FIFO opened for reading blocks until a writer comes: the run must never open it.
        worker = threading.Thread(target=lambda: done.append(
            run_inline(inputs, outputs, glossary, _settings(tmp_path))), daemon=True)
        worker.start()
        worker.join(120)
        assert done, "the run blocked on the FIFO"
    finally:
        sock.close()
    reports = {d.file: d for d in done[0].documents}
    assert reports["good.txt"].status == "published"
    why = {name: reports[name].error for name in ("gone.txt", "loop.txt", "pipe.txt", "folder.txt", "socket.txt")}
    assert all(reports[name].status == "skipped" for name in why), reports
    assert "dangling symbolic link" in why["gone.txt"] and "nowhere.txt" in why["gone.txt"]
    assert "dangling symbolic link" in why["loop.txt"]
    assert "named pipe" in why["pipe.txt"]
    assert "folder" in why["folder.txt"]
    assert "socket" in why["socket.txt"]
    # Listed in the run's pages as well, and they never stop a rerun from being a no-op.
    assert "named pipe" in (outputs / "run-summary.json").read_text("utf-8")
    assert plan_run(inputs, outputs, glossary, _settings(tmp_path)).unchanged
