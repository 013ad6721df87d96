"""Exceptions for problems that make it pointless to go on.

Each names the file (or package, or glossary row) and says what to do about it, so the
message printed by the CLI or recorded in a run summary is enough to act on.
"""

from __future__ import annotations

from pathlib import Path


class QantaraError(Exception):
    """Base class of every error Qantara raises on purpose."""

    def __reduce__(self):
        # Errors cross from worker processes (qantara.bounded) by pickle; the subclasses'
        # __init__ take other arguments than the message they pass on, so rebuild by state.
        return _rebuild, (type(self), self.args, self.__dict__)


def _rebuild(cls: type, args: tuple, state: dict) -> QantaraError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class UnreadableDocument(QantaraError):
    """A document that cannot be turned into text at all."""

    def __init__(self, path: Path | str, problem: str, pages: tuple[int, ...] = ()):
        self.path = Path(path)
        self.problem = problem
        self.pages = pages
        super().__init__(f"{self.path}: {problem}")


class LimitExceeded(UnreadableDocument):
    """A document that costs more than a limit allows (README "Limits"); ``limit`` names the
    setting that would let it through."""

    def __init__(self, path: Path | str, problem: str, limit: str):
        self.limit = limit
        super().__init__(path, problem)


class ModelNotInstalled(QantaraError):
    def __init__(self, pair: str, searched: list[Path]):
        self.pair = pair
        self.searched = searched
        where = ", ".join(str(p) for p in searched) or "(no package folder)"
        super().__init__(
            f"no {pair} translation package installed (searched {where}); install one with "
            f"`qantara models install` (from the argos index) or "
            f"`qantara models install FILE.argosmodel`"
        )


class InvalidPackage(QantaraError):
    def __init__(self, path: Path | str, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class GlossaryError(QantaraError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid glossary:\n" + "\n".join(f"  {p}" for p in problems))


class SettingsError(QantaraError):
    pass


class PackageIndexError(QantaraError):
    """The argos package index cannot be read or has no package for the wanted pair."""

    def __init__(self, url: str, problem: str):
        self.url = url
        self.problem = problem
        super().__init__(
            f"package index {url}: {problem}; without network access, copy a .argosmodel "
            f"file to this machine and run `qantara models install FILE.argosmodel`"
        )


class OutputNotWritable(QantaraError):
    """The output folder cannot be written (disk full, read-only, no permission, quota): the run
    stops, and says so where it still can (run-summary.json)."""

    def __init__(self, error: OSError, folder: Path | None = None):
        self.folder = Path(error.filename).parent if error.filename else folder
        self.errno = error.errno
        where = self.folder if self.folder is not None else "the output folder"
        super().__init__(f"{where}: cannot write ({(error.strerror or str(error)).lower()})")
