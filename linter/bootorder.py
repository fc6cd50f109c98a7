"""Boot order: what runs before BSS is cleared, and the .bss objects it writes (HV306).

The boot paths are data (`hvlint/data/bootorder.toml`): each names its entry symbol and the
function that clears BSS by calling `clear_bss()`.  Code "runs before BSS is cleared" on a
path when it is reachable from the path's entry without passing through that function,
or is called by the function itself on a line before its call to `clear_bss()`:

* the edges followed are direct calls and jumps (an edge with `via`, a call through a
  struct member or a registration runner, is too vague to say when it runs);
* assembly also branches through addresses it takes (`jmp *0f(%rip)` over `0: .quad
  common_startup_64`, `lea xen_prepare_pvh(%rip), %rax; call *%rax`, `call
  *initial_code(%rip)` with `initial_code: .quad x86_64_start_kernel`): from an assembly
  symbol, a reference to code (a function, or an assembly symbol that is code) is
  followed too;
* code linked into another image than vmlinux (the decompressor's `startup_64`, the
  real-mode blob) is never a target: a branch by name from vmlinux cannot land there.

The PVH entry jumps to `startup_64`, so it inherits what the native path runs before its
clear.  A write counts when its name resolves, from the writing file, to an object whose
section is one of the data's BSS sections (`.bss`).
"""

from __future__ import annotations

import sys
from collections import deque
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from hvlint import discover
from hvlint.datafiles import load_toml
from hvlint.errors import HvlintError
from hvlint.facts import Decl, FileFacts

if sys.version_info >= (3, 11):
    pass
else:  # pragma: no cover
    pass

if TYPE_CHECKING:
    from hvlint.callgraph import Graph
    from hvlint.model import Project

TABLE = "bootorder.toml"
_SOURCE = "hvlint/data/bootorder.toml"


@dataclass(frozen=True, slots=True)
class BootPath:
    """One way into the kernel image and the function on it that clears BSS."""

    name: str  # "x86_64", "xen-pv", "pvh"
    entry: str
    file: str
    clears_in: str
    clears_in_file: str
    clear: str  # the callee that clears BSS: "clear_bss"
    reason: str

    @property
    def entry_id(self) -> str:
        return f"{self.file}::{self.entry}"

    @property
    def clears_in_id(self) -> str:
        return f"{self.clears_in_file}::{self.clears_in}"


@dataclass(frozen=True, slots=True)
class BootOrder:
    paths: tuple[BootPath, ...]
    bss_sections: frozenset[str]
    other_images: tuple[str, ...]  # path prefixes of code linked into other images
    # functions a boot path does not go into: the machine stops there (panic(), a WARN's
    # slow path), so what they reach is no boot order
    never_enter: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class BssWrite:
    """A write to a .bss object by code that runs before BSS is cleared on a boot path.

    `object` and `writer` are node ids (`path::name`); `path`/`line` the site of the
    write; `boot_path` the name of the boot path (the first of the data's order that runs
    the write before its clear); `trace` the node ids from that path's entry to the
    writer, root first."""

    object: str
    writer: str
    path: str
    line: int
    boot_path: str
    trace: tuple[str, ...]


PATH_KEYS = ("name", "entry", "file", "clears_in", "clears_in_file", "clear", "reason")


def parse_path(p: Any, where: str, fail: Any, optional: tuple[str, ...] = ()) -> BootPath:
    """One boot path's table (bootorder.toml's [[path]], or a configuration's extra entry
    point), checked key by key; `fail(key, why)` makes the error."""
    if not isinstance(p, dict):
        raise fail(where, "must be a table")
    for k in p:
        if k not in PATH_KEYS:
            raise fail(f"{where}.{k}", f"unknown key (expected {', '.join(PATH_KEYS)})")
    for k in PATH_KEYS:
        if k in optional and k not in p:
            continue
        if not isinstance(p.get(k), str) or not p[k].strip():
            raise fail(f"{where}.{k}", "missing, or not a non-empty string")
    for k in ("file", "clears_in_file"):
        if p[k].startswith("/") or "\\" in p[k] or ".." in p[k].split("/"):
            raise fail(f"{where}.{k}", "must be a path relative to the tree root, with / separators")
    return BootPath(*(" ".join(p.get(k, "").split()) if k == "reason" else p[k] for k in PATH_KEYS))


def parse_table(doc: dict[str, Any], source: str = _SOURCE) -> BootOrder:
    """Check and convert the parsed bootorder.toml; a bad entry raises one HvlintError
    naming `source` and the key."""

    def fail(key: str, why: str) -> HvlintError:
        return HvlintError(f"{source}: key '{key}': {why}")

    for top in doc:
        if top not in ("bss", "images", "path", "walk"):
            raise fail(top, "unknown table (expected bss, images, path, walk)")

    def strings(table: Any, key: str, where: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        if not isinstance(table, dict):
            raise fail(where, "must be a table")
        v = table.get(key, list(default))
        if not isinstance(v, list) or not all(isinstance(s, str) and s for s in v):
            raise fail(f"{where}.{key}", "must be a list of non-empty strings")
        return tuple(v)

    sections = strings(doc.get("bss", {}), "sections", "bss", (".bss",))
    if not sections or not all(s.startswith(".") and not any(c.isspace() for c in s) for s in sections):
        raise fail("bss.sections", 'must list section names such as ".bss"')
    other = strings(doc.get("images", {}), "other", "images")
    never = strings(doc.get("walk", {}), "never_enter", "walk")
    raw = doc.get("path", [])
    if not isinstance(raw, list) or not raw:
        raise fail("path", "must be a non-empty array of tables ([[path]])")
    paths = [parse_path(p, f"path[{i}]", fail) for i, p in enumerate(raw)]
    names = [p.name for p in paths]
    if len(set(names)) != len(names):
        raise fail("path", f"boot path names must be unique: {names}")
    return BootOrder(tuple(paths), frozenset(sections), other, frozenset(never))


@lru_cache(maxsize=1)
def load_table() -> BootOrder:
    return parse_table(load_toml(TABLE))


# -- the analysis ---------------------------------------------------------------------------


def _is_code(g: Graph, project: Project, node: str) -> bool:
    """A C function, or an assembly symbol that is code (not data)."""
    kind = g.nodes[node].get("kind")
    if kind == "function":
        return True
    return kind == "asm" and any(d.kind == "function" for _, d in project.defs.get(node, ()))


def _is_object(g: Graph, project: Project, node: str) -> bool:
    kind = g.nodes[node].get("kind")
    if kind == "object":
        return True
    return kind == "asm" and any(d.kind == "object" for _, d in project.defs.get(node, ()))


def _in_bss(node: dict[str, Any], order: BootOrder) -> bool:
    """The object lands in a BSS section (in some configuration, when its definitions in
    `#if` branches land in different sections: the node's `sections`)."""
    return node.get("section") in order.bss_sections or any(s in order.bss_sections for s in node.get("sections", ()))


def _clears(d: Decl, clear: str) -> list[int]:
    """The lines where `d` clears BSS: calls `clear` (`clear_bss()`), or block-writes from
    it (assembly: `movl $pa(__bss_start), %edi` ... `rep stosl`)."""
    return [r.line for r in (*d.calls, *d.writes) if r.name == clear and r.kind in ("call", "write")]


def _loose(project: Project, path: BootPath) -> BootPath:
    """Outside a kernel tree (a lone file, a snippet), the path's functions by name: the
    entry if the file defines it, else the clearing function itself."""
    clears = project.named(path.clears_in)
    entry = project.named(path.entry) or clears
    if not entry or not clears:
        return path
    e_path, _, e_name = entry[0].partition("::")
    c_path, _, _ = clears[0].partition("::")
    return replace(path, entry=e_name, file=e_path, clears_in_file=c_path)


def clear_line(project: Project, path: BootPath) -> int | None:
    """The first line where the clearing function clears BSS, or None when it is not
    defined in its file or does not clear it."""
    lines = [n for _, d in project.defs.get(path.clears_in_id, ()) for n in _clears(d, path.clear)]
    return min(lines) if lines else None


def pre_clear(g: Graph, project: Project, path: BootPath, order: BootOrder | None = None) -> dict[str, str | None]:
    """The nodes that run before BSS is cleared on `path`, each with its predecessor on a
    shortest way from the entry (None for the entry).  Empty when the entry is not in the
    graph; when the clearing function is not in the project, all it calls counts."""
    order = order or load_table()
    return walk(g, project, path.entry_id, _barriers(project, order), order)


def walk(g: Graph, project: Project, start: str, stops: dict[str, int], order: BootOrder) -> dict[str, str | None]:
    """What runs from `start` on, each node with its predecessor on a shortest way (None for
    `start`): calls and jumps, and the code assembly takes the address of, never through a
    pointer, into another image or into the data's `never_enter` functions; in a function of
    `stops`, only what it calls on lines before the given one.  Empty when `start` is not in
    the graph."""
    if start not in g:
        return {}
    parent: dict[str, str | None] = {start: None}
    todo = deque([start])
    while todo:
        u = todo.popleft()
        asm = g.nodes[u].get("kind") == "asm"
        until = stops.get(u)
        for _, v, e in g.out_edges(u, data=True):
            if v in parent or e.get("via"):
                continue
            kind = e.get("kind")
            if kind == "ref":
                if not asm or not _is_code(g, project, v):
                    continue
            elif kind not in ("call", "jump"):
                continue
            if until is not None and int(e.get("line") or 0) >= until:
                continue
            for t in _definitions(project, v):
                where = g.nodes[t].get("path") if t in g else None
                if t in parent or not where or where.startswith(order.other_images):
                    continue
                if g.nodes[t].get("name") in order.never_enter:
                    continue
                parent[t] = u
                todo.append(t)
    return parent


def _definitions(project: Project, node: str) -> list[str]:
    """Where a call to `node` can land: a `__weak` definition is overridden by any other
    global definition of its name (the model resolves a name to the calling file's own
    definition first, the linker to the strong one)."""
    sym = project.symbols.get(node)
    if sym is None or sym.static or not any(_is_weak(f, d) for f, d in project.defs.get(node, ())):
        return [node]
    return [node] + [t for t in project.globals_by_name.get(sym.name, ()) if t != node]


def _is_weak(f: FileFacts, d: Decl) -> bool:
    """`__weak`, or `__attribute__((weak))`, on the definition."""
    return any(a.name == "__weak" or any(i.base == "weak" for i in a.items) for a in f.annotations_of(d))


def _barriers(project: Project, order: BootOrder) -> dict[str, int]:
    """The clearing functions of every path (node id -> the line where BSS is cleared)."""
    out: dict[str, int] = {}
    for p in order.paths:
        line = clear_line(project, p)
        if line is not None:
            out[p.clears_in_id] = min(line, out.get(p.clears_in_id, line))
    return out


def _trace(parent: dict[str, str | None], node: str) -> tuple[str, ...]:
    out = [node]
    p = parent[node]
    while p is not None:
        out.append(p)
        p = parent[p]
    return tuple(reversed(out))


def bss_writes(g: Graph, project: Project, order: BootOrder | None = None, *, by_name: bool = False) -> list[BssWrite]:
    """Every write to a BSS object by code that runs before BSS is cleared, once per site
    (object, writer, file, line): with the first boot path, in the data's order, that
    runs it before its clear (the native startup_64 code also runs on the PVH path).
    Sorted by file and line.  `by_name`: find the paths' functions by name wherever they
    are (outside a kernel tree)."""
    order = order or load_table()
    if by_name:
        order = replace(order, paths=tuple(_loose(project, p) for p in order.paths))
    barriers = _barriers(project, order)
    out: dict[tuple[str, str, str, int], BssWrite] = {}
    for path in order.paths:
        parent = pre_clear(g, project, path, order)
        for writer in parent:
            until = barriers.get(writer)
            trace: tuple[str, ...] | None = None
            for f, d in project.defs.get(writer, ()):
                for w in d.writes:
                    if w.kind == "zero-write" or (until is not None and w.line >= until):
                        continue  # zeroing before the clear loses nothing
                    for obj in project.resolve(w.name, f.path):
                        if obj not in g or not _in_bss(g.nodes[obj], order):
                            continue
                        if str(g.nodes[obj].get("path")).startswith(order.other_images):
                            continue
                        if not _is_object(g, project, obj):
                            continue
                        key = (obj, writer, f.path, w.line)
                        if key not in out:
                            trace = trace or _trace(parent, writer)
                            out[key] = BssWrite(obj, writer, f.path, w.line, path.name, trace)
    return sorted(out.values(), key=lambda b: (b.path, b.line, b.object))


# -- the data against a tree ----------------------------------------------------------------


def data_checks(root: str, order: BootOrder | None = None) -> list[str]:
    """What in the boot-order data does not hold in the tree at `root`: an entry not
    defined in its file or not in entries.toml, a clearing function not defined in its file
    or not calling the clearing callee.  Empty when all holds."""
    from hvlint.engine import extract_file
    from hvlint.tables import base_vocabulary, entries

    order = order or load_table()
    known = {(e.name, e.path) for e in entries()}
    parsed: dict[str, FileFacts | None] = {}

    def defs(rel: str, name: str) -> list[Decl] | None:
        if rel not in parsed:
            if not discover.is_file(root, rel):
                parsed[rel] = None
            else:
                parsed[rel], _ = extract_file(root, rel, base_vocabulary(), None, refs=True)
        f = parsed[rel]
        if f is None:
            return None
        return [d for d in f.decls if d.name == name and d.is_definition and d.scope is None]

    problems: list[str] = []
    for p in order.paths:
        if (p.entry, p.file) not in known:
            problems.append(f"{p.name}: entry {p.entry} ({p.file}) is not an entry of entries.toml")
        found = defs(p.file, p.entry)
        if found is None:
            problems.append(f"{p.name}: no file {p.file}")
        elif not found:
            problems.append(f"{p.name}: {p.file} does not define the entry {p.entry}")
        found = defs(p.clears_in_file, p.clears_in)
        if found is None:
            problems.append(f"{p.name}: no file {p.clears_in_file}")
        elif not found:
            problems.append(f"{p.name}: {p.clears_in_file} does not define {p.clears_in}")
        elif not any(_clears(d, p.clear) for d in found):
            problems.append(f"{p.name}: {p.clears_in} ({p.clears_in_file}) does not clear BSS with {p.clear}")
    return problems
