"""Text files: encoding detection, line splitting, and binary data refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from qantara.config import Settings
from qantara.errors import UnreadableDocument
from qantara.extraction import extract_document
from qantara.extraction.text import decode_text, split_lines

ARABIC = "الانتخابات التشريعية 2014\nورقة كشف نتائج دائرة مدنين\nJeremy is here\n"


def _lines(doc) -> list[str]:
    (page,) = doc.pages
    return [line.text for line in page.lines]


@pytest.mark.parametrize(
    "encode, encoding",
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8"),
        (lambda t: t.encode("utf-16"), "utf-16"),  # BOM included
        (lambda t: b"\xff\xfe" + t.encode("utf-16-le"), "utf-16"),
        (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16"),
        (lambda t: t.encode("windows-1256"), "windows-1256"),
    ],
)
def test_text_file_encodings(tmp_path: Path, encode, encoding: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(encode(ARABIC))
    doc = extract_document(path)
    assert doc.kind == "text"
    assert doc.encoding == encoding
    assert _lines(doc) == ARABIC.splitlines()


def test_windows_1256_longer_text_is_not_mistaken_for_another_code_page(tmp_path: Path) -> None:
    text = "لمّا أرادت طاجيكستان أن ترتقي بجهودها في مكافحة الإرهاب، ولّت وجهها شطر الكويت.\n" * 20
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode("windows-1256"))
    doc = extract_document(path)
    assert doc.encoding == "windows-1256"
    assert _lines(doc)[0] == text.splitlines()[0]


@pytest.mark.parametrize(
    "text, lines",
    [
        ("a\r\nb\rc\nd", ["a", "b", "c", "d"]),
        ("a\r\n\r\nb\n", ["a", "", "b"]),
        ("one line", ["one line"]),
        ("\n", [""]),
    ],
)
def test_split_lines_mixed_endings(text: str, lines: list[str]) -> None:
    assert split_lines(text) == lines


def test_text_lines_carry_refs_direction_and_no_block(tmp_path: Path) -> None:
    path = tmp_path / "mixed endings.txt"
    path.write_bytes("سطر أول\r\nEnglish line here\rسطر ثالث\n".encode("utf-8"))
    doc = extract_document(path)
    (page,) = doc.pages
    assert [line.text for line in page.lines] == ["سطر أول", "English line here", "سطر ثالث"]
    assert [line.direction for line in page.lines] == ["rtl", "ltr", "rtl"]
    assert all(line.block is None for line in page.lines)
    assert [line.ref.line for line in page.lines] == [1, 2, 3]
    assert all(line.ref.path == path and line.ref.page == 1 for line in page.lines)


@pytest.mark.parametrize("name", ["notes.md", "notes.text", "NOTES.TXT"])
def test_other_text_suffixes(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("مرحبا\n", encoding="utf-8")
    assert _lines(extract_document(path)) == ["مرحبا"]


def test_binary_garbage_named_txt_is_refused(tmp_path: Path) -> None:
    import random

    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(random.Random(7).randrange(256) for _ in range(4096)))
    with pytest.raises(UnreadableDocument, match="garbage.txt: .*binary"):
        extract_document(path)


def test_control_characters_without_nul_are_refused() -> None:
    data = bytes(range(1, 32)) * 50
    with pytest.raises(UnreadableDocument, match="binary"):
        decode_text(data, "x.txt")


def test_large_single_line_file(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("كلمة " * 1_000_000, encoding="utf-8")
    doc = extract_document(path, settings=Settings(max_file_chars=5_000_000))
    lines = doc.pages[0].lines
    # Cut at spaces into lines no later step has to take whole, every word kept.
    assert len(lines) > 1 and max(len(line.text) for line in lines) <= Settings().max_line_chars
    assert " ".join(line.text for line in lines).split() == ["كلمة"] * 1_000_000
    assert {line.ref.line for line in lines} == {1}
    assert [i.code for i in doc.issues] == ["line-cut"] and "max_line_chars" in doc.issues[0].message
