"""A run over the input folder, without Prefect: what to make, the books kept while making it,
and the report at the end.

:func:`plan_run` decides before anything heavy starts: it lists the documents, fingerprints
each (:mod:`qantara.incremental`) and sorts them into the ones to make and the ones already
published as they are. A front end can stop there when nothing changed
(:attr:`Run.unchanged`); otherwise a driver (``flows/run.py``) prepares the documents
(:func:`qantara.pipeline.prepare_document`), hands them to :meth:`Run.translate`, publishes
each and tells the run (:meth:`Run.published`, :meth:`Run.failed`), then calls
:meth:`Run.finish`, which writes the run's pages and state. The driver owns concurrency,
retries and orchestration; this module owns everything the run decides and records.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

from . import bounded, progress
from .config import Settings
from .errors import ModelNotInstalled, OutputNotWritable, QantaraError
from .glossary import Glossary, load_glossary
from .cache import CACHE_DIR, StageCache
from .incremental import (
    Fingerprint,
    Published,
    change_reason,
    content_hash,
    load_state,
    record_published,
    save_state,
    state_reviewed,
)
from .doctor import run_notes
from .links import link_refusal
from .lock import remove_stale_temporaries
from .memory import (
    MEMORY_FILE,
    MemoryTranslator,
    Reviewed,
    TranslationMemory,
    apply_fuzzy,
    read_reviewed,
    reviewed_digest,
    reviewed_version,
)
from .models import InstalledPackage, find_package
from .extraction import SUPPORTED_SUFFIXES
from .pipeline import assign_stems, discover_documents, entry_refusal, translate_documents
from .glossary.damage import looks_damaged
from .glossary.suggest import segment_sentences, suggest_names
from .publish import RUN_NAMES, SUMMARY_FILE, publish_run, publish_summary, shape_cache
from .record import SEGMENTS_FILE, read_jsonl
from .signature import Signature, build_signature, settings_version
from .translate import CTranslate2Translator
from .types import Document, DocumentReport, Origin, RunSummary, Status

DAMAGE = "damage"  # the stage cache's verdicts on suggested names (qantara.cache)


@dataclass(frozen=True)
class Todo:
    """A document to make, and why."""

    path: Path
    stem: str
    fingerprint: Fingerprint
    reason: str
    read_key: str  # where its reading is cached


@dataclass
class Clock:
    """Seconds per stage, in the order the stages ran."""

    stages: dict[str, float] = field(default_factory=dict)
    _last: float = field(default_factory=time.perf_counter)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = round(self.stages.get(stage, 0.0) + now - self._last, 3)
        self._last = now


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def error_text(exc: BaseException, path: Path) -> str:
    """One line for a document that failed: the file, and what went wrong."""
    if isinstance(exc, FileNotFoundError):
        return f"{path}: file disappeared during the run (not retried; processed again once it is back)"
    if isinstance(exc, QantaraError):
        text = str(exc)
    elif isinstance(exc, OSError) and exc.strerror:
        text = f"{exc.strerror.lower()} ({exc.filename})" if exc.filename else exc.strerror.lower()
    else:
        text = f"{type(exc).__name__}: {exc}"
    return text if path.name in text else f"{path}: {text}"


def stop_reason(exc: BaseException, outputs: Path | None = None) -> str:
    """One line for a run that stopped before its end."""
    if not isinstance(exc, Exception):  # KeyboardInterrupt, Prefect's TerminationSignal, SystemExit
        return "interrupted (Ctrl-C or a termination signal)"
    if isinstance(exc, OSError):
        return str(OutputNotWritable(exc, outputs))
    return str(exc) if isinstance(exc, QantaraError) else f"{type(exc).__name__}: {exc}"


@dataclass
class Run:
    """One run's plan and books. Made by :func:`plan_run`."""

    inputs: Path
    outputs: Path
    settings: Settings
    started: str
    names: Glossary | None
    package: InstalledPackage | None
    signature: Signature
    cache: StageCache
    reviewed_version: str  # of the memory's reviewed translations, as planned
    paths: list[Path]  # every entry of the input folder, documents or not
    documents: set[str]  # the names of those that are documents (regular files of a supported type)
    todo: list[Todo]
    reports: dict[Path, DocumentReport]
    state: dict[str, Published]
    force: bool = False
    notes: list[str] = field(default_factory=list)
    clock: Clock = field(default_factory=Clock)
    model_calls: int = 0
    suggestions: list[str] = field(default_factory=list)
    prepared: list[Document] = field(default_factory=list)  # read and segmented by this run
    written: list[Document] = field(default_factory=list)  # published by this run
    reviewed: dict[str, Reviewed] = field(default_factory=dict)  # applied by this run, by Arabic

    @property
    def model(self) -> str | None:
        return self.signature.part("model") if self.package is not None else None

    @property
    def reasons(self) -> dict[str, str]:
        return {item.path.name: item.reason for item in self.todo}

    @property
    def unchanged(self) -> bool:
        """Nothing to make, nothing failed, and the documents are the ones last published:
        the outputs are right as they are."""
        return (
            not self.todo
            and not any(r.status == Status.FAILED for r in self.reports.values())
            and self.documents == set(self.state)
            and (self.outputs / SUMMARY_FILE).is_file()
        )

    def failed(self, path: Path, exc: BaseException) -> DocumentReport:
        report = DocumentReport(path.name, self._stem(path), Status.FAILED, error_text(exc, path))
        self.reports[path] = report
        return report

    def _stem(self, path: Path) -> str:
        return next(item.stem for item in self.todo if item.path == path)

    def document_done(self, path: Path) -> None:
        progress.current().document_done(path.name)

    def translate(self, documents: Sequence[Document]) -> list[Document]:
        """Every document's segments translated in one go (memory first, then the model),
        with the reviewed translations in place, ready to publish."""
        self.prepared = list(documents)
        if not documents:
            return []
        # Loaded only when something is to be translated: an unchanged rerun never pays for it.
        translator = CTranslate2Translator.load(self.package, self.settings) if self.package is not None else None
        with TranslationMemory(self.outputs / MEMORY_FILE) as memory:
            engine = MemoryTranslator(translator, memory, self.signature.translation) if translator else None
            self.reviewed = memory.reviewed(s.arabic for doc in documents for s in doc.segments)
            translated = translate_documents(documents, engine, self.reviewed)
            # Reviewed translations of similar segments: hints beside the translation, never it.
            fuzzy = memory.fuzzy(s.arabic for doc in translated for s in doc.segments
                                 if s.language == "ar" and s.origin != Origin.REVIEWED)
            translated = [apply_fuzzy(doc, fuzzy) for doc in translated]
        self.model_calls = getattr(translator, "calls", 0)
        self.suggestions = self._suggestions(translated)
        return [replace(doc, signature=str(self.signature)) for doc in translated]

    def _suggestions(self, documents: Sequence[Document]) -> list[str]:
        """The glossary suggestions of the run's summary, with the verdicts on names judged
        before (is it extraction damage?) from the stage cache: judging one loads wordfreq's
        tables, a second or two that a glossary edit's rerun would spend on a few names."""
        key = self.cache.key(DAMAGE)
        known = self.cache.load_map(DAMAGE, key, lambda verdict: verdict is None or isinstance(verdict, str))
        asked: dict[str, str | None] = {}

        def damaged(name: str) -> str | None:
            asked[name] = known[name] if name in known else looks_damaged(name)
            return asked[name]

        lines = suggestions_markdown(documents, self.names, damaged)
        if asked != known:
            self.cache.store_map(DAMAGE, key, asked)
        return lines

    def published(self, document: Document) -> DocumentReport:
        """Record one document whose files are all written (a crash before this remakes it)."""
        item = next(item for item in self.todo if item.path == document.path)
        segments = document.segments
        report = DocumentReport(
            document.path.name,
            document.stem,
            Status.PUBLISHED,
            segments=len(segments),
            translated=sum(1 for s in segments if s.origin == Origin.MACHINE),
            flagged=sum(1 for s in segments if s.all_flags),
            glossary_hits=sum(len(s.glossary) for s in segments),
        )
        self.reports[document.path] = report
        self.written.append(document)
        arabic = {s.arabic for s in segments if s.language == "ar"}
        fingerprint = replace(item.fingerprint, reviewed=reviewed_digest(
            {text: entry for text, entry in self.reviewed.items() if text in arabic}))
        entry = Published(fingerprint, now(), report.segments, report.translated, report.flagged,
                          report.glossary_hits, item.read_key)
        self.state[document.path.name] = entry
        record_published(self.outputs, document.path.name, entry)
        return report

    def summary(self) -> RunSummary:
        return RunSummary(
            documents=tuple(self.reports.get(p) or self._not_made(p) for p in self.paths),
            model_calls=self.model_calls,
            signature=str(self.signature),
            started=self.started,
            finished=now(),
            model=self.model,
            notes=tuple(self.notes),
        )

    def _publish_run(self, summary: RunSummary) -> None:
        publish_run(summary, self.outputs, self.written, self.names.entries if self.names is not None else ())

    def _not_made(self, path: Path) -> DocumentReport:
        return DocumentReport(path.name, self._stem(path), Status.FAILED, f"{path}: not made, the run did not finish")

    def begin(self) -> None:
        """Say in run-summary.json, before anything is made, that this run is under way, so that
        however it ends (a full disk, a kill) the summary never passes the last run off as this one."""
        publish_summary(replace(self.summary(), finished="", outcome="running"), self.outputs)

    def stopped(self, exc: BaseException) -> None:
        """Record that the run stopped before its end: run-summary.json and, where they can still
        be written, the run's pages say it failed and why (the documents it published stay).
        Interrupted, it stops every document's worker and starts no more, so that it ends now,
        not when the documents under way and queued are read."""
        if not isinstance(exc, Exception):
            bounded.stop_all()
        error = stop_reason(exc, self.outputs)
        self.notes.append(f"This run stopped before its end: {error}. "
                          f"Documents not listed as published were not made.")
        summary = replace(self.summary(), outcome="failed", error=error)
        try:
            self._publish_run(summary)
        except Exception:
            try:
                publish_summary(summary, self.outputs)
            except OSError:
                pass  # the "running" summary stands: it is still not the last run's

    def finish(self) -> RunSummary:
        """Write the run's pages (index, names, run-summary.json) and fold its state."""
        self.notes += run_notes(self.prepared, self.reports.values())
        summary = self.summary()
        self._publish_run(summary)
        self.clock.lap("summary")
        state = {n: e for n, e in self.state.items() if n in self.documents}
        save_state(self.outputs, state,
                   {"started": self.started, "finished": summary.finished, "stages": self.clock.stages,
                    "remade": len(self.written), "skipped": summary.count(Status.SKIPPED)},
                   reviewed=self.reviewed_version)
        shapes = shape_cache(self.outputs)
        self.cache.prune([(stage, key) for e in state.values() if e.read_key
                          for stage, key in (("read", e.read_key), ("segment", self.cache.segment_key(e.read_key)))]
                         + [("shape", shapes.shape_key(e.fingerprint.stem)) for e in state.values()]
                         + [(DAMAGE, self.cache.key(DAMAGE))])
        return summary

    def markdown(self, summary: RunSummary) -> str:
        return summary_markdown(summary, self.reasons, self.clock.stages, self.suggestions)

    def table(self, summary: RunSummary) -> list[dict]:
        return documents_table(summary, self.reasons)


