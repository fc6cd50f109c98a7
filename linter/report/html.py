"""`--format html`: one self-contained page, like clang's scan-build reports.

The header gives the run (tool, tree root, files, parse errors, seconds, findings) and two
summary tables (by rule, by file); then the findings, grouped by rule and then by file, each
with an excerpt of its source (the finding's lines highlighted), its fix as a before/after
diff, and its trace drawn over the code: root first, one numbered step a hop, each with its
`file:line`, the symbol and the source line, on a rail of arrows.

No network and no script: the CSS is inline, a Content-Security-Policy forbids loading
anything, and every piece of text from the tree (file names, source lines, messages) goes
through `html.escape`.  The same input gives the same page byte for byte.

Hooks for tests and tools: each finding is an `article.finding` with `data-rule`,
`data-path`, `data-line`, `data-col`, `data-severity`; each trace hop an `li.trace-step`
with `data-step`, `data-path`, `data-line`, `data-symbol`; the tables are `#by-rule`
(`tr[data-rule][data-count]`) and `#by-file` (`tr[data-path][data-count]`)."""

from __future__ import annotations

import re
from collections import Counter
from html import escape

from hvlint import __version__
from hvlint.errors import HvlintError
from hvlint.findings import Finding, Fix
from hvlint.registry import get_rule
from hvlint.report import ReportInput, rule_url

CONTEXT = 3  # source lines shown before and after a finding's lines
MAX_SPAN_LINES = 12  # a longer finding shows its first and last lines around a gap

