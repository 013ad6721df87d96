"""The package's layers import only downward: every import of every module (at its top or
inside a function) is checked against the layer table below.

A module belongs to the longest component its dotted name starts with. It may import its
own component and any component of a lower layer; components of one layer are siblings and
never import each other (the PDF and OCR readers, say). Nothing in ``qantara`` imports the
Prefect flows or the command line, which sit on top of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO
from support.imports import imports_of as _imports, package_modules

# Bottom first.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("qantara.errors", "qantara"),
    ("qantara.types", "qantara.config", "qantara.fs", "qantara.progress", "qantara.links"),
    ("qantara.bounded",),
    ("qantara.arabic", "qantara.record"),
    ("qantara.layout", "qantara.cache", "qantara.checks"),
    ("qantara.extraction.pdf", "qantara.extraction.ocr", "qantara.extraction.text"),
    ("qantara.extraction",),
    ("qantara.repair",),
    ("qantara.read",),
    ("qantara.segment", "qantara.glossary", "qantara.models", "qantara.lock", "qantara.server", "qantara.trust"),
    ("qantara.translate",),
    ("qantara.memory",),
    ("qantara.signature", "qantara.incremental"),
    ("qantara.pipeline",),
    ("qantara.publish",),
    ("qantara.review", "qantara.doctor"),
    ("qantara.run",),
)
ABOVE_THE_LIBRARY = ("flows", "qantara_cli")
# `python -m qantara` runs the command line; nothing imports this module.
ENTRY_POINTS = {"qantara.__main__"}


def _component(module: str) -> tuple[int, str] | None:
    best = None
    for level, components in enumerate(LAYERS):
        for component in components:
            # The package itself is a component of its own, not of everything in it.
            inside = module.startswith(component + ".") and component != "qantara"
            if (module == component or inside) and (
                best is None or len(component) > len(best[1])
            ):
                best = (level, component)
    return best


def _violations(modules: dict[str, Path]) -> list[str]:
    problems: list[str] = []
    for name, path in modules.items():
        if name in ENTRY_POINTS:
            continue
        own = _component(name)
        if own is None:
            problems.append(f"{name}: not in the layer table")
            continue
        for line, target in _imports(name, path):
            where = f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}:{line}"
            if target.split(".")[0] in ABOVE_THE_LIBRARY:
                problems.append(f"{where}: {name} imports {target.split('.')[0]}, which sits above the library")
                continue
            if not target.startswith("qantara"):
                continue
            theirs = _component(target)
            if theirs is None or theirs[1] == own[1]:
                continue
            if theirs[0] > own[0]:
                problems.append(f"{where}: {name} (layer {own[0]}) imports {theirs[1]} (layer {theirs[0]})")
            elif theirs[0] == own[0]:
                problems.append(f"{where}: {name} imports its sibling {theirs[1]}")
    return list(dict.fromkeys(problems))


def test_every_import_goes_down():
    assert _violations(package_modules()) == []


def test_the_flows_never_import_the_command_line():
    for path in (REPO / "flows").rglob("*.py"):
        name = ".".join(path.relative_to(REPO).with_suffix("").parts)
        assert not [t for _, t in _imports(name, path) if t.split(".")[0] == "qantara_cli"], path


def test_every_module_has_a_layer():
    assert all(_component(name) is not None for name in package_modules() if name not in ENTRY_POINTS)


@pytest.mark.parametrize(("module", "target", "line"), [
    ("qantara.glossary.matcher", "qantara.publish", "from ..publish import render_tmx"),
    ("qantara.extraction.pdf.reader", "qantara.extraction.ocr", "from ..ocr import ocr_pages"),
    ("qantara.pipeline", "flows", "from flows.run import qantara_run"),
    ("qantara.arabic.lexicon", "qantara.repair", "def f():\n    from ..repair import words"),
])
def test_an_upward_import_is_caught(tmp_path, module, target, line):
    """The check itself: planting one bad import anywhere makes it fail."""
    modules = package_modules()
    planted = tmp_path / "planted.py"
    planted.write_text(modules[module].read_text("utf-8") + "\n" + line + "\n", encoding="utf-8")
    found = _violations({**modules, module: planted})
    assert len(found) == 1 and target in found[0]
