"""The locked Python environment, as an application ships one.

``requirements/main.txt`` pins every package the main job installs; ``requirements/test.txt``
pins what the tests add on top. Both are generated from ``pyproject.toml`` by uv's universal
resolution (one set for every CPython the project supports, lines that apply to some only
carrying a marker: Debian 12's Python 3.11.2 needs async-timeout, 3.11.3 and later do not);
``scripts/setup.sh`` installs exactly them, with pip, and nothing else.

    .venv/bin/python scripts/deps.py lock           # resolve pyproject.toml afresh, rewrite both
    .venv/bin/python scripts/deps.py sync [--test]  # make this environment exactly the lock
    .venv/bin/python scripts/deps.py check [--test] # fail unless it is exactly the lock

argostranslate is pinned in the main lock but none of the dependencies it declares only for
its own translate() (stanza with torch, spacy, minisbd with onnxruntime, sacremoses): Qantara
uses it to install packages, which needs only what ``pyproject.toml`` lists. Everything is
installed with ``--no-deps``, so that the lock alone says what is installed, and ``pip check``
then must report nothing but those deliberate omissions.

Standard library only: ``sync`` runs before anything else is installed.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAIN_LOCK = ROOT / "requirements" / "main.txt"
TEST_LOCK = ROOT / "requirements" / "test.txt"
PROJECT = "qantara"
# Used to build Qantara itself (editable, without build isolation), so pinned with the rest.
BUILD = ("setuptools>=70.1",)
# argostranslate's dependencies that serve only its translate(); never installed.
ARGOS_LEFT_OUT = frozenset({"stanza", "spacy", "minisbd", "sacremoses", "torch"})
_NOT_PINNED = frozenset({"pip", PROJECT})


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    return canonical(re.split(r"[\s\[<>=!~;(]", requirement.strip(), maxsplit=1)[0])


def read_lock(path: Path, *, all_environments: bool = False) -> dict[str, str]:
    """``name: version`` of the lock's lines that apply to this interpreter (or of all)."""
    pins: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        requirement, _, marker = line.split("#", 1)[0].partition(";")
        if not requirement.strip():
            continue
        if marker.strip() and not all_environments:
            # Installed by then: it is in the main lock, and checks run after installing.
            from packaging.markers import Marker

            if not Marker(marker).evaluate():
                continue
        name, _, version = requirement.partition("==")
        pins[canonical(name)] = version.strip()
    return pins


def wanted(test: bool) -> dict[str, str]:
    pins = read_lock(MAIN_LOCK)
    if test:
        pins.update(read_lock(TEST_LOCK))
    return pins


def installed() -> dict[str, str]:
    found = {canonical(d.metadata["Name"]): d.version for d in metadata.distributions() if d.metadata["Name"]}
    return {name: version for name, version in found.items() if name not in _NOT_PINNED}


def _pip(*args: str, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", *args], check=not capture, text=True,
                          capture_output=capture)


def problems(test: bool) -> list[str]:
    """What makes this environment differ from the lock; empty when it is exactly the lock."""
    pins, present = wanted(test), installed()
    found = [f"{name} is not installed (locked {version})" for name, version in pins.items() if name not in present]
    found += [f"{name} {present[name]} is installed, the lock says {version}"
              for name, version in pins.items() if name in present and present[name] != version]
    found += [f"{name} {version} is installed but not locked" for name, version in present.items() if name not in pins]
    checked = _pip("check", capture=True)
    for line in checked.stdout.splitlines():
        # "argostranslate 1.11.0 requires spacy, which is not installed."
        omitted = re.match(r"argostranslate \S+ requires (\S+), which is not installed\.", line)
        if line.strip() and not (omitted and canonical(omitted.group(1)) in ARGOS_LEFT_OUT) \
                and not line.startswith("No broken requirements"):
            found.append(f"pip check: {line.strip()}")
    return found


def sync(test: bool) -> None:
    locks = [MAIN_LOCK, TEST_LOCK] if test else [MAIN_LOCK]
    _pip("install", "--quiet", "--no-deps", *(arg for lock in locks for arg in ("-r", str(lock))))
    extra = sorted(set(installed()) - set(wanted(test)))
    if extra:
        print(f"removing packages the lock does not name: {' '.join(extra)}", file=sys.stderr)
        _pip("uninstall", "--quiet", "--yes", *extra)
    _pip("install", "--quiet", "--no-deps", "--no-build-isolation", "--editable", str(ROOT))


