"""The machine-readable files of a document: the record itself (document.json) and its public
views, segments.jsonl and repairs.jsonl.

The record holds everything a document's published files are rendered from, so a review
import (or a run that skipped an unchanged document) can re-render them from disk without the
source document or a model. Folders published before the record existed are read from their
views.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import record
from ..trust import document_trust
from ..types import Document, Issue, Paragraph, RepairChange, Segment, SourceRef

SEGMENTS_FILE = record.SEGMENTS_FILE
REPAIRS_FILE = "repairs.jsonl"
DOCUMENT_FILE = "document.json"


def _jsonl(rows) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def render_segments_jsonl(doc: Document) -> str:
    trust = document_trust(doc)
    return _jsonl(record.segment_row(doc.stem, seg) | {"trust": trust[seg.id]} for seg in doc.segments)


def render_repairs_jsonl(doc: Document) -> str:
    return _jsonl(record.repair_row(change) for change in doc.changes)


def render_document_json(doc: Document) -> str:
    return record.dumps(doc)


def load_document(folder: Path) -> Document:
    """The document published in ``folder``, read back from its record."""
    meta_path = folder / DOCUMENT_FILE
    meta = json.loads(meta_path.read_text("utf-8")) if meta_path.is_file() else {}
    if record.is_record(meta):
        return record.document_from_json(meta)
    return _load_views(folder, meta)


def _load_views(folder: Path, meta: dict) -> Document:
    """A folder published before document.json held the whole record."""
    path = Path(meta.get("file") or f"{folder.name}.txt")
    segments = tuple(record.segment_from_row(r, path) for r in record.read_jsonl(folder / SEGMENTS_FILE))
    if meta.get("paragraphs"):
        paragraphs = tuple(Paragraph(p["index"], p["text"], p.get("language", "ar"), p.get("kind", "body"))
                           for p in meta["paragraphs"])
    else:  # published before document.json existed: paragraphs from the segments
        texts: dict[int, list[Segment]] = {}
        for seg in segments:
            texts.setdefault(seg.paragraph, []).append(seg)
        paragraphs = tuple(Paragraph(k, " ".join(s.arabic for s in v), v[0].language)
                           for k, v in sorted(texts.items()))
    return Document(
        path=path,
        stem=meta.get("stem") or folder.name,
        paragraphs=paragraphs,
        changes=tuple(RepairChange(**r) for r in record.read_jsonl(folder / REPAIRS_FILE)),
        issues=tuple(Issue(SourceRef(path), i["code"], i["message"]) for i in meta.get("issues", ())),
        segments=segments,
        signature=meta.get("signature", ""),
    )


def published_folders(output_dir: Path) -> list[Path]:
    """Every document folder under the output folder that holds a segments.jsonl, by name."""
    if not output_dir.is_dir():
        return []
    return sorted(p for p in output_dir.iterdir() if p.is_dir() and (p / SEGMENTS_FILE).is_file())
