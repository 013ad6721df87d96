"""The translation memory: SQLite, in the output folder by default.

Two kinds of entry. Machine output is keyed by the exact text sent to the model and the
model's signature (package, version, decoding settings), so an unchanged segment is never
translated twice by the same model. Reviewed translations are keyed by the normalised Arabic
segment alone: a reviewer's correction outlives every change of model or glossary, and fills
identical segments anywhere in the corpus, as a CAT tool's memory would.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import unicodedata
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple, Sequence

from .checks import check_pair
from .types import Document, Flag, Origin, Translation

# The memory's file name inside an output folder.
MEMORY_FILE = "translation-memory.sqlite"

_TATWEEL_SPACE = re.compile(r"\u0640+|\s+")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS machine (
    source TEXT NOT NULL, model TEXT NOT NULL, english TEXT NOT NULL, created TEXT NOT NULL,
    PRIMARY KEY (source, model)
);
CREATE TABLE IF NOT EXISTS reviewed (
    arabic TEXT PRIMARY KEY, english TEXT NOT NULL, origin_file TEXT, segment_id TEXT,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS review_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT, arabic TEXT NOT NULL, document TEXT, segment_id TEXT,
    old_english TEXT, new_english TEXT NOT NULL, outcome TEXT NOT NULL, reason TEXT,
    reviewer TEXT, review_file TEXT, base_version TEXT, at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS review_history_arabic ON review_history (arabic);
"""
# A memory made before the history existed: each reviewed translation it holds gets one
# history row (who and from which file unknown), so the history starts complete.
_SEED_HISTORY = """
INSERT INTO review_history (arabic, document, segment_id, old_english, new_english, outcome, reason, at)
SELECT arabic, origin_file, segment_id, NULL, english, 'applied', 'reviewed before the history was kept', updated
FROM reviewed WHERE arabic NOT IN (SELECT arabic FROM review_history)
"""
# What became of a reviewer's translation in an import.
APPLIED, FORCED, REFUSED = "applied", "forced", "refused"


class HistoryEntry(NamedTuple):
    """One reviewer's translation of one segment as an import met it, kept whatever became of it."""

    arabic: str
    document: str | None
    segment_id: str | None
    old_english: str | None  # what was published before (None: not known)
    new_english: str
    outcome: str  # APPLIED, FORCED (over a newer reviewed translation) or REFUSED (a conflict)
    reason: str | None
    reviewer: str | None
    review_file: str | None
    base_version: str | None  # the version of the translation the reviewer's file was made from
    at: str


class Reviewed(NamedTuple):
    english: str
    file: str | None  # the document (stem) the reviewer corrected
    segment_id: str | None


def apply_reviewed(document: Document, reviewed: Mapping[str, Reviewed]) -> Document:
    """The document with the reviewed translation of every Arabic segment that has one
    (``reviewed`` is keyed by the segments' Arabic, as :meth:`TranslationMemory.reviewed`
    returns it). Where the correction was made on another segment, a flag says where.

    The one place reviewed translations reach a document: a run and a review import alike.
    """
    segments = []
    for seg in document.segments:
        entry = reviewed.get(seg.arabic) if seg.language == "ar" else None
        if entry is not None:
            own = (entry.file, entry.segment_id) == (document.stem, seg.id)
            flags = () if own else (Flag.REVIEWED_FROM.with_detail(f"{entry.file}#{entry.segment_id}"),)
            # A reviewer's English is checked like the model's: a number they mistyped is flagged.
            flags += check_pair(seg.arabic, entry.english)
            seg = replace(seg, translation=Translation(entry.english, Origin.REVIEWED, flags))
        segments.append(seg)
    return replace(document, segments=tuple(segments))


def english_digest(english: str) -> str:
    return hashlib.sha256(english.strip().encode()).hexdigest()[:10]


def translation_version(english: str, origin: str | None) -> str:
    """The version of a published translation, as exported files carry it: its origin and a
    hash of its English. A reviewer's file whose version is no longer the published one was
    made from an older translation (see :mod:`qantara.review`)."""
    return f"{origin or 'none'}-{english_digest(english)}"


def version_parts(version: str) -> tuple[str, str]:
    """(origin, English hash) of a version from :func:`translation_version`."""
    origin, _, digest = version.rpartition("-")
    return origin, digest


