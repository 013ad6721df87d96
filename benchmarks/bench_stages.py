"""Reruns after a change, with caches per stage, side by side with the code before them.

Over a corpus with scans (the sample inputs/ and the scanned PDFs of the tests' scan
corpus), each version of the code publishes everything once, then makes one change at a time
and reruns the flow:

- ``review``: a reviewer's TSV imported (``qantara review import``) — 3 segments of one document;
- ``glossary``: one entry added to the glossary;
- ``code``: a line added to a module outside extraction (``qantara/publish/html.py``).

"Today" is main's commit 22e11ba, run from a ``git worktree``; "now" is this tree (copied, so
that the code change touches neither). Both run the real flow against one real Prefect server
(``prefect server start``), each step in a fresh process; the time is the flow call's, not
Python's start-up. After every rerun of this tree its published files are compared with those
of a run that reads everything afresh (same memory, glossary and code): they must be
identical. Without a translation model installed, segments are published untranslated.

    .venv/bin/python benchmarks/bench_stages.py

Writes outputs/benchmarks/stages.json; the last line is ``speedup <x.xx>``, the smallest of
the three rerun speedups.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.scan_corpus import SCAN_SPECS, available, build_scan  # noqa: E402

TODAY = "22e11ba"
RESULTS = ROOT / "outputs" / "benchmarks" / "stages.json"
SCANS = [spec for spec in SCAN_SPECS if available(spec)]
REVIEWED_DOCUMENT = "000_41cf3146f527e58b"
GLOSSARY_ROW = "Ministry of Energy,وزارة الطاقة,,organization,,\n"
CODE_CHANGE = "\n# bench_stages: a change outside extraction\n"
# Bookkeeping that differs from run to run by its times, and the caches.
NOT_COMPARED = {"run-summary.json", "index.html", ".qantara-state.json", ".qantara.lock"}

_STEP = r"""
import json, sys, time
args = json.loads(sys.argv[1])
if args.get("action") == "import":
    from qantara.review import import_review
    report = import_review(args["file"], args["output"])
    print(json.dumps({"updated": list(report.updated_documents)}))
