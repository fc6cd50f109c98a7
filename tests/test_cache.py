"""The on-disk cache: same findings warm as cold, edits seen, damaged or foreign entries
rebuilt, concurrent runs safe, and a cache that cannot be written never fails the lint."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from hvlint import cache as cache_mod
from hvlint.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "trees"


def _tree(tmp_path: Path, name: str = "init-lifetime") -> Path:
    dst = tmp_path / "linux"
    shutil.copytree(CORPUS / name, dst)
    return dst


def _lint(tree: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict, str]:
    code = main(["--format", "json", "--select", "ALL", *extra, str(tree)])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def _entries(d: Path) -> dict[str, int]:
    db = sqlite3.connect(d / cache_mod.DB_NAME)
    try:
        return dict(db.execute("SELECT kind, count(*) FROM entries GROUP BY kind").fetchall())
    finally:
        db.close()


def test_warm_run_is_the_cold_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = _tree(tmp_path)
    d = tmp_path / "c"
    code1, cold, _ = _lint(tree, capsys, "--cache-dir", str(d))
    kinds = _entries(d)
    assert kinds["facts"] == cold["stats"]["files"] and kinds["run"] == 1
    code2, warm, _ = _lint(tree, capsys, "--cache-dir", str(d))
    assert (code1, cold["findings"]) == (code2, warm["findings"]) and cold["findings"]
    assert warm["stats"]["files"] == cold["stats"]["files"]


def test_an_edit_is_seen(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = _tree(tmp_path)
    d = tmp_path / "c"
    _, before, _ = _lint(tree, capsys, "--cache-dir", str(d))
    f = tree / "arch" / "x86" / "xen" / "time.c"
    f.write_text(f.read_text() + '\nint hv_new __attribute__((section(".data")));\n')
    _, after, _ = _lint(tree, capsys, "--cache-dir", str(d))
    new = [x for x in after["findings"] if x not in before["findings"]]
    assert [(x["rule"], x["path"]) for x in new] == [("HV201", "arch/x86/xen/time.c")]
    # and the cache now holds both versions of that file's facts
    assert _entries(d)["facts"] == before["stats"]["files"] + 1
    f.write_text(f.read_text().replace('int hv_new __attribute__((section(".data")));\n', ""))
    _, again, _ = _lint(tree, capsys, "--cache-dir", str(d))
    assert again["findings"] == before["findings"]


def test_header_edit_invalidates_the_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A new section macro in a header: the section table and every file's facts follow."""
    tree = _tree(tmp_path, "pvh-mini")
    d = tmp_path / "c"
    _, before, _ = _lint(tree, capsys, "--cache-dir", str(d))
    init_h = tree / "include" / "linux" / "init.h"
    init_h.write_text(init_h.read_text().replace("#endif", '#define __xen_early __section(".init.data")\n#endif', 1))
    c = tree / "drivers" / "xen" / "early.c"
    c.write_text('#include <linux/init.h>\nint x __attribute__((section(".init.data")));\n')
    _, after, _ = _lint(tree, capsys, "--cache-dir", str(d))
    got = [x for x in after["findings"] if x["path"] == "drivers/xen/early.c"]
    assert got and all("__initdata" in x["message"] or "__section" in x["message"] for x in got)
    code = main(["--no-cache", "--format", "json", "--select", "ALL", str(tree)])
    fresh = json.loads(capsys.readouterr().out)
    assert code in (0, 1) and fresh["findings"] == after["findings"]


def test_no_cache_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = _tree(tmp_path)
    d = tmp_path / "c"
    _lint(tree, capsys, "--no-cache", "--cache-dir", str(d))
    assert not d.exists()


