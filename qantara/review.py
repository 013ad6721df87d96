"""Taking reviewers' corrections back: an edited XLIFF, TMX or TSV into the translation memory.

Matching. A unit is matched to a published segment by document and segment id (the document
comes from the XLIFF ``original`` attribute, a TMX ``x-document`` prop or the TSV ``document``
column, else from the file name); when the id is missing or unknown, by its Arabic text
(normalised as the memory normalises it). A unit whose id matches but whose Arabic no longer
matches the published Arabic is a conflict: the translation was made for another text.

What counts as reviewed. A unit with a non-empty target counts when its target differs from
the published translation, or when the reviewer approved it (XLIFF state ``final`` or
``signed-off``, or ``approved="yes"``; TSV origin ``reviewed``) while the published one was
still machine output. A target equal to the published one and not newly approved is
``unchanged``: re-importing our own file stores nothing. English source segments are ignored.
Two different translations of the same Arabic in one import are a conflict, and neither is stored.

Versions. Every exported segment carries the version of the translation it was made from
(:func:`qantara.memory.translation_version`: origin and a hash of the English; an XLIFF
``version:`` note, a TMX ``x-version`` prop, a TSV ``version`` column). A unit whose version
is no longer the published one was made from an older translation: left as it was (its
English still that older one, not newly approved) it is stale and changes nothing; changed,
it is applied over machine output but refused as a conflict over a reviewed translation,
which is newer than the file, unless the import is forced. Files without versions (from
other tools) are applied as before.

History. Every reviewer's translation an import meets, applied, forced or refused, is kept
in the memory's review history with who made it (the file's reviewer if it names one, else
the importer's ``reviewer``, else the user), when, from which file and what it replaced, so a
refused correction is never lost either.

Safety. Files are untrusted: XML is parsed without DTDs, entity resolution or network, and an
entity reference contributes nothing to the text.
"""

from __future__ import annotations

import csv
import getpass
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from .errors import QantaraError
from .incremental import load_last_run, load_state, save_state, state_reviewed
from .lock import run_lock
from .memory import (
    APPLIED,
    FORCED,
    MEMORY_FILE,
    REFUSED,
    HistoryEntry,
    Reviewed,
    TranslationMemory,
    apply_fuzzy,
    apply_reviewed,
    normalize_segment,
    english_digest,
    reviewed_digest,
    reviewed_version,
    translation_version,
    version_parts,
)
from .publish import load_corpus, publish_document, refresh_run_pages
from .publish.exchange import restore_cell, stem_from_source_name
from .publish.records import load_document, published_folders
from .types import Document, Flag, Origin, Segment

APPROVED_STATES = frozenset({"final", "signed-off"})
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class ReviewFileError(QantaraError):
    def __init__(self, path: Path, problem: str):
        self.path = path
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class ReviewUnit:
    """One translation unit read from a reviewer's file."""

    document: str | None
    id: str | None
    arabic: str
    english: str
    approved: bool = False
    version: str | None = None  # of the translation the file was made from
    reviewer: str | None = None  # who the file says made it


@dataclass(frozen=True)
class AppliedReview:
    document: str
    segment_id: str
    arabic: str
    english: str
    previous: str = ""  # the English published before
    forced: bool = False  # over a newer reviewed translation
    unit: ReviewUnit | None = None


@dataclass(frozen=True)
class ReviewProblem:
    document: str | None
    segment_id: str | None
    arabic: str
    reason: str
    english: str = ""  # the reviewer's translation, kept in the history
    unit: ReviewUnit | None = None