_CSS = """
:root { --err: #b3261e; --warn: #9a6700; --info: #0b62a4; --rail: #7a5af5; --line: #d0d7de;
  --muted: #57606a; --hl: #fff3b0; --mark: #ffd24d; --bg-code: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: #1f2328; background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 16px 24px 48px; }
a { color: #0969da; text-decoration: none; } a:hover { text-decoration: underline; }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
h1 { font-size: 22px; margin: 4px 0 10px; } h1 .ver { color: var(--muted); font-weight: normal; font-size: 15px; }
h2 { font-size: 18px; margin: 28px 0 8px; }
.run { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 16px;
  padding: 10px 14px; background: var(--bg-code); border: 1px solid var(--line); border-radius: 6px; }
.run dt { color: var(--muted); } .run dd { margin: 0; overflow-wrap: anywhere; }
.tables { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.tables > div { flex: 1 1 420px; min-width: 0; } .tables h2 { margin-top: 4px; }
table.summary { border-collapse: collapse; width: 100%; }
table.summary th, table.summary td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left;
  vertical-align: top; }
table.summary th { background: var(--bg-code); font-weight: 600; }
table.summary td.n, table.summary th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.summary td.path { overflow-wrap: anywhere; }
table.summary tfoot td { font-weight: 600; border-bottom: none; }
.sev { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; font-weight: 600;
  color: #fff; }
.sev-error { background: var(--err); } .sev-warning { background: var(--warn); } .sev-info { background: var(--info); }
.rule-group { margin-top: 28px; border-top: 3px solid #1f2328; padding-top: 6px; }
.rule-group > h2 { margin: 4px 0 2px; }
.rule-group > .summary-text { color: var(--muted); margin: 0 0 8px; max-width: 95ch; }
.file-group > h3 { font-size: 14px; margin: 16px 0 6px; padding: 4px 8px; background: #eaeef2;
  border-radius: 4px; overflow-wrap: anywhere; }
.file-group > h3 .n { color: var(--muted); font-weight: normal; }
.finding { border: 1px solid var(--line); border-left: 5px solid var(--warn); border-radius: 6px;
  margin: 10px 0 14px; padding: 8px 12px 10px; }
.finding.severity-error { border-left-color: var(--err); } .finding.severity-info { border-left-color: var(--info); }
.finding > header { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; }
.finding .loc { font-weight: 600; overflow-wrap: anywhere; }
.finding .rid { color: var(--muted); }
.finding .permalink { margin-left: auto; color: var(--muted); }
.finding .message { margin: 6px 0 8px; overflow-wrap: anywhere; }
.finding .symbol { color: var(--muted); margin: -4px 0 8px; }
.label { font-size: 12px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .04em;
  margin: 8px 0 3px; }
pre { margin: 0; }
.code { background: var(--bg-code); border: 1px solid var(--line); border-radius: 4px; padding: 4px 0;
  overflow-x: auto; tab-size: 8; -moz-tab-size: 8; }
.code .row { display: block; padding: 0 10px 0 0; white-space: pre; min-height: 1.45em; }
.code .ln { display: inline-block; width: 5.5ch; padding-right: 1ch; margin-right: 1ch; text-align: right;
  color: #8c959f; border-right: 1px solid var(--line); user-select: none; }
.code .src { display: inline-block; vertical-align: top; }
.code .row.hl { background: var(--hl); } .code .row.hl .ln { color: #1f2328; font-weight: 600; }
.code mark { background: var(--mark); color: inherit; border-radius: 2px; box-shadow: 0 1px 0 #b08800; }
.code .row.step-line { background: #f3f0ff; } .code mark.sym { background: #ddd3ff; box-shadow: 0 1px 0 var(--rail); }
.code .gap .ln { color: var(--muted); }
.code .row.del { background: #ffebe9; } .code .row.add { background: #dafbe1; }
.code .sign { display: inline-block; width: 2ch; color: var(--muted); user-select: none; }
.nosrc { color: var(--muted); font-style: italic; }
.trace { list-style: none; margin: 4px 0 0; padding: 0 0 0 4px; }
.trace-step { position: relative; padding: 0 0 14px 40px; }
.trace-step::before { content: ""; position: absolute; left: 12px; top: 24px; bottom: 0; width: 2px;
  background: var(--rail); }
.trace-step:last-child { padding-bottom: 0; } .trace-step:last-child::before { display: none; }
.trace-step:not(:last-child)::after { content: ""; position: absolute; left: 7px; bottom: 1px; border: 6px solid transparent;
  border-top: 8px solid var(--rail); border-bottom: 0; }
.trace-step .num { position: absolute; left: 0; top: 0; width: 26px; height: 26px; border-radius: 50%;
  background: var(--rail); color: #fff; font-weight: 700; text-align: center; line-height: 26px; font-size: 13px; }
.trace-step.last .num { background: var(--err); }
.trace-step .head { display: flex; flex-wrap: wrap; gap: 2px 10px; align-items: baseline; min-height: 26px;
  padding-top: 3px; }
.trace-step .sym { font-weight: 700; }
.trace-step .where { color: var(--muted); overflow-wrap: anywhere; }
.trace-step .role { font-size: 12px; color: var(--muted); font-style: italic; }
.trace-step .code { margin-top: 3px; }
.hop { font-size: 12px; color: var(--rail); margin: 2px 0 -4px; }
.empty { padding: 16px; background: #dafbe1; border-radius: 6px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _anchor(text: str) -> str:
    """A piece of an element id: rule ids are HVnnn, but a plugin's could be anything."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", text) or "_"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _line(lines: list[str], n: int) -> str | None:
    return lines[n - 1] if 1 <= n <= len(lines) else None


def _slice(line: str, start: int, stop: int | None) -> tuple[str, str, str] | None:
    """`line` cut at byte columns [start, stop) (spans count bytes); None when a cut would
    fall inside a character (the caller then highlights the whole line)."""
    data = line.encode("utf-8")
    stop = len(data) if stop is None else min(stop, len(data))
    start = max(0, min(start, stop))
    try:
        return (data[:start].decode("utf-8"), data[start:stop].decode("utf-8"), data[stop:].decode("utf-8"))
    except UnicodeDecodeError:
        return None


def _mark_word(text: str, word: str) -> str:
    """`text` escaped, with the first whole-word occurrence of `word` marked."""
    m = re.search(r"(?<![A-Za-z0-9_])" + re.escape(word) + r"(?![A-Za-z0-9_])", text) if word else None
    if m is None:
        return _e(text)
    return f'{_e(text[: m.start()])}<mark class="sym">{_e(m.group())}</mark>{_e(text[m.end() :])}'


