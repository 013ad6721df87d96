"""The machine-readable records of a document: segments.jsonl and repairs.jsonl."""

from __future__ import annotations

import json

from ..types import Bitext, RepairChange, TranslatedSegment


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


def _jsonl(rows) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def render_segments_jsonl(bitext: Bitext) -> str:
    return _jsonl(segment_record(bitext.stem, item) for item in bitext.segments)


def render_repairs_jsonl(bitext: Bitext) -> str:
    return _jsonl(repair_record(change) for change in bitext.changes)
