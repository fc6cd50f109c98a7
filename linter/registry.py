"""Rules as small declared units: the `Rule` record, the `@rule` decorator, discovery and
select/ignore.

Built-in rules live in the `hvlint.rules` package (one module per family) and are found by
scanning it; rule packs installed separately register modules under the entry-point group
`hvlint.rules`.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

from hvlint.errors import HvlintError
from hvlint.facts import Annotation, FileFacts, Span
from hvlint.findings import Finding, Fix, Severity, TraceStep
from hvlint.tables import SectionTable

RuleFunc = Callable[[Any], Iterator[Finding]]  # FileContext, or ProjectContext for needs="project"
_ID = re.compile(r"^HV\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    default: bool
    needs: str
    func: RuleFunc
    doc: str

    @property
    def summary(self) -> str:
        """The docstring's first paragraph, on one line."""
        first = _dedent(self.doc).split("\n\n", 1)[0]
        return " ".join(first.split()) or self.name

    def section(self, title: str) -> str:
        """The text under `## title` in the rule's docstring."""
        return doc_section(self.doc, title)


def doc_section(doc: str, title: str) -> str:
    lines = _dedent(doc).splitlines()
    out: list[str] = []
    inside = False
    for line in lines:
        if line.startswith("## "):
            inside = line[3:].strip().lower() == title.lower()
            continue
        if inside:
            out.append(line)
    return "\n".join(out).strip("\n")


def _dedent(doc: str) -> str:
    import inspect

    return inspect.cleandoc(doc)


_RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, name: str, severity: Severity, *, default: bool = True, needs: str = "file"
) -> Callable[[RuleFunc], RuleFunc]:
    """Declare a rule.  The docstring is its user documentation."""
    if not _ID.match(rule_id) or not _NAME.match(name):
        raise ValueError(f"bad rule id/name: {rule_id} {name}")
    if needs not in ("file", "project"):
        raise ValueError(f"{rule_id}: needs must be 'file' or 'project'")

    def wrap(func: RuleFunc) -> RuleFunc:
        if rule_id in _RULES and _RULES[rule_id].func is not func:
            raise ValueError(f"rule {rule_id} declared twice")
        _RULES[rule_id] = Rule(rule_id, name, severity, default, needs, func, func.__doc__ or "")
        return func

    return wrap


_LOADED = False


def all_rules() -> list[Rule]:
    """Every known rule, sorted by id (imports the built-in and installed rule modules once)."""
    global _LOADED
    if not _LOADED:
        import hvlint.rules as pkg

        for info in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + "."):
            importlib.import_module(info.name)
        for ep in entry_points(group="hvlint.rules"):
            ep.load()
        _LOADED = True
    return [_RULES[k] for k in sorted(_RULES)]


def get_rule(rule_id: str) -> Rule:
    rules = {r.id: r for r in all_rules()}
    by_name = {r.name: r for r in rules.values()}
    key = rule_id.strip()
    if key.upper() in rules:
        return rules[key.upper()]
    if key in by_name:
        return by_name[key]
    raise HvlintError(f"unknown rule '{rule_id}' (see 'hvlint rules')")


def _expand(codes: list[str], rules: list[Rule]) -> set[str]:
    out: set[str] = set()
    for code in codes:
        code = code.strip()
        if not code:
            continue
        if code.upper() == "ALL":
            out.update(r.id for r in rules)
            continue
        matched = [r.id for r in rules if r.id.startswith(code.upper()) or r.name == code]
        if not matched:
            raise HvlintError(f"unknown rule or prefix '{code}' (see 'hvlint rules')")
        out.update(matched)
    return out


def select_rules(select: list[str] | None, ignore: list[str] | None) -> list[Rule]:
    """The rules to run: `select` (ids, prefixes such as HV2, names, or ALL; default: the
    rules on by default) minus `ignore`."""
    rules = all_rules()
    chosen = _expand(select, rules) if select else {r.id for r in rules if r.default}
    chosen -= _expand(ignore or [], rules)
    return [r for r in rules if r.id in chosen]


@dataclass
class FileContext:
    """What a file rule sees: the file's facts, the section table for its architecture, and
    helpers to make findings and fixes."""

    facts: FileFacts
    table_provider: Callable[[], SectionTable]
    text: Callable[[Span], str]
    rule: Rule | None = None
    # Compiled as user-space code (host programs, UML user objects, uapi headers): the
    # kernel's own macros such as `__section()` are not available there.
    userspace: bool = False
    _table: SectionTable | None = field(default=None, repr=False)

    @property
    def table(self) -> SectionTable:
        if self._table is None:
            self._table = self.table_provider()
        return self._table

    def finding(self, span: Span, message: str, *, symbol: str | None = None, fix: Fix | None = None) -> Finding:
        r = self.rule
        assert r is not None
        return Finding(r.id, r.name, r.severity, self.facts.path, span, message, symbol, fix)

    def replace(self, span: Span, replacement: str, *, safe: bool = True) -> Fix:
        return Fix(replacement, span, self.text(span), safe)

    def owner_name(self, ann: Annotation) -> str | None:
        d = self.facts.owner_of(ann)
        return d.name if d is not None else ann.in_macro


@dataclass
class ProjectContext:
    """What a project rule (`needs="project"`) sees: every file's facts, the project model
    (symbols, sections, name resolution) and the call graph over them, and helpers to make
    findings whose `trace` is a path in that graph."""

    root: str
    in_tree: bool
    facts: list[FileFacts]
    project: Any  # hvlint.model.Project
    graph: Any  # the networkx DiGraph of hvlint.callgraph.build
    scope: str = "default"
    arch: str = "x86"
    rule: Rule | None = None
    boot_paths: tuple[Any, ...] = ()  # the configuration's extra entry points (bootorder.BootPath)

    def finding(
        self,
        path: str,
        span: Span,
        message: str,
        *,
        symbol: str | None = None,
        trace: tuple[str, ...] = (),
        fix: Fix | None = None,
    ) -> Finding:
        r = self.rule
        assert r is not None
        return Finding(r.id, r.name, r.severity, path, span, message, symbol, fix, self.trace(trace))

    def trace(self, nodes: tuple[str, ...]) -> tuple[TraceStep, ...]:
        """Graph node ids -> trace steps (symbol, path, line), root first."""
        out = []
        for n in nodes:
            d = self.graph.nodes[n]
            out.append(TraceStep(str(d.get("name")), str(d.get("path") or ""), int(d.get("line") or 0)))
        return tuple(out)


def rule_docs(r: Rule) -> dict[str, Any]:
    return {
        "what": r.summary,
        "why": r.section("Why it matters"),
        "example": r.section("Example"),
        "fix": r.section("Fix"),
    }


def rule_page(r: Rule) -> str:
    """A rule's documentation page (`hvlint explain`, docs/rules/<ID>.md): what it finds, why
    it matters, an example, the fix, and how to suppress it."""
    state = "on by default" if r.default else "off by default (select it with --select)"
    return (
        f"# {r.id} {r.name}\n\n"
        f"Severity: {r.severity.value}, {state}.\n\n"
        f"{_dedent(r.doc)}\n\n"
        "## Suppress\n\n"
        f"On one line (or the line before it): `/* hvlint: ignore[{r.id}] */`; everywhere: "
        f'`hvlint --ignore {r.id}`, or `ignore = ["{r.id}"]` in `.hvlint.toml`.\n'
    )
