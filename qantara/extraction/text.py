"""Text files: decoded with a detected encoding: a byte-order mark wins, then UTF-16/32 told
by where their NUL bytes fall, then strict UTF-8, then charset-normalizer limited to the
encodings Arabic documents actually arrive in. What decodes but is mostly not letters of any
script is binary data.

Bounded: a file over ``max_file_chars`` characters is refused, and lines over
``max_line_chars`` are cut (at a sentence end where there is one) before any later step sees
them.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from pathlib import Path

from ..arabic.direction import direction
from ..config import Settings
from ..errors import LimitExceeded, UnreadableDocument
from ..types import ExtractedDocument, Issue, PageText, SourceRef, TextLine

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
# Letters, combining marks, digits and white space make up 0.88-0.98 of real prose (the seeds,
# FLORES-200, TICO-19, Tatoeba, their TSV metadata) and 0.55-0.66 of random bytes decoded in
# any single-byte code page.
_MIN_TEXT_SHARE = 0.75
# Words and the spaces between them: prose has a space every 5-7 characters; fewer than one
# in this many is no prose.
_MAX_WORD = 25
# Where a long line is best cut: after a sentence end, else at a space.
_SENTENCE_END = re.compile(r"[.!?؟…]+[\s\u00bb\u201d\"')\]]*\s")
_SPACE = re.compile(r"\s")


def extract_text_file(path: Path, settings: Settings | None = None) -> ExtractedDocument:
    settings = settings or Settings()
    path = Path(path)
    size = path.stat().st_size
    # Four bytes a character at most (UTF-32): a larger file holds too many in any encoding.
    if size > 4 * settings.max_file_chars:
        raise LimitExceeded(path, f"{size:,} bytes, more than max_file_chars ({settings.max_file_chars:,} characters) "
                                  f"in any encoding", "max_file_chars")
    data = path.read_bytes()
    if not data:
        raise UnreadableDocument(path, "empty file (0 bytes)")
    text, encoding = decode_text(data, path)
    if len(text) > settings.max_file_chars:
        raise LimitExceeded(path, f"{len(text):,} characters, more than the limit of {settings.max_file_chars:,} "
                                  f"(max_file_chars)", "max_file_chars")
    lines: list[TextLine] = []
    issues: list[Issue] = []
    for number, line in enumerate(split_lines(text), start=1):
        pieces = cut_line(line, settings.max_line_chars)
        if len(pieces) > 1:
            issues.append(Issue(SourceRef(path, 1, number), "line-cut",
                                f"line {number}: {len(line):,} characters, cut into {len(pieces)} lines of at most "
                                f"{settings.max_line_chars:,} (max_line_chars)"))
        ref = SourceRef(path, 1, number)
        lines.extend(TextLine(text=piece, ref=ref, block=None, direction=direction(piece)) for piece in pieces)
    page = PageText(number=1, lines=tuple(lines))
    return ExtractedDocument(path=path, kind="text", pages=(page,), encoding=encoding, issues=tuple(issues))


def cut_line(line: str, max_chars: int) -> list[str]:
    """``line`` in pieces of at most ``max_chars``, each ending after the last sentence end in
    its second half, else at its last space, else at the limit."""
    pieces = []
    start = 0
    while len(line) - start > max_chars:
        window = line[start:start + max_chars]
        end = 0
        for pattern in (_SENTENCE_END, _SPACE):
            found = [m.end() for m in pattern.finditer(window, max_chars // 2)]
            if found:
                end = found[-1]
                break
        end = end or max_chars
        pieces.append(line[start:start + end].rstrip())
        start += end
    pieces.append(line[start:])
    return [p for p in pieces if p.strip()] or [line[:max_chars]]


def decode_text(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode bytes of a text file; returns (text, encoding name). Binary data raises."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), path), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise UnreadableDocument(path, f"invalid {encoding} after byte-order mark: {exc.reason}") from exc
    if b"\x00" in data:
        encoding = _wide_encoding(data)
        if encoding is None:
            raise UnreadableDocument(path, "binary data, not a text file (contains NUL bytes)")
        try:
            return _checked(data.decode(encoding), path, guessed=True), encoding
        except UnicodeDecodeError as exc:
            raise UnreadableDocument(path, f"binary data, not a text file (NUL bytes, yet not {encoding}: "
                                           f"{exc.reason})") from exc
    try:
        return _checked(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = _guess_legacy_encoding(data)
    if encoding is None:
        raise UnreadableDocument(path, "binary data or an unknown encoding, not text (tried UTF-8/16/32, windows-1256, ISO-8859-6)")
    return _checked(data.decode(encoding), path, guessed=True), encoding


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


def _wide_encoding(data: bytes) -> str | None:
    """UTF-32 or UTF-16 without a byte-order mark, from where the NUL bytes fall: the high
    bytes of Latin letters, digits and spaces (and, in UTF-32, of every character)."""
    if len(data) % 4 == 0:
        quarters = [data[k::4].count(0) for k in range(4)]
        if quarters[2] == quarters[3] == len(data) // 4:
            return "utf-32-le"
        if quarters[0] == quarters[1] == len(data) // 4:
            return "utf-32-be"
    if len(data) % 2 == 0:
        even, odd = data[0::2].count(0), data[1::2].count(0)
        if odd and 4 * even <= odd:
            return "utf-16-le"
        if even and 4 * odd <= even:
            return "utf-16-be"
    return None


def _checked(text: str, path: Path | str, guessed: bool = False) -> str:
    """``text`` when it reads as text. A ``guessed`` encoding (no byte-order mark, not UTF-8)
    decodes any bytes, so its text must also break into words, as Arabic and every script
    of the code pages tried here do."""
    if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        raise UnreadableDocument(path, "binary data, not a text file (control characters)")
    share = text_share(text)
    if share < _MIN_TEXT_SHARE:
        raise UnreadableDocument(path, f"binary data, not a text file (only {share:.0%} of its characters are "
                                       f"letters, digits or spaces)")
    if guessed and len(text) >= 2 * _MAX_WORD and sum(map(text.count, " \t\n")) * _MAX_WORD < len(text):
        raise UnreadableDocument(path, f"binary data, not a text file (no word breaks: fewer than one space in "
                                       f"{_MAX_WORD} characters)")
    return text.lstrip("\ufeff")


def text_share(text: str) -> float:
    """The share of ``text`` that is letters (of any script), combining marks, digits or
    white space."""
    if not text:
        return 1.0
    counts = Counter(text)
    good = sum(n for ch, n in counts.items() if ch.isspace() or unicodedata.category(ch)[0] in "LMN")
    return good / len(text)


def split_lines(text: str) -> list[str]:
    """Split on CRLF, CR or LF alike; a final line break does not make an empty last line."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines
