"""paravirt_enabled misuse (HV101-HV103): guest types told apart through an imprecise flag,
and hypervisor-type queries made before the hypervisor is known.

From the LKML review of the Xen HVMlite/PVH boot patch (2016): a new guest type set
`pv_info.paravirt_enabled = 1` so that code elsewhere would treat it like a PV guest; the
reviewers answered that paravirt_enabled() is an imprecise question being removed, that
each user must ask the precise one (for the RTC: `x86_platform.legacy.rtc`), and that the
hypervisor type is only known after `init_hypervisor_platform()` in `setup_arch()`.
Kernels since 4.7 have no paravirt_enabled; vendor trees, backports and patches against
older trees still do, and the boot-order mistake is timeless.  The context -> question map
and the query timing are data: linter/data/paravirt.toml.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hvlint.datafiles import load_toml
from hvlint.errors import HvlintError
from hvlint.facts import Decl, FileFacts, span_at
from hvlint.findings import Finding, Severity
from hvlint.registry import FileContext, ProjectContext, rule


@dataclass(frozen=True, slots=True)
class Context:
    name: str
    words: tuple[str, ...]
    action: str
    suggest: str
    upstream: str


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    kind: str
    answer: str


@dataclass(frozen=True, slots=True)
class ParavirtData:
    set_effects: str
    set_instead: str
    contexts: tuple[Context, ...]
    generic: str
    init_function: str
    init_file: str
    init_call: str
    queries: tuple[Query, ...]
    early_valid: frozenset[str]


@lru_cache(maxsize=1)
def data() -> ParavirtData:
    doc = load_toml("paravirt.toml")
    try:
        contexts = tuple(
            Context(
                str(c["name"]),
                tuple(str(w).lower() for w in c["words"]),
                str(c["action"]),
                str(c["suggest"]),
                str(c["upstream"]),
            )
            for c in doc["context"]
        )
        queries = tuple(Query(str(q["name"]), str(q["kind"]), str(q["answer"])) for q in doc["query"])
        init = doc["hypervisor_init"]
        out = ParavirtData(
            str(doc["set_effects"]),
            str(doc["set_instead"]),
            contexts,
            str(doc["generic"]["suggest"]),
            str(init["function"]),
            str(init["file"]),
            str(init["call"]),
            queries,
            frozenset(str(n) for n in doc.get("early_valid", [])),
        )
    except (KeyError, TypeError) as exc:
        raise HvlintError(f"hvlint/data/paravirt.toml: bad or missing key {exc}") from exc
    if any(c.action not in ("replace", "delete") for c in contexts):
        raise HvlintError("hvlint/data/paravirt.toml: a context's action must be replace or delete")
    return out


# ---------------------------------------------------------------------------------------------
# reading the source: comments and strings blanked, same offsets

_NOISE = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', re.S)
_SET = re.compile(
    r"\bpv_info\s*(?:\.|->)\s*paravirt_enabled\s*(?:=(?!=)|[-+*/|&^]=|\+\+|--)"
    r"|(?:\+\+|--)\s*pv_info\s*(?:\.|->)\s*paravirt_enabled\b"
    r"|(?<![\w>])\.\s*paravirt_enabled\s*=(?!=)"
)
_TEST = re.compile(r"\bparavirt_enabled\s*\(\s*\)|\bpv_info\s*(?:\.|->)\s*paravirt_enabled\b")
_DEFINE_LINE = re.compile(r"^[ \t]*#")
_ZERO = re.compile(r"\s*0\s*[,;}]")


def _blank(text: str) -> str:
    return _NOISE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def _source(ctx: FileContext) -> str | None:
    f = ctx.facts
    if f.lang != "c" or not f.size:
        return None
    text = ctx.text(span_at([0], 0, f.size))
    if "paravirt_enabled" not in text:
        return None
    return _blank(text)


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _function_at(f: FileFacts, line: int) -> Decl | None:
    best = None
    for d in f.decls:
        if d.kind == "function" and d.is_definition and d.span.line <= line <= d.span.end_line:
            if best is None or d.span.line > best.span.line:
                best = d
    return best


def _is_accessor(f: FileFacts, text: str, starts: list[int], pos: int) -> bool:
    """The accessor itself (`static inline int paravirt_enabled(void) { return
    pv_info.paravirt_enabled; }`, `#define paravirt_enabled() 0`), not a use."""
    line = bisect.bisect_right(starts, pos)
    row = text[starts[line - 1] : starts[line] if line < len(starts) else len(text)]
    if _DEFINE_LINE.match(row):
        return True
    fn = _function_at(f, line)
    return fn is not None and fn.name == "paravirt_enabled"


# ---------------------------------------------------------------------------------------------
# HV101


@rule("HV101", "paravirt-enabled-set", Severity.WARNING)
def paravirt_enabled_set(ctx: FileContext) -> Iterator[Finding]:
    """Code sets `pv_info.paravirt_enabled` (an assignment, a compound assignment, or the
    `.paravirt_enabled = ...` designated initializer of a `struct pv_info`) so that code
    elsewhere treats the guest as paravirtualized.

    paravirt_enabled() never said what a guest lacks; each of its users guessed.  Kernels
    since 4.7 do not have it; vendor trees and backports still do.

    ## Why it matters
    Setting it changes unrelated decisions at once: the RTC, EBDA, PnP BIOS, APM, the F00F
    workaround, the microcode loader, and on 32-bit the espfix decision (CVE-2014-8134).

    ## Example
        struct pv_info { int paravirt_enabled; };
        struct pv_info pv_info;
        void xen_hvmlite_init(void) { pv_info.paravirt_enabled = 1; }   /* HV101 */

    ## Fix
    Describe the platform through the precise interface in the guest's init.

        struct legacy { int rtc; };
        struct x86_platform_ops { struct legacy legacy; } x86_platform;
        void xen_hvmlite_init(void) { x86_platform.legacy.rtc = 0; }
    """
    text = _source(ctx)
    if text is None:
        return
    d = data()
    starts = _line_starts(text)
    for m in _SET.finditer(text):
        if _is_accessor(ctx.facts, text, starts, m.start()) or _ZERO.match(text, m.end()):
            continue  # the accessor itself, or the native default `.paravirt_enabled = 0`
        at = text.find("paravirt_enabled", m.start())
        message = f"sets pv_info.paravirt_enabled to tell the guest type: {d.set_effects}; {d.set_instead}"
        yield ctx.finding(span_at(starts, at, at + len("paravirt_enabled")), message, symbol="paravirt_enabled")


# ---------------------------------------------------------------------------------------------
# HV102


def _guarded(text: str, pos: int) -> str:
    """The code a test at `pos` decides: from the start of its line to the end of the
    statement it guards (a braced block, or up to the next `;`), at most 12 lines."""
    start = text.rfind("\n", 0, pos) + 1
    limit = start
    for _ in range(12):
        nxt = text.find("\n", limit + 1)
        if nxt < 0:
            limit = len(text)
            break
        limit = nxt
    depth = 0
    i = pos
    while i < limit:
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth <= 0:
                return text[start : i + 1]
        elif c == ";" and depth == 0:
            return text[start : i + 1]
        i += 1
    return text[start:limit]


def choose_context(path: str, function: str, code: str) -> Context | None:
    """The context a test stands in: the data's entry with the most matching words (in the
    path, the function's name, the guarded code), None when nothing matches."""
    haystack = f"{path}\n{function}\n{code}".lower()
    best: tuple[int, int, Context] | None = None
    for i, c in enumerate(data().contexts):
        # whole words or identifier parts (`add_rtc_cmos`), not substrings (`hyperv` in `hypervisor`)
        score = sum(1 for w in c.words if re.search(r"(?<![a-z0-9])" + re.escape(w) + r"(?![a-z0-9])", haystack))
        if score and (best is None or score > best[0]):
            best = (score, -i, c)
    return best[2] if best else None


