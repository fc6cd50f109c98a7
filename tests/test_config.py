""".hvlint.toml / [tool.hvlint]: found upward from the linted path, flags win, bad keys are
one clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hvlint.cli import main

SRC = 'int a __attribute__((section(".data")));\nstatic const int t[] __attribute__((section(".init.data"))) = { 1 };\n'


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[tuple[str, str, int]], str]:
    code = main(["check", "--format", "json", *args])
    out, err = capsys.readouterr()
    if code == 2:
        return code, [], err
    return code, [(f["rule"], f["severity"], f["line"]) for f in json.loads(out)["findings"]], err


def test_config_found_upward_and_flags_win(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    src = tmp_path / "sub" / "x.c"
    src.write_text(SRC)
    _, base, _ = lint(capsys, str(src))
    assert base == [("HV201", "warning", 1), ("HV201", "warning", 2), ("HV203", "warning", 2)]
    (tmp_path / ".hvlint.toml").write_text('[severity]\nHV201 = "error"\n[per-file-ignores]\n"*.c" = ["HV203"]\n')
    _, got, _ = lint(capsys, str(src))
    assert got == [("HV201", "error", 1), ("HV201", "error", 2)]
    _, got, _ = lint(capsys, "--isolated", str(src))
    assert got == base
    _, got, _ = lint(capsys, "--select", "HV203", str(src))  # the flag picks the rules, the file's ignores stay
    assert got == []
    (tmp_path / ".hvlint.toml").unlink()
    (tmp_path / "pyproject.toml").write_text('[tool.hvlint]\nselect = ["HV203"]\n')
    _, got, _ = lint(capsys, str(src))
    assert got == [("HV203", "warning", 2)]


@pytest.mark.parametrize(
    "text, words",
    [
        ("selct = []\n", "unknown key"),
        ('select = "HV2"\n', "must be a list"),
        ('scope = "some"\n', "default"),
        ('[severity]\nHV201 = "fatal"\n', "error"),
        ('ignore = ["HV999"]\n', "unknown rule"),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_bad_config_is_one_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, words: str
) -> None:
    (tmp_path / ".hvlint.toml").write_text(text)
    (tmp_path / "x.c").write_text(SRC)
    code, _, err = lint(capsys, str(tmp_path / "x.c"))
    assert code == 2 and words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