def _backticks(text: str) -> str:
    """Escaped text with its `code` spans (the rule docs are Markdown) set as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", _e(text))


def _row(n: int | str, body: str, cls: str = "", sign: str = "") -> str:
    c = f"row {cls}".strip()
    s = f'<span class="sign">{_e(sign)}</span>' if sign else ""
    # The text in a block of its own: its tabs stop every 8 columns from its own start.
    return f'<span class="{c}" data-line="{_e(n)}"><span class="ln">{_e(n)}</span>{s}<span class="src">{body}</span></span>'


def _excerpt(f: Finding, lines: list[str]) -> str:
    """The finding's lines, highlighted (the exact columns marked), with CONTEXT lines around."""
    s = f.span
    if not lines or _line(lines, s.line) is None:
        return '<p class="nosrc">(source not available)</p>'
    last = min(max(s.end_line, s.line), len(lines))
    shown = list(range(max(1, s.line - CONTEXT), min(len(lines), last + CONTEXT) + 1))
    if last - s.line + 1 > MAX_SPAN_LINES:
        keep = MAX_SPAN_LINES // 2
        shown = [n for n in shown if n < s.line + keep or n > last - keep]
    out: list[str] = []
    prev = None
    for n in shown:
        if prev is not None and n != prev + 1:
            out.append(_row("⋮", "", "gap"))
        prev = n
        text = lines[n - 1]
        if not s.line <= n <= last:
            out.append(_row(n, _e(text)))
            continue
        cut = _slice(text, s.col - 1 if n == s.line else 0, s.end_col if n == s.end_line else None)
        if cut is None or not cut[1]:
            body = _e(text)
        else:
            body = f"{_e(cut[0])}<mark>{_e(cut[1])}</mark>{_e(cut[2])}"
        out.append(_row(n, body, "hl"))
    return '<pre class="code excerpt">' + "".join(out) + "</pre>"


def _fix(fix: Fix, lines: list[str]) -> str:
    """The fix as the lines before and after it, when the file still holds the fixed text;
    otherwise the text replaced and its replacement."""
    s = fix.span
    safe = "safe" if fix.safe else "unsafe: applied only with --unsafe-fixes"
    head = (
        f'<div class="label">Fix ({_e(safe)}) — replaces {s.line}:{s.col}–{s.end_line}:{s.end_col}</div>'
        if s.line
        else f'<div class="label">Fix ({_e(safe)})</div>'
    )
    old = [_line(lines, n) for n in range(s.line, s.end_line + 1)] if s.line else []
    if old and all(t is not None for t in old):
        text = "\n".join(t or "" for t in old).encode("utf-8")
        start = s.col - 1
        stop = start + (s.end - s.start)
        if text[start:stop] == fix.original.encode("utf-8"):
            new = (text[:start] + fix.replacement.encode("utf-8") + text[stop:]).decode("utf-8", "replace")
            rows = [_row(s.line + i, _e(t), "del", "-") for i, t in enumerate(old)]
            rows += [_row(s.line + i, _e(t), "add", "+") for i, t in enumerate(new.split("\n"))]
            return f'<div class="fix">{head}<pre class="code diff">{"".join(rows)}</pre></div>'
    rows = [_row("", _e(t), "del", "-") for t in fix.original.split("\n")]
    rows += [_row("", _e(t), "add", "+") for t in fix.replacement.split("\n")]
    return f'<div class="fix">{head}<pre class="code diff">{"".join(rows)}</pre></div>'