@rule("HV102", "paravirt-enabled-test", Severity.WARNING)
def paravirt_enabled_test(ctx: FileContext) -> Iterator[Finding]:
    """Code decides on `paravirt_enabled()` or reads `pv_info.paravirt_enabled` instead of
    asking the precise question.  The message names the question for what the code around
    the test decides (RTC/CMOS -> `x86_platform.legacy.rtc`, EBDA ->
    `x86_platform.legacy.reserve_bios_regions`, PnP BIOS -> `arch_pnpbios_disabled()`,
    Xen-PV-only paths -> `xen_pv_domain()`, ...) and says when upstream simply deleted the
    test (APM, tboot, the F00F quirk, dump_pagetables, microcode): the map is data
    (linter/data/paravirt.toml), keyed on the file, the function and the guarded code.

    ## Why it matters
    "Is this a paravirt guest?" is not "is there a CMOS RTC?": the answer is wrong for
    HVM/PVH guests, for Xen dom0, and for bare-metal platforms without the legacy device.

    ## Example
        int paravirt_enabled(void);
        static int add_rtc_cmos(void)
        {
                if (paravirt_enabled())   /* HV102 */
                        return -19;
                return 0;
        }

    ## Fix
    Ask the precise question (here the RTC legacy flag).

        struct legacy { int rtc; };
        struct x86_platform_ops { struct legacy legacy; } x86_platform;
        static int add_rtc_cmos(void)
        {
                if (!x86_platform.legacy.rtc)
                        return -19;
                return 0;
        }
    """
    text = _source(ctx)
    if text is None:
        return
    starts = _line_starts(text)
    sets = {m.start() for m in _SET.finditer(text)}
    for m in _TEST.finditer(text):
        if m.start() in sets or _is_accessor(ctx.facts, text, starts, m.start()):
            continue
        line = bisect.bisect_right(starts, m.start())
        fn = _function_at(ctx.facts, line)
        fname = fn.name if fn is not None else ""
        c = choose_context(ctx.facts.path, fname, _guarded(text, m.start()))
        what = "paravirt_enabled()" if "(" in m.group() else "pv_info.paravirt_enabled"
        where = f"{fname}() " if fname else ""
        if c is None:
            message = f"{where}decides on {what}, an imprecise question removed in 4.7: ask {data().generic}"
        elif c.action == "delete":
            message = (
                f"{where}decides on {what} ({c.name}): upstream deleted this test, the precise condition is "
                f"handled elsewhere: {c.upstream}"
            )
        else:
            message = f"{where}decides on {what} ({c.name}): ask {c.suggest} instead; {c.upstream}"
        yield ctx.finding(span_at(starts, m.start(), m.end()), message, symbol=what.rstrip("()"))