def _published_arabic(outputs: Path, stem: str) -> list[str]:
    return [row["arabic"] for row in read_jsonl(outputs / stem / SEGMENTS_FILE) if row.get("language", "ar") == "ar"]


def plan_run(inputs: Path, outputs: Path, glossary_dir: Path, settings: Settings, *, force: bool = False) -> Run:
    """Sort the input folder's documents into the ones to make (with the reason) and the ones
    whose published outputs are still right. Reads, never writes; no model is loaded."""
    started = now()
    clock = Clock()
    names = load_glossary(glossary_dir) if glossary_dir.exists() else None
    notes: list[str] = []
    package = None
    try:
        package = find_package(settings, settings.from_code, settings.to_code)
    except ModelNotInstalled as exc:
        notes.append(f"Segments are marked untranslated: {exc}")
    signature = build_signature(settings, glossary=names.version if names is not None else "none", package=package)
    cache = StageCache(outputs / CACHE_DIR, signature.stages)
    memory_file = outputs / MEMORY_FILE
    reviewed = reviewed_version(memory_file)
    # Each entry's reviewed part holds while the memory's reviewed translations are the ones
    # the state was written with; otherwise it is worked out again from the published segments.
    settled = state_reviewed(outputs) == reviewed
    shared = dict(code=signature.part("qantara"), glossary=signature.part("glossary"),
                  model=signature.translation, settings=settings_version(settings), tools=signature.tools)
    state = load_state(outputs)
    paths = discover_documents(inputs)
    reports: dict[Path, DocumentReport] = {}
    documents = []
    for path in paths:
        refusal = entry_refusal(path) or link_refusal(path, inputs, settings.follow_outside_links)
        if refusal is None and path.suffix.lower() not in SUPPORTED_SUFFIXES:
            refusal = f"{path}: unsupported file type"
        if refusal is not None:
            reports[path] = DocumentReport(path.name, "", Status.SKIPPED, refusal)
        else:
            documents.append(path)
    stems = assign_stems(documents, {name: entry.fingerprint.stem for name, entry in state.items()}, RUN_NAMES)
    notes += stems.renamed.values()
    clock.lap("discover")
    todo: list[Todo] = []
    for path in documents:
        stem = stems.names[path]
        try:
            content = content_hash(path)
        except OSError as exc:
            reports[path] = DocumentReport(path.name, stem, Status.FAILED, error_text(exc, path))
            continue
        previous = state.get(path.name)
        fingerprint = Fingerprint(content=content, stem=stem, reviewed=previous.fingerprint.reviewed if previous
                                  else "none", **shared)
        reason = "forced" if force else change_reason(fingerprint, previous, outputs)
        if reason is None and not settled:
            arabic = _published_arabic(outputs, stem)
            fingerprint = replace(fingerprint, reviewed=reviewed_digest(read_reviewed(memory_file, arabic)))
            reason = change_reason(fingerprint, previous, outputs)
        if reason is None:
            reports[path] = DocumentReport(
                path.name, stem, Status.SKIPPED, f"unchanged since {previous.published}",
                previous.segments, previous.translated, previous.flagged, previous.glossary_hits,
            )
            continue
        todo.append(Todo(path, stem, fingerprint, reason, cache.read_key(content, path.name)))
    clock.lap("fingerprint")
    return Run(
        inputs=inputs, outputs=outputs, settings=settings, started=started, names=names, package=package,
        signature=signature, cache=cache, reviewed_version=reviewed, paths=paths,
        documents={p.name for p in documents}, todo=todo, reports=reports,
        state=state, force=force, notes=notes, clock=clock,
    )


