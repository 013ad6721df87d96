"""What a run published, and whether a document has to be made again.

A document is remade only when something that shapes its outputs changed: its bytes, its
output name, the code of the stages, the glossary, the model, the settings, or the reviewed
translations in the memory. The fingerprints of the last publication live in
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
import sqlite3
from dataclasses import dataclass, fields
from importlib import metadata
from pathlib import Path
from typing import Mapping

from .config import RESOURCE_LIMITS, Settings
from .fs import write_text_atomic

STATE_FILE = ".qantara-state.json"
JOURNAL_FILE = ".qantara-state.journal"
_STATE_FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent
# The code whose change changes published text; the CLI, the memory or this module do not.
_CODE_PARTS = ("arabic", "layout", "extraction", "repair", "segment.py", "glossary", "pipeline.py",
               "translate.py", "publish", "data")
# Where files are, not what is in them.
_PATH_SETTINGS = frozenset({"input_dir", "output_dir", "glossary_dir", "packages_dir"})
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
    reviewed: str


# Reasons in the order they are checked: the first difference found is the one reported.
_REASONS = (
    ("content", "content changed"),
    ("stem", "output name changed"),
    ("code", "code changed"),
    ("glossary", "glossary changed"),
    ("model", "model changed"),
    ("settings", "settings changed"),
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


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()[:32]


def code_version() -> str:
    """Qantara's version plus a hash of the stage code and data files it runs with."""
    digest = hashlib.sha256()
    for part in _CODE_PARTS:
        root = _PACKAGE / part
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(_PACKAGE)).encode())
                digest.update(file.read_bytes())
    try:
        version = metadata.version("qantara")
    except metadata.PackageNotFoundError:
        version = "none"
    return f"{version}+{digest.hexdigest()[:12]}"


def settings_version(settings: Settings) -> str:
    """A hash of the settings that change outputs (folders and resource limits are left out)."""
    values = {f.name: str(getattr(settings, f.name)) for f in fields(settings)
              if f.name not in _PATH_SETTINGS and f.name not in RESOURCE_LIMITS}
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:12]


def reviewed_version(memory_file: Path) -> str:
    """Count, last update and total length of the memory's reviewed translations.

    An import of reviewed translations changes it, so every document is republished from the
    memory (without model calls). Read-only: a missing memory or table is "none".
    """
    if not memory_file.is_file():
        return "none"
    try:
        with sqlite3.connect(f"file:{memory_file}?mode=ro", uri=True, timeout=30) as db:
            count, updated, length = db.execute(
                "SELECT count(*), max(updated), total(length(english)) FROM reviewed"
            ).fetchone()
    except sqlite3.OperationalError:
        return "none"
    return f"{count}:{updated}:{int(length)}" if count else "none"


def outputs_present(output_dir: Path, stem: str) -> bool:
    # segments.jsonl is published last, so its presence says the document's other files are there.
    return (output_dir / stem / "segments.jsonl").is_file()


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


def save_state(output_dir: Path, documents: Mapping[str, Published], last_run: Mapping | None = None) -> Path:
    """Write the whole state and drop the journal it now holds."""
    record = {
        "format": _STATE_FORMAT,
        "documents": {name: dataclasses.asdict(entry) for name, entry in sorted(documents.items())},
        "last_run": dict(last_run or {}),
    }
    path = write_text_atomic(output_dir / STATE_FILE, json.dumps(record, ensure_ascii=False, indent=1) + "\n")
    (output_dir / JOURNAL_FILE).unlink(missing_ok=True)
    return path


def load_last_run(output_dir: Path) -> dict:
    """What the last run recorded about itself (timings per stage, counts); {} when unknown."""
    try:
        return dict(json.loads((output_dir / STATE_FILE).read_text("utf-8")).get("last_run") or {})
    except (OSError, ValueError, AttributeError):
        return {}