# ---------------------------------------------------------------------------------------------
# HV103


def _call_line(project: Any, fid: str, callee: str) -> int | None:
    lines = [r.line for _, d in project.defs.get(fid, ()) for r in d.calls if r.name == callee]
    return min(lines) if lines else None


def before_hypervisor_init(ctx: ProjectContext) -> dict[str, tuple[dict[str, str | None], dict[str, int]]]:
    """For each boot path of bootorder.toml: the functions that run before
    init_hypervisor_platform() (each with its predecessor from the entry) and where the walk
    stops inside a function (node -> first line that runs after): in setup_arch(), the line
    that calls init_hypervisor_platform(); in the function that calls setup_arch()
    (start_kernel()), the lines after that call."""
    from hvlint.bootorder import _loose, walk
    from hvlint.rules.lifetime import boot_order

    d = data()
    g, project = ctx.graph, ctx.project
    order = boot_order(ctx)
    setup = [f"{d.init_file}::{d.init_function}"] if ctx.in_tree else project.named(d.init_function)
    stops: dict[str, int] = {}
    for sid in setup:
        line = _call_line(project, sid, d.init_call)
        if line is not None:
            stops[sid] = line
        for caller, _, e in g.in_edges(sid, data=True) if sid in g else ():
            if e.get("kind") == "call" and not e.get("via"):
                at = _call_line(project, caller, d.init_function)
                if at is not None:
                    stops[caller] = min(stops.get(caller, at + 1), at + 1)
    out: dict[str, tuple[dict[str, str | None], dict[str, int]]] = {}
    for path in order.paths:
        if not ctx.in_tree:
            path = _loose(project, path)
        start = path.entry_id if path.entry_id in g else (setup[0] if not ctx.in_tree and setup else None)
        if start is None:
            continue
        parent = walk(g, project, start, stops, order)
        if not parent:
            continue
        out[path.name] = (parent, stops)
    return out


