"""Text that remembers its edits: every step rewrites it and the earlier edits follow along.

Each step hands over its new text; a character diff turns the difference into recorded
edits, and the offsets of edits made earlier are carried through the new text so that in
the end they all point into the repaired paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from difflib import SequenceMatcher


@dataclass(frozen=True)
class Edit:
    kind: str
    start: int
    end: int
    before: str
    after: str


@dataclass(frozen=True)
class Tracked:
    text: str
    edits: tuple[Edit, ...] = ()


# SequenceMatcher is quadratic: beyond this many differing characters the middle is recorded
# as one replacement rather than diffed (a 5 MB single-line file must not stall a run).
_MAX_DIFF = 20_000


def _opcodes(old: str, new: str) -> list[tuple[str, int, int, int, int]]:
    # Steps change text locally, so the common head and tail are cut off before diffing.
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
        tail += 1
    old_mid, new_mid = old[head : len(old) - tail], new[head : len(new) - tail]
    if max(len(old_mid), len(new_mid)) > _MAX_DIFF:
        middle = [("replace", 0, len(old_mid), 0, len(new_mid))]
    else:
        middle = SequenceMatcher(None, old_mid, new_mid, autojunk=False).get_opcodes()
    codes = [("equal", 0, head, 0, head)] if head else []
    codes += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in middle]
    if tail:
        codes.append(("equal", len(old) - tail, len(old), len(new) - tail, len(new)))
    return codes


def _mapper(opcodes):
    def position(pos: int, right: bool) -> int:
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal" and i1 <= pos <= i2:
                return j1 + pos - i1
            if i1 <= pos < i2 or (pos == i2 and tag != "equal"):
                return j2 if right else j1
        return opcodes[-1][4] if opcodes else 0

    return position


def _carry(edits: tuple[Edit, ...], opcodes) -> tuple[Edit, ...]:
    position = _mapper(opcodes)
    return tuple(
        replace(e, start=position(e.start, False), end=max(position(e.start, False), position(e.end, True)))
        for e in edits
    )


def apply(tracked: Tracked, kind: str, new: str, *, record: bool = True, whole: bool = False) -> Tracked:
    """Replace the text; record the difference as edits of `kind` (one edit if `whole`)."""
    old = tracked.text
    if new == old:
        return tracked
    if whole:
        opcodes = [("replace", 0, len(old), 0, len(new))]
    else:
        opcodes = _opcodes(old, new)
    carried = _carry(tracked.edits, opcodes)
    if not record:
        return Tracked(new, carried)
    fresh = tuple(
        Edit(kind, j1, j2, old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2 in opcodes if tag != "equal"
    )
    return Tracked(new, carried + fresh)


def join(parts: list[Tracked], separator: str = " ") -> Tracked:
    """Concatenate tracked texts, shifting each part's edits by where the part now starts."""
    text_parts: list[str] = []
    edits: list[Edit] = []
    offset = 0
    for i, part in enumerate(parts):
        if i:
            text_parts.append(separator)
            offset += len(separator)
        text_parts.append(part.text)
        edits.extend(replace(e, start=e.start + offset, end=e.end + offset) for e in part.edits)
        offset += len(part.text)
    return Tracked("".join(text_parts), tuple(edits))
