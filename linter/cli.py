"""Command line: `hvlint [check] PATH...`, `hvlint rules`, `hvlint explain RULE`,
`hvlint sections PATH`.  The only module that prints or exits.

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from hvlint import __version__, discover, progress
from hvlint import fix as fixer
from hvlint.config import Config
from hvlint.engine import Options, RunResult, fewer_collections, run
from hvlint.errors import HvlintError
from hvlint.findings import Finding, Severity
from hvlint.registry import all_rules, get_rule
from hvlint.report import ReportInput
from hvlint.report import json as json_report
from hvlint.report import text as text_report
from hvlint.tables import table_for

if TYPE_CHECKING:
    from hvlint.review import Review

SUBCOMMANDS = ("check", "rules", "explain", "sections", "callgraph", "path", "crosscheck")
FORMATS = ("text", "json", "sarif", "github", "gitlab", "email", "html")
SECTION_FORMATS = ("text", "json")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise HvlintError(f"{self.prog}: {message}")


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="hvlint", description="Static analysis of Linux kernel sources.")
    p.add_argument("--version", action="version", version=f"hvlint {__version__}")
    sub = p.add_subparsers(dest="command")

    c = sub.add_parser("check", help="lint a kernel tree, or files/folders inside one")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--root", help="the kernel tree root (default: found above PATH)")
    c.add_argument("--format", default="text", choices=FORMATS)
    c.add_argument("--select", type=_csv, help="rules to run: ids, prefixes, names or ALL")
    c.add_argument("--config", dest="config_file", help="read this .hvlint.toml (default: found upward from PATH)")
    c.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    c.add_argument("--baseline", metavar="FILE", help="report only findings this baseline does not hold")
    c.add_argument("--write-baseline", metavar="FILE", help="record the current findings as the baseline")
    c.add_argument("--ignore", type=_csv, help="rules not to run")
    c.add_argument("--fail-on", default="warning", choices=("error", "warning", "info"))
    c.add_argument(
        "--scope", default=None, choices=("default", "all"), help="default: x86, Xen, PVH, init; all: the whole tree"
    )
    c.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: cores available)")
    c.add_argument("--arch", default="x86", help="architecture for files outside arch/ (default x86)")
    c.add_argument("--fix", action="store_true", help="apply safe fixes in place")
    c.add_argument("--unsafe-fixes", action="store_true", help="with --fix/--diff, also apply unsafe fixes")
    c.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    c.add_argument("--statistics", action="store_true", help="print a count of findings by rule")
    c.add_argument(
        "--report-unused-suppressions",
        action="store_true",
        help="report `/* hvlint: ignore[...] */` comments that silence nothing (HV902)",
    )
    c.add_argument(
        "--patch",
        metavar="FILE",
        help="review a patch: a unified diff, a mail or an mbox series ('-': stdin), applied in memory",
    )
    c.add_argument("--changed-since", metavar="REV", help="review what changed in the git work tree since REV")
    c.add_argument("--docs-url", help="base URL of the rule pages, for SARIF helpUri and HTML links")
    c.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    c.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    c.add_argument(
        "--cache-dir", metavar="DIR", help="the cache directory (default: $HVLINT_CACHE_DIR, else ~/.cache/hvlint)"
    )
    c.add_argument("--verbose", "-v", action="store_true", help="each phase on stderr with its time and memory")
    _precise_options(c)
    c.add_argument("--no-progress", action="store_true", help="no progress bar (shown on a terminal after 1 s)")
    c.add_argument("--quiet", "-q", action="store_true", help="no summary line on stderr")
    c.add_argument("--debug", action="store_true", help="tracebacks for internal errors")

    g = sub.add_parser("callgraph", help="export the call graph")
    g.add_argument("path", metavar="PATH")
    g.add_argument("--format", default="json", choices=("json", "dot", "graphml", "stats"))
    g.add_argument("--from", dest="source", action="append", help="only what SYMBOL reaches")
    g.add_argument("--to", dest="target", action="append", help="only what reaches SYMBOL")
    g.add_argument("--depth", type=int, default=None, help="at most N edges from --from/--to")
    g.add_argument("--root")
    g.add_argument("--scope", default="default", choices=("default", "all"))
    g.add_argument("--jobs", "-j", type=int, default=None)
    g.add_argument("--arch", default="x86")
    g.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    g.add_argument("--cache-dir", metavar="DIR", help="the cache directory")
    g.add_argument("--config", metavar="FILE", help="only the edges a kernel .config compiles (see `cond`)")
    _precise_options(g)

    pa = sub.add_parser("path", help="the shortest call/reference path from one symbol to another")
    pa.add_argument("source", metavar="FROM")
    pa.add_argument("target", metavar="TO")
    pa.add_argument("path", metavar="PATH")
    pa.add_argument("--root")
    pa.add_argument("--scope", default="default", choices=("default", "all"))
    pa.add_argument("--jobs", "-j", type=int, default=None)
    pa.add_argument("--arch", default="x86")
    pa.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    pa.add_argument("--cache-dir", metavar="DIR", help="the cache directory")
    pa.add_argument("--config", metavar="FILE", help="only the edges a kernel .config compiles")
    pa.add_argument("--format", default="text", choices=("text", "json"))
    _precise_options(pa)

    x = sub.add_parser("crosscheck", help="where tree-sitter and libclang disagree on the files with compile commands")
    x.add_argument("path", metavar="PATH")
    x.add_argument("--root")
    x.add_argument("--scope", default="default", choices=("default", "all"))
    x.add_argument("--jobs", "-j", type=int, default=None)
    x.add_argument("--arch", default="x86")
    x.add_argument("--format", default="text", choices=("text", "json"))
    x.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    x.add_argument("--cache-dir", metavar="DIR", help="the cache directory")
    x.add_argument("--verbose", "-v", action="store_true", help="the compile database, dropped flags, fallbacks")
    _precise_options(x)

    sub.add_parser("rules", help="list the rules")
    e = sub.add_parser("explain", help="a rule's documentation")
    e.add_argument("rule")
    s = sub.add_parser("sections", help="the section-macro table derived from the tree")
    s.add_argument("path", nargs="?", default=None)
    s.add_argument("--arch", default="x86")
    s.add_argument("--format", default="text", choices=SECTION_FORMATS)
    return p


def _precise_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--file-timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="the longest one file may take to parse; past it the file gets HV901 (default 60, 0: no limit)",
    )
    p.add_argument(
        "--compile-commands",
        metavar="FILE",
        help="precise mode: parse the files this compile_commands.json lists with libclang "
        "(default: compile_commands.json in --build-dir or at the tree root, when libclang is installed)",
    )
    p.add_argument("--build-dir", metavar="DIR", help="the tree's build folder (make O=DIR): its generated headers")
    p.add_argument("--no-compile-commands", action="store_true", help="tree-sitter only, even with a compile database")


def _open_precise(ns: argparse.Namespace, opts: Options, required: bool = False):  # type: ignore[no-untyped-def]
    """The run's precise mode (hvlint.precise), or None: asked for with --compile-commands
    or --build-dir (then a missing database or libclang is an error), else found at the root."""
    if getattr(ns, "no_compile_commands", False) and not required:
        return None
    from hvlint.engine import find_tree
    from hvlint.precise import open_precise

    root, in_tree = find_tree(opts)
    explicit = required or bool(ns.compile_commands or ns.build_dir)
    if not in_tree:
        if explicit:
            raise HvlintError("precise mode needs a kernel tree (PATH is not inside one)")
        return None
    cc = os.path.abspath(ns.compile_commands) if ns.compile_commands else None
    bd = os.path.abspath(ns.build_dir) if ns.build_dir else None
    if not explicit:
        from hvlint.frontend.clang import available, find_database

        found, why = find_database(root, None), None
        if found is not None and (why := available()) is not None:
            print(f"hvlint: note: {os.path.relpath(found)} is not used: {why}", file=sys.stderr)
    return open_precise(root, cc, bd, explicit)


def _jobs(value: int | None) -> int:
    if value is not None:
        if value < 1:
            raise HvlintError("--jobs must be at least 1")
        return value
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _cmd_rules(out: list[str]) -> int:
    for r in all_rules():
        state = "on" if r.default else "off"
        out.append(f"{r.id}  {r.name:32} {r.severity.value:8} {state:4} {r.summary}")
    return 0


def _cmd_explain(rule_id: str, out: list[str]) -> int:
    from hvlint.registry import rule_page

    out.append(rule_page(get_rule(rule_id)).rstrip("\n"))
    return 0


def _cmd_sections(path: str | None, arch: str, fmt: str, out: list[str]) -> int:
    root = discover.find_root(path) if path else None
    if path and root is None:
        raise HvlintError(f"{path}: not inside a kernel tree (needs Makefile, Kconfig, arch/, include/)")
    table = table_for(root, arch)
    entries = sorted(table.entries.values(), key=lambda e: (e.section, e.name))
    if fmt == "json":
        import json

        out.append(
            json.dumps(
                {
                    "source": table.source,
                    "arch": table.arch,
                    "section_macro": table.section_macro,
                    "section_stringify": table.section_stringify,
                    "macros": [
                        {
                            "name": e.name,
                            "section": e.section,
                            "defined_in": e.defined_in,
                            "line": e.line,
                            "extras": list(e.extras),
                            "via": list(e.via),
                            "conditions": list(e.conditions),
                        }
                        for e in entries
                    ],
                    "attributes": {k: {"macro": v[0], "args": v[1]} for k, v in sorted(table.attr_macros.items())},
                },
                indent=2,
            )
        )
        return 0
    out.append(f"# section macros for {table.arch}, {table.source}")
    spelling = (
        " (stringifies its argument: __section(.init.data), before Linux 5.10)" if table.section_stringify else ""
    )
    out.append(f"# section macro: {table.section_macro}{spelling}")
    for e in entries:
        cond = f"  [only if {' && '.join(e.conditions)}]" if e.conditions else ""
        via = f"  via {' -> '.join(e.via)}" if e.via else ""
        extras = f"  + {' '.join(e.extras)}" if e.extras else ""
        where = f"{e.defined_in}:{e.line}" if e.line else f"{e.defined_in} (configuration)"
        out.append(f"{e.name:28} {e.section:28} {where}{via}{extras}{cond}")
    return 0


def _graph(ns: argparse.Namespace):  # type: ignore[no-untyped-def]
    from hvlint import callgraph
    from hvlint.engine import build_graph, collect

    opts = Options(
        paths=[ns.path],
        root=ns.root,
        scope=ns.scope,
        jobs=_jobs(ns.jobs),
        arch=ns.arch,
        file_timeout=max(0.0, ns.file_timeout),
    )
    opts.precise = _open_precise(ns, opts)
    res = collect(opts)
    _, g, stats = build_graph(res.root, res.in_tree, res.facts, ns.arch, res.fact_keys)
    if ns.config:
        from hvlint.kconfig import load_config
        from hvlint.tables import tree_defines

        defines = tree_defines(res.root, ns.arch) if res.in_tree else {}
        local = {f.path: frozenset(f.macro_names) for f in res.facts}
        stats.compiled_out = callgraph.restrict(g, load_config(ns.config), defines, local)
    return res, g, stats


def _cmd_graph(ns: argparse.Namespace, out: list[str], err: list[str]) -> int:
    import time

    from hvlint import cache, callgraph

    t0 = time.perf_counter()
    with cache.opened(ns.no_cache, ns.cache_dir):
        res, g, stats = _graph(ns)
    seconds = time.perf_counter() - t0
    if ns.command == "path":
        sources, targets = callgraph.find(g, ns.source), callgraph.find(g, ns.target)
        hops = callgraph.shortest_path(g, sources, targets)
        if hops is None:
            err.append(f"hvlint: no path from {ns.source} to {ns.target}")
            return 1
        steps = []
        for i, n in enumerate(hops):
            data = g.nodes[n]
            via = ""
            if i:
                e = g.edges[hops[i - 1], n]
                site = e.get("via_path") or g.nodes[hops[i - 1]].get("path") or ""
                via = f"{e['kind']}" + (f" via {e['via']}" if e.get("via") else "") + f" at {site}:{e['line']}"
            steps.append({"symbol": data["name"], "path": data.get("path"), "line": data.get("line"), "edge": via})
        if ns.format == "json":
            import json

            out.append(json.dumps(steps, indent=1))
        else:
            for st in steps:
                where = f"{st['path']}:{st['line']}" if st["path"] else "(outside the scope)"
                out.append(f"{where}: {st['symbol']}" + (f"    [{st['edge']}]" if st["edge"] else ""))
        return 0
    sub = g
    if ns.source or ns.target:
        sources = [n for s in ns.source or [] for n in callgraph.find(g, s)]
        targets = [n for s in ns.target or [] for n in callgraph.find(g, s)]
        sub = callgraph.cut(g, sources or None, targets or None, ns.depth)
    if ns.format == "json":
        out.append(callgraph.to_json(sub).rstrip("\n"))
    elif ns.format == "dot":
        out.append(callgraph.to_dot(sub).rstrip("\n"))
    elif ns.format == "graphml":
        out.append(callgraph.to_graphml(sub).rstrip("\n"))
    else:
        out.append(_graph_stats(sub, stats, len(res.files), seconds))
    return 0


def _graph_stats(g, stats, files: int, seconds: float) -> str:  # type: ignore[no-untyped-def]
    nodes = Counter(d["kind"] for _, d in g.nodes(data=True))
    external = sum(1 for n in g if str(n).startswith("::"))
    edges = Counter(d["kind"] for _, _, d in g.edges(data=True))
    via = sum(1 for _, _, d in g.edges(data=True) if d.get("via"))
    conditional = sum(1 for _, _, d in g.edges(data=True) if d.get("cond"))
    lines = [
        f"files: {files}, seconds: {seconds:.2f}",
        f"nodes: {g.number_of_nodes()} ({', '.join(f'{k} {v}' for k, v in sorted(nodes.items()))}; {external} outside the scope)",
        f"edges: {g.number_of_edges()} ({', '.join(f'{k} {v}' for k, v in sorted(edges.items()))}; {via} through members or registrations; {conditional} under an #if condition"
        + (f"; {stats.compiled_out} left out by --config" if stats.compiled_out is not None else "")
        + ")",
        *(
            [f"edges of {stats.files_replayed} files from the cache, of {stats.files_worked_out} worked out"]
            if stats.files_replayed is not None
            else []
        ),
        f"entries: {', '.join(sorted(d['name'] for _, d in g.nodes(data=True) if d.get('entry')))}",
        "runtime roots: "
        + ", ".join(
            f"{k} {v}"
            for k, v in Counter(
                "address stored in data that outlives init"
                if str(d["runtime_root"]).startswith("address stored in")
                else str(d["runtime_root"])
                for _, d in g.nodes(data=True)
                if d.get("runtime_root")
            ).most_common()
        ),
        "unresolved callees:",
    ]
    for reason, n in stats.unresolved.most_common():
        lines.append(f"  {n:7}  {reason}")
    lines.append(
        "most frequent unresolved names: " + ", ".join(f"{k} ({v})" for k, v in stats.unresolved_names.most_common(15))
    )
    return "\n".join(lines)


def _fails(findings: list[Finding], fail_on: str) -> bool:
    threshold = Severity(fail_on).rank
    return any(f.severity.rank >= threshold for f in findings)


def _summary(res: RunResult, findings: list[Finding], fixed: int, review_: Review | None = None) -> str:
    fixable = sum(1 for f in findings if f.fix is not None and f.fix.safe)
    parts = []
    if findings:
        by_rule = ", ".join(f"{r} {n}" for r, n in sorted(Counter(f.rule for f in findings).items()))
        parts.append(f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} ({by_rule})")
    else:
        parts.append("All checks passed!")
    if review_ is not None:
        kept = set(map(id, findings))
        on = sum(1 for f in review_.on_lines if id(f) in kept)
        mails = sum(1 for m in review_.applied.messages if m.patch is not None)
        parts.append(
            f"{on} on the change's lines, {len(findings) - on} caused elsewhere; "
            f"{len(review_.applied.changes)} files changed" + (f" by {mails} patches" if mails > 1 else "")
        )
    if fixed:
        parts.append(f"fixed {fixed}")
    elif fixable and review_ is None:
        parts.append(f"{fixable} fixable with --fix")
    seconds = res.seconds + (review_.before_seconds if review_ is not None else 0.0)
    parts.append(f"{len(res.files)} files, {res.parse_errors} with parse errors, {seconds:.2f}s")
    return " | ".join(parts)


def _report_input(res: RunResult, findings: list[Finding], docs_url: str | None) -> ReportInput:
    from hvlint.discover import read_source

    cache: dict[str, list[str]] = {}

    def source(rel: str) -> list[str]:
        if rel not in cache:
            data = read_source(res.root, rel).data
            # Only "\n" (or CRLF) ends a line, as for the compiler: splitlines() would also split at
            # form feeds and other control characters and shift the line numbers.
            text = data.decode("utf-8", "replace") if data else ""
            cache[rel] = [ln.removesuffix("\r") for ln in text.split("\n")] if text else []
        return cache[rel]

    return ReportInput(
        root=res.root,
        findings=findings,
        files=len(res.files),
        parse_errors=res.parse_errors,
        seconds=res.seconds,
        source=source,
        docs_url=docs_url,
    )


def _cmd_check(ns: argparse.Namespace, out: list[str], err: list[str]) -> int:
    from hvlint import config

    found = ns.config_file or config.find(ns.paths[0] if ns.paths else ".")
    cfg = config.load(found) if found and not ns.isolated else config.Config()
    opts = Options(
        paths=ns.paths,
        root=ns.root,
        scope=ns.scope if ns.scope is not None else (cfg.scope or "default"),
        select=ns.select or cfg.select,
        ignore=(cfg.ignore + (ns.ignore or [])) or None,
        jobs=_jobs(ns.jobs),
        arch=ns.arch,
        debug=ns.debug,
        report_unused_suppressions=ns.report_unused_suppressions,
        progress=progress.for_stream(sys.stderr, quiet=ns.quiet or ns.no_progress, verbose=ns.verbose),
        section_macros=cfg.section_macros,
        config_file=cfg.path or "",
        entry_points=cfg.entry_points,
        file_timeout=max(0.0, ns.file_timeout),
    )
    from hvlint import cache

    opts.precise = _open_precise(ns, opts)
    with cache.opened(ns.no_cache, ns.cache_dir):
        return _check(ns, cfg, opts, out, err)


def _check(ns: argparse.Namespace, cfg: Config, opts: Options, out: list[str], err: list[str]) -> int:
    review_ = None
    if ns.format == "email" and not (ns.patch or ns.changed_since):
        raise HvlintError("--format email replies to a patch: give --patch FILE (or --changed-since REV)")
    try:
        if ns.patch or ns.changed_since:
            review_ = _review(ns, opts, err)
            res = review_.result
        else:
            res = run(opts)
    finally:
        opts.progress.close()
    try:
        return _report(ns, cfg, opts, res, review_, out, err)
    finally:
        if review_ is not None:
            from hvlint import review

            review.finish()


def _review(ns: argparse.Namespace, opts: Options, err: list[str]) -> Review:
    from hvlint import patch, review
    from hvlint.engine import find_tree

    if ns.patch and ns.changed_since:
        raise HvlintError("--patch and --changed-since cannot be used together")
    for flag, on in (("--fix", ns.fix), ("--diff", ns.diff), ("--write-baseline", ns.write_baseline)):
        if on:
            raise HvlintError(
                f"{flag} cannot be combined with --patch/--changed-since (the change is reviewed in memory)"
            )
    root, in_tree = find_tree(opts)
    if not in_tree:
        raise HvlintError("--patch and --changed-since need PATH inside a kernel tree")
    if ns.patch:
        applied = patch.apply(root, patch.load(ns.patch))
    else:
        applied = review.changed_since(root, ns.changed_since)
    for note in applied.notes:
        err.append(f"hvlint: note: {note}")
    if not applied.changes:
        err.append("hvlint: note: the change leaves every file of the tree as it was")
    return review.review(opts, applied, after_on_disk=bool(ns.changed_since))


def _report(
    ns: argparse.Namespace,
    cfg: Config,
    opts: Options,
    res: RunResult,
    review_: Review | None,
    out: list[str],
    err: list[str],
) -> int:
    findings = cfg.apply(res.findings)
    if ns.write_baseline:
        from hvlint import baseline

        n = baseline.write(ns.write_baseline, res.root, findings)
        err.append(f"hvlint: wrote {n} finding{'s' if n != 1 else ''} to the baseline {ns.write_baseline}")
        return 0
    if ns.baseline:
        from hvlint import baseline

        findings = baseline.apply(ns.baseline, res.root, findings)
    fixed_count = 0
    if ns.fix or ns.diff:
        chosen = fixer.choose(findings, ns.unsafe_fixes)
        outcomes = fixer.compute(res.root, chosen)
        if ns.diff:
            out.append(fixer.unified_diff(outcomes).rstrip("\n"))
        else:
            outcomes = fixer.write(res.root, outcomes)
            fixed_count = sum(len(o.applied) for o in outcomes)
            changed = {o.path for o in outcomes if o.applied and o.error is None}
            if changed:
                # Report what the files hold now: one edit can settle several findings.
                paths = [os.path.join(res.root, p) for p in sorted(changed)]
                if res.in_tree:
                    again = run(replace(opts, paths=paths, root=res.root))
                else:
                    again = run(replace(opts, paths=paths, base=res.root))
                findings = sorted(
                    [f for f in findings if f.path not in changed] + cfg.apply(again.findings), key=Finding.sort_key
                )
        for o in outcomes:
            if o.error:
                err.append(f"hvlint: {o.path}: {o.error}")
    if not ns.diff:
        if ns.format == "json":
            out.append(
                json_report.render(
                    findings,
                    root=res.root,
                    files=len(res.files),
                    parse_errors=res.parse_errors,
                    seconds=res.seconds,
                    front_ends=(
                        {"libclang": len(opts.precise.libclang), "tree-sitter": len(opts.precise.tree_sitter)}
                        if opts.precise is not None
                        else None
                    ),
                ).rstrip("\n")
            )
        elif ns.format == "gitlab":
            from hvlint.report import gitlab

            out.append(gitlab.render(res.root, findings).rstrip("\n"))
        elif ns.format == "github":
            from hvlint.report import github

            rendered = github.render(findings).rstrip("\n")
            if rendered:
                out.append(rendered)
        elif ns.format == "email":
            from hvlint.report import email as email_report

            assert review_ is not None
            out.append(email_report.render(_report_input(res, findings, ns.docs_url or cfg.docs_url), review_))
        elif ns.format in ("sarif", "html"):
            import importlib

            module = importlib.import_module(f"hvlint.report.{ns.format}")
            out.append(module.render(_report_input(res, findings, ns.docs_url or cfg.docs_url)).rstrip("\n"))
        else:
            rendered = text_report.render(findings, colour=text_report.use_colour(sys.stdout)).rstrip("\n")
            if rendered:
                out.append(rendered)
    if ns.statistics:
        for rule_id, n in sorted(Counter(f.rule for f in findings).items()):
            err.append(f"{n:6}  {rule_id}")
    if opts.precise is not None and ns.verbose:
        err.extend(f"hvlint: {line}" for line in opts.precise.details())
    if opts.precise is not None and not ns.quiet:
        err.append(opts.precise.summary())
    if not ns.quiet:
        err.append(_summary(res, findings, fixed_count, review_))
    if ns.output:
        _write_output(ns.output, out)
    return 1 if _fails(findings, ns.fail_on) else 0


def _cmd_crosscheck(ns: argparse.Namespace, out: list[str], err: list[str]) -> int:
    """Both front ends over the files with compile commands: where they disagree."""
    import json

    from hvlint import cache, crosscheck, precise
    from hvlint.engine import build_graph, collect

    opts = Options(
        paths=[ns.path],
        root=ns.root,
        scope=ns.scope,
        jobs=_jobs(ns.jobs),
        arch=ns.arch,
        file_timeout=max(0.0, ns.file_timeout),
    )
    p = _open_precise(ns, opts, required=True)
    with cache.opened(ns.no_cache, ns.cache_dir):
        res = collect(opts)  # tree-sitter alone
        _, g_ts, _ = build_graph(res.root, res.in_tree, res.facts, ns.arch, res.fact_keys)
        merged = precise.apply(p, res.root, res.facts, opts.jobs)
        _, g_lc, _ = build_graph(res.root, res.in_tree, merged, ns.arch, None)
    rep = crosscheck.compare(g_ts, g_lc, p.libclang)
    rep.member_calls = crosscheck.member_calls({k: v for k, v in p.views.items() if k in p.libclang})
    if ns.verbose:
        err.extend(f"hvlint: {line}" for line in p.details())
    if ns.format == "json":
        out.append(json.dumps(crosscheck.render_json(rep, p.summary()), indent=2))
    else:
        out.extend(crosscheck.render_text(rep, p.summary()))
    return 0


def _write_output(path: str, out: list[str]) -> None:
    """`--output FILE`: the report goes to FILE (written whole, then renamed into place)."""
    text = "\n".join(out) + "\n" if out else ""
    tmp = f"{path}.hvlint-tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise HvlintError(f"cannot write {path}: {exc.strerror or exc}") from exc
    out.clear()


def main(argv: Sequence[str] | None = None) -> int:
    fewer_collections()
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] not in SUBCOMMANDS and args[0] not in ("-h", "--help", "--version"):
        args.insert(0, "check")
    out: list[str] = []
    err: list[str] = []
    debug = "--debug" in args
    try:
        ns = _build_parser().parse_args(args)
        if ns.command is None:
            _build_parser().print_help()
            return 2
        if ns.command == "rules":
            code = _cmd_rules(out)
        elif ns.command == "explain":
            code = _cmd_explain(ns.rule, out)
        elif ns.command == "sections":
            code = _cmd_sections(ns.path, ns.arch, ns.format, out)
        elif ns.command in ("callgraph", "path"):
            code = _cmd_graph(ns, out, err)
        elif ns.command == "crosscheck":
            code = _cmd_crosscheck(ns, out, err)
        else:
            code = _cmd_check(ns, out, err)
    except HvlintError as exc:
        _flush(out, err)
        print(f"hvlint: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("hvlint: interrupted", file=sys.stderr)
        return 2
    except SystemExit as exc:  # argparse --help / --version
        return int(exc.code or 0) if isinstance(exc.code, int) else 0
    except Exception as exc:  # the last line of defence: one line, exit 2
        if debug:
            traceback.print_exc()
        cause = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        print(f"hvlint: internal error: {cause} (run with --debug for details)", file=sys.stderr)
        return 2
    _flush(out, err)
    return code


def _flush(out: list[str], err: list[str]) -> None:
    try:
        if out:
            sys.stdout.write("\n".join(out) + "\n")
            sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    for line in err:
        print(line, file=sys.stderr)


def entry() -> None:
    """The `hvlint` command: main(), then out of the process at once.  Everything is written
    and closed by then (reports, the cache, the workers); what is left is freeing the run's
    millions of objects one by one, a tenth of a warm run spent on nothing."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the reader went away, or the stream is closed
            pass
    os._exit(code)


if __name__ == "__main__":
    entry()
