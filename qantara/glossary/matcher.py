"""The controlled glossary of names: reading, checking and matching it.

Editors keep the glossary as CSV files (columns `english`, `arabic`, `variants`, `type`,
`note`, `context`). `check_glossary` reports every problem with its file and row;
`load_glossary` refuses a glossary with errors; `Glossary.find` locates names in a text.

Matching works on a normalised copy of the text (no diacritics, tatweel or zero-width
marks, أ إ آ ٱ folded to ا, whitespace runs collapsed to one space) searched with one
Aho-Corasick automaton, so its cost does not grow with the number of entries. Every raw
hit is then checked: it must end at a word boundary, and what stands between the start of
its word and the hit must be a valid run of proclitics (و ف, then ب ك ل, then the article,
with ل + ال written لل). Offsets are mapped back to the original text.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick

from ..arabic.charsets import LETTERS, SCRIPT
from ..errors import GlossaryError
from ..types import GlossaryHit

TYPES = ("person", "place", "organization", "other")
COLUMNS = ("english", "arabic", "variants", "type", "note", "context")
REQUIRED = ("english", "arabic")
# What `glossary suggest` writes in the note of a row whose English it proposed.
UNVERIFIED = "english unverified"

# Harakat, Quranic marks, superscript alef, tatweel and zero-width/bidi format marks: none of
# them changes which name a word is, and damaged PDFs scatter them inside words.
_DROPPED = (
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
    "\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
)
_DROP_RE = re.compile(rf"[{_DROPPED}]+|(?<=\s)\s+")
_DROPPED_CHAR = re.compile(rf"[{_DROPPED}]")
_ARABIC_LETTER = re.compile(f"[{LETTERS}]")
_ARABIC_SCRIPT = re.compile(f"[{SCRIPT}]")
# Every character str.isspace() accepts, so that any line break or space joins words alike.
_SPACES = (
    "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"} | dict.fromkeys(_SPACES, " "))
_WORD = re.compile(r"[^\W_]+|\ufffd+")
_SPLIT_LIST = re.compile(r"\s*\|\s*")

_ARTICLE = "ال"
_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ك", "ل")
# What may stand before a name that has no article of its own (وب، فل ...).
_BARE_PREFIXES = frozenset(c + p for c in _CONJUNCTIONS for p in _PREPOSITIONS)
# What may stand before the stem of a name whose article is present in the text (بال، لل ...).
_ARTICLE_PREFIXES = frozenset(
    c + ("لل" if p == "ل" else p + _ARTICLE) for c in _CONJUNCTIONS for p in _PREPOSITIONS
)
_MAX_PREFIX = max(len(p) for p in _ARTICLE_PREFIXES)
# Limits on editors' files. A glossary of 10,000 names is about 1 MB; names and notes fit
# in a few hundred characters.
_MAX_FILE_BYTES = 32 << 20
_MAX_LINE_CHARS = 16_384
_MAX_CELL_CHARS = 4_096
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_CONTEXT_WINDOW = 3
_CONTEXT_LOOKBACK = 120  # characters; enough for three words before a name

_PLAIN = 0  # key is the whole form; an article may be added in the text
_STEM = 1  # key is the form without its article; the text must carry the article (or لل)


@dataclass(frozen=True)
class GlossaryEntry:
    """One row of a glossary CSV; `source` and `row` say where it was read."""

    english: str
    arabic: str
    variants: tuple[str, ...] = ()
    type: str = "other"
    note: str = ""
    context: tuple[str, ...] = ()
    source: str = ""
    row: int = 0

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.arabic, *self.variants)


@dataclass(frozen=True)
class GlossaryProblem:
    path: Path
    row: int  # 1-based; the header is row 1
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.row}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class _Key:
    entry: int
    kind: int
    length: int  # of the form (article included) in normalised characters


@dataclass(frozen=True)
class Glossary:
    """Checked entries plus their automaton; made by `load_glossary` or `build_glossary`.

    `version` is a short hash of the entries (order-free) that keys caches and signatures.
    """

    entries: tuple[GlossaryEntry, ...]
    version: str
    _automaton: ahocorasick.Automaton | None = field(default=None, repr=False, compare=False)
    _contexts: tuple[frozenset[str], ...] = field(default=(), repr=False, compare=False)

    def find(self, text: str) -> list[GlossaryHit]:
        """The names in `text`; see `find_names` for what a hit's span covers."""
        return find_names(self, text)

    def __len__(self) -> int:
        return len(self.entries)


