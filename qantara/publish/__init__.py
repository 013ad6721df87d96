"""Publishing: every file a run leaves under the output folder, each written atomically.

Per document (``OUTPUT/<stem>/``): the Arabic and English texts, the records
(segments.jsonl, repairs.jsonl, document.json), TMX, XLIFF and TSV for translators' tools,
the review page and a printable PDF, and for a scanned input a searchable PDF
(:mod:`.searchable`). Per run: index.html, names.html, run-summary.json, glossary.tbx and an OmegaT project,
built from every document's records on disk, so documents an incremental run skipped are
still counted.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Iterable, Sequence

from ..cache import CACHE_DIR, StageCache
from ..incremental import JOURNAL_FILE, STATE_FILE
from ..lock import LOCK_FILE
from ..memory import MEMORY_FILE
from ..glossary.matcher import GlossaryEntry
from ..types import Document, DocumentReport, Issue, RunSummary, SourceRef, Status
from ..fs import write_bytes_atomic, write_text_atomic
from ..glossary.tbx import render_tbx
from .exchange import GLOSSARY_FILE, render_tmx, render_tsv, render_xliff
from .html import render_document_html, render_index_html, render_names_html
from .omegat import PROJECT_DIR, write_omegat_project
from .pdf import PdfFontMissing, arabic_paragraph_lines, render_pdf, shaping_version
from .searchable import SearchableUnavailable, layer_lines, render_searchable_pdf
from .records import (
    DOCUMENT_FILE,
    REPAIRS_FILE,
    SEGMENTS_FILE,
    load_document,
    published_folders,
    render_document_json,
    render_repairs_jsonl,
    render_segments_jsonl,
)
from .text import render_arabic_text, render_english_text


def download_names(stem: str) -> tuple[str, ...]:
    return (f"{stem}.tmx", f"{stem}.xlf", f"{stem}.tsv", f"{stem}.pdf", f"{stem}.searchable.pdf", f"{stem}.ar.txt",
            f"{stem}.en.txt", SEGMENTS_FILE)


def publish_document(document: Document, output_dir: Path) -> tuple[Path, ...]:
    """Write ``OUTPUT/<stem>/``: texts, records, TMX/XLIFF/TSV, review page and PDF, and for a
    scanned input its searchable PDF."""
    folder = output_dir / document.stem
    stem = document.stem
    try:
        pdf: bytes | None = render_pdf(document, _arabic_lines(document, output_dir))
    except PdfFontMissing as exc:
        pdf = None
        document = dataclasses.replace(
            document, issues=document.issues + (Issue(SourceRef(document.path), "pdf-skipped", str(exc)),)
        )
    searchable = folder / f"{stem}.searchable.pdf"
    layer: bytes | None = None
    lines = layer_lines(document)
    # A review import re-renders from the records: without the input file at hand the
    # searchable PDF already published stays as it is.
    if lines and document.path.is_file():
        try:
            layer = render_searchable_pdf(document.path, lines)
        except SearchableUnavailable as exc:
            document = dataclasses.replace(
                document, issues=document.issues + (Issue(SourceRef(document.path), "searchable-pdf-skipped", str(exc)),)
            )
    made = {f"{stem}.pdf": pdf is not None, searchable.name: layer is not None or searchable.is_file()}
    downloads = tuple(n for n in download_names(stem) if made.get(n, True))
    written = [
        write_text_atomic(folder / f"{stem}.ar.txt", render_arabic_text(document)),
        write_text_atomic(folder / f"{stem}.en.txt", render_english_text(document)),
        write_text_atomic(folder / REPAIRS_FILE, render_repairs_jsonl(document)),
        write_text_atomic(folder / DOCUMENT_FILE, render_document_json(document)),
        write_bytes_atomic(folder / f"{stem}.tmx", render_tmx(document)),
        write_bytes_atomic(folder / f"{stem}.xlf", render_xliff(document)),
        write_text_atomic(folder / f"{stem}.tsv", render_tsv(document)),
    ]
    if pdf is not None:
        written.append(write_bytes_atomic(folder / f"{stem}.pdf", pdf))
    if layer is not None and not (searchable.is_file() and searchable.read_bytes() == layer):
        written.append(write_bytes_atomic(searchable, layer))
    written.append(write_text_atomic(folder / f"{stem}.html", render_document_html(document, downloads)))
    # segments.jsonl goes last: it is the canonical record, and its presence says the rest is there.
    written.append(write_text_atomic(folder / SEGMENTS_FILE, render_segments_jsonl(document)))
    return tuple(written)


def _arabic_lines(document: Document, output_dir: Path) -> dict[str, list[str]]:
    """The PDF's Arabic lines, those of paragraphs drawn before taken from the stage cache;
    the cache then holds this document's lines, and no others."""
    cache = shape_cache(output_dir)
    key = cache.shape_key(document.stem)
    known = cache.load_map("shape", key, _are_lines)
    lines = arabic_paragraph_lines(document, known)
    if lines != known:
        cache.store_map("shape", key, lines)
    return lines


