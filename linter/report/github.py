"""`--format github`: GitHub Actions workflow commands, one per finding, which the runner
turns into annotations on the pull request's diff:

    ::warning file=arch/x86/xen/setup.c,line=12,col=5,endLine=12,endColumn=40,title=HV201 raw-section-attribute::use __section(".data") ...

Messages and property values are escaped as the runner expects (`%`, CR, LF; and `:`/`,`
inside properties).  Trace steps follow in the message, one per line.
"""

from __future__ import annotations

from collections.abc import Iterable

from hvlint.findings import Finding

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")


def render(findings: Iterable[Finding]) -> str:
    lines = []
    for f in findings:
        sp = f.span
        props = [
            f"file={_prop(f.path)}",
            f"line={sp.line}",
            f"col={sp.col}",
            f"endLine={sp.end_line}",
            f"endColumn={sp.end_col}",
            f"title={_prop(f'{f.rule} {f.name}')}",
        ]
        message = f.message
        if f.trace:
            message += "\n" + "\n".join(f"  {t.path}:{t.line}: {t.symbol}" for t in f.trace)
        lines.append(f"::{_LEVEL[f.severity.value]} {','.join(props)}::{_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
