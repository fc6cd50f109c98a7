#!/usr/bin/env python3
"""hvlint's call graph against GCC's: direct-call recall/precision and section-class agreement.

    python benchmarks/callgraph_vs_gcc.py --build /var/tmp/hvlint-build --tree /path/to/linux
        [--dirs arch/x86/xen,arch/x86/platform/pvh,arch/x86/kernel,drivers/xen,init]
        [--hvlint-json FILE | --gcc-only] [--hvlint CMD] [--json] [--samples 20] [--seed 0]
        [--gcc-cache FILE] [--jobs N] [--run-build]

Ground truth: a real out-of-tree build of the kernel (x86_64_defconfig plus Xen/PVH, DWARF 5)
with ``KCFLAGS=-fcallgraph-info=su`` (see ``build_commands``; ``--run-build`` runs them).
For every ``X.ci`` under the given directories of the build (and its ``X.o``):

* **functions**: every function *defined* in a ``.c`` file under those directories that GCC
  compiled: the DWARF definitions of each CU (out-of-line ones and inline-only abstract
  instances), keyed by (path relative to the tree, name).  GCC-made clones (``foo.isra.0``,
  ``foo.constprop.0``, ``foo.part.0``, ``foo.cold``) are folded into ``foo``.
* **direct call edges** (caller -> callee name), as the source states them:
    - the ``.ci`` edges (GCC's call graph at RTL expansion, i.e. *after* inlining).  An edge
      is attributed by its location (``file:line:col``) to the function of that file whose
      definition encloses the line, so a call written in ``g`` that GCC inlined into ``f`` is
      counted as ``g -> callee``, and a call written in a header ``static inline`` is not
      counted for the ``.c`` function at all.  Calls without a location (block moves GCC turns
      into ``memcpy``/``memset``) and compiler-inserted callees (``__stack_chk_fail``,
      ``__sanitizer_*``...) are dropped, and so are mem*/str* calls GCC made from code that
      does not name them (a loop turned into ``memset``); indirect calls (``__indirect_call``)
      are counted apart.
    - the calls GCC inlined, which the ``.ci`` graph no longer shows: every
      ``DW_TAG_inlined_subroutine`` gives ``context -> origin``, where the context is the
      innermost enclosing subprogram or inlined subroutine (so ``f`` inlining ``g`` inlining
      ``k`` gives ``f -> g`` and ``g -> k``).
* **section** of every function/data object GCC placed: its ELF symbol's section in the
  ``.o``, classified init (``.init.*``), exit (``.exit.*``), ref (``.ref.*``), head
  (``.head.text``) or runtime (anything else).  Only symbols with a file-scope DWARF
  definition in one of those ``.c`` files count (not function-local statics ``x.N``,
  not top-level-asm labels).

Functions and objects whose name does not occur as a word in their ``.c`` file were made by
a macro (``SYSCALL_DEFINE``, ``__setup``, ``DEFINE_IDTENTRY``, ``TRACE_EVENT``...): they are
reported apart and left out of the headline numbers.

hvlint side: ``hvlint callgraph --format json TREE`` (or ``--hvlint-json FILE``), networkx
node-link JSON (see the contract, "Call graph").  A GCC function ``(path, name)`` is hvlint
node ``path::name``; its hvlint direct calls are the ``kind == "call"`` edges leaving it
without a ``via`` attribute (``via`` edges are calls through pointers, counted apart).

* recall = |GCC edges ∩ hvlint edges| / |GCC edges|, over (caller, callee name) pairs of the
  textual functions;
* precision = |∩| / |hvlint call edges leaving those same callers| -- a lower bound, since
  hvlint reads every configuration and GCC compiled one;
* section agreement = share of GCC-placed textual symbols whose hvlint node ``section`` has
  the same class (``null`` or a missing node field = runtime; a missing node = disagreement).

Missed edges are classified (see ``classify_miss``) and a seeded sample is printed with its
source line.  Dev dependency: ``pyelftools`` (``pip install pyelftools``); not a dependency
of hvlint.  Nothing is written into the tree; ``--run-build`` writes only into ``--build``,
``--gcc-cache FILE`` only FILE.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

DEFAULT_DIRS = ["arch/x86/xen", "arch/x86/platform/pvh", "arch/x86/kernel", "drivers/xen", "init"]
CONFIG_ENABLE = [
    "HYPERVISOR_GUEST",
    "PARAVIRT",
    "XEN",
    "XEN_PVH",
    "XEN_PV",
    "XEN_DOM0",
    "PVH",
    "DEBUG_INFO",
    "DEBUG_INFO_DWARF5",
]
CONFIG_DISABLE = ["DEBUG_INFO_NONE", "DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT", "DEBUG_INFO_BTF"]
KCFLAGS = "-fcallgraph-info=su"

TARGETS = {"recall": 0.95, "precision": 0.90, "section": 0.95}

# Callees GCC inserts on its own (no call in the source).
COMPILER_CALLEES = re.compile(
    r"^(__stack_chk_fail|__stack_chk_guard|__builtin_.*|__sanitizer_.*|__ubsan_.*|__asan_.*|__kasan_.*"
    r"|__tsan_.*|__msan_.*|__kcsan_.*|__gcov_.*|__cyg_profile_.*|__fentry__|mcount|__x86_indirect_thunk.*"
    r"|__x86_return_thunk|abort)$"
)
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Library functions GCC treats as builtins: it expands many calls inline (no call left) and makes
# calls to them from loops and struct copies (a call not in the source).
BUILTINS = {
    "memcpy",
    "memset",
    "memmove",
    "memcmp",
    "bcmp",
    "strlen",
    "strnlen",
    "strcpy",
    "strncpy",
    "strcmp",
    "strncmp",
    "strcat",
    "strncat",
    "strchr",
    "strrchr",
    "strstr",
    "stpcpy",
    "__memcpy",
    "__memset",
    "__builtin_memcpy",
    "__builtin_memset",
    "abs",
}


def build_commands(tree: str, build: str, dirs: list[str], jobs: int = 2) -> list[list[str]]:
    """The exact commands that produce the ground truth (run from the tree, output in BUILD)."""
    cfg = [os.path.join(tree, "scripts", "config"), "--file", os.path.join(build, ".config")]
    for opt in CONFIG_ENABLE:
        cfg += ["-e", opt]
    for opt in CONFIG_DISABLE:
        cfg += ["-d", opt]
    dirs_t = [d.rstrip("/") + "/" for d in dirs]
    return [
        ["make", "-C", tree, f"O={build}", "x86_64_defconfig"],
        cfg,
        ["make", "-C", tree, f"O={build}", "olddefconfig"],
        ["make", "-C", tree, f"O={build}", f"KCFLAGS={KCFLAGS}", f"-j{jobs}", "-k", *dirs_t],
    ]


def run_build(tree: str, build: str, dirs: list[str], jobs: int) -> None:
    os.makedirs(build, exist_ok=True)
    marker = os.path.join(build, ".callgraph_vs_gcc.marker")
    with open(marker, "w"):
        pass
    cmds = build_commands(tree, build, dirs, jobs)
    for cmd in cmds[:-1]:
        print("+", shlex.join(cmd), file=sys.stderr, flush=True)
        subprocess.run(cmd, check=True, stdout=sys.stderr)  # keep stdout for the report
    print("+", shlex.join(cmds[-1]), file=sys.stderr, flush=True)
    rc = subprocess.run(cmds[-1], stdout=sys.stderr).returncode  # -k: build what builds, report the rest
    if rc:
        print(f"WARNING: make exited {rc}; some objects are missing (build them one by one)", file=sys.stderr)
    changed = subprocess.run(["find", tree, "-newer", marker], capture_output=True, text=True).stdout.split()
    if changed:
        print(f"WARNING: {len(changed)} paths in the source tree are newer than the build start:", file=sys.stderr)
        for p in changed[:20]:
            print("   ", p, file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Small helpers


def base_name(name: str) -> str:
    """``foo.isra.0`` / ``foo.constprop.0.part.0`` / ``foo.cold`` -> ``foo``; drops a
    ``path:`` qualifier (GCC titles static functions ``/abs/path/file.c:name``)."""
    if ":" in name:
        name = name.rsplit(":", 1)[1]
    return name.split(".", 1)[0]


def section_class(section: str | None) -> str:
    if not section:
        return "runtime"
    if section.startswith(".init."):
        return "init"
    if section.startswith(".exit."):
        return "exit"
    if section.startswith(".ref."):
        return "ref"
    if section.startswith(".head.text"):
        return "head"
    return "runtime"


def pct(num: int, den: int) -> str:
    return f"{100.0 * num / den:.1f}%" if den else "n/a"


class Tree:
    """Read-only access to the source tree: relative paths, file lines, identifier sets."""

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root)
        self._lines: dict[str, list[str]] = {}
        self._idents: dict[str, set[str]] = {}
        self._macros: tuple[set[str], set[str]] | None = None

    def rel(self, path: str, comp_dir: str | None = None) -> str | None:
        """Path relative to the tree, or None when outside (build-dir generated files, system)."""
        if not os.path.isabs(path):
            if comp_dir is None:
                return None
            path = os.path.join(comp_dir, path)
        path = os.path.normpath(path)
        real = path if path.startswith(self.root + os.sep) else os.path.realpath(path)
        if not real.startswith(self.root + os.sep):
            return None
        return os.path.relpath(real, self.root)

    def lines(self, rel: str) -> list[str]:
        if rel not in self._lines:
            try:
                with open(os.path.join(self.root, rel), encoding="utf-8", errors="replace") as fh:
                    self._lines[rel] = fh.read().split("\n")
            except OSError:
                self._lines[rel] = []
        return self._lines[rel]

    def line(self, rel: str, n: int) -> str:
        ls = self.lines(rel)
        return ls[n - 1] if 0 < n <= len(ls) else ""

    def idents(self, rel: str) -> set[str]:
        if rel not in self._idents:
            self._idents[rel] = set(IDENT.findall("\n".join(self.lines(rel))))
        return self._idents[rel]

    def macros(self) -> tuple[set[str], set[str]]:
        """(function-like, object-like) macro names defined in the tree's generic/x86 headers and
        the scope directories: a cheap index of ``#define NAME(`` and ``#define NAME`` lines."""
        if self._macros is None:
            fl: set[str] = set()
            ol: set[str] = set()
            rx = re.compile(rb"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(\(?)", re.M)
            seen: set[str] = set()
            for r in ["include", "arch/x86", "drivers/xen", "init"]:
                for dp, _dn, fn in os.walk(os.path.join(self.root, r)):
                    for f in fn:
                        p = os.path.join(dp, f)
                        if not f.endswith((".h", ".c")) or p in seen:
                            continue
                        seen.add(p)
                        try:
                            with open(p, "rb") as fh:
                                for name, paren in rx.findall(fh.read()):
                                    (fl if paren else ol).add(name.decode())
                        except OSError:
                            pass
            self._macros = (fl, ol)
        return self._macros


# ---------------------------------------------------------------------------------------------
# GCC side


@dataclass
class Func:
    path: str
    name: str
    line: int
    textual: bool
    emitted: bool = False  # has an out-of-line body (a symbol)
    inlined: bool = False  # has inlined instances
    section: str | None = None
    objs: set[str] = field(default_factory=set)


@dataclass
class Site:
    path: str
    line: int
    col: int
    via: str  # "ci" (GCC's call graph) or "inline" (DWARF inlined subroutine)
    obj: str


@dataclass
class Sym:
    path: str
    name: str
    kind: str  # function | object
    section: str
    textual: bool
    line: int


@dataclass
class Gcc:
    objects: list[str] = field(default_factory=list)
    ci_files: int = 0
    funcs: dict[tuple[str, str], Func] = field(default_factory=dict)
    # (caller key, callee name) -> its call sites (distinct lines)
    edges: dict[tuple[tuple[str, str], str], list[Site]] = field(default_factory=dict)
    syms: dict[tuple[str, str], Sym] = field(default_factory=dict)
    header_inline: set[str] = field(default_factory=set)  # names of header functions GCC inlined
    counts: collections.Counter[str] = field(default_factory=collections.Counter)
    section_conflicts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # object -> functions GCC inlined into nothing there (an abstract DWARF instance, no body,
    # no inlined instance): their call sites left no trace.
    vanished: dict[str, set[str]] = field(default_factory=dict)


_CI_KV = re.compile(r'(\w+): "((?:[^"\\]|\\.)*)"')


def parse_ci(path: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(kind, fields) for each ``node:``/``edge:`` line of a ``-fcallgraph-info`` VCG file."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            s = raw.lstrip()
            kind = s.split(":", 1)[0]
            if kind not in ("node", "edge"):
                continue
            yield kind, dict(_CI_KV.findall(s))


def split_loc(loc: str) -> tuple[str, int, int] | None:
    parts = loc.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1]), int(parts[2]) if parts[2].isdigit() else 0


