"""What a run published, and whether a document has to be made again.

A document is remade only when something that shapes its outputs changed: its bytes, its
output name, Qantara's code, the glossary, the model, the settings, the tools (PDF library, OCR
engine, lexicon), or the reviewed translations that apply to its segments. The parts come from
the run's signature (:mod:`qantara.signature`); remaking reuses every stage whose own inputs
did not change (:mod:`qantara.cache`). The fingerprints of the last publication live in
``OUTPUT/.qantara-state.json``, next to the outputs they describe, so a copied or shared
output folder carries its own state. An entry is written only after all of that document's
files are published: a crash between the two remakes the document, never skips a half one.

During a run each published document's entry is appended to a journal
(``.qantara-state.journal``, one JSON line, flushed to disk) instead of rewriting the whole
state, which made a run quadratic in the number of documents; the run's end folds the journal
into the state file. A journal left by a crash is read on top of the state; a line cut short
by the crash is ignored, so that document is remade.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from .fs import write_text_atomic
from .record import SEGMENTS_FILE

STATE_FILE = ".qantara-state.json"
JOURNAL_FILE = ".qantara-state.journal"
_STATE_FORMAT = 1
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Fingerprint:
    """Everything a document's outputs depend on, each part a short hash or version string."""

    content: str
    stem: str
    code: str
    glossary: str
    model: str
    settings: str
    reviewed: str  # the reviewed translations that apply to the document's segments
    tools: str = ""


# Reasons in the order they are checked: the first difference found is the one reported.
_REASONS = (
    ("content", "content changed"),
    ("stem", "output name changed"),
    ("code", "code changed"),
    ("glossary", "glossary changed"),
    ("model", "model changed"),
    ("settings", "settings changed"),
    ("tools", "tools changed (PDF library, OCR engine or lexicon)"),
    ("reviewed", "reviewed translations imported"),
)


@dataclass(frozen=True)
class Published:
    """The state entry of one input file: its fingerprint when last published, and its counts."""

    fingerprint: Fingerprint
    published: str  # ISO time the last of its files was written
    segments: int = 0
    translated: int = 0
    flagged: int = 0
    glossary_hits: int = 0
    read_key: str = ""  # its cached reading (qantara.cache), kept while this entry stands


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()[:32]


def outputs_present(output_dir: Path, stem: str) -> bool:
    # segments.jsonl is published last, so its presence says the document's other files are there.
    return (output_dir / stem / SEGMENTS_FILE).is_file()


def change_reason(fingerprint: Fingerprint, previous: Published | None, output_dir: Path) -> str | None:
    """Why the document must be remade, or None when its published outputs are still right."""
    if previous is None:
        return "new document"
    for name, reason in _REASONS:
        if getattr(fingerprint, name) != getattr(previous.fingerprint, name):
            return reason
    if not outputs_present(output_dir, fingerprint.stem):
        return "outputs missing"
    return None


def load_state(output_dir: Path) -> dict[str, Published]:
    """The published entries by input file name, the journal's over the state file's; an
    unreadable state means remake everything."""
    documents: dict[str, Published] = {}
    try:
        record = json.loads((output_dir / STATE_FILE).read_text("utf-8"))
        if record.get("format") == _STATE_FORMAT:
            documents = {name: _entry(entry) for name, entry in record["documents"].items()}
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    try:
        lines = (output_dir / JOURNAL_FILE).read_text("utf-8").splitlines()
    except OSError:
        return documents
    for line in lines:
        try:
            item = json.loads(line)
            documents[item["name"]] = _entry(item["entry"])
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by a crash: that document is remade
    return documents


def _entry(entry: dict) -> Published:
    return Published(**{**entry, "fingerprint": Fingerprint(**entry["fingerprint"])})


def record_published(output_dir: Path, name: str, entry: Published) -> None:
    """Append one document's entry to the journal, on disk before this returns."""
    line = json.dumps({"name": name, "entry": dataclasses.asdict(entry)}, ensure_ascii=False) + "\n"
    with open(output_dir / JOURNAL_FILE, "a", encoding="utf-8") as journal:
        journal.write(line)
        journal.flush()
        os.fsync(journal.fileno())


def save_state(output_dir: Path, documents: Mapping[str, Published], last_run: Mapping | None = None,
               reviewed: str | None = None) -> Path:
    """Write the whole state and drop the journal it now holds. ``reviewed``: the version of the
    memory's reviewed translations that every entry's ``reviewed`` part was taken from."""
    record = {
        "format": _STATE_FORMAT,
        "documents": {name: dataclasses.asdict(entry) for name, entry in sorted(documents.items())},
        "last_run": dict(last_run or {}),
        "reviewed": reviewed,
    }
    path = write_text_atomic(output_dir / STATE_FILE, json.dumps(record, ensure_ascii=False, indent=1) + "\n")
    (output_dir / JOURNAL_FILE).unlink(missing_ok=True)
    return path


def _state_record(output_dir: Path) -> dict:
    try:
        record = json.loads((output_dir / STATE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def load_last_run(output_dir: Path) -> dict:
    """What the last run recorded about itself (timings per stage, counts); {} when unknown."""
    return dict(_state_record(output_dir).get("last_run") or {})


def state_reviewed(output_dir: Path) -> str | None:
    """The memory's reviewed-translations version the state's entries agree with; None when
    unknown (each document's part must then be worked out again)."""
    return _state_record(output_dir).get("reviewed")