else:
    from flows.run import qantara_run
    start = time.perf_counter()
    summary = qantara_run(input_dir=args["input"], output_dir=args["output"], glossary_dir=args["glossary"],
                          packages_dir=args["packages"])
    print(json.dumps({"seconds": time.perf_counter() - start,
                      "statuses": [str(d.status) for d in summary.documents]}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(work: Path) -> tuple[subprocess.Popen, dict]:
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(work / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING"}
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 180
    import urllib.request

    while True:
        try:
            urllib.request.urlopen(f"{url}/health", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("prefect server did not start")
            time.sleep(1)
    return server, {**env, "PREFECT_API_URL": url}


def _step(tree: Path, env: dict, **args) -> dict:
    done = subprocess.run([sys.executable, "-c", _STEP, json.dumps({k: str(v) for k, v in args.items()})],
                          cwd=tree.parent, env={**env, "PYTHONPATH": str(tree)}, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{tree.name} {args.get('action', 'run')} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _published(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in NOT_COMPARED and not p.name.startswith("translation-memory.sqlite")
            and ".qantara-cache" not in p.parts}


def _texts(folder: Path) -> dict[str, bytes]:
    return {k: v for k, v in _published(folder).items() if k.endswith((".ar.txt", ".en.txt"))}


def _review_file(output: Path, work: Path, label: str) -> Path:
    """The first three Arabic segments of one document given a reviewer's English."""
    source = output / REVIEWED_DOCUMENT / f"{REVIEWED_DOCUMENT}.tsv"
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    edited = [dict(row, english=f"Reviewed sentence {k}.") for k, row in enumerate(rows[:3])]
    target = work / f"review-{label}.tsv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(edited)
    return target


def _corpus(work: Path) -> Path:
    inputs = work / "inputs"
    shutil.copytree(ROOT / "inputs", inputs)
    scans = work / "scans"
    scans.mkdir()
    for spec in SCANS:
        shutil.copy(build_scan(spec, scans), inputs / f"scan-{spec.name}.pdf")
    return inputs


def _trees(work: Path) -> dict[str, Path]:
    today = work / "today" / "code"
    today.parent.mkdir()
    subprocess.run(["git", "worktree", "add", "--detach", str(today), TODAY], cwd=ROOT, check=True,
                   capture_output=True)
    now = work / "now" / "code"
    for part in ("qantara", "flows", "qantara_cli"):
        shutil.copytree(ROOT / part, now / part, ignore=shutil.ignore_patterns("__pycache__"))
    return {"today": today, "now": now}


def bench(work: Path) -> dict:
    inputs = _corpus(work)
    trees = _trees(work)
    packages = work / "no-packages"
    packages.mkdir()
    server, env = _start_server(work)
    result: dict = {"corpus": sorted(p.name for p in inputs.iterdir()), "runs": {}}
    try:
        setup = {}
        for label, tree in trees.items():
            glossary = tree.parent / "glossary"
            shutil.copytree(ROOT / "glossary", glossary)
            setup[label] = dict(input=inputs, output=tree.parent / "outputs", glossary=glossary, packages=packages)
            first = _step(tree, env, **setup[label])
            result["runs"].setdefault("first", {})[label] = first
            print(f"first run   {label:<6}{first['seconds']:8.2f} s", flush=True)

        def change(scenario: str, label: str) -> None:
            tree, args = trees[label], setup[label]
            if scenario == "review":
                print("  import:", _step(tree, env, action="import", output=args["output"],
                                         file=_review_file(args["output"], work, label)), flush=True)
            elif scenario == "glossary":
                with (args["glossary"] / "names.csv").open("a", encoding="utf-8") as handle:
                    handle.write(GLOSSARY_ROW)
            else:
                with (tree / "qantara" / "publish" / "html.py").open("a", encoding="utf-8") as handle:
                    handle.write(CODE_CHANGE)

        for scenario in ("review", "glossary", "code"):
            row = {}
            for label in trees:  # side by side: today's rerun, then this tree's
                change(scenario, label)
                row[label] = _step(trees[label], env, **setup[label])
                print(f"{scenario:<12}{label:<6}{row[label]['seconds']:8.2f} s  "
                      f"{sorted(set(row[label]['statuses']))}", flush=True)
            # This tree's rerun against a run that reads everything afresh.
            fresh = work / f"fresh-{scenario}"
            fresh.mkdir()
            memory = setup["now"]["output"] / "translation-memory.sqlite"
            if memory.is_file():
                shutil.copy(memory, fresh / memory.name)
            _step(trees["now"], env, **{**setup["now"], "output": fresh})
            rerun, afresh = _published(setup["now"]["output"]), _published(fresh)
            row["identical_to_fresh_run"] = rerun == afresh
            row["differing_files"] = sorted(k for k in rerun.keys() | afresh.keys() if rerun.get(k) != afresh.get(k))
            row["same_texts_as_today"] = _texts(setup["now"]["output"]) == _texts(setup["today"]["output"])
            row["speedup"] = round(row["today"]["seconds"] / row["now"]["seconds"], 2)
            result["runs"][scenario] = row
    finally:
        server.terminate()
        server.wait(timeout=60)
        subprocess.run(["git", "worktree", "remove", "--force", str(trees["today"])], cwd=ROOT, capture_output=True)
    return result


def main() -> None:
    cores, load = os.cpu_count(), os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        result = bench(Path(tmp))
    result["machine"] = {"cores": cores, "load_before": [round(x, 2) for x in load],
                         "load_after": [round(x, 2) for x in os.getloadavg()]}
    print(f"\nmachine: {cores} cores, load {' '.join(f'{x:.2f}' for x in load)} before, "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} after")
    print(f"corpus: {len(result['corpus'])} documents ({len(SCANS) + 1} scans)")
    print(f"{'rerun after':<14}{'today s':>9}{'now s':>9}{'speedup':>9}  identical to a fresh run  same texts as today")
    for scenario in ("review", "glossary", "code"):
        row = result["runs"][scenario]
        print(f"{scenario:<14}{row['today']['seconds']:>9.2f}{row['now']['seconds']:>9.2f}{row['speedup']:>9.2f}  "
              f"{str(row['identical_to_fresh_run']):<25}{row['same_texts_as_today']}")
    first = result["runs"]["first"]
    print(f"{'(first run)':<14}{first['today']['seconds']:>9.2f}{first['now']['seconds']:>9.2f}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"speedup {min(result['runs'][s]['speedup'] for s in ('review', 'glossary', 'code')):.2f}")


if __name__ == "__main__":
    main()
