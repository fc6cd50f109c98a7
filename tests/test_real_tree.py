"""hvlint on a real Linux tree (HVLINT_LINUX_TREE, set by .ci/run from shared/get-linux.sh).

The findings are claims a kernel maintainer will read, so each one was reviewed by hand; the
reviewed set lives in tests/data/real_tree_findings.json with the verdict and the reason.
A new or vanished finding fails this test until a person reviews it and regenerates the
snapshot on purpose:

    HVLINT_LINUX_TREE=... HVLINT_UPDATE_SNAPSHOT=1 pytest tests/test_real_tree.py

(which keeps the reviews of unchanged findings and marks new ones "unreviewed").
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from hvlint import discover
from hvlint.cli import main
from hvlint.tables import table_for

TREE = os.environ.get("HVLINT_LINUX_TREE", "")
SNAPSHOT = Path(__file__).parent / "data" / "real_tree_findings.json"
pytestmark = pytest.mark.skipif(
    not TREE or not os.path.isdir(TREE),
    reason="HVLINT_LINUX_TREE is not set: no real kernel tree (run .ci/run, or point it at ../shared/get-linux.sh's tree)",
)


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["check", "--format", "json", "--select", "ALL", "--jobs", "2", *args])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    return code, json.loads(out)


def key(f: dict[str, Any]) -> tuple[str, str, int, str]:
    return (f["rule"], f["path"], f["line"], f["message"])


@pytest.fixture(scope="module")
def real_run() -> dict[str, Any]:
    import io
    from contextlib import redirect_stderr, redirect_stdout

    buf = io.StringIO()
    with redirect_stdout(buf), redirect_stderr(io.StringIO()):
        code = main(["check", "--format", "json", "--select", "ALL", "--jobs", "2", TREE])
    assert code in (0, 1)
    return json.loads(buf.getvalue())


# HV305 (could-be-init, off by default) suggests too many changes to review every one: a
# seeded random sample of them is reviewed instead (tests/data/real_tree_hv305_sample.json).
SAMPLED = ("HV305",)
HV305_SAMPLE = Path(__file__).parent / "data" / "real_tree_hv305_sample.json"


def claim(f: dict[str, Any]) -> tuple[str, str, str]:
    """What a finding claims, without its line: Debian's point releases of the source move
    lines (6.12.118 moved pci.h's DECLARE_PCI_FIXUP_SECTION by two), the claim stays."""
    return (f["rule"], f["path"], f["message"])


def test_findings_match_the_reviewed_snapshot(real_run: dict[str, Any]) -> None:
    found = [f for f in real_run["findings"] if f["rule"] not in SAMPLED]
    reviewed = json.loads(SNAPSHOT.read_text()) if SNAPSHOT.exists() else []
    if os.environ.get("HVLINT_UPDATE_SNAPSHOT"):
        old: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for r in reviewed:
            old.setdefault(claim(r), []).append(r)
        new = []
        for f in sorted(found, key=key):
            kept = old.get(claim(f)) or [{"verdict": "unreviewed", "reason": ""}]
            r = kept.pop(0) if len(kept) > 1 else kept[0]
            new.append(
                {
                    "rule": f["rule"],
                    "path": f["path"],
                    "line": f["line"],
                    "message": f["message"],
                    "verdict": r["verdict"],
                    "reason": r["reason"],
                }
            )
        SNAPSHOT.write_text(json.dumps(new, indent=1) + "\n")
        reviewed = new
    got = Counter(claim(f) for f in found)
    want = Counter(claim(r) for r in reviewed)
    lines = {claim(f): f["line"] for f in found} | {claim(r): r["line"] for r in reviewed if claim(r) not in got}
    new_findings = sorted((got - want).elements())
    vanished = sorted((want - got).elements())
    assert not new_findings and not vanished, (
        "findings changed on the real tree; review them and regenerate the snapshot:\n"
        + "".join(f"  new:      {p}:{lines[(r, p, m)]}: {r} {m}\n" for r, p, m in new_findings)
        + "".join(f"  vanished: {p}:{lines[(r, p, m)]}: {r} {m}\n" for r, p, m in vanished)
    )
    unreviewed = [r for r in reviewed if r["verdict"] not in ("correct", "wrong")]
    assert not unreviewed, f"{len(unreviewed)} findings in the snapshot still need a review"
    wrong = [r for r in reviewed if r["verdict"] == "wrong"]
    assert not wrong, f"findings reviewed as wrong are still reported: {wrong}"


def test_could_be_init_sample_is_still_reported_and_right(real_run: dict[str, Any]) -> None:
    got = {claim(f) for f in real_run["findings"] if f["rule"] == "HV305"}
    sample = json.loads(HV305_SAMPLE.read_text())
    # the sample was drawn from `total` suggestions; a drift of a few percent is the analysis
    # getting better at seeing uses, more calls for a new sample and review
    assert len(sample["reviewed"]) == 30 and abs(sample["total"] - len(got)) <= sample["total"] // 20, (
        f"HV305 now makes {len(got)} suggestions (the reviewed run made {sample['total']}): review a new sample"
    )
    for r in sample["reviewed"]:
        assert claim(r) in got, f"vanished: {r}"
        assert r["verdict"] == "correct", r