class DwarfCU:
    """What one object's DWARF says: definitions (functions, file-scope variables) with their
    file and line, and the inlined calls (context -> origin)."""

    def __init__(self, obj_path: str, tree: Tree) -> None:
        from elftools.elf.elffile import ELFFile
        from elftools.elf.sections import SymbolTableSection

        self.tree = tree
        self.defs: list[tuple[str, str, str, int, bool, bool]] = []  # (tag, path, name, line, emitted, inlined)
        self.inlines: list[tuple[tuple[str, str] | None, tuple[str, str] | None, str, str | None, int, int]] = []
        self.primary: str | None = None
        self.symbols: list[tuple[str, str, str]] = []  # (name, type, section)
        with open(obj_path, "rb") as fh:
            elf = ELFFile(fh)
            secnames = [s.name for s in elf.iter_sections()]
            symtab = elf.get_section_by_name(".symtab")
            if isinstance(symtab, SymbolTableSection):
                for sym in symtab.iter_symbols():
                    st = sym["st_info"]["type"]
                    shndx = sym["st_shndx"]
                    if st not in ("STT_FUNC", "STT_OBJECT") or not isinstance(shndx, int):
                        continue
                    self.symbols.append((sym.name, st, secnames[shndx]))
            if elf.has_dwarf_info():
                dw = elf.get_dwarf_info()
                for cu in dw.iter_CUs():
                    self._cu(dw, cu)

    def _cu(self, dw: Any, cu: Any) -> None:
        top = cu.get_top_DIE()
        comp_dir = _attr_str(top, "DW_AT_comp_dir")
        lp = dw.line_program_for_CU(cu)
        files: dict[int, str | None] = {}
        if lp is not None:
            ver = lp.header["version"]
            dirs = [_bytes_str(d) for d in lp.header["include_directory"]]
            for i, fe in enumerate(lp.header["file_entry"]):
                idx = i if ver >= 5 else i + 1
                name = _bytes_str(fe.name)
                di = fe.dir_index
                if ver >= 5:
                    d = dirs[di] if di < len(dirs) else comp_dir
                else:
                    d = dirs[di - 1] if 0 < di <= len(dirs) else comp_dir
                full = name if os.path.isabs(name) else os.path.join(d or comp_dir or "", name)
                if not os.path.isabs(full) and comp_dir:
                    full = os.path.join(comp_dir, full)
                files[idx] = self.tree.rel(full)
        cu_name = _attr_str(top, "DW_AT_name")
        if cu_name:
            self.primary = self.tree.rel(cu_name if os.path.isabs(cu_name) else os.path.join(comp_dir or "", cu_name))

        cache: dict[int, tuple[str, str | None, int]] = {}

        def origin(die: Any) -> tuple[str, str | None, int]:
            """(name, rel file, line) following abstract_origin/specification."""
            if die.offset in cache:
                return cache[die.offset]
            name = _attr_str(die, "DW_AT_name") or ""
            fidx = die.attributes.get("DW_AT_decl_file")
            line = die.attributes.get("DW_AT_decl_line")
            path = files.get(fidx.value) if fidx is not None else None
            ln = line.value if line is not None else 0
            for ref in ("DW_AT_abstract_origin", "DW_AT_specification"):
                if ref in die.attributes and (not name or fidx is None or line is None):
                    try:
                        tgt = die.get_DIE_from_attribute(ref)
                    except Exception:  # noqa: BLE001 - malformed refs: keep what we have
                        continue
                    oname, opath, oln = origin(tgt)
                    name = name or oname
                    if fidx is None:
                        path = opath
                    if line is None:
                        ln = oln
            cache[die.offset] = (name, path, ln)
            return cache[die.offset]

        for die in top.iter_children():
            tag = die.tag
            if tag not in ("DW_TAG_subprogram", "DW_TAG_variable"):
                continue
            a = die.attributes
            if "DW_AT_declaration" in a:
                continue
            name, path, ln = origin(die)
            if not name or path is None:
                continue
            if tag == "DW_TAG_variable":
                self.defs.append(("object", path, name, ln, "DW_AT_location" in a, False))
                continue
            emitted = "DW_AT_low_pc" in a or "DW_AT_ranges" in a
            inl = "DW_AT_inline" in a
            self.defs.append(("function", path, name, ln, emitted, inl))
            if die.has_children and emitted:
                self._walk(die, (path, name), origin, files)

    def _walk(self, die: Any, ctx: tuple[str, str], origin: Any, files: dict[int, str | None]) -> None:
        stack: list[tuple[Any, tuple[str, str]]] = [(c, ctx) for c in die.iter_children()]
        while stack:
            d, c = stack.pop()
            if d.tag == "DW_TAG_inlined_subroutine":
                name, path, decl_ln = origin(d)
                cf = d.attributes.get("DW_AT_call_file")
                cl = d.attributes.get("DW_AT_call_line")
                cc = d.attributes.get("DW_AT_call_column")
                cpath = files.get(cf.value) if cf is not None else None
                callee_key = (path or "", name)
                line = cl.value if cl else 0
                # GCC nests a function's own block in itself (split/cold parts) with the call
                # site on the definition line: not a call.
                if not (callee_key == c and cpath == path and line == decl_ln):
                    self.inlines.append((c, callee_key, name, cpath, line, cc.value if cc else 0))
                nc = callee_key
            else:
                nc = c
            if d.tag == "DW_TAG_subprogram":
                continue  # nested function: not in the kernel
            if d.has_children:
                stack.extend((x, nc) for x in d.iter_children())


@dataclass
class ObjInfo:
    primary: str | None
    defs: list[tuple[str, str, str, int, bool, bool]]
    inlines: list[tuple[tuple[str, str] | None, tuple[str, str] | None, str, str | None, int, int]]
    symbols: list[tuple[str, str, str]]


def read_object(job: tuple[str, str]) -> tuple[str, ObjInfo | str]:
    """Worker: one object's DWARF and symbols, or an error message."""
    obj, root = job
    try:
        cu = DwarfCU(obj, Tree(root))
    except Exception as e:  # noqa: BLE001 - report and go on
        return obj, f"{type(e).__name__}: {e}"
    return obj, ObjInfo(cu.primary, cu.defs, cu.inlines, cu.symbols)


def _bytes_str(v: Any) -> str:
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)


def _attr_str(die: Any, name: str) -> str | None:
    a = die.attributes.get(name)
    return _bytes_str(a.value) if a is not None else None


def enclosing(starts: dict[str, list[tuple[int, str]]], path: str, line: int, hint: str | None) -> str | None:
    """The function of PATH whose definition starts last at or before LINE (HINT wins a tie:
    a macro defining several functions on one line)."""
    best: list[str] = []
    best_ln = -1
    for ln, name in starts.get(path, ()):
        if ln > line:
            break
        if ln > best_ln:
            best_ln, best = ln, [name]
        elif ln == best_ln:
            best.append(name)
    if not best:
        return None
    return hint if hint in best else best[0]


def in_dirs(rel: str | None, dirs: list[str]) -> bool:
    return rel is not None and any(rel.startswith(d.rstrip("/") + "/") for d in dirs)


