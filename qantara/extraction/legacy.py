"""Legacy word-processor files (.doc, .rtf), converted by LibreOffice headless to
OpenDocument, its own format, and read as such (:mod:`.odt`). (Its .docx export can write
XML that does not parse: a hyperlink closed after its paragraph.)

LibreOffice is optional: without it these files fail, each with an error saying what to
install. Each conversion runs in a temporary folder with a profile of its own (a LibreOffice
already open, or another conversion running, cannot capture it) and within a time limit.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..config import Settings
from ..errors import UnreadableDocument
from ..types import ExtractedDocument

LEGACY_SUFFIXES = frozenset({".doc", ".rtf"})
INSTALL = "apt-get install libreoffice-writer-nogui"
# A conversion's share of the document's time limit: the rest is for reading and repair.
_CONVERSION_SHARE = 0.5


def libreoffice() -> str | None:
    """The LibreOffice executable, None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def extract_legacy(path: Path, settings: Settings) -> ExtractedDocument:
    from .odt import read_odt

    with tempfile.TemporaryDirectory(prefix="qantara-convert-") as folder:
        converted = convert_to_odt(path, Path(folder), settings)
        kind = path.suffix.lower().lstrip(".")
        return read_odt(converted, settings, source=path, kind=kind if kind in ("doc", "rtf") else "doc")


def convert_to_odt(path: Path, folder: Path, settings: Settings) -> Path:
    """``path`` converted into ``folder``/out/input.odt; raises UnreadableDocument naming the file
    when LibreOffice is missing, fails or takes too long."""
    binary = libreoffice()
    if binary is None:
        raise UnreadableDocument(path, f"a legacy {path.suffix or 'word-processor'} file needs LibreOffice Writer "
                                       f"to be read, and it is not installed ({INSTALL})")
    # A plain name: LibreOffice names its output after the input, and some names it mangles.
    source = folder / f"input{path.suffix.lower()}"
    shutil.copyfile(path, source)
    seconds = max(30.0, settings.time_limit * _CONVERSION_SHARE)
    command = [binary, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
               "--convert-to", "odt", "--outdir", str(folder / "out"), str(source)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds, cwd=folder)
    except subprocess.TimeoutExpired:
        raise UnreadableDocument(path, f"LibreOffice did not convert it within {seconds:.0f} s") from None
    converted = folder / "out" / "input.odt"
    if done.returncode != 0 or not converted.is_file():
        said = " ".join((done.stderr or done.stdout).split())[-300:] or f"exit status {done.returncode}"
        raise UnreadableDocument(path, f"LibreOffice could not convert it ({said})")
    return converted
