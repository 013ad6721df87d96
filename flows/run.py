"""The main job: every document in the input folder to aligned Arabic–English outputs.

Per document, in a worker process stopped at the document's time, CPU and memory limits
(:func:`qantara.pipeline.prepare_bounded`): extract → repair → segments (with glossary names);
then one translation task for the whole run (so CTranslate2 batches across documents and its
threads are the only heavy ones), then publish. A document that fails is recorded with its reason and never stops
the others.

Runs are incremental (:mod:`qantara.incremental`): a document whose fingerprint matches its
last publication is reported ``skipped`` and its outputs are left alone. One run at a time
writes an output folder (:mod:`qantara.lock`).

Retries: only ``prepare-document`` retries, and only on OSErrors a network share can throw
and then recover from (EIO, ESTALE, timeouts). A file that is gone (ENOENT) is not retried:
it was deleted or moved while the run went on, so the run reports it and the next run takes
it up again if it is back. Everything else is deterministic (bad bytes, offline
translation), so a retry would only fail again more slowly.
"""

from __future__ import annotations

import errno
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from qantara import config
from qantara.doctor import run_notes
from qantara.errors import ModelNotInstalled, QantaraError
from qantara.glossary import load_glossary
from qantara.incremental import (
    Fingerprint,
    Published,
    change_reason,
    code_version,
    content_hash,
    load_state,
    record_published,
    reviewed_version,
    save_state,
    settings_version,
)
from qantara.links import link_refusal
from qantara.lock import remove_stale_temporaries, run_lock
from qantara.memory import MEMORY_FILE, MemoryTranslator, TranslationMemory
from qantara.models import find_package
from qantara.pipeline import (
    SUPPORTED_SUFFIXES,
    PreparedDocument,
    assign_stems,
    build_bitext,
    discover_documents,
    prepare_bounded,
    translate_documents,
)
from qantara.publish import publish_document, publish_run
from qantara.signature import build_signature
from qantara.glossary.suggest import Sentence, suggest_names
from qantara.translate import CTranslate2Translator, decoding_signature, model_signature
from qantara.types import DocumentReport, RunSummary

SUMMARY_ARTIFACT = "qantara-run-summary"
DOCUMENTS_ARTIFACT = "qantara-documents"
# Each prepare thread waits on its document's worker process (qantara.bounded); a few at a
# time keep the cores busy without competing with CTranslate2, which runs alone after every
# document is prepared.
PREPARE_WORKERS = max(1, min(4, os.cpu_count() or 1))
_TRANSIENT_ERRNOS = frozenset({
    errno.EIO, errno.EAGAIN, errno.EBUSY, errno.ETIMEDOUT, errno.ESTALE, errno.ECONNRESET,
    errno.ECONNABORTED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ENETDOWN,
})


def is_transient(exc: BaseException) -> bool:
    """An error worth one more try: an I/O hiccup of a network share, not a missing or bad file."""
    return isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError) and exc.errno in _TRANSIENT_ERRNOS


def _retry_transient(task, task_run, state) -> bool:
    try:
        state.result()
    except BaseException as exc:  # the failed state re-raises the task's own exception
        return is_transient(exc)
    return False


# Task inputs hold glossaries and translators, which Prefect cannot hash; caching is keyed by
# content in qantara.incremental, so Prefect's input-hash cache is switched off.
prepare = task(
    prepare_bounded, name="prepare-document", cache_policy=NO_CACHE,
    retries=2, retry_delay_seconds=1, retry_condition_fn=_retry_transient,
)
publish = task(publish_document, name="publish-document", cache_policy=NO_CACHE)


@task(name="translate-run", cache_policy=NO_CACHE)
def translate_run(documents: list[PreparedDocument], translator, memory: TranslationMemory):
    reviewed = memory.reviewed(s.arabic for doc in documents for s in doc.segments)
    return translate_documents(documents, translator, reviewed)


@dataclass
class _Clock:
    """Seconds per stage, in the order the stages ran."""

    stages: dict[str, float] = field(default_factory=dict)
    _last: float = field(default_factory=time.perf_counter)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = round(self.stages.get(stage, 0.0) + now - self._last, 3)
        self._last = now


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _error_text(exc: BaseException, path: Path) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"{path}: file disappeared during the run (not retried; processed again once it is back)"
    text = str(exc) if isinstance(exc, QantaraError) else f"{type(exc).__name__}: {exc}"
    return text if path.name in text else f"{path}: {text}"


