"""The call graph over the project model (networkx), rooted at the boot entry points.

Edges: direct calls (`call`), jumps from assembly (`jump`), and references (`ref`: an
address taken, a function stored in an initializer).  Calls through struct members
(`x86_init.hyper.init_platform()`, `PVOP_VCALL0(cpu.io_delay)`, `static_call(key)()`) are
connected to every function assigned to that member in the scope, and registration macros
(`early_initcall(fn)`, `__setup("x", fn)`) add the call their runner makes
(`linter/data/registrations.toml`).  Every edge names the line it comes from.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Container, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from hvlint.errors import HvlintError
from hvlint.facts import Decl, FileFacts, Ref
from hvlint.frontend.prepare import FUNCTION_MACRO as _FUNCTION_MACRO
from hvlint.frontend.prepare import match_paren
from hvlint.model import Project, section_class
from hvlint.tables import Dual, LazyMacros, callee_of, entries, never_called, registrations, roots, split_cond

_PRIORITY = {"call": 3, "jump": 2, "ref": 1}
# Node ids are `path::name` strings (networkx's classes are generic only in its stubs).
if TYPE_CHECKING:
    Graph = nx.DiGraph[str]
else:
    Graph = nx.DiGraph


@dataclass
class GraphStats:
    unresolved: Counter[str] = field(default_factory=Counter)  # reason -> count
    unresolved_names: Counter[str] = field(default_factory=Counter)
    compiled_out: int | None = None  # edges a --config left out
    # With an edge cache: files whose edges were replayed from it, and worked out anew.
    files_replayed: int | None = None
    files_worked_out: int | None = None


def restrict(
    g: Graph,
    config: dict[str, str],
    defines: dict[str, tuple[tuple[str, str], ...]],
    local: dict[str, frozenset[str]] | None = None,
) -> int:
    """Drop the edges whose condition is false in `config` (a kernel .config; `defines`
    decides conditions on header macros, `local` gives the names each file #defines, other
    names being undefined); edges it cannot decide stay.  Returns how many were dropped."""
    from hvlint.kconfig import evaluate

    drop = []
    for u, v, attrs in g.edges(data=True):
        c = attrs.get("cond")
        if isinstance(c, str) and c:
            path = g.nodes[u].get("path")
            names = local.get(path) if local is not None and path else None
            if evaluate(c, config, defines, local=names) is False:
                drop.append((u, v))
    g.remove_edges_from(drop)
    return len(drop)


@dataclass
class EdgeCache:
    """Where `build` keeps each file's edges between runs: `store` is the run's
    hvlint.cache.Cache, `keys` each file's facts key there (its text, path, hvlint and
    vocabulary), `context` what else the edges depend on (hvlint, the header tables' state),
    `place` the tree and architecture: a file keeps one entry there, replaced when its edges
    are worked out again (an edit to what the scope declares re-keys every file's edges: 1 GB
    on the whole tree, which must not pile up)."""

    store: Any
    keys: Mapping[str, bytes]
    context: bytes
    place: bytes


def build(
    project: Project,
    macros: MutableMapping[str, tuple[str, ...]] | None = None,
    dual: Mapping[str, Dual] | None = None,
    values: Container[str] = frozenset(),
    edge_cache: EdgeCache | None = None,
) -> tuple[Graph, GraphStats]:
    """The graph of `project`; `macros` maps the names the tree #defines to the names their
    bodies call: a call to a macro is followed through the macro to the functions it calls
    (edges with `macro=NAME`), never made a call to a function of that name.  `dual` names
    what is a function in some configurations and a macro in others (`__phys_addr`, see
    tables.dual_macros): a call to one is both, each edge under its condition.  `values`
    are object-like macros: one used as a value (`current->mm`) calls what its body calls.

    With `edge_cache`, the edges each file's definitions make are kept, and a later build
    replays them for every file whose facts are the same, as long as what resolves names
    (the scope's symbols, prototypes, members and own macros, the header tables) is the
    same too: editing a function body works out that file's edges again, not the tree's.
    The graph is the same either way, node for node and edge for edge, in the same order."""
    macros = macros.overlay() if isinstance(macros, LazyMacros) else dict(macros or {})  # files' own on top
    dual = dual or {}
    for f in project.facts:
        for name in f.macro_names:
            if name not in macros:  # not setdefault: a lazy header macro would be worked out
                macros[name] = ()
        for name, called in f.macro_calls:
            if name not in macros or macros[name] == ():
                macros[name] = called
    g: Graph = nx.DiGraph()
    stats = GraphStats()
    for s in project.symbols.values():
        g.add_node(s.id, name=s.name, path=s.path, line=s.line, kind=s.kind, section=s.section, entry=False)
        if s.section_if:
            g.nodes[s.id]["section_if"] = s.section_if
        if s.inline:
            g.nodes[s.id]["inline"] = True
        if s.sections:
            g.nodes[s.id]["sections"] = list(s.sections)
    # Members: who is assigned to `.member` anywhere (from the assigning file's view), and
    # to which struct's member where the front end knew the type (precise mode).
    members: dict[str, set[str]] = {}
    typed: dict[str, dict[str, set[str]]] = {}  # member -> function -> structs
    regs = registrations()
    for f in project.facts:
        for d in f.decls:
            for member, fn in d.assigns:
                members.setdefault(member, set()).update(project.resolve(fn, f.path))
            for struct_member, fn in d.typed_assigns:
                struct, _, member = struct_member.rpartition(".")
                for t in project.resolve(fn, f.path):
                    typed.setdefault(member, {}).setdefault(t, set()).add(struct)
        for inv in f.invocations:
            reg = regs.get(inv.name)
            if reg is not None and reg.role == "static_call" and reg.key is not None and len(inv.args) > reg.arg:
                key = "static_call:" + inv.args[reg.key].strip()
                members.setdefault(key, set()).update(project.resolve(_ident(inv.args[reg.arg]), f.path))
    expand = _Expansions(macros, project, dual, typed)
    sink = _Sink(g, stats)
    file_keys = _edge_keys(edge_cache, project, members, macros)
    # A file's symbols follow each other in project.defs (an id is path::name): the files are
    # taken a batch at a time, their kept edges read, replayed or worked out (and stored)
    # in that order, so that neither the kept nor the new steps of the whole tree are held
    # at once.
    by_file: list[tuple[str, list[tuple[str, list[tuple[FileFacts, Decl]]]]]] = []
    for sid, defs in project.defs.items():
        path = defs[0][0].path
        if not by_file or by_file[-1][0] != path:
            by_file.append((path, []))
        by_file[-1][1].append((sid, defs))
    replayed = worked_out = 0
    for start in range(0, len(by_file), _EDGE_BATCH):
        batch = by_file[start : start + _EDGE_BATCH]
        wanted = [file_keys[p][0] for p, _ in batch if p in file_keys]
        got = edge_cache.store.get_many("edges", wanted) if edge_cache is not None and wanted else {}
        for path, sids in batch:
            slot, key = file_keys.get(path, (None, None))
            found = got.get(slot) if slot is not None else None
            kept = found[1] if isinstance(found, tuple) and len(found) == 2 and found[0] == key else None
            if isinstance(kept, _FileEdges) and kept.shape == [(sid, len(defs)) for sid, defs in sids]:
                sink.replay(kept)
                replayed += 1
                continue
            sink.record = _Record() if key is not None else None
            for sid, defs in sids:
                for f, d in defs:
                    _edges_of(sink, project, sid, f, d, members, macros, dual, values, expand)
            if edge_cache is not None and sink.record is not None:
                edge_cache.store.put("edges", slot, (key, _FileEdges.of(sink.record, sids, g)))
                worked_out += 1
            sink.record = None
    if edge_cache is not None:
        stats.files_replayed, stats.files_worked_out = replayed, worked_out
    _function_macros(g, project, macros, expand)
    _registrations(g, project, stats)
    _runtime_roots(g, project)
    for e in entries():
        sid = f"{e.path}::{e.name}"
        if sid in g:
            g.nodes[sid]["entry"] = True
    return g, stats


def _ident(arg: str) -> str:
    arg = arg.strip().lstrip("&").strip()
    return arg.split("(")[0].strip()


def _adjacency(g: Graph) -> tuple[dict[str, dict[str, dict[str, Any]]], dict[str, dict[str, dict[str, Any]]]]:
    """networkx's own successor and predecessor dicts of a DiGraph (what add_edge writes)."""
    return g._succ, g._pred  # type: ignore[attr-defined]


def _add_edge(g: Graph, u: str, v: str, kind: str, line: int, **extra: Any) -> None:
    """An edge u -> v, or the one there already merged with this site.  Both ends are nodes
    already (symbols, externals, runners): the edge goes into networkx's adjacency dicts as
    add_edge would put it, without add_edge's checks and copies (the whole tree makes 18
    million of these calls)."""
    succ, pred = _adjacency(g)
    out = succ.get(u)
    if out is None or v not in pred:
        g.add_edge(u, v, kind=kind, line=line, **extra)
        return
    old = out.get(v)
    if old is None:
        attrs = {"kind": kind, "line": line, **extra}
        out[v] = attrs
        pred[v][u] = attrs
        return
    was = old.get("cond", "")
    if _PRIORITY[kind] > _PRIORITY[old["kind"]] or (kind == old["kind"] and line < old["line"]):
        old.update(kind=kind, line=line, **extra)
    # the edge stands where either site does
    now = extra.get("cond", "")
    if was != now:
        either = "" if not was or not now else f"({was}) || ({now})"
        if either and len(either) < 400:
            old["cond"] = either
        else:
            old.pop("cond", None)


@dataclass
class _Record:
    """What one file's definitions added, in the order they added it: the edges (u, v)
    first made, the external nodes, the unresolved reasons and names counted."""

    pairs: dict[tuple[str, str], None] = field(default_factory=dict)
    externals: dict[tuple[str, str], None] = field(default_factory=dict)
    unresolved: Counter[str] = field(default_factory=Counter)
    unresolved_names: Counter[str] = field(default_factory=Counter)


class _Sink:
    """Where _edges_of puts what it finds: edges and external nodes into the graph,
    unresolved names into the stats; while `record` is set, what the file being worked
    out adds is noted there too, to be kept for a later build."""

    __slots__ = ("g", "stats", "record")

    def __init__(self, g: Graph, stats: GraphStats) -> None:
        self.g, self.stats = g, stats
        self.record: _Record | None = None

    def edge(self, u: str, v: str, kind: str, line: int, extra: dict[str, Any]) -> None:
        if self.record is not None:
            self.record.pairs.setdefault((u, v), None)
        _add_edge(self.g, u, v, kind, line, **extra)

    def external(self, name: str, kind: str) -> str:
        if self.record is not None:
            self.record.externals.setdefault((name, kind), None)
        return _external(self.g, name, kind)

    def unresolved(self, reason: str, name: str | None = None) -> None:
        for counts in (self.stats, self.record):  # the same two counters on each
            if counts is not None:
                counts.unresolved[reason] += 1
                if name is not None:
                    counts.unresolved_names[name] += 1

    def replay(self, kept: _FileEdges) -> None:
        """A file's edges as an earlier build left them: its external nodes, then its
        edges (each merged from all its sites already, in the order they were first made:
        no other file adds an edge from this file's symbols), then its unresolved names."""
        g = self.g
        for name, kind in kept.externals:
            _external(g, name, kind)
        succ, pred = _adjacency(g)
        for u, v, attrs in kept.edges:
            out = succ.get(u)
            if out is None or v not in pred or v in out:  # not as it was: the slow way
                extra = {k: x for k, x in attrs.items() if k not in ("kind", "line")}
                _add_edge(g, u, v, attrs["kind"], attrs["line"], **extra)
                continue
            attrs = dict(attrs)
            out[v] = attrs
            pred[v][u] = attrs
        self.stats.unresolved.update(dict(kept.unresolved))
        self.stats.unresolved_names.update(dict(kept.names))


@dataclass
class _FileEdges:
    """What one file's definitions add to the graph, kept in the cache: `shape` (each
    symbol id with its number of definitions) tells that it fits the file's facts."""

    shape: list[tuple[str, int]]
    externals: list[tuple[str, str]]
    edges: list[tuple[str, str, dict[str, Any]]]
    unresolved: list[tuple[str, int]]
    names: list[tuple[str, int]]

    @classmethod
    def of(cls, record: _Record, sids: list[tuple[str, list[Any]]], g: Graph) -> _FileEdges:
        """A file's edges from what _edges_of recorded for it, right after it did: each edge
        as the graph holds it then (merged from all the file's sites; only this file adds
        edges from its symbols before the later passes)."""
        succ = _adjacency(g)[0]
        return cls(
            [(sid, len(defs)) for sid, defs in sids],
            list(record.externals),
            [(u, v, dict(succ[u][v])) for u, v in record.pairs],
            list(record.unresolved.items()),
            list(record.unresolved_names.items()),
        )


def _edge_keys(
    edge_cache: EdgeCache | None,
    project: Project,
    members: dict[str, set[str]],
    macros: MutableMapping[str, tuple[str, ...]],
) -> dict[str, tuple[bytes, bytes]]:
    """Each file's entry in the cache (its place) and the key its kept edges must carry to
    be this build's: the file's facts key with everything name resolution reads (what
    _edges_of asks the project, the members and the macros) and the header tables' state."""
    if edge_cache is None:
        return {}
    from hvlint.cache import digest

    own = macros.own_items() if isinstance(macros, LazyMacros) else list(macros.items())
    scope = digest(
        edge_cache.context,
        repr(list(project.symbols)),
        repr(list(project.statics.items())),
        repr(list(project.globals_by_name.items())),
        repr(list(project.header_statics.items())),
        repr(sorted(project.declared)),
        repr(sorted((m, sorted(t)) for m, t in members.items())),
        repr(sorted(own)),
    )
    return {p: (digest(edge_cache.place, p), digest(scope, k)) for p, k in edge_cache.keys.items()}


_EDGE_BATCH = 256  # files whose kept edges are read at once


def _external(g: Graph, name: str, kind: str) -> str:
    nid = f"::{name}"
    if nid not in g:
        g.add_node(nid, name=name, path=None, line=None, kind=kind, section=None, entry=False)
    return nid


def _edges_of(
    sink: _Sink,
    project: Project,
    sid: str,
    f: FileFacts,
    d: Decl,
    members: dict[str, set[str]],
    macros: Mapping[str, tuple[str, ...]],
    dual: Mapping[str, Dual],
    values: Container[str],
    through: _Expansions,
) -> None:
    edge, external, unresolved = sink.edge, sink.external, sink.unresolved
    refs: Iterable[Ref] = (*d.calls, *d.refs)
    dead = never_called()
    for r in refs:
        if r.kind == "call" and dead.match(r.name):
            unresolved("a function that must never be called (link-time assertion)")
            continue
        extra = {"cond": r.cond} if r.cond else {}
        if r.kind == "member-call":
            targets = members.get(r.name, set())
            if not targets:
                unresolved("call through a member nothing in scope is assigned to", f".{r.name}")
            if r.through is not None:
                # typed (precise mode): not the functions known to sit in another struct's member
                struct = r.through.rpartition(".")[0]
                known = through.typed.get(r.name, {})
                targets = {t for t in targets if t not in known or struct in known[t]}
                extra = {**extra, "through": r.through}
            for t in sorted(targets):
                edge(sid, t, "call", r.line, {"via": r.name, **extra})
            continue
        both_ways = dual.get(r.name) if r.kind == "call" else None
        if both_ways is not None and (both_ways.declared or _function_in_scope(project, r.name)):
            as_macro = both_ways.cond
            for callee, cond in through(r.name, both_ways.calls).items():
                if not dead.match(callee):
                    c = _both(r.cond or "", _both(as_macro, cond))
                    for t in project.resolve(callee, f.path) or [external(callee, "function")]:
                        if t != sid:
                            edge(sid, t, "call", r.line, {"macro": r.name, "cond": c})
            extra = {"cond": _both(r.cond or "", _negate(as_macro))}
        targets_l = project.resolve(r.name, f.path)
        if targets_l:
            for t in targets_l:
                if t != sid or r.kind != "ref":
                    edge(sid, t, r.kind, r.line, extra)
        elif r.kind == "ref" and r.name in values and macros.get(r.name) and not _function_in_scope(project, r.name):
            for callee, cond in through(r.name, as_value=True).items():
                if not dead.match(callee):
                    c = _both(r.cond or "", cond)
                    for t in project.resolve(callee, f.path) or [external(callee, "function")]:
                        if t != sid:
                            edge(sid, t, "call", r.line, {"macro": r.name, **({"cond": c} if c else {})})
        elif r.kind in ("call", "jump"):
            if r.name in macros and r.name not in project.declared:
                unresolved("a macro of the tree's headers")
                for callee, cond in through(r.name).items():
                    if dead.match(callee):
                        continue
                    targets_m = project.resolve(callee, f.path) or [external(callee, "function")]
                    both = _both(r.cond or "", cond)
                    for t in targets_m:
                        if t != sid:
                            edge(sid, t, "call", r.line, {"macro": r.name, **({"cond": both} if both else {})})
            elif r.name.startswith("__builtin_"):
                unresolved("a compiler builtin")
            elif r.name in project.declared or f.lang == "asm":
                edge(sid, external(r.name, "function"), r.kind, r.line, extra)
                unresolved("declared in the scope, defined outside it")
            elif macros:
                edge(sid, external(r.name, "function"), r.kind, r.line, extra)
                unresolved("declared outside the scope (a kernel function), or a local function pointer", r.name)
            else:
                unresolved("no declaration in scope (a macro, a builtin or a local pointer)", r.name)


_MAX_MACRO_DEPTH = 6


class _Expansions:
    """_through_macro over one build's macros, project and dual names, each expansion worked
    out once: the same macro (`WARN_ON`, `pr_info`) is called from thousands of sites, and
    what it expands to depends only on the name and how it is used."""

    __slots__ = ("macros", "project", "dual", "typed", "_done")

    def __init__(
        self,
        macros: Mapping[str, tuple[str, ...]],
        project: Project,
        dual: Mapping[str, Dual] | None,
        typed: dict[str, dict[str, set[str]]] | None = None,
    ) -> None:
        self.macros, self.project, self.dual = macros, project, dual
        # member -> function -> the structs it is assigned to a member of (precise mode)
        self.typed = typed or {}
        self._done: dict[tuple[str, tuple[str, ...] | None, bool, bool], dict[str, str]] = {}

    def __call__(
        self, name: str, start: tuple[str, ...] | None = None, as_value: bool = False, dual: bool = True
    ) -> dict[str, str]:
        key = (name, start, as_value, dual)
        got = self._done.get(key)
        if got is None:
            got = _through_macro(name, self.macros, self.project, self.dual if dual else None, start, as_value)
            self._done[key] = got
        return got


def _function_in_scope(project: Project, name: str) -> bool:
    """Whether the scope declares or defines a function or object `name` (then a macro of
    that name elsewhere, `#define arch_test_bit generic_test_bit` in asm-generic, is another
    architecture's or configuration's)."""
    return name in project.declared or name in project.globals_by_name or name in project.header_statics


def _negate(c: str) -> str:
    """`!(c)`, without a double negation."""
    if c.startswith("!(") and c.endswith(")") and match_paren(c, 1) == len(c):
        return c[2:-1]
    return f"!({c})"


def _both(a: str, b: str) -> str:
    """The conjunction of two conditions ("" holds always)."""
    if not a or not b or a == b:
        return a or b
    wrap = [c if "||" not in c else f"({c})" for c in (a, b)]
    return " && ".join(wrap)


def _through_macro(
    name: str,
    macros: Mapping[str, tuple[str, ...]],
    project: Project,
    dual: Mapping[str, Dual] | None = None,
    start: tuple[str, ...] | None = None,
    as_value: bool = False,
) -> dict[str, str]:
    """The functions a macro's expansion calls -> the condition under which it does ("":
    always), following the macros it uses (each definition of each, under its condition:
    see tables.tree_macros) and the functions handed to a macro as arguments
    (`printk(...)` -> `printk_index_wrap(_printk, ...)` -> `_printk(...)`).  `as_value`:
    the macro is used as a value, not called (`current`), so an alias it stands for
    (`#define PAGE_SHIFT CONFIG_PAGE_SHIFT`) is a value too."""
    out: dict[str, str] = {}
    seen: set[tuple[str, tuple[str, ...]]] = {(name, ())}
    frontier: list[tuple[str, tuple[str, ...], str, bool]] = [(name, (), "", as_value)]
    for _ in range(_MAX_MACRO_DEPTH):
        nxt: list[tuple[str, tuple[str, ...], str, bool]] = []
        for m, binding, cond, value in frontier:
            if start is not None and m == name and not binding:
                entries: tuple[str, ...] = start
            elif dual and m in dual and (m not in macros or _function_in_scope(project, m)):
                entries = dual[m].calls
            else:
                entries = macros.get(m, ())
            for marked in entries:
                entry, own = split_cond(marked)
                here = _both(cond, own)
                if entry.startswith("="):  # `#define outb __outb`: outb(...) is __outb(...)
                    callee, bound, alias = entry[1:], binding, True
                    if value and callee not in macros:
                        continue
                else:
                    callee, args = callee_of(entry)
                    alias = False
                    if callee.startswith("$"):
                        i = int(callee[1:])
                        callee = binding[i] if i < len(binding) else ""
                        if not callee:
                            continue
                    bound = tuple(
                        (binding[int(a[1:])] if int(a[1:]) < len(binding) else "") if a.startswith("$") else a
                        for a in args
                    )
                both_ways = dual.get(callee) if dual else None
                if both_ways is not None and not (both_ways.declared or _function_in_scope(project, callee)):
                    both_ways = None
                if callee in macros and not _function_in_scope(project, callee):
                    state = (callee, bound)
                    if state not in seen and len(seen) < 256:
                        seen.add(state)
                        nxt.append((callee, bound, here, value and alias))
                    continue
                if both_ways is not None:  # a macro in some configurations: both, under conditions
                    state = (callee, bound)
                    if state not in seen and len(seen) < 256:
                        seen.add(state)
                        nxt.append((callee, bound, _both(here, both_ways.cond), False))
                    here = _both(here, _negate(both_ways.cond))
                if callee not in out or (out[callee] and not here):
                    out[callee] = here
        if not nxt:
            break
        frontier = nxt
    return out


def _function_macros(g: Graph, project: Project, macros: Mapping[str, tuple[str, ...]], expand: _Expansions) -> None:
    """A function defined by a macro (`DEFINE_IDTENTRY(exc_divide_error) { ... }`) also runs
    the macro's own code: edges to what the macro's body calls."""
    dead = never_called()
    for f in project.facts:
        for inv in f.invocations:
            if not inv.args or not _FUNCTION_MACRO.match(inv.name) or inv.name not in macros:
                continue
            for sid in project.resolve(inv.args[0], f.path):
                for callee, cond in expand(inv.name, dual=False).items():
                    if dead.match(callee):
                        continue
                    for t in project.resolve(callee, f.path) or [_external(g, callee, "function")]:
                        if t != sid:
                            _add_edge(g, sid, t, "call", inv.line, macro=inv.name, **({"cond": cond} if cond else {}))


def _runtime_roots(g: Graph, project: Project) -> None:
    """Mark what can run after boot (`runtime_root` = why): functions defined by a syscall
    or interrupt macro, exported symbols, assembly entry code, and functions whose address
    is stored in data that outlives init (ops tables, global pointers)."""
    data = roots()

    def mark(node: str, reason: str) -> None:
        if node in g and "runtime_root" not in g.nodes[node]:
            g.nodes[node]["runtime_root"] = reason

    for f in project.facts:
        for inv in f.invocations:
            reason = data.macros.get(inv.name)
            if reason is not None and inv.args:
                for sid in project.resolve(inv.args[0], f.path):
                    mark(sid, reason)
    for n, attrs in g.nodes(data=True):
        for role in attrs.get("roles", ()):
            if role in data.roles:
                mark(n, data.roles[role])
        if attrs.get("kind") == "asm" and attrs.get("section") in data.asm_sections:
            mark(n, data.asm_sections[attrs["section"]])
    nodes, succ = g.nodes, _adjacency(g)[0]
    for u, src in nodes(data=True):  # in the graph's order, as a walk over every edge would
        if src.get("kind") != "object" or section_class(src.get("section")) != "runtime":
            continue
        for v, e in succ[u].items():
            if e["kind"] == "ref" and nodes[v].get("kind") == "function":
                mark(v, f"address stored in {src.get('name')} ({src.get('section')})")


def _registrations(g: Graph, project: Project, stats: GraphStats) -> None:
    regs = registrations()
    for f in project.facts:
        for inv in f.invocations:
            reg = regs.get(inv.name)
            if reg is None or len(inv.args) <= reg.arg:
                continue
            name = _ident(inv.args[reg.arg])
            targets = project.resolve(name, f.path)
            for t in targets:
                roles = set(g.nodes[t].get("roles", ()))
                roles.add(reg.role)
                g.nodes[t]["roles"] = sorted(roles)
            if reg.runner is None:
                continue
            runners = project.resolve(reg.runner, "") or project.named(reg.runner)
            if not runners:
                runners = [_external(g, reg.runner, "function")]
            for r in runners:
                for t in targets:
                    _add_edge(g, r, t, "call", inv.line, via=inv.name, via_path=f.path)


# -- queries --------------------------------------------------------------------------------


def find(g: Graph, symbol: str) -> list[str]:
    """Node ids for a symbol given as `name` or `path::name`."""
    if symbol in g:
        return [symbol]
    found = [n for n, data in g.nodes(data=True) if data.get("name") == symbol]
    if not found:
        raise HvlintError(f"no symbol '{symbol}' in the call graph")
    return sorted(found, key=lambda n: (g.nodes[n].get("path") is None, n))


def cut(g: Graph, sources: list[str] | None, targets: list[str] | None, depth: int | None) -> Graph:
    """The part of the graph reachable from `sources` and/or reaching `targets`."""
    keep: set[str] | None = None
    if sources:
        down: set[str] = set()
        for s in sources:
            down |= set(nx.single_source_shortest_path_length(g, s, cutoff=depth))
        keep = down
    if targets:
        up: set[str] = set()
        rev = g.reverse(copy=False)
        for t in targets:
            up |= set(nx.single_source_shortest_path_length(rev, t, cutoff=depth))
        keep = up if keep is None else keep & up
    return g if keep is None else g.subgraph(keep).copy()


def shortest_path(g: Graph, sources: list[str], targets: list[str]) -> list[str] | None:
    best: list[str] | None = None
    target_set = set(targets)
    for s in sources:
        lengths, paths = nx.single_source_shortest_path_length(g, s), None
        reachable = [t for t in target_set if t in lengths]
        if not reachable:
            continue
        t = min(reachable, key=lambda x: lengths[x])
        paths = nx.shortest_path(g, s, t)
        if best is None or len(paths) < len(best):
            best = paths
    return best


# -- export --------------------------------------------------------------------------------


def to_json(g: Graph) -> str:
    data = nx.node_link_data(g, edges="edges")
    return json.dumps(data, indent=1, default=str) + "\n"


def to_dot(g: Graph) -> str:
    def q(s: object) -> str:
        return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    lines = ["digraph hvlint {", "  node [shape=box, fontname=monospace];"]
    for n, data in g.nodes(data=True):
        label = f"{data.get('name')}\n{data.get('path') or '(outside the scope)'}:{data.get('line') or ''}"
        if data.get("section"):
            label += f"\n{data['section']}"
        attrs = [f"label={q(label)}"]
        if data.get("entry"):
            attrs.append("style=bold")
        if (data.get("section") or "").startswith(".init"):
            attrs.append("color=blue")
        lines.append(f"  {q(n)} [{', '.join(attrs)}];")
    for u, v, data in g.edges(data=True):
        style = {"call": "solid", "jump": "dashed", "ref": "dotted"}[data["kind"]]
        lines.append(f"  {q(u)} -> {q(v)} [style={style}, label={q(data.get('line', ''))}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_graphml(g: Graph) -> str:
    clean: Graph = nx.DiGraph()
    for n, data in g.nodes(data=True):
        clean.add_node(n, **{k: _graphml_value(v) for k, v in data.items()})
    for u, v, data in g.edges(data=True):
        clean.add_edge(u, v, **{k: _graphml_value(val) for k, val in data.items()})
    return "\n".join(nx.generate_graphml(clean)) + "\n"


def _graphml_value(v: object) -> str | int | bool:
    if isinstance(v, bool | int):
        return v
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return ",".join(map(str, v))
    return str(v)
