"""Zip-based documents (Word .docx, OpenDocument .odt, EPUB) opened within the limits.

A zip states each member's uncompressed size in its directory, and Python's zipfile never
inflates a member past what it states (a member that lies fails its CRC check). So summing
the stated sizes before reading anything bounds what a zip bomb can make a reader hold.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from ..config import Settings
from ..errors import LimitExceeded, UnreadableDocument

# Compound File Binary (OLE2): legacy Word/Excel files, and the wrapper Office puts around an
# encrypted .docx (its zip inside an "EncryptedPackage" stream).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_MIB = 1 << 20


def ole_kind(path: Path) -> str | None:
    """"encrypted" for an encrypted Office file, "legacy" for another OLE file (a .doc),
    None when ``path`` is not an OLE file."""
    with open(path, "rb") as f:
        if f.read(len(OLE_MAGIC)) != OLE_MAGIC:
            return None
        # The stream's name sits in the directory, which may be anywhere in the file.
        return "encrypted" if _ENCRYPTED_PACKAGE in f.read() else "legacy"


def open_zip(path: Path, settings: Settings, what: str, *, label: Path | None = None) -> zipfile.ZipFile:
    """``path`` opened as a zip whose members inflate to at most ``max_stream_mb`` in all;
    ``what`` names the format in errors ("Word document"), ``label`` the file (``path``)."""
    label = label or path
    if not zipfile.is_zipfile(path):
        raise UnreadableDocument(label, f"not a {what}: not a zip archive (a {what} is one)")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableDocument(label, f"not a {what}: damaged zip archive ({exc})") from exc
    stated = sum(member.file_size for member in archive.infolist())
    limit = settings.max_stream_mb * _MIB
    if stated > limit:
        archive.close()
        raise LimitExceeded(label, f"its zip members inflate to {stated / _MIB:,.0f} MB, more than max_stream_mb "
                                  f"({settings.max_stream_mb} MB)", "max_stream_mb")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, path: Path, what: str) -> bytes:
    """One member's bytes; a missing or damaged one is an UnreadableDocument."""
    try:
        return archive.read(name)
    except KeyError:
        raise UnreadableDocument(path, f"not a {what}: the archive has no {name}") from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
        raise UnreadableDocument(path, f"damaged {what}: {name} cannot be read ({exc})") from exc
