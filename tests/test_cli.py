"""The command line per shared/contract.md: formats, exit codes, select/ignore, --fix/--diff,
rule docs and bad input."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from hvlint.cli import main
from hvlint.registry import all_rules

SEED = (
    'int xen_hvmlite __attribute__((section(".data"))) = 0;\n'
    'struct hvm_start_info hvmlite_start_info __attribute__((section(".data")));\n'
    "uint hvmlite_start_info_sz = sizeof(hvmlite_start_info);\n"
    'static struct boot_params pvh_bootparams __attribute__((__section__(".init.data"), aligned(8)));\n'
    'static const char * const pvh_names[] __initdata = { "pvh" };\n'
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    p = tmp_path / "pvh.c"
    p.write_text(SEED)
    return p


def test_text_output_and_exit_code(capsys: pytest.CaptureFixture[str], seed: Path) -> None:
    code, out, err = run(capsys, str(seed))
    lines = out.splitlines()
    assert code == 1
    assert lines[0].startswith('pvh.c:1:17: HV201 [warning] use __section(".data")')
    assert [ln.split()[1] for ln in lines] == ["HV201", "HV201", "HV201", "HV202", "HV203"]
    assert "Found 5 findings (HV201 3, HV202 1, HV203 1) |" in err  # the summary counts by rule


def test_json_output_follows_the_contract(capsys: pytest.CaptureFixture[str], seed: Path) -> None:
    code, out, _ = run(capsys, "--format", "json", str(seed))
    doc = json.loads(out)
    assert code == 1 and doc["version"] == 1 and doc["tool"]["name"] == "hvlint"
    assert set(doc["stats"]) == {"files", "parse_errors", "seconds"}
    f = doc["findings"][3]
    assert f["rule"] == "HV202" and f["name"] == "section-has-named-macro" and f["severity"] == "warning"
    assert f["path"] == "pvh.c" and f["line"] == 4 and f["symbol"] == "pvh_bootparams"
    assert f["fix"]["replacement"] == "__initdata __aligned(8)"
    assert {"line", "column", "end_line", "end_column"} <= set(f["fix"]) and f["trace"] == []


def test_select_ignore_and_fail_on(capsys: pytest.CaptureFixture[str], seed: Path) -> None:
    _, out, _ = run(capsys, "--select", "HV203", str(seed))
    assert [ln.split()[1] for ln in out.splitlines()] == ["HV203"]
    _, out, _ = run(capsys, "--ignore", "HV2", str(seed))
    assert out == ""
    code, _, err = run(capsys, "--fail-on", "error", str(seed))
    assert code == 0
    code, _, err = run(capsys, "--select", "HV999", str(seed))
    assert code == 2 and err.startswith("hvlint: error: unknown rule")


def test_diff_writes_nothing_and_fix_is_idempotent(capsys: pytest.CaptureFixture[str], seed: Path) -> None:
    before = seed.read_bytes()
    os.chmod(seed, 0o640)
    code, out, _ = run(capsys, "--diff", str(seed))
    assert code == 1 and out.startswith("--- a/pvh.c") and '+int xen_hvmlite __section(".data") = 0;' in out
    assert seed.read_bytes() == before
    code, out, _ = run(capsys, "--fix", str(seed))
    after = seed.read_text()
    assert 'int xen_hvmlite __section(".data") = 0;' in after
    assert "pvh_bootparams __initdata __aligned(8);" in after
    assert "pvh_names[] __initdata" in after  # HV203's fix is unsafe: not applied without --unsafe-fixes
    assert stat.S_IMODE(os.stat(seed).st_mode) == 0o640
    assert [ln.split()[1] for ln in out.splitlines()] == ["HV203"]
    code, out, err = run(capsys, "--fix", str(seed))
    assert seed.read_text() == after and "fixed" not in err
    code, _, _ = run(capsys, "--fix", "--unsafe-fixes", str(seed))
    assert "pvh_names[] __initconst" in seed.read_text() and code == 0
    assert not [p for p in seed.parent.iterdir() if p.name.startswith(".hvlint-")]


def test_fix_refuses_symlinks(capsys: pytest.CaptureFixture[str], tmp_path: Path, seed: Path) -> None:
    link = tmp_path / "link.c"
    link.symlink_to(seed)
    code, _, err = run(capsys, "--fix", str(link))
    assert "symbolic link" in err and seed.read_text() == SEED


def test_bad_input_is_hv901(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "empty.c").write_bytes(b"")
    (tmp_path / "bin.c").write_bytes(b"int x;\n\0\1\2")
    (tmp_path / "latin1.c").write_bytes(b'/* Jos\xe9 */\nint y __attribute__((section(".data")));\n')
    code, out, err = run(capsys, str(tmp_path))
    assert code == 1 and "Traceback" not in err
    lines = sorted(out.splitlines())
    assert lines[0].startswith("bin.c:1:1: HV901 [warning] binary file (NUL byte on line 2)")
    assert lines[1].startswith("empty.c:1:1: HV901 [warning] empty file")
    assert lines[2].startswith("latin1.c:1:1: HV901 [warning] not valid UTF-8 (byte 0xe9 on line 1)")
    assert lines[3].startswith("latin1.c:2:7: HV201")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/nonexistent/x.c"], "no such file"),
        (["--format", "xml", "x.c"], "invalid choice"),
        (["--jobs", "0", "."], "--jobs must be at least 1"),
        (["explain", "HV999"], "unknown rule"),
        (["sections", "/"], "not inside a kernel tree"),
    ],
)
def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    ids = [ln.split()[0] for ln in out.splitlines()]
    assert code == 0 and ids == sorted(ids) and {"HV201", "HV202", "HV203", "HV901"} <= set(ids)
    code, out, _ = run(capsys, "explain", "raw-section-attribute")
    assert code == 0 and out.startswith("# HV201 raw-section-attribute\n\nSeverity: warning, on by default.")
    assert "/* hvlint: ignore[HV201] */" in out
    for heading in ("## Why it matters", "## Example", "## Fix", "## Suppress"):
        assert heading in out


def _code_block(text: str) -> str:
    return "\n".join(ln[4:] for ln in text.splitlines() if ln.startswith("    ")) + "\n"


@pytest.mark.parametrize("rule", [r for r in all_rules() if r.id != "HV901"], ids=lambda r: r.id)
def test_rule_docs_examples_fire_and_fixes_do_not(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, rule: object
) -> None:
    r = rule  # type: ignore[assignment]
    example, fix = _code_block(r.section("Example")), _code_block(r.section("Fix"))  # type: ignore[attr-defined]
    assert example.strip() and fix.strip()
    (tmp_path / "example.c").write_text(example)
    (tmp_path / "fix.c").write_text(fix)
    _, out, _ = run(capsys, "--select", r.id, str(tmp_path / "example.c"))  # type: ignore[attr-defined]
    assert r.id in out  # type: ignore[attr-defined]
    _, out, _ = run(capsys, "--select", r.id, str(tmp_path / "fix.c"))  # type: ignore[attr-defined]
    assert out == ""


def test_version_and_module_entry_point() -> None:
    res = subprocess.run([sys.executable, "-m", "hvlint", "--version"], capture_output=True, text=True)
    assert res.returncode == 0 and re.match(r"hvlint \d+\.\d+\.\d+", res.stdout)


def test_the_command_writes_everything_before_it_leaves(seed: Path) -> None:
    """The command leaves with os._exit once main() returns: the report, piped, is whole,
    and the exit code is main's (1: findings)."""
    res = subprocess.run(
        [sys.executable, "-m", "hvlint", "--format", "json", "--no-cache", str(seed)], capture_output=True, text=True
    )
    assert res.returncode == 1, res.stderr
    assert len(json.loads(res.stdout)["findings"]) >= 4
    res = subprocess.run([sys.executable, "-m", "hvlint", "--no-such-option"], capture_output=True, text=True)
    assert res.returncode == 2 and res.stderr.count("\n") == 1


def test_every_subpackage_is_packaged() -> None:
    import tomllib

    root = Path(__file__).resolve().parent.parent
    conf = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
    declared = set(conf["packages"])
    found = {"hvlint"} | {
        "hvlint." + str(p.parent.relative_to(root / "linter")).replace(os.sep, ".")
        for p in (root / "linter").rglob("__init__.py")
        if p.parent != root / "linter"
    }
    found.add("hvlint.rules")
    assert found == declared
