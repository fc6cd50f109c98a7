"""Inline suppressions: `/* hvlint: ignore[HV201] */` on the line of a finding or on the line
before it (kernel comment style; `// hvlint: ignore[HV201, HV305]` works too, and a bare
`hvlint: ignore` silences every rule there).  Like ruff's `# noqa`, a suppression that
silences nothing can be reported (`--report-unused-suppressions`, rule HV902)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hvlint import discover
from hvlint.facts import Span
from hvlint.findings import Finding

_MARK = re.compile(r"(?:/\*|//)\s*hvlint:\s*ignore(?:\[([A-Za-z0-9_,\s-]*)\])?\s*(?:\*/)?")


@dataclass
class Suppression:
    path: str
    line: int
    col: int
    rules: frozenset[str]  # empty: every rule
    used: set[str] = field(default_factory=set)

    def covers(self, f: Finding) -> bool:
        return f.span.line in (self.line, self.line + 1) and (not self.rules or f.rule in self.rules)


def scan(text: str, path: str) -> list[Suppression]:
    """The suppressions a file's text holds."""
    if "hvlint:" not in text:
        return []
    out = []
    for i, line in enumerate(text.splitlines(), 1):
        if "hvlint:" not in line:
            continue
        for m in _MARK.finditer(line):
            ids = frozenset(x.strip().upper() for x in (m.group(1) or "").split(",") if x.strip())
            out.append(Suppression(path, i, m.start() + 1, ids))
    return out


def apply(root: str, findings: list[Finding]) -> tuple[list[Finding], list[Suppression]]:
    """The findings no suppression covers, and every suppression of the files involved
    (with what each silenced), reading only the files that have findings."""
    by_file: dict[str, list[Suppression]] = {}
    kept: list[Finding] = []
    for f in findings:
        if f.path not in by_file:
            data = discover.read_source(root, f.path).data or b""
            by_file[f.path] = scan(data.decode("latin-1"), f.path)
        hit = next((s for s in by_file[f.path] if s.covers(f)), None)
        if hit is None or f.rule == "HV901":
            kept.append(f)
        else:
            hit.used.add(f.rule)
    return kept, [s for ss in by_file.values() for s in ss]


def unused(root: str, paths: list[str], seen: list[Suppression]) -> list[Finding]:
    """HV902 findings for the suppressions in `paths` that silenced nothing."""
    from hvlint.registry import get_rule

    r = get_rule("HV902")
    known = {(s.path, s.line, s.col) for s in seen}
    out = [s for s in seen if not s.used or (s.rules and s.rules - s.used)]
    for p in paths:
        data = discover.read_source(root, p).data or b""
        out += [s for s in scan(data.decode("latin-1"), p) if (s.path, s.line, s.col) not in known]
    findings = []
    for s in out:
        idle = sorted(s.rules - s.used) if s.rules else []
        what = f"hvlint: ignore[{', '.join(idle)}]" if idle else "hvlint: ignore"
        message = f"{what} suppresses nothing here (no such finding on this line or the next): remove it"
        findings.append(Finding(r.id, r.name, r.severity, s.path, Span(s.line, s.col, s.line, s.col, 0, 0), message))
    return findings