# --- normalisation -------------------------------------------------------------------------


def normalize_arabic(text: str) -> str:
    """The matching form of a text: what `Glossary.find` compares, without offsets."""
    return _DROP_RE.sub("", text.translate(_FOLD))


@dataclass(frozen=True)
class _Normalised:
    text: str
    positions: tuple[int, ...]  # normalised index at which a dropped run was removed
    shifts: tuple[int, ...]  # characters dropped up to and including that run

    def original(self, index: int) -> int:
        """Index in the original text of the character at normalised `index`."""
        at = bisect.bisect_right(self.positions, index)
        return index + (self.shifts[at - 1] if at else 0)


def _normalise_with_offsets(text: str) -> _Normalised:
    folded = text.translate(_FOLD)
    positions: list[int] = []
    shifts: list[int] = []
    parts: list[str] = []
    dropped = last = 0
    for m in _DROP_RE.finditer(folded):
        parts.append(folded[last : m.start()])
        positions.append(m.start() - dropped)
        dropped += m.end() - m.start()
        shifts.append(dropped)
        last = m.end()
    parts.append(folded[last:])
    return _Normalised("".join(parts), tuple(positions), tuple(shifts))


def _is_article_form(form: str) -> bool:
    # Decided before hamza folding: ألماتي starts with a hamza, not with the article.
    bare = _DROPPED_CHAR.sub("", form).strip()
    return (bare.startswith("ال") or bare.startswith("ٱل")) and len(bare) > 3


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "\ufffd"


# --- reading and checking ------------------------------------------------------------------


def _csv_files(paths: Sequence[Path | str] | Path | str) -> list[Path]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(p.glob("*.csv")) if p.is_dir() else [p])
    return files


def _split(cell: str | None) -> tuple[str, ...]:
    cell = (cell or "").strip()
    return tuple(s for s in _SPLIT_LIST.split(cell) if s) if cell else ()


class _LineTooLong(Exception):
    def __init__(self, line: int, length: int):
        self.line, self.length = line, length


def _checked_lines(handle, limit: int):
    """The file's lines, refusing one longer than `limit` before the csv module sees it."""
    for number, line in enumerate(handle, start=1):
        if len(line) > limit:
            raise _LineTooLong(number, len(line))
        yield line


def _parse_csv(
    path: Path, pending: str | None = None
) -> tuple[list[tuple[int, list[str]]], list[GlossaryProblem]]:
    """The records of one glossary CSV with their row numbers, and what made it unreadable.

    Editors' files are untrusted: the file size, each line and each cell are bounded, and a
    quote left open (which makes the csv module swallow every row after it into one cell,
    silently) is an error at the row where it opened. Reading stops at the first such error;
    the rows before it are still checked. `pending` is text to check as if it were the file's.
    """
    def error(row: int, message: str) -> GlossaryProblem:
        return GlossaryProblem(path, row, "error", message)

    try:
        size = path.stat().st_size if pending is None else len(pending.encode("utf-8"))
    except OSError as exc:
        return [], [error(0, f"cannot read: {exc}")]
    if size > _MAX_FILE_BYTES:
        return [], [error(0, f"file is {size:,} bytes; a glossary file may hold at most "
                             f"{_MAX_FILE_BYTES:,} (split it into several files)")]
    rows: list[tuple[int, list[str]]] = []
    try:
        opened = path.open(encoding="utf-8-sig", newline="") if pending is None else io.StringIO(pending)
        with opened as handle:
            reader = csv.reader(_checked_lines(handle, _MAX_LINE_CHARS), strict=True)
            while True:
                first_line = reader.line_num + 1
                row = len(rows) + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    lines = f"lines {first_line}-{reader.line_num}" if reader.line_num > first_line else f"line {first_line}"
                    return rows, [error(row, f"{lines}: {_csv_problem(str(exc), reader.line_num > first_line)}")]
                if reader.line_num > first_line:
                    return rows, [error(row, (
                        f"lines {first_line}-{reader.line_num} were read as one row: a cell holds "
                        "a line break, most likely from a quote that is not closed"))]
                long = [i for i, cell in enumerate(cells) if len(cell) > _MAX_CELL_CHARS]
                if long:
                    return rows, [error(row, f"cell {long[0] + 1} is {len(cells[long[0]]):,} characters "
                                             f"long; a glossary cell may hold at most {_MAX_CELL_CHARS:,}")]
                rows.append((row, cells))
    except _LineTooLong as exc:
        return rows, [error(len(rows) + 1, f"line {exc.line} is {exc.length:,} characters long; "
                                           f"a glossary line may hold at most {_MAX_LINE_CHARS:,}")]
    except (OSError, UnicodeDecodeError) as exc:
        return rows, [error(len(rows) + 1, f"cannot read: {exc}")]
    return rows, []


