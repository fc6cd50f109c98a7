"""`--format github`: GitHub Actions workflow commands, one per finding, which the runner
turns into annotations on the pull request's diff:

    ::warning file=arch/x86/xen/setup.c,line=12,col=5,endLine=12,endColumn=40,title=HV201 raw-section-attribute::use __section(".data") ...

Messages and property values are escaped as the runner expects (`%`, CR, LF; and `:`/`,`
inside properties).  Trace steps follow in the message, one per line.

GitHub shows at most 10 annotations of each kind (error, warning, notice) per step and
drops the rest without a word.  So the findings are annotated in order of severity, 10 of
each kind, and the rest are printed as plain `path:line:col: RULE message` lines in the
step's log, with one notice annotation that says how many and where they are.
"""

from __future__ import annotations

from collections.abc import Iterable

from hvlint.findings import Finding

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")


PER_KIND = 10  # annotations GitHub shows per kind and step


def render(findings: Iterable[Finding]) -> str:
    lines = []
    shown: dict[str, int] = {}
    rest: list[Finding] = []
    for f in sorted(findings, key=lambda f: (-f.severity.rank, *f.sort_key())):
        level = _LEVEL[f.severity.value]
        if shown.get(level, 0) >= PER_KIND:
            rest.append(f)
            continue
        shown[level] = shown.get(level, 0) + 1
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
        lines.append(f"::{level} {','.join(props)}::{_data(message)}")
    if rest:
        n = len(rest)
        lines.append(
            f"::notice title=hvlint::{n} more finding{'s' if n != 1 else ''} not annotated (GitHub shows "
            f"{PER_KIND} annotations of each kind per step): they are listed in this step's log"
        )
        for f in rest:
            lines.append(f"{f.path}:{f.span.line}:{f.span.col}: {f.rule} [{f.severity.value}] {_data(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
