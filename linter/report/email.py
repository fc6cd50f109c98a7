"""`--format email`: a review reply as kernel maintainers write them on the list.

For each patch of the series with findings, one reply: the mail headers that thread it
(`Subject: Re: ...`, `In-Reply-To`, `References`, `To`/`Cc` from the patch), an
attribution line, the patch's hunks quoted with `> ` and trimmed to the lines around each
finding (`[...]` where lines are left out), and each finding written under the line it
concerns.  Findings the series causes outside its own lines go at the end of the reply to
its last patch.  Several replies make an mbox (`From ` separators) that mutt, `git
send-email` or `b4 send` take as they are; a plain diff or `--changed-since` gives the quoted
review without mail headers.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from dataclasses import dataclass

from hvlint import __version__
from hvlint.findings import Finding
from hvlint.patch import Message, Origin
from hvlint.report import ReportInput, rule_url
from hvlint.review import Review

CONTEXT = 3  # quoted lines before a finding's line, as reviewers trim


@dataclass(frozen=True)
class _Placed:
    finding: Finding
    origin: Origin


def _origin(review: Review, f: Finding) -> Origin | None:
    change = review.applied.changes.get(f.path)
    if change is None:
        return None
    for n in range(f.span.line, f.span.end_line + 1):
        if 0 < n <= len(change.origins) and change.origins[n - 1] is not None:
            return change.origins[n - 1]
    return None


def _cause(review: Review, f: Finding) -> int | None:
    """The patch that makes a finding outside the changed lines: the last one that changed
    a line of its trace (the `__init` a patch added to the function at the end of the path)."""
    found = None
    for step in f.trace:
        change = review.applied.changes.get(step.path)
        if change is not None and 0 < step.line <= len(change.origins):
            o = change.origins[step.line - 1]
            if o is not None and (found is None or o.message > found):
                found = o.message
    return found


def _comment(f: Finding, docs_url: str | None, where: list[str] | None = None) -> list[str]:
    """A finding as review text; `where`: the source lines of its file (a finding outside
    the quoted hunks gets its location and its line)."""
    head = f"hvlint: {f.rule} ({f.name}): "
    if where is not None:
        head = f"{f.path}:{f.span.line}:{f.span.col}: {f.rule} ({f.name}): "
    body = textwrap.wrap(
        head + f.message, width=72, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
    )
    out = body or [head]
    if where is not None and 0 < f.span.line <= len(where):
        out.append("  | " + where[f.span.line - 1].rstrip())
    if f.trace:
        out.append("  The path that makes it real:")
        out += [f"    {t.path}:{t.line}: {t.symbol}" for t in f.trace]
    if f.fix is not None:
        out.append(f"  Suggested: {f.fix.replacement}")
    out.append(f"  ({rule_url(f.rule, docs_url)})")
    return out


def _file_diff(msg: Message, path: str):  # type: ignore[no-untyped-def]
    assert msg.patch is not None
    for pf in msg.patch:
        target = pf.target_file[2:] if pf.target_file.startswith("b/") else pf.target_file
        if target == path or pf.path == path:
            return pf
    return None


def _quote_file(msg: Message, path: str, placed: list[_Placed], docs_url: str | None) -> list[str]:
    pf = _file_diff(msg, path)
    if pf is None:
        return []
    src = pf.source_file if pf.source_file != "/dev/null" else "a/" + path
    dst = pf.target_file if pf.target_file != "/dev/null" else "b/" + path
    out = [f"> diff --git {src} {dst}"]
    by_hunk: dict[int, list[_Placed]] = defaultdict(list)
    for p in placed:
        by_hunk[p.origin.hunk].append(p)
    for h_index in sorted(by_hunk):
        hunk = pf[h_index]
        lines = list(hunk)
        out.append(f"> {str(hunk).splitlines()[0]}")
        notes: dict[int, list[Finding]] = defaultdict(list)
        for p in by_hunk[h_index]:
            notes[p.origin.at].append(p.finding)
        shown: set[int] = set()
        for at in notes:
            shown.update(range(max(0, at - CONTEXT), at + 1))
        last = -1
        for i in sorted(shown):
            if i >= len(lines):
                continue
            if last >= 0 and i != last + 1 or last < 0 and i > 0:
                out.append("[...]")
            out.append("> " + (str(lines[i]).rstrip("\n")))
            last = i
            if i in notes:
                out.append("")
                for f in sorted(notes[i], key=Finding.sort_key):
                    out += _comment(f, docs_url)
                    out.append("")
        if last < len(lines) - 1:
            out.append("[...]")
        out.append("")
    return out


def _headers(msg: Message) -> list[str]:
    if not msg.subject and not msg.message_id:
        return []
    subject = msg.subject if msg.subject.lower().startswith("re:") else f"Re: {msg.subject}"
    refs = " ".join(x for x in (msg.references, msg.message_id) if x)
    cc = ", ".join(x for x in (msg.to, msg.cc) if x)
    out = ["From hvlint Thu Jan  1 00:00:00 1970", f"Subject: {subject}"]
    if msg.message_id:
        out.append(f"In-Reply-To: {msg.message_id}")
    if refs:
        out.append(f"References: {refs}")
    if msg.sender:
        out.append(f"To: {msg.sender}")
    if cc:
        out.append(f"Cc: {cc}")
    out += ["Content-Type: text/plain; charset=utf-8", ""]
    return out


def _attribution(msg: Message) -> list[str]:
    if not msg.sender:
        return []
    name = msg.sender.split("<")[0].strip().strip('"') or msg.sender
    return [f"On {msg.date}, {name} wrote:" if msg.date else f"{name} wrote:"]


def render(inp: ReportInput, review: Review) -> str:
    messages = review.applied.messages
    kept = {id(f) for f in inp.findings}
    placed: dict[int, dict[str, list[_Placed]]] = defaultdict(lambda: defaultdict(list))
    patches = [m for m in messages if m.patch is not None]
    if not patches:
        return ""
    last = patches[-1].index
    elsewhere: dict[int, list[Finding]] = defaultdict(list)
    for f in inp.findings:
        o = _origin(review, f) if id(f) in kept else None
        if o is None:
            cause = _cause(review, f)
            elsewhere[last if cause is None else cause].append(f)
        else:
            placed[o.message][o.path].append(_Placed(f, o))
    replies: list[list[str]] = []
    for msg in patches:
        if msg.index not in placed and msg.index not in elsewhere:
            continue
        body = _headers(msg) + _attribution(msg)
        for path in sorted(placed.get(msg.index, {})):
            body += _quote_file(msg, path, placed[msg.index][path], inp.docs_url)
        if elsewhere.get(msg.index):
            if msg.index == last and len(patches) > 1:
                scope = "with the series applied"
            else:
                scope = "with this patch applied" if len(patches) > 1 else "with the patch applied"
            body += [f"hvlint also finds, {scope}, outside the lines it changes:", ""]
            for f in elsewhere[msg.index]:
                body += _comment(f, inp.docs_url, where=inp.source(f.path))
                body.append("")
        body += ["-- ", f"hvlint {__version__}", ""]
        replies.append(body)
    return "\n".join(line for r in replies for line in r).rstrip("\n")