def _csv_problem(message: str, several_lines: bool) -> str:
    if "unexpected end of data" in message:
        return "a quote opened in this row is never closed (every row after it would be lost)"
    if "field larger than field limit" in message or several_lines:
        return "a quote opened in this row is not closed where its cell ends"
    return f"not valid CSV ({message})"


def _read_rows(
    files: Iterable[Path], pending: Mapping[Path, str]
) -> tuple[list[GlossaryEntry], list[GlossaryProblem]]:
    entries: list[GlossaryEntry] = []
    problems: list[GlossaryProblem] = []
    for path in files:
        rows, unreadable = _parse_csv(path, pending.get(path))
        problems.extend(unreadable)
        if not rows:
            if not unreadable:
                problems.append(GlossaryProblem(path, 1, "error", "empty file, no header row"))
            continue
        header = [h.strip().lower() for h in rows[0][1]]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            problems.append(
                GlossaryProblem(path, 1, "error", f"header lacks column(s) {', '.join(missing)}")
            )
            continue
        unknown = [h for h in header if h and h not in COLUMNS]
        if unknown:
            problems.append(
                GlossaryProblem(path, 1, "warning", f"unknown column(s) {', '.join(unknown)}")
            )
        for number, cells in rows[1:]:
            if not any(c.strip() for c in cells):
                continue
            control = _CONTROL.search("\t".join(cells))
            if control:
                problems.append(GlossaryProblem(
                    path, number, "error", f"holds the control character U+{ord(control.group()):04X}"))
                continue
            record = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
            empty = [c for c in REQUIRED if not record.get(c)]
            if empty:
                problems.append(
                    GlossaryProblem(path, number, "error", f"missing {' and '.join(empty)}")
                )
                continue
            kind = (record.get("type") or "other").lower()
            if kind not in TYPES:
                problems.append(
                    GlossaryProblem(
                        path, number, "error",
                        f"unknown type {record.get('type')!r} (use {', '.join(TYPES)})",
                    )
                )
                continue
            entries.append(
                GlossaryEntry(
                    english=record["english"],
                    arabic=record["arabic"],
                    variants=_split(record.get("variants")),
                    type=kind,
                    note=record.get("note", ""),
                    context=_split(record.get("context")),
                    source=str(path),
                    row=number,
                )
            )
    return entries, problems


def _has_arabic_letter(form: str) -> bool:
    return bool(_ARABIC_LETTER.search(normalize_arabic(form)))


def _script_problem(e: GlossaryEntry) -> str | None:
    """Why the english/arabic cells hold the wrong script (swapped columns), if they do."""
    if not any(_is_word_char(c) for c in normalize_arabic(e.arabic)):
        return None  # an empty Arabic form, reported as such
    english_is_arabic = bool(_ARABIC_SCRIPT.search(e.english))
    arabic_is_not = not _has_arabic_letter(e.arabic)
    if english_is_arabic and arabic_is_not:
        return (f"the english and arabic columns are swapped: english {e.english!r} is "
                f"Arabic, arabic {e.arabic!r} is not")
    if english_is_arabic:
        return f"english {e.english!r} is in Arabic script; the english column holds the English form"
    if arabic_is_not:
        return f"arabic {e.arabic!r} has no Arabic letter; the arabic column holds the Arabic form"
    return None


def _english_key(english: str) -> str:
    return " ".join(english.casefold().split())