def normalize_segment(text: str) -> str:
    """The memory key of an Arabic segment: NFC, no tatweel, single spaces."""
    return _TATWEEL_SPACE.sub(lambda m: "" if m.group().startswith("\u0640") else " ",
                              unicodedata.normalize("NFC", text)).strip()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class TranslationMemory:
    """A handle on one memory file; open it per run and close it (or use ``with``)."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # WAL keeps readers unblocked while a run writes; every write is one transaction, so
        # a killed process leaves the memory as it was before that write.
        self._db = sqlite3.connect(path, timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        with self._db:
            self._db.executescript(_SCHEMA)
            self._db.execute(_SEED_HISTORY)

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def machine(self, sources: Iterable[str], model: str) -> dict[str, str]:
        wanted = list(dict.fromkeys(sources))
        found: dict[str, str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT source, english FROM machine WHERE model = ? AND source IN ({marks})", [model, *chunk]
            )
            found.update(rows)
        return found

    def store_machine(self, pairs: Mapping[str, str], model: str) -> None:
        now = _now()
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO machine (source, model, english, created) VALUES (?, ?, ?, ?)",
                [(source, model, english, now) for source, english in pairs.items()],
            )

    def reviewed(self, arabic: Iterable[str]) -> dict[str, Reviewed]:
        """The reviewed translation of each Arabic segment that has one, keyed by the given text."""
        return _reviewed(self._db, arabic)

    def store_reviewed(self, entries: Iterable[tuple[str, str, str | None, str | None]],
                       history: Iterable[HistoryEntry] = ()) -> int:
        """Store (arabic, english, file, segment id) entries and, in the same transaction, the
        history of the import that made them (refused translations included); returns how
        many entries were written."""
        now = _now()
        rows = [(normalize_segment(a), e, f, s, now) for a, e, f, s in entries]
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO reviewed (arabic, english, origin_file, segment_id, updated) "
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )
            self._db.executemany(
                f"INSERT INTO review_history ({', '.join(HistoryEntry._fields)}) "
                f"VALUES ({', '.join('?' * len(HistoryEntry._fields))})",
                [h._replace(arabic=normalize_segment(h.arabic), at=h.at or now) for h in history],
            )
        return len(rows)

    def history(self, arabic: Iterable[str] | None = None, document: str | None = None,
                segment_id: str | None = None) -> list[HistoryEntry]:
        """The review history, oldest first: of the given Arabic segments (any document) or of
        the rows naming ``document`` (and ``segment_id``); everything without a filter."""
        where, params = [], []
        if document is not None:
            where.append("(document = ?" + (" AND segment_id = ?" if segment_id is not None else "") + ")")
            params += [document] + ([segment_id] if segment_id is not None else [])
        if arabic is not None:
            keys = sorted({normalize_segment(a) for a in arabic})
            where.append(f"arabic IN ({','.join('?' * len(keys))})")
            params += keys
        sql = (f"SELECT {', '.join(HistoryEntry._fields)} FROM review_history"
               + (f" WHERE {' OR '.join(where)}" if where else "") + " ORDER BY id")
        return [HistoryEntry(*row) for row in self._db.execute(sql, params)]


def _reviewed(db: sqlite3.Connection, arabic: Iterable[str]) -> dict[str, Reviewed]:
    keys = {text: normalize_segment(text) for text in arabic}
    found: dict[str, Reviewed] = {}
    wanted = list(set(keys.values()))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT arabic, english, origin_file, segment_id FROM reviewed WHERE arabic IN ({marks})", chunk
        )
        found.update((row[0], Reviewed(*row[1:])) for row in rows)
    return {text: found[key] for text, key in keys.items() if key in found}


def _read_only(memory_file: Path) -> sqlite3.Connection | None:
    if not memory_file.is_file():
        return None
    return sqlite3.connect(f"file:{memory_file}?mode=ro", uri=True, timeout=30)


def read_reviewed(memory_file: Path, arabic: Iterable[str]) -> dict[str, Reviewed]:
    """:meth:`TranslationMemory.reviewed` without opening the memory for writing (planning a
    run writes nothing); {} when there is no memory."""
    db = _read_only(memory_file)
    if db is None:
        return {}
    try:
        with db:
            return _reviewed(db, arabic)
    except sqlite3.OperationalError:  # a memory without the table
        return {}
    finally:
        db.close()


def reviewed_version(memory_file: Path) -> str:
    """A hash of every reviewed translation in the memory ("none" without any): when it is
    unchanged, no document's reviewed translations changed. Read-only."""
    db = _read_only(memory_file)
    if db is None:
        return "none"
    digest, count = hashlib.sha256(), 0
    try:
        with db:
            for row in db.execute("SELECT arabic, english, origin_file, segment_id FROM reviewed ORDER BY arabic"):
                digest.update("\x1f".join(str(v) for v in row).encode() + b"\x1e")
                count += 1
    except sqlite3.OperationalError:
        return "none"
    finally:
        db.close()
    return digest.hexdigest()[:16] if count else "none"


def reviewed_digest(reviewed: Mapping[str, Reviewed]) -> str:
    """A document's part of the reviewed translations: those of its Arabic segments (``reviewed``
    as :meth:`TranslationMemory.reviewed` returns it for them); "none" without any."""
    if not reviewed:
        return "none"
    rows = sorted(f"{normalize_segment(a)}\x1f{r.english}\x1f{r.file}\x1f{r.segment_id}" for a, r in reviewed.items())
    return hashlib.sha256("\x1e".join(dict.fromkeys(rows)).encode()).hexdigest()[:16]


class MemoryTranslator:
    """Wraps a translator: texts already in the memory for this model never reach the model."""

    def __init__(self, inner, memory: TranslationMemory, model: str):
        self.inner = inner
        self.memory = memory
        self.model = model
        self.signature = getattr(inner, "signature", model)
        self.hits = 0

    @property
    def calls(self) -> int:
        return self.inner.calls

    def translate(self, sentences: Sequence[str]) -> list[str]:
        known = self.memory.machine(sentences, self.model)
        missing = [s for s in dict.fromkeys(sentences) if s not in known]
        self.hits += sum(1 for s in sentences if s in known)
        if missing:
            fresh = dict(zip(missing, self.inner.translate(missing), strict=True))
            self.memory.store_machine(fresh, self.model)
            known.update(fresh)
        return [known[s] for s in sentences]
