"""Baselines: only new findings, across line shifts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hvlint.cli import main

OLD = 'int a __attribute__((section(".data")));\nint b __attribute__((section(".bss")));\n'


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[tuple[str, int]], str]:
    code = main(["check", "--format", "json", *args])
    out, err = capsys.readouterr()
    return code, ([(f["rule"], f["line"]) for f in json.loads(out)["findings"]] if code != 2 else []), err


def test_baseline_keeps_old_findings_out_across_line_shifts(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "x.c"
    src.write_text(OLD)
    base = tmp_path / "baseline.json"
    code = main(["check", "--write-baseline", str(base), str(src)])
    capsys.readouterr()
    assert code == 0 and len(json.loads(base.read_text())["findings"]) == 2
    # code moves down two lines and a new raw attribute appears
    src.write_text("/* moved */\n\n" + OLD + 'int c __attribute__((section(".data")));\n')
    code, got, _ = lint(capsys, "--baseline", str(base), str(src))
    assert code == 1 and got == [("HV201", 5)]
    # a copy of an old line is new too: counts are kept
    src.write_text(OLD + 'int a __attribute__((section(".data")));\n')
    _, got, _ = lint(capsys, "--baseline", str(base), str(src))
    assert got == [("HV201", 3)]
    code, _, err = lint(capsys, "--baseline", str(tmp_path / "nope.json"), str(src))
    assert code == 2 and "cannot read baseline" in err
    (tmp_path / "bad.json").write_text("[]")
    code, _, err = lint(capsys, "--baseline", str(tmp_path / "bad.json"), str(src))
    assert code == 2 and "not an hvlint baseline" in err