@rule("HV103", "hypervisor-query-before-init", Severity.WARNING, needs="project")
def hypervisor_query_before_init(ctx: ProjectContext) -> Iterator[Finding]:
    """A hypervisor-type query (`hypervisor_is_type()`, `x86_hyper_type`,
    `paravirt_enabled()`) reachable from a boot entry before `init_hypervisor_platform()`
    has run: on the boot paths into `start_kernel()`, and in `setup_arch()` before the
    statement that calls `init_hypervisor_platform()`.  Queries valid early (`xen_domain()`,
    `xen_pv_domain()`: set by the Xen entry points before C code runs) are not flagged; which
    query is valid from where is data (linter/data/paravirt.toml).  The `trace` shows the
    boot path.

    ## Why it matters
    Before `init_hypervisor_platform()` the hypervisor type reads `X86_HYPER_NATIVE`: the
    code takes the bare-metal branch in a guest, silently.

    ## Example
        void __init init_hypervisor_platform(void);
        int hypervisor_is_type(int t);
        void __init setup_arch(char **cmdline_p)
        {
                if (hypervisor_is_type(5))   /* HV103 */
                        cmdline_p = 0;
                init_hypervisor_platform();
        }

    ## Fix
    Move the query after `init_hypervisor_platform()`, or ask a question valid that early.

        void __init init_hypervisor_platform(void);
        int hypervisor_is_type(int t);
        void __init setup_arch(char **cmdline_p)
        {
                init_hypervisor_platform();
                if (hypervisor_is_type(5))
                        cmdline_p = 0;
        }
    """
    from hvlint.bootorder import _trace

    d = data()
    project = ctx.project
    queries = {q.name: q for q in d.queries}
    seen: set[tuple[str, int, str]] = set()
    for path_name, (parent, stops) in before_hypervisor_init(ctx).items():
        for fn in parent:
            until = stops.get(fn)
            for f, decl in project.defs.get(fn, ()):
                if f.lang != "c" or decl.name in queries or decl.name in d.early_valid:
                    continue  # the query's own definition (an accessor) is no use of it
                for r in (*decl.calls, *decl.refs):
                    q = queries.get(r.name)
                    if q is None or (q.kind == "call") != (r.kind == "call"):
                        continue
                    if until is not None and r.line >= until:
                        continue
                    key = (f.path, r.line, r.name)
                    if key in seen:
                        continue
                    seen.add(key)
                    trace = _trace(parent, fn)
                    what = f"{r.name}()" if q.kind == "call" else r.name
                    message = (
                        f"{decl.name}() asks {what} before {d.init_call}() has run on the {path_name} boot path "
                        f"(it is called in {d.init_function}(), {d.init_file}): the answer is {q.answer}; move the "
                        f"query after it, or ask a question valid this early"
                    )
                    yield ctx.finding(f.path, _span(ctx, f.path, r.line, r.name), message, symbol=r.name, trace=trace)


def _span(ctx: ProjectContext, path: str, line: int, name: str) -> Any:
    from hvlint.rules.lifetime import _ctx_state

    return _ctx_state(ctx)["lines"].span(path, line, name)  # the run's one cache of source lines
