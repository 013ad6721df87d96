"""A document's record as JSON, and back, losing nothing.

One codec for every place a record is kept: ``document.json`` beside the published files, and
the stage cache (:mod:`qantara.cache`). Every source reference in a record points into the
record's own file, so references are written as page and line only and take the record's
path when read; a record read for another path (the same file reached by another route) is
moved to it whole.

Also here: the rows of ``segments.jsonl``, the public view of the segments for other tools,
and their one reader (older output folders have only that view).
"""

from __future__ import annotations

import json
from pathlib import Path

from .types import (
    Document,
    FuzzyMatch,
    GlossaryHit,
    Issue,
    Origin,
    Paragraph,
    RepairChange,
    Segment,
    SourceRef,
    TextLine,
    Translation,
)

FORMAT = 2
# The public view of a document's segments, one JSON row each (beside document.json).
SEGMENTS_FILE = "segments.jsonl"


def _ref(ref: SourceRef | None, path: Path) -> list | None:
    """[page, line], then the file when it is another, then the part when there is one."""
    if ref is None:
        return None
    other = str(ref.path) if ref.path != path else None
    return [ref.page, ref.line] + ([other] if other or ref.part else []) + ([ref.part] if ref.part else [])


def _unref(value: list | None, path: Path) -> SourceRef | None:
    if value is None:
        return None
    other = value[2] if len(value) > 2 else None
    return SourceRef(Path(other) if other else path, value[0], value[1], value[3] if len(value) > 3 else None)


def _line(line: TextLine, path: Path) -> dict:
    return {"text": line.text, "ref": _ref(line.ref, path), "bbox": list(line.bbox) if line.bbox else None,
            "size": line.size, "block": line.block, "direction": line.direction, "confidence": line.confidence}


def _unline(row: dict, path: Path) -> TextLine:
    return TextLine(row["text"], _unref(row["ref"], path), tuple(row["bbox"]) if row["bbox"] else None,
                    row["size"], row["block"], row["direction"], row["confidence"])


def _hit(hit: GlossaryHit) -> dict:
    return {"arabic": hit.arabic, "english": hit.english, "start": hit.start, "end": hit.end, "type": hit.type,
            "canonical_arabic": hit.canonical_arabic}


def _unhit(row: dict) -> GlossaryHit:
    return GlossaryHit(row["start"], row["end"], row["arabic"], row["english"], row.get("type", ""),
                       row.get("canonical_arabic", ""))


def _fuzzy(match: FuzzyMatch) -> dict:
    return {"arabic": match.arabic, "english": match.english, "quality": match.quality, "file": match.file,
            "segment_id": match.segment_id}


def document_to_json(doc: Document) -> dict:
    path = doc.path
    return {
        "format": FORMAT,
        "path": str(path),
        "file": path.name,
        "stem": doc.stem,
        "kind": doc.kind,
        "encoding": doc.encoding,
        "metadata": [list(pair) for pair in doc.metadata],
        "signature": doc.signature,
        "paragraphs": [
            {"index": p.index, "text": p.text, "language": p.language, "kind": p.kind, "ref": _ref(p.ref, path),
             "lines": [_line(line, path) for line in p.lines], "line_starts": list(p.line_starts),
             "flags": list(p.flags)}
            for p in doc.paragraphs
        ],
        "changes": [repair_row(c) for c in doc.changes],
        "issues": [{"ref": _ref(i.ref, path), "code": i.code, "message": i.message} for i in doc.issues],
        "segments": [
            {"id": s.id, "paragraph": s.paragraph, "arabic": s.arabic, "language": s.language,
             "glossary": [_hit(h) for h in s.glossary], "flags": list(s.flags), "ref": _ref(s.ref, path),
             "translation": None if s.translation is None else {
                 "english": s.translation.english, "origin": s.translation.origin,
                 "flags": list(s.translation.flags), "score": s.translation.score},
             "fuzzy": [_fuzzy(f) for f in s.fuzzy]}
            for s in doc.segments
        ],
    }


def document_from_json(record: dict, path: Path | None = None) -> Document:
    """The record back; with ``path``, moved to that file."""
    path = Path(record["path"]) if path is None else path
    return Document(
        path=path,
        stem=record["stem"],
        kind=record["kind"],
        encoding=record["encoding"],
        metadata=tuple(tuple(pair) for pair in record.get("metadata", ())),
        signature=record["signature"],
        paragraphs=tuple(
            Paragraph(p["index"], p["text"], p["language"], p["kind"], _unref(p["ref"], path),
                      tuple(_unline(line, path) for line in p["lines"]), tuple(p["line_starts"]),
                      tuple(p.get("flags", ())))
            for p in record["paragraphs"]
        ),
        changes=tuple(RepairChange(**c) for c in record["changes"]),
        issues=tuple(Issue(_unref(i["ref"], path), i["code"], i["message"]) for i in record["issues"]),
        segments=tuple(
            Segment(s["id"], s["paragraph"], s["arabic"], s["language"], tuple(_unhit(h) for h in s["glossary"]),
                    tuple(s["flags"]), _unref(s["ref"], path),
                    None if s["translation"] is None else Translation(
                        s["translation"]["english"], Origin(s["translation"]["origin"]),
                        tuple(s["translation"]["flags"]), s["translation"].get("score")),
                    tuple(FuzzyMatch(**f) for f in s.get("fuzzy", ())))
            for s in record["segments"]
        ),
    )


def dumps(doc: Document) -> str:
    return json.dumps(document_to_json(doc), ensure_ascii=False, separators=(",", ":")) + "\n"


def loads(text: str, path: Path | None = None) -> Document:
    return document_from_json(json.loads(text), path)


def is_record(record: dict) -> bool:
    """Whether a parsed document.json is a whole record (older ones hold only part of it)."""
    return record.get("format") == FORMAT


# --- segments.jsonl and repairs.jsonl: the public views ---------------------------------------

def segment_row(stem: str, seg: Segment) -> dict:
    return {
        "id": seg.id,
        "document": stem,
        "paragraph": seg.paragraph,
        "language": seg.language,
        "arabic": seg.arabic,
        "english": seg.english,
        "origin": seg.origin,
        "glossary": [
            {"arabic": h.arabic, "english": h.english, "start": h.start, "end": h.end, "type": h.type}
            for h in seg.glossary
        ],
        "flags": list(seg.all_flags),
        "page": seg.page,
        "score": seg.translation.score if seg.translation is not None else None,
        "fuzzy": [_fuzzy(f) for f in seg.fuzzy],
    }


def segment_from_row(row: dict, path: Path | None = None) -> Segment:
    """A segments.jsonl row as a segment (of the file at ``path``). The row merges the
    source's and the translation's flags; they come back on the translation."""
    translation = None
    if row.get("origin"):
        translation = Translation(row.get("english", ""), Origin(row["origin"]), tuple(row.get("flags", ())),
                                  row.get("score"))
    ref = SourceRef(path, row["page"]) if path is not None and row.get("page") is not None else None
    return Segment(row["id"], row.get("paragraph", 0), row["arabic"], row.get("language", "ar"),
                   tuple(_unhit(h) for h in row.get("glossary", ())), (), ref, translation)


def repair_row(change: RepairChange) -> dict:
    return {"kind": change.kind, "paragraph": change.paragraph, "start": change.start, "end": change.end,
            "before": change.before, "after": change.after}


def read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
