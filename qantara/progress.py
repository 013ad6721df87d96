"""Word on long work: which documents are done, and which OCR pages of the one being read.

The stages report to a :class:`Progress`; they never draw anything. A front end (the CLI's
rich bars) installs its own with :func:`reporting` for the length of a command; otherwise
reports go nowhere. Reports may come from several threads at once (documents are prepared in
parallel), so a reporter must be thread-safe.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Protocol


class Progress(Protocol):
    def documents(self, total: int) -> None:
        """A run is about to prepare ``total`` documents."""

    def document_done(self, name: str) -> None:
        """One document of the run is prepared (or failed)."""

    def pages(self, name: str, total: int) -> None:
        """Document ``name`` has ``total`` pages to OCR."""

    def page_done(self, name: str) -> None:
        """One more of those pages is read."""


class Silent:
    """Reports that go nowhere: the default."""

    def documents(self, total: int) -> None:
        pass

    def document_done(self, name: str) -> None:
        pass

    def pages(self, name: str, total: int) -> None:
        pass

    def page_done(self, name: str) -> None:
        pass


_current: Progress = Silent()


def current() -> Progress:
    """The reporter installed by the front end, or a silent one."""
    return _current


@contextmanager
def reporting(progress: Progress) -> Iterator[Progress]:
    """Send the stages' reports to ``progress`` for the block (process-wide: the run's
    worker threads report to it too)."""
    global _current
    previous, _current = _current, progress
    try:
        yield progress
    finally:
        _current = previous
