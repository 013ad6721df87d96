"""The state of what was published, and whether a document must be made again."""

from __future__ import annotations

import pytest

from qantara.incremental import (
    JOURNAL_FILE,
    Fingerprint,
    Published,
    change_reason,
    load_state,
    record_published,
    save_state,
    state_reviewed,
)

BASE = Fingerprint("c1", "doc", "code1", "g1", "m1", "s1", "r1", "t1")


CHANGES = [
    ({}, None),
    ({"content": "c2"}, "content changed"),
    ({"stem": "doc_txt"}, "output name changed"),
    ({"code": "code2"}, "code changed"),
    ({"glossary": "g2"}, "glossary changed"),
    ({"model": "m2"}, "model changed"),
    ({"settings": "s2"}, "settings changed"),
    ({"tools": "t2"}, "tools changed (PDF library, OCR engine or lexicon)"),
    ({"reviewed": "r2"}, "reviewed translations imported"),
    ({"content": "c2", "glossary": "g2"}, "content changed"),
]


@pytest.mark.parametrize(("change", "reason"), CHANGES)
def test_change_reason(tmp_path, change, reason):
    (tmp_path / "doc").mkdir()
    (tmp_path / "doc" / "segments.jsonl").write_text("{}\n")
    now = Fingerprint(**{**BASE.__dict__, **change})
    assert change_reason(now, Published(BASE, "2026-01-01T00:00:00+00:00"), tmp_path) == reason


def test_new_document_and_missing_outputs_are_remade(tmp_path):
    assert change_reason(BASE, None, tmp_path) == "new document"
    assert change_reason(BASE, Published(BASE, "t"), tmp_path) == "outputs missing"


def test_state_round_trip_and_corrupt_state(tmp_path):
    entry = Published(BASE, "2026-01-01T00:00:00+00:00", 3, 2, 1, 4)
    save_state(tmp_path, {"a.txt": entry}, {"stages": {"prepare": 1.0}})
    assert load_state(tmp_path) == {"a.txt": entry}
    (tmp_path / ".qantara-state.json").write_text("{not json")
    assert load_state(tmp_path) == {}


def test_journal_entries_count_until_the_state_is_saved(tmp_path):
    old = Published(BASE, "2026-01-01T00:00:00+00:00", 3)
    save_state(tmp_path, {"a.txt": old})
    new = Published(BASE, "2026-01-02T00:00:00+00:00", 5)
    record_published(tmp_path, "a.txt", new)
    record_published(tmp_path, "b.txt", new)
    # A crash while appending the next entry leaves half a line: that document is remade.
    with open(tmp_path / JOURNAL_FILE, "a", encoding="utf-8") as journal:
        journal.write('{"name": "c.txt", "entry": {"fingerp')
    assert load_state(tmp_path) == {"a.txt": new, "b.txt": new}
    save_state(tmp_path, {"a.txt": new})
    assert not (tmp_path / JOURNAL_FILE).exists() and load_state(tmp_path) == {"a.txt": new}


def test_state_says_which_reviewed_translations_its_entries_agree_with(tmp_path):
    assert state_reviewed(tmp_path) is None
    save_state(tmp_path, {"a.txt": Published(BASE, "t")}, reviewed="abc")
    assert state_reviewed(tmp_path) == "abc" and load_state(tmp_path) == {"a.txt": Published(BASE, "t")}
