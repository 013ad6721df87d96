"""Publishing: every file a run leaves under the output folder, each written atomically."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from ..types import Bitext, RunSummary
from .atomic import write_text_atomic
from .html import render_document_html, render_index_html
from .records import render_repairs_jsonl, render_segments_jsonl
from .text import render_arabic_text, render_english_text


def publish_document(bitext: Bitext, output_dir: Path) -> tuple[Path, ...]:
    """Write ``OUTPUT/<stem>/``: Arabic and English text, segments, repairs and the review page."""
    folder = output_dir / bitext.stem
    stem = bitext.stem
    # segments.jsonl goes last: it is the canonical record, and its presence says the rest is there.
    return (
        write_text_atomic(folder / f"{stem}.ar.txt", render_arabic_text(bitext)),
        write_text_atomic(folder / f"{stem}.en.txt", render_english_text(bitext)),
        write_text_atomic(folder / "repairs.jsonl", render_repairs_jsonl(bitext)),
        write_text_atomic(folder / f"{stem}.html", render_document_html(bitext)),
        write_text_atomic(folder / "segments.jsonl", render_segments_jsonl(bitext)),
    )


def summary_record(summary: RunSummary) -> dict:
    return {
        "started": summary.started,
        "finished": summary.finished,
        "signature": summary.signature,
        "model": summary.model,
        "model_calls": summary.model_calls,
        "counts": {
            "total": len(summary.documents),
            "published": summary.count("published"),
            "skipped": summary.count("skipped"),
            "failed": summary.count("failed"),
        },
        "notes": list(summary.notes),
        "documents": [dataclasses.asdict(doc) for doc in summary.documents],
    }


def publish_run(summary: RunSummary, output_dir: Path) -> tuple[Path, ...]:
    return (
        write_text_atomic(output_dir / "index.html", render_index_html(summary)),
        write_text_atomic(
            output_dir / "run-summary.json",
            json.dumps(summary_record(summary), ensure_ascii=False, indent=2) + "\n",
        ),
    )