def _trace(f: Finding, inp: ReportInput, fid: str) -> str:
    steps = f.trace
    items: list[str] = []
    for i, t in enumerate(steps, 1):
        role = ""
        if i == 1:
            role = "root"
        elif i == len(steps):
            role = "end of the path"
        text = _line(inp.source(t.path), t.line)
        src = (
            f'<pre class="code">{_row(t.line, _mark_word(text, t.symbol), "step-line")}</pre>'
            if text is not None
            else '<p class="nosrc">(source line not available)</p>'
        )
        cls = "trace-step last" if i == len(steps) and i > 1 else "trace-step"
        items.append(
            f'<li class="{cls}" id="{fid}-step-{i}" data-step="{i}" data-path="{_e(t.path)}" data-line="{t.line}"'
            f' data-symbol="{_e(t.symbol)}"><span class="num">{i}</span>'
            f'<div class="head"><code class="sym">{_e(t.symbol)}</code>'
            f'<span class="where mono">{_e(t.path)}:{t.line}</span>'
            + (f'<span class="role">{_e(role)}</span>' if role else "")
            + f"</div>{src}"
            + ('<div class="hop">↓ calls or references</div>' if i < len(steps) else "")
            + "</li>"
        )
    hops = len(steps) - 1
    return (
        f'<div class="label">Trace — {_plural(len(steps), "step")}, {_plural(hops, "hop")}, root first</div>'
        f'<ol class="trace">{"".join(items)}</ol>'
    )


def _finding(f: Finding, n: int, inp: ReportInput) -> str:
    fid = f"finding-{n}"
    sev = f.severity.value
    s = f.span
    lines = inp.source(f.path)
    parts = [
        f'<article class="finding severity-{sev}" id="{fid}" data-rule="{_e(f.rule)}" data-path="{_e(f.path)}"'
        f' data-line="{s.line}" data-col="{s.col}" data-end-line="{s.end_line}" data-end-col="{s.end_col}"'
        f' data-severity="{sev}">',
        f'<header><span class="loc mono">{_e(f.path)}:{s.line}:{s.col}</span>'
        f'<span class="sev sev-{sev}">{sev}</span><span class="rid">{_e(f.rule)} {_e(f.name)}</span>'
        f'<a class="permalink" href="#{fid}">#{n}</a></header>',
        f'<p class="message">{_e(f.message)}</p>',
    ]
    if f.symbol:
        parts.append(f'<p class="symbol">symbol <code>{_e(f.symbol)}</code></p>')
    parts.append(_excerpt(f, lines))
    if f.fix is not None:
        parts.append(_fix(f.fix, lines))
    if f.trace:
        parts.append(_trace(f, inp, fid))
    parts.append("</article>")
    return "".join(parts)


def _rule_meta(rule_id: str, fallback_name: str) -> tuple[str, str]:
    """(name, summary) of a rule; a finding of an unregistered rule keeps its own name."""
    try:
        r = get_rule(rule_id)
    except HvlintError:
        return fallback_name, ""
    return r.name, r.summary


