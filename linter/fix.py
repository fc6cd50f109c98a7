"""Applying fixes: pick non-overlapping edits, rewrite files atomically, or print a diff.

A fix is applied only while the file still holds the text the finding was made on; files
are replaced by writing a temporary file in the same folder and renaming it over the
original (same permissions), never through a symbolic link and never outside the root.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import tempfile
import time
from dataclasses import dataclass

from hvlint.findings import Finding, Fix


@dataclass
class FixOutcome:
    path: str
    old: bytes
    new: bytes
    applied: list[Finding]
    error: str | None = None


def choose(findings: list[Finding], unsafe: bool) -> dict[str, list[Finding]]:
    """Per file, the findings whose fixes will be applied: overlapping fixes are resolved in
    favour of the one covering more text, then the higher rule id (HV202's named macro over
    HV201's `__section()` for the same attribute)."""
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        if f.fix is None or (not f.fix.safe and not unsafe):
            continue
        by_path.setdefault(f.path, []).append(f)
    out: dict[str, list[Finding]] = {}
    for path, fs in by_path.items():
        ranked = sorted(fs, key=lambda f: (-(_fix(f).span.end - _fix(f).span.start), _neg(f.rule)))
        taken: list[Finding] = []
        for f in ranked:
            s, e = _fix(f).span.start, _fix(f).span.end
            if any(s < _fix(t).span.end and _fix(t).span.start < e for t in taken):
                # The same edit proposed by two rules counts as applied for both.
                same = [t for t in taken if _fix(t).span == _fix(f).span and _fix(t).replacement == _fix(f).replacement]
                if same:
                    taken.append(f)
                continue
            taken.append(f)
        out[path] = sorted(taken, key=lambda f: _fix(f).span.start)
    return out


def _fix(f: Finding) -> Fix:
    assert f.fix is not None
    return f.fix


def _neg(rule: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in rule)


_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def apply_to_bytes(old: bytes, findings: list[Finding]) -> tuple[bytes, list[Finding]]:
    out: list[bytes] = []
    pos = 0
    applied: list[Finding] = []
    last: Fix | None = None
    for f in findings:
        fix = _fix(f)
        if last is not None and fix.span == last.span and fix.replacement == last.replacement:
            applied.append(f)
            continue
        s, e = fix.span.start, fix.span.end
        if s < pos or old[s:e].decode("latin-1") != fix.original:
            continue  # the file changed since it was linted, or overlapping: leave it
        if ";" in _STRING.sub("", fix.original):
            continue  # an annotation never holds a statement's end: a misread, not a fix
        out.append(old[pos:s])
        out.append(fix.replacement.encode("latin-1", errors="replace"))
        pos = e
        applied.append(f)
        last = fix
    out.append(old[pos:])
    return b"".join(out), applied


def _safe_target(root: str, rel: str) -> tuple[str | None, str | None]:
    path = os.path.join(root, rel)
    real_root = os.path.realpath(root)
    if os.path.islink(path):
        return None, "is a symbolic link: not rewritten"
    real = os.path.realpath(path)
    if os.path.commonpath([real, real_root]) != real_root:
        return None, "lies outside the tree: not rewritten"
    return path, None


def compute(root: str, chosen: dict[str, list[Finding]]) -> list[FixOutcome]:
    outcomes: list[FixOutcome] = []
    for rel in sorted(chosen):
        path, err = _safe_target(root, rel)
        if path is None:
            outcomes.append(FixOutcome(rel, b"", b"", [], err))
            continue
        try:
            with open(path, "rb") as fh:
                old = fh.read()
        except OSError as exc:
            outcomes.append(FixOutcome(rel, b"", b"", [], f"cannot read: {exc.strerror or exc}"))
            continue
        new, applied = apply_to_bytes(old, chosen[rel])
        outcomes.append(FixOutcome(rel, old, new, applied))
    return outcomes


def write_atomic(path: str, data: bytes) -> None:
    """Replace `path` by `data`: temp file in the same folder, same mode, fsync, rename."""
    st = os.stat(path)
    folder = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix=".hvlint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


_STALE_SECONDS = 600


def _remove_stale_temporaries(folder: str) -> None:
    """A run killed between writing its temporary file and renaming it leaves the file
    behind (the original intact): remove ours (`.hvlint-*.tmp`) once they are old enough
    that no running hvlint can still be writing them."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    now = time.time()
    for name in names:
        if name.startswith(".hvlint-") and name.endswith(".tmp"):
            path = os.path.join(folder, name)
            try:
                st = os.lstat(path)
                if stat.S_ISREG(st.st_mode) and now - st.st_mtime > _STALE_SECONDS:
                    os.unlink(path)
            except OSError:
                pass


def write(root: str, outcomes: list[FixOutcome]) -> list[FixOutcome]:
    done: list[FixOutcome] = []
    cleaned: set[str] = set()
    for o in outcomes:
        if o.error is not None or o.new == o.old:
            done.append(o)
            continue
        try:
            if not os.stat(os.path.join(root, o.path)).st_mode & 0o222:
                # a rename would replace it all the same: its owner said it is not to change
                o.error, o.applied = "is read-only: not rewritten", []
                done.append(o)
                continue
            folder = os.path.dirname(os.path.join(root, o.path))
            if folder not in cleaned:
                cleaned.add(folder)
                _remove_stale_temporaries(folder)
            write_atomic(os.path.join(root, o.path), o.new)
        except OSError as exc:
            o.error = f"cannot write: {exc.strerror or exc}"
            o.applied = []
        done.append(o)
    return done


def unified_diff(outcomes: list[FixOutcome]) -> str:
    chunks: list[str] = []
    for o in outcomes:
        if o.error is not None or o.new == o.old:
            continue
        a = o.old.decode("latin-1").splitlines(keepends=True)
        b = o.new.decode("latin-1").splitlines(keepends=True)
        chunks.extend(difflib.unified_diff(a, b, f"a/{o.path}", f"b/{o.path}"))
    return "".join(chunks)
