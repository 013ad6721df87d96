"""The document pipeline as plain functions over one record (:class:`qantara.types.Document`):
discover → read (extract + repair, :mod:`qantara.read`) → segment (:mod:`qantara.segment`) →
translate.

Prefect flows and the CLI call these; nothing here knows about either.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping, Protocol, Sequence

from . import bounded
from .arabic.charsets import SCRIPT
from .cache import StageCache
from .checks import check_pair
from .config import Settings
from .glossary.names import name_flags, protect_names, restore_names
from .incremental import content_hash
from .memory import Reviewed, apply_reviewed
from .read import read_document
from .segment import NameFinder, segment_document
from .translate import translate_scored
from .types import Document, Flag, Origin, Segment, Translation

_ARABIC = re.compile(f"[{SCRIPT}]")
_UNSAFE_STEM = re.compile(r"[\x00-\x1f/\\:*?\"<>|]+")


class SentenceTranslator(Protocol):
    def translate(self, sentences: Sequence[str]) -> list[str]: ...


def discover_documents(input_dir: Path) -> list[Path]:
    """Every visible entry directly inside ``input_dir`` (files, folders, links, pipes…), in
    name order; :func:`entry_refusal` says which of them are not documents. Hidden entries
    (a leading dot: .DS_Store, editors' swap files) are not inputs."""
    return sorted(p for p in input_dir.iterdir() if not p.name.startswith("."))


_KINDS = (
    (stat.S_ISDIR, "a folder (only files directly inside the input folder are read)"),
    (stat.S_ISFIFO, "a named pipe (FIFO), not a file"),
    (stat.S_ISSOCK, "a socket, not a file"),
    (stat.S_ISCHR, "a device, not a file"),
    (stat.S_ISBLK, "a device, not a file"),
)


def entry_refusal(path: Path) -> str | None:
    """Why the entry ``path`` of the input folder is no document to read (None for a regular
    file, a link to one, or what cannot be looked at). Never opens it: a FIFO would block the run."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if not os.path.islink(path):
            return None  # gone or unreadable: reading it fails with the reason
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return f"{path}: dangling symbolic link to {target} ({exc.strerror.lower()})"
    for test, what in _KINDS:
        if test(mode):
            return f"{path}: {what}"
    return None


def safe_stem(path: Path) -> str:
    """A folder name derived from a file name that cannot leave the output folder (in Unicode
    NFC: names that differ only in normalisation are one name on macOS and to people)."""
    stem = _UNSAFE_STEM.sub("_", unicodedata.normalize("NFC", path.stem)).strip(" .")
    return stem or "document"


def _is_safe(stem: str) -> bool:
    return bool(stem) and stem == _UNSAFE_STEM.sub("_", stem).strip(" .")


def name_key(name: str) -> str:
    """What two output names must not share: equal here means one folder on a case-insensitive
    or normalising file system (macOS, Windows, SMB shares)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


@dataclass(frozen=True)
class Stems:
    """The output folder of each input, and why those that did not get their own stem got another."""

    names: dict[Path, str]
    renamed: dict[Path, str]  # path → one line saying why its folder is not its plain stem


def assign_stems(paths: Sequence[Path], previous: Mapping[str, str] | None = None,
                 reserved: Sequence[str] = ()) -> Stems:
    """Output folder names, one per input, unique whatever the file system's case sensitivity
    or Unicode normalisation, and never one of the ``reserved`` run-level names.

    Deterministic: the same inputs (and ``previous``) give the same names in any listing order.
    Stable: an input keeps the name ``previous`` (by file name, from the run state) gave it
    while that name is still free, so adding a file never renames another's outputs; then each
    input whose stem no other input (and no reserved name) shares gets its plain stem; the rest
    get the stem with its extension (``r.pdf`` and ``r.txt``: ``r_pdf`` and ``r_txt``), then a
    number (``a.txt`` and ``a.TXT``: ``a_txt`` and ``a_txt_2``), in name order.
    """
    previous = previous or {}
    order = sorted(paths, key=lambda p: (name_key(p.name), unicodedata.normalize("NFC", p.name), p.name))
    plain = {p: safe_stem(p) for p in order}
    taken = {name_key(r): f"{r} (a run-level file or folder)" for r in reserved}
    names: dict[Path, str] = {}

    def take(path: Path, name: str) -> None:
        names[path] = name
        taken[name_key(name)] = path.name

    for path in order:
        kept = previous.get(path.name)
        if kept and _is_safe(kept) and name_key(kept) not in taken:
            take(path, kept)
    shared = Counter(name_key(plain[p]) for p in order if p not in names)
    for path in order:
        key = name_key(plain[path])
        if path not in names and shared[key] == 1 and key not in taken:
            take(path, plain[path])
    renamed: dict[Path, str] = {}
    for path in order:
        if path in names:
            continue
        stem, key = plain[path], name_key(plain[path])
        holders = {q.name for q in order if q != path and name_key(plain[q]) == key}
        holders |= {taken[key]} if key in taken else set()
        base = name = f"{stem}_{path.suffix.lstrip('.').lower() or 'file'}"
        number = 1
        while name_key(name) in taken:
            number += 1
            name = f"{base}_{number}"
        take(path, name)
        renamed[path] = (f"{path.name}: published as {name}/, since its name {stem} is also that of "
                         f"{', '.join(sorted(holders))} (whatever the file system's case or Unicode form)")
    return Stems(names, renamed)


def prepare_document(
    path: Path, stem: str, names: NameFinder | None, *, settings: Settings | None = None,
    cache: StageCache | None = None, force: bool = False, bounded_read: bool = False,
) -> Document:
    """Read (extract + repair) and segment one document: everything before translation.
    Raises UnreadableDocument when it has no text (LimitExceeded when it is over one of the
    ``settings``' limits).

    With a ``cache``, each stage's result is taken from it when everything it depends on is
    unchanged, and stored there when made (``force``: made again whatever the cache holds).
    ``bounded_read``: the reading runs in a worker process stopped at the document's time, CPU
    and memory limits (:mod:`qantara.bounded`), so a document that hangs, bloats or crashes a
    library fails alone, with the limit it hit; segmentation (glossary names: a large glossary
    would cost more to send to a worker than to match) stays in this process.
    """
    settings = settings or Settings()

    def read() -> Document:
        if not bounded_read:
            return read_document(path, settings=settings)
        return bounded.call(read_document, Path(path), settings=settings,
                            limits=bounded.limits_for(path, settings), label=path)

    if cache is None:
        return segment_document(replace(read(), stem=stem), names)
    read_key = cache.read_key(content_hash(path), path.name)
    document = None if force else cache.load("read", read_key, path)
    if document is None:
        document = read()
        cache.store("read", read_key, document)
    segment_key = cache.segment_key(read_key)
    segmented = None if force else cache.load("segment", segment_key, path)
    if segmented is None:
        segmented = segment_document(document, names)
        cache.store("segment", segment_key, replace(segmented, paragraphs=(), changes=(), issues=()))
    return replace(document, stem=stem, segments=segmented.segments)


def prepare_bounded(
    path: Path, stem: str, names: NameFinder | None, settings: Settings, *, cache: StageCache | None = None,
    force: bool = False,
) -> Document:
    """:func:`prepare_document` with its reading in a worker process stopped at the document's
    limits: what runs and the CLI call."""
    return prepare_document(path, stem, names, settings=settings, cache=cache, force=force, bounded_read=True)


def check_translation(segment: Segment, english: str) -> tuple[str, ...]:
    """Flags a reviewer should see: names lost in translation, the usual MT failure signs, and
    facts (numbers, dates, URLs, brackets…) the English does not carry (:mod:`qantara.checks`)."""
    flags = []
    text = english.casefold()
    if not english.strip():
        flags.append(Flag.EMPTY_OUTPUT.value)
    # Each name must come out as often as it was found: fewer is a lost name, more a
    # hallucinated or duplicated one.
    flags.extend(name_flags(english, segment.glossary))
    if english.strip() and english.strip() == segment.arabic.strip():
        flags.append(Flag.COPIED_SOURCE.value)
    elif _ARABIC.search(english):
        flags.append(Flag.ARABIC_IN_OUTPUT.value)
    words = text.split()
    trigrams = Counter(zip(words, words[1:], words[2:]))
    if trigrams and max(trigrams.values()) >= 3:
        flags.append(Flag.REPEATED_NGRAMS.value)
    if english.strip():
        flags.extend(check_pair(segment.arabic, english))
    return tuple(dict.fromkeys(flags))


def translate_segments(segments: Sequence[Segment], translator: SentenceTranslator | None) -> list[Segment]:
    """Translate every Arabic segment in one call, so the engine can batch across documents.

    English segments pass through as ``source-english``; without a translator the Arabic ones
    are published as ``untranslated``, and so are garbled ones (a wrong-letter font's text
    is never sent to the model, so it never reaches the memory either).
    """
    pending = [s for s in segments if s.language == "ar" and Flag.GARBLED not in s.flags]
    english: dict[int, tuple[str, float | None]] = {}
    if translator is not None and pending:
        # Names go to the model already in their English form (see qantara.glossary.names).
        sources = [protect_names(s.arabic, s.glossary) for s in pending]
        english = dict(zip(map(id, pending), translate_scored(translator, sources), strict=True))
    out = []
    for seg in segments:
        if seg.language != "ar":
            translation = Translation(seg.arabic, Origin.SOURCE_ENGLISH)
        elif translator is None or Flag.GARBLED in seg.flags:
            translation = Translation("", Origin.UNTRANSLATED, (Flag.UNTRANSLATED.value,))
        else:
            raw, score = english[id(seg)]
            text, repairs = restore_names(raw, seg.glossary)
            translation = Translation(text, Origin.MACHINE, tuple(dict.fromkeys(repairs + check_translation(seg, text))),
                                      score)
        out.append(replace(seg, translation=translation))
    return out


def translate_documents(
    documents: Sequence[Document],
    translator: SentenceTranslator | None,
    reviewed: Mapping[str, Reviewed] | None = None,
) -> list[Document]:
    """Translate the segments of all documents together, in one list per document, in order.

    A segment with a reviewed translation is published as reviewed and never sent to the
    model (:func:`qantara.memory.apply_reviewed`).
    """
    reviewed = reviewed or {}
    pending = [s for doc in documents for s in doc.segments if not (s.language == "ar" and s.arabic in reviewed)]
    done = {id(old): new for old, new in zip(pending, translate_segments(pending, translator), strict=True)}
    return [
        apply_reviewed(replace(doc, segments=tuple(done.get(id(s), s) for s in doc.segments)), reviewed)
        for doc in documents
    ]