@contextmanager
def recorded(run: Run):
    """The body of a run (hold the output folder's lock): run-summary.json says it is under
    way before anything is made, and that it failed if it ends with an exception, which goes
    on (an OSError as :class:`OutputNotWritable`, one line naming the folder)."""
    try:
        run.begin()
    except OSError as exc:  # nothing made yet: the last run's pages stay as they were
        raise OutputNotWritable(exc, run.outputs) from exc
    try:
        yield run
    except BaseException as exc:
        run.stopped(exc)
        if isinstance(exc, OSError):
            raise OutputNotWritable(exc, run.outputs) from exc
        raise


def start(run: Run) -> list[Path]:
    """Clear what an interrupted run left (call holding the output folder's lock); returns it."""
    progress.current().documents(len(run.todo))
    return remove_stale_temporaries(run.outputs)


# --- reports -------------------------------------------------------------------------------

def suggestions_markdown(documents: Sequence[Document], names: Glossary | None,
                         damaged: Callable[[str], str | None] = looks_damaged) -> list[str]:
    sentences = segment_sentences(s for doc in documents for s in doc.segments)
    found = suggest_names(sentences, names, None, limit=10, damaged=damaged) if sentences else []
    if not found:
        return []
    lines = ["", "## Glossary suggestions", "", "| arabic | english | count | why |", "|---|---|---|---|"]
    lines += [f"| {s.arabic} | {s.english} | {s.count} | {'; '.join(s.reasons)} |" for s in found]
    return lines


