"""Atomic writes leave files with the mode the umask gives, as open() would."""

from __future__ import annotations

import os
import stat

import pytest

from qantara.fs import write_bytes_atomic, write_text_atomic


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_written_files_take_the_umask_mode(tmp_path, umask, mode):
    previous = os.umask(umask)
    try:
        first = write_text_atomic(tmp_path / "a" / "page.html", "<p>one</p>")
        again = write_bytes_atomic(first, b"<p>two</p>")  # replacing keeps the umask's mode too
    finally:
        os.umask(previous)
    assert stat.S_IMODE(again.stat().st_mode) == mode
    assert again.read_bytes() == b"<p>two</p>"
    assert [p.name for p in again.parent.iterdir()] == ["page.html"]  # no temporary left


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = write_text_atomic(tmp_path / "segments.jsonl", "old\n")
    with pytest.raises(TypeError):
        write_bytes_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["segments.jsonl"]
