"""`--format github` (workflow commands GitHub Actions turns into annotations) and `--format gitlab`
(a Code Quality report)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hvlint.cli import main
from hvlint.facts import Span
from hvlint.findings import Finding, Severity, TraceStep
from hvlint.report import github


def test_escaping_levels_and_trace() -> None:
    f = Finding(
        "HV301",
        "init-reference-from-runtime",
        Severity.WARNING,
        "arch/x86/a,b:c.c",
        Span(3, 5, 3, 9, 0, 0),
        "100% wrong\nreally",
        trace=(TraceStep("root", "init/main.c", 7),),
    )
    i = Finding("HV305", "could-be-init", Severity.INFO, "x.c", Span(1, 1, 1, 2, 0, 0), "m")
    assert github.render([f, i]).splitlines() == [
        "::warning file=arch/x86/a%2Cb%3Ac.c,line=3,col=5,endLine=3,endColumn=9,"
        "title=HV301 init-reference-from-runtime::100%25 wrong%0Areally%0A  init/main.c:7: root",
        "::notice file=x.c,line=1,col=1,endLine=1,endColumn=2,title=HV305 could-be-init::m",
    ]
    assert github.render([]) == ""


def test_github_annotates_ten_of_each_kind_most_severe_first() -> None:
    """GitHub drops annotations past 10 of a kind per step without a word: hvlint annotates
    10 of each, and lists the rest in the log under one notice."""

    def finding(n: int, sev: Severity) -> Finding:
        return Finding("HV201", "raw-section-attribute", sev, f"f{n:02}.c", Span(n, 1, n, 2, 0, 0), f"m{n}")

    warnings = [finding(n, Severity.WARNING) for n in range(1, 14)]
    errors = [finding(n, Severity.ERROR) for n in range(20, 22)]
    notes = [finding(n, Severity.INFO) for n in range(30, 42)]
    lines = github.render(notes + warnings + errors).splitlines()
    kinds = [ln.split(" ", 1)[0] for ln in lines if ln.startswith("::")]
    assert kinds == ["::error"] * 2 + ["::warning"] * 10 + ["::notice"] * 10 + ["::notice"]
    assert lines[22] == (
        "::notice title=hvlint::5 more findings not annotated (GitHub shows 10 annotations of each kind per step): "
        "they are listed in this step's log"
    )
    assert lines[23:] == [
        "f11.c:11:1: HV201 [warning] m11",
        "f12.c:12:1: HV201 [warning] m12",
        "f13.c:13:1: HV201 [warning] m13",
        "f40.c:40:1: HV201 [info] m40",
        "f41.c:41:1: HV201 [info] m41",
    ]


def test_cli_format_github(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    p = tmp_path / "x.c"
    p.write_text('int a __attribute__((section(".data")));\n')
    assert main(["check", "--format", "github", "-q", str(p)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("::warning file=x.c,line=1,col=7,") and "title=HV201 raw-section-attribute::" in out


def test_cli_format_gitlab(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import json

    p = tmp_path / "x.c"
    p.write_text('int a __attribute__((section(".data")));\nint b __attribute__((section(".data")));\n')
    assert main(["check", "--format", "gitlab", "-q", str(p)]) == 1
    issues = json.loads(capsys.readouterr().out)
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("HV201 raw-section-attribute", "major", {"path": "x.c", "lines": {"begin": 1, "end": 1}}),
        ("HV201 raw-section-attribute", "major", {"path": "x.c", "lines": {"begin": 2, "end": 2}}),
    ]
    assert len({i["fingerprint"] for i in issues}) == 2 and all(i["description"].startswith("HV201 ") for i in issues)
    p.write_text("")
    assert main(["check", "--format", "gitlab", "-q", "--ignore", "HV901", str(p)]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_text_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    from hvlint.report import text

    f = Finding("HV201", "raw-section-attribute", Severity.WARNING, "x.c", Span(1, 2, 1, 3, 0, 0), "m")
    assert "\x1b[" not in text.render([f]) and "\x1b[33m[warning]\x1b[0m" in text.render([f], colour=True)

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert text.use_colour(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not text.use_colour(Tty())
    assert not text.use_colour(object())
