"""The run's bookkeeping for N published documents: rewriting the whole state file after each
document (what runs did before the journal) against appending each entry to the journal and
writing the state once at the end (what they do now). Both flush every write to disk.

    .venv/bin/python benchmarks/bench_state.py [N ...]

Writes outputs/benchmarks/state.json; the last line is ``speedup <rewrite / journal>`` for
the largest N.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from qantara.incremental import Fingerprint, Published, record_published, save_state

REPO = Path(__file__).resolve().parents[1]
_FINGERPRINT = Fingerprint("0123456789ab", "stem", "code", "glossary", "model", "settings", "reviewed")


def _entries(n: int) -> list[tuple[str, Published]]:
    return [(f"document-{i:05d}.pdf", Published(_FINGERPRINT, "2026-11-23T00:00:00+00:00", 40, 38, 2, 7))
            for i in range(n)]


def rewrite(folder: Path, n: int) -> float:
    state: dict[str, Published] = {}
    start = time.perf_counter()
    for name, entry in _entries(n):
        state[name] = entry
        save_state(folder, state)
    return time.perf_counter() - start


def journal(folder: Path, n: int) -> float:
    state: dict[str, Published] = {}
    start = time.perf_counter()
    for name, entry in _entries(n):
        state[name] = entry
        record_published(folder, name, entry)
    save_state(folder, state)
    return time.perf_counter() - start


def main() -> None:
    from machine_load import describe_machine
    print(describe_machine())
    sizes = [int(a) for a in sys.argv[1:]] or [200, 1000]
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            rows.append({"documents": n, "rewrite_s": round(rewrite(Path(a), n), 3),
                         "journal_s": round(journal(Path(b), n), 3)})
        print(f"{n:>6} documents   rewrite {rows[-1]['rewrite_s']:8.2f} s   journal {rows[-1]['journal_s']:6.2f} s")
    out = REPO / "outputs" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "state.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print(f"speedup {rows[-1]['rewrite_s'] / max(rows[-1]['journal_s'], 1e-9):.2f}")


if __name__ == "__main__":
    main()
