"""The main job as a Prefect flow: extract → transform → load over the input folder.

What to make, the books and the report are :mod:`qantara.run`'s; this file only puts the
stages into tasks. Each document is prepared (extract, repair, segment) in the task runner,
its reading in a worker process stopped at the document's time, CPU and memory limits
(:func:`qantara.pipeline.prepare_bounded`); all of them are translated in one task in the
flow's own process (CTranslate2 batches across documents, and its threads are the only heavy
ones), then each is published. A document that
fails is recorded with its reason and never stops the others; one run at a time writes an
output folder (:mod:`qantara.lock`).

Retries: only ``prepare-document``, and only on OSErrors a network share can throw and then
recover from (EIO, ESTALE, timeouts). A file that is gone (ENOENT) is not retried: it was
deleted or moved while the run went on, and the next run takes it up again if it is back.
Everything else is deterministic (bad bytes, offline translation): a retry would only fail
again more slowly.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from qantara import config
from qantara.lock import run_lock
from qantara.pipeline import prepare_bounded
from qantara.publish import publish_document
from qantara.run import Run, plan_run, recorded, start
from qantara.types import RunSummary

# Each prepare thread mostly waits on its document's worker process (qantara.bounded); a few
# at a time keep the cores busy without competing with CTranslate2, which runs alone after
# every document is prepared.
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


# Task inputs hold glossaries and records, which Prefect cannot hash; what is made again is
# decided by content in qantara.run, so Prefect's input-hash cache is off. Records and the
# run's books are passed quoted: Prefect would otherwise walk every line of every record
# looking for futures (seconds per run).
prepare = task(
    prepare_bounded, name="prepare-document", task_run_name="prepare {path.name}", cache_policy=NO_CACHE,
    retries=2, retry_delay_seconds=1, retry_condition_fn=_retry_transient,
)
publish = task(publish_document, name="publish-document", task_run_name="publish {document.path.name}",
               cache_policy=NO_CACHE)
translate = task(Run.translate, name="translate-run", cache_policy=NO_CACHE)


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
    logger = get_run_logger()
    settings = config.load({"packages_dir": packages_dir, "ocr": ocr})
    with run_lock(Path(output_dir), wait=lock_wait):
        run = plan_run(Path(input_dir), Path(output_dir), Path(glossary_dir), settings, force=force)
        for stale in start(run):
            logger.warning("removed %s, left by an interrupted run", stale)
        for note in run.notes:
            logger.info(note)
        for item in run.todo:
            logger.info("%s: %s", item.path.name, item.reason)

        with recorded(run):  # run-summary.json says the run is under way, or that it failed
            # Extract (and repair, and segment), one task per document.
            futures = {prepare.submit(item.path, item.stem, run.names, settings, cache=run.cache,
                                      force=run.force): item for item in run.todo}
            prepared = {}
            for future in as_completed(futures):
                item = futures[future]
                try:
                    prepared[item.path] = future.result()
                except Exception as exc:  # the task's own exception, after its retries
                    logger.error("%s failed: %s", item.path.name, run.failed(item.path, exc).error)
                run.document_done(item.path)
            run.clock.lap("prepare")

            # Transform: the whole run's segments in one translation.
            documents = translate(quote(run), quote([prepared[item.path] for item in run.todo if item.path in prepared]))
            run.clock.lap("translate")

            # Load: publish each document, then the run's pages and state.
            for document in documents:
                try:
                    publish(quote(document), run.outputs)
                except Exception as exc:  # one document's publishing problem must not stop the others
                    logger.error("%s failed: %s", document.path.name, run.failed(document.path, exc).error)
                    continue
                run.published(document)
            run.clock.lap("publish")
            summary = run.finish()
    create_markdown_artifact(run.markdown(summary), key="qantara-run-summary", description="Qantara run summary")
    create_table_artifact(run.table(summary), key="qantara-documents",
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
