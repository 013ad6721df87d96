"""The stage cache: a record stored and loaded back whole, for the same file by another route,
never a damaged entry, and pruned to what is still used."""

from __future__ import annotations

from pathlib import Path

from qantara.cache import StageCache
from qantara.types import Document, Issue, Paragraph, SourceRef, TextLine

PATH = Path("inputs/report.pdf")


def _document(path: Path = PATH) -> Document:
    line = TextLine("سطر ممسوح", SourceRef(path, 2, 1), bbox=(10.0, 20.0, 300.0, 32.5), size=12.0, block=0,
                    confidence=87.5)
    return Document(path, kind="pdf", paragraphs=(Paragraph(0, "سطر ممسوح", ref=line.ref, lines=(line,),
                                                            line_starts=(0,)),),
                    issues=(Issue(SourceRef(path, 3), "page-no-text", "page 3: no text layer"),))


def test_a_stored_record_comes_back_whole(tmp_path):
    cache = StageCache(tmp_path, {"read": "k1"})
    key = cache.key("read", "content", PATH.name)
    assert cache.load("read", key, PATH) is None
    cache.store("read", key, _document())
    assert cache.load("read", key, PATH) == _document()


def test_the_same_file_reached_by_another_route_gets_its_path(tmp_path):
    cache = StageCache(tmp_path, {"read": "k1"})
    key = cache.key("read", "content", PATH.name)
    cache.store("read", key, _document())
    elsewhere = Path("/srv/qantara/inputs/report.pdf")
    assert cache.load("read", key, elsewhere) == _document(elsewhere)


def test_keys_differ_with_the_stage_key_and_the_parts(tmp_path):
    one, other = StageCache(tmp_path, {"read": "k1"}), StageCache(tmp_path, {"read": "k2"})
    assert one.key("read", "c", "a.pdf") != other.key("read", "c", "a.pdf")
    assert one.key("read", "c", "a.pdf") != one.key("read", "d", "a.pdf") != one.key("read", "c", "b.pdf")


def test_a_damaged_entry_is_a_miss(tmp_path):
    cache = StageCache(tmp_path, {"read": "k1"})
    key = cache.key("read", "content", PATH.name)
    cache.store("read", key, _document())
    (tmp_path / "read" / f"{key}.json").write_text('{"format": 2, "path"', encoding="utf-8")
    assert cache.load("read", key, PATH) is None


def test_prune_keeps_only_what_is_named(tmp_path):
    cache = StageCache(tmp_path, {"read": "k1", "segment": "k2"})
    keys = [cache.key("read", str(n)) for n in range(3)]
    for key in keys:
        cache.store("read", key, _document())
        cache.store("segment", key, _document())
    gone = cache.prune([("read", keys[0]), ("segment", keys[1])])
    assert len(gone) == 4
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.json")) == sorted(
        [f"read/{keys[0]}.json", f"segment/{keys[1]}.json"])


def _is_lines(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def test_kept_answers_come_back_and_a_damaged_or_odd_entry_is_a_miss(tmp_path):
    cache = StageCache(tmp_path, {"shape": "k1"})
    key = cache.key("shape", "doc")
    assert cache.load_map("shape", key, _is_lines) == {}
    cache.store_map("shape", key, {"سطر ممسوح": ["ﺡﻮﺴﻤﻣ ﺮﻄﺳ"]})
    assert cache.load_map("shape", key, _is_lines) == {"سطر ممسوح": ["ﺡﻮﺴﻤﻣ ﺮﻄﺳ"]}
    cache.store_map("shape", key, {"سطر": [3]})
    assert cache.load_map("shape", key, _is_lines) == {}
    (tmp_path / "shape" / f"{key}.json").write_text('{"سطر": ["', encoding="utf-8")
    assert cache.load_map("shape", key, _is_lines) == {}
