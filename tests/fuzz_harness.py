"""Mutation fuzzing of the front end and the fixer, shared by tests/test_fuzz.py (a short
hypothesis run in every test run) and tools/fuzz.py (a long campaign).

An input is a real kernel-shaped file (corpus/, and files of HVLINT_LINUX_TREE when set)
mutated by byte flips, truncation, token splicing from another file, deletion, line
duplication and the insertion of tokens the front end treats specially.  For each input:
no exception escapes the front end, every span lies inside the file, every index between
facts points at something, and applying the safe fixes gives a file that parses with no
more errors than the input and that the fixer leaves as it is (idempotent)."""

from __future__ import annotations

import os
import random
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from hvlint import fix
from hvlint.engine import Options, extract_file, run
from hvlint.facts import FileFacts, Span
from hvlint.tables import table_for, vocabulary_for

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SPECIAL = [
    b"/*", b"*/", b"//", b'"', b"'", b"\\\n", b"#if CONFIG_X\n", b"#ifdef A\n", b"#else\n", b"#endif\n",
    b"#define M(x) x\n", b"__attribute__((section(\".data\")))", b"__attribute__((", b"))", b"__section(",
    b"__init ", b"__initdata ", b"__initconst ", b"__ref ", b"__exit ", b"DEFINE_PER_CPU(int, ", b"DEFINE_IDTENTRY(",
    b"asm(", b"{", b"}", b"(", b")", b";", b",", b"=", b"\0", b"\xff\xfe", b"\r\n", b"\t", b"static ", b"const ",
    b"struct s { int (*f)(void); } v = { .f = g };\n", b"paravirt_enabled()", b"pv_info.paravirt_enabled = 1;",
]  # fmt: skip


def seeds(limit_real: int = 200) -> list[tuple[str, bytes]]:
    """The files mutated: every source file of corpus/ and a fixed sample of the real tree."""
    out = []
    for p in sorted(CORPUS.rglob("*")):
        if p.suffix in (".c", ".h", ".S") and p.is_file() and not p.is_symlink() and "badinput" not in p.parts:
            out.append((p.name, p.read_bytes()))
    tree = os.environ.get("HVLINT_LINUX_TREE", "")
    if tree and os.path.isdir(tree):
        real = []
        for top in ("arch/x86/xen", "arch/x86/kernel", "drivers/xen", "init", "include/linux", "arch/x86/include/asm"):
            for dirpath, _, names in os.walk(os.path.join(tree, top)):
                real += [os.path.join(dirpath, n) for n in sorted(names) if n.endswith((".c", ".h", ".S"))]
        for p in random.Random(0).sample(sorted(real), min(limit_real, len(real))):
            with open(p, "rb") as fh:
                data = fh.read()
            if len(data) < 200_000:
                out.append((os.path.basename(p), data))
    return out


def _boundary(data: bytes, rng: random.Random) -> int:
    """A position at a token boundary (after whitespace or punctuation) when one is near."""
    if not data:
        return 0
    i = rng.randrange(len(data) + 1)
    for j in range(i, min(len(data), i + 64)):
        if data[j : j + 1] in b" \t\n;,(){}":
            return j
    return i


def mutate(data: bytes, donor: bytes, rng: random.Random, ops: int = 3) -> tuple[bytes, list[str]]:
    """`data` mutated by `ops` random operations (their names, for a report)."""
    done = []
    for _ in range(ops):
        op = rng.choice(("flip", "truncate", "splice", "delete", "duplicate", "special", "special"))
        n = len(data)
        if op == "flip" and n:
            b = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                b[rng.randrange(n)] ^= rng.randint(1, 255)
            data = bytes(b)
        elif op == "truncate" and n:
            data = data[: rng.randrange(n)]
        elif op == "splice" and donor:
            a = _boundary(donor, rng)
            piece = donor[a : a + rng.randint(1, 400)]
            p = _boundary(data, rng)
            data = data[:p] + piece + data[p:]
        elif op == "delete" and n:
            a = _boundary(data, rng)
            data = data[:a] + data[a + rng.randint(1, 200) :]
        elif op == "duplicate" and n:
            lines = data.split(b"\n")
            i = rng.randrange(len(lines))
            lines[i:i] = lines[i : i + rng.randint(1, 20)]
            data = b"\n".join(lines)
        else:
            p = _boundary(data, rng)
            data = data[:p] + rng.choice(SPECIAL) + data[p:]
            op = "special"
        done.append(op)
    return data, done