def _check_entries(entries: Sequence[GlossaryEntry]) -> list[GlossaryProblem]:
    problems: list[GlossaryProblem] = []
    seen_rows: dict[tuple, GlossaryEntry] = {}
    # English form and context -> its row. One name is one row: a second row with the same
    # English and context would only split the name's forms (and their checks) in two.
    seen_names: dict[tuple[str, tuple[str, ...]], GlossaryEntry] = {}
    owner: dict[str, GlossaryEntry] = {}
    for e in entries:
        where = (Path(e.source), e.row)
        signature = (e.english, normalize_arabic(e.arabic).strip(), e.variants, e.type, e.context)
        if signature in seen_rows:
            first = seen_rows[signature]
            problems.append(
                GlossaryProblem(*where, "error", f"duplicate of {first.source} row {first.row}")
            )
            continue
        seen_rows[signature] = e
        script = _script_problem(e)
        if script:
            problems.append(GlossaryProblem(*where, "error", script))
            continue
        name = (_english_key(e.english), e.context)
        first = seen_names.setdefault(name, e)
        if first is not e:
            problems.append(GlossaryProblem(
                *where, "error",
                f"{e.english!r} is already an entry ({first.source} row {first.row}); "
                f"add {e.arabic!r} to its variants instead",
            ))
        if UNVERIFIED in e.note.casefold():
            problems.append(GlossaryProblem(
                *where, "warning",
                f"english {e.english!r} is marked unverified in its note: check it, then remove the mark"))
        local: dict[str, str] = {}
        for form in e.forms:
            norm = normalize_arabic(form).strip()
            if not norm or not any(_is_word_char(c) for c in norm):
                problems.append(GlossaryProblem(*where, "error", f"empty Arabic form {form!r}"))
                continue
            if not _has_arabic_letter(form):
                problems.append(GlossaryProblem(
                    *where, "warning", f"variant {form!r} has no Arabic letter; it matches only Latin text"))
            if norm in local:
                problems.append(
                    GlossaryProblem(
                        *where, "warning",
                        f"forms {local[norm]!r} and {form!r} normalise alike; one is enough",
                    )
                )
                continue
            local[norm] = form
            other = owner.get(norm)
            if other is None:
                owner[norm] = e
            elif other.english != e.english:
                problems.append(
                    GlossaryProblem(
                        *where, "error",
                        f"Arabic form {form!r} is also {other.english!r} "
                        f"({other.source} row {other.row})",
                    )
                )
            else:
                problems.append(
                    GlossaryProblem(
                        *where, "warning",
                        f"Arabic form {form!r} already listed for {e.english!r} "
                        f"({other.source} row {other.row})",
                    )
                )
    return problems


def _read_and_check(
    paths: Sequence[Path | str] | Path | str, pending: Mapping[Path, str] | None = None,
) -> tuple[list[GlossaryEntry], list[GlossaryProblem]]:
    files = _csv_files(paths)
    if not files:
        return [], [GlossaryProblem(Path(str(paths)), 0, "error", "no glossary CSV files found")]
    entries, problems = _read_rows(files, pending or {})
    problems.extend(_check_entries(entries))
    return entries, sorted(problems, key=lambda p: (str(p.path), p.row))


def check_glossary(
    paths: Sequence[Path | str] | Path | str, pending: Mapping[Path, str] | None = None
) -> list[GlossaryProblem]:
    """Every problem in the glossary files (a directory means all its *.csv files).

    `pending` maps a file among `paths` to text checked in place of what it holds, so an
    edit is checked, and its problems named by the real file and row, before it is written.
    """
    return _read_and_check(paths, pending)[1]


def load_glossary(paths: Sequence[Path | str] | Path | str) -> Glossary:
    """Read and validate glossary CSV files; raise GlossaryError listing every error."""
    entries, problems = _read_and_check(paths)
    errors = [f"{p.path}, row {p.row}: {p.message}" for p in problems if p.severity == "error"]
    if errors:
        raise GlossaryError(errors)
    return build_glossary(entries)


# --- the automaton -------------------------------------------------------------------------


def _version(entries: Sequence[GlossaryEntry]) -> str:
    digest = hashlib.sha256()
    for e in sorted(entries, key=lambda e: (e.english, e.arabic)):
        digest.update("\x1f".join((e.english, e.arabic, *e.variants, "\x1e", e.type,
                                   *e.context)).encode())
        digest.update(b"\x1d")
    return digest.hexdigest()[:12]