def _model(settings: config.Settings) -> tuple[object | None, str | None, str | None]:
    """The installed package, its name@version and its decoding signature, without loading it."""
    package = find_package(settings, settings.from_code, settings.to_code)
    return package, model_signature(package), decoding_signature(settings.resolved_compute_type(), settings)


def _suggestions_markdown(prepared: Sequence[PreparedDocument], translated, names) -> list[str]:
    sentences = [Sentence(i.segment.arabic, i.english) for items in translated for i in items
                 if i.segment.language == "ar"]
    found = suggest_names(sentences, names, None, limit=10) if sentences else []
    if not found:
        return []
    lines = ["", "## Glossary suggestions", "", "| arabic | english | count | why |", "|---|---|---|---|"]
    lines += [f"| {s.arabic} | {s.english} | {s.count} | {'; '.join(s.reasons)} |" for s in found]
    return lines


def _summary_markdown(summary: RunSummary, reasons: dict[str, str], stages: dict[str, float],
                      suggestions: list[str]) -> str:
    published = [d for d in summary.documents if d.status == "published"]
    lines = [
        f"# Qantara run {summary.started} → {summary.finished}",
        "",
        f"- documents: {len(summary.documents)} ({summary.count('published')} published, "
        f"{summary.count('skipped')} skipped, {summary.count('failed')} failed)",
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
    failed = [d for d in summary.documents if d.status == "failed"]
    if failed:
        lines += ["", "## Failed", "", *(f"- {d.file}: {d.error}" for d in failed)]
    if summary.notes:
        lines += ["", "## Notes", "", *(f"- {note}" for note in summary.notes)]
    return "\n".join(lines + suggestions) + "\n"


def _documents_table(summary: RunSummary, reasons: dict[str, str]) -> list[dict]:
    return [
        {
            "file": d.file, "stem": d.stem, "status": d.status,
            "reason": reasons.get(d.file) if d.status == "published" else d.error,
            "segments": d.segments, "translated": d.translated, "flagged": d.flagged,
            "glossary_hits": d.glossary_hits,
        }
        for d in summary.documents
    ]


@flow(name="qantara-run", log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=PREPARE_WORKERS))
def qantara_run(
    input_dir: str = "inputs",
    output_dir: str = "outputs",
    glossary_dir: str = "glossary",
    packages_dir: str | None = None,
    lock_wait: float = 0.0,
    force: bool = False,
    ocr: bool | None = None,
) -> RunSummary:
    """Publish every new or changed document.

    ``lock_wait``: seconds to wait for a run already writing ``output_dir`` before giving up
    with RunLocked; ``force``: remake every document; ``ocr``: read pages without a usable
    text layer with Tesseract (default: the ``ocr`` setting, on).
    """
    outputs = Path(output_dir)
    settings = config.load({"packages_dir": packages_dir, "ocr": ocr})
    with run_lock(outputs, wait=lock_wait):
        return _run(Path(input_dir), outputs, Path(glossary_dir), settings, force)