def collect_gcc(build: str, tree: Tree, dirs: list[str], progress: bool = False, jobs: int = 1) -> Gcc:
    g = Gcc()
    build = os.path.realpath(build)
    ci_paths: list[str] = []
    for d in dirs:
        for dp, _dn, fn in os.walk(os.path.join(build, d)):
            ci_paths.extend(os.path.join(dp, f) for f in fn if f.endswith(".ci"))
    ci_paths.sort()
    g.ci_files = len(ci_paths)

    def scope_c(rel: str | None) -> bool:
        return rel is not None and rel.endswith(".c") and in_dirs(rel, dirs)

    objs = [ci[:-3] + ".o" for ci in ci_paths]
    jobs_in = [(o, tree.root) for o in objs if os.path.exists(o)]
    read: dict[str, ObjInfo | str] = {}
    if jobs > 1 and len(jobs_in) > 1:
        import multiprocessing

        with multiprocessing.Pool(jobs) as pool:
            for n, (o, info) in enumerate(pool.imap_unordered(read_object, jobs_in, chunksize=4)):
                read[o] = info
                if progress and n % 20 == 0:
                    print(f"  [{n}/{len(jobs_in)}] {os.path.relpath(o, build)}", file=sys.stderr, flush=True)
    else:
        for n, job in enumerate(jobs_in):
            read[job[0]] = read_object(job)[1]
            if progress and n % 20 == 0:
                print(f"  [{n}/{len(jobs_in)}] {os.path.relpath(job[0], build)}", file=sys.stderr, flush=True)

    for ci, obj in zip(ci_paths, objs):
        orel = os.path.relpath(obj, build)
        if obj not in read:
            g.errors.append(f"{orel}: .ci without .o (skipped)")
            continue
        cu = read[obj]
        if isinstance(cu, str):
            g.errors.append(f"{orel}: {cu}")
            continue
        g.objects.append(orel)
        if not cu.defs:
            g.errors.append(f"{orel}: no DWARF definitions (built without debug info?)")

        # Definitions: functions, and per file the sorted start lines for location attribution.
        starts: dict[str, list[tuple[int, str]]] = collections.defaultdict(list)
        obj_defs: dict[tuple[str, str], str] = {}  # (path, name) -> kind, for symbols
        for kind, path, name, ln, emitted, inl in cu.defs:
            obj_defs.setdefault((path, name), kind)
            if kind != "function":
                continue
            starts[path].append((ln, name))
            if not scope_c(path):
                continue
            key = (path, name)
            f = g.funcs.get(key)
            if f is None:
                f = g.funcs[key] = Func(path, name, ln, name in tree.idents(path))
            f.emitted |= emitted
            f.inlined |= inl
            f.objs.add(orel)
        for lst in starts.values():
            lst.sort()

        def add_edge(caller: tuple[str, str], callee: str, site: Site) -> None:
            if caller not in g.funcs:
                return
            if COMPILER_CALLEES.match(callee):
                g.counts["edges dropped: compiler-inserted callee"] += 1
                return
            g.counts[f"edge sites from {site.via}"] += 1
            sites = g.edges.setdefault((caller, callee), [])
            if all((x.path, x.line) != (site.path, site.line) for x in sites):
                sites.append(site)

        # GCC's call graph (after inlining).
        titles: dict[str, str] = {}
        for kind, fields in parse_ci(ci):
            if kind == "node":
                lab = fields.get("label", "").split("\\n")
                titles[fields.get("title", "")] = lab[0] if lab else ""
                continue
            g.counts["ci edges"] += 1
            src = base_name(fields.get("sourcename", ""))
            tgt_title = fields.get("targetname", "")
            tgt = base_name(tgt_title)
            if tgt == "__indirect_call":
                g.counts["ci edges: indirect"] += 1
                continue
            loc = split_loc(fields["label"]) if "label" in fields else None
            if loc is None:
                if ".part." in tgt_title and tgt == src:
                    g.counts["ci edges: no location, a function calling its own split part"] += 1
                elif ".part." in tgt_title:
                    # Partial inlining: the head of tgt was inlined into src, its tail is called.
                    g.counts["ci edges: no location, split function"] += 1
                    for path, names in starts.items():
                        if any(nm == src for _l, nm in names) and scope_c(path):
                            add_edge((path, src), tgt, Site(path, 0, 0, "ci", orel))
                            break
                else:
                    g.counts["ci edges: no location (stack protector, block moves)"] += 1
                continue
            lpath = tree.rel(loc[0], build)
            if lpath is None:
                g.counts["ci edges: location outside the tree"] += 1
                continue
            if not scope_c(lpath):
                g.counts["ci edges: written in a header/out-of-scope file"] += 1
                continue
            caller = enclosing(starts, lpath, loc[1], src)
            if caller is None:
                g.counts["ci edges: no enclosing definition"] += 1
                continue
            add_edge((lpath, caller), tgt, Site(lpath, loc[1], loc[2], "ci", orel))

        instances = {callee for _c, _k, callee, _p, _l, _cc in cu.inlines}
        g.vanished[orel] = {
            name for kind, _p, name, _l, emitted, inl in cu.defs if kind == "function" and inl and not emitted
        } - instances
        # Calls GCC inlined.
        for ctx, callee_key, callee, cpath, cl, cc in cu.inlines:
            if callee_key and callee_key[0] and not scope_c(callee_key[0]):
                g.header_inline.add(callee)
            if ctx is None or not scope_c(ctx[0]):
                continue
            g.counts["dwarf inlined calls"] += 1
            add_edge(ctx, callee, Site(cpath or ctx[0], cl, cc, "inline", orel))

        # Sections of placed symbols.
        by_name: dict[str, list[tuple[str, str, str]]] = collections.defaultdict(list)
        for name, st, sec in cu.symbols:
            by_name[name.split(".", 1)[0]].append((name, st, sec))
        for (path, name), kind in obj_defs.items():
            if not scope_c(path) or name not in by_name:
                continue
            cands = by_name[name]
            exact = [c for c in cands if c[0] == name]
            if kind == "function":
                pick = exact or [c for c in cands if c[1] == "STT_FUNC" and not c[0].endswith(".cold")]
            else:
                pick = [c for c in exact if c[1] == "STT_OBJECT"]
            if not pick:
                continue
            sec = pick[0][2]
            key = (path, name)
            if key in g.syms:
                if section_class(g.syms[key].section) != section_class(sec):
                    g.section_conflicts.append(f"{path}::{name}: {g.syms[key].section} vs {sec} ({orel})")
                continue
            f = g.funcs.get(key)
            ln = f.line if f else next((d[3] for d in cu.defs if d[1] == path and d[2] == name), 0)
            g.syms[key] = Sym(path, name, kind, sec, name in tree.idents(path), ln)
            if f is not None:
                f.section = sec
    return g


# ---------------------------------------------------------------------------------------------
# hvlint side


