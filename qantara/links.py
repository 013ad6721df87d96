"""Symbolic links in the input folder are followed only while they stay inside it: a link to
``/etc/passwd`` dropped among the inputs must not get that file read and published."""

from __future__ import annotations

from pathlib import Path


def outside_target(path: Path, folder: Path) -> Path | None:
    """Where the symbolic link ``path`` (in ``folder``) finally leads, when that is outside
    ``folder``; None for anything else."""
    if not path.is_symlink():
        return None
    target = path.resolve()
    return None if target.is_relative_to(folder.resolve()) else target


def link_refusal(path: Path, folder: Path, follow: bool) -> str | None:
    """Why ``path`` is not read (None when it is): a link that leaves ``folder``, unless
    ``follow`` (the ``follow_outside_links`` setting)."""
    target = None if follow else outside_target(path, folder)
    if target is None:
        return None
    return (f"{path}: symbolic link to {target}, outside {folder}; not followed "
            f"(set follow_outside_links to read it)")