def test_cache_dir_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = _tree(tmp_path)
    d = tmp_path / "env-cache"
    monkeypatch.setenv("HVLINT_CACHE_DIR", str(d))
    _lint(tree, capsys)
    assert (d / cache_mod.DB_NAME).exists()
    monkeypatch.delenv("HVLINT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_mod.default_dir() == str(tmp_path / "xdg" / "hvlint")


def test_damaged_entries_are_rebuilt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = _tree(tmp_path)
    d = tmp_path / "c"
    _, cold, _ = _lint(tree, capsys, "--cache-dir", str(d))
    db = sqlite3.connect(d / cache_mod.DB_NAME)
    # flip bytes in every value, and truncate one (a torn write the checksum catches)
    rows = db.execute("SELECT kind, key, value FROM entries").fetchall()
    for i, (kind, key, value) in enumerate(rows):
        bad = value[: len(value) // 2] if i % 2 else bytes(b ^ 0xFF for b in value[:64]) + value[64:]
        db.execute("UPDATE entries SET value = ? WHERE kind = ? AND key = ?", (bad, kind, key))
    db.commit()
    db.close()
    # a new process (this one keeps the tables it derived in memory)
    proc = subprocess.run(
        [sys.executable, "-m", "hvlint", "--format", "json", "--select", "ALL", "--cache-dir", str(d), str(tree)],
        capture_output=True,
        check=False,
    )
    warm, err = json.loads(proc.stdout), proc.stderr.decode()
    assert warm["findings"] == cold["findings"] and "Traceback" not in err
    # rewritten: a third run reads good entries again
    db = sqlite3.connect(d / cache_mod.DB_NAME)
    good = sum(
        1
        for (v, s) in db.execute("SELECT value, sum FROM entries")
        if __import__("hashlib").blake2b(v, digest_size=16).digest() == s
    )
    total = db.execute("SELECT count(*) FROM entries").fetchone()[0]
    db.close()
    assert good == total


def test_entries_of_another_hvlint_are_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = _tree(tmp_path)
    d = tmp_path / "c"
    _lint(tree, capsys, "--cache-dir", str(d))
    n = _entries(d)["facts"]
    cache_mod.salt.cache_clear()
    monkeypatch.setattr(cache_mod, "_SCHEMA", 99)  # another hvlint: another salt
    try:
        _lint(tree, capsys, "--cache-dir", str(d))
        assert _entries(d)["facts"] == 2 * n  # nothing matched: all parsed and stored anew
    finally:
        cache_mod.salt.cache_clear()


def test_a_garbage_database_is_set_aside(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = _tree(tmp_path)
    d = tmp_path / "c"
    d.mkdir()
    (d / cache_mod.DB_NAME).write_bytes(b"SQLite format 3\0" + os.urandom(3000))
    code, got, err = _lint(tree, capsys, "--cache-dir", str(d))
    assert got["findings"] and "the cache database was unreadable" in err and "Traceback" not in err
    assert list(d.glob(cache_mod.DB_NAME + ".corrupt-*"))
    assert _entries(d)["facts"] > 0


def test_an_unwritable_cache_never_fails_the_lint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = _tree(tmp_path)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be\n")
    code, got, err = _lint(tree, capsys, "--cache-dir", str(blocker / "sub"))
    assert code == 1 and got["findings"]
    assert err.count("hvlint: cache:") == 1 and "going on without it" in err


def test_a_full_disk_while_writing_never_fails_the_lint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = _tree(tmp_path)
    real = cache_mod.Cache.flush

    def full(self: cache_mod.Cache) -> None:
        if self._db is not None and self._pending:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("ROLLBACK")
            self._disable("cannot write the cache: database or disk is full")
            return
        real(self)

    monkeypatch.setattr(cache_mod.Cache, "flush", full)
    code, got, err = _lint(tree, capsys, "--cache-dir", str(tmp_path / "c"))
    assert code == 1 and got["findings"] and "database or disk is full; going on without it" in err


def test_two_processes_on_one_cache(tmp_path: Path) -> None:
    """Two hvlint runs at once, on two trees, filling the same cache: both right, and the
    database passes SQLite's integrity check."""
    a = _tree(tmp_path / "a")
    b = _tree(tmp_path / "b", "pvh-mini")
    d = tmp_path / "c"
    env = {**os.environ, "HVLINT_CACHE_DIR": str(d)}
    cmd = [sys.executable, "-m", "hvlint", "--format", "json", "--select", "ALL", "-q"]
    for _ in range(3):
        procs = [subprocess.Popen([*cmd, str(t)], stdout=subprocess.PIPE, env=env) for t in (a, b, a, b)]
        outs = [json.loads(p.communicate(timeout=120)[0])["findings"] for p in procs]
        assert outs[0] == outs[2] and outs[1] == outs[3] and outs[0] and outs[1]
    db = sqlite3.connect(d / cache_mod.DB_NAME)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    ref = subprocess.run([*cmd, "--no-cache", str(a)], stdout=subprocess.PIPE, env=env, check=False)
    assert json.loads(ref.stdout)["findings"] == outs[0]


def test_an_edit_that_keeps_size_and_mtime_is_seen(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Unchanged files are not read again when their stat matches the record; an edit of
    the same length with the modification time put back still changes the inode's change
    time, so it is read."""
    tree = _tree(tmp_path, "pvh-mini")
    d = tmp_path / "c"
    _, before, _ = _lint(tree, capsys, "--cache-dir", str(d))
    f = tree / "drivers" / "xen" / "balloon.c"
    st = f.stat()
    text = f.read_text()
    edited = text.replace('__section(".data..read_mostly")', '__section(".data..read_mostlx")')
    assert edited != text and len(edited) == len(text)
    f.write_text(edited)
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    _, after, _ = _lint(tree, capsys, "--cache-dir", str(d))
    assert before["findings"] != after["findings"]
    code = main(["--no-cache", "--format", "json", "--select", "ALL", str(tree)])
    assert json.loads(capsys.readouterr().out)["findings"] == after["findings"] and code == 1
