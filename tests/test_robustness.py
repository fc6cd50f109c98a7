"""Bad input and hostile trees: every case gives HV901 (a finding that says what is wrong
with the file) or a one-line error with exit code 2, never a traceback or a hang; nothing
from the tree runs; --fix leaves every file either as it was or fixed.

Inputs are generated here, in a copy of corpus/trees/pvh-mini (docs/robustness.md counts
them).  Runs go through a subprocess with a timeout where a hang is the failure to catch."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hvlint import cli

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
HUGE = 50 * 1024 * 1024


def _hvlint(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hvlint", *args], capture_output=True, text=True, cwd=cwd, timeout=timeout
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    t = tmp_path / "linux"
    shutil.copytree(CORPUS / "trees" / "pvh-mini", t)
    return t


# What each bad file is, and the HV901 message it must get (None: linted, no HV901).
BAD_FILES: dict[str, tuple[bytes, str | None]] = {
    "empty.c": (b"", "empty file: nothing to lint"),
    "nul.c": (b"int a;\n\0int b;\n", "binary file (NUL byte on line 2)"),
    "latin1.c": (b"/* caf\xe9 */\nint x;\n", "not valid UTF-8 (byte 0xe9 on line 1)"),
    "crlf.c": (b'int y __attribute__((section(".data"))) = 1;\r\nint z;\r\n', None),
    "longline.c": (b"int q = " + b"1+" * 500_000 + b"1;\n", None),
    "deep_parens.c": (b"int f(void) { return " + b"(" * 10_000 + b"1" + b")" * 10_000 + b"; }\n", None),
    "deep_braces.c": (b"void g(void) " + b"{" * 10_000 + b"}" * 10_000 + b"\n", None),
    "deep_if.c": (b"#if A\n" * 10_000 + b"int d;\n" + b"#endif\n" * 10_000, None),
    "unterminated_comment.c": (b"int a; /* never closed\nint b;\n", "unterminated comment"),
    "unterminated_string.c": (b'char *s = "never closed;\nint b;\n', "unterminated string literal"),
    "unterminated_if.c": (b"#ifdef CONFIG_X\nint a;\n", "unterminated #if"),
    "only_garbage.c": (bytes(range(1, 256)) * 64, "not valid UTF-8"),
}


def test_every_bad_file_gets_hv901_or_is_linted(tree: Path) -> None:
    d = tree / "arch/x86/xen"
    for name, (data, _) in BAD_FILES.items():
        (d / name).write_bytes(data)
    (d / "huge.c").write_bytes(b"int x;\n" * (HUGE // 7))
    r = _hvlint("--format", "json", "--no-cache", str(tree))
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    got: dict[str, list[str]] = {}
    for f in json.loads(r.stdout)["findings"]:
        if f["rule"] == "HV901":
            got.setdefault(f["path"].rsplit("/", 1)[-1], []).append(f["message"])
    for name, (_, message) in BAD_FILES.items():
        if message is None:
            assert name not in got, (name, got.get(name))
        else:
            assert any(m.startswith(message) for m in got.get(name, [])), (name, got.get(name))
    assert got["huge.c"] == [f"cannot lint: file is {(HUGE // 7) * 7} bytes, over the 16777216-byte limit"]
    # CRLF lines count as lines: the finding is on line 1, column 7
    crlf = [f for f in json.loads(r.stdout)["findings"] if f["path"].endswith("crlf.c")]
    assert [(f["rule"], f["line"], f["column"]) for f in crlf] == [("HV201", 1, 7)]


def test_links_and_odd_names(tree: Path, tmp_path: Path) -> None:
    d = tree / "arch/x86/xen"
    (d / "loop1.c").symlink_to("loop2.c")
    (d / "loop2.c").symlink_to("loop1.c")
    outside = tmp_path / "outside.c"
    outside.write_text('int o __attribute__((section(".data")));\n')
    (d / "out.c").symlink_to(outside)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/far.c").write_text('int far __attribute__((section(".data")));\n')
    (d / "dirlink").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    raw = b'int n __attribute__((section(".data")));\n'
    (d / "with space.c").write_bytes(raw)
    (d / "new\nline.c").write_bytes(raw)
    os.mkdir(os.fsencode(d) + b"/odd\xffdir")
    with open(os.fsencode(d) + b"/odd\xffdir/bad\xffname.c", "wb") as fh:
        fh.write(raw)
    r = _hvlint("--format", "json", "--no-cache", str(tree))
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    found = json.loads(r.stdout)["findings"]
    by_path = {(f["path"], f["rule"]): f["message"] for f in found}
    assert by_path[("arch/x86/xen/loop1.c", "HV901")].startswith("cannot lint: broken symbolic link")
    assert by_path[("arch/x86/xen/out.c", "HV901")] == (
        "cannot lint: symbolic link that points outside the tree; not followed"
    )
    assert not any("far" in p for p, _ in by_path)  # a folder link out of the tree is not walked
    for name in ("with space.c", "new\nline.c", "odd\udcffdir/bad\udcffname.c"):
        assert ("arch/x86/xen/" + name, "HV201") in by_path, sorted(by_path)
    # the text format keeps one finding a line: a newline in a name is escaped
    text = _hvlint("--no-cache", str(tree)).stdout
    assert "arch/x86/xen/new\\nline.c:1:" in text and "arch/x86/xen/odd\\udcffdir/bad\\udcffname.c:1:" in text


def test_a_file_that_vanishes_or_cannot_be_read_during_the_run(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hvlint import discover

    real = discover.read_source
    gone, locked = "arch/x86/xen/enlighten_pv.c", "arch/x86/xen/enlighten_pvh.c"

    def racing(root: str, rel: str) -> discover.ReadResult:
        if rel == gone and os.path.exists(os.path.join(root, rel)):
            os.unlink(os.path.join(root, rel))  # found by the walk, gone when read
        if rel == locked:

            def denied(*a: object, **k: object) -> None:
                raise PermissionError(13, "Permission denied")

            monkeypatch.setattr("builtins.open", denied)
            try:
                return real(root, rel)
            finally:
                monkeypatch.undo()
        return real(root, rel)

    monkeypatch.setattr(discover, "read_source", racing)
    code = cli.main(["check", "--format", "json", "--no-cache", "--jobs", "1", str(tree)])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err
    msgs = {f["path"]: f["message"] for f in json.loads(out)["findings"] if f["rule"] == "HV901"}
    assert msgs[gone] == "cannot lint: file vanished before it could be read"
    assert msgs[locked] == "cannot lint: permission denied"


def test_a_folder_that_cannot_be_listed(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As root a chmod 000 folder stays readable: the walk's error is simulated."""
    locked = tree / "drivers/xen"
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if os.fspath(path) == str(locked):  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)  # type: ignore[arg-type]

    real_listdir = os.listdir

    def listdir(path: object = ".") -> list[str]:
        if os.fspath(path) == str(locked):  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(locked))
        return real_listdir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "listdir", listdir)
    code = cli.main(["check", "--format", "json", "--no-cache", "--jobs", "1", str(tree)])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err
    msgs = {f["path"]: f["message"] for f in json.loads(out)["findings"] if f["rule"] == "HV901"}
    assert msgs["drivers/xen"] == "cannot lint: cannot read this folder (Permission denied): its files are not linted"


def test_one_slow_file_is_cut_off_and_reported(tree: Path) -> None:
    (tree / "arch/x86/xen/slow.c").write_bytes(b"int q = " + b"1+" * 400_000 + b"1;\n")
    t0 = time.monotonic()
    r = _hvlint("--format", "json", "--no-cache", "--file-timeout", "0.05", str(tree / "arch/x86/xen/slow.c"))
    assert time.monotonic() - t0 < 60
    assert r.returncode == 1, r.stderr
    (f,) = json.loads(r.stdout)["findings"]
    assert (f["rule"], f["message"]) == ("HV901", "took over 0.05 s to parse: not linted (see --file-timeout)")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "truncated.patch",
            b"diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,4 @@\n int a;\n+int b",
            "malformed diff",
        ),
        ("binary.patch", bytes(range(256)) * 16, "binary data, not a patch or a mail"),
        (
            "missing.patch",
            b"diff --git a/nothere.c b/nothere.c\n--- a/nothere.c\n+++ b/nothere.c\n@@ -1 +1,2 @@\n int a;\n+int b;\n",
            "patches nothere.c, which is not in the tree",
        ),
        ("empty.patch", b"", "empty; no patch to review"),
    ],
)
def test_bad_patches_are_one_line_errors(tree: Path, tmp_path: Path, name: str, data: bytes, message: str) -> None:
    p = tmp_path / name
    p.write_bytes(data)
    r = _hvlint("--patch", str(p), str(tree))
    assert r.returncode == 2 and message in r.stderr, r.stderr
    assert r.stderr.strip().count("\n") == 0 and "Traceback" not in r.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/nonexistent/linux"], "no such file or directory"),
        (["--root", "/tmp", "x.c"], "not a kernel tree"),
        (["--file-timeout", "soon", "."], "invalid float value"),
    ],
)
def test_bad_paths_and_options_are_one_line_errors(args: list[str], message: str, tmp_path: Path) -> None:
    (tmp_path / "x.c").write_text("int x;\n")
    r = _hvlint(*args, cwd=tmp_path)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_a_folder_that_is_not_a_kernel_tree_is_linted_with_the_shipped_tables(tmp_path: Path) -> None:
    (tmp_path / "x.c").write_text('int x __attribute__((section(".data")));\n')
    r = _hvlint("--format", "json", str(tmp_path))
    assert r.returncode == 1
    assert [(f["path"], f["rule"]) for f in json.loads(r.stdout)["findings"]] == [("x.c", "HV201")]


# -- nothing from the tree runs --------------------------------------------------------------


