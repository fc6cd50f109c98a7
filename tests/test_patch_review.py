"""Patch review: --patch (diff, mail, mbox series with a cover letter), --changed-since, the
email reply, and the errors a broken or stale patch gets."""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import mailbox
import os
import re
import shutil
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from hvlint import cli, discover, patch
from hvlint.errors import HvlintError

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TREE = REPO / "corpus" / "trees" / "patch-review"
PATCHES = REPO / "corpus" / "patches"
SERIES = PATCHES / "pvh-series.mbox"

# What the series must draw: (rule, path, line in the patched file) on the lines it adds...
ON_LINES = {
    ("HV302", "arch/x86/xen/setup.c", 10),
    ("HV203", "arch/x86/xen/setup.c", 6),
    ("HV201", "arch/x86/xen/setup.c", 7),
    ("HV101", "arch/x86/xen/enlighten_pvh.c", 8),
}
# ... and outside them: patch 1/3 puts xen_parse_mode() in .init.text while runtime code in
# its own file and in another one still calls it.
ELSEWHERE = {
    ("HV301", "arch/x86/xen/setup.c", 25),
    ("HV301", "drivers/xen/features.c", 8),
}


def _run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _json(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict], str]:
    code, out, err = _run("--format", "json", *args, capsys=capsys)
    return code, json.loads(out)["findings"], err


