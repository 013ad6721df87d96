"""Text files: decoded with a detected encoding: a byte-order mark wins, then strict UTF-8, then charset-normalizer limited
to the encodings Arabic documents actually arrive in.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..arabic.direction import direction
from ..errors import UnreadableDocument
from ..types import ExtractedDocument, PageText, SourceRef, TextLine

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Legacy code pages Arabic text files come in; windows-1256 first because charset-normalizer
# scores it and iso-8859-6 alike on plain Arabic letters and 1256 is by far the commoner.
_LEGACY_ENCODINGS = ("windows-1256", "iso8859_6", "cp720", "cp864", "windows-1252", "latin_1")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Controls other than tab/newline/form feed: a decoded "text" full of them is binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_ARABIC_BYTE_RANGE = range(0xC1, 0xFF)


def extract_text_file(path: Path) -> ExtractedDocument:
    data = Path(path).read_bytes()
    if not data:
        raise UnreadableDocument(path, "empty file (0 bytes)")
    text, encoding = decode_text(data, path)
    lines = split_lines(text)
    page = PageText(
        number=1,
        lines=tuple(
            TextLine(text=line, ref=SourceRef(path, 1, i), block=None, direction=direction(line))
            for i, line in enumerate(lines, start=1)
        ),
    )
    return ExtractedDocument(path=path, kind="text", pages=(page,), encoding=encoding)


def decode_text(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode bytes of a text file; returns (text, encoding name). Binary data raises."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), path), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise UnreadableDocument(path, f"invalid {encoding} after byte-order mark: {exc.reason}") from exc
    if b"\x00" in data:
        raise UnreadableDocument(path, "binary data, not a text file (contains NUL bytes)")
    try:
        return _checked(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = _guess_legacy_encoding(data)
    if encoding is None:
        raise UnreadableDocument(path, "binary data or an unknown encoding, not text (tried UTF-8/16/32, windows-1256, ISO-8859-6)")
    return _checked(data.decode(encoding), path), encoding


def _guess_legacy_encoding(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(_LEGACY_ENCODINGS)).best()
    if best is None:
        return None
    encoding = best.encoding
    # Arabic letters in windows-1256 live at 0xC1-0xFE; charset-normalizer often names a
    # sibling code page that decodes them to the same letters or to Latin accents.
    high = sum(b in _ARABIC_BYTE_RANGE for b in data)
    if encoding != "windows-1256" and high > 0:
        try:
            decoded = data.decode("windows-1256")
        except UnicodeDecodeError:
            return encoding
        if sum("\u0600" <= ch <= "\u06ff" for ch in decoded) >= high // 2:
            return "windows-1256"
    return encoding


def _checked(text: str, path: Path | str) -> str:
    if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        raise UnreadableDocument(path, "binary data, not a text file (control characters)")
    return text.lstrip("\ufeff")


def split_lines(text: str) -> list[str]:
    """Split on CRLF, CR or LF alike; a final line break does not make an empty last line."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines
