"""The locked Python environment, as an application ships one.

``requirements/main.txt`` pins every package the main job installs; ``requirements/test.txt``
pins what the tests add on top. Both are generated from ``pyproject.toml`` by pip's own
resolver; ``scripts/setup.sh`` installs exactly them and nothing else.

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
import platform
import re
import subprocess
import sys
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


def read_lock(path: Path) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
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


def _resolve(*requirements: str, constraints: Path | None = None, no_deps: bool = False) -> list[dict]:
    """pip's resolution of ``requirements`` from the index, ignoring what is installed here."""
    args = ["install", "--dry-run", "--ignore-installed", "--quiet", "--report", "-"]
    args += ["--no-deps"] if no_deps else []
    args += ["--constraint", str(constraints)] if constraints else []
    done = _pip(*args, *requirements, capture=True)
    if done.returncode:
        sys.exit(f"pip could not resolve {' '.join(requirements)}:\n{done.stderr}")
    return json.loads(done.stdout)["install"]


def _write(path: Path, heading: str, items: list[dict]) -> dict[str, str]:
    pins = {canonical(i["metadata"]["name"]): i["metadata"]["version"] for i in items}
    pins.pop(PROJECT, None)
    python = f"CPython {sys.version_info.major}.{sys.version_info.minor}, {sys.platform} {platform.machine()}"
    lines = [f"# {heading}", f"# Generated by `.venv/bin/python scripts/deps.py lock` ({python}); do not edit.",
             *(f"{name}=={pins[name]}" for name in sorted(pins))]
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"{path.relative_to(ROOT)}: {len(pins)} packages")
    return pins


def lock() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    argos_spec = next(r for r in project["optional-dependencies"]["argos"] if _requirement_name(r) == "argostranslate")
    argos = _resolve(argos_spec, no_deps=True)[0]["metadata"]
    # What argostranslate needs beyond what it only uses to translate, with its own bounds.
    kept = [r for r in argos.get("requires_dist", [])
            if _requirement_name(r) not in ARGOS_LEFT_OUT and "extra" not in r.partition(";")[2]]
    main = _resolve(str(ROOT), *BUILD, *kept)
    main.append({"metadata": {"name": argos["name"], "version": argos["version"]}})
    pins = _write(MAIN_LOCK, "The main job's Python packages; scripts/setup.sh installs exactly these.", main)
    constraints = ROOT / "requirements" / ".main-constraints.txt"
    constraints.write_text("".join(f"{n}=={v}\n" for n, v in pins.items() if n != canonical(argos["name"])))
    try:
        test = _resolve(f"{ROOT}[test]", *BUILD, *kept, constraints=constraints)
    finally:
        constraints.unlink()
    _write(TEST_LOCK, "What the tests add to requirements/main.txt; `scripts/setup.sh --test` installs it.",
           [i for i in test if canonical(i["metadata"]["name"]) not in pins])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("lock", "sync", "check"))
    parser.add_argument("--test", action="store_true", help="the main lock and the test lock")
    args = parser.parse_args()
    if args.command == "lock":
        lock()
        return
    if args.command == "sync":
        sync(args.test)
    found = problems(args.test)
    for problem in found:
        print(f"deps: {problem}", file=sys.stderr)
    if found:
        sys.exit(f"deps: the environment differs from the lock ({len(found)} problems); "
                 f"`bash scripts/setup.sh{' --test' if args.test else ''}` installs exactly the lock")
    print(f"deps: {len(installed())} packages, exactly the lock{' (main + test)' if args.test else ''}")


if __name__ == "__main__":
    main()
