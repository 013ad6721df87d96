"""Glossary CSV files parsed with limits: every broken file is an error naming its file and row."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from qantara_cli import app
from qantara.errors import GlossaryError
from qantara.glossary import check_glossary, load_glossary

HEADER = "english,arabic,variants,type,note,context\n"
GOOD = [
    "Kuwait,الكويت,,place,,\n",
    "Astana,أستانا,استانا,place,,\n",
    "Tashkent,طشقند,,place,,\n",
    "Samarkand,سمرقند,,place,,\n",
]


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "rows, row, words",
    [
        # A 200 KiB cell: the csv module's own limit is 128 KiB.
        ([GOOD[0], "Astana,أستانا,,place," + "ن" * 200_000 + ",\n", *GOOD[2:]], 3, "at most 16,384"),
        ([GOOD[0], '"Astana,أستانا,,place,' + "ن" * 200_000 + ',\n', *GOOD[2:]], 3, "at most 16,384"),
        ([GOOD[0], "Astana,أستانا,,place," + "ن" * 5_000 + ",\n", *GOOD[2:]], 3, "at most 4,096"),
        # An unclosed quote that would swallow every later row into one cell.
        ([GOOD[0], 'Astana,"أستانا,,place,,\n', *GOOD[2:]], 3, "never closed"),
        # ... or the rows up to the next quote.
        ([GOOD[0], 'Astana,"أستانا,,place,,\n', GOOD[2], 'Samarkand,سمرقند,,place,"a note",\n'], 3,
         "lines 3-5: a quote opened in this row is not closed"),
        ([GOOD[0], 'Astana,"أستانا,,place,,\n', GOOD[2], 'Samarkand,سمرقند",place,,\n', GOOD[0]], 3,
         "lines 3-5 were read as one row"),
        # ... or many short lines, past the csv module's field limit.
        ([GOOD[0], 'Astana,"أستانا\n' + "x,y\n" * 40_000, *GOOD[2:]], 3, "quote"),
        ([GOOD[0], "Astana,أستا\x00نا,,place,,\n"], 3, "control character U+0000"),
    ],
    ids=["long-line", "long-quoted-line", "long-cell", "unclosed-quote", "quote-closed-later",
         "quote-closed-at-a-comma",
         "unclosed-many-lines", "nul"],
)
def test_broken_csv_is_an_error_at_its_row(tmp_path, rows, row, words):
    path = _write(tmp_path / "names.csv", rows)
    problems = check_glossary(path)
    errors = [p for p in problems if p.severity == "error"]
    assert [(p.path, p.row) for p in errors] == [(path, row)], problems
    assert words in errors[0].message
    with pytest.raises(GlossaryError, match=f"names.csv, row {row}"):
        load_glossary(path)


def test_rows_before_the_broken_one_are_still_checked(tmp_path):
    path = _write(tmp_path / "names.csv", ["Kuwait,الكويت,,city,,\n", 'Astana,"أستانا,,place,,\n', GOOD[2]])
    assert [(p.row, p.message.split(" ")[0]) for p in check_glossary(path)] == [(2, "unknown"), (3, "lines")]


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    import qantara.glossary.matcher as matcher

    monkeypatch.setattr(matcher, "_MAX_FILE_BYTES", 100)
    path = _write(tmp_path / "names.csv", GOOD)
    (problem,) = check_glossary(path)
    assert (problem.path, problem.severity) == (path, "error") and "at most 100" in problem.message


def test_cli_check_prints_one_line_per_problem_without_traceback(tmp_path):
    path = _write(tmp_path / "names.csv", [GOOD[0], 'Astana,"أستانا,,place,,\n', *GOOD[2:]])
    result = CliRunner().invoke(app, ["glossary", "check", "--glossary", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:3: error: lines 3-5: a quote opened in this row is never closed "
        "(every row after it would be lost)",
        "1 file(s), 1 error(s), 0 warning(s)",
    ]
    assert result.exception is None or isinstance(result.exception, SystemExit)
