"""`--format sarif`: SARIF 2.1.0 (one run) as GitHub code scanning and other SARIF viewers read it.

The run carries the rules with their documentation pages, one result per finding with its
location (relative to the `SRCROOT` base), a line-shift-stable fingerprint (hvlint.baseline's),
the trace as a code flow and the fix as a replacement.

hvlint's columns count bytes and its end column is inclusive; SARIF's end column is exclusive
and this run declares `columnKind: unicodeCodePoints`, so columns are converted (through the
linted text of the line, when it can be read)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from hvlint import __version__
from hvlint.baseline import fingerprints
from hvlint.facts import Span
from hvlint.findings import Finding, TraceStep
from hvlint.registry import Rule, all_rules, rule_page
from hvlint.report import DEFAULT_DOCS_URL, ReportInput, rule_url

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
BASE = "SRCROOT"
FINGERPRINT = "hvlint/v1"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}
_SNIPPET_LINES = 20  # no snippet for regions longer than this
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def render(inp: ReportInput) -> str:
    # tool.driver.rules lists every rule hvlint knows, not only those with a result: the rules
    # are what the tool *supports* (toolComponent.rules), a rule's ruleIndex is then the same in every
    # run, and viewers can show the documentation of every rule; with ~15 rules the cost is small.
    rules = all_rules()
    descriptors = [_descriptor(r, inp.docs_url) for r in rules]
    index = {r.id: i for i, r in enumerate(rules)}
    for f in inp.findings:  # a finding of a rule the registry does not know (defensive)
        if f.rule not in index:
            index[f.rule] = len(descriptors)
            descriptors.append({"id": f.rule, "name": f.name, "shortDescription": {"text": f.name}})
    results = []
    seen: dict[str, int] = {}
    for f, fp in zip(inp.findings, fingerprints(inp.root, inp.findings)):
        seen[fp] = seen.get(fp, 0) + 1
        results.append(_result(inp, f, index[f.rule], f"{fp}:{seen[fp]}"))
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "hvlint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": _information_uri(inp.docs_url),
                        "rules": descriptors,
                    }
                },
                "invocations": [{"executionSuccessful": True}],
                "originalUriBaseIds": {BASE: {"uri": root_uri(inp.root)}},
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {
                    "files": inp.files,
                    "parse_errors": inp.parse_errors,
                    "seconds": round(inp.seconds, 3),
                },
            }
        ],
    }
    return json.dumps(doc, indent=2) + "\n"


def root_uri(root: str) -> str:
    """The tree root as a `file://` URI ending with `/` (a base for the relative URIs)."""
    uri = Path(os.path.abspath(root)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def artifact_uri(path: str) -> str:
    """A root-relative path as a relative URI reference (RFC 3986): everything but unreserved
    characters, sub-delimiters, `@` and `/` percent-encoded as UTF-8 (`:` too, so that a first
    segment never reads as a scheme)."""
    return quote(path, safe="/!$&'()*+,;=@")


def absolute_uri(url: str) -> str | None:
    """`url` with the characters a URI cannot hold (spaces, non-ASCII, a `%` starting no
    escape) percent-encoded; None unless it is absolute (has a scheme)."""
    fixed = quote(_STRAY_PERCENT.sub("%25", url), safe=":/?#[]@!$&'()*+,;=%")
    return fixed if urlsplit(fixed).scheme else None


def _information_uri(docs_url: str | None) -> str:
    """The project's home: the repository of the docs base (the part before `/blob/`), or
    the docs base itself."""
    for base in (docs_url, DEFAULT_DOCS_URL):
        uri = absolute_uri(base) if base else None
        if uri:
            return uri.split("/blob/", 1)[0]
    raise AssertionError("DEFAULT_DOCS_URL is absolute")


def _descriptor(r: Rule, docs_url: str | None) -> dict[str, Any]:
    page = rule_page(r)
    family = r.func.__module__.rsplit(".", 1)[-1]  # hvlint.rules.sections -> sections
    d: dict[str, Any] = {
        "id": r.id,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": _description(r)},
        "help": {"text": page, "markdown": page},
    }
    help_uri = absolute_uri(rule_url(r.id, docs_url))
    if help_uri:
        d["helpUri"] = help_uri
    d["defaultConfiguration"] = {"level": _LEVEL[r.severity.value], "enabled": r.default}
    d["properties"] = {
        "tags": ["kernel", family],
        # File rules match syntax; project rules reason over the call graph and its
        # approximations (calls through pointers, configurations), so claim less.
        "precision": "high" if r.needs == "file" else "medium",
        "problem.severity": _PROBLEM_SEVERITY[r.severity.value],
    }
    return d


def _description(r: Rule) -> str:
    """The docstring up to its first `## ` section."""
    import inspect

    head = re.split(r"^## ", inspect.cleandoc(r.doc), maxsplit=1, flags=re.M)[0].strip()
    return head or r.summary


def _result(inp: ReportInput, f: Finding, rule_index: int, fingerprint: str) -> dict[str, Any]:
    lines = inp.source(f.path)
    res: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity.value],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": _primary(f.path, f.span, lines)}],
        "partialFingerprints": {FINGERPRINT: fingerprint},
    }
    if f.trace:
        steps = [_step_location(inp, i, t) for i, t in enumerate(f.trace)]
        res["codeFlows"] = [
            {
                "message": {"text": " -> ".join(t.symbol for t in f.trace)},
                "threadFlows": [{"locations": [{"location": s} for s in steps]}],
            }
        ]
        res["relatedLocations"] = [{"id": i + 1, **s} for i, s in enumerate(steps)]
    if f.fix is not None:
        res["fixes"] = [
            {
                "description": {
                    "text": f"Replace with {f.fix.replacement}"
                    + ("" if f.fix.safe else " (changes the compiled code: needs --unsafe-fixes)")
                },
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": artifact_uri(f.path), "uriBaseId": BASE},
                        "replacements": [
                            {
                                "deletedRegion": _region(f.fix.span, lines),
                                "insertedContent": {"text": f.fix.replacement},
                            }
                        ],
                    }
                ],
                "properties": {"safe": f.fix.safe},
            }
        ]
    if f.symbol:
        res["properties"] = {"symbol": f.symbol}
    return res


def _physical(path: str, region: dict[str, Any] | None) -> dict[str, Any]:
    loc: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(path), "uriBaseId": BASE}}
    if region is not None:
        loc["region"] = region
    return loc


def _step_location(inp: ReportInput, i: int, t: TraceStep) -> dict[str, Any]:
    """A trace step: its file and line (the whole line: SARIF's region with a start line only)."""
    loc: dict[str, Any] = {"message": {"text": f"{t.symbol} (start of the path)" if i == 0 else t.symbol}}
    if t.path:
        region: dict[str, Any] | None = None
        if t.line > 0:
            region = {"startLine": t.line}
            lines = inp.source(t.path)
            if t.line <= len(lines):
                region["snippet"] = {"text": lines[t.line - 1]}
        loc["physicalLocation"] = _physical(t.path, region)
    return loc


def _column(lines: list[str], line: int, byte_col: int) -> int:
    """hvlint's 1-based byte column -> a 1-based code point column on the linted line."""
    if not 0 < line <= len(lines) or lines[line - 1].isascii():
        return byte_col
    return len(lines[line - 1].encode("utf-8")[: byte_col - 1].decode("utf-8", "ignore")) + 1


def _region(span: Span, lines: list[str]) -> dict[str, Any]:
    start = _column(lines, span.line, span.col)
    end = _column(lines, span.end_line, span.end_col + 1)  # inclusive -> exclusive
    return {"startLine": span.line, "startColumn": start, "endLine": span.end_line, "endColumn": end}


def _primary(path: str, span: Span, lines: list[str]) -> dict[str, Any]:
    """The finding's physical location: the region with its text as snippet, and the whole
    lines around it as context region, when the linted text can be read."""
    region = _region(span, lines)
    loc = _physical(path, region)
    if 0 < span.line <= span.end_line <= len(lines) and span.end_line - span.line < _SNIPPET_LINES:
        whole = lines[span.line - 1 : span.end_line]
        start, end = region["startColumn"] - 1, region["endColumn"] - 1
        if len(whole) == 1:
            text = whole[0][start:end]
        else:
            text = "\n".join([whole[0][start:], *whole[1:-1], whole[-1][:end]])
        region["snippet"] = {"text": text}
        loc["contextRegion"] = {"startLine": span.line, "endLine": span.end_line, "snippet": {"text": "\n".join(whole)}}
    return loc