def summary_markdown(summary: RunSummary, reasons: dict[str, str], stages: dict[str, float],
                     suggestions: list[str]) -> str:
    published = [d for d in summary.documents if d.status == Status.PUBLISHED]
    lines = [
        f"# Qantara run {summary.started} → {summary.finished}",
        "",
        f"- documents: {len(summary.documents)} ({summary.count(Status.PUBLISHED)} published, "
        f"{summary.count(Status.SKIPPED)} skipped, {summary.count(Status.FAILED)} failed)",
        f"- segments published: {sum(d.segments for d in published)} "
        f"({sum(d.translated for d in published)} machine-translated, "
        f"{sum(d.flagged for d in published)} flagged, {sum(d.glossary_hits for d in published)} glossary names)",
        f"- model: {summary.model or 'none'}, model calls: {summary.model_calls}",
        f"- signature: `{summary.signature}`",
        "",
        "## Timings",
        "",
        "| stage | seconds |",
        "|---|---|",
        *(f"| {stage} | {seconds:.2f} |" for stage, seconds in stages.items()),
    ]
    if reasons:
        lines += ["", "## Remade", "", *(f"- {name}: {why}" for name, why in reasons.items())]
    failed = [d for d in summary.documents if d.status == Status.FAILED]
    if failed:
        lines += ["", "## Failed", "", *(f"- {d.file}: {d.error}" for d in failed)]
    if summary.notes:
        lines += ["", "## Notes", "", *(f"- {note}" for note in summary.notes)]
    return "\n".join(lines + suggestions) + "\n"


def documents_table(summary: RunSummary, reasons: dict[str, str]) -> list[dict]:
    return [
        {
            "file": d.file, "stem": d.stem, "status": d.status,
            "reason": reasons.get(d.file) if d.status == Status.PUBLISHED else d.error,
            "segments": d.segments, "translated": d.translated, "flagged": d.flagged,
            "glossary_hits": d.glossary_hits,
        }
        for d in summary.documents
    ]
