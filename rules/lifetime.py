"""Init-data lifetime (HV301-HV306): what outlives the `.init.*` memory the kernel frees
after boot, found from source on the call graph, for every configuration at once.

After boot the kernel frees `.init.*`; an `__exit` function is discarded when its code is
built in.  A reference that outlives them is a use-after-free waiting for a code path.
modpost finds some of these after a full build of one configuration, as a bare line
without the path; these rules apply modpost's own table (read from the tree's
scripts/mod/modpost.c, see hvlint.modpost) to the references in the source, and follow the
call graph to say why a reference is real.
"""

from __future__ import annotations

import fnmatch
import os
import re
import weakref
from collections import deque
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from hvlint import discover
from hvlint.datafiles import load_toml
from hvlint.facts import Span
from hvlint.findings import Finding, Severity
from hvlint.model import section_class
from hvlint.modpost import ModpostTable, match, modpost_table
from hvlint.registry import ProjectContext, rule
from hvlint.tables import registrations

_REF_KINDS = ("call", "ref", "jump")


# ---------------------------------------------------------------------------------------------
# shared helpers


class _Lines:
    """Source lines of the tree's files, read once, for columns and local context."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.cache: dict[str, list[str]] = {}

    def get(self, path: str, line: int) -> str:
        lines = self.cache.get(path)
        if lines is None:
            data = discover.read_source(self.root, path).data
            lines = data.decode("latin-1").splitlines() if data is not None else []
            self.cache[path] = lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def span(self, path: str, line: int, name: str | None) -> Span:
        text = self.get(path, line)
        at = text.find(name) if name else -1
        if at < 0:
            return Span(line, 1, line, max(1, len(text)), 0, 0)
        return Span(line, at + 1, line, at + len(name or " "), 0, 0)


def _ctx_state(ctx: ProjectContext) -> dict[str, Any]:
    """What the lifetime rules share within one run (the graph walks are the costly part)."""
    state: dict[str, Any] | None = getattr(ctx, "_lifetime", None)
    if state is None:
        state = {"lines": _Lines(ctx.root), "table": modpost_table(ctx.root if ctx.in_tree else None)}
        ctx._lifetime = state  # type: ignore[attr-defined]
    return state


def _node(g: Any, n: str) -> dict[str, Any]:
    d: dict[str, Any] = g.nodes[n]
    return d


def _known(g: Any, n: str) -> bool:
    return bool(_node(g, n).get("path"))


def _section(g: Any, n: str) -> str | None:
    s = _node(g, n).get("section")
    return str(s) if s else None


_KLASS: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()


def _klass(g: Any, n: str) -> str:
    """init / exit / ref / head / runtime, or "mixed" for a symbol whose `#if` branches land
    in different classes (`__init` in one configuration only): not judged.  Worked out once
    per node of a graph (the rules ask about the same nodes hundreds of thousands of times;
    no rule changes a node's path or sections)."""
    known = _KLASS.get(g)
    if known is None:
        known = _KLASS[g] = {}
    got = known.get(n)
    if got is None:
        got = known[n] = _klass_of(g, n)
    return got


def _klass_of(g: Any, n: str) -> str:
    d = _node(g, n)
    alts = d.get("sections")
    if alts and len({section_class(a) for a in alts}) > 1:
        return "mixed"
    path = str(d.get("path") or "")
    own = f"arch/{g.graph.get('arch', 'x86')}/"  # the architecture being linted (engine.build_graph)
    if path and (_separate(path) or (path.startswith("arch/") and not path.startswith(own))):
        return "separate"
    return section_class(_section(g, n))


@lru_cache(maxsize=1)
def _separate_images() -> tuple[str, ...]:
    doc = load_toml("lifetime.toml")
    return tuple(str(e["path"]) for e in doc.get("separate_image", []))


@lru_cache(maxsize=4096)
def _separate(path: str) -> bool:
    """Code linked into its own image (decompressor, vDSO, ...): no init memory is freed there."""
    return any(fnmatch.fnmatchcase(path, p) for p in _separate_images())


def _real_reference(e: dict[str, Any]) -> bool:
    """An edge the source writes (not a call through a pointer or a registration runner)."""
    return e.get("kind") in _REF_KINDS and not e.get("via")


def _runtime_reach(g: Any) -> dict[str, str | None]:
    """Every function that can run after init memory is freed -> its predecessor on a
    shortest path from a runtime root (None for the roots): breadth first over the direct
    calls and jumps, never into init, exit, `.ref` or `.head` code."""
    parent: dict[str, str | None] = {}
    queue: deque[str] = deque()
    for n, d in g.nodes(data=True):
        if not d.get("path") or _klass(g, n) != "runtime" or d.get("kind") == "object":
            continue
        # a root, or a callback whose address runtime code takes (`stop_machine(xen_suspend, ...)`)
        if d.get("runtime_root") or any(
            e.get("kind") == "ref"
            and _known(g, w)
            and _node(g, w).get("kind") == "function"
            and _klass(g, w) == "runtime"
            for w, _, e in g.in_edges(n, data=True)
        ):
            parent[n] = None
            queue.append(n)
    while queue:
        u = queue.popleft()
        for _, v, e in g.out_edges(u, data=True):
            if v in parent or e.get("kind") not in ("call", "jump") or e.get("via") or not _known(g, v):
                continue
            if _klass(g, v) != "runtime" or _node(g, v).get("kind") == "object":
                continue
            parent[v] = u
            queue.append(v)
    return parent


def _path_to(parent: dict[str, str | None], n: str) -> tuple[str, ...]:
    out = [n]
    seen = {n}
    cur = parent.get(n)
    while cur is not None and cur not in seen:
        out.append(cur)
        seen.add(cur)
        cur = parent.get(cur)
    return tuple(reversed(out))


def _reach(ctx: ProjectContext) -> dict[str, str | None]:
    state = _ctx_state(ctx)
    if "reach" not in state:
        state["reach"] = _runtime_reach(ctx.graph)
    reach: dict[str, str | None] = state["reach"]
    return reach


def _inline_users(g: Any, n: str, want: str = "runtime") -> str | None:
    """An `inline` function's code lands in its callers: the first non-inline caller of
    class `want` found through chains of inline callers, or None."""
    return _inline_callers(g, n).get(want)


def _inline_callers(g: Any, n: str) -> dict[str, str]:
    """Section class -> the first non-inline caller of that class an `inline` function lands
    in, breadth first through chains of inline runtime callers."""
    first: dict[str, str] = {}
    seen = {n}
    queue = deque([n])
    while queue:
        u = queue.popleft()
        for w, _, e in g.in_edges(u, data=True):
            if w in seen or e.get("kind") not in ("call", "jump") or not _known(g, w):
                continue
            seen.add(w)
            d = _node(g, w)
            if d.get("inline") and _klass(g, w) == "runtime":
                queue.append(w)
            elif d.get("kind") != "object":
                first.setdefault(_klass(g, w), str(w))
    return first


def _cond(e: dict[str, Any]) -> str:
    c = str(e.get("cond") or "")
    return f" (under `{c}`)" if c and len(c) < 120 else (" (under an #if)" if c else "")


def _what(g: Any, n: str) -> str:
    d = _node(g, n)
    return f"{d['name']}()" if d.get("kind") in ("function", "asm") and d.get("kind") != "object" else str(d["name"])


def _annotation_for(g: Any, n: str, const: bool = False) -> str:
    d = _node(g, n)
    if d.get("kind") == "object":
        return "__initconst" if (const or _section(g, n) == ".rodata") else "__initdata"
    return "__init"


def _fromsec(g: Any, u: str) -> str:
    """The section a reference from `u` sits in (modpost's fromsec)."""
    return _section(g, u) or (".text" if _node(g, u).get("kind") != "object" else ".data")


def _sources(ctx: ProjectContext, target_class: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Edges (u, v, data) the source writes from a known symbol to one of `target_class`."""
    g = ctx.graph
    for v, d in g.nodes(data=True):
        if not d.get("path") or _klass(g, v) != target_class:
            continue
        for u, _, e in g.in_edges(v, data=True):
            if u != v and _known(g, u) and _real_reference(e):
                yield u, v, e


def _site(ctx: ProjectContext, u: str, e: dict[str, Any]) -> str:
    return str(e.get("via_path") or _node(ctx.graph, u).get("path") or "")


def _exports(ctx: ProjectContext) -> Iterator[tuple[str, int, str, str]]:
    """(path, line, macro, symbol id) for each EXPORT_SYMBOL*() of a scope symbol."""
    regs = registrations()
    for f in ctx.facts:
        for inv in f.invocations:
            reg = regs.get(inv.name)
            if reg is None or reg.role != "export" or len(inv.args) <= reg.arg:
                continue
            name = inv.args[reg.arg].strip()
            for sid in ctx.project.resolve(name, f.path):
                yield f.path, inv.line, inv.name, sid


# ---------------------------------------------------------------------------------------------
# HV301


def _mismatch_findings(ctx: ProjectContext, target_class: str) -> Iterator[Finding]:
    """modpost's check on the source's references into `target_class` (init or exit)."""
    g = ctx.graph
    state = _ctx_state(ctx)
    table: ModpostTable = state["table"]
    lines: _Lines = state["lines"]
    reach = _reach(ctx)
    seen: set[tuple[str, int, str]] = set()
    for u, v, e in _sources(ctx, target_class):
        du, dv = _node(g, u), _node(g, v)
        if _klass(g, u) in ("mixed", "separate"):
            continue
        fromsec, tosec = _fromsec(g, u), _section(g, v) or ""
        check = table.mismatch(fromsec, tosec)
        beyond = ""
        if check is None:
            # hvlint also checks the code sections modpost leaves out (.entry.text,
            # .spinlock.text, .irqentry.text...), but never .ref.* or .head.text
            other = match(fromsec, table.group("OTHER_TEXT_SECTIONS"))
            if target_class == "init" and other and section_class(fromsec) == "runtime" and du.get("kind") != "object":
                beyond = f"; modpost does not check {fromsec}"
            elif target_class == "exit" and other and section_class(fromsec) in ("runtime",):
                beyond = f"; modpost does not check {fromsec}"
            else:
                continue
        if table.whitelisted(fromsec, str(du["name"]), tosec, str(dv["name"])):
            continue
        path = _site(ctx, u, e)
        line = int(e.get("line") or du.get("line") or 1)
        text = lines.get(path, line)
        if target_class == "exit" and "__exit_p(" in text:
            continue  # `__exit_p(fn)` is NULL when the code is built in
        key = (path, line, str(dv["name"]))
        if key in seen:
            continue
        trace: tuple[str, ...] = ()
        user = ""
        if du.get("inline") and du.get("kind") != "object":
            via = _inline_users(g, u)
            if via is None:
                continue  # inlined only into init code (or unused): no reference survives
            trace = (*_path_to(reach, via), u, v) if via in reach else (via, u, v)
            user = f"; it is inlined into {_what(g, via)} ({_section(g, via) or '.text'})"
        elif u in reach:
            trace = (*_path_to(reach, u), v)
        seen.add(key)
        verb = "calls" if e.get("kind") == "call" else ("jumps to" if e.get("kind") == "jump" else "references")
        lifetime = "freed after boot" if target_class == "init" else "discarded when the code is built in"
        how = f"modpost: {check.mismatch}" if check is not None else "section mismatch"
        runtime = ""
        if trace and not user:
            why = _node(g, trace[0]).get("runtime_root") or "a callback runtime code takes the address of"
            runtime = f"; it runs after boot: {_what(g, trace[0])} is {why}"
        elif du.get("kind") != "object" and not user and u not in reach and _klass(g, u) == "runtime":
            only_init = all(
                _klass(g, w) in ("init", "ref", "head") for w, _, ed in g.in_edges(u, data=True) if _real_reference(ed)
            ) and any(True for _ in g.in_edges(u))
            if only_init:
                runtime = f"; only init code uses it: mark it {_annotation_for(g, u)}"
        message = (
            f"{_what(g, u)} ({fromsec}) {verb} {_what(g, v)} ({tosec}), {lifetime}{_cond(e)} "
            f"[{how}{beyond}]{user}{runtime}"
        )
        yield ctx.finding(path, lines.span(path, line, str(dv["name"])), message, symbol=str(du["name"]), trace=trace)
    # EXPORT_SYMBOL of init/exit symbols: modules would call freed or discarded code
    for path, line, macro, sid in _exports(ctx):
        if _known(g, sid) and _klass(g, sid) == target_class:
            d = _node(g, sid)
            message = (
                f"{macro}({d['name']}) exports a symbol of {_section(g, sid)}: modules would use it after it is "
                f'{"freed" if target_class == "init" else "discarded"} (modpost: "EXPORT_SYMBOL used for '
                f'{target_class} symbol"); remove {"__init" if target_class == "init" else "__exit"} or the export'
            )
            yield ctx.finding(path, lines.span(path, line, str(d["name"])), message, symbol=str(d["name"]))


@rule("HV301", "init-reference-from-runtime", Severity.WARNING, needs="project")
def init_reference_from_runtime(ctx: ProjectContext) -> Iterator[Finding]:
    """Code or data outside `.init.*` references an `.init.*` symbol: modpost's "section
    mismatch", from source, for every configuration at once.

    The check is modpost's own table, read from the tree's `scripts/mod/modpost.c`: a
    reference from `.text`/`.data` (and the other sections of its `sectioncheck[]` rows) to
    `.init.*`, or from `.exit.*` to `.init.*`, unless `secref_whitelist()` lets it pass
    (`__ref`/`__refdata` put the referrer in `.ref.*`, which no row checks; data named
    `*_ops`, `*_probe`, `*_console`; `__param*`; `.head.text` code; boundary symbols).  hvlint
    also checks code in the sections modpost leaves out (`.entry.text`, `.spinlock.text`,
    `.irqentry.text`, ...); references from other long-lived data (`.rodata`,
    `.data..ro_after_init`, ...) are HV303's.  An `inline` function's reference counts where it
    is inlined: only when a non-init function calls it.  `EXPORT_SYMBOL()` of an `__init`
    symbol is reported too, as modpost does.  The finding's `trace` is a path from a runtime
    root (an exported function, a syscall, an interrupt handler, an ops table) when one
    exists.

    ## Why it matters
    The kernel frees `.init.*` after boot (`free_initmem()`); the reference then points
    into freed memory.  modpost reports it only after a full build of one configuration,
    without the source line or the path.

    ## Example
        static int __init xen_parse_opt(char *s) { return s[0]; }
        int xen_runtime_hook(void) { return xen_parse_opt("x"); }   /* HV301 */

    ## Fix
    Mark the referrer `__init` (or `__initdata`) if only init code uses it, or drop
    `__init` from the target if it is needed later.  `__ref`/`__refdata` tell modpost a
    reference is deliberate (the referrer is only used while init memory exists).

        static int __init xen_parse_opt(char *s) { return s[0]; }
        int __init xen_runtime_hook(void) { return xen_parse_opt("x"); }
    """
    yield from _mismatch_findings(ctx, "init")


# ---------------------------------------------------------------------------------------------
# HV302


@rule("HV302", "init-reachable-at-runtime", Severity.WARNING, needs="project")
def init_reachable_at_runtime(ctx: ProjectContext) -> Iterator[Finding]:
    """An `__init` function is reachable in the call graph from a runtime root: something
    that can run after init memory is freed (an exported function, a system call, an
    interrupt or exception handler, a function stored in an ops table that outlives init).

    The path goes through direct calls and jumps of functions that are neither init nor
    `__ref`/`.head.text` code (calls through pointers are too vague to claim a path); the
    finding stands at the `__init` function's definition and its `trace` gives the path,
    root first, with file:line for each hop.

    ## Why it matters
    A call through that path after boot jumps into freed memory: an oops or worse, in a
    path that may run only on rare hardware, on CPU hotplug, or on resume.

    ## Example
        static void __init xen_setup_once(void) { }
        void xen_helper(void) { xen_setup_once(); }    /* HV302 at xen_setup_once */
        EXPORT_SYMBOL(xen_helper);

    ## Fix
    Drop `__init` from the function (and from what it needs), or make the runtime caller
    stop calling it (a flag set at the end of init, a separate runtime variant).

        static void xen_setup_once(void) { }
        void xen_helper(void) { xen_setup_once(); }
        EXPORT_SYMBOL(xen_helper);
    """
    g = ctx.graph
    reach = _reach(ctx)
    lines: _Lines = _ctx_state(ctx)["lines"]
    best: dict[str, tuple[int, str, dict[str, Any]]] = {}
    for u in reach:
        for _, v, e in g.out_edges(u, data=True):
            if e.get("kind") not in ("call", "jump") or e.get("via") or not _known(g, v) or _klass(g, v) != "init":
                continue
            if _node(g, v).get("kind") == "object":
                continue
            depth = len(_path_to(reach, u))
            if v not in best or depth < best[v][0]:
                best[v] = (depth, u, e)
    for v, (_, u, e) in sorted(best.items()):
        dv = _node(g, v)
        trace = (*_path_to(reach, u), v)
        root = trace[0]
        path = str(dv["path"])
        line = int(dv.get("line") or 1)
        via = "" if root == u else f" leads to {_what(g, u)}, which"
        why = _node(g, root).get("runtime_root") or "a callback runtime code takes the address of"
        message = (
            f"{_what(g, v)} is {_section(g, v)} but reachable after boot: {_what(g, root)} "
            f"({why}){via} calls it at "
            f"{_site(ctx, u, e)}:{e.get('line')}{_cond(e)} ({len(trace) - 1} hop{'s' if len(trace) > 2 else ''})"
        )
        yield ctx.finding(path, lines.span(path, line, str(dv["name"])), message, symbol=str(dv["name"]), trace=trace)


# ---------------------------------------------------------------------------------------------
# HV303


@rule("HV303", "init-address-escapes", Severity.WARNING, needs="project")
def init_address_escapes(ctx: ProjectContext) -> Iterator[Finding]:
    """The address of `__init` code or `__initdata` is stored in long-lived data: in the
    initializer of an object outside `.init.*` that modpost does not check (`.rodata`,
    `.data..ro_after_init`, `.data..read_mostly`, per-CPU data...), or by code (init code
    included) assigning it to a file-scope object outside `.init.*`
    (`x86_platform.get_wallclock = xen_early_get_wallclock;`).

    modpost checks only relocations from `.text` and `.data`; it never sees a pointer that
    code stores at run time.  References from `.data` are HV301's (modpost's own check).

    ## Why it matters
    The pointer outlives the memory it points to: whoever reads it after boot (a
    timer, a resume path, a sysfs handler) calls or reads freed memory.

    ## Example
        struct x86_platform_ops { unsigned long (*calibrate_tsc)(void); };
        struct x86_platform_ops x86_platform;
        static unsigned long __init xen_tsc_early(void) { return 1; }
        void __init xen_setup(void) { x86_platform.calibrate_tsc = xen_tsc_early; }  /* HV303 */
        unsigned long tsc_read(void) { return x86_platform.calibrate_tsc(); }
        EXPORT_SYMBOL(tsc_read);

    ## Fix
    Drop `__init` from the target, make the holder `__initdata`/`__initconst` if only init
    code reads it, or clear the pointer before init memory is freed.

        struct x86_platform_ops { unsigned long (*calibrate_tsc)(void); };
        struct x86_platform_ops x86_platform;
        static unsigned long xen_tsc_early(void) { return 1; }
        void __init xen_setup(void) { x86_platform.calibrate_tsc = xen_tsc_early; }
        unsigned long tsc_read(void) { return x86_platform.calibrate_tsc(); }
        EXPORT_SYMBOL(tsc_read);
    """
    g = ctx.graph
    state = _ctx_state(ctx)
    table: ModpostTable = state["table"]
    lines: _Lines = state["lines"]
    data = table.group("DATA_SECTIONS")
    called = _members_called_at_runtime(ctx)
    read = _objects_read_at_runtime(ctx)
    seen: set[tuple[str, int, str]] = set()

    def escape(holder: str, member: str, value: str) -> tuple[str, str] | None:
        """Why the stored init address is used after boot: (who, how), or None."""
        if _node(g, value).get("kind") in ("function", "asm"):
            holder_name = str(_node(g, holder)["name"])
            for user, line in called.get(member, ()) if member else ():
                # the call must be on this object: `x86_platform.get_wallclock()`, or pv_ops'
                # `PVOP_CALL(cpu.load_gdt)`; a `.set()` on some other struct is not
                text = lines.get(str(_node(g, user).get("path")), line)
                if holder_name in text or (holder_name == "pv_ops" and "PVOP" in text):
                    return user, f"{_what(g, user)} calls through .{member} at {_node(g, user).get('path')}:{line}"
            return None
        if holder in read:
            user = read[holder]
            return user, f"{_what(g, user)} ({_section(g, user)}) reads {_node(g, holder)['name']}"
        return None

    # initializers of long-lived objects modpost does not check: `.member = init_fn`
    for sid, defs in ctx.project.defs.items():
        if sid not in g or _node(g, sid).get("kind") != "object" or _klass(g, sid) != "runtime":
            continue
        fromsec = _fromsec(g, sid)
        if match(fromsec, data):
            continue  # HV301's: modpost checks .data
        for f, d in defs:
            for member, fn in d.assigns:
                for val in ctx.project.resolve(fn, f.path):
                    if val not in g or not _known(g, val) or _klass(g, val) != "init":
                        continue
                    why = escape(sid, member, val)
                    line = next((r.line for r in d.refs if r.name == fn), d.name_span.line)
                    if why is None or (f.path, line, fn) in seen:
                        continue
                    seen.add((f.path, line, fn))
                    user, how = why
                    trace = (*_path_to(_reach(ctx), user), val) if user in _reach(ctx) else (user, val)
                    message = (
                        f"{_node(g, sid)['name']}.{member} ({fromsec}) holds the address of {_what(g, val)} "
                        f"({_section(g, val)}), freed after boot, and {how}: modpost does not check {fromsec}; "
                        f"drop __init from {_node(g, val)['name']}, or stop calling .{member} after boot"
                    )
                    yield ctx.finding(f.path, lines.span(f.path, line, fn), message, symbol=fn, trace=trace)
    # code (init code included) storing an init address in a long-lived object
    for sid, defs in ctx.project.defs.items():
        if sid not in g or _klass(g, sid) in ("mixed", "separate"):
            continue
        for f, d in defs:
            for target, member, value, line in d.stores:
                name = value.lstrip("&")
                if member and any(t == target and m == member and ln > line for t, m, _, ln in d.stores):
                    continue  # stored again later in the same function (xen_setup_gdt's boot versions)
                holders = [t for t in ctx.project.resolve(target, f.path) if t in g and _known(g, t)]
                values = [t for t in ctx.project.resolve(name, f.path) if t in g and _known(g, t)]
                for h in holders:
                    if _node(g, h).get("kind") != "object" or _klass(g, h) != "runtime":
                        continue
                    for val in values:
                        if _klass(g, val) != "init" or (f.path, line, name) in seen:
                            continue
                        if _node(g, val).get("kind") == "object" and not value.startswith("&"):
                            continue  # `x86_pmu = amd_pmu;` copies the value, no address escapes
                        why = escape(h, member, val)
                        if why is None:
                            continue
                        seen.add((f.path, line, name))
                        user, how = why
                        trace = (*_path_to(_reach(ctx), user), val) if user in _reach(ctx) else (user, val)
                        slot = f"{target}.{member}" if member else target
                        message = (
                            f"{_what(g, sid)} ({_section(g, sid)}) stores the address of {_what(g, val)} "
                            f"({_section(g, val)}) in {slot} ({_section(g, h)}), which outlives init, and {how}: "
                            f"the pointer is used after init memory is freed"
                        )
                        yield ctx.finding(f.path, lines.span(f.path, line, name), message, symbol=name, trace=trace)


def _members_called_at_runtime(ctx: ProjectContext) -> dict[str, list[tuple[str, int]]]:
    """Struct members runtime-reachable functions call through (`x86_platform.get_wallclock()`):
    member -> [(function, line)]."""
    reach = _reach(ctx)
    out: dict[str, list[tuple[str, int]]] = {}
    for sid, defs in ctx.project.defs.items():
        if sid not in reach:
            continue
        for _, d in defs:
            for r in d.calls:
                if r.kind == "member-call":
                    out.setdefault(r.name, []).append((sid, r.line))
    return out


def _objects_read_at_runtime(ctx: ProjectContext) -> dict[str, str]:
    """Objects some runtime-reachable function references: object -> that function."""
    g = ctx.graph
    out: dict[str, str] = {}
    for u in _reach(ctx):
        for _, v, e in g.out_edges(u, data=True):
            if e.get("kind") == "ref" and v not in out and _node(g, v).get("kind") == "object":
                out[v] = u
    return out


# ---------------------------------------------------------------------------------------------
# HV304


@rule("HV304", "exit-reference", Severity.WARNING, needs="project")
def exit_reference(ctx: ProjectContext) -> Iterator[Finding]:
    """Code or data outside `.exit.*` references an `__exit` symbol, which is discarded
    when the code is built in (modpost's TEXTDATA_TO_ANY_INIT_EXIT and ANY_INIT_TO_ANY_EXIT
    rows, and its whitelist).  `module_exit(fn)` and `__exit_p(fn)` (NULL when built in) are
    the right ways to name an exit function; `EXPORT_SYMBOL()` of one is reported too.

    ## Why it matters
    Built into the kernel, `.exit.text` is thrown away at link time (or at boot): the
    reference jumps into nothing.

    ## Example
        struct platform_driver { void (*remove)(void); };
        static void __exit xen_drv_exit(void) { }
        static struct platform_driver xen_drv = { .remove = xen_drv_exit };  /* HV304 */

    ## Fix
    Use `__exit_p(fn)` in driver structures, drop `__exit` from a function that non-exit
    code needs, or call the exit path from `module_exit()` only.

        struct platform_driver { void (*remove)(void); };
        static void __exit xen_drv_exit(void) { }
        static struct platform_driver xen_drv = { .remove = __exit_p(xen_drv_exit) };
    """
    yield from _mismatch_findings(ctx, "exit")


# ---------------------------------------------------------------------------------------------
# HV305


@rule("HV305", "could-be-init", Severity.INFO, default=False, needs="project")
def could_be_init(ctx: ProjectContext) -> Iterator[Finding]:
    """A function or object used only by init code (not exported, not address-taken into
    data that outlives init, not called from assembly or through a pointer) could carry
    `__init` / `__initdata` / `__initconst`: the review's "__initdata would be good, only
    needed early in boot".  Off by default.

    Only `static` symbols are judged (every user is in their file); with `--scope all`,
    global ones too.  `inline` functions, symbols with a section annotation already, and
    symbols nobody in the scope uses are left alone.

    ## Why it matters
    Memory only init needs is kept for the whole uptime; marking it lets the kernel free it
    with the rest of init memory.

    ## Example
        static int xen_boot_mode;              /* only __init code uses it: HV305 */
        void __init xen_boot_setup(void) { xen_boot_mode = 1; }

    ## Fix
    Add the annotation the message names (at the definition and at any prototype).

        static int xen_boot_mode __initdata;
        void __init xen_boot_setup(void) { xen_boot_mode = 1; }
    """
    g = ctx.graph
    lines: _Lines = _ctx_state(ctx)["lines"]
    roles_ok = {"initcall", "setup"}
    for sid, sym in ctx.project.symbols.items():
        if sid not in g or sym.kind not in ("function", "object") or sym.section_from or sym.inline:
            continue
        if not sym.static and ctx.scope != "all":
            continue
        d = _node(g, sid)
        if _klass(g, sid) != "runtime" or d.get("runtime_root") or set(d.get("roles", ())) - roles_ok:
            continue
        if sym.section not in (".text", ".data", ".bss", ".rodata"):
            continue
        users = [(w, e) for w, _, e in g.in_edges(sid, data=True) if w != sid]
        if not users or sym.path.endswith(".h"):
            continue
        if any(not _known(g, w) or _node(g, w).get("kind") != "function" or e.get("via") for w, e in users):
            continue  # used from assembly, from data (an ops table copied at init lives on), through a pointer
        if not all(_klass(g, w) == "init" or (_node(g, w).get("inline") and _inline_only_init(g, w)) for w, _ in users):
            continue
        if sym.kind == "function" and any(e.get("kind") != "call" for _, e in users):
            continue  # its address is taken: a callback registered at init runs later
        if sym.kind == "object" and any(_escapes(ctx, lines, w, sym) for w, _ in users):
            continue
        if _in_file_macro(lines, sym.path, sym.name):
            continue  # a macro of the file uses it: its users are not all in sight
        if sym.kind == "object" and _file_scope_use(lines, sym.path, sym.name, sym.line):
            continue
        ann = _annotation_for(g, sid, const=sym.section == ".rodata")
        first = min(users, key=lambda ue: int(_node(g, ue[0]).get("line") or 0))[0]
        message = (
            f"{_what(g, sid)} ({sym.section}) is used only by init code (e.g. {_what(g, first)}, "
            f"{_section(g, first)}): mark it {ann} so that it is freed with init memory"
        )
        yield ctx.finding(sym.path, lines.span(sym.path, sym.line, sym.name), message, symbol=sym.name)


def _escapes(ctx: ProjectContext, lines: _Lines, user: str, sym: Any) -> bool:
    """Whether a function that names an object hands its address on (`&obj`, `f(obj)`,
    `ptr = obj` for an array or a structure, a `?:` choosing it): then it may outlive init.
    Scalars may be read and written; arrays and structures only indexed or accessed."""
    decl_text = lines.get(sym.path, sym.line)
    name = re.escape(sym.name)
    aggregate = re.search(name + r"\s*\[", decl_text) is not None or (
        re.match(r"\s*(?:static\s+)?(?:const\s+)?(?:struct|union)\b", decl_text) is not None
        and re.search(r"\*\s*" + name + r"\b", decl_text) is None
    )
    bad = re.compile(r"&\s*" + name + r"\b")
    safe_use = re.compile(r"\b" + name + r"\s*(?:\[|\.|->)")
    any_use = re.compile(r"(?<![\w.>])" + name + r"\b")
    for f, d in ctx.project.defs.get(user, ()):
        for ln in range(d.span.line, d.span.end_line + 1):
            text = lines.get(f.path, ln)
            if sym.name not in text:
                continue
            if bad.search(text):
                return True
            if aggregate and len(any_use.findall(text)) > len(safe_use.findall(text)):
                return True  # the bare name of an array or a structure: its address
    return False


def _in_file_macro(lines: _Lines, path: str, name: str) -> bool:
    """Whether a `#define` of the file mentions `name`."""
    lines.get(path, 1)
    word = re.compile(r"\b" + re.escape(name) + r"\b")
    inside = False
    for text in lines.cache.get(path, ()):
        start = text.lstrip().startswith("#") and "define" in text
        if (start or inside) and word.search(text):
            return True
        inside = (start or inside) and text.rstrip().endswith("\\")
    return False


def boot_order(ctx: ProjectContext) -> Any:
    """bootorder.toml's table, with the configuration's extra entry points, and with the code
    that is never linked into this architecture's vmlinux added to the images a boot path
    cannot enter (with --scope all, every other arch/ folder, tools/, scripts/...)."""
    from dataclasses import replace

    from hvlint.bootorder import load_table

    order = load_table()
    others = [f"arch/{a}/" for a in _arch_dirs(ctx.root) if a != ctx.arch]
    others += [p.rstrip("*") for p in _separate_images() if not p.startswith("arch/")]
    return replace(
        order,
        other_images=tuple(order.other_images) + tuple(others),
        paths=tuple(order.paths) + tuple(ctx.boot_paths),
    )


@lru_cache(maxsize=4)
def _arch_dirs(root: str) -> tuple[str, ...]:
    try:
        return tuple(sorted(e.name for e in os.scandir(os.path.join(root, "arch")) if e.is_dir()))
    except OSError:
        return ()


def _inline_only_init(g: Any, n: str) -> bool:
    """Whether an inline function lands only in init code: every non-init class (runtime,
    exit, .ref) is absent among the callers it is inlined into, and init code calls it."""
    classes = _inline_callers(g, n)
    return "init" in classes and not classes.keys() & {"runtime", "exit", "ref", "head"}


def _file_scope_use(lines: _Lines, path: str, name: str, line: int) -> bool:
    """Whether a file-scope macro invocation names the object (`module_param(allow_ints,
    bool, 0444)` makes it readable in sysfs after boot)."""
    lines.get(path, 1)
    word = re.compile(r"^[A-Za-z_]\w*\s*\(.*\b" + re.escape(name) + r"\b")
    return any(word.match(text) for i, text in enumerate(lines.cache.get(path, ()), 1) if i != line)


# ---------------------------------------------------------------------------------------------
# HV306


@rule("HV306", "bss-written-before-clear", Severity.WARNING, needs="project")
def bss_written_before_clear(ctx: ProjectContext) -> Iterator[Finding]:
    """A `.bss` object (no initializer, no section annotation) is written by
    boot code, assembly or C, before BSS is cleared on that boot path: the write is wiped
    out by `clear_bss()`.  The boot-order facts (which function clears BSS on which path:
    x86_64_start_kernel() on the native and PVH paths, xen_start_kernel() on Xen PV) are
    data (`linter/data/bootorder.toml`), checked against the tree.

    ## Why it matters
    The value written early silently becomes zero later: the PVH entry copies its start
    info before startup_64 clears BSS, which is why upstream keeps `pvh_start_info` out of
    `.bss`.

    ## Example
        static int early_boot_flags;
        static void __init early_setup(void) { early_boot_flags = 1; }   /* HV306 */
        void __init x86_64_start_kernel(void)
        {
                early_setup();
                clear_bss();
        }

    ## Fix
    Put the object in `.data` (`__section(".data")`, or `__initdata` if only init needs it),
    or write it after `clear_bss()`.

        static int early_boot_flags __section(".data");
        static void __init early_setup(void) { early_boot_flags = 1; }
        void __init x86_64_start_kernel(void)
        {
                early_setup();
                clear_bss();
        }
    """
    from hvlint.bootorder import bss_writes

    g = ctx.graph
    lines: _Lines = _ctx_state(ctx)["lines"]
    for w in bss_writes(g, ctx.project, boot_order(ctx), by_name=not ctx.in_tree):
        obj = _node(g, w.object)
        if obj.get("kind") == "asm":
            fix = f"move {obj['name']} out of .bss in the assembly (into a .data section)"
        else:
            fix = f'put {obj["name"]} in .data (__section(".data"), or __initdata if only init needs it)'
        message = (
            f"{_what(g, w.writer)} writes {obj['name']} (.bss) on the {w.boot_path} boot path before BSS is "
            f"cleared: the value is wiped out; {fix}"
        )
        yield ctx.finding(
            w.path, lines.span(w.path, w.line, str(obj["name"])), message, symbol=str(obj["name"]), trace=w.trace
        )
