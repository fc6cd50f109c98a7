"""`path:line:col: RULE [severity] message`, one line a finding, like compilers and ruff."""

from __future__ import annotations

from hvlint.findings import Finding


def _one_line(text: str) -> str:
    """Control characters (a newline in a file name) would break the one-line format."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


_SEVERITY_COLOUR = {"error": "31", "warning": "33", "info": "36"}


def use_colour(stream: object) -> bool:
    """Colour on a terminal, never with NO_COLOR set (https://no-color.org), as ruff does."""
    import os

    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def render(findings: list[Finding], colour: bool = False) -> str:
    def paint(code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

    lines = []
    for f in findings:
        fixable = paint("32", " [*]") if f.fix is not None else ""
        path = paint("1", _one_line(f.path))
        sev = paint(_SEVERITY_COLOUR[f.severity.value], f"[{f.severity.value}]")
        lines.append(f"{path}:{f.span.line}:{f.span.col}: {paint('1', f.rule)} {sev} {_one_line(f.message)}{fixable}")
        for step in f.trace:
            lines.append(paint("2", f"    {_one_line(step.path)}:{step.line}: {step.symbol}"))
    return "\n".join(lines) + ("\n" if lines else "")
