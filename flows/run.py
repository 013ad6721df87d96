"""The main job: every document in the input folder to aligned Arabic–English outputs.

Per document: extract → repair → segments (with glossary names), then one translation task
for the whole run (so CTranslate2 batches across documents), then publish. A document that
fails is recorded with its reason and never stops the others.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from qantara import config
from qantara.errors import ModelNotInstalled, QantaraError
from qantara.glossary import load_glossary
from qantara.memory import MemoryTranslator, TranslationMemory
from qantara.models import find_package
from qantara.pipeline import (
    SUPPORTED_SUFFIXES,
    PreparedDocument,
    assign_stems,
    build_bitext,
    discover_documents,
    prepare_document,
    translate_documents,
)
from qantara.publish import publish_document, publish_run
from qantara.signature import build_signature
from qantara.translate import CTranslate2Translator
from qantara.types import DocumentReport, RunSummary

MEMORY_FILE = "translation-memory.sqlite"

# Task inputs hold glossaries and translators, which Prefect cannot hash; caching is keyed by
# content elsewhere, so Prefect's input-hash cache is switched off.
prepare = task(prepare_document, name="prepare-document", cache_policy=NO_CACHE)
publish = task(publish_document, name="publish-document", cache_policy=NO_CACHE)


@task(name="translate-run", cache_policy=NO_CACHE)
def translate_run(documents: list[PreparedDocument], translator, memory: TranslationMemory):
    reviewed = memory.reviewed(s.arabic for doc in documents for s in doc.segments)
    return translate_documents(documents, translator, reviewed)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _error_text(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, QantaraError) else f"{type(exc).__name__}: {exc}"


@flow(name="qantara-run", log_prints=True)
def qantara_run(
    input_dir: str = "inputs",
    output_dir: str = "outputs",
    glossary_dir: str = "glossary",
    packages_dir: str | None = None,
) -> RunSummary:
    logger = get_run_logger()
    started = _now()
    settings = config.load({"packages_dir": packages_dir})
    inputs, outputs = Path(input_dir), Path(output_dir)
    names = load_glossary(Path(glossary_dir)) if Path(glossary_dir).exists() else None
    notes: list[str] = []

    translator, model = None, None
    try:
        package = find_package(settings, settings.from_code, settings.to_code)
        translator = CTranslate2Translator.load(package, settings)
        model = f"{package.name}@{package.version}"
    except ModelNotInstalled as exc:
        notes.append(f"Segments are marked untranslated: {exc}")
        logger.warning(notes[-1])

    paths = discover_documents(inputs)
    stems = assign_stems(paths)
    reports: dict[Path, DocumentReport] = {}
    states = {}
    for path in paths:
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            reports[path] = DocumentReport(path.name, stems[path], "skipped", f"{path}: unsupported file type")
            continue
        states[path] = prepare.submit(path, stems[path], names)

    prepared: list[PreparedDocument] = []
    for path, future in states.items():
        state = future.wait() or future.state
        if state.is_completed():
            prepared.append(future.result())
        else:
            exc = future.state.result(raise_on_failure=False)
            reports[path] = DocumentReport(path.name, stems[path], "failed", _error_text(exc))
            logger.error("%s failed: %s", path.name, reports[path].error)

    signature = build_signature(
        glossary=getattr(names, "version", "none"),
        model=model,
        decoding=getattr(translator, "decoding_signature", None),
    )
    with TranslationMemory(outputs / MEMORY_FILE) as memory:
        engine = MemoryTranslator(translator, memory, translator.signature) if translator else None
        translated = translate_run(prepared, engine, memory)
    for doc, items in zip(prepared, translated):
        try:
            publish(build_bitext(doc, items, signature), outputs)
        except Exception as exc:  # one document's publishing problem must not stop the others
            reports[doc.path] = DocumentReport(doc.path.name, doc.stem, "failed", _error_text(exc))
            continue
        reports[doc.path] = DocumentReport(
            doc.path.name,
            doc.stem,
            "published",
            segments=len(items),
            translated=sum(1 for i in items if i.origin == "machine"),
            flagged=sum(1 for i in items if i.flags or i.segment.flags),
            glossary_hits=sum(len(i.segment.glossary) for i in items),
        )

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
    return summary