def _argos() -> tuple[str, str, list[str]]:
    """argostranslate's newest version within pyproject.toml's bound, and the requirements it
    declares beyond those left out (with its own bounds)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    spec = next(r for r in project["optional-dependencies"]["argos"] if _requirement_name(r) == "argostranslate")
    done = _pip("install", "--dry-run", "--ignore-installed", "--no-deps", "--quiet", "--report", "-", spec,
                capture=True)
    if done.returncode:
        sys.exit(f"deps: pip could not find {spec}:\n{done.stderr}")
    found = json.loads(done.stdout)["install"][0]["metadata"]
    kept = [r for r in found.get("requires_dist", [])
            if _requirement_name(r) not in ARGOS_LEFT_OUT and "extra" not in r.partition(";")[2]]
    return found["name"], found["version"], kept


def _uv(tmp: Path) -> str:
    """uv, for its universal resolution (pip resolves for this interpreter alone)."""
    found = shutil.which("uv")
    if found:
        return found
    _pip("install", "--quiet", "--target", str(tmp / "uv"), "uv")
    return str(tmp / "uv" / "bin" / "uv")


def _compile(uv: str, out: Path, *inputs: str, constraints: Path | None = None) -> dict[str, str]:
    """Resolve ``inputs`` for every CPython the project supports on every platform, into ``out``."""
    args = [uv, "pip", "compile", "--quiet", "--universal", "--no-header", "--output-file", str(out), *inputs]
    args += ["--constraint", str(constraints)] if constraints else []
    done = subprocess.run(args, cwd=ROOT, text=True, capture_output=True)
    if done.returncode:
        sys.exit(f"deps: uv could not resolve {' '.join(inputs)}:\n{done.stderr}")
    return read_lock(out, all_environments=True)


def _write(path: Path, heading: str, resolved: Path, skip: set[str] = frozenset(), extra: str = "") -> int:
    lines, keep = [], True
    for line in resolved.read_text("utf-8").splitlines():
        if line and not line[0].isspace():  # a requirement; its "# via" comments follow, indented
            keep = _requirement_name(line) not in skip | {PROJECT}
        if keep:
            lines.append(line)
    text = f"# {heading}\n# Generated by `.venv/bin/python scripts/deps.py lock` from pyproject.toml; do not edit.\n"
    path.write_text(text + extra + "\n".join(lines) + "\n", "utf-8")
    count = len(read_lock(path, all_environments=True))
    print(f"{path.relative_to(ROOT)}: {count} packages")
    return count


def lock() -> None:
    name, version, kept = _argos()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        uv = _uv(tmp)
        extra = tmp / "extra.in"
        extra.write_text("\n".join([*BUILD, *kept]) + "\n", "utf-8")
        main, test = tmp / "main.txt", tmp / "test.txt"
        pins = _compile(uv, main, "pyproject.toml", str(extra))
        _compile(uv, test, "pyproject.toml", "--extra", "test", str(extra), constraints=main)
        MAIN_LOCK.parent.mkdir(exist_ok=True)
        argos = (f"{canonical(name)}=={version}\n    # installed without its dependencies for translating "
                 f"({', '.join(sorted(ARGOS_LEFT_OUT))})\n")
        _write(MAIN_LOCK, "The main job's Python packages; scripts/setup.sh installs exactly these.", main,
               extra=argos)
        _write(TEST_LOCK, "What the tests add to requirements/main.txt; `scripts/setup.sh --test` installs it.",
               test, skip=set(pins))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("lock", "sync", "check"))
    parser.add_argument("--test", action="store_true", help="the main lock and the test lock")
    args = parser.parse_args()
    if args.command == "lock":
        lock()
        return
    if args.command == "sync":
        try:
            sync(args.test)
        except subprocess.CalledProcessError as exc:
            sys.exit(f"deps: `{' '.join(exc.cmd[1:])}` failed (exit {exc.returncode}; pip said why above)")
    found = problems(args.test)
    for problem in found:
        print(f"deps: {problem}", file=sys.stderr)
    if found:
        sys.exit(f"deps: the environment differs from the lock ({len(found)} problems); "
                 f"`bash scripts/setup.sh{' --test' if args.test else ''}` installs exactly the lock")
    print(f"deps: {len(installed())} packages, exactly the lock{' (main + test)' if args.test else ''}")


if __name__ == "__main__":
    main()