def _context_forms(words: Sequence[str]) -> frozenset[str]:
    forms: set[str] = set()
    for word in words:
        norm = normalize_arabic(word).strip()
        forms.update(p + norm for p in _BARE_PREFIXES | _ARTICLE_PREFIXES)
        if _is_article_form(word):
            forms.update(p + norm[2:] for p in _ARTICLE_PREFIXES)
    return frozenset(forms)


def build_glossary(entries: Sequence[GlossaryEntry]) -> Glossary:
    """A Glossary over already-checked entries (load_glossary is the checked way in)."""
    automaton = ahocorasick.Automaton()
    keys: dict[str, list[_Key]] = {}
    for index, e in enumerate(entries):
        for form in e.forms:
            norm = normalize_arabic(form).strip()
            if _is_article_form(form):
                keys.setdefault(norm[2:], []).append(_Key(index, _STEM, len(norm)))
            else:
                keys.setdefault(norm, []).append(_Key(index, _PLAIN, len(norm)))
    for key, values in keys.items():
        automaton.add_word(key, tuple(dict.fromkeys(values)))
    if keys:
        automaton.make_automaton()
    contexts = tuple(_context_forms(e.context) if e.context else frozenset() for e in entries)
    return Glossary(tuple(entries), _version(entries), automaton if keys else None, contexts)


# --- matching ------------------------------------------------------------------------------


def _name_start(norm: str, start: int, kind: int) -> int | None:
    """Where the name (article included) begins, or None when the proclitics are not valid."""
    word_start = start
    while word_start > 0 and _is_word_char(norm[word_start - 1]):
        word_start -= 1
        if start - word_start > _MAX_PREFIX:
            return None
    prefix = norm[word_start:start]
    if prefix in _ARTICLE_PREFIXES:
        # The span begins at the article: ال, or the second lam of لل.
        return start - (2 if prefix.endswith(_ARTICLE) else 1)
    if kind == _PLAIN and prefix in _BARE_PREFIXES:
        return start
    return None


def _context_holds(norm: str, word_start: int, forms: frozenset[str]) -> bool:
    before = _WORD.findall(norm, max(0, word_start - _CONTEXT_LOOKBACK), word_start)
    return any(w in forms for w in before[-_CONTEXT_WINDOW:])


def find_names(glossary: Glossary, text: str) -> list[GlossaryHit]:
    """Glossary names in `text`, in order, as non-overlapping hits.

    A hit's span covers the name as written, with its article when the text has one
    (الكويت in بالكويت, the second لام of للكويت, الأوبك in والأوبك), but never the
    conjunction or preposition attached before it, so a caller can replace the span and keep
    the clitics. Longest match wins; trailing diacritics stay inside the span.
    """
    if glossary._automaton is None or not text:
        return []
    n = _normalise_with_offsets(text)
    norm = n.text
    candidates: list[tuple[int, int, int]] = []  # (start, end, entry) in normalised text
    for end_index, keys in glossary._automaton.iter(norm):
        end = end_index + 1
        if end < len(norm) and _is_word_char(norm[end]):
            continue
        for key in keys:
            start = end - (key.length - 2 if key.kind == _STEM else key.length)
            name_start = _name_start(norm, start, key.kind)
            if name_start is None:
                continue
            forms = glossary._contexts[key.entry]
            if forms:
                word_start = name_start
                while word_start > 0 and _is_word_char(norm[word_start - 1]):
                    word_start -= 1
                if not _context_holds(norm, word_start, forms):
                    continue
            candidates.append((name_start, end, key.entry))
    candidates.sort(key=lambda c: (c[0] - c[1], c[0], c[2]))
    taken: list[tuple[int, int]] = []
    chosen: list[tuple[int, int, int]] = []
    for start, end, entry in candidates:
        at = bisect.bisect_left(taken, (start, end))
        if at > 0 and taken[at - 1][1] > start:
            continue
        if at < len(taken) and taken[at][0] < end:
            continue
        taken.insert(at, (start, end))
        chosen.append((start, end, entry))
    chosen.sort()
    hits = []
    for start, end, entry in chosen:
        o_start = n.original(start)
        o_end = n.original(end - 1) + 1
        while o_end < len(text) and _DROPPED_CHAR.match(text, o_end):
            o_end += 1
        e = glossary.entries[entry]
        hits.append(GlossaryHit(o_start, o_end, text[o_start:o_end], e.english, e.type, e.arabic))
    return hits
