#!/usr/bin/env python3
"""Cross-check hvlint's section-mismatch rules (HV301-HV304) against modpost on injected mismatches.

    python benchmarks/modpost_crosscheck.py --tree /path/to/linux [--work /var/tmp/hvlint-mismatch]
        [--build /var/tmp/hvlint-mismatch-build] [--ref-build /var/tmp/hvlint-build] [--jobs 2]
        [--dirs arch/x86/xen,...] [--hvlint CMD | --skip-hvlint] [--json]

1. ``cp -al TREE WORK`` (a hard-linked working copy; the pristine tree is only read), then the
   edits of ``EDITS`` are applied to WORK: each finds its anchor text (exactly once, or the run
   stops), and *unlinks* the hard-linked file before writing the new text, so the pristine file
   keeps its inode and content.
2. A fresh out-of-tree build of WORK in BUILD with the reference build's ``.config``
   (``make olddefconfig``, then ``make <dir>/<file>.o`` for each touched file only), and modpost
   (``BUILD/scripts/mod/modpost``) on a partially linked object: ``ld -r`` of every member of
   the reference build's ``<dir>/built-in.a`` for ``--dirs``, with the touched objects taken
   from BUILD instead, named ``vmlinux.o`` in a scratch folder (so modpost checks it as vmlinux:
   no MODULE_LICENSE check, no ``.mod.c``) -- see ``modpost_command``.  The same link of the
   reference build's own objects gives the pre-existing warnings.  Each touched object is
   also checked alone (modpost sees only references to symbols its object defines).
3. ``hvlint check --select HV301,HV302,HV303,HV304 --format json --root R R`` on WORK and on
   TREE; rules hvlint does not have yet are left out of ``--select`` (and reported as such).

Report: for each edit, did modpost report it (fromsym -> tosym), did hvlint (same symbols,
file:line); then what either tool reports on WORK and not on TREE (hvlint lines mapped back
through the edits).  Markdown on stdout, or ``--json``; timings and the commands on stderr/in the
report.  Nothing is written into TREE or into the reference build; this script writes only WORK,
BUILD and BUILD/modpost-crosscheck/.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

DEFAULT_TREE = "/var/tmp/hvlint-corpus/linux-source-6.12"
DEFAULT_WORK = "/var/tmp/hvlint-mismatch"
DEFAULT_BUILD = "/var/tmp/hvlint-mismatch-build"
DEFAULT_REF_BUILD = "/var/tmp/hvlint-build"
DEFAULT_DIRS = ["arch/x86/xen", "arch/x86/platform/pvh", "arch/x86/kernel", "drivers/xen", "init"]
RULES = ["HV301", "HV302", "HV303", "HV304"]
MARKER = ".hvlint-mismatch-copy"  # written at the root of WORK: only such a folder is ever removed


@dataclass(frozen=True)
class Edit:
    """One injected section mismatch: ``anchor`` (found exactly once in ``path``) becomes
    ``replacement``; modpost should then report ``fromsym`` -> ``tosym`` (in ``tosec``), and
    hvlint one of ``rules``.  ``ref_text``: text of the line in the edited file where the bad
    reference is written (hvlint's expected line, with the edited lines)."""

    id: str
    path: str
    anchor: str
    replacement: str
    what: str
    fromsym: str
    tosym: str
    tosec: str
    rules: tuple[str, ...]
    ref_text: str


EDITS: list[Edit] = [
    Edit(
        id="E1-pvh-drop-init",
        path="arch/x86/platform/pvh/enlighten.c",
        anchor="void __init xen_prepare_pvh(void)\n{",
        replacement="void xen_prepare_pvh(void)\n{",
        what="drop __init from xen_prepare_pvh(), which reads __initdata pvh_start_info and calls __init code",
        fromsym="xen_prepare_pvh",
        tosym="pvh_start_info",
        tosec=".init.data",
        rules=("HV301",),
        ref_text="if (pvh_start_info.magic != XEN_HVM_START_MAGIC_VALUE)",
    ),
    Edit(
        id="E2-xen-runtime-calls-init",
        path="arch/x86/xen/suspend_pv.c",
        anchor="\txen_setup_mfn_list_list();\n\n\tif (suspend_cancelled) {",
        replacement="\txen_setup_mfn_list_list();\n\txen_vmalloc_p2m_tree();\n\n\tif (suspend_cancelled) {",
        what="the resume path xen_pv_post_suspend() calls __init xen_vmalloc_p2m_tree() (defined in p2m.c)",
        fromsym="xen_pv_post_suspend",
        tosym="xen_vmalloc_p2m_tree",
        tosec=".init.text",
        rules=("HV301", "HV302"),
        ref_text="\txen_vmalloc_p2m_tree();",
    ),
    Edit(
        id="E3-drivers-xen-init-address-in-data",
        path="drivers/xen/balloon.c",
        anchor="subsys_initcall(balloon_init);\n",
        replacement="subsys_initcall(balloon_init);\n\nint (*xen_balloon_init_hook)(void) = balloon_init;\n",
        what="a global function pointer in .data initialized with __init balloon_init",
        fromsym="xen_balloon_init_hook",
        tosym="balloon_init",
        tosec=".init.text",
        rules=("HV303", "HV301"),
        ref_text="int (*xen_balloon_init_hook)(void) = balloon_init;",
    ),
    Edit(
        id="E4-kernel-runtime-calls-exit",
        path="arch/x86/kernel/cpu/microcode/core.c",
        anchor="\telse\n\t\treload_early_microcode(cpu);\n}\n",
        replacement="\telse\n\t\treload_early_microcode(cpu);\n\tif (!microcode_ops)\n\t\texit_amd_microcode();\n}\n",
        what="the resume path microcode_bsp_resume() calls __exit exit_amd_microcode() (defined in amd.c)",
        fromsym="microcode_bsp_resume",
        tosym="exit_amd_microcode",
        tosec=".exit.text",
        rules=("HV304",),
        ref_text="\t\texit_amd_microcode();",
    ),
    Edit(
        id="E5-xen-drop-ref-initdata",
        path="arch/x86/xen/multicalls.c",
        anchor="static struct mc_debug_data * __ref get_mc_debug(void)",
        replacement="static struct mc_debug_data *get_mc_debug(void)",
        what="drop __ref from get_mc_debug(): runtime code returning the address of __initdata mc_debug_data_early",
        fromsym="get_mc_debug",
        tosym="mc_debug_data_early",
        tosec=".init.data",
        rules=("HV301",),
        ref_text="\t\treturn &mc_debug_data_early;",
    ),
]


# ---------------------------------------------------------------------------------------------
# Pure parts (tested without a build)


@dataclass(frozen=True)
class Mismatch:
    """One ``section mismatch in reference`` warning of modpost."""

    module: str
    fromsym: str  # "" when modpost found no symbol (then ``offset`` is the address)
    offset: str
    fromsec: str
    tosym: str  # a name, or an address ``0x...`` when modpost found none
    tosec: str

    def key(self) -> tuple[str, str, str, str]:
        """(fromsym, fromsec, tosym, tosec): offsets change with any edit, so they are left out."""
        return (self.fromsym, self.fromsec, self.tosym, self.tosec)


_MISMATCH = re.compile(
    r"^(?:WARNING|ERROR): (?:modpost: )?(?P<mod>\S+?):? section mismatch in reference: "
    r"(?P<from>.*?) \(section: (?P<fromsec>[^)]*)\) -> (?P<to>.*?) \(section: (?P<tosec>[^)]*)\)\s*$"
)


def parse_modpost(text: str) -> list[Mismatch]:
    """The section-mismatch warnings in modpost's output (other lines are ignored).

    6.12: ``WARNING: modpost: vmlinux: section mismatch in reference: f+0x1a (section: .text) ->
    g (section: .init.text)``; older kernels print ``vmlinux.o: ... f() ... -> g()`` or no
    offset, which are accepted too."""
    out: list[Mismatch] = []
    for line in text.splitlines():
        m = _MISMATCH.match(line.strip())
        if not m:
            continue
        frm = m["from"].strip()
        if "+0x" in frm:
            fromsym, off = frm.rsplit("+", 1)
        elif re.fullmatch(r"0x[0-9a-fA-F]+", frm):
            fromsym, off = "", frm
        else:
            fromsym, off = frm, ""
        tosym = m["to"].strip()
        out.append(
            Mismatch(
                module=m["mod"],
                fromsym=fromsym.removesuffix("()"),
                offset=off,
                fromsec=m["fromsec"],
                tosym=tosym.removesuffix("()"),
                tosec=m["tosec"],
            )
        )
    return out


def mismatch_tuples(text: str) -> list[tuple[str, str, str, str]]:
    return [m.key() for m in parse_modpost(text)]


def new_mismatches(modified: Iterable[Mismatch], pristine: Iterable[Mismatch]) -> list[Mismatch]:
    """Warnings of the modified build whose (fromsym, fromsec, tosym, tosec) the pristine one lacks
    (one per key)."""
    old = {m.key() for m in pristine}
    seen: set[tuple[str, str, str, str]] = set()
    out = []
    for m in modified:
        if m.key() in old or m.key() in seen:
            continue
        seen.add(m.key())
        out.append(m)
    return out


@dataclass
class Applied:
    """Where an edit landed in the copy: its 1-based first/last line in the new text, the shift
    of the lines below it, and the expected line of the bad reference."""

    edit: Edit
    line: int
    end_line: int
    old_end_line: int
    delta: int
    ref_line: int


class EditError(Exception):
    pass


def locate_edit(text: str, edit: Edit) -> Applied:
    n = text.count(edit.anchor)
    if n != 1:
        raise EditError(
            f"{edit.id}: anchor text found {n} times in {edit.path} (need exactly 1): {edit.anchor!r}"
            " -- the tree is not the kernel version the edit table was written for"
        )
    start = text.index(edit.anchor)
    line = text.count("\n", 0, start) + 1
    old_end = line + edit.anchor[:-1].count("\n")  # a final newline ends the anchor's last line
    new_end = line + edit.replacement[:-1].count("\n")
    delta = edit.replacement.count("\n") - edit.anchor.count("\n")
    new_text = text[:start] + edit.replacement + text[start + len(edit.anchor) :]
    at = new_text.find(edit.ref_text, start)
    if at < 0:
        at = new_text.find(edit.ref_text)
    ref_line = new_text.count("\n", 0, at) + 1 if at >= 0 and edit.ref_text else line
    return Applied(edit, line, new_end, old_end, delta, ref_line)


def apply_edits(copy_root: str, edits: Sequence[Edit], pristine_root: str | None = None) -> list[Applied]:
    """Apply ``edits`` in ``copy_root``: every anchor is checked before anything is written;
    each file is unlinked (breaking the hard link to the pristine tree) and written anew with
    the same mode.  One edit per file."""
    texts: dict[str, str] = {}
    applied: list[Applied] = []
    for e in edits:
        p = os.path.join(copy_root, e.path)
        if e.path in texts:
            raise EditError(f"{e.id}: a second edit of {e.path} (one edit per file keeps line mapping simple)")
        try:
            with open(p, encoding="utf-8") as fh:
                texts[e.path] = fh.read()
        except OSError as err:
            raise EditError(f"{e.id}: cannot read {p}: {err}") from err
        a = locate_edit(texts[e.path], e)
        texts[e.path] = texts[e.path].replace(e.anchor, e.replacement, 1)
        applied.append(a)
    for rel, text in texts.items():
        p = os.path.join(copy_root, rel)
        if pristine_root and os.path.realpath(p).startswith(os.path.realpath(pristine_root) + os.sep):
            raise EditError(f"refusing to write {p}: it is inside the pristine tree")
        mode = os.stat(p).st_mode & 0o7777
        os.unlink(p)
        with open(p, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(p, mode)
    return applied


def map_line(applied: Sequence[Applied], path: str, line: int) -> int | None:
    """A line of the copy -> the same line in the pristine file (None: a line the edit added)."""
    for a in applied:
        if a.edit.path != path or line < a.line:
            continue
        if line > a.end_line:
            return line - a.delta
        if line > a.old_end_line:
            return None
    return line


def finding_key(f: dict[str, Any], line: int | None) -> tuple[str, str, int | None, str]:
    return (str(f.get("rule")), str(f.get("path")), line, str(f.get("symbol") or ""))


def new_findings(
    copy_findings: Sequence[dict[str, Any]], pristine_findings: Sequence[dict[str, Any]], applied: Sequence[Applied]
) -> list[dict[str, Any]]:
    """hvlint findings on the copy that the pristine tree does not have, lines mapped through the edits."""
    old = {finding_key(f, f.get("line")) for f in pristine_findings}
    out = []
    for f in copy_findings:
        ln = map_line(applied, str(f.get("path")), int(f.get("line") or 0))
        if ln is None or finding_key(f, ln) not in old:
            out.append(f)
    return out


def _mentions(f: dict[str, Any], name: str) -> bool:
    if f.get("symbol") == name:
        return True
    if re.search(rf"\b{re.escape(name)}\b", str(f.get("message") or "")):
        return True
    return any(isinstance(t, dict) and t.get("symbol") == name for t in f.get("trace") or [])


def match_modpost(a: Applied, new: Sequence[Mismatch]) -> dict[str, Any]:
    """Did modpost report the edit?  ``exact``: the expected fromsym -> tosym; ``related``: a new
    warning with the expected fromsym or tosym (the compiler inlined or renamed one side)."""
    exact = [m for m in new if m.fromsym == a.edit.fromsym and m.tosym == a.edit.tosym]
    related = [m for m in new if m not in exact and (m.fromsym == a.edit.fromsym or m.tosym == a.edit.tosym)]
    status = "exact" if exact else ("related" if related else "missed")
    return {"status": status, "exact": [asdict(m) for m in exact], "related": [asdict(m) for m in related]}


def match_hvlint(a: Applied, new: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Did hvlint report the edit?  A new finding in the edited file that names the source or
    the target (``symbol``, message or trace), or one about the target whose trace goes through
    the source (HV302); ``exact`` when it names the target and sits on an edited line or on the
    line of the bad reference, ``related`` otherwise."""
    lines = set(range(a.line, a.end_line + 1)) | {a.ref_line}
    hits = [
        f
        for f in new
        if (f.get("path") == a.edit.path and (_mentions(f, a.edit.tosym) or _mentions(f, a.edit.fromsym)))
        # HV302 stands at the init function's definition, its trace through the source
        or (f.get("symbol") == a.edit.tosym and _mentions(f, a.edit.fromsym))
    ]
    exact = [f for f in hits if f.get("line") in lines and _mentions(f, a.edit.tosym)]
    related = [f for f in hits if f not in exact]
    status = "exact" if exact else ("related" if related else "missed")
    brief = [{k: f.get(k) for k in ("rule", "path", "line", "symbol", "message")} for f in exact + related]
    got = sorted({str(f.get("rule")) for f in exact + related})
    return {"status": status, "findings": brief, "rules": got, "rules_expected_missing": _missing_rules(a, got)}


def _missing_rules(a: Applied, got: Sequence[str]) -> list[str]:
    """Expected rules of the edit that reported nothing for it (informative: a rule may leave a
    reference to a sibling rule, e.g. HV302 to HV301)."""
    return [r for r in a.edit.rules if r not in got] if got else []


def explained_by(m: Mismatch, applied: Sequence[Applied]) -> str | None:
    for a in applied:
        if m.fromsym == a.edit.fromsym or m.tosym == a.edit.tosym:
            return a.edit.id
    return None


def object_of(path: str) -> str:
    return os.path.splitext(path)[0] + ".o"


# ---------------------------------------------------------------------------------------------
# Steps with side effects


class Timer:
    def __init__(self) -> None:
        self.steps: list[tuple[str, float]] = []

    def run(self, name: str, fn: Any, *args: Any, **kw: Any) -> Any:
        t0 = time.monotonic()
        try:
            return fn(*args, **kw)
        finally:
            dt = time.monotonic() - t0
            self.steps.append((name, dt))
            print(f"[{dt:7.1f}s] {name}", file=sys.stderr, flush=True)


def log_cmd(cmd: Sequence[str], cwd: str | None = None) -> None:
    pre = f"(cd {shlex.quote(cwd)} && " if cwd else ""
    print("+", pre + shlex.join(cmd) + (")" if cwd else ""), file=sys.stderr, flush=True)


def _inside(path: str, root: str) -> bool:
    path, root = os.path.realpath(path), os.path.realpath(root)
    return path == root or path.startswith(root + os.sep)


def check_paths(tree: str, work: str, build: str, ref_build: str) -> None:
    for name, p in (("--work", work), ("--build", build)):
        if _inside(p, tree) or _inside(tree, p):
            sys.exit(f"error: {name} {p} overlaps the pristine tree {tree}")
        if _inside(p, ref_build) or _inside(ref_build, p):
            sys.exit(f"error: {name} {p} overlaps the reference build {ref_build}")
    if _inside(work, build) or _inside(build, work):
        sys.exit("error: --work and --build must not contain each other")


def make_copy(tree: str, work: str) -> list[list[str]]:
    cmds: list[list[str]] = []
    if os.path.exists(work):
        if not os.path.isfile(os.path.join(work, MARKER)):
            sys.exit(f"error: {work} exists and is not a copy made by this script (no {MARKER}); remove it yourself")
        shutil.rmtree(work)  # removes the copy's links only; the pristine inodes keep their other link
        cmds.append(["rm", "-rf", work])
    cmd = ["cp", "-al", tree, work]
    log_cmd(cmd)
    subprocess.run(cmd, check=True)
    with open(os.path.join(work, MARKER), "w") as fh:
        fh.write(f"hard-linked copy of {tree} made by benchmarks/modpost_crosscheck.py\n")
    return cmds + [cmd]


def build_commands(work: str, build: str, ref_build: str, objects: Sequence[str], jobs: int) -> list[list[str]]:
    return [
        ["mkdir", "-p", build],
        ["cp", os.path.join(ref_build, ".config"), os.path.join(build, ".config")],
        ["make", "-C", work, f"O={build}", "olddefconfig"],
        ["make", "-C", work, f"O={build}", f"-j{jobs}", *objects],
    ]


def run_build(cmds: Sequence[Sequence[str]], log_path: str) -> None:
    with open(log_path, "w") as log:
        for cmd in cmds:
            log_cmd(cmd)
            log.write("+ " + shlex.join(cmd) + "\n")
            log.flush()
            rc = subprocess.run(list(cmd), stdout=log, stderr=subprocess.STDOUT).returncode
            if rc:
                with open(log_path) as fh:
                    tail = fh.read().splitlines()[-25:]
                sys.exit(f"error: {shlex.join(cmd)} exited {rc}; last lines of {log_path}:\n" + "\n".join(tail))


def archive_members(build: str, dirs: Sequence[str]) -> list[str]:
    """The objects (relative to BUILD) of ``<dir>/built-in.a`` for each dir, as Kbuild links them
    (thin archives: members are paths relative to the build root; nested archives expanded)."""
    out: list[str] = []
    for d in dirs:
        ar = os.path.join(build, d.rstrip("/"), "built-in.a")
        if not os.path.isfile(ar):
            sys.exit(f"error: {ar} is missing: build {d}/ in the reference build first")
        res = subprocess.run(["ar", "t", ar], capture_output=True, text=True, check=True, cwd=build)
        for m in res.stdout.split():
            if os.path.isabs(m):  # GNU ar prints a thin archive's members as it was named
                m = os.path.relpath(m, build)
            if m.endswith(".a"):
                out += archive_members(build, [os.path.dirname(m)])
            else:
                out.append(m)
    return list(dict.fromkeys(out))


def modpost_command(modpost: str) -> list[str]:
    """modpost as scripts/Makefile.modpost runs it for vmlinux.o with this .config
    (CONFIG_MODULES=y -> -M; no -m: CRCs need .vmlinux.objs; no -E: warnings, not errors)."""
    return [modpost, "-M", "-o", "vmlinux.symvers", "vmlinux.o"]


def run_modpost(modpost: str, objects: Sequence[str], scratch: str) -> tuple[str, list[list[str]]]:
    """``ld -r`` the objects into SCRATCH/vmlinux.o and run modpost there; modpost writes
    vmlinux.symvers and .vmlinux.export.c into SCRATCH only."""
    os.makedirs(scratch, exist_ok=True)
    link = ["ld", "-m", "elf_x86_64", "-r", "-o", os.path.join(scratch, "vmlinux.o"), *objects]
    res = subprocess.run(link, capture_output=True, text=True)
    if res.returncode:
        sys.exit(f"error: {shlex.join(link[:8])} ... exited {res.returncode}:\n{res.stderr}")
    mp = modpost_command(modpost)
    res = subprocess.run(mp, capture_output=True, text=True, cwd=scratch)
    if res.returncode:
        print(f"warning: modpost exited {res.returncode} in {scratch}", file=sys.stderr)
    return res.stdout + res.stderr, [link, mp]


def hvlint_rules(hvlint: Sequence[str]) -> tuple[list[str], str | None]:
    try:
        res = subprocess.run([*hvlint, "rules"], capture_output=True, text=True)
    except OSError as err:
        return [], f"cannot run {shlex.join(hvlint)}: {err}"
    if res.returncode:
        return [], f"`{shlex.join(hvlint)} rules` exited {res.returncode}: {res.stderr.strip()[:200]}"
    ids = {ln.split()[0] for ln in res.stdout.splitlines() if ln.strip()}
    return [r for r in RULES if r in ids], None


def run_hvlint(hvlint: Sequence[str], select: Sequence[str], root: str) -> tuple[list[dict[str, Any]], list[str], str]:
    cmd = [*hvlint, "check", "--select", ",".join(select), "--format", "json", "--root", root, root]
    log_cmd(cmd)
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode not in (0, 1):
        last = (res.stderr.strip().splitlines() or [""])[-1]
        return [], cmd, f"exit {res.returncode}: {last}"
    try:
        data = json.loads(res.stdout)
    except json.JSONDecodeError as err:
        return [], cmd, f"unreadable JSON: {err}"
    return [f for f in data.get("findings", []) if f.get("rule") in select], cmd, ""


def changed_in_tree(tree: str, since: float) -> list[str]:
    """Paths of the pristine tree modified since ``since`` (should be none)."""
    with tempfile.NamedTemporaryFile(prefix="hvlint-mismatch-marker-") as fh:
        os.utime(fh.name, (since, since))
        res = subprocess.run(["find", tree, "-newer", fh.name], capture_output=True, text=True)
    return res.stdout.split()


# ---------------------------------------------------------------------------------------------
# Report


@dataclass
class Result:
    tree: str
    work: str
    build: str
    ref_build: str
    dirs: list[str]
    edits: list[dict[str, Any]] = field(default_factory=list)
    modpost_pristine: list[dict[str, Any]] = field(default_factory=list)
    modpost_new: list[dict[str, Any]] = field(default_factory=list)
    modpost_objects: dict[str, dict[str, list[list[str]]]] = field(default_factory=dict)
    hvlint_rules: list[str] = field(default_factory=list)
    hvlint_note: str = ""
    hvlint_pristine: int = 0
    hvlint_copy: int = 0
    hvlint_new: list[dict[str, Any]] = field(default_factory=list)
    hvlint_pristine_findings: list[dict[str, Any]] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    timings: list[tuple[str, float]] = field(default_factory=list)
    tree_changed: list[str] = field(default_factory=list)


def _ms(m: dict[str, Any]) -> str:
    return f"`{m['fromsym'] or '?'}` ({m['fromsec']}) -> `{m['tosym']}` ({m['tosec']})"


def markdown(r: Result) -> str:
    out = ["# hvlint section-mismatch rules vs modpost", ""]
    out += [f"Tree `{r.tree}` (read only), copy `{r.work}`, build `{r.build}`, reference build `{r.ref_build}`."]
    out += [f"modpost input: `ld -r` of the objects of {', '.join(r.dirs)} (reference build, touched objects rebuilt)."]
    out += ["", "## Injected mismatches", ""]
    out += [
        "| edit | file:line | expected (modpost) | modpost | modpost per object | hvlint |",
        "|---|---|---|---|---|---|",
    ]
    for e in r.edits:
        mp = e["modpost"]
        mp_s = mp["status"]
        if mp["status"] == "related":
            mp_s += ": " + "; ".join(_ms(m) for m in mp["related"][:3])
        hv = e["hvlint"]
        hv_s = hv["status"] if r.hvlint_rules else "n/a (rules not in hvlint yet)"
        if hv.get("findings"):
            hv_s += ": " + "; ".join(f"{f['rule']} {f['path']}:{f['line']}" for f in hv["findings"][:3])
            if len(hv["findings"]) > 3:
                hv_s += f" (+{len(hv['findings']) - 3})"
        if hv.get("rules_expected_missing"):
            hv_s += f" (no {', '.join(hv['rules_expected_missing'])})"
        exp = f"`{e['fromsym']}` -> `{e['tosym']}` ({e['tosec']})"
        out.append(f"| {e['id']} | {e['path']}:{e['ref_line']} | {exp} | {mp_s} | {e['modpost_object']} | {hv_s} |")
    out += ["", "Edits:", ""]
    out += [f"* **{e['id']}** ({e['path']}:{e['line']}): {e['what']}; rules {', '.join(e['rules'])}" for e in r.edits]
    out += ["", "## modpost", ""]
    out += [f"Pre-existing warnings (pristine objects, same link): {len(r.modpost_pristine)}"]
    out += [f"* {_ms(m)}" for m in r.modpost_pristine]
    out += ["", f"New on the copy: {len(r.modpost_new)}"]
    out += [f"* {_ms(m)}  <- {m.get('explained_by') or 'NOT EXPLAINED by an edit'}" for m in r.modpost_new]
    out += ["", "Per touched object alone (pristine -> copy):", ""]
    for obj, d in r.modpost_objects.items():
        new = [k for k in d["copy"] if k not in d["pristine"]]
        out.append(f"* `{obj}`: {len(d['pristine'])} -> {len(d['copy'])} distinct warnings, {len(new)} new")
    out += ["", "## hvlint", ""]
    if not r.hvlint_rules:
        out += [f"No hvlint findings to compare: {r.hvlint_note or 'HV301-HV304 are not in hvlint yet'}."]
        out += ["Every hvlint column above is n/a; rerun when the rules land."]
    else:
        out += [f"Rules run: {', '.join(r.hvlint_rules)}. {r.hvlint_note}".rstrip()]
        out += [f"Findings: pristine {r.hvlint_pristine}, copy {r.hvlint_copy}, new on the copy {len(r.hvlint_new)}."]
        if r.hvlint_copy == 0:
            out += ["hvlint reported nothing on the copy (rules present but silent?)."]
        out += ["", f"Pre-existing (pristine tree): {r.hvlint_pristine}"]
        out += [
            f"* {f['rule']} {f['path']}:{f['line']} `{f['symbol']}`: {f['message']}" for f in r.hvlint_pristine_findings
        ]
        out += ["", f"New on the copy: {len(r.hvlint_new)}"]
        for f in r.hvlint_new:
            tag = f.get("explained_by") or "not near an edit"
            out.append(
                f"* {f.get('rule')} {f.get('path')}:{f.get('line')} `{f.get('symbol')}`: {f.get('message')} <- {tag}"
            )
    if r.tree_changed:
        out += ["", f"**WARNING: {len(r.tree_changed)} paths of the pristine tree changed during the run**"]
    out += ["", "## Timings", "", "| step | seconds |", "|---|---|"]
    out += [f"| {n} | {t:.1f} |" for n, t in r.timings]
    out += ["", "## Repeat", "", "```sh", *r.commands, "```", ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--tree", default=os.environ.get("HVLINT_LINUX_TREE", DEFAULT_TREE), help="pristine tree (read only)"
    )
    ap.add_argument("--work", default=DEFAULT_WORK, help="hard-linked working copy (recreated)")
    ap.add_argument("--build", default=DEFAULT_BUILD, help="O= dir for the copy's build")
    ap.add_argument("--ref-build", default=DEFAULT_REF_BUILD, help="configured build of the pristine tree (read only)")
    ap.add_argument("--dirs", default=",".join(DEFAULT_DIRS), help="directories whose built-in.a are linked")
    ap.add_argument("--jobs", "-j", type=int, default=2)
    ap.add_argument("--hvlint", default="hvlint", help="command to run hvlint")
    ap.add_argument("--skip-hvlint", action="store_true")
    ap.add_argument("--json", action="store_true", help="print JSON instead of markdown")
    args = ap.parse_args(argv)

    tree = os.path.realpath(args.tree)
    work, build, ref_build = (os.path.abspath(p) for p in (args.work, args.build, args.ref_build))
    dirs = [d.strip().strip("/") for d in args.dirs.split(",") if d.strip()]
    check_paths(tree, work, build, ref_build)
    for p, what in ((tree, "tree"), (os.path.join(ref_build, ".config"), "reference .config")):
        if not os.path.exists(p):
            sys.exit(f"error: {what} {p} not found")
    t_start = time.time()
    timer = Timer()
    r = Result(tree=tree, work=work, build=build, ref_build=ref_build, dirs=dirs)
    me = os.path.relpath(os.path.abspath(__file__))
    r.commands.append(
        shlex.join(["python", me, "--tree", tree, "--work", work, "--build", build, "--ref-build", ref_build])
    )

    # 1. copy + edits
    cmds = timer.run("copy (cp -al)", make_copy, tree, work)
    applied = timer.run("apply edits", apply_edits, work, EDITS, tree)
    for a in applied:
        if os.stat(os.path.join(work, a.edit.path)).st_ino == os.stat(os.path.join(tree, a.edit.path)).st_ino:
            sys.exit(f"error: {a.edit.path} still shares its inode with the pristine tree")
    r.commands += ["# what the script runs:", *(shlex.join(c) for c in cmds), "# ...then the EDITS table"]

    # 2. build + modpost
    objects = list(dict.fromkeys(object_of(a.edit.path) for a in applied))
    bcmds = build_commands(work, build, ref_build, objects, args.jobs)
    r.commands += [shlex.join(c) for c in bcmds]
    timer.run("build touched objects", run_build, bcmds, os.path.join(build, "modpost-crosscheck.build.log"))
    members = archive_members(ref_build, dirs)
    for o in objects:
        if o not in members:
            sys.exit(f"error: {o} is not in the built-in.a of {dirs} (not built in with this .config?)")
    scratch = os.path.join(build, "modpost-crosscheck")
    modpost_new_bin = os.path.join(build, "scripts", "mod", "modpost")
    modpost_ref_bin = os.path.join(ref_build, "scripts", "mod", "modpost")
    pristine_objs = [os.path.join(ref_build, m) for m in members]
    copy_objs = [os.path.join(build if m in objects else ref_build, m) for m in members]
    text_p, c1 = timer.run(
        f"modpost, pristine ({len(members)} objects linked)",
        run_modpost,
        modpost_ref_bin,
        pristine_objs,
        os.path.join(scratch, "pristine"),
    )
    text_c, c2 = timer.run(
        f"modpost, copy ({len(objects)} rebuilt)",
        run_modpost,
        modpost_new_bin,
        copy_objs,
        os.path.join(scratch, "copy"),
    )
    r.commands += [
        f"# modpost: ld -r of the {len(members)} members of the built-in.a of {','.join(dirs)}",
        f"#   (`ar t {ref_build}/<dir>/built-in.a`; touched objects from {build}), then in the scratch folder:",
        shlex.join(c1[0][:6]) + " <objects...>",
        shlex.join(c2[1]),
    ]
    mp_pristine = parse_modpost(text_p)
    mp_copy = parse_modpost(text_c)
    mp_new = new_mismatches(mp_copy, mp_pristine)
    r.modpost_pristine = [asdict(m) for m in mp_pristine]
    r.modpost_new = [dict(asdict(m), explained_by=explained_by(m, applied)) for m in mp_new]
    per_obj: dict[str, dict[str, list[Mismatch]]] = {}
    t0 = time.monotonic()
    for o in objects:
        tp, _ = run_modpost(modpost_ref_bin, [os.path.join(ref_build, o)], os.path.join(scratch, "obj-pristine"))
        tc, _ = run_modpost(modpost_new_bin, [os.path.join(build, o)], os.path.join(scratch, "obj-copy"))
        per_obj[o] = {"pristine": parse_modpost(tp), "copy": parse_modpost(tc)}
    timer.steps.append(("modpost, each touched object alone", time.monotonic() - t0))
    r.modpost_objects = {
        o: {k: [list(x) for x in dict.fromkeys(m.key() for m in v)] for k, v in d.items()} for o, d in per_obj.items()
    }

    # 3. hvlint
    hv_new: list[dict[str, Any]] = []
    if args.skip_hvlint:
        r.hvlint_note = "skipped (--skip-hvlint)"
    else:
        hv = shlex.split(args.hvlint)
        rules, err = hvlint_rules(hv)
        r.hvlint_rules = rules
        missing = [x for x in RULES if x not in rules]
        if err:
            r.hvlint_note = err
        elif not rules:
            r.hvlint_note = f"hvlint has none of {', '.join(RULES)} yet (`hvlint rules`); not run"
        else:
            if missing:
                r.hvlint_note = f"not in hvlint yet: {', '.join(missing)}."
            f_p, cmd_p, err_p = timer.run("hvlint, pristine tree", run_hvlint, hv, rules, tree)
            f_c, cmd_c, err_c = timer.run("hvlint, copy", run_hvlint, hv, rules, work)
            r.commands += [shlex.join(cmd_p), shlex.join(cmd_c)]
            if err_p or err_c:
                r.hvlint_note += f" hvlint failed: {err_p or err_c}"
            r.hvlint_pristine, r.hvlint_copy = len(f_p), len(f_c)
            r.hvlint_pristine_findings = [
                {k: f.get(k) for k in ("rule", "path", "line", "symbol", "message")} for f in f_p
            ]
            hv_new = new_findings(f_c, f_p, applied)
            for f in hv_new:
                f["explained_by"] = next(
                    (
                        a.edit.id
                        for a in applied
                        if f.get("path") == a.edit.path and match_hvlint(a, [f])["status"] != "missed"
                    ),
                    None,
                )
            r.hvlint_new = hv_new

    for a in applied:
        e = a.edit
        obj = per_obj.get(object_of(e.path), {"pristine": [], "copy": []})
        seen_alone = match_modpost(a, new_mismatches(obj["copy"], obj["pristine"]))["status"]
        r.edits.append(
            {
                **{k: v for k, v in asdict(e).items() if k not in ("anchor", "replacement")},
                "anchor": e.anchor,
                "replacement": e.replacement,
                "line": a.line,
                "end_line": a.end_line,
                "ref_line": a.ref_line,
                "modpost": match_modpost(a, mp_new),
                "modpost_object": seen_alone,
                "hvlint": match_hvlint(a, hv_new),
            }
        )
    r.tree_changed = changed_in_tree(tree, t_start - 1)
    r.timings = timer.steps
    if args.json:
        print(json.dumps(asdict(r), indent=1))
    else:
        print(markdown(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
