"""The machine-readable records of a document: segments.jsonl, repairs.jsonl and document.json.

Together they hold everything a document's published files are rendered from, so a review
import (or a later run that skipped an unchanged document) can re-render those files from disk
without the source document or a model.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..types import Bitext, GlossaryHit, Issue, Paragraph, RepairChange, Segment, SourceRef, TranslatedSegment

SEGMENTS_FILE = "segments.jsonl"
REPAIRS_FILE = "repairs.jsonl"
DOCUMENT_FILE = "document.json"


def segment_record(stem: str, item: TranslatedSegment) -> dict:
    seg = item.segment
    return {
        "id": seg.id,
        "document": stem,
        "paragraph": seg.paragraph,
        "language": seg.language,
        "arabic": seg.arabic,
        "english": item.english,
        "origin": item.origin,
        "glossary": [
            {"arabic": h.arabic, "english": h.english, "start": h.start, "end": h.end, "type": h.type}
            for h in seg.glossary
        ],
        "flags": list(dict.fromkeys(seg.flags + item.flags)),
    }


def repair_record(change: RepairChange) -> dict:
    return {
        "kind": change.kind,
        "paragraph": change.paragraph,
        "start": change.start,
        "end": change.end,
        "before": change.before,
        "after": change.after,
    }


def document_record(bitext: Bitext) -> dict:
    return {
        "stem": bitext.stem,
        "file": bitext.path.name,
        "signature": bitext.signature,
        "paragraphs": [{"index": p.index, "text": p.text, "language": p.language, "kind": p.kind}
                       for p in bitext.paragraphs],
        "issues": [{"ref": str(i.ref), "code": i.code, "message": i.message} for i in bitext.issues],
    }


def _jsonl(rows) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def render_segments_jsonl(bitext: Bitext) -> str:
    return _jsonl(segment_record(bitext.stem, item) for item in bitext.segments)


def render_repairs_jsonl(bitext: Bitext) -> str:
    return _jsonl(repair_record(change) for change in bitext.changes)


def render_document_json(bitext: Bitext) -> str:
    return json.dumps(document_record(bitext), ensure_ascii=False, indent=1) + "\n"


def read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def translated_segment(row: dict) -> TranslatedSegment:
    """A segments.jsonl row back as a TranslatedSegment (all flags on the translation)."""
    hits = tuple(GlossaryHit(h["start"], h["end"], h["arabic"], h["english"], h.get("type", ""))
                 for h in row.get("glossary", ()))
    seg = Segment(row["id"], row["paragraph"], row["arabic"], row.get("language", "ar"), hits)
    return TranslatedSegment(seg, row["english"], row["origin"], tuple(row.get("flags", ())))


def load_bitext(folder: Path) -> Bitext:
    """The published document in ``folder`` read back from its records."""
    rows = read_jsonl(folder / SEGMENTS_FILE)
    meta_path = folder / DOCUMENT_FILE
    meta = json.loads(meta_path.read_text("utf-8")) if meta_path.is_file() else {}
    segments = tuple(translated_segment(r) for r in rows)
    if meta.get("paragraphs"):
        paragraphs = tuple(Paragraph(p["index"], p["text"], p.get("language", "ar"), p.get("kind", "body"))
                           for p in meta["paragraphs"])
    else:  # published before document.json existed: paragraphs from the segments
        texts: dict[int, list[TranslatedSegment]] = {}
        for item in segments:
            texts.setdefault(item.segment.paragraph, []).append(item)
        paragraphs = tuple(Paragraph(k, " ".join(i.segment.arabic for i in v), v[0].segment.language)
                           for k, v in sorted(texts.items()))
    changes = tuple(RepairChange(**r) for r in read_jsonl(folder / REPAIRS_FILE))
    issues = tuple(Issue(SourceRef(Path(i["ref"])), i["code"], i["message"]) for i in meta.get("issues", ()))
    return Bitext(
        path=Path(meta.get("file") or f"{folder.name}.txt"),
        stem=meta.get("stem") or folder.name,
        paragraphs=paragraphs,
        segments=segments,
        changes=changes,
        issues=issues,
        signature=meta.get("signature", ""),
    )


def published_folders(output_dir: Path) -> list[Path]:
    """Every document folder under the output folder that holds a segments.jsonl, by name."""
    if not output_dir.is_dir():
        return []
    return sorted(p for p in output_dir.iterdir() if p.is_dir() and (p / SEGMENTS_FILE).is_file())