@dataclass
class Tally:
    inputs: int = 0
    with_diagnostics: int = 0
    fixed: int = 0
    by_op: dict[str, int] = field(default_factory=dict)


def _span_ok(s: Span, size: int, lines: int) -> bool:
    return 0 <= s.start <= s.end <= size and 1 <= s.line <= s.end_line <= lines and s.col >= 1


def check_facts(f: FileFacts, data: bytes) -> None:
    """Spans inside the file, indexes that point at something."""
    lines = data.count(b"\n") + 1
    size = len(data)
    for d in f.decls:
        assert _span_ok(d.span, size, lines), ("decl span", d.name, d.span)
        assert _span_ok(d.name_span, size, lines), ("name span", d.name, d.name_span)
        assert all(0 <= i < len(f.annotations) for i in d.annotations), ("annotation index", d.name)
        for r in (*d.calls, *d.refs, *d.writes):
            assert 1 <= r.line <= lines, ("ref line", d.name, r)
    for a in f.annotations:
        assert _span_ok(a.span, size, lines), ("annotation span", a.name, a.span)
        assert a.owner is None or 0 <= a.owner < len(f.decls), ("annotation owner", a.name, a.owner)
        for it in a.items:
            assert _span_ok(it.span, size, lines), ("attribute item span", it.name, it.span)
    for dg in f.diagnostics:
        assert dg.span is None or _span_ok(dg.span, size, lines), ("diagnostic span", dg.message, dg.span)
    for inv in f.invocations:
        assert 1 <= inv.line <= lines, ("invocation line", inv)


def _errors(f: FileFacts) -> int:
    """Lines with a parse error: what a reader sees.  (Counting error nodes instead is noise
    on an input broken already: tree-sitter recovers differently once a fix changes the
    length of a blanked attribute, 5 nodes on 5 lines becoming 6 nodes on 4 lines in the
    campaign's one failure, tests/data/fuzz/.)"""
    return f.stats.error_lines


_VOCAB = vocabulary_for(table_for(None))
_PATTERN = _VOCAB.pattern()


def check_input(data: bytes, name: str, folder: str, tally: Tally | None = None) -> None:
    """One input through the front end, the file rules and the fixer (see the module doc)."""
    if not name.endswith((".c", ".h", ".S")):
        name += ".c"
    path = os.path.join(folder, name)
    with open(path, "wb") as fh:
        fh.write(data)
    facts, _ = extract_file(folder, name, _VOCAB, _PATTERN, refs=True)
    check_facts(facts, data)
    res = run(Options(paths=[path], select=["HV1", "HV2"], jobs=1))
    chosen = fix.choose(res.findings, unsafe=False)
    new, applied = fix.apply_to_bytes(data, chosen.get(name, []))
    if tally is not None:
        tally.inputs += 1
        tally.with_diagnostics += bool(facts.diagnostics)
        tally.fixed += bool(applied)
    if not applied:
        return
    with open(path, "wb") as fh:
        fh.write(new)
    after, _ = extract_file(folder, name, _VOCAB, _PATTERN, refs=True)
    check_facts(after, new)
    if not facts.diagnostics:  # a file read as Latin-1 or cut short is judged as read
        assert _errors(after) <= _errors(facts), ("the fix added parse errors", _errors(facts), _errors(after))
    again = run(Options(paths=[path], select=["HV1", "HV2"], jobs=1))
    newer, more = fix.apply_to_bytes(new, fix.choose(again.findings, unsafe=False).get(name, []))
    assert newer == new, ("the fixer is not idempotent", [f.rule for f in more])


def campaign(
    n: int, seed: int = 0, ops: int = 3, tally: Tally | None = None
) -> Iterator[tuple[int, str, list[str], bytes, BaseException | None]]:
    """n inputs from the seeds, each checked: (index, seed file, operations, input, failure)."""
    rng = random.Random(seed)
    files = seeds()
    with tempfile.TemporaryDirectory(prefix="hvlint-fuzz-") as folder:
        for i in range(n):
            name, data = rng.choice(files)
            donor = rng.choice(files)[1]
            mutated, done = mutate(data, donor, rng, rng.randint(1, ops))
            try:
                check_input(mutated, name, folder, tally)
                yield i, name, done, mutated, None
            except Exception as exc:  # reported with the input, the campaign goes on
                yield i, name, done, mutated, exc