@dataclass
class Hv:
    nodes: dict[str, dict[str, Any]]
    calls: dict[str, dict[str, list[int]]]  # caller id -> callee name -> lines (direct calls)
    via_calls: dict[str, dict[str, list[int]]]  # the same for calls resolved through a pointer (`via`)
    target_paths: dict[tuple[str, str], set[str]]  # (caller id, callee name) -> paths of the target nodes
    source: str
    compiled_out: int = 0  # call edges whose condition is false in the build's .config (left out)
    undecided: int = 0  # call edges whose condition the .config cannot decide (kept)


def hvlint_cmd(explicit: str | None) -> list[str]:
    if explicit:
        return shlex.split(explicit)
    exe = shutil.which("hvlint")
    return [exe] if exe else [sys.executable, "-m", "hvlint"]


def fetch_hvlint(tree: str, json_file: str | None, cmd: str | None) -> tuple[dict[str, Any], str]:
    """hvlint's node-link JSON graph (from a file, or by running hvlint) and where it came from."""
    if json_file:
        with open(json_file, encoding="utf-8") as fh:
            data = json.load(fh)
        source = json_file
    else:
        argv = hvlint_cmd(cmd) + ["callgraph", "--format", "json", tree]
        t0 = time.monotonic()
        proc = subprocess.run(argv, capture_output=True, text=True)
        if proc.returncode != 0 and not proc.stdout.strip():
            raise SystemExit(f"{shlex.join(argv)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
        data = json.loads(proc.stdout)
        source = f"{shlex.join(argv)} ({time.monotonic() - t0:.1f} s)"
    return data, source


_DEFINE_NAME = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)", re.M)


def file_defines(tree: str, path: str) -> frozenset[str] | None:
    """The names a source file #defines (None if unreadable)."""
    try:
        with open(os.path.join(tree, path), encoding="latin-1") as fh:
            return frozenset(_DEFINE_NAME.findall(fh.read()))
    except OSError:
        return None


def load_hvlint(
    data: dict[str, Any],
    source: str,
    config: dict[str, str] | None = None,
    defines: Any = None,
    tree: str = "",
) -> Hv:
    """hvlint's graph; with `config` (a .config), the call edges whose `cond` is false in
    that configuration are left out, as `hvlint callgraph --config` does."""
    from hvlint.kconfig import evaluate

    nodes = {str(n["id"]): n for n in data.get("nodes", [])}
    calls: dict[str, dict[str, list[int]]] = collections.defaultdict(lambda: collections.defaultdict(list))
    via: dict[str, dict[str, list[int]]] = collections.defaultdict(lambda: collections.defaultdict(list))
    tpaths: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    out = undecided = 0
    local: dict[str, frozenset[str] | None] = {}
    for e in data.get("edges", data.get("links", [])):
        if e.get("kind", "call") != "call":
            continue
        src_id = str(e["source"])
        if config is not None and e.get("cond"):
            path = nodes.get(src_id, {}).get("path") or ""
            if path not in local:
                local[path] = file_defines(tree, path) if path else None
            v = evaluate(e["cond"], config, defines, local=local[path])
            if v is False:
                out += 1
                continue
            undecided += v is None
        src, tgt = str(e["source"]), str(e["target"])
        tnode = nodes.get(tgt, {})
        tname = tnode.get("name") or tgt.rsplit("::", 1)[-1]
        (via if e.get("via") else calls)[src][tname].append(int(e.get("line") or 0))
        tpaths[(src, tname)].add(tnode.get("path") or "")
    return Hv(nodes, calls, via, tpaths, source, out, undecided)


def node_id(path: str, name: str) -> str:
    return f"{path}::{name}"


# ---------------------------------------------------------------------------------------------
# Comparison


MISS_REASONS = {
    "caller-missing": "hvlint has no node for the caller",
    "other-definition": "hvlint's node for the caller is another definition of that name (another `#if` branch) "
    "than the one GCC compiled",
    "macro-generated": "the callee's name is not on the call line, the line uses a macro of the tree: "
    "the call is in the macro's expansion (`pr_info` -> `_printk`, `current` -> `get_current`)",
    "caller-defined-by-macro": "the call is on the caller's own definition line (`DEFINE_IDTENTRY(x)`, "
    "`SYSCALL_DEFINE`): the body comes from the macro",
    "indirect-in-source": "the callee's name is not on the line, the line calls through a pointer or a member: "
    "GCC made the call direct (constant propagation)",
    "callee-not-on-line": "the callee's name is not on the call line, no known macro there",
    "callee-is-macro": "the callee's name is on the line but the tree also defines a macro of that name",
    "header-inline-callee": "plain call of a header static inline (GCC inlined it), no hvlint edge",
    "other-target-same-line": "hvlint has a call edge from this caller on that line, to another name",
    "line-unknown": "GCC gave no line (split function)",
    "parse-problem": "plain `callee(` on the line, caller known, no hvlint edge (front end / resolution)",
}
EXTRA_REASONS = {
    "callee-inlined-to-nothing": "GCC compiled the callee (DWARF has it) but inlined it into nothing "
    "everywhere in this object (an empty or constant function): its calls leave no trace",
    "builtin": "mem*/str* builtin: GCC expands most such calls inline, none is left to see",
    "callee-is-macro": "the tree defines a macro of that name: GCC compiled its expansion",
    "header-function": "the target is a header function: a static inline GCC inlined and optimised away, "
    "or dead code in this configuration",
    "callee-never-called-by-gcc": "GCC calls this name from nowhere in these directories: code of another "
    "configuration (#if, IS_ENABLED) or a wrong resolution",
    "other": "GCC calls this name elsewhere but not from this caller (dead branch in this configuration, "
    "another #if branch, constant-folded away)",
}
INDIRECT = re.compile(r"\(\s*\*\s*[\w.>-]+\s*\)\s*\(|->\s*\w+\s*\(|\.\s*\w+\s*\(")


def classify_miss(tree: Tree, hv: Hv, g: Gcc, caller: tuple[str, str], callee: str, site: Site) -> str:
    cid = node_id(*caller)
    if cid not in hv.nodes:
        return "caller-missing"
    f = g.funcs.get(caller)
    hv_line = hv.nodes[cid].get("line")
    if f is not None and isinstance(hv_line, int) and f.line and abs(hv_line - f.line) > 3:
        return "other-definition"
    if site.line <= 0:
        return "line-unknown"
    text = tree.line(site.path, site.line)
    fmac, omac = tree.macros()
    if not re.search(rf"\b{re.escape(callee)}\b", text):
        if f is not None and site.line == f.line:
            return "caller-defined-by-macro"
        toks = re.findall(r"\b([A-Za-z_]\w*)\b(\s*\()?", text)
        if any(paren and name in fmac for name, paren in toks):
            return "macro-generated"
        if INDIRECT.search(text):
            return "indirect-in-source"
        if any(name in omac for name, _p in toks):
            return "macro-generated"
        return "callee-not-on-line"
    if callee in fmac or callee in omac:
        return "callee-is-macro"
    if any(site.line in lines for lines in hv.calls.get(cid, {}).values()):
        return "other-target-same-line"
    if callee in g.header_inline:
        return "header-inline-callee"
    return "parse-problem"


