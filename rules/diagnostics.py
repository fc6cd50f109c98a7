"""Diagnostics about the input itself (HV901)."""

from __future__ import annotations

from collections.abc import Iterator

from hvlint.facts import Span
from hvlint.findings import Finding, Severity
from hvlint.registry import FileContext, rule

_FILE_START = Span(1, 1, 1, 1, 0, 0)


@rule("HV901", "parse-error", Severity.WARNING)
def parse_error(ctx: FileContext) -> Iterator[Finding]:
    """Reports a file hvlint could not read or parse, instead of failing the run.

    Unreadable, vanished, binary (NUL bytes), empty or oversized files, symbolic links out of
    the tree, text that is not UTF-8 (linted as Latin-1 all the same), and annotations the
    front end could not attach to a declaration are reported here; the run goes on.

    ## Why it matters
    A file hvlint skipped is a file whose findings you do not see: it must say so rather
    than pass silently or crash the whole run.

    ## Example
        (a file holding NUL bytes, or an empty header)

    ## Fix
        Make the file readable text, or exclude it from the linted paths.
    """
    for diag in ctx.facts.diagnostics:
        yield ctx.finding(diag.span or _FILE_START, diag.message)


@rule("HV902", "unused-suppression", Severity.INFO, default=False)
def unused_suppression(ctx: FileContext) -> Iterator[Finding]:
    """An inline suppression (`/* hvlint: ignore[HV201] */`) that silences no finding on its
    line or the next.  Reported with `--report-unused-suppressions` (or `--select HV902`).

    Suppress a finding with a comment on its line or on the line before it, in the kernel's
    comment style: `/* hvlint: ignore[HV301] */` (several ids separated by commas; a bare
    `/* hvlint: ignore */` silences every rule there).

    ## Why it matters
    A suppression whose finding went away hides the next real one on that line.

    ## Example
        int x; /* hvlint: ignore[HV201] */

    ## Fix
    Remove the comment.

        int x;
    """
    return iter(())
