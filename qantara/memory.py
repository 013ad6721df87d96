"""The translation memory: SQLite, in the output folder by default.

Two kinds of entry. Machine output is keyed by the exact text sent to the model and the
model's signature (package, version, decoding settings), so an unchanged segment is never
translated twice by the same model. Reviewed translations are keyed by the normalised Arabic
segment alone: a reviewer's correction outlives every change of model or glossary, and fills
identical segments anywhere in the corpus, as a CAT tool's memory would.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
import re
import sqlite3
import unicodedata
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple, Sequence

from rapidfuzz import fuzz, process

from .checks import check_pair
from .translate import translate_scored
from .types import Document, Flag, FuzzyMatch, Origin, Translation

# The memory's file name inside an output folder.
MEMORY_FILE = "translation-memory.sqlite"

_TATWEEL_SPACE = re.compile(r"\u0640+|\s+")
# Fuzzy matches below this similarity (rapidfuzz's ratio of the normalised Arabic, 0-100) are
# not offered: CAT tools' usual floor (OmegaT, Trados: 70-75), where a match saves typing.
FUZZY_THRESHOLD = 75
FUZZY_LIMIT = 3  # matches offered per segment
_FUZZY_BATCH = 64  # queries of similar length scored in one call

_SCHEMA = """
CREATE TABLE IF NOT EXISTS machine (
    source TEXT NOT NULL, model TEXT NOT NULL, english TEXT NOT NULL, created TEXT NOT NULL,
    score REAL,
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
            # An exact reviewed match makes fuzzy hints moot.
            seg = replace(seg, translation=Translation(entry.english, Origin.REVIEWED, flags), fuzzy=())
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


def apply_fuzzy(document: Document, matches: Mapping[str, tuple[FuzzyMatch, ...]]) -> Document:
    """The document with the fuzzy matches (``matches`` keyed by the segments' Arabic, as
    :meth:`TranslationMemory.fuzzy` returns them) on its Arabic segments that have no reviewed
    translation; the translation itself is left as it is."""
    return replace(document, segments=tuple(
        replace(seg, fuzzy=matches.get(seg.arabic, ())) if seg.language == "ar" and seg.origin != Origin.REVIEWED
        else seg for seg in document.segments))


class FuzzyIndex:
    """Reviewed translations indexed by the length of their normalised Arabic.

    rapidfuzz's ratio is 2·matches / (len a + len b), so two texts whose lengths are in the
    ratio r can score at most 200·r / (1 + r): only entries whose length is within
    [L·t/(200-t), L·(200-t)/t] of a query of length L can reach the threshold t. Queries are
    scored in runs of similar length against just the window of the sorted entries the run
    can reach (no match is lost by it), in one rapidfuzz ``cdist`` call per run.
    """

    def __init__(self, entries: Iterable[tuple[str, Reviewed]]):
        rows = sorted(((key, entry) for key, entry in entries if key), key=lambda row: len(row[0]))
        self._keys = [key for key, _ in rows]
        self._entries = [entry for _, entry in rows]
        self._lengths = [len(key) for key in self._keys]

    def __len__(self) -> int:
        return len(self._keys)

    def search(self, arabic: str, threshold: int = FUZZY_THRESHOLD, limit: int = FUZZY_LIMIT) -> tuple[FuzzyMatch, ...]:
        """The best reviewed translations of segments like ``arabic`` (not equal to it after
        normalisation: that is an exact match), best first."""
        return self.search_many([arabic], threshold, limit)[0]

    def search_many(self, texts: Sequence[str], threshold: int = FUZZY_THRESHOLD,
                    limit: int = FUZZY_LIMIT) -> list[tuple[FuzzyMatch, ...]]:
        """:meth:`search` for each text. Texts are taken by length, in runs sharing one window,
        and each run scored against its window in one ``cdist`` call (C++, every core)."""
        queries = [normalize_segment(text) for text in texts]
        found: list[tuple[FuzzyMatch, ...]] = [()] * len(queries)
        order = sorted((k for k, q in enumerate(queries) if q), key=lambda k: len(queries[k]))
        for start in range(0, len(order), _FUZZY_BATCH):
            batch = order[start : start + _FUZZY_BATCH]
            low = bisect_left(self._lengths, len(queries[batch[0]]) * threshold / (200 - threshold))
            high = bisect_right(self._lengths, len(queries[batch[-1]]) * (200 - threshold) / threshold)
            if low >= high:
                continue
            scores = process.cdist([queries[k] for k in batch], self._keys[low:high], scorer=fuzz.ratio,
                                   score_cutoff=threshold, workers=-1)
            for row, k in zip(scores, batch):
                best = row.argsort()[::-1][: limit + 1]
                matches = [(float(row[j]), low + int(j)) for j in best if row[j] >= threshold]
                found[k] = tuple(
                    FuzzyMatch(self._keys[j], self._entries[j].english, int(score), self._entries[j].file,
                               self._entries[j].segment_id)
                    for score, j in matches if self._keys[j] != queries[k])[:limit]
        return found


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
        # Memories made before scores were kept: add the column (NULL: score unknown).
        if "score" not in {row[1] for row in self._db.execute("PRAGMA table_info(machine)")}:
            with self._db:
                self._db.execute("ALTER TABLE machine ADD COLUMN score REAL")

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def machine(self, sources: Iterable[str], model: str) -> dict[str, tuple[str, float | None]]:
        """The stored (english, score) of each source this model translated before."""
        wanted = list(dict.fromkeys(sources))
        found: dict[str, tuple[str, float | None]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT source, english, score FROM machine WHERE model = ? AND source IN ({marks})", [model, *chunk]
            )
            found.update((source, (english, score)) for source, english, score in rows)
        return found

    def store_machine(self, pairs: Mapping[str, tuple[str, float | None]], model: str) -> None:
        """Store (english, score) per source; the score may be None (a model that gives none)."""
        now = _now()
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO machine (source, model, english, created, score) VALUES (?, ?, ?, ?, ?)",
                [(source, model, english, now, score) for source, (english, score) in pairs.items()],
            )

    def fuzzy_index(self) -> FuzzyIndex:
        """Every reviewed translation, indexed for :meth:`FuzzyIndex.search`."""
        rows = self._db.execute("SELECT arabic, english, origin_file, segment_id FROM reviewed")
        return FuzzyIndex((row[0], Reviewed(*row[1:])) for row in rows)

    def fuzzy(self, arabic: Iterable[str]) -> dict[str, tuple[FuzzyMatch, ...]]:
        """Fuzzy matches from the reviewed translations for each text that has any."""
        index = self.fuzzy_index()
        texts = list(dict.fromkeys(arabic)) if len(index) else []
        return {text: matches for text, matches in zip(texts, index.search_many(texts)) if matches}

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
        return [english for english, _ in self.translate_scored(sentences)]

    def translate_scored(self, sentences: Sequence[str]) -> list[tuple[str, float | None]]:
        """(english, score) per sentence; a memory hit keeps the score it was stored with."""
        known = self.memory.machine(sentences, self.model)
        missing = [s for s in dict.fromkeys(sentences) if s not in known]
        self.hits += sum(1 for s in sentences if s in known)
        if missing:
            fresh = dict(zip(missing, translate_scored(self.inner, missing), strict=True))
            self.memory.store_machine(fresh, self.model)
            known.update(fresh)
        return [known[s] for s in sentences]

