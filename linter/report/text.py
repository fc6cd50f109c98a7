"""`path:line:col: RULE [severity] message`, one line a finding, like compilers and ruff."""

from __future__ import annotations

from hvlint.findings import Finding


def render(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        fixable = " [*]" if f.fix is not None else ""
        lines.append(f"{f.path}:{f.span.line}:{f.span.col}: {f.rule} [{f.severity.value}] {f.message}{fixable}")
        for step in f.trace:
            lines.append(f"    {step.path}:{step.line}: {step.symbol}")
    return "\n".join(lines) + ("\n" if lines else "")
