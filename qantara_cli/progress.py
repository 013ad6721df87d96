"""Rich progress bars on stderr for the stages' reports (:mod:`qantara.progress`): one bar for
the run's documents, one per document while its pages are read by OCR."""

from __future__ import annotations

import threading

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn


class RichProgress:
    def __init__(self, console: Console):
        self._bars = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                              TimeElapsedColumn(), console=console, transient=True)
        self._documents: TaskID | None = None
        self._pages: dict[str, tuple[TaskID, int]] = {}  # task, pages still to read
        self._lock = threading.Lock()

    def __enter__(self) -> RichProgress:
        self._bars.start()
        return self

    def __exit__(self, *exc) -> None:
        self._bars.stop()

    def documents(self, total: int) -> None:
        with self._lock:
            self._documents = self._bars.add_task("documents", total=total)

    def document_done(self, name: str) -> None:
        with self._lock:
            if self._documents is not None:
                self._bars.advance(self._documents)

    def pages(self, name: str, total: int) -> None:
        with self._lock:
            self._pages[name] = (self._bars.add_task(f"OCR {escape(name)}", total=total), total)

    def page_done(self, name: str) -> None:
        with self._lock:
            if name not in self._pages:
                return
            task, left = self._pages[name]
            self._bars.advance(task)
            self._pages[name] = (task, left - 1)
            if left <= 1:  # the document's pages are all read: its bar goes
                self._bars.remove_task(self._pages.pop(name)[0])
