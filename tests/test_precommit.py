"""The pre-commit hook (.pre-commit-hooks.yaml), run by the real `pre-commit` tool on a
temporary git repository holding a kernel-shaped tree."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(
    shutil.which("pre-commit") is None or shutil.which("git") is None,
    reason="the pre-commit tool (pip install '.[test]') or git is not installed",
)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args], cwd=cwd, check=True, capture_output=True
    )


def test_hook_lints_the_staged_files_with_the_tree_as_context(tmp_path: Path) -> None:
    tree = tmp_path / "linux"
    shutil.copytree(ROOT / "corpus" / "trees" / "pvh-mini", tree)
    git(tree, "init", "-q")
    git(tree, "add", "-A")
    git(tree, "commit", "-qm", "init")
    added = tree / "arch" / "x86" / "xen" / "added.c"
    added.write_text('#include <linux/init.h>\nint added_var __attribute__((section(".data")));\n')
    git(tree, "add", "arch/x86/xen/added.c")
    env_home = tmp_path / "cache"
    run = subprocess.run(
        [
            "pre-commit",
            "try-repo",
            str(ROOT),
            "hvlint",
            "--files",
            "arch/x86/xen/added.c",
        ],
        cwd=tree,
        capture_output=True,
        text=True,
        env={**os.environ, "PRE_COMMIT_HOME": str(env_home)},
        timeout=600,
    )
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "arch/x86/xen/added.c:2:" in out and "HV201" in out, out
    # only the files it was given: the tree's other findings (init/main.c's HV203) stay out
    assert "init/main.c" not in out.split("hook id: hvlint", 1)[-1], out
    assert added.read_text().count("__attribute__") == 1  # the hook never fixes
