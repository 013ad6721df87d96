"""Package validation, installation through argostranslate, listing and choosing."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from support.argos_package import build_argos_package
from qantara.config import Settings
from qantara.errors import InvalidPackage, ModelNotInstalled
from qantara.models import (
    PackageIndexError,
    find_package,
    install_from_index,
    install_package_file,
    list_packages,
    scan_packages,
    validate_package_file,
)

FOLDER = "translate-ar_en-1_0"


@pytest.fixture(scope="session")
def package_file(tmp_path_factory) -> Path:
    return build_argos_package(tmp_path_factory.mktemp("argos-package"))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(packages_dir=tmp_path / "packages")


def _rewrite(source: Path, target: Path, *, drop=(), replace=None, extra=()) -> Path:
    """Copy the archive ``source`` to ``target``, dropping, replacing or adding entries."""
    replace = replace or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            new.writestr(info, replace.get(info.filename, old.read(info)))
        for info, data in extra:
            new.writestr(info, data)
    return target


def _metadata(package_file: Path, **changes) -> bytes:
    with zipfile.ZipFile(package_file) as archive:
        metadata = json.loads(archive.read(f"{FOLDER}/metadata.json"))
    return json.dumps({**metadata, **changes}).encode()


def _symlink_entry() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(f"{FOLDER}/link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _missing(pkg: Path, tmp: Path) -> Path:
    return tmp / "absent.argosmodel"


def _not_zip(pkg: Path, tmp: Path) -> Path:
    path = tmp / "text.argosmodel"
    path.write_text("not a zip at all")
    return path


def _corrupt(pkg: Path, tmp: Path) -> Path:
    data = bytearray(pkg.read_bytes())
    middle = len(data) // 2  # inside model.bin's compressed data: the CRC check fails
    data[middle : middle + 64] = bytes(64)
    path = tmp / "corrupt.argosmodel"
    path.write_bytes(bytes(data))
    return path


def _truncated(pkg: Path, tmp: Path) -> Path:
    path = tmp / "truncated.argosmodel"
    path.write_bytes(pkg.read_bytes()[: pkg.stat().st_size // 2])
    return path


def _wrong_direction(pkg: Path, tmp: Path) -> Path:
    replace = {f"{FOLDER}/metadata.json": _metadata(pkg, from_code="en", to_code="ar")}
    return _rewrite(pkg, tmp / "en_ar.argosmodel", replace=replace)


def _no_metadata(pkg: Path, tmp: Path) -> Path:
    return _rewrite(pkg, tmp / "nometa.argosmodel", drop={f"{FOLDER}/metadata.json"})


def _bad_json(pkg: Path, tmp: Path) -> Path:
    replace = {f"{FOLDER}/metadata.json": b"{not json"}
    return _rewrite(pkg, tmp / "badjson.argosmodel", replace=replace)


def _no_model(pkg: Path, tmp: Path) -> Path:
    return _rewrite(pkg, tmp / "nomodel.argosmodel", drop={f"{FOLDER}/model/model.bin"})


def _no_tokenizer(pkg: Path, tmp: Path) -> Path:
    return _rewrite(pkg, tmp / "nosp.argosmodel", drop={f"{FOLDER}/sentencepiece.model"})


def _dot_dot(pkg: Path, tmp: Path) -> Path:
    extra = [(zipfile.ZipInfo(f"{FOLDER}/../../x"), b"escape")]
    return _rewrite(pkg, tmp / "dotdot.argosmodel", extra=extra)


def _absolute(pkg: Path, tmp: Path) -> Path:
    info = zipfile.ZipInfo("x")
    info.filename = "/tmp/qantara-escape"  # ZipInfo() strips a leading slash; force it
    return _rewrite(pkg, tmp / "absolute.argosmodel", extra=[(info, b"escape")])


def _symlink(pkg: Path, tmp: Path) -> Path:
    return _rewrite(pkg, tmp / "symlink.argosmodel", extra=[(_symlink_entry(), b"/etc/passwd")])


def _two_folders(pkg: Path, tmp: Path) -> Path:
    extra = [(zipfile.ZipInfo("other/file.txt"), b"x")]
    return _rewrite(pkg, tmp / "two.argosmodel", extra=extra)


BAD_PACKAGES = [
    (_missing, "no such file"),
    (_not_zip, "not a zip archive"),
    (_corrupt, "corrupt archive"),
    (_truncated, "not a zip archive"),
    (_wrong_direction, "package translates en→ar, expected ar→en"),
    (_no_metadata, "no metadata.json"),
    (_bad_json, "metadata.json is not valid JSON"),
    (_no_model, "no model/model.bin"),
    (_no_tokenizer, "no sentencepiece.model"),
    (_dot_dot, "escapes the package folder"),
    (_absolute, "absolute path"),
    (_symlink, "symbolic link"),
    (_two_folders, "exactly one top-level folder"),
]


def test_install_from_file_through_argos_lists_version_and_size(package_file, settings):
    installed = install_package_file(package_file, settings)
    assert installed.path == settings.packages_dir / FOLDER
    assert (installed.name, installed.version) == (FOLDER, "1.0")
    assert (installed.from_code, installed.to_code) == ("ar", "en")
    on_disk = sum(f.stat().st_size for f in installed.path.rglob("*") if f.is_file())
    assert installed.size_bytes == on_disk > 100_000
    assert list_packages(settings) == [installed]
    assert find_package(settings) == installed


def test_install_points_argos_at_each_settings_folder(package_file, tmp_path):
    first = install_package_file(package_file, Settings(packages_dir=tmp_path / "one"))
    second = install_package_file(package_file, Settings(packages_dir=tmp_path / "two"))
    assert first.path.parent == tmp_path / "one"
    assert second.path.parent == tmp_path / "two"


def test_reinstall_replaces_the_folder(package_file, settings):
    install_package_file(package_file, settings)
    stale = settings.packages_dir / FOLDER / "stale.txt"
    stale.write_text("left over")
    install_package_file(package_file, settings)
    assert not stale.exists()


@pytest.mark.parametrize("make, problem", BAD_PACKAGES, ids=[m.__name__ for m, _ in BAD_PACKAGES])
def test_bad_package_is_refused_with_file_named(make, problem, package_file, settings, tmp_path):
    good = install_package_file(package_file, settings)
    bad = make(package_file, tmp_path)
    with pytest.raises(InvalidPackage) as caught:
        install_package_file(bad, settings)
    assert str(bad) in str(caught.value)
    assert problem in str(caught.value)
    assert list_packages(settings) == [good]
    assert sorted(p.name for p in settings.packages_dir.iterdir()) == [FOLDER]
    assert not Path("/tmp/qantara-escape").exists()


def test_broken_folders_are_reported_not_fatal(package_file, settings):
    good = install_package_file(package_file, settings)
    (settings.packages_dir / "half-extracted").mkdir()
    (settings.packages_dir / "garbled").mkdir()
    (settings.packages_dir / "garbled" / "metadata.json").write_text("{")
    packages, issues = scan_packages(settings)
    assert packages == [good]
    assert [(i.ref.path.name, i.code) for i in issues] == [
        ("garbled", "broken-package"),
        ("half-extracted", "broken-package"),
    ]
    assert "metadata.json" in issues[1].message


def test_find_package_names_the_searched_folder(settings):
    with pytest.raises(ModelNotInstalled) as caught:
        find_package(settings)
    assert caught.value.pair == "ar-en"
    assert caught.value.searched == [settings.packages_dir]
    assert "qantara models install" in str(caught.value)


def test_validate_returns_metadata(package_file):
    metadata = validate_package_file(package_file)
    assert (metadata.folder, metadata.version, metadata.target_prefix) == (FOLDER, "1.0", "")


def _write_index(path: Path, entries: list[dict]) -> Path:
    path.write_text(json.dumps(entries))
    return path


def _entry(package_file: Path, **changes) -> dict:
    entry = {
        "package_version": "1.0",
        "argos_version": "1.0",
        "from_code": "ar",
        "from_name": "Arabic",
        "to_code": "en",
        "to_name": "English",
        "type": "translate",
        "links": [package_file.as_uri()],
    }
    return {**entry, **changes}


def test_install_from_local_index(package_file, settings, tmp_path):
    index = _write_index(
        tmp_path / "index.json",
        [_entry(package_file, from_code="en", to_code="ar"), _entry(package_file)],
    )
    seen: list[tuple[int, int | None]] = []
    installed = install_from_index(
        settings, index_url=index.as_uri(), progress=lambda done, total: seen.append((done, total))
    )
    assert installed == find_package(settings)
    assert seen[-1][0] == package_file.stat().st_size


def test_index_from_environment_folder(package_file, settings, tmp_path, monkeypatch):
    _write_index(tmp_path / "index.json", [_entry(package_file)])
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", tmp_path.as_uri() + "/")
    assert install_from_index(settings).name == FOLDER


@pytest.mark.parametrize(
    "url",
    ["file:///nonexistent/qantara/index.json", "http://127.0.0.1:9/index.json"],
)
def test_unreachable_index_is_a_clear_error(url, settings):
    with pytest.raises(PackageIndexError) as caught:
        install_from_index(settings, index_url=url)
    assert url in str(caught.value)
    assert "qantara models install FILE.argosmodel" in str(caught.value)


def test_index_without_the_pair(package_file, settings, tmp_path):
    index = _write_index(tmp_path / "index.json", [_entry(package_file, to_code="fr")])
    with pytest.raises(PackageIndexError, match="lists no ar→en package"):
        install_from_index(settings, index_url=str(index))


def test_dead_download_link(package_file, settings, tmp_path):
    entry = _entry(package_file, links=[(tmp_path / "gone.argosmodel").as_uri()])
    index = _write_index(tmp_path / "index.json", [entry])
    with pytest.raises(PackageIndexError, match="every download link failed"):
        install_from_index(settings, index_url=index.as_uri())
    assert list_packages(settings) == []


def test_importing_models_and_translate_leaves_argostranslate_alone():
    code = (
        "import sys, qantara.models, qantara.translate; "
        "print(sorted(m for m in sys.modules if m.startswith(('argostranslate', 'torch'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.stdout.strip() == "[]"


def test_failed_reinstall_keeps_the_installed_version(package_file, settings, tmp_path):
    good = install_package_file(package_file, settings)
    garbage = {f"{FOLDER}/model/model.bin": b"not a model"}
    broken = _rewrite(package_file, tmp_path / "garbage-model.argosmodel", replace=garbage)
    with pytest.raises(InvalidPackage, match="not installed: model/ fails its load test"):
        install_package_file(broken, settings)
    assert list_packages(settings) == [good]
    assert sorted(p.name for p in settings.packages_dir.iterdir()) == [FOLDER]
    assert (good.path / "model" / "model.bin").stat().st_size > 1000


def test_builder_works_without_shared(tmp_path, monkeypatch):
    from support import argos_package

    monkeypatch.setattr(argos_package, "_FLORES", tmp_path / "absent")
    built = build_argos_package(tmp_path, version="2.0", num_layers=1, d_model=32, ffn=64)
    assert validate_package_file(built).version == "2.0"
