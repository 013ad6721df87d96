"""A run driven in-process, one stage after another, without Prefect: what flows/run.py does,
for tests of the run's decisions (what is made again, what is cached) that need no server."""

from __future__ import annotations

from pathlib import Path

from qantara.config import Settings
from qantara.lock import run_lock
from qantara.pipeline import prepare_document
from qantara.publish import publish_document
from qantara.run import plan_run, recorded, start
from qantara.types import RunSummary


def run_inline(inputs: Path, outputs: Path, glossary: Path, settings: Settings | None = None,
               force: bool = False) -> RunSummary:
    settings = settings or Settings()
    with run_lock(outputs):
        run = plan_run(inputs, outputs, glossary, settings, force=force)
        start(run)
        with recorded(run):
            prepared = []
            for item in run.todo:
                try:
                    prepared.append(prepare_document(item.path, item.stem, run.names, settings=settings, cache=run.cache,
                                                     force=run.force))
                except Exception as exc:  # as the flow: one failure never stops the others
                    run.failed(item.path, exc)
            for document in run.translate(prepared):
                publish_document(document, outputs)
                run.published(document)
            return run.finish()
