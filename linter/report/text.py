"""`path:line:col: RULE [severity] message`, one line a finding, like compilers and ruff."""

from __future__ import annotations

from hvlint.findings import Finding


def _one_line(text: str) -> str:
    """Control characters (a newline in a file name) would break the one-line format."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def render(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        fixable = " [*]" if f.fix is not None else ""
        path = _one_line(f.path)
        lines.append(
            f"{path}:{f.span.line}:{f.span.col}: {f.rule} [{f.severity.value}] {_one_line(f.message)}{fixable}"
        )
        for step in f.trace:
            lines.append(f"    {_one_line(step.path)}:{step.line}: {step.symbol}")
    return "\n".join(lines) + ("\n" if lines else "")
