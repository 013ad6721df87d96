import pytest

from qantara import config
from qantara.config import Settings
from qantara.errors import SettingsError


def test_later_sources_win(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.qantara]\nbeam_size = 2\nbatch-tokens = 512\nocr = false\n', "utf-8")
    settings = config.load(pyproject=pyproject, environ={})
    assert (settings.beam_size, settings.batch_tokens, settings.ocr) == (2, 512, False)
    settings = config.load(pyproject=pyproject, environ={"QANTARA_BEAM_SIZE": "3", "QANTARA_OCR": "yes"})
    assert (settings.beam_size, settings.ocr) == (3, True)
    settings = config.load({"beam_size": 5, "packages_dir": str(tmp_path)}, pyproject=pyproject,
                           environ={"QANTARA_BEAM_SIZE": "3"})
    assert settings.beam_size == 5 and settings.packages_dir == tmp_path


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"device": "tpu"}, "device"),
        ({"compute_type": "int4"}, "compute_type"),
        ({"beam_size": 0}, "beam_size"),
        ({"ocr": "maybe"}, "ocr"),
        ({"colour": "red"}, "unknown setting"),
    ],
)
def test_bad_settings_are_refused(overrides, message, tmp_path):
    with pytest.raises(SettingsError, match=message):
        config.load(overrides, pyproject=None, environ={})


def test_unknown_pyproject_key(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.qantara]\nbeams = 2\n", "utf-8")
    with pytest.raises(SettingsError, match="beams"):
        config.load(pyproject=pyproject, environ={})


def test_resolve_and_defaults(monkeypatch, tmp_path):
    assert config.resolve(None) == Settings()
    assert config.resolve({"beam_size": 2}).beam_size == 2
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path))
    assert Settings().resolved_packages_dir() == tmp_path
    assert Settings(device="cpu").resolved_compute_type() == "int8"
