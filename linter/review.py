"""Patch review: lint a tree before and after a change and keep what the change is
responsible for.

`--patch FILE` applies a diff or a mail series in memory (hvlint.patch); `--changed-since
REV` compares a git work tree with REV.  Both come down to: the text of each changed file
before and after, and the lines the change added.  hvlint lints the tree as it was and as it
is with the change (the whole scope as context, so a patch that drops `__init` from a caller
makes a finding in another file), and reports

* the findings on lines the change adds or changes, and
* the findings elsewhere that the tree without the change does not have (compared by the
  baseline's line-shift-proof fingerprints).

Facts of the files the change does not touch are parsed once and shared by both runs.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field, replace

from hvlint import discover
from hvlint.baseline import fingerprints
from hvlint.engine import Options, RunResult, find_tree, run
from hvlint.errors import HvlintError
from hvlint.facts import FileFacts
from hvlint.findings import Finding
from hvlint.patch import Applied, FileChange, Message, Origin
from hvlint.registry import select_rules

_SOURCES = discover.SOURCE_SUFFIXES


@dataclass
class Review:
    result: RunResult  # the run over the changed tree; findings: what the change is responsible for
    applied: Applied
    on_lines: list[Finding] = field(default_factory=list)  # on lines the change adds
    elsewhere: list[Finding] = field(default_factory=list)  # newly caused on other lines
    before_seconds: float = 0.0


def _clear_caches() -> None:
    """Forget what was derived from the tree's headers and tables (the view changed them)."""
    import functools

    from hvlint import bootorder, modpost, tables

    for mod in (tables, modpost, bootorder):
        for obj in vars(mod).values():
            if isinstance(obj, functools._lru_cache_wrapper):
                obj.cache_clear()
    tables._TABLES.clear()


def _touches_tables(paths: list[str]) -> bool:
    """Whether a change may alter what hvlint derives from headers and Makefiles."""
    return any(not p.endswith((".c", ".S")) for p in paths)


def review(opts: Options, applied: Applied, *, after_on_disk: bool = False) -> Review:
    """Lint before and after `applied`.  The disk holds the tree before the change (--patch),
    or after it (`after_on_disk`, --changed-since): the other side is a view in memory."""
    root, _ = find_tree(opts)
    touched = sorted(p for p in applied.changes if p.endswith(_SOURCES))
    rules = select_rules(opts.select, opts.ignore)
    project = any(r.needs == "project" for r in rules)
    reset = _touches_tables(list(applied.changes))
    before_view = applied.base() if after_on_disk else {}
    after_view = {} if after_on_disk else applied.view()

    def show(view: dict[str, bytes | None]) -> None:
        """Lint this side of the change from now on (the tables derived from the other
        side's headers forgotten when the change touches them)."""
        discover.set_view(root, view)
        if reset:
            _clear_caches()

    def lint(view: dict[str, bytes | None], reuse: dict[str, FileFacts] | None) -> RunResult:
        show(view)
        present = tuple(p for p in touched if discover.is_file(root, p))
        if not present and not project:
            return RunResult(root, True, [], [], [])
        if project:
            o = replace(opts, extra_files=present, file_rules_on=frozenset(present), reuse=reuse)
        else:  # file rules only: the touched files are all there is to lint
            o = replace(
                opts, paths=[os.path.join(root, p) for p in present], root=root, file_rules_on=frozenset(present)
            )
        return run(o)

    try:
        before = lint(before_view, None)
        before_prints = set(fingerprints(root, before.findings))
        table_before = before.table
        reuse = {f.path: f for f in before.facts if f.path not in applied.changes} if project else None
        after = lint(after_view, reuse)
        if reset and project and table_before is not None and after.table is not None:
            from hvlint.tables import vocabulary_for

            if vocabulary_for(table_before) != vocabulary_for(after.table):  # headers changed what is parsed how
                after = lint(after_view, None)
    except BaseException:
        discover.set_view(root, {})
        raise
    show(after_view)  # the reports read the changed text
    on_lines, elsewhere = [], []
    for f, fp in zip(after.findings, fingerprints(root, after.findings)):
        change = applied.changes.get(f.path)
        if change is not None and any(n in change.added_lines for n in range(f.span.line, f.span.end_line + 1)):
            on_lines.append(f)
        elif fp not in before_prints:
            elsewhere.append(f)
    kept = sorted(on_lines + elsewhere, key=Finding.sort_key)
    return Review(replace(after, findings=kept), applied, on_lines, elsewhere, before.seconds)


def finish() -> None:
    """Back to the disk (after the reports were rendered from the view)."""
    root, files = discover.view()
    if root is not None:
        discover.set_view(root, {})
        _clear_caches()


# -- --changed-since -------------------------------------------------------------------------


def _git(root: str, *args: str, binary: bool = False) -> bytes:
    """Run git on the linted work tree with the configuration that could run programs
    (external diff, textconv, fsmonitor, pager) switched off."""
    cmd = [
        "git",
        "-c",
        "core.fsmonitor=false",
        "-c",
        "diff.external=",
        "--no-pager",
        "-C",
        root,
        *args,
    ]
    env = dict(os.environ, GIT_PAGER="cat", GIT_EXTERNAL_DIFF="", GIT_TERMINAL_PROMPT="0")
    try:
        proc = subprocess.run(cmd, capture_output=True, env=env, timeout=300, check=False)
    except FileNotFoundError as exc:
        raise HvlintError("--changed-since needs git, which is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise HvlintError(f"git {' '.join(args[:2])} took over 300 s") from exc
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise HvlintError(f"git {' '.join(args[:2])}: {msg[-1] if msg else 'failed'}")
    return proc.stdout


def changed_since(root: str, rev: str) -> Applied:
    """What changed in the work tree at `root` since `rev` (committed, staged and not yet
    staged changes to tracked files), as before/after texts and added lines."""
    from unidiff.errors import UnidiffParseError
    from unidiff.patch import PatchSet

    if rev.startswith("-"):
        raise HvlintError(f"--changed-since {rev}: not a revision")
    _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    diff = _git(root, "diff", "--no-ext-diff", "--no-textconv", "--no-color", "--relative", "--no-renames", rev, "--")
    text = diff.decode("utf-8", "surrogateescape")
    try:
        ps = PatchSet(text)
    except UnidiffParseError as exc:
        raise HvlintError(f"git diff {rev}: cannot read its output: {exc}") from exc
    changes: dict[str, FileChange] = {}
    msg = Message(index=0, patch=ps)  # no mail to reply to
    for pf in ps:
        rel = pf.path
        if pf.is_binary_file:
            continue
        old = None if pf.is_added_file else _git(root, "show", f"{rev}:./{rel}")
        new = discover.read_source(root, rel).data if not pf.is_removed_file else None
        n_lines = len((new or b"").split(b"\n"))
        origins: list[Origin | None] = [None] * n_lines
        for h_index, hunk in enumerate(pf):
            for at, line in enumerate(hunk):
                if line.is_added and line.target_line_no and line.target_line_no <= n_lines:
                    origins[line.target_line_no - 1] = Origin(0, rel, h_index, at)
        changes[rel] = FileChange(rel, old, new, origins)
    return Applied([msg], changes)