def written_site(tree: Tree, callee: str, sites: list[Site]) -> Site | None:
    """The first site whose source line spells the callee's name (None: all from macros)."""
    rx = re.compile(rf"\b{re.escape(callee)}\b")
    for s in sites:
        if s.line > 0 and rx.search(tree.line(s.path, s.line)):
            return s
    return None


def main_site(tree: Tree, callee: str, sites: list[Site]) -> Site:
    return written_site(tree, callee, sites) or sites[0]


def compare(g: Gcc, hv: Hv | None, tree: Tree, samples: int, seed: int) -> dict[str, Any]:
    res: dict[str, Any] = {}
    textual = {k for k, f in g.funcs.items() if f.textual}
    gt_all = {(c, t) for (c, t) in g.edges if c in textual}
    written = {(c, t) for (c, t) in gt_all if written_site(tree, t, g.edges[(c, t)]) is not None}
    # A builtin GCC calls where the source does not name it (loop -> memset, strchr(s, 0) -> strlen).
    gcc_made = {(c, t) for (c, t) in gt_all if t in BUILTINS and (c, t) not in written}
    gt = gt_all - gcc_made
    gt_macro_callers = {(c, t) for (c, t) in g.edges if c not in textual}
    res["gcc"] = {
        "objects": len(g.objects),
        "ci_files": g.ci_files,
        "functions": len(g.funcs),
        "functions_textual": len(textual),
        "functions_macro_generated": len(g.funcs) - len(textual),
        "functions_emitted": sum(1 for f in g.funcs.values() if f.emitted),
        "functions_inline_only": sum(1 for f in g.funcs.values() if not f.emitted),
        "edges": len(gt),
        "edges_dropped_builtin_made_by_gcc": len(gcc_made),
        "edges_from_macro_generated_functions": len(gt_macro_callers),
        "edges_callee_written_on_line": len(written),
        "edges_by_origin": dict(
            collections.Counter(main_site(tree, t, s).via for (c, t), s in g.edges.items() if c in textual)
        ),
        "symbols_placed": len(g.syms),
        "symbols_placed_textual": sum(1 for s in g.syms.values() if s.textual),
        "counts": dict(sorted(g.counts.items())),
        "section_conflicts": g.section_conflicts[:20],
        "errors": g.errors[:50],
    }
    if hv is None:
        return res
    res["hvlint_source"] = hv.source
    res["compiled_out"] = hv.compiled_out
    res["undecided"] = hv.undecided
    hv_pairs: set[tuple[tuple[str, str], str]] = set()
    hv_via: set[tuple[tuple[str, str], str]] = set()
    for key in textual:
        for callee in hv.calls.get(node_id(*key), {}):
            hv_pairs.add((key, callee))
        for callee in hv.via_calls.get(node_id(*key), {}):
            hv_via.add((key, callee))
    match = gt & hv_pairs
    missed = sorted(gt - hv_pairs)
    extra = sorted(hv_pairs - gt)
    callers_missing = sorted({c for c in textual if node_id(*c) not in hv.nodes})
    reasons: collections.Counter[str] = collections.Counter()
    classified: list[dict[str, Any]] = []
    for c, t in missed:
        s = main_site(tree, t, g.edges[(c, t)])
        r = classify_miss(tree, hv, g, c, t, s)
        reasons[r] += 1
        classified.append(
            {
                "caller": node_id(*c),
                "callee": t,
                "reason": r,
                "file": s.path,
                "line": s.line,
                "via": s.via,
                "text": tree.line(s.path, s.line).strip() if s.line else "",
            }
        )
    rng = random.Random(seed)
    sample = rng.sample(classified, min(samples, len(classified)))
    sample.sort(key=lambda d: (d["reason"], d["file"], d["line"]))
    extra_names = collections.Counter(t for _c, t in extra)
    fmac, omac = tree.macros()
    extra_reasons: collections.Counter[str] = collections.Counter()
    extra_cl: list[dict[str, Any]] = []
    all_gcc_callees = {t for (_c, t) in g.edges}
    for c, t in extra:
        cid = node_id(*c)
        lines = hv.calls[cid][t]
        paths = hv.target_paths.get((cid, t), set())
        f = g.funcs.get(c)
        if t in BUILTINS:
            r = "builtin"
        elif f is not None and any(t in g.vanished.get(o, ()) for o in f.objs):
            r = "callee-inlined-to-nothing"
        elif t in fmac or t in omac:
            r = "callee-is-macro"
        elif any(p.endswith(".h") for p in paths):
            r = "header-function"
        elif t not in all_gcc_callees:
            r = "callee-never-called-by-gcc"
        else:
            r = "other"
        extra_reasons[r] += 1
        ln = min(lines) if lines else 0
        extra_cl.append({"caller": cid, "callee": t, "reason": r, "line": ln, "text": tree.line(c[0], ln).strip()})
    rng = random.Random(seed + 1)
    extra_sample = sorted(
        rng.sample(extra_cl, min(samples, len(extra_cl))), key=lambda d: (d["reason"], d["caller"], d["line"])
    )
    res["calls"] = {
        "gcc_edges": len(gt),
        "hvlint_edges_from_same_callers": len(hv_pairs),
        "matching": len(match),
        "recall": len(match) / len(gt) if gt else None,
        "gcc_edges_written": len(written),
        "matching_written": len(match & written),
        "recall_written": len(match & written) / len(written) if written else None,
        "precision": len(match) / len(hv_pairs) if hv_pairs else None,
        "hvlint_edges_not_builtin": len({(c, t) for (c, t) in hv_pairs if t not in BUILTINS}),
        "matching_not_builtin": len({(c, t) for (c, t) in match if t not in BUILTINS}),
        "hvlint_via_edges_from_same_callers": len(hv_via),
        "missed_matched_by_via_edge": len(set(missed) & hv_via),
        "callers": len(textual),
        "callers_missing_in_hvlint": len(callers_missing),
        "callers_missing_sample": [node_id(*c) for c in callers_missing[:20]],
        "miss_reasons": dict(reasons.most_common()),
        "miss_sample": sample,
        "extra_top_callees": extra_names.most_common(15),
        "extra_reasons": dict(extra_reasons.most_common()),
        # hvlint edges GCC could have shown: not to builtins, not to functions inlined into nothing.
        "hvlint_edges_observable": len(hv_pairs)
        - extra_reasons["builtin"]
        - extra_reasons["callee-inlined-to-nothing"]
        - sum(1 for (_c, t) in match if t in BUILTINS),
        "extra_sample": extra_sample,
    }
    # Sections.
    agree = 0
    total = 0
    confusion: collections.Counter[tuple[str, str]] = collections.Counter()
    disagreements: list[dict[str, Any]] = []
    no_node = 0
    for key, sym in sorted(g.syms.items()):
        if not sym.textual:
            continue
        total += 1
        gc = section_class(sym.section)
        n = hv.nodes.get(node_id(*key))
        if n is None:
            no_node += 1
            hc = "(no node)"
        else:
            hc = section_class(n.get("section"))
        confusion[(gc, hc)] += 1
        if gc == hc:
            agree += 1
        else:
            disagreements.append(
                {
                    "id": node_id(*key),
                    "kind": sym.kind,
                    "line": sym.line,
                    "gcc_section": sym.section,
                    "hvlint_section": None if n is None else n.get("section"),
                    "hvlint_line": None if n is None else n.get("line"),
                    "gcc_class": gc,
                    "hvlint_class": hc,
                }
            )
    rng = random.Random(seed)
    wrong = [d for d in disagreements if d["hvlint_class"] != "(no node)"]
    absent = [d for d in disagreements if d["hvlint_class"] == "(no node)"]
    res["sections"] = {
        "symbols": total,
        "agree": agree,
        "agreement": agree / total if total else None,
        "no_hvlint_node": no_node,
        "confusion": {f"{a} -> {b}": n for (a, b), n in sorted(confusion.items())},
        "disagreement_sample": sorted(rng.sample(wrong, min(samples, len(wrong))), key=lambda d: d["id"]),
        "no_node_sample": sorted(rng.sample(absent, min(samples, len(absent))), key=lambda d: d["id"]),
    }
    res["targets"] = {
        "recall": {"target": TARGETS["recall"], "value": res["calls"]["recall"]},
        "precision": {"target": TARGETS["precision"], "value": res["calls"]["precision"]},
        "section": {"target": TARGETS["section"], "value": res["sections"]["agreement"]},
    }
    return res


