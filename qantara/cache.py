"""Stage results kept on disk, so that a run redoes only the stages whose inputs changed.

``OUTPUT/.qantara-cache/<stage>/<key>.json`` holds one document's record as that stage left it
(:mod:`qantara.record`). A key names everything the result depends on: for reading, the
file's content and name with the reading stage's code, settings and tools; for segmentation,
the reading key with the glossary's version and the segmentation code (the stage keys of
:class:`qantara.signature.Signature`). A result is therefore reused only while all of that is
the same, and a change anywhere in it misses the cache instead of serving stale text.

``OUTPUT/.qantara-cache/shape/<key>.json`` holds the Arabic lines of one document's PDF as
drawn (shaped, then in visual order), each under the paragraph text it was made from, keyed
by the document's folder name and what shaping depends on besides the text
(:func:`qantara.publish.pdf.shaping_version`): shaping is most of a PDF's drawing, and a
glossary edit or a review remakes the PDF with the same Arabic.
``OUTPUT/.qantara-cache/damage/<key>.json`` holds whether each name the last run would suggest
for the glossary looks like extraction damage (:mod:`qantara.glossary.damage`), keyed by that
code and wordfreq's version: judging one loads wordfreq's tables (a second or two).
Entries no document refers to any more are pruned at the end of a run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from . import record
from .fs import write_text_atomic
from .types import Document

CACHE_DIR = ".qantara-cache"


@dataclass(frozen=True)
class StageCache:
    folder: Path  # OUTPUT/.qantara-cache
    stages: dict[str, str] = field(default_factory=dict)  # stage -> the stage's signature key

    def key(self, stage: str, *parts: str) -> str:
        """The key of one document's result: the stage's key and the document's ``parts``."""
        return hashlib.sha256("\x00".join((self.stages[stage], *parts)).encode()).hexdigest()[:32]

    def read_key(self, content: str, name: str) -> str:
        """Where a file's reading is kept: by its content and name."""
        return self.key("read", content, name)

    def segment_key(self, read_key: str) -> str:
        """Where the segments of that reading are kept."""
        return self.key("segment", read_key)

    def shape_key(self, stem: str) -> str:
        """Where the Arabic lines of the PDF published as ``OUTPUT/<stem>/`` are kept."""
        return self.key("shape", stem)

    def _file(self, stage: str, key: str) -> Path:
        return self.folder / stage / f"{key}.json"

    def load(self, stage: str, key: str, path: Path) -> Document | None:
        """The stored result, moved to ``path`` (the same file may be reached by another route);
        None when there is none or it cannot be read."""
        try:
            return record.loads(self._file(stage, key).read_text("utf-8"), path)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, stage: str, key: str, document: Document) -> None:
        write_text_atomic(self._file(stage, key), record.dumps(document))

    def load_map(self, stage: str, key: str, valid: Callable[[object], bool]) -> dict[str, Any]:
        """Answers kept under ``key``, by their question; empty when there are none, they cannot
        be read, or one is not ``valid``."""
        try:
            kept = json.loads(self._file(stage, key).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return kept if isinstance(kept, dict) and all(map(valid, kept.values())) else {}

    def store_map(self, stage: str, key: str, answers: dict[str, Any]) -> None:
        write_text_atomic(self._file(stage, key), json.dumps(answers, ensure_ascii=False, separators=(",", ":")))

    def prune(self, keep: Iterable[tuple[str, str]]) -> list[Path]:
        """Delete every entry but the (stage, key) pairs in ``keep``; returns what went."""
        wanted = {self._file(stage, key) for stage, key in keep}
        gone = [p for p in self.folder.glob("*/*.json") if p not in wanted]
        for path in gone:
            path.unlink(missing_ok=True)
        return gone
