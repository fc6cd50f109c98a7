"""Inline suppressions (`/* hvlint: ignore[HV201] */`) and HV902 unused-suppression."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hvlint.cli import main
from hvlint.suppress import scan

SRC = """\
int a __attribute__((section(".data"))); /* hvlint: ignore[HV201] */
/* hvlint: ignore[HV201, HV202] */
int b __attribute__((section(".data")));
int c __attribute__((section(".data")));
int d;
int e __attribute__((section(".data"))); // hvlint: ignore[HV305]
int f __attribute__((section(".data"))); /* hvlint: ignore */
"""


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> list[tuple[str, int]]:
    main(["check", "--format", "json", *args])
    return [(f["rule"], f["line"]) for f in json.loads(capsys.readouterr().out)["findings"]]


def test_scan() -> None:
    got = [(s.line, sorted(s.rules)) for s in scan(SRC, "x.c")]
    assert got == [(1, ["HV201"]), (2, ["HV201", "HV202"]), (6, ["HV305"]), (7, [])]


def test_suppressions_on_the_line_and_the_line_before(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    p = tmp_path / "x.c"
    p.write_text(SRC)
    # a: same line; b: line before; c, e: not suppressed (HV305 is another rule); f: every rule
    assert lint(capsys, str(p)) == [("HV201", 4), ("HV201", 6)]
    got = lint(capsys, "--report-unused-suppressions", str(p))
    # line 2 silenced HV201 but not HV202, line 6 silenced nothing
    assert got == [("HV902", 2), ("HV201", 4), ("HV201", 6), ("HV902", 6)]
    assert p.read_text() == SRC  # nothing written