def _are_lines(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(line, str) for line in value)


def shape_cache(output_dir: Path) -> StageCache:
    """The stage cache of ``output_dir`` with the key of the PDF's Arabic lines."""
    return StageCache(output_dir / CACHE_DIR, {"shape": shaping_version()})


SUMMARY_FILE = "run-summary.json"
INDEX_FILE = "index.html"
NAMES_FILE = "names.html"
# Every name the run keeps at the top of the output folder (SQLite puts its journals beside
# the memory; benchmarks write there by default): no document's folder may take one
# (qantara.pipeline.assign_stems), whatever the case.
RUN_NAMES = (
    INDEX_FILE, NAMES_FILE, SUMMARY_FILE, MEMORY_FILE, *(f"{MEMORY_FILE}-{s}" for s in ("wal", "shm", "journal")),
    CACHE_DIR, STATE_FILE, JOURNAL_FILE, LOCK_FILE, GLOSSARY_FILE, PROJECT_DIR, "benchmarks",
)


def load_corpus(output_dir: Path, known: Iterable[Document] = ()) -> tuple[Document, ...]:
    """Every document published under ``output_dir``: those in ``known`` as they are, the
    others read back from their records."""
    have = {doc.stem: doc for doc in known}
    return tuple(have.get(folder.name) or load_document(folder) for folder in published_folders(output_dir))


def summary_record(summary: RunSummary) -> dict:
    return {
        "started": summary.started,
        "finished": summary.finished,
        "signature": summary.signature,
        "model": summary.model,
        "model_calls": summary.model_calls,
        "counts": {
            "total": len(summary.documents),
            **{status.value: summary.count(status) for status in Status},
        },
        "notes": list(summary.notes),
        "outcome": summary.outcome,
        "error": summary.error,
        "documents": [dataclasses.asdict(doc) for doc in summary.documents],
    }


def load_summary(output_dir: Path) -> RunSummary | None:
    """The last run's summary, read back from run-summary.json (None before any run)."""
    path = Path(output_dir) / SUMMARY_FILE
    if not path.is_file():
        return None
    record = json.loads(path.read_text(encoding="utf-8"))
    return RunSummary(
        documents=tuple(DocumentReport(**{**doc, "status": Status(doc["status"])}) for doc in record["documents"]),
        model_calls=record["model_calls"],
        signature=record["signature"],
        started=record["started"],
        finished=record["finished"] or "",
        model=record.get("model"),
        notes=tuple(record.get("notes", ())),
        outcome=record.get("outcome", "finished"),
        error=record.get("error"),
    )


def refresh_run_pages(output_dir: Path, corpus: tuple[Document, ...]) -> tuple[Path, ...]:
    """index.html, names.html and the OmegaT project redrawn over ``corpus``, what is published
    now (after reviewers' corrections were imported), with the last run's summary; nothing
    before any run."""
    summary = load_summary(output_dir)
    if summary is None:
        return ()
    return _run_pages(summary, output_dir, corpus) + write_omegat_project(output_dir, (d.stem for d in corpus))


def _run_pages(summary: RunSummary, output_dir: Path, corpus: tuple[Document, ...]) -> tuple[Path, ...]:
    return (
        write_text_atomic(output_dir / INDEX_FILE, render_index_html(summary, corpus)),
        write_text_atomic(output_dir / NAMES_FILE, render_names_html(corpus, summary.signature)),
    )


def publish_summary(summary: RunSummary, output_dir: Path) -> Path:
    """run-summary.json alone (a run under way or stopped: index.html is redrawn at its end)."""
    record = json.dumps(summary_record(summary), ensure_ascii=False, indent=2) + "\n"
    return write_text_atomic(output_dir / SUMMARY_FILE, record)


def publish_run(summary: RunSummary, output_dir: Path, published: Iterable[Document] = (),
                glossary: Sequence[GlossaryEntry] = ()) -> tuple[Path, ...]:
    """Write index.html, names.html and run-summary.json over everything published on disk
    (``published``: the documents this run wrote, which need no reading back), the glossary
    as TBX and the OmegaT project over them (:mod:`qantara.publish.omegat`)."""
    corpus = load_corpus(output_dir, published)
    tbx = render_tbx(glossary)
    glossary_file = output_dir / GLOSSARY_FILE
    if not glossary_file.is_file() or glossary_file.read_bytes() != tbx:  # an unchanged rerun touches nothing
        write_bytes_atomic(glossary_file, tbx)
    return _run_pages(summary, output_dir, corpus) + write_omegat_project(output_dir, (doc.stem for doc in corpus)) + (
        publish_summary(summary, output_dir),
    )
