"""`--format gitlab`: a GitLab Code Quality report (the JSON array a job publishes with
`artifacts: reports: codequality:`), one issue per finding, with a fingerprint that survives
line shifts (hvlint.baseline's)."""

from __future__ import annotations

import json

from hvlint.baseline import fingerprints
from hvlint.findings import Finding

_SEVERITY = {"error": "critical", "warning": "major", "info": "info"}


def render(root: str, findings: list[Finding]) -> str:
    prints = fingerprints(root, findings)
    seen: dict[str, int] = {}
    out = []
    for f, fp in zip(findings, prints):
        n = seen.get(fp, 0)
        seen[fp] = n + 1
        desc = f.message
        if f.trace:
            desc += " [" + " -> ".join(f"{t.symbol} ({t.path}:{t.line})" for t in f.trace) + "]"
        out.append(
            {
                "description": f"{f.rule} {desc}",
                "check_name": f"{f.rule} {f.name}",
                "fingerprint": fp if n == 0 else f"{fp}-{n}",
                "severity": _SEVERITY[f.severity.value],
                "location": {"path": f.path, "lines": {"begin": f.span.line, "end": f.span.end_line}},
            }
        )
    return json.dumps(out, indent=1) + "\n"