# ---------------------------------------------------------------------------------------------
# Output


def _cache_version() -> str:
    """The script's own hash: any change to it invalidates the cache."""
    import hashlib

    with open(__file__, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()[:16]


def _build_stamp(build: str, dirs: list[str]) -> float:
    newest = 0.0
    for d in dirs:
        for dp, _dn, fn in os.walk(os.path.join(build, d)):
            for f in fn:
                if f.endswith((".ci", ".o")):
                    newest = max(newest, os.stat(os.path.join(dp, f)).st_mtime)
    return newest


def load_gcc_cache(path: str, build: str, tree: str, dirs: list[str]) -> Gcc | None:
    import pickle

    try:
        with open(path, "rb") as fh:
            data = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None
    key = (_cache_version(), build, tree, dirs, _build_stamp(build, dirs))
    if not isinstance(data, tuple) or len(data) != 2 or data[0] != key or not isinstance(data[1], Gcc):
        return None
    return data[1]


def save_gcc_cache(path: str, g: Gcc, build: str, tree: str, dirs: list[str]) -> None:
    import pickle

    with open(path, "wb") as fh:
        pickle.dump(((_cache_version(), build, tree, dirs, _build_stamp(build, dirs)), g), fh)


def gcc_version() -> str:
    try:
        return subprocess.run(["gcc", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    except OSError:
        return "?"


def markdown(res: dict[str, Any], cmds: list[list[str]], dirs: list[str]) -> str:
    out: list[str] = []
    w = out.append
    gg = res["gcc"]
    w("# hvlint call graph vs GCC\n")
    w(f"Directories: {', '.join(dirs)}. Compiler: {res.get('gcc_version', '?')}.\n")
    w("Build (ground truth):\n")
    w("```sh")
    for c in cmds:
        w(shlex.join(c))
    w("```\n")
    w("## GCC side\n")
    w("| count | value |\n|---|---|")
    rows: list[tuple[str, Any]] = [
        ("objects (.o with a .ci)", gg["objects"]),
        (".ci files", gg["ci_files"]),
        ("functions defined in the .c files (compiled)", gg["functions"]),
        ("  textual (name written in the file)", gg["functions_textual"]),
        ("  macro-generated (left out)", gg["functions_macro_generated"]),
        ("  with an out-of-line body / inline-only", f"{gg['functions_emitted']} / {gg['functions_inline_only']}"),
        ("direct call edges (caller, callee name) of textual functions", gg["edges"]),
        (
            "  callee name spelled on a call line (the rest come from macro expansions)",
            f"{gg['edges_callee_written_on_line']} ({pct(gg['edges_callee_written_on_line'], gg['edges'])})",
        ),
        (
            "  from .ci (calls left after inlining) / from DWARF inlines",
            f"{gg['edges_by_origin'].get('ci', 0)} / {gg['edges_by_origin'].get('inline', 0)}",
        ),
        ("  left out: builtin calls GCC made (loop -> memset...)", gg["edges_dropped_builtin_made_by_gcc"]),
        ("  left out: edges of macro-generated functions", gg["edges_from_macro_generated_functions"]),
        ("symbols placed (functions + objects) / textual", f"{gg['symbols_placed']} / {gg['symbols_placed_textual']}"),
    ]
    rows += [(k, v) for k, v in gg["counts"].items()]
    for k, v in rows:
        w(f"| {k} | {v} |")
    w("")
    if gg["errors"]:
        w("Problems: " + "; ".join(gg["errors"][:10]) + "\n")
    if "calls" not in res:
        w("(no hvlint call graph given)\n")
        return "\n".join(out)
    c = res["calls"]
    s = res["sections"]
    w(f"hvlint: {res['hvlint_source']}\n")
    w("## Results\n")
    if "unfiltered" in res:
        u = res["unfiltered"]["calls"]
        w(
            f"hvlint's graph keeps every `#if` alternative and labels each edge with its condition. Call edges "
            f"whose condition is false in the build's `.config` are left out here "
            f"({res['compiled_out']}; {res['undecided']} kept whose condition the `.config` cannot decide, "
            f"such as `defined(__WARN_FLAGS)`), as `hvlint callgraph --config` does. On the unfiltered graph "
            f"(every configuration): recall {pct(u['matching'], u['gcc_edges'])}, precision "
            f"{pct(u['matching'], u['hvlint_edges_from_same_callers'])}.\n"
        )
    w("| metric | value | target | |\n|---|---|---|---|")

    def row(name: str, num: int, den: int, target: float | None = None) -> None:
        v = num / den if den else 0.0
        verdict = "" if target is None else ("ok" if den and v >= target else "MISS")
        tgt = "" if target is None else f"≥ {target:.0%}"
        w(f"| {name} | {pct(num, den)} ({num}/{den}) | {tgt} | {verdict} |")

    row("recall (direct calls)", c["matching"], c["gcc_edges"], TARGETS["recall"])
    row("  recall, calls whose callee is spelled on the line", c["matching_written"], c["gcc_edges_written"])
    row("precision (lower bound)", c["matching"], c["hvlint_edges_from_same_callers"], TARGETS["precision"])
    row("  precision, callees other than mem*/str* builtins", c["matching_not_builtin"], c["hvlint_edges_not_builtin"])
    row(
        "  precision, also without callees GCC inlined into nothing",
        c["matching_not_builtin"],
        c["hvlint_edges_observable"],
    )
    row("section class", s["agree"], s["symbols"], TARGETS["section"])
    w("")
    w(
        f"Direct calls = hvlint edges of kind `call` without `via`. hvlint's calls through pointers (`via`) from "
        f"the same callers: {c['hvlint_via_edges_from_same_callers']}, matching {c['missed_matched_by_via_edge']} "
        f"missed GCC edges (calls GCC made direct). "
        f"Callers GCC compiled that hvlint has no node for: {c['callers_missing_in_hvlint']} of {c['callers']}"
        + (f" (e.g. {', '.join(c['callers_missing_sample'][:5])})" if c["callers_missing_sample"] else "")
        + ".\n"
    )
    w("### Missed edges by reason\n")
    w("| reason | edges | meaning |\n|---|---|---|")
    for r, n in c["miss_reasons"].items():
        w(f"| {r} | {n} | {MISS_REASONS.get(r, '')} |")
    w("")
    w("### Sample of missed edges\n")
    w("| reason | caller | callee | where | source line |\n|---|---|---|---|---|")
    for d in c["miss_sample"]:
        text = d["text"].replace("|", "\\|")[:100]
        w(f"| {d['reason']} | `{d['caller']}` | `{d['callee']}` | {d['file']}:{d['line']} ({d['via']}) | `{text}` |")
    w("")
    w("### hvlint-only edges (GCC has no such call from that caller)\n")
    w("| reason | edges | meaning |\n|---|---|---|")
    for r, n in c["extra_reasons"].items():
        w(f"| {r} | {n} | {EXTRA_REASONS.get(r, '')} |")
    w("")
    w("Most frequent callees: " + ", ".join(f"`{n}` ×{k}" for n, k in c["extra_top_callees"]) + "\n")
    w("| reason | caller | callee | line | source line |\n|---|---|---|---|---|")
    for d in c["extra_sample"]:
        text = d["text"].replace("|", "\\|")[:100]
        w(f"| {d['reason']} | `{d['caller']}` | `{d['callee']}` | {d['line']} | `{text}` |")
    w("")
    w("### Section classes (GCC -> hvlint)\n")
    w("| GCC class -> hvlint class | symbols |\n|---|---|")
    for k, v in s["confusion"].items():
        w(f"| {k} | {v} |")
    w("")
    if s["no_node_sample"]:
        w(
            f"No hvlint node for {s['no_hvlint_node']} of them, e.g. "
            + ", ".join(f"`{d['id']}` ({d['kind']}, {d['gcc_section']})" for d in s["no_node_sample"][:8])
            + "\n"
        )
    if s["disagreement_sample"]:
        w("Sample of disagreements (hvlint has the node, another class):\n")
        w("| symbol | kind | GCC line, section | hvlint line, section |\n|---|---|---|---|")
        for d in s["disagreement_sample"]:
            w(
                f"| `{d['id']}` | {d['kind']} | {d['line']}, {d['gcc_section']} "
                f"| {d['hvlint_line']}, {d['hvlint_section']} |"
            )
        w("")
    return "\n".join(out)


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--build", required=True, help="the O= build directory (with .ci and .o files)")
    ap.add_argument("--tree", required=True, help="the kernel source tree the build was made from")
    ap.add_argument("--dirs", default=",".join(DEFAULT_DIRS), help="comma-separated directories (tree-relative)")
    ap.add_argument("--hvlint-json", help="read hvlint's call graph from this file instead of running hvlint")
    ap.add_argument("--hvlint", help="command to run hvlint (default: `hvlint` on PATH, else python -m hvlint)")
    ap.add_argument("--gcc-only", action="store_true", help="report the GCC side alone")
    ap.add_argument("--json", action="store_true", help="print JSON instead of markdown")
    ap.add_argument("--samples", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--run-build", action="store_true", help="configure and build first (writes only into --build)")
    ap.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="processes reading the objects, and make -j for --run-build",
    )
    ap.add_argument(
        "--config",
        help="the .config whose conditions select hvlint's edges (default: BUILD/.config; `none`: every edge)",
    )
    ap.add_argument("--progress", action="store_true")
    ap.add_argument(
        "--gcc-cache",
        metavar="FILE",
        help="keep the GCC side in FILE (pickle) and reuse it while no .ci/.o under the directories is newer",
    )
    args = ap.parse_args(list(argv) if argv is not None else None)
    try:
        import elftools  # noqa: F401
    except ImportError:
        print("pyelftools is needed: pip install pyelftools", file=sys.stderr)
        return 2
    dirs = [d.strip().strip("/") for d in args.dirs.split(",") if d.strip()]
    tree_root = os.path.realpath(args.tree)
    build = os.path.realpath(args.build)
    cmds = build_commands(tree_root, build, dirs, args.jobs)
    if args.run_build:
        run_build(tree_root, build, dirs, args.jobs)
    tree = Tree(tree_root)
    t0 = time.monotonic()
    g = load_gcc_cache(args.gcc_cache, build, tree_root, dirs) if args.gcc_cache else None
    if g is None:
        g = collect_gcc(build, tree, dirs, progress=args.progress, jobs=args.jobs)
        if args.gcc_cache:
            save_gcc_cache(args.gcc_cache, g, build, tree_root, dirs)
    t_gcc = time.monotonic() - t0
    hv = None
    config = None
    if args.config != "none":
        from hvlint.kconfig import load_config

        config = load_config(args.config or os.path.join(build, ".config"))
    if not args.gcc_only:
        data, source = fetch_hvlint(tree_root, args.hvlint_json, args.hvlint)
        from hvlint.tables import tree_defines

        hv = load_hvlint(data, source, config, tree_defines(tree_root) if config is not None else None, tree_root)
    res = compare(g, hv, tree, args.samples, args.seed)
    if hv is not None and config is not None:
        res["unfiltered"] = compare(g, load_hvlint(data, source), tree, 0, args.seed)
    res["gcc_version"] = gcc_version()
    res["build_commands"] = [shlex.join(c) for c in cmds]
    res["dirs"] = dirs
    res["gcc_parse_seconds"] = round(t_gcc, 1)
    if args.json:
        json.dump(res, sys.stdout, indent=2, default=str)
        print()
    else:
        print(markdown(res, cmds, dirs))
        print(f"(GCC side read in {t_gcc:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