def test_nothing_from_the_tree_executes(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tree whose Makefile, scripts, Python files, configuration and compile database all
    try to run something: hvlint reads them as data or not at all, and starts no process."""
    mark = tree / "PWNED"
    (tree / "Makefile").write_text(f"all:\n\ttouch {mark}\n")
    (tree / "scripts").mkdir(exist_ok=True)
    (tree / "scripts/checkpatch.pl").write_text(f"#!/usr/bin/perl\nopen(F, '>{mark}');\n")
    for py in ("hvlint.py", "linter.py", "sitecustomize.py", "conftest.py"):
        (tree / py).write_text(f"open({str(mark)!r}, 'w').close()\n")
    (tree / ".hvlint.toml").write_text('select = ["ALL"]\n')
    cmd = f"touch {mark}; gcc -c arch/x86/xen/enlighten_pv.c $(touch {mark}) `touch {mark}`"
    (tree / "compile_commands.json").write_text(
        json.dumps([{"directory": str(tree), "file": "arch/x86/xen/enlighten_pv.c", "command": cmd}])
    )

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"hvlint started a process: {args[:1]}")

    for name in ("system", "popen", "posix_spawn", "posix_spawnp", "execv", "execve", "execvp", "fork", "forkpty"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, forbidden)
    monkeypatch.setattr(subprocess, "Popen", forbidden)
    before = set(sys.modules)
    code = cli.main(["check", "--jobs", "1", "--no-cache", str(tree)])
    err = capsys.readouterr().err
    assert code in (0, 1), err
    # the database was read as data: with libclang, the file was parsed in this process
    from hvlint.frontend.clang import available

    assert ("precise mode: 1 files from libclang" in err) == (available() is None), err
    # configuration is data: a key hvlint does not know is an error, never run
    (tree / ".hvlint.toml").write_text(f'[tool]\ncommand = "touch {mark}"\n')
    assert cli.main(["check", "--jobs", "1", "--no-cache", str(tree)]) == 2
    assert "unknown key" in capsys.readouterr().err
    assert not mark.exists()
    assert str(tree) not in " ".join(sys.path)
    for name in set(sys.modules) - before:
        f = getattr(sys.modules[name], "__file__", None) or ""
        assert not f.startswith(str(tree)), (name, f)


# -- --fix --------------------------------------------------------------------------------------


FIXABLE = 'int v{i} __attribute__((section(".data"))) = {i};\n'


def test_fix_keeps_the_mode_and_skips_read_only_files(tree: Path) -> None:
    d = tree / "arch/x86/xen"
    ro, rw = d / "ro.c", d / "rw.c"
    ro.write_text(FIXABLE.format(i=1))
    rw.write_text(FIXABLE.format(i=2))
    ro.chmod(0o444)
    rw.chmod(0o640)
    r = _hvlint("--fix", "--no-cache", str(ro), str(rw))
    assert "arch/x86/xen/ro.c: is read-only: not rewritten" in r.stderr, r.stderr
    assert ro.read_text() == FIXABLE.format(i=1)
    assert rw.read_text() == 'int v2 __section(".data") = 2;\n'
    assert (ro.stat().st_mode & 0o777, rw.stat().st_mode & 0o777) == (0o444, 0o640)
    assert not list(d.glob(".hvlint-*"))


def test_a_fix_run_killed_halfway_leaves_each_file_old_or_new(tree: Path) -> None:
    d = tree / "arch/x86/xen/many"
    d.mkdir()
    n = 400
    old = {f"f{i:03}.c": "".join(FIXABLE.format(i=i * 100 + k) for k in range(40)) for i in range(n)}
    for name, text in old.items():
        (d / name).write_text(text)
    new = {name: text.replace('__attribute__((section(".data")))', '__section(".data")') for name, text in old.items()}
    proc = subprocess.Popen(
        [sys.executable, "-m", "hvlint", "--fix", "--no-cache", "--jobs", "1", str(d)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if any((d / name).read_text() != text for name, text in list(old.items())[:: n // 8]):
            break  # some files are written: kill it now
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    states = {"old": 0, "new": 0}
    for name in old:
        text = (d / name).read_text()
        assert text in (old[name], new[name]), f"{name} is neither the old nor the fixed text"
        states["old" if text == old[name] else "new"] += 1
    assert states["new"] > 0
    print(f"killed with {states['new']} files fixed, {states['old']} as they were")
    # the run again finishes the job
    r = _hvlint("--fix", "--no-cache", str(d))
    assert r.returncode == 0, r.stderr
    assert all((d / name).read_text() == new[name] for name in old)


def test_fix_removes_its_own_stale_temporary_files_only(tree: Path) -> None:
    d = tree / "arch/x86/xen"
    target = d / "t.c"
    target.write_text(FIXABLE.format(i=3))
    stale, fresh, other = d / ".hvlint-abc123.tmp", d / ".hvlint-def456.tmp", d / ".other-ghi.tmp"
    for p in (stale, fresh, other):
        p.write_text("half a file\n")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    os.utime(other, (hour_ago, hour_ago))
    r = _hvlint("--fix", "--no-cache", str(target))
    assert r.returncode == 0, r.stderr
    assert not stale.exists()  # left by a killed run an hour ago
    assert fresh.exists() and other.exists()  # maybe another hvlint's, mid-write; not ours