def render(inp: ReportInput) -> str:
    findings = sorted(inp.findings, key=lambda f: (f.rule, f.path, f.span.line, f.span.col, f.span.end_line, f.message))
    paths = sorted({f.path for f in findings})
    file_no = {p: i for i, p in enumerate(paths, 1)}
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    by_file = Counter(f.path for f in findings)
    sev_count = Counter(f.severity.value for f in findings)
    rules_in_file: dict[str, list[str]] = {}
    for f in findings:
        if f.rule not in rules_in_file.setdefault(f.path, []):
            rules_in_file[f.path].append(f.rule)

    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="hvlint ' + _e(__version__) + '">',
        f"<title>hvlint report: {_plural(len(findings), 'finding')} in {_e(inp.root)}</title>",
        f"<style>{_CSS}</style></head><body><main>",
        f'<h1>hvlint report <span class="ver">hvlint {_e(__version__)}</span></h1>',
        '<dl class="run" id="run">',
        f'<dt>tree root</dt><dd class="mono" id="run-root">{_e(inp.root)}</dd>',
        f'<dt>files</dt><dd id="run-files">{inp.files}</dd>',
        f'<dt>parse errors</dt><dd id="run-parse-errors">{inp.parse_errors}</dd>',
        f'<dt>seconds</dt><dd id="run-seconds">{inp.seconds:.2f}</dd>',
        f'<dt>findings</dt><dd><span id="run-findings" data-count="{len(findings)}">{len(findings)}</span>'
        + "".join(
            f' <span class="sev sev-{s}">{sev_count[s]} {s}</span>'
            for s in ("error", "warning", "info")
            if sev_count[s]
        )
        + "</dd></dl>",
    ]

    if not findings:
        out.append('<p class="empty" id="no-findings">No findings.</p>')
    else:
        out.append('<div class="tables"><div><h2>By rule</h2><table class="summary" id="by-rule">')
        out.append(
            '<thead><tr><th>rule</th><th>name</th><th>severity</th><th class="n">count</th><th>docs</th></tr></thead>'
            "<tbody>"
        )
        for rid, group in by_rule.items():
            name = _rule_meta(rid, group[0].name)[0]
            sev = group[0].severity.value
            out.append(
                f'<tr data-rule="{_e(rid)}" data-count="{len(group)}"><td><a href="#rule-{_anchor(rid)}">{_e(rid)}</a></td>'
                f'<td>{_e(name)}</td><td><span class="sev sev-{sev}">{sev}</span></td><td class="n">{len(group)}</td>'
                f'<td><a href="{_e(rule_url(rid, inp.docs_url))}">rule page</a></td></tr>'
            )
        out.append(
            f'</tbody><tfoot><tr><td colspan="3">total</td><td class="n">{len(findings)}</td><td></td></tr></tfoot>'
            "</table></div>"
        )
        out.append('<div><h2>By file</h2><table class="summary" id="by-file">')
        out.append('<thead><tr><th>file</th><th class="n">count</th><th>rules</th></tr></thead><tbody>')
        for p in paths:
            k = file_no[p]
            links = " ".join(f'<a href="#rule-{_anchor(r)}-file-{k}">{_e(r)}</a>' for r in sorted(rules_in_file[p]))
            out.append(
                f'<tr id="file-{k}" data-path="{_e(p)}" data-count="{by_file[p]}"><td class="path mono">{_e(p)}</td>'
                f'<td class="n">{by_file[p]}</td><td>{links}</td></tr>'
            )
        out.append(
            f"</tbody><tfoot><tr><td>{_plural(len(paths), 'file')}</td>"
            f'<td class="n">{len(findings)}</td><td></td></tr></tfoot></table></div></div>'
        )

        out.append('<div id="findings">')
        n = 0
        for rid, group in by_rule.items():
            name, summary = _rule_meta(rid, group[0].name)
            sev = group[0].severity.value
            ra = _anchor(rid)
            out.append(
                f'<section class="rule-group" id="rule-{ra}" data-rule="{_e(rid)}" data-count="{len(group)}">'
                f'<h2>{_e(rid)} {_e(name)} <span class="sev sev-{sev}">{sev}</span> '
                f'<span class="rid">— {_plural(len(group), "finding")}</span></h2>'
            )
            out.append(
                f'<p class="summary-text">{_backticks(summary)} <a href="{_e(rule_url(rid, inp.docs_url))}">Rule page</a></p>'
            )
            per_file: dict[str, list[Finding]] = {}
            for f in group:
                per_file.setdefault(f.path, []).append(f)
            for p, fs in per_file.items():
                out.append(
                    f'<section class="file-group" id="rule-{ra}-file-{file_no[p]}" data-path="{_e(p)}" '
                    f'data-count="{len(fs)}"><h3 class="mono">{_e(p)} <span class="n">({len(fs)})</span></h3>'
                )
                for f in fs:
                    n += 1
                    out.append(_finding(f, n, inp))
                out.append("</section>")
            out.append("</section>")
        out.append("</div>")
    out.append(
        f"<footer>Generated by hvlint {_e(__version__)}. Paths are relative to the tree root; "
        "lines and columns are 1-based, columns count bytes.</footer></main></body></html>"
    )
    return "\n".join(out) + "\n"