def test_every_file_in_scope_is_accounted_for(real_run: dict[str, Any]) -> None:
    headers = table_for(TREE).section_headers
    files = discover.scope_files(TREE, "default", headers)
    assert real_run["stats"]["files"] == len(files) > 1000
    assert "include/linux/init.h" in files and "arch/x86/platform/pvh/enlighten.c" in files
    hv901 = [f for f in real_run["findings"] if f["rule"] == "HV901"]
    assert real_run["stats"]["parse_errors"] == len({f["path"] for f in hv901})


def _changed_files(tree: Path, copy: Path) -> list[str]:
    """Files of the copy that are no longer hard links to the tree's (rewritten ones)."""
    changed = []
    for dirpath, _, names in os.walk(copy):
        for name in names:
            p = Path(dirpath) / name
            rel = p.relative_to(copy)
            try:
                same = p.lstat().st_ino == (tree / rel).lstat().st_ino
            except FileNotFoundError:
                same = False
            if not same:
                changed.append(str(rel).replace(os.sep, "/"))
    return changed


def test_fix_on_a_copy_removes_every_hv201_hv202_and_nothing_else(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, real_run: dict[str, Any]
) -> None:
    copy = tmp_path / "linux"
    # Hard links are cheap; hvlint replaces a file by renaming a new one over it, so the
    # pristine tree's inodes are never written.
    subprocess.run(["cp", "-al", TREE, str(copy)], check=True)
    fixable = [f for f in real_run["findings"] if f["rule"] in ("HV201", "HV202")]
    assert fixable
    code = main(["check", "--fix", "--select", "ALL", "--jobs", "2", "-q", str(copy)])
    capsys.readouterr()
    _, after = lint(capsys, str(copy))
    assert not [f for f in after["findings"] if f["rule"] in ("HV201", "HV202")]
    others = lambda doc: sorted(key(f) for f in doc["findings"] if f["rule"] not in ("HV201", "HV202"))  # noqa: E731
    assert others(after) == others(real_run)
    assert sorted(_changed_files(Path(TREE), copy)) == sorted({f["path"] for f in fixable})
    # the pristine tree is untouched and a second run changes nothing
    before = {p: (copy / p).read_bytes() for p in {f["path"] for f in fixable}}
    code = main(["check", "--fix", "--select", "ALL", "--jobs", "2", "-q", str(copy)])
    capsys.readouterr()
    assert code in (0, 1) and all((copy / p).read_bytes() == b for p, b in before.items())
    for p in before:  # the fixed files are new inodes: the pristine tree's were never written
        assert (copy / p).stat().st_ino != (Path(TREE) / p).stat().st_ino
    shutil.rmtree(copy)