def _tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        h.update(str(p.relative_to(root)).encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


def _expected_markers(text: str) -> set[tuple[str, str]]:
    """(rule, added line) for each `expect:` marker on a '+' line of the patch."""
    out = set()
    for line in text.splitlines():
        m = re.search(r"expect: (HV\d{3})", line)
        if line.startswith("+") and m:
            out.add((m.group(1), line[1:]))
    return out


# -- reading ---------------------------------------------------------------------------------


def test_series_is_read_as_mails_with_cover_letter() -> None:
    msgs = patch.load(str(SERIES))
    assert len(msgs) == 4
    cover, *patches = msgs
    assert cover.patch is None and cover.number == (0, 3)
    assert [m.number for m in patches] == [(1, 3), (2, 3), (3, 3)]
    assert all(m.patch is not None and m.message_id.startswith("<") for m in patches)
    assert patches[1].subject == "[PATCH v2 2/3] xen/pvh: record the boot flags"
    assert patches[0].sender == "Ada Dev <ada@example.org>"


def test_quoted_printable_mail_and_crlf_are_decoded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A mail from a list archive: quoted-printable body (long lines folded with `=`), CRLF."""
    raw = SERIES.read_text()
    start = raw.rindex("\nFrom ", 0, raw.index("Subject: [PATCH v2 3/3]")) + 1
    src = email.message_from_string(raw[start:], policy=email.policy.default)
    msg = EmailMessage()
    for key in ("From", "Subject", "Message-Id", "Date"):
        msg[key] = src[key]
    body = src.get_content().replace("paravirt_enabled = 1;", "paravirt_enabled = 1; /* " + "x" * 80 + " */")
    msg.set_content(body, cte="quoted-printable")
    wire = msg.as_bytes(policy=email.policy.SMTP)  # CRLF line ends
    assert b"=\r\n" in wire and b"\r\n" in wire  # the long line is folded
    p = tmp_path / "one.eml"
    p.write_bytes(wire)
    code, found, _ = _json("--patch", str(p), str(TREE), capsys=capsys)
    assert {(f["rule"], f["path"], f["line"]) for f in found} == {("HV101", "arch/x86/xen/enlighten_pvh.c", 8)}
    assert code == 1


def test_patch_attached_to_a_mail_is_found(tmp_path: Path) -> None:
    diff = (PATCHES / "pvh-plain.diff").read_text()
    msg = EmailMessage()
    msg["Subject"] = "[PATCH] xen/pvh: boot flags"
    msg["From"] = "Ada Dev <ada@example.org>"
    msg.set_content("See the attached patch.\n")
    msg.add_attachment(diff, subtype="x-patch", filename="0001-boot-flags.patch")
    (tmp_path / "att.eml").write_bytes(msg.as_bytes())
    msgs = patch.load(str(tmp_path / "att.eml"))
    assert msgs[0].patch is not None and len(msgs[0].patch) == 2


# -- reviewing -------------------------------------------------------------------------------


def test_series_findings_on_added_lines_and_elsewhere(capsys: pytest.CaptureFixture[str]) -> None:
    before = _tree_digest(TREE)
    code, found, err = _json("--patch", str(SERIES), str(TREE), capsys=capsys)
    assert _tree_digest(TREE) == before  # applied in memory only
    assert code == 1
    got = {(f["rule"], f["path"], f["line"]) for f in found}
    assert got == ON_LINES | ELSEWHERE
    assert "4 on the change's lines, 2 caused elsewhere" in err
    assert "3 patches" in err
    # every `expect:` marker on an added line drew its rule there
    series = SERIES.read_text()
    added = _expected_markers(series)
    assert added
    new_files = {
        "arch/x86/xen/setup.c": None,
        "arch/x86/xen/enlighten_pvh.c": None,
    }
    for rule, text in added:
        assert any(
            f["rule"] == rule and f["path"] in new_files and text.split("/*")[0].strip() in _patched_line(f)
            for f in found
        ), (rule, text)
    assert discover.view() == (None, {})  # the view is gone after the run


def _patched_line(f: dict) -> str:
    applied = patch.apply(str(TREE), patch.load(str(SERIES)))
    data = applied.changes[f["path"]].new or b""
    return data.decode().splitlines()[f["line"] - 1]


def test_plain_diff_gives_the_same_findings_as_the_series(capsys: pytest.CaptureFixture[str]) -> None:
    _, series, _ = _json("--patch", str(SERIES), str(TREE), capsys=capsys)
    _, plain, _ = _json("--patch", str(PATCHES / "pvh-plain.diff"), str(TREE), capsys=capsys)
    assert series == plain


def test_patch_from_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SERIES.read_bytes())))
    _, found, _ = _json("--patch", "-", str(TREE), capsys=capsys)
    assert {(f["rule"], f["path"], f["line"]) for f in found} == ON_LINES | ELSEWHERE


def test_file_rules_only_run_lints_just_the_touched_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, found, err = _json("--patch", str(SERIES), "--select", "HV2", str(TREE), capsys=capsys)
    assert {(f["rule"], f["line"]) for f in found} == {("HV203", 6), ("HV201", 7)}
    assert "2 files" in err.splitlines()[-1]  # setup.c and enlighten_pvh.c, not the whole tree


def test_without_the_patch_the_tree_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, found, _ = _json("--select", "ALL", str(TREE), capsys=capsys)
    assert (code, found) == (0, [])


def test_formats_follow_the_patched_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """SARIF snippets and GitHub annotations come from the patched view, not the disk."""
    code, out, _ = _run("--patch", str(SERIES), "--format", "sarif", str(TREE), capsys=capsys)
    doc = json.loads(out)
    snippets = [
        r["locations"][0]["physicalLocation"].get("contextRegion", {}).get("snippet", {}).get("text", "")
        for r in doc["runs"][0]["results"]
    ]
    assert any("xen_boot_flags" in s for s in snippets)
    code, out, _ = _run("--patch", str(SERIES), "--format", "github", str(TREE), capsys=capsys)
    assert out.count("::warning ") == 6


# -- the email reply -------------------------------------------------------------------------


def test_email_reply_quotes_hunks_and_threads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run("--patch", str(SERIES), "--format", "email", str(TREE), capsys=capsys)
    assert code == 1
    box_path = tmp_path / "replies.mbox"
    box_path.write_text(out + "\n")
    box = mailbox.mbox(str(box_path))
    replies = [box.get_message(k) for k in box.keys()]
    originals = {m.number: m for m in patch.load(str(SERIES))}
    assert [r["Subject"] for r in replies] == [
        "Re: [PATCH v2 1/3] xen: parse xen_mode= only at boot",
        "Re: [PATCH v2 2/3] xen/pvh: record the boot flags",
        "Re: [PATCH v2 3/3] xen/pvh: tell the kernel it runs as a PVH guest",
    ]
    for r, n in zip(replies, (1, 2, 3)):
        orig = originals[(n, 3)]
        assert r["In-Reply-To"] == orig.message_id
        assert orig.message_id in r["References"] and "<cover." in r["References"]
        assert r["To"] == "Ada Dev <ada@example.org>"
        assert "boris@example.org" in r["Cc"]
    body2 = replies[1].get_payload()
    lines = body2.splitlines()
    assert lines[0].startswith("On Wed, 25 Nov 2026") and lines[0].endswith("Ada Dev wrote:")
    # each finding right under the quoted line it concerns
    i = lines.index('> +static const char xen_banner[] __initdata = "Xen PVH";\t/* expect: HV203 */')
    assert lines[i + 1] == "" and lines[i + 2].startswith("hvlint: HV203 (init-annotation-misplaced):")
    j = next(k for k, ln in enumerate(lines) if ln.startswith("> +static unsigned long xen_boot_flags"))
    assert lines[j + 2].startswith("hvlint: HV201 (raw-section-attribute):")
    assert all(ln.startswith(("> ", "[...]", "hvlint:", "  ", "On ", "-- ", "hvlint ")) or not ln for ln in lines)
    # trimmed: the lines of patch 2 far from any finding are left out
    assert "> +\txen_boot_flags = xen_banner[0];" not in lines
    # the findings patch 1/3 causes elsewhere go in the reply to patch 1/3, with their line
    body1 = replies[0].get_payload()
    assert "hvlint also finds, with this patch applied, outside the lines it changes:" in body1
    assert "drivers/xen/features.c:8:9: HV301" in body1
    assert "  | \treturn xen_parse_mode(opt);" in body1
    assert "elsewhere" not in replies[2].get_payload()


def test_email_needs_a_patch(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run("--format", "email", str(TREE), capsys=capsys)
    assert code == 2 and "--format email replies to a patch" in err


# -- broken patches: a clear one-line error, exit 2, the tree untouched --------------------


def _error(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = _run(*args, capsys=capsys)
    assert code == 2, (out, err)
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err


def test_stale_series_names_the_hunk(capsys: pytest.CaptureFixture[str]) -> None:
    before = _tree_digest(TREE)
    err = _error(["--patch", str(PATCHES / "pvh-series-stale.mbox"), str(TREE)], capsys)
    assert 'patch 2/3 ("xen/pvh: record the boot flags")' in err
    assert "hunk #1 of arch/x86/xen/setup.c (@@ -3,6 +3,8 @@) does not apply" in err
    assert "line 5 should be 'static int xen_boot_mode;', the file has 'static int xen_mode;'" in err
    assert _tree_digest(TREE) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x7fELF\x02\x01\x01\0\0\0\0", "binary data"),
        (b"Just some text.\nNo diff here.\n", "no unified diff found"),
        (b"From: a@b\nSubject: hello\n\nno diff\n", "no diff in any of them"),
        (
            b"--- a/arch/x86/xen/missing.c\n+++ b/arch/x86/xen/missing.c\n@@ -1 +1 @@\n-a\n+b\n",
            "patches arch/x86/xen/missing.c, which is not in the tree",
        ),
        (b"--- a/../../etc/passwd\n+++ b/../../etc/passwd\n@@ -1 +1 @@\n-a\n+b\n", "leaves the tree"),
        (b"--- /dev/null\n+++ b/init/main.c\n@@ -0,0 +1 @@\n+int x;\n", "creates init/main.c, which already exists"),
        (
            b"--- a/init/main.c\n+++ b/init/main.c\n@@ -1,3 +1,3 @@\n // SPDX-License-Identifier: GPL-2.0\n-#include",
            "malformed diff",
        ),
    ],
)
def test_bad_patches(tmp_path: Path, content: bytes, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "bad.patch"
    p.write_bytes(content)
    assert message in _error(["--patch", str(p), str(TREE)], capsys)


def test_truncated_series(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = SERIES.read_bytes()
    cut = data.index(b"+static unsigned long xen_boot_flags")
    p = tmp_path / "cut.mbox"
    p.write_bytes(data[:cut])
    err = _error(["--patch", str(p), str(TREE)], capsys)
    assert "patch 2/3" in err and ("malformed" in err or "does not apply" in err)


def test_missing_patch_file_and_conflicting_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "cannot read" in _error(["--patch", str(tmp_path / "nope.patch"), str(TREE)], capsys)
    assert "cannot be combined" in _error(["--patch", str(SERIES), "--fix", str(TREE)], capsys)
    assert "cannot be used together" in _error(["--patch", str(SERIES), "--changed-since", "HEAD", str(TREE)], capsys)


def test_gzip_mbox(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import gzip

    p = tmp_path / "t.mbox.gz"
    p.write_bytes(gzip.compress(SERIES.read_bytes()))
    _, found, _ = _json("--patch", str(p), str(TREE), capsys=capsys)
    assert {(f["rule"], f["path"], f["line"]) for f in found} == ON_LINES | ELSEWHERE


def test_header_patch_changes_the_tables_then_the_disk_is_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A patch to the header that defines __initdata: the view's table is used, and the next
    run (from the disk) forgets it."""
    diff = (
        "--- a/include/linux/init.h\n+++ b/include/linux/init.h\n@@ -6,3 +6,3 @@\n"
        ' #define __init\t\t__section(".init.text") __cold\n'
        '-#define __initdata\t__section(".init.data")\n'
        '+#define __initdata\t__section(".init.data.hv")\n'
        ' #define __initconst\t__section(".init.rodata")\n'
    )
    p = tmp_path / "h.patch"
    p.write_text(diff)
    code, found, _ = _json("--patch", str(p), str(TREE), capsys=capsys)
    assert code == 0 and found == []
    code, out, _ = _run("sections", str(TREE), capsys=capsys)
    assert re.search(r"^__initdata\s+\.init\.data\s", out, re.M)


# -- --changed-since -------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_since_matches_the_patch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / "linux"
    shutil.copytree(TREE, work)
    _git(work, "init", "-q")
    _git(work, "add", ".")
    _git(work, "commit", "-qm", "base")
    applied = patch.apply(str(work), patch.load(str(SERIES)))
    for rel, change in applied.changes.items():
        assert change.new is not None
        (work / rel).write_bytes(change.new)
    _git(work, "add", "arch/x86/xen/enlighten_pvh.c")  # staged; setup.c stays unstaged
    _, found, err = _json("--changed-since", "HEAD", str(work), capsys=capsys)
    assert {(f["rule"], f["path"], f["line"]) for f in found} == ON_LINES | ELSEWHERE
    code, out, _ = _run("--changed-since", "HEAD", "--format", "email", str(work), capsys=capsys)
    assert out.startswith("> diff --git a/arch/x86/xen/enlighten_pvh.c b/arch/x86/xen/enlighten_pvh.c")
    assert "From hvlint" not in out  # no mail to reply to
    # a clean work tree has nothing to review
    _git(work, "add", ".")
    _git(work, "commit", "-qm", "series")
    code, found, err = _json("--changed-since", "HEAD", str(work), capsys=capsys)
    assert (code, found) == (0, [])
    assert "leaves every file of the tree as it was" in err
    # and comparing with the base finds it all again
    _, found, _ = _json("--changed-since", "HEAD~1", str(work), capsys=capsys)
    assert {(f["rule"], f["path"], f["line"]) for f in found} == ON_LINES | ELSEWHERE


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_since_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / "linux"
    shutil.copytree(TREE, work)
    assert "git rev-parse" in _error(["--changed-since", "HEAD", str(work)], capsys)  # not a repository
    _git(work, "init", "-q")
    _git(work, "add", ".")
    _git(work, "commit", "-qm", "base")
    assert "git rev-parse" in _error(["--changed-since", "no-such-rev", str(work)], capsys)
    assert "not a revision" in _error(["--changed-since=--output=/tmp/x", str(work)], capsys)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_since_runs_no_program_from_the_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A hostile repository configuration (external diff, textconv, fsmonitor) runs nothing."""
    work = tmp_path / "linux"
    shutil.copytree(TREE, work)
    _git(work, "init", "-q")
    _git(work, "add", ".")
    _git(work, "commit", "-qm", "base")
    flag = tmp_path / "ran"
    evil = tmp_path / "evil.sh"
    evil.write_text(f"#!/bin/sh\ntouch {flag}\n")
    evil.chmod(0o755)
    for key in ("diff.external", "core.fsmonitor", "diff.c.textconv", "core.pager"):
        _git(work, "config", key, str(evil))
    (work / ".gitattributes").write_text("*.c diff=c\n")
    (work / "init" / "main.c").write_text((work / "init" / "main.c").read_text() + "\nint x;\n")
    _json("--changed-since", "HEAD", str(work), capsys=capsys)
    assert not flag.exists()


# -- the real tree ---------------------------------------------------------------------------

LINUX = os.environ.get("HVLINT_LINUX_TREE")


@pytest.mark.skipif(not LINUX, reason="HVLINT_LINUX_TREE is not set: no real kernel tree to review a patch against")
def test_ten_file_patch_on_the_real_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("review_patch", REPO / "benchmarks" / "review_patch.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert LINUX
    p = tmp_path / "xen.patch"
    p.write_text(mod.make(LINUX))
    assert len(mod.files_changed()) == 10
    stamp = {rel: os.stat(os.path.join(LINUX, rel)).st_mtime_ns for rel in mod.files_changed()}
    t0 = time.perf_counter()
    code, found, err = _json("--patch", str(p), "--jobs", "2", LINUX, capsys=capsys)
    seconds = time.perf_counter() - t0
    assert code == 1
    assert stamp == {rel: os.stat(os.path.join(LINUX, rel)).st_mtime_ns for rel in mod.files_changed()}
    applied = patch.apply(LINUX, patch.load(str(p)))
    assert len(applied.changes) == 10
    on_added = set()
    for f in found:
        change = applied.changes.get(f["path"])
        if change is not None and f["line"] in change.added_lines:
            text = (change.new or b"").decode().splitlines()[f["line"] - 1]
            on_added.add((f["rule"], f["path"], text))
    assert on_added == set(mod.EXPECTED)
    # the __init added to xen_vcpu_info_reset() makes its runtime caller a section mismatch,
    # on a line the patch does not touch
    assert any((f["rule"], f["path"], f["line"]) == ("HV301", "arch/x86/xen/enlighten.c", 164) for f in found)
    assert len(found) == 5, found
    print(f"--patch with a 10-file patch on the real tree: {seconds:.1f} s")
    with pytest.raises(HvlintError):
        patch.apply(LINUX, patch.parse(b"--- a/Makefile\n+++ b/Makefile\n@@ -1 +1 @@\n-nope\n+x\n"))
