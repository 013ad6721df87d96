"""SIGKILL a real `python -m qantara run` while it publishes, then run again.

At the kill: no half-written output (a killed atomic write leaves only a hidden ``.*.tmp``)
and every segments.jsonl parses. After the rerun: every document published once, no
temporaries left, the reviewed translation stored before the runs intact and used.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO
from qantara.memory import TranslationMemory
from qantara.publish.omegat import PROJECT_DIR

DOCUMENTS = 60
REVIEWED_ARABIC = "وبحث الجانبان التعاون في مجالات الطاقة والنقل."
REVIEWED_ENGLISH = "The two sides discussed cooperation in energy and transport (reviewed)."


def _text(k: int) -> str:
    return (f"التقرير رقم {k} عن العلاقات بين دول الخليج وآسيا الوسطى.\n\n"
            f"زار الوفد {k} مدينة ألماتي في مايو. {REVIEWED_ARABIC}\n")


def _check_outputs(out: Path) -> None:
    visible_tmp = [p for p in out.rglob("*.tmp") if not p.name.startswith(".")]
    assert not visible_tmp
    for path in out.glob("*/segments.jsonl"):
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
        ids = [row["id"] for row in rows]
        assert rows and len(ids) == len(set(ids)), path


def test_killed_run_leaves_no_half_files_and_the_rerun_completes(prefect_server, tmp_path):
    from prefect.settings import PREFECT_API_URL

    inputs, out, packages = tmp_path / "inputs", tmp_path / "outputs", tmp_path / "no-packages"
    inputs.mkdir()
    packages.mkdir()
    for k in range(DOCUMENTS):
        (inputs / f"doc{k:03d}.txt").write_text(_text(k), encoding="utf-8")
    with TranslationMemory(out / "translation-memory.sqlite") as memory:
        memory.store_reviewed([(REVIEWED_ARABIC, REVIEWED_ENGLISH, "doc000", "p2s2")])

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PYTHONPATH": str(REPO),
           "QANTARA_PACKAGES_DIR": str(packages)}
    command = [sys.executable, "-m", "qantara", "run", "--input", str(inputs), "--output", str(out),
               "--glossary", str(tmp_path / "no-glossary")]
    run = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    # Kill as soon as publishing has begun: some documents done, most not.
    while not any(out.glob("*/segments.jsonl")):
        assert run.poll() is None, run.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline
        time.sleep(0.005)
    run.send_signal(signal.SIGKILL)
    assert run.wait(timeout=30) == -signal.SIGKILL
    published_at_kill = len(list(out.glob("*/segments.jsonl")))
    assert published_at_kill < DOCUMENTS
    _check_outputs(out)

    again = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    _check_outputs(out)
    assert not list(out.rglob("*.tmp"))
    record = json.loads((out / "run-summary.json").read_text("utf-8"))
    files = [d["file"] for d in record["documents"]]
    assert len(files) == len(set(files)) == DOCUMENTS
    assert {d["status"] for d in record["documents"]} <= {"published", "skipped"}
    # One folder per document (beside the hidden stage cache and the OmegaT project).
    folders = sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")
                     and p.name != PROJECT_DIR)
    assert folders == [f"doc{k:03d}" for k in range(DOCUMENTS)]

    with TranslationMemory(out / "translation-memory.sqlite") as memory:
        assert memory.reviewed([REVIEWED_ARABIC])[REVIEWED_ARABIC].english == REVIEWED_ENGLISH
    for k in (0, DOCUMENTS - 1):
        rows = [json.loads(line) for line in (out / f"doc{k:03d}" / "segments.jsonl").read_text("utf-8").splitlines()]
        reviewed = [r for r in rows if r["arabic"] == REVIEWED_ARABIC]
        assert reviewed and all(r["english"] == REVIEWED_ENGLISH and r["origin"] == "reviewed" for r in reviewed)