def _run(inputs: Path, outputs: Path, glossary_dir: Path, settings: config.Settings, force: bool) -> RunSummary:
    logger = get_run_logger()
    started = _now()
    clock = _Clock()
    for stale in remove_stale_temporaries(outputs):
        logger.warning("removed %s, left by an interrupted run", stale)
    names = load_glossary(glossary_dir) if glossary_dir.exists() else None
    notes: list[str] = []

    package, model, decoding = None, None, None
    try:
        package, model, decoding = _model(settings)
    except ModelNotInstalled as exc:
        notes.append(f"Segments are marked untranslated: {exc}")
        logger.warning(notes[-1])
    glossary = names.version if names is not None else "none"
    signature = build_signature(glossary=glossary, model=model, decoding=decoding)
    shared = dict(
        code=code_version(),
        glossary=glossary,
        model=f"{model}|{decoding}" if model else "none",
        settings=settings_version(settings),
        reviewed=reviewed_version(outputs / MEMORY_FILE),
    )
    state = load_state(outputs)
    paths = discover_documents(inputs)
    stems = assign_stems(paths)
    clock.lap("discover")

    reports: dict[Path, DocumentReport] = {}
    fingerprints: dict[Path, Fingerprint] = {}
    reasons: dict[str, str] = {}
    for path in paths:
        refusal = link_refusal(path, inputs, settings.follow_outside_links)
        if refusal is not None:
            reports[path] = DocumentReport(path.name, stems[path], "skipped", refusal)
            logger.warning(refusal)
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            reports[path] = DocumentReport(path.name, stems[path], "skipped", f"{path}: unsupported file type")
            continue
        try:
            fingerprint = Fingerprint(content=content_hash(path), stem=stems[path], **shared)
        except OSError as exc:
            reports[path] = DocumentReport(path.name, stems[path], "failed", _error_text(exc, path))
            logger.error("%s failed: %s", path.name, reports[path].error)
            continue
        previous = state.get(path.name)
        reason = "forced" if force else change_reason(fingerprint, previous, outputs)
        if reason is None:
            reports[path] = DocumentReport(
                path.name, stems[path], "skipped", f"unchanged since {previous.published}",
                previous.segments, previous.translated, previous.flagged, previous.glossary_hits,
            )
            continue
        fingerprints[path] = fingerprint
        reasons[path.name] = reason
        logger.info("%s: %s", path.name, reason)
    clock.lap("fingerprint")

    futures = {path: prepare.submit(path, stems[path], names, settings) for path in fingerprints}
    prepared: list[PreparedDocument] = []
    for path, future in futures.items():
        future.wait()
        if future.state.is_completed():
            prepared.append(future.result())
        else:
            exc = future.state.result(raise_on_failure=False)
            reports[path] = DocumentReport(path.name, stems[path], "failed", _error_text(exc, path))
            logger.error("%s failed: %s", path.name, reports[path].error)
    clock.lap("prepare")

    translator, translated, suggestions = None, [], []
    if prepared:
        # Loaded only when something is to be translated: an unchanged rerun never pays for it.
        translator = CTranslate2Translator.load(package, settings) if package is not None else None
        with TranslationMemory(outputs / MEMORY_FILE) as memory:
            engine = MemoryTranslator(translator, memory, translator.signature) if translator else None
            translated = translate_run(prepared, engine, memory)
        suggestions = _suggestions_markdown(prepared, translated, names)
    clock.lap("translate")

    for doc, items in zip(prepared, translated):
        try:
            publish(build_bitext(doc, items, signature), outputs)
        except Exception as exc:  # one document's publishing problem must not stop the others
            reports[doc.path] = DocumentReport(doc.path.name, doc.stem, "failed", _error_text(exc, doc.path))
            continue
        report = DocumentReport(
            doc.path.name,
            doc.stem,
            "published",
            segments=len(items),
            translated=sum(1 for i in items if i.origin == "machine"),
            flagged=sum(1 for i in items if i.flags or i.segment.flags),
            glossary_hits=sum(len(i.segment.glossary) for i in items),
        )
        reports[doc.path] = report
        state[doc.path.name] = Published(
            fingerprints[doc.path], _now(), report.segments, report.translated, report.flagged, report.glossary_hits
        )
        # After the document's last file: a crash before this remakes it.
        record_published(outputs, doc.path.name, state[doc.path.name])
    clock.lap("publish")
    notes += run_notes(prepared, reports.values())

    summary = RunSummary(
        documents=tuple(reports[p] for p in paths),
        model_calls=getattr(translator, "calls", 0),
        signature=signature,
        started=started,
        finished=_now(),
        model=model,
        notes=tuple(notes),
    )
    publish_run(summary, outputs)
    clock.lap("summary")
    current = {p.name for p in paths}
    save_state(outputs, {n: e for n, e in state.items() if n in current},
               {"started": started, "finished": summary.finished, "stages": clock.stages,
                "remade": len(prepared), "skipped": summary.count("skipped")})
    create_markdown_artifact(_summary_markdown(summary, reasons, clock.stages, suggestions),
                             key=SUMMARY_ARTIFACT, description="Qantara run summary")
    create_table_artifact(_documents_table(summary, reasons), key=DOCUMENTS_ARTIFACT,
                          description="Documents of the run and what happened to each")
    return summary


def configured(workers: int | None = None, dask_address: str | None = None, dask_workers: int | None = None):
    """``qantara_run`` with another task runner for the per-document work.

    ``workers`` sizes the thread pool; ``dask_address`` sends documents to a running Dask
    cluster (``tcp://host:8786``); ``dask_workers`` starts a local Dask cluster of that many
    single-threaded worker processes for the run. Translation stays in the flow's process.
    """
    if dask_address or dask_workers:
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return qantara_run.with_options(task_runner=DaskTaskRunner(address=dask_address))
        cluster = {"n_workers": dask_workers, "processes": True, "threads_per_worker": 1}
        return qantara_run.with_options(task_runner=DaskTaskRunner(cluster_kwargs=cluster))
    if workers:
        return qantara_run.with_options(task_runner=ThreadPoolTaskRunner(max_workers=workers))
    return qantara_run
