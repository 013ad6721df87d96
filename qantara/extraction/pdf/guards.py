"""Bounds on what pdfminer does with one file.

pdfminer inflates a FlateDecode stream in one call whatever it inflates to (1 MB of deflated
zeros becomes 1 GiB), recovers a corrupted stream byte by byte in quadratic time and says so
only in a log line ("Data-loss while decompressing corrupted data"), and resolves a reference
that leads back to itself (``6 0 R`` -> ``7 0 R`` -> ``6 0 R``) forever. Its decoders are
module globals, so :func:`guarded` replaces them, once per process, with ones that

- stop a stream at ``max_stream_mb`` (:class:`~qantara.errors.LimitExceeded`),
- recover what a corrupted or cut stream still holds, in linear time, and note the loss so
  the page can be flagged,
- refuse a chain of references that loops.

Limits and notes belong to the thread reading the file, so documents read in parallel
threads do not mix them up.
"""

from __future__ import annotations

import io
import threading
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Iterator

from ...errors import LimitExceeded

_MIB = 1 << 20
# Inflated a chunk at a time, so a corrupted chunk is retried byte by byte alone.
_CHUNK = 1 << 16
_local = threading.local()
_install_lock = threading.Lock()
_installed = False


@dataclass
class Guard:
    path: Path
    max_bytes: int
    # What was lost since the last look: one line per damaged stream.
    losses: list[str] = field(default_factory=list)
    exceeded: LimitExceeded | None = None

    def take_losses(self) -> list[str]:
        losses, self.losses = self.losses, []
        return losses

    def check(self) -> None:
        """Raise the limit error even where pdfminer caught it and went on without the stream."""
        if self.exceeded is not None:
            raise self.exceeded


@contextmanager
def guarded(path: Path, max_stream_mb: int) -> Iterator[Guard]:
    """Read ``path`` with pdfminer under the guards, in this thread."""
    _install()
    guard = Guard(Path(path), max_stream_mb * _MIB)
    previous = getattr(_local, "guard", None)
    _local.guard = guard
    try:
        yield guard
    finally:
        _local.guard = previous


def _current() -> Guard:
    guard = getattr(_local, "guard", None)
    if guard is None:  # pdfminer used outside :func:`guarded`: the default limit, no notes kept
        from ...config import Settings

        guard = Guard(Path("PDF"), Settings().max_stream_mb * _MIB)
    return guard


def _too_large(guard: Guard) -> LimitExceeded:
    error = LimitExceeded(
        guard.path, f"a stream inflates to more than {guard.max_bytes // _MIB} MB, the limit (max_stream_mb)",
        "max_stream_mb",
    )
    guard.exceeded = error
    return error


def _inflate(data: bytes) -> bytes:
    """zlib.decompress within the limit; zlib.error where the stream is damaged or cut (pdfminer
    then calls :func:`_salvage`)."""
    guard = _current()
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, guard.max_bytes + 1)
    if len(out) > guard.max_bytes:
        raise _too_large(guard)
    if not inflater.eof:
        raise zlib.error("incomplete or truncated stream")
    return out


def _salvage(data: bytes) -> bytes:
    """What a corrupted or truncated deflate stream still holds, noting the loss."""
    guard = _current()
    inflater = zlib.decompressobj()
    out = bytearray()
    damaged = False
    for start in range(0, len(data), _CHUNK):
        chunk = data[start:start + _CHUNK]
        checkpoint = inflater.copy()
        try:
            out += inflater.decompress(chunk, guard.max_bytes + 1 - len(out))
        except zlib.error:
            # Take the chunk again up to the byte where the damage starts.
            inflater = checkpoint
            for k in range(len(chunk)):
                try:
                    out += inflater.decompress(chunk[k:k + 1])
                except zlib.error:
                    break
            damaged = True
        if len(out) > guard.max_bytes or inflater.unconsumed_tail:
            raise _too_large(guard)
        if damaged or inflater.eof:
            break
    guard.losses.append(f"{len(data)} bytes of deflated data {'corrupted' if damaged else 'cut short'}, "
                        f"{len(out)} bytes recovered")
    return bytes(out)


def _lzw(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    guard = _current()
    out = bytearray()
    for piece in LZWDecoder(io.BytesIO(data)).run():
        out += piece
        if len(out) > guard.max_bytes:
            raise _too_large(guard)
    return bytes(out)


def _bounded(decode):
    def decode_within_limit(data: bytes, *args):
        out = decode(data, *args)
        if len(out) > _current().max_bytes:
            raise _too_large(_current())
        return out

    return decode_within_limit


class ReferenceLoop(Exception):
    """Indirect objects that refer to each other without end."""


def _install() -> None:
    global _installed
    with _install_lock:
        if _installed:
            return
        from pdfminer import pdfdocument, pdftypes

        pdftypes.zlib = SimpleNamespace(decompress=_inflate, decompressobj=zlib.decompressobj, error=zlib.error)
        pdftypes.decompress_corrupted = _salvage
        pdftypes.lzwdecode = _lzw
        pdftypes.rldecode = _bounded(pdftypes.rldecode)
        original = pdfdocument.PDFDocument.getobj

        def getobj(self, objid: int) -> object:
            obj = original(self, objid)
            seen = [objid]
            while isinstance(obj, pdftypes.PDFObjRef):
                if obj.objid in seen:
                    chain = " -> ".join(f"{n} 0 R" for n in [*seen, obj.objid])
                    raise ReferenceLoop(f"objects refer to each other in a loop ({chain})")
                seen.append(obj.objid)
                obj = original(self, obj.objid)
            return obj

        pdfdocument.PDFDocument.getobj = getobj
        _installed = True