@dataclass(frozen=True)
class ReviewReport:
    file: Path
    units: int
    applied: tuple[AppliedReview, ...]
    unchanged: int
    unmatched: tuple[ReviewProblem, ...]
    conflicts: tuple[ReviewProblem, ...]
    updated_documents: tuple[str, ...]  # documents re-published with the corrections
    filled: int  # published segments now showing a reviewed translation (identical Arabic included)


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def element_text(element) -> str:
    """The text of an element and its descendants; entity references contribute nothing."""
    if element is None:
        return ""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(element_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _parse_xml(path: Path):
    try:
        return etree.parse(str(path), _safe_parser()).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        raise ReviewFileError(path, f"not well-formed XML: {exc}") from exc


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def read_xliff(path: Path) -> list[ReviewUnit]:
    root = _parse_xml(path)
    if _local(root.tag) != "xliff":
        raise ReviewFileError(path, "not an XLIFF file (root element is not <xliff>)")
    units = []
    for file_node in root.iter("{*}file", "file"):
        original = file_node.get("original")
        document = stem_from_source_name(Path(original).name) if original and original != "NoName" else None
        # XLIFF 1.2 names who worked on a file in its header's phases; the last one is the latest.
        contacts = [p.get("contact-name") for p in file_node.iter("{*}phase", "phase") if p.get("contact-name")]
        for unit in file_node.iter("{*}trans-unit", "trans-unit"):
            source = next(unit.iter("{*}source", "source"), None)
            target = next(unit.iter("{*}target", "target"), None)
            state = target.get("state", "") if target is not None else ""
            extra = unit.get("extradata", "")
            doc = document or (extra.partition("#")[0] if "#" in extra else None)
            notes = (element_text(n).strip() for n in unit.iter("{*}note", "note") if n.get("from") == "qantara")
            units.append(ReviewUnit(
                document=doc,
                id=unit.get("id") or None,
                arabic=element_text(source).strip(),
                english=element_text(target).strip(),
                approved=state in APPROVED_STATES or unit.get("approved") == "yes",
                version=next((n.partition(":")[2].strip() for n in notes if n.startswith("version:")), None),
                reviewer=contacts[-1] if contacts else None,
            ))
    return units


def read_tmx(path: Path) -> list[ReviewUnit]:
    root = _parse_xml(path)
    if _local(root.tag) != "tmx":
        raise ReviewFileError(path, "not a TMX file (root element is not <tmx>)")
    fallback = stem_from_source_name(path.name)
    units = []
    for tu in root.iter("tu", "{*}tu"):
        props = {p.get("type"): element_text(p).strip() for p in tu.iter("prop", "{*}prop")}
        texts: dict[str, str] = {}
        for tuv in tu.iter("tuv", "{*}tuv"):
            lang = (tuv.get(_XML_LANG) or tuv.get("lang") or "").lower()
            seg = next(tuv.iter("seg", "{*}seg"), None)
            texts.setdefault(lang.split("-")[0], element_text(seg).strip())
        if "ar" not in texts:
            continue
        units.append(ReviewUnit(props.get("x-document") or fallback, tu.get("tuid") or None, texts["ar"],
                                texts.get("en", ""), version=props.get("x-version") or None,
                                reviewer=tu.get("changeid") or None))
    return units


def read_tsv(path: Path) -> list[ReviewUnit]:
    fallback = stem_from_source_name(path.name)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReviewFileError(path, f"cannot read TSV: {exc}") from exc
    if rows and not {"arabic", "english"} <= set(rows[0]):
        raise ReviewFileError(path, "TSV needs a header row with at least 'arabic' and 'english' columns")
    def cell(row: dict, column: str) -> str:
        return restore_cell(row.get(column) or "").strip()

    return [
        ReviewUnit(
            document=cell(row, "document") or fallback,
            id=cell(row, "id") or None,
            arabic=cell(row, "arabic"),
            english=cell(row, "english"),
            approved=cell(row, "origin") == Origin.REVIEWED,
            version=cell(row, "version") or None,
            reviewer=cell(row, "reviewer") or None,
        )
        for row in rows
    ]


def read_review_file(path: Path) -> list[ReviewUnit]:
    suffix = path.suffix.lower()
    if suffix in (".xlf", ".xliff"):
        return read_xliff(path)
    if suffix == ".tmx":
        return read_tmx(path)
    if suffix in (".tsv", ".tab"):
        return read_tsv(path)
    raise ReviewFileError(path, f"unsupported review file {suffix or '(no suffix)'!r}; use .xlf, .xliff, .tmx or .tsv")


def _match(units: list[ReviewUnit], corpus: dict[str, Document], force: bool = False):
    by_id = {(stem, s.id): s for stem, doc in corpus.items() for s in doc.segments}
    by_text: dict[str, list[tuple[str, Segment]]] = {}
    for stem, doc in corpus.items():
        for seg in doc.segments:
            if seg.language == "ar":
                by_text.setdefault(normalize_segment(seg.arabic), []).append((stem, seg))
    candidates: list[AppliedReview] = []
    unchanged, unmatched, conflicts = 0, [], []
    for unit in units:
        key = normalize_segment(unit.arabic)
        item = by_id.get((unit.document, unit.id)) if unit.id else None
        stem = unit.document
        if item is not None and key and normalize_segment(item.arabic) != key:
            conflicts.append(ReviewProblem(unit.document, unit.id, unit.arabic,
                                           "source differs from the published Arabic", unit.english, unit))
            continue
        if item is None and key in by_text:
            stem, item = by_text[key][0]
        if item is None:
            unmatched.append(ReviewProblem(unit.document, unit.id, unit.arabic,
                                           "no published segment has this id or text", unit.english, unit))
            continue
        if item.language != "ar" or not unit.english:
            unchanged += 1
            continue
        if Flag.GARBLED in item.flags:
            # Its Arabic is a wrong font's letters: no key a memory should keep.
            conflicts.append(ReviewProblem(unit.document, unit.id, unit.arabic,
                                           "the Arabic is flagged garbled; fix the source text, the memory keeps no translation of it",
                                           unit.english, unit))
            continue
        newly_approved = unit.approved and item.origin != Origin.REVIEWED
        if unit.english == item.english.strip() and not newly_approved:
            unchanged += 1
            continue
        current = translation_version(item.english, item.origin)
        forced = False
        if unit.version and unit.version != current:  # made from an older translation
            base_origin, base_digest = version_parts(unit.version)
            touched = english_digest(unit.english) != base_digest or (unit.approved and base_origin != Origin.REVIEWED)
            if not touched:
                unchanged += 1
                continue
            if item.origin == Origin.REVIEWED:
                if not force:
                    conflicts.append(ReviewProblem(
                        stem, item.id, item.arabic,
                        f"a newer reviewed translation is published ({current}; this file was made from "
                        f"{unit.version}): {item.english.strip()}", unit.english, unit))
                    continue
                forced = True
        candidates.append(AppliedReview(stem, item.id, item.arabic, unit.english, item.english.strip(), forced, unit))
    return candidates, unchanged, unmatched, conflicts


def _resolve_conflicts(candidates: list[AppliedReview]):
    by_key: dict[str, list[AppliedReview]] = {}
    for c in candidates:
        by_key.setdefault(normalize_segment(c.arabic), []).append(c)
    applied, conflicts = [], []
    for group in by_key.values():
        if len({c.english for c in group}) > 1:
            englishes = " | ".join(dict.fromkeys(c.english for c in group))
            conflicts.extend(ReviewProblem(c.document, c.segment_id, c.arabic,
                                           f"same Arabic given different translations: {englishes}", c.english, c.unit)
                             for c in group)
        else:
            applied.append(group[0])
    return applied, conflicts


def _settle_state(output_dir: Path, documents: list[Document], reviewed: dict[str, Reviewed], before: str,
                  after: str) -> None:
    """Record in the run state that ``documents`` are published with the memory's reviewed
    translations as they now are. Only when the state agreed with the memory before the
    import: otherwise the next run works each document's part out again anyway."""
    if state_reviewed(output_dir) != before:
        return
    state = load_state(output_dir)
    for document in documents:
        entry = state.get(document.path.name)
        if entry is None or entry.fingerprint.stem != document.stem:
            continue
        arabic = {s.arabic for s in document.segments if s.language == "ar"}
        digest = reviewed_digest({text: r for text, r in reviewed.items() if text in arabic})
        state[document.path.name] = replace(entry, fingerprint=replace(entry.fingerprint, reviewed=digest))
    save_state(output_dir, state, load_last_run(output_dir), reviewed=after)


def _history(path: Path, applied: list[AppliedReview], refused: list[ReviewProblem],
             reviewer: str | None) -> list[HistoryEntry]:
    def who(unit: ReviewUnit | None) -> str | None:
        return (unit.reviewer if unit is not None else None) or reviewer

    source = str(path.resolve())
    return [HistoryEntry(a.arabic, a.document, a.segment_id, a.previous, a.english, FORCED if a.forced else APPLIED,
                         None, who(a.unit), source, a.unit.version if a.unit else None, "") for a in applied] + [
        HistoryEntry(p.arabic, p.document, p.segment_id, None, p.english, REFUSED, p.reason, who(p.unit), source,
                     p.unit.version if p.unit else None, "") for p in refused if p.english]


def _user() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        return None


def import_review(path: Path, output_dir: Path, *, lock_wait: float = 0.0, force: bool = False,
                  reviewer: str | None = None) -> ReviewReport:
    """Read an edited XLIFF/TMX/TSV, store its reviewed translations, re-publish what they touch.

    It writes the output folder as a run does, so it holds the folder's lock (waiting up to
    ``lock_wait`` seconds for a run to finish), and it brings the run state up to date: the
    next run finds the re-published documents as they should be and makes nothing again.

    ``force`` applies translations made from an older version over newer reviewed ones;
    ``reviewer`` names who made the file's translations where the file does not (default: the user).
    """
    path, output_dir = Path(path), Path(output_dir)
    units = read_review_file(path)
    with run_lock(output_dir, wait=lock_wait):
        corpus = {b.stem: b for b in load_corpus(output_dir)}
        candidates, unchanged, unmatched, conflicts = _match(units, corpus, force)
        applied, text_conflicts = _resolve_conflicts(candidates)
        conflicts += text_conflicts
        updated, filled = [], 0
        history = _history(path, applied, conflicts + unmatched, reviewer or _user())
        memory_file = output_dir / MEMORY_FILE
        if applied:
            before = reviewed_version(memory_file)
            with TranslationMemory(memory_file) as memory:
                memory.store_reviewed(((a.arabic, a.english, a.document, a.segment_id) for a in applied), history)
                reviewed = memory.reviewed(s.arabic for doc in corpus.values() for s in doc.segments)
                # A new reviewed sentence is also a fuzzy hint for similar segments elsewhere,
                # as the next run would give them.
                fuzzy = memory.fuzzy(s.arabic for doc in corpus.values() for s in doc.segments
                                     if s.language == "ar" and s.arabic not in reviewed)
            for stem, doc in corpus.items():
                new = apply_fuzzy(apply_reviewed(doc, reviewed), fuzzy)
                if new != doc:
                    publish_document(new, output_dir)
                    corpus[stem] = new
                    updated.append(stem)
                    filled += sum(a.translation != b.translation for a, b in zip(doc.segments, new.segments))
            _settle_state(output_dir, [corpus[stem] for stem in updated], reviewed, before,
                          reviewed_version(memory_file))
        elif history:
            with TranslationMemory(memory_file) as memory:
                memory.store_reviewed((), history)
        if updated:
            refresh_run_pages(output_dir, tuple(corpus.values()))
    return ReviewReport(
        file=path,
        units=len(units),
        applied=tuple(applied),
        unchanged=unchanged,
        unmatched=tuple(unmatched),
        conflicts=tuple(conflicts),
        updated_documents=tuple(updated),
        filled=filled,
    )


def review_history(output_dir: Path, document: str | None = None, segment_id: str | None = None) -> list[HistoryEntry]:
    """The review history kept in ``output_dir``'s memory, oldest first. With ``document`` (and
    ``segment_id``): the rows of that document (segment) and those of the same Arabic made on
    other documents, since a reviewed translation fills identical segments everywhere."""
    memory_file = Path(output_dir) / MEMORY_FILE
    if not memory_file.is_file():
        return []
    arabic = None
    if document is not None:
        folder = Path(output_dir) / document
        segments = load_document(folder).segments if folder in published_folders(Path(output_dir)) else ()
        arabic = [s.arabic for s in segments if segment_id is None or s.id == segment_id]
    with TranslationMemory(memory_file) as memory:
        return memory.history(arabic, document, segment_id)
