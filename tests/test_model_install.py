"""Installing a broken model never replaces a working one: staged, size-limited, load-tested.

The broken packages are real argos packages whose model is damaged the ways a download or a
disk damages it: a layer index that makes CTranslate2 crash, weights that are not numbers, a
vocabulary cut short, a zip bomb.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from qantara import models
from qantara.config import Settings
from qantara.errors import InvalidPackage
from qantara.models import install_package_file, list_packages

FOLDER = "translate-ar_en-1_0"
MODEL_BIN = f"{FOLDER}/model/model.bin"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def package_file(argos_model_file) -> Path:
    return argos_model_file


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(packages_dir=tmp_path / "packages")


def _patch_variable(model_bin: bytes, name: str, fill: bytes) -> bytes:
    """model.bin with the payload of variable ``name`` overwritten by repeated ``fill``.

    CTranslate2's format: version, spec name, revision, variable count, then per variable its
    name, rank, shape, dtype, byte count and payload.
    """
    data = bytearray(model_bin)
    at = 4
    (length,) = struct.unpack_from("<H", data, at)
    at += 2 + length + 4
    (count,) = struct.unpack_from("<I", data, at)
    at += 4
    for _ in range(count):
        (length,) = struct.unpack_from("<H", data, at)
        variable = data[at + 2 : at + 2 + length].rstrip(b"\0").decode()
        at += 2 + length
        at += 1 + 4 * data[at] + 1
        (size,) = struct.unpack_from("<I", data, at)
        at += 4
        if variable == name:
            data[at : at + size] = (fill * (size // len(fill) + 1))[:size]
            return bytes(data)
        at += size
    raise KeyError(name)


def _rewrite(source: Path, target: Path, changes: dict[str, callable]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, changes[info.filename](data) if info.filename in changes else data)
    return target


def _crashing(package: Path, tmp: Path) -> Path:
    # Layer 100 of a two-layer decoder: CTranslate2 segfaults when it loads this.
    patch = {MODEL_BIN: lambda data: _patch_variable(data, "decoder/alignment_layer", struct.pack("<h", 100))}
    return _rewrite(package, tmp / "crashing.argosmodel", patch)


def _not_numbers(package: Path, tmp: Path) -> Path:
    nan = struct.pack("<f", float("nan"))
    patch = {MODEL_BIN: lambda data: _patch_variable(data, "decoder/projection/weight", nan)}
    return _rewrite(package, tmp / "nan.argosmodel", patch)


def _short_vocabulary(package: Path, tmp: Path) -> Path:
    def cut(data: bytes) -> bytes:
        return json.dumps(json.loads(data)[:40]).encode()

    return _rewrite(package, tmp / "short-vocabulary.argosmodel", {f"{FOLDER}/model/shared_vocabulary.json": cut})


BROKEN = [
    (_crashing, "crashed CTranslate2"),
    (_not_numbers, "scores are not finite"),
    (_short_vocabulary, "Invalid token ID"),
]


def _installed_state(settings: Settings) -> dict[str, bytes]:
    folder = settings.packages_dir
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("make, problem", BROKEN, ids=[m.__name__.strip("_") for m, _ in BROKEN])
def test_broken_model_is_refused_and_the_working_one_stays(make, problem, package_file, settings, tmp_path):
    good = install_package_file(package_file, settings)
    before = _installed_state(settings)
    bad = make(package_file, tmp_path)
    # Through the CLI in a child process: on a model that crashes CTranslate2, an install that
    # loads it in its own process dies with the working package hidden away.
    env = {**os.environ, "QANTARA_PACKAGES_DIR": str(settings.packages_dir)}
    result = subprocess.run([sys.executable, "-m", "qantara", "models", "install", str(bad)],
                            capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and problem in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert list_packages(settings) == [good]
    assert _installed_state(settings) == before
    assert sorted(p.name for p in settings.packages_dir.iterdir()) == [FOLDER]


def test_zip_bomb_is_refused_from_its_declared_sizes(package_file, tmp_path):
    settings = Settings(packages_dir=tmp_path / "packages", max_package_bytes=16 << 20)
    good = install_package_file(package_file, settings)
    bomb = tmp_path / "bomb.argosmodel"
    with zipfile.ZipFile(package_file) as old, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        zeros = zipfile.ZipInfo(f"{FOLDER}/model/padding.bin")
        zeros.compress_type = zipfile.ZIP_DEFLATED
        with new.open(zeros, "w") as out:
            for _ in range(32):
                out.write(bytes(1 << 20))
    assert bomb.stat().st_size < 2 << 20
    with pytest.raises(InvalidPackage, match="more than the 16,777,216 allowed.*refused before extracting") as caught:
        install_package_file(bomb, settings)
    assert str(bomb) in str(caught.value)
    assert list_packages(settings) == [good]
    assert sorted(p.name for p in settings.packages_dir.iterdir()) == [FOLDER]


def test_extraction_stops_at_the_limit_whatever_the_archive_declares(package_file, tmp_path):
    with zipfile.ZipFile(package_file) as archive, pytest.raises(InvalidPackage, match="stopped at"):
        models._extract(package_file, archive, tmp_path / "staging", 100_000)
    written = sum(p.stat().st_size for p in (tmp_path / "staging").rglob("*") if p.is_file())
    assert written <= 100_000


def test_an_install_killed_between_its_renames_is_undone(package_file, settings, tmp_path):
    good = install_package_file(package_file, settings)
    (settings.packages_dir / FOLDER).rename(settings.packages_dir / f".{FOLDER}.previous")
    assert list_packages(settings) == []
    with pytest.raises(InvalidPackage):
        install_package_file(_not_numbers(package_file, tmp_path), settings)
    assert list_packages(settings) == [good]
    assert sorted(p.name for p in settings.packages_dir.iterdir()) == [FOLDER]


def test_argostranslate_lists_what_qantara_installs(package_file, settings):
    installed = install_package_file(package_file, settings)
    code = (
        "import sys, argostranslate.package as p; "
        "print([(x.from_code, x.to_code, x.package_version) for x in p.get_installed_packages()])"
    )
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(settings.packages_dir), "HOME": str(settings.packages_dir.parent)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert result.stdout.strip() == str([("ar", "en", installed.version)]), result.stderr
