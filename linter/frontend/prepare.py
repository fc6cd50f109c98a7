"""Lexical preparation of kernel C before tree-sitter sees it.

Kernel declarations carry annotation macros (`__init`, `__initdata`, `__section(".x")`,
`__attribute__((...))`) that tree-sitter-c cannot know: they make it misread the very
declarations hvlint's rules look at (see `shared/research/tree-sitter-on-kernel.md`).  This
module scans the text once and

* records every annotation (name, byte range, argument range) before blanking it to
  same-length spaces, so byte offsets, lines and columns stay true;
* blanks comments and `#ifdef __ASSEMBLY__` regions of headers (assembly macros in C headers);
* blanks whole invocations of macro DSLs that are not C (`TRACE_EVENT(...)`);
* reshapes declaration macros in place (`DEFINE_PER_CPU(int, x)` -> `int x`,
  `SYSCALL_DEFINE2(name, int, a, char *, b)` -> `long name(int a, char * b)`), same length;
* collects `#define`s with the preprocessor conditions they stand under.

The text is a `str` decoded as Latin-1, so one character is one byte of the file.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from dataclasses import dataclass, field

# Three fast passes instead of one slow alternation: Python's regex engine scans for a
# leading literal or character class in C, but not for an alternation of groups.
# (Unrolled: `/\*.*?(?:\*/|\Z)` and `"(?:[^"\\\n]|\\.|\\\n)*"?` match the same, a character at a time.)
_COMMENT_OR_STRING = re.compile(
    r"""/\*[^*]*(?:\*+[^*/][^*]*)*(?:\*+/|\**\Z)|//[^\n]*|"[^"\\\n]*(?:\\.[^"\\\n]*)*"?|'(?:[^'\\\n]|\\.){1,8}'""",
    re.S,
)
_DIRECTIVE_START = re.compile(r"\n[ \t]*#")
_FIRST_DIRECTIVE = re.compile(r"[ \t]*#")
# (`\\.` takes a backslash-newline too, with re.S: a second alternative for it made an
# unterminated string across continued lines backtrack exponentially, found by fuzzing)
_PAREN_TOKENS = re.compile(r"""[()]|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.){1,8}'|/\*.*?\*/|//[^\n]*""", re.S)
_DIRECTIVE = re.compile(r"[ \t]*#[ \t]*(\w*)")
_DEFINE = re.compile(r"(\w+)(\()?")
_COMMENT_IN_PP = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_ASM_GUARDS = ("__ASSEMBLY__", "__ASSEMBLER__")
_MAX_PAREN_SPAN = 1 << 16


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What the scan blanks or reshapes, by macro name."""

    blank: frozenset[str] = frozenset()  # object-like annotations: `__init`
    calls: frozenset[str] = frozenset()  # function-like annotations: `__section(...)`
    dsl: frozenset[str] = frozenset()  # whole invocations to blank: `TRACE_EVENT(...)`
    pair: frozenset[str] = frozenset()  # `DEFINE_PER_CPU(type, name)` -> `type name`
    syscall: frozenset[str] = frozenset()  # `SYSCALL_DEFINEn(name, t, a, ...)`
    # `min_t(type, a, b)`, `container_of(p, type, member)`: name -> index of the type argument
    typearg: tuple[tuple[str, int], ...] = ()
    # The annotations that place a symbol in a section (the tree's section macros).
    sections: frozenset[str] = frozenset()
    # `DT_MACHINE_START(...) ... MACHINE_END`: opening macro -> closing macro, blanked between
    blocks: tuple[tuple[str, str], ...] = ()
    # Declaration macros that put what they declare in a section of their own
    # (`DEFINE_PER_CPU(type, name)` -> .data..percpu, `DEFINE_IDTENTRY(f)` -> .noinstr.text):
    # macro -> section; the macro is recorded as the declaration's annotation.
    macro_sections: tuple[tuple[str, str], ...] = ()
    record_in_defines: frozenset[str] = frozenset({"__attribute__", "__attribute", "__section"})

    def pattern(self) -> re.Pattern[str]:
        """A regex (a trie of the names, so the engine can scan fast) for every name."""
        names = self.blank | self.calls | self.dsl | self.pair | self.syscall | {n for n, _ in self.typearg}
        return re.compile(_trie(sorted(names)) or r"(?!x)x")


def _trie(words: list[str]) -> str:
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


@dataclass(frozen=True, slots=True)
class RawAnnotation:
    name: str
    start: int
    end: int
    args: tuple[int, int] | None  # byte range inside the outer parentheses
    in_macro: str | None = None
    section: str | None = None  # a declaration macro's own section (Vocabulary.macro_sections)


@dataclass(frozen=True, slots=True)
class RawDefine:
    name: str
    params: tuple[str, ...] | None
    body: str
    start: int
    end: int
    body_start: int
    conditions: tuple[str, ...]


@dataclass(slots=True)
class Prepared:
    text: str
    annotations: list[RawAnnotation] = field(default_factory=list)
    defines: list[RawDefine] = field(default_factory=list)
    unbalanced: list[int] = field(default_factory=list)  # offsets of annotations left as is
    conditionals: list[int] = field(default_factory=list)  # offsets of #if/#else/#endif lines
    dead: list[tuple[int, int]] = field(default_factory=list)  # branches left out (one_branch)
    # Each conditional: (#if line start, #if line end, first #else/#elif start or -1, #endif start, is `#if 0`)
    branches: list[tuple[int, int, int, int, bool]] = field(default_factory=list)
    conditional_lines: list[tuple[int, int]] = field(default_factory=list)
    # Code under a configuration condition: (start, end, condition) per branch, nested.
    cond_regions: list[tuple[int, int, str]] = field(default_factory=list)
    comments: list[tuple[int, int]] = field(default_factory=list)
    # File-scope macro statements: (name, offset, arguments as written)
    invocations: list[tuple[str, int, tuple[str, ...]]] = field(default_factory=list)
    # What the compiler would reject as never closed: ("comment" | "string" | "#if", offset)
    unterminated: list[tuple[str, int]] = field(default_factory=list)

    def without_comments(self, original: str) -> str:
        """The original text with only its comments blanked (same length)."""
        if not self.comments:
            return original
        b = _Blanker(original)
        b.chars.extend(self.comments)
        return b.build([])


def match_paren(text: str, open_pos: int) -> int:
    """Offset just past the `)` matching the `(` at open_pos, or -1."""
    depth = 0
    limit = min(len(text), open_pos + _MAX_PAREN_SPAN)
    for m in _PAREN_TOKENS.finditer(text, open_pos, limit):
        tok = m.group()
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth -= 1
            if depth == 0:
                return m.end()
    return -1


_SPLIT_TOKENS = re.compile(r"""[()\[\]{},:]|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.){1,8}'""")


def split_top_level(text: str, start: int, end: int, sep: str = ",") -> list[tuple[int, int]]:
    """Split text[start:end] at `sep` (a comma, or the colons of an asm statement) outside
    parentheses, brackets, braces and strings."""
    parts: list[tuple[int, int]] = []
    depth = 0
    seg = start
    for m in _SPLIT_TOKENS.finditer(text, start, end):
        tok = m.group()
        if tok in "([{":
            depth += 1
        elif tok in ")]}":
            depth -= 1
        elif tok == sep and depth == 0:
            parts.append((seg, m.start()))
            seg = m.end()
    parts.append((seg, end))
    return parts


def _skip_ws(text: str, pos: int) -> int:
    """Past white space and comments."""
    n = len(text)
    while pos < n:
        ch = text[pos]
        if ch in " \t\r\n\f\v":
            pos += 1
        elif ch == "/" and text.startswith("/*", pos):
            close = text.find("*/", pos + 2)
            pos = n if close < 0 else close + 2
        elif ch == "/" and text.startswith("//", pos):
            nl = text.find("\n", pos)
            pos = n if nl < 0 else nl
        else:
            break
    return pos


def _pp_end(text: str, pos: int) -> int:
    """End (offset of the newline, or len) of the logical preprocessor line starting at pos."""
    n = len(text)
    while True:
        nl = text.find("\n", pos)
        if nl < 0:
            return n
        seg = text[pos:nl]
        opened = seg.rfind("/*")
        if opened >= 0 and seg.find("*/", opened) < 0:
            close = text.find("*/", pos + opened + 2)
            if close < 0:
                return n
            pos = close + 2
            continue
        j = nl - 1
        if j >= 0 and text[j] == "\r":
            j -= 1
        if j >= 0 and text[j] == "\\":
            pos = nl + 1
            continue
        return nl


# Every byte but the newline becomes a space.
_TO_SPACES = bytes(10 if i == 10 else 32 for i in range(256))


class _Blanker:
    __slots__ = ("chars", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.chars: list[tuple[int, int]] = []

    def blank(self, start: int, end: int) -> None:
        if end > start:
            self.chars.append((start, end))

    def build(self, replace: list[tuple[int, str]]) -> str:
        """The text with every blanked range turned to spaces (newlines kept), then the
        same-length replacements written over it."""
        if not self.chars and not replace:
            return self.text
        buf = bytearray(self.text.encode("latin-1"))
        for s, e in self.chars:
            buf[s:e] = buf[s:e].translate(_TO_SPACES)
        for p, r in replace:
            buf[p : p + len(r)] = r.encode("latin-1")
        return buf.decode("latin-1")


def _strip_comments(text: str, by: str = "") -> str:
    return _COMMENT_IN_PP.sub(by, text) if "/" in text else text


def _is_asm_guard(directive: str, rest: str) -> bool | None:
    """True for a branch that is assembly-only, False for C-only, None otherwise."""
    if "__ASSEMBL" not in rest:
        return None
    cond = _strip_comments(rest).strip()
    if directive in ("ifdef", "ifndef") and cond in _ASM_GUARDS:
        return directive == "ifdef"
    if directive == "if":
        c = cond.replace(" ", "")
        for g in _ASM_GUARDS:
            if c in (f"defined({g})", f"defined{g}", g):
                return True
            if c in (f"!defined({g})", f"!defined{g}", f"!{g}"):
                return False
    return None


@dataclass(slots=True)
class _Frame:
    """One open `#if`: its condition, whether it is about the build (include guard,
    assembly) rather than the configuration, and what the scan blanks inside it."""

    cond: str
    not_config: bool
    asm: bool | None  # True: assembly-only branch now; False: C-only branch now
    asm_from: int = -1  # start of the assembly-only region being blanked
    if_start: int = -1
    if_end: int = -1
    branch_start: int = -1  # where the current branch's code starts
    prior: list[str] = field(default_factory=list)  # conditions of the branches before
    raw: str = ""  # this branch's own condition
    else_start: int = -1  # the first #else/#elif, or -1
    if0: bool = False


class _Ranges:
    """Sorted, disjoint [start, end) ranges with a membership test."""

    __slots__ = ("starts", "ends")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, start: int, end: int) -> None:
        self.starts.append(start)
        self.ends.append(end)

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


def prepare(
    text: str,
    vocab: Vocabulary,
    pattern: re.Pattern[str] | None = None,
    *,
    directives_only: bool = False,
) -> Prepared:
    """Scan `text` (Latin-1 decoded) and return the blanked text plus what was found.
    `directives_only` collects the `#define`s and stops there (the text is left as is)."""
    pat = pattern or vocab.pattern()
    blanker = _Blanker(text)
    replace: list[tuple[int, str]] = []
    result = Prepared(text)

    # Pass 1: comments (blanked) and string/char literals (kept, but nothing inside counts).
    # Reading only the directives, a `#` at the start of a line is taken as one even in a
    # comment (the kernel's comments start their lines with ` *`).
    lexical = _Ranges()
    lexical_strings: list[tuple[int, int]] = []
    if not directives_only:
        spans = [m.span() for m in _COMMENT_OR_STRING.finditer(text)]
        lexical.starts = [s for s, _ in spans]
        lexical.ends = [e for _, e in spans]
        result.comments = [(s, e) for s, e in spans if text[s] == "/"]
        lexical_strings = [(s, e) for s, e in spans if text[s] == '"']
        blanker.chars.extend(result.comments)
        for s, e in result.comments:
            if text[s + 1] == "*" and (e - s < 4 or text[e - 2 : e] != "*/"):
                result.unterminated.append(("comment", s))
        for s, e in lexical_strings:
            if e - s < 2 or text[e - 1] != '"':
                result.unterminated.append(("string", s))

    directives, asm_regions = _pass_directives(text, lexical, blanker, result, vocab)
    if directives_only:
        return result

    skip = _Skip(lexical, directives, asm_regions)
    _pass_vocabulary(text, vocab, pat, skip, blanker, replace, result)
    _iterators(text, skip, blanker, replace)
    _asm_statements(text, skip, blanker, replace)
    _line_macros(text, skip, blanker, replace, vocab, result.invocations, result.annotations)
    _macro_dot_blocks(text, skip, blanker)
    _odd_arguments(text, skip, blanker, replace)
    _string_macros(text, lexical_strings, skip, replace)
    _case_ranges(text, skip, blanker)
    _blocks(text, vocab.blocks, skip, blanker)
    result.text = blanker.build(replace)
    return result


def _pass_directives(
    text: str, lexical: _Ranges, blanker: _Blanker, result: Prepared, vocab: Vocabulary
) -> tuple[_Ranges, _Ranges]:
    """Preprocessor directives, conditional nesting, assembly-only regions; `#define`s are
    collected into `result`.  Returns the directive lines and the assembly regions."""
    n = len(text)
    directives = _Ranges()
    asm_regions = _Ranges()
    stack: list[_Frame] = []
    asm_from = -1
    pending_guard: tuple[str, _Frame] | None = None
    first_directive = True
    last_end = -1
    first = _FIRST_DIRECTIVE.match(text)
    matches = _DIRECTIVE_START.finditer(text)
    for m in itertools.chain([first] if first else [], matches):
        start = m.start() + (1 if text[m.start()] == "\n" else 0)
        if start <= last_end or (m.end() - 1) in lexical:
            continue
        end = _pp_end(text, start)
        last_end = end
        directives.add(start, end)
        if text.startswith("include", m.end()):  # the commonest directive: nothing to track
            blanker.chars.append((start, end))
            first_directive = False
            pending_guard = None
            continue
        line = text[start:end]
        d = _DIRECTIVE.match(line)
        directive = d.group(1) if d else ""
        rest = line[d.end() :] if d else ""
        if directive == "define":
            _record_define(text, start, end, rest, d.end() if d else 0, stack, result, vocab, asm_from >= 0)
            if pending_guard is not None:
                dm = _DEFINE.match(rest.strip())
                if dm and dm.group(1) == pending_guard[0]:
                    pending_guard[1].not_config = True
            pending_guard = None
        elif directive in ("if", "ifdef", "ifndef"):
            result.conditionals.append(start)
            asm = _is_asm_guard(directive, rest)
            cond = _strip_comments(rest).strip().replace("\\\n", " ")
            if directive == "ifdef":
                cond = f"defined({cond})"
            elif directive == "ifndef":
                cond = f"!defined({cond})"
            grouped = f"({cond})" if "||" in cond or "?" in cond else cond  # conjoined with && later
            frame = _Frame(grouped, asm is not None, asm, if_start=start, if_end=end, branch_start=end, raw=cond)
            frame.if0 = _strip_comments(rest).strip() == "0"
            pending_guard = (
                (_strip_comments(rest).strip(), frame) if directive == "ifndef" and first_directive else None
            )
            if asm is True and asm_from < 0:
                asm_from = end
                frame.asm_from = end
            stack.append(frame)
        elif directive in ("else", "elif") and stack:
            result.conditionals.append(start)
            frame = stack[-1]
            if frame.asm_from != -1:  # leaving an assembly-only branch
                blanker.blank(frame.asm_from, start)
                asm_regions.add(frame.asm_from, start)
                frame.asm_from = -1
                asm_from = _outer_asm(stack)
            if frame.asm is False and directive == "else" and asm_from < 0:
                asm_from = end
                frame.asm_from = end
            frame.asm = None if directive == "elif" else frame.asm
            if not frame.not_config:
                result.cond_regions.append((frame.branch_start, start, frame.cond))
            frame.prior.append(frame.raw)
            negated = " && ".join(f"!({c})" for c in frame.prior)
            if directive == "elif":
                frame.raw = _strip_comments(rest).strip()
                frame.cond = f"{negated} && ({frame.raw})"
            else:
                frame.cond = negated
            frame.branch_start = end
            if frame.else_start == -1:
                frame.else_start = start
            result.conditional_lines.append((start, end))
            pending_guard = None
        elif directive == "endif" and stack:
            result.conditionals.append(start)
            frame = stack.pop()
            if frame.asm_from != -1:
                blanker.blank(frame.asm_from, start)
                asm_regions.add(frame.asm_from, start)
                asm_from = _outer_asm(stack)
            result.branches.append((frame.if_start, frame.if_end, frame.else_start, start, frame.if0))
            if not frame.not_config:
                result.cond_regions.append((frame.branch_start, start, frame.cond))
            result.conditional_lines.append((frame.if_start, frame.if_end))
            result.conditional_lines.append((start, end))
            pending_guard = None
        else:
            pending_guard = None
        first_directive = False
        # The directive itself is not C: blank it so tree-sitter sees plain code, except
        # conditionals, which tree-sitter-c models as preproc nodes.
        if directive not in ("if", "ifdef", "ifndef", "elif", "else", "endif"):
            blanker.blank(start, end)
    for frame in stack:
        result.unterminated.append(("#if", frame.if_start))
    for frame in stack:  # unterminated #if: blank a dangling assembly region to the end
        if frame.asm_from != -1:
            blanker.blank(frame.asm_from, n)
            asm_regions.add(frame.asm_from, n)
            break

    return directives, asm_regions


def _pass_vocabulary(
    text: str,
    vocab: Vocabulary,
    pat: re.Pattern[str],
    skip: _Skip,
    blanker: _Blanker,
    replace: list[tuple[int, str]],
    result: Prepared,
) -> None:
    """The vocabulary, plus the file's own annotation-only macros
    (`#define POLYVAL_ALIGN_ATTR __aligned(16)`): record, blank, reshape."""
    n = len(text)
    local = _local_annotations(result.defines, vocab)
    typearg = dict(vocab.typearg)
    hits = list(pat.finditer(text))
    if local:
        hits += re.finditer(_trie(sorted(local)), text)
        hits.sort(key=lambda m: m.start())
    pos = 0
    for m in hits:
        start, end = m.span()
        if start < pos:
            continue
        if start and (text[start - 1].isalnum() or text[start - 1] in "_$." or text[start - 2 : start] == "->"):
            continue
        if end < n and (text[end].isalnum() or text[end] in "_$"):
            continue
        if skip(start):
            continue
        name = m.group()
        pos = end
        if name in local or name in vocab.blank:
            result.annotations.append(RawAnnotation(name, start, end, None))
            blanker.blank(start, end)
            continue
        args = _argument_list(text, end)
        if args is None:
            continue
        p, close = args
        if close >= 0 and name in vocab.calls and _past_statement(text, p, close):
            close = -1  # `__attribute__((section((".x")));` closed lines later: not its arguments
        if close < 0:
            if name in vocab.calls:
                result.unbalanced.append(start)
            continue
        if name in typearg:
            parts = split_top_level(text, p + 1, close - 1)
            i = typearg[name]
            if name == "offsetof":
                # tree-sitter-c knows `offsetof(type, member)` only for a plain member
                replace.append((start, "OFFSETOF"))
            if len(parts) > i and len(parts) >= 2:
                # blank the type and one comma next to it: `min_t(   a, b)`
                s0, e0 = parts[i]
                if i + 1 < len(parts):
                    blanker.blank(s0, parts[i + 1][0])
                else:
                    blanker.blank(parts[i - 1][1], e0)
            pos = p + 1
        elif name in vocab.calls:
            result.annotations.append(RawAnnotation(name, start, close, (p + 1, close - 1)))
            blanker.blank(start, close)
            pos = close
        elif name in vocab.dsl:
            q = _skip_ws(text, close)
            if q < n and text[q] == ";":
                close = q + 1
            blanker.blank(start, close)
            pos = close
        elif name in vocab.pair:
            parts = split_top_level(text, p + 1, close - 1)
            own = dict(vocab.macro_sections).get(name)
            if own is not None and len(parts) in (2, 3):
                result.annotations.append(RawAnnotation(name, start, end, None, section=own))
            if len(parts) in (2, 3):
                # `DEFINE_PER_CPU(u64 [4], x)`: the array part cannot stand before the name
                for am in re.finditer(r"\[[^\]]*\]", text[parts[0][0] : parts[0][1]]):
                    blanker.blank(parts[0][0] + am.start(), parts[0][0] + am.end())
                blanker.blank(start, p + 1)
                blanker.blank(parts[1][0] - 1, parts[1][0])  # `type, name` -> `type  name`
                if len(parts) == 3:  # DEFINE_EARLY_PER_CPU(type, name, init) -> `type name = init`
                    replace.append((parts[2][0] - 1, "="))
                blanker.blank(close - 1, close)
            pos = p + 1
        elif name in vocab.syscall and p - start >= 5:
            parts = split_top_level(text, p + 1, close - 1)
            if len(parts) >= 3 and len(parts) % 2 == 1:
                # long <spaces> name( t1  a1, t2  a2)
                replace.append((start, "long" + " " * (p + 1 - start - 4)))
                replace.append((parts[0][1], "("))
                for i in range(1, len(parts) - 1, 2):
                    replace.append((parts[i][1], " "))
                result.invocations.append((name, start, (text[parts[0][0] : parts[0][1]].strip(),)))
            pos = p + 1


_STRING_LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def _past_statement(text: str, open_pos: int, close: int) -> bool:
    """Whether an annotation's parentheses close past the end of its statement (a `;`, `{`
    or `}` between them, outside strings): an unbalanced annotation whose parenthesis met
    one of a later line.  Taken as its arguments, its fix would swallow the code between
    (found by fuzzing --fix)."""
    seg = text[open_pos:close]
    if ";" not in seg and "{" not in seg and "}" not in seg:
        return False
    seg = _STRING_LITERAL.sub("", seg)
    return ";" in seg or "{" in seg or "}" in seg


def _argument_list(text: str, end: int) -> tuple[int, int] | None:
    """The `(` after a name ending at `end` and the offset past its matching `)` (-1 when
    unbalanced), or None when no argument list follows."""
    p = _skip_ws(text, end)
    if p >= len(text) or text[p] != "(":
        return None
    return p, match_paren(text, p)


def condition_segments(regions: list[tuple[int, int, str]]) -> tuple[list[int], list[int], list[str]]:
    """Flatten nested branch regions into disjoint segments, each with the conjunction of
    the conditions it stands under: (starts, ends, conditions), sorted, for bisection."""
    points = sorted({p for a, b, _ in regions for p in (a, b)})
    ordered = sorted(regions, key=lambda r: (r[0], -r[1]))
    starts: list[int] = []
    ends: list[int] = []
    conds: list[str] = []
    active: list[tuple[int, int, str]] = []
    k = 0
    for a, b in zip(points, points[1:]):
        while k < len(ordered) and ordered[k][0] <= a:
            active.append(ordered[k])
            k += 1
        active = [r for r in active if r[1] > a]
        inside = [c for s, e, c in active if s <= a and b <= e]
        if inside:
            starts.append(a)
            ends.append(b)
            conds.append(" && ".join(inside))
    return starts, ends, conds


def one_branch(prepared: Prepared) -> Prepared:
    """The prepared text with one branch of each conditional kept (the first; the `#else` of
    an `#if 0`) and the conditional directives blanked: the fallback for files whose
    conditionals split a statement or an initializer in a way tree-sitter cannot parse.
    Annotations in the branches left out are dropped here (`dead` says where they were)."""
    dead: list[tuple[int, int]] = []
    for _if_start, if_end, else_start, endif, if0 in prepared.branches:
        if if0:
            dead.append((if_end, else_start if else_start != -1 else endif))
        elif else_start != -1:
            dead.append((else_start, endif))
    b = _Blanker(prepared.text)
    b.chars.extend(dead)
    b.chars.extend(prepared.conditional_lines)
    inside = _Ranges()
    for a, e in sorted(dead):
        if not inside.ends or a >= inside.ends[-1]:
            inside.add(a, e)
    return Prepared(
        b.build([]),
        annotations=[r for r in prepared.annotations if r.in_macro is not None or r.start not in inside],
        defines=prepared.defines,
        unbalanced=prepared.unbalanced,
        dead=dead,
        comments=prepared.comments,
        cond_regions=prepared.cond_regions,
        invocations=[i for i in prepared.invocations if i[1] not in inside],
    )


class _Skip:
    """Offsets where nothing is C code to act on: comments, strings, directives, assembly."""

    __slots__ = ("ranges",)

    def __init__(self, *ranges: _Ranges) -> None:
        self.ranges = ranges

    def __call__(self, pos: int) -> bool:
        return any(pos in r for r in self.ranges)


_WORD_ONLY = re.compile(r"[A-Za-z_]\w*")


def _local_annotations(defines: list[RawDefine], vocab: Vocabulary) -> frozenset[str]:
    """Object-like macros of the file made of annotations only
    (`#define AESNI_ALIGN_ATTR __attribute__ ((__aligned__(AESNI_ALIGN)))`)."""
    out: set[str] = set()
    known = vocab.blank | {"inline", "__inline", "__inline__"}
    for d in defines:
        if d.params is not None or not d.body or d.name in vocab.blank or "__ASSEMBLY__" in "".join(d.conditions):
            continue
        words = _WORD_ONLY.findall(d.body)
        if not words or not all(w in known or w in vocab.calls or w in out for w in words[:1]):
            continue
        body = _drop_calls(d.body, vocab.calls)
        rest = _WORD_ONLY.findall(body)
        if rest and all(w in known or w in out for w in rest) and not re.search(r"[^\w\s]", body):
            out.add(d.name)
    return frozenset(out)


def _drop_calls(body: str, calls: frozenset[str]) -> str:
    """`body` with every `name(...)` of a function-like annotation removed."""
    out: list[str] = []
    pos = 0
    for m in _WORD_ONLY.finditer(body):
        if m.start() < pos or m.group() not in calls:
            continue
        p = _skip_ws(body, m.end())
        if p < len(body) and body[p] == "(":
            close = match_paren(body, p)
            if close > 0:
                out.append(body[pos : m.start()])
                out.append(" ")
                pos = close
    out.append(body[pos:])
    return "".join(out)


_ITERATOR = re.compile(r"for_")
_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _iterators(text: str, skip: _Skip, blanker: _Blanker, replace: list[tuple[int, str]]) -> None:
    """`list_for_each_entry(pos, head, member) {` -> `while              (pos, head, member) {`:
    the iterator macros read as a loop over a comma expression."""
    n = len(text)
    for m in _ITERATOR.finditer(text):
        start = m.start()
        while start and text[start - 1] in _IDENT_CHARS:
            start -= 1
        end = m.end()
        while end < n and text[end] in _IDENT_CHARS:
            end += 1
        word = text[start:end]
        if end - start < 5 or not (word.startswith("for_") or "for_each" in word) or skip(start):
            continue
        p = _skip_ws(text, end)
        if p >= n or text[p] != "(":
            continue
        close = match_paren(text, p)
        if close < 0:
            continue
        q = _skip_ws(text, close)
        if q < n and text[q] in ";,)=":
            continue  # a call or a macro used as a value, not a loop head
        replace.append((start, "while" + " " * (end - start - 5)))


_ASM = re.compile(r"asm")
_ASM_WORDS = frozenset({"asm", "__asm__", "__asm", "asm_inline"})


class _Span:
    __slots__ = ("a", "e")

    def __init__(self, a: int, e: int) -> None:
        self.a, self.e = a, e

    def start(self) -> int:
        return self.a

    def end(self) -> int:
        return self.e


_ASM_QUAL = re.compile(r"(?:\s|volatile|__volatile__|goto|inline|__inline__)*")


def _asm_statements(text: str, skip: _Skip, blanker: _Blanker, replace: list[tuple[int, str]]) -> None:
    """Macros inside `asm(...)`: template pieces (`LOCK_PREFIX "orb %1,%0"`,
    `ALTERNATIVE(...)`) are blanked, constraint macros (`CC_OUT(nz) (x)`) become a string,
    and operand macros (`__FORCE_ORDER`, `ASM_CALL_CONSTRAINT`) a dummy operand."""
    n = len(text)
    for am in _ASM.finditer(text):
        a, e = am.start(), am.end()
        while a and text[a - 1] in _IDENT_CHARS:
            a -= 1
        while e < n and text[e] in _IDENT_CHARS:
            e += 1
        if text[a:e] not in _ASM_WORDS or am.start() != a + text[a:e].find("asm") or skip(a):
            continue
        m = _Span(a, e)
        qual = _ASM_QUAL.match(text, m.end())
        p = qual.end() if qual else m.end()
        if p >= n or text[p] != "(":
            continue
        close = match_paren(text, p)
        if close < 0:
            continue
        q = _skip_ws(text, close)
        if q < n and text[q] in "=;," and re.fullmatch(r'\s*"[^"]*"\s*', text[p + 1 : close - 1]):
            blanker.blank(m.start(), close)  # `register long rax asm("rax") = ...`: a register name
            continue
        if text[m.start() : m.end()] == "asm_inline":
            replace.append((m.start(), "asm       "))
        sections = _split_asm(text, p + 1, close - 1)
        for idx, (s0, e0) in enumerate(sections):
            if idx == 0:
                _asm_template(text, s0, e0, blanker, replace)
            elif idx < 3:
                for a, b in split_top_level(text, s0, e0):
                    _asm_operand(text, a, b, blanker, replace)
            elif idx == 3:
                for im in re.finditer(r"(?<![\w\"])[A-Za-z_]\w*", text[s0:e0]):
                    if not skip(s0 + im.start()):
                        blanker.blank(s0 + im.start(), s0 + im.end())


def _split_asm(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The `:`-separated sections of an asm statement (colons outside parens and strings)."""
    return split_top_level(text, start, end, ":")


_TEMPLATE_TOKEN = re.compile(r""""(?:[^"\\\n]|\\.)*"|[A-Za-z_]\w*|\S""")


def _asm_template(text: str, start: int, end: int, blanker: _Blanker, replace: list[tuple[int, str]]) -> None:
    has_string = False
    first_blank = -1
    pos = start
    for m in _TEMPLATE_TOKEN.finditer(text, start, end):
        if m.start() < pos:
            continue
        tok = m.group()
        if tok.startswith('"'):
            has_string = True
            continue
        if tok[0].isalpha() or tok[0] == "_":
            stop = m.end()
            q = _skip_ws(text, stop)
            if q < end and text[q] == "(":
                close = match_paren(text, q)
                if close > 0:
                    stop = close
            blanker.blank(m.start(), stop)
            if first_blank < 0 and stop - m.start() >= 2:
                first_blank = m.start()
            pos = stop
    if not has_string and first_blank >= 0:
        replace.append((first_blank, '""'))


def _asm_operand(text: str, start: int, end: int, blanker: _Blanker, replace: list[tuple[int, str]]) -> None:
    seg = text[start:end]
    named = re.match(r"\s*\[\s*\w+\s*\]", seg)
    if named:
        start += named.end()
        seg = text[start:end]
    lead = len(seg) - len(seg.lstrip())
    body = seg.strip()
    if not body or body[0] in '"[':
        return
    m = re.match(r"[A-Za-z_]\w*", body)
    if not m:
        return
    a = start + lead
    stop = a + m.end()
    q = _skip_ws(text, stop)
    if q < end and text[q] == "(":
        close = match_paren(text, q)
        if close < 0:
            return
        stop = close
    rest = text[stop:end].strip()
    if rest.startswith("("):
        # a constraint macro before its operand: CC_OUT(nz) (ret)
        if stop - a >= 3:
            replace.append((a, '"r"' + " " * (stop - a - 3)))
    elif not rest and end - a >= 6:
        replace.append((a, '"r"(0)' + " " * (stop - a - 6)))
    else:
        blanker.blank(a, stop)


# An upper-case macro anywhere on its line, or a lower-case one at column 0 (file scope).
# (The indentation is taken whole, `(?=([ \t]*))\1`: backing into it never finds a name.)
_LINE_MACRO_BODY = (
    r"(?:(?=([ \t]*))\1((?:static[ \t]+)?)((?:__[a-z]\w*[ \t]+)*)(_*[A-Z][A-Z0-9_]*)|([a-z_]\w*))[ \t]*\("
)
_LINE_MACRO = re.compile(r"\n" + _LINE_MACRO_BODY)
_LINE_MACRO_AT_START = re.compile(_LINE_MACRO_BODY)
_UPPER = re.compile(r"_*[A-Z][A-Z0-9_]*")
_DECLARING = re.compile(r"(?:^|_)(?:DECLARE|DEFINE)_")
# Macros that define a function named by their first argument, its body following
# (arch/x86/include/asm/idtentry.h, include/linux/syscalls.h).
FUNCTION_MACRO = re.compile(r"DEFINE_IDTENTRY\w*$|(?:COMPAT_)?SYSCALL_DEFINE0$|DEFINE_FREDENTRY\w*$")


def _line_macros(
    text: str,
    skip: _Skip,
    blanker: _Blanker,
    replace: list[tuple[int, str]],
    vocab: Vocabulary,
    invocations: list[tuple[str, int, tuple[str, ...]]],
    annotations: list[RawAnnotation] | None = None,
) -> None:
    """Macro invocations at the start of a line that stand for declarations or code:
    `DECLARE_WORK(name, fn);` -> `DECLARE_WORK name          ;` (a declaration of `name`),
    `DECLARE_BITMAP(mask, N)` -> `unsigned long  mask[ N]`, and code generators with no `;`
    after them (`BUILD_KVM_GPR_ACCESSORS(rax, RAX)`, `build_mmio_read(...)`) blanked."""
    n = len(text)
    known = vocab.blank | vocab.calls | vocab.dsl | vocab.pair | vocab.syscall
    at_start = _LINE_MACRO_AT_START.match(text)
    for m in itertools.chain([at_start] if at_start else [], _LINE_MACRO.finditer(text)):
        if m.group(5) is not None:
            indent, static, lead, name, start = "", "", "", m.group(5), m.start(5)
        else:
            indent, static, lead, name, start = m.group(1), m.group(2), m.group(3), m.group(4), m.start(4)
        if name in known or len(name) < 3 or skip(start):
            continue
        upper = _UPPER.fullmatch(name) is not None
        if not upper and (indent or static or lead):
            continue
        p = m.end() - 1
        close = match_paren(text, p)
        if close < 0:
            continue
        q = _skip_ws(text, close)
        nxt = text[q] if q < n else ""
        word = _WORD_ONLY.match(text, q, q + 64)
        annotated = word is not None and (word.group() in vocab.blank or word.group() in vocab.calls)
        if nxt == ";" and not indent:
            args = tuple(" ".join(text[a:b].split()) for a, b in split_top_level(text, p + 1, close - 1))
            invocations.append((name, start, args))
        declares = upper and (static or lead or _DECLARING.search(name) is not None or name == "LIST_HEAD")
        if upper and nxt == "{" and FUNCTION_MACRO.match(name):
            # DEFINE_IDTENTRY(exc_divide_error) { ... }: a function named by the first argument
            parts = split_top_level(text, p + 1, close - 1)
            first = text[parts[0][0] : parts[0][1]].strip()
            head = f"void {first}()"
            if re.fullmatch(r"[A-Za-z_]\w*", first) and len(head) <= close - start:
                replace.append((start, head + " " * (close - start - len(head))))
                own = dict(vocab.macro_sections).get(name)
                if own is not None and annotations is not None:  # `__visible noinstr void f(...)`
                    annotations.append(RawAnnotation(name, start, start + len(name), None, section=own))
                # the macro's own code (entry/exit work around the body) belongs to it too
                invocations.append((name, start, (first,)))
            continue
        if declares and (nxt in ";=," or annotated):
            parts = split_top_level(text, p + 1, close - 1)
            first = text[parts[0][0] : parts[0][1]]
            if _UPPER.fullmatch(first.strip()) and len(parts) > 1:
                # `DECLARE_PCI_FIXUP_CLASS_HEADER(PCI_ANY_ID, ...)`: a macro's value as the
                # first argument, not the name of what it declares (crosscheck found an object
                # named PCI_ANY_ID); a registration, read from the invocation
                continue
            if not re.fullmatch(r"\s*[A-Za-z_]\w*\s*", first):
                last = text[parts[-1][0] : parts[-1][1]]
                if len(parts) == 2 and re.fullmatch(r"\s*[A-Za-z_]\w*\s*", last):
                    # DEFINE_SNMP_STAT(struct dccp_mib, name) -> `struct dccp_mib  name`
                    blanker.blank(start, p + 1)
                    blanker.blank(parts[1][0] - 1, parts[1][0])
                    blanker.blank(close - 1, close)
                continue
            if name == "DECLARE_BITMAP" and len(parts) == 2 and p - start == 14:
                replace.append((start, "unsigned long  "))
                replace.append((parts[0][1], "["))
                replace.append((close - 1, "]"))
                continue
            blanker.blank(p, p + 1)  # `(` -> ` `: the macro name reads as a type
            blanker.blank(parts[0][1], close)
        elif not annotated and (nxt in ("", "}", "#") or nxt.isalpha() or nxt == "_"):
            if static or lead:
                continue
            blanker.blank(start, close)


_DOT_MACRO = re.compile(r"\n[ \t]*\.macro\b")
_DOT_ENDM = re.compile(r"\n[ \t]*\.endm\b[^\n]*")


def _macro_dot_blocks(text: str, skip: _Skip, blanker: _Blanker) -> None:
    """Assembler `.macro ... .endm` blocks in headers that C code includes too."""
    pos = 0
    for m in _DOT_MACRO.finditer(text):
        if m.start() < pos or skip(m.end() - 1):
            continue
        end = _DOT_ENDM.search(text, m.end())
        if end is None:
            return
        blanker.blank(m.start() + 1, end.end())
        pos = end.end()


_DESIGNATED_CALL = re.compile(r"\([ \t]*\.[A-Za-z_]\w*[ \t]*=")
_TYPE_ARG = re.compile(r"([(,])([ \t]*)(struct|union|enum)([ \t]+[A-Za-z_]\w*[ \t]*)(\**)[ \t]*(?=[,)])")
_WORDY_TYPE_ARG = re.compile(
    r"([(,])[ \t]*((?:unsigned|signed)[ \t]+(?:char|short|int|long(?:[ \t]+long)?)|long[ \t]+(?:long|int))"
    r"[ \t]*(\**)[ \t]*(?=[,)])"
)
# Searched as two patterns (after `(`, after `,`): one that starts with a single character is
# found by a tight scan, one that starts with a class of two is not.  (Their matches cannot overlap.)
_TYPE_ARG_HINTS = (
    re.compile(r"\([ \t]*(?:struct|union|enum|unsigned|signed|long)[ \t]"),
    re.compile(r",[ \t]*(?:struct|union|enum|unsigned|signed|long)[ \t]"),
)
_EMPTY_LAST_ARG = re.compile(r",[ \t]*\)")


def _odd_arguments(text: str, skip: _Skip, blanker: _Blanker, replace: list[tuple[int, str]]) -> None:
    """Macro arguments that are not expressions: designated initializers
    (`X86_CONFIG(.event=0xc9)` -> `(int)      {.event=0xc9}`), types (`alloc_percpu(struct
    msr)`, `__typecheck(unsigned long, x)`) and an empty last argument (`f(a, b,)`)."""
    for m in _DESIGNATED_CALL.finditer(text):
        p = m.start()
        start = p
        while start and text[start - 1] in " \t":
            start -= 1
        name_end = start
        while start and text[start - 1] in _IDENT_CHARS:
            start -= 1
        if name_end == start or p - start + 1 < 6 or skip(start) or text[start].isdigit():
            continue
        close = match_paren(text, p)
        if close < 0:
            continue
        replace.append((start, "(int)" + " " * (p - start - 5) + "{"))
        replace.append((close - 1, "}"))
    for hint in sorted(m.start() for pattern in _TYPE_ARG_HINTS for m in pattern.finditer(text)):
        tm = _TYPE_ARG.match(text, hint)
        if tm is not None:
            if skip(tm.start()) or (tm.group(1) == "(" and not _after_identifier(text, tm.start())):
                continue
            blanker.blank(tm.start(3), tm.end(3))
            if tm.group(5):
                blanker.blank(tm.start(5), tm.end(5))
            continue
        wm = _WORDY_TYPE_ARG.match(text, hint)
        if wm is None or skip(wm.start()) or (wm.group(1) == "(" and not _after_identifier(text, wm.start())):
            continue
        replace.append((wm.start(2), re.sub(r"[ \t]+", "_", wm.group(2))))
        if wm.group(3):
            blanker.blank(wm.start(3), wm.end(3))
    for m in _EMPTY_LAST_ARG.finditer(text):
        if not skip(m.start()):
            blanker.blank(m.start(), m.start() + 1)


def _after_identifier(text: str, pos: int) -> bool:
    """Whether the `(` at pos follows an identifier (a call), not a cast or a group."""
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i >= 0 and text[i] in _IDENT_CHARS


_CAPS = re.compile(r"_*[A-Z][A-Z0-9_]+")
_STRING_FUNCS = frozenset({"__stringify", "pr_fmt", "KBUILD_MODNAME"})


def _string_macros(text: str, strings: list[tuple[int, int]], skip: _Skip, replace: list[tuple[int, str]]) -> None:
    """Macros pasted to string literals (`KERN_INFO "x"`, `"a" DRV_NAME`,
    `__stringify(X) "b"`) become empty strings: `""        "x"`."""
    n = len(text)
    done: set[int] = set()
    for s, e in strings:
        # to the left: an identifier (or a call) right before the string
        i = s - 1
        while i >= 0 and text[i] in " \t\n":
            i -= 1
        if i >= 0 and text[i] == ")":
            # __stringify(X) "..."
            depth, j = 0, i
            while j >= 0:
                if text[j] == ")":
                    depth += 1
                elif text[j] == "(":
                    depth -= 1
                    if depth == 0:
                        break
                j -= 1
            k = j - 1
            while k >= 0 and text[k] in " \t":
                k -= 1
            w_end = k + 1
            while k >= 0 and text[k] in _IDENT_CHARS:
                k -= 1
            if text[k + 1 : w_end] in _STRING_FUNCS and (k + 1) not in done and not skip(k + 1):
                done.add(k + 1)
                replace.append((k + 1, '""' + " " * (i + 1 - (k + 1) - 2)))
        elif i >= 0 and text[i] in _IDENT_CHARS:
            j = i
            while j >= 0 and text[j] in _IDENT_CHARS:
                j -= 1
            word = text[j + 1 : i + 1]
            if (_CAPS.fullmatch(word) or word in _STRING_FUNCS) and (j + 1) not in done and not skip(j + 1):
                done.add(j + 1)
                replace.append((j + 1, '""' + " " * (len(word) - 2)))
        # to the right: "..." NAME (then another string, or the end of the argument)
        k = e
        while k < n and text[k] in " \t\n":
            k += 1
        m = _CAPS.match(text, k)
        if m and (k == 0 or text[k - 1] not in _IDENT_CHARS) and k not in done and not skip(k):
            after = m.end()
            while after < n and text[after] in " \t\n":
                after += 1
            if after < n and text[after] in '"),;' and not (after < n and text[after] == "("):
                done.add(k)
                replace.append((k, '""' + " " * (m.end() - k - 2)))


def _blocks(text: str, blocks: tuple[tuple[str, str], ...], skip: _Skip, blanker: _Blanker) -> None:
    """Macro-delimited object definitions (`DT_MACHINE_START(...) ... MACHINE_END`)."""
    for opening, closing in blocks:
        if opening not in text:
            continue
        for m in re.finditer(r"(?<![\w$])" + re.escape(opening) + r"\s*\(", text):
            if skip(m.start()):
                continue
            end = re.compile(r"(?<![\w$])" + re.escape(closing) + r"(?![\w$])").search(text, m.end())
            if end is not None:
                blanker.blank(m.start(), end.end())


_ELLIPSIS = re.compile(r"\.\.\.")
_CASE_HEAD = re.compile(r"\bcase\b[^:;{}\n]*$")


def _case_ranges(text: str, skip: _Skip, blanker: _Blanker) -> None:
    """GNU case ranges `case A ... B:` -> `case A      :`."""
    for m in _ELLIPSIS.finditer(text):
        start = m.start()
        line_start = text.rfind("\n", 0, start) + 1
        if not _CASE_HEAD.search(text, line_start, start) or skip(start):
            continue
        colon = text.find(":", m.end())
        newline = text.find("\n", m.end())
        if colon < 0 or (0 <= newline < colon):
            continue
        blanker.blank(start, colon)


def _outer_asm(stack: list[_Frame]) -> int:
    for frame in stack:
        if frame.asm_from != -1:
            return frame.asm_from
    return -1


def _record_define(
    text: str,
    start: int,
    end: int,
    rest: str,
    rest_offset: int,
    stack: list[_Frame],
    result: Prepared,
    vocab: Vocabulary,
    in_asm: bool,
) -> None:
    m = _DEFINE.match(rest.lstrip(" \t"))
    if not m:
        return
    lead = len(rest) - len(rest.lstrip(" \t"))
    name = m.group(1)
    params: tuple[str, ...] | None = None
    body_off = start + rest_offset + lead + m.end()
    if m.group(2):
        close = text.find(")", body_off)
        if close < 0 or close > end:
            return
        params = tuple(p.strip() for p in text[body_off:close].split(",") if p.strip())
        body_off = close + 1
    raw_body = text[body_off:end]
    body = raw_body
    if "\\" in body:
        body = body.replace("\\\r\n", " ").replace("\\\n", " ")
    body = _strip_comments(body, " ").strip()
    conds = tuple(f.cond for f in stack if not f.not_config and f.cond != f"!defined({name})")
    if in_asm:
        conds = (*conds, "defined(__ASSEMBLY__)")
    result.defines.append(RawDefine(name, params, body, start, end, body_off, conds))
    if in_asm or not any(w in raw_body for w in vocab.record_in_defines):
        return
    # Annotations spelled inside the macro body (HV201 in `DEFINE_VVAR`).
    for am in re.finditer(
        r"(?<![\w$])(" + "|".join(map(re.escape, sorted(vocab.record_in_defines))) + r")(?![\w$])", raw_body
    ):
        a_start = body_off + am.start()
        p = _skip_ws_pp(text, body_off + am.end(), end)
        if p < end and text[p] == "(":
            close = match_paren(text, p)
            if 0 <= close <= end:
                result.annotations.append(RawAnnotation(am.group(1), a_start, close, (p + 1, close - 1), name))


def _skip_ws_pp(text: str, pos: int, end: int) -> int:
    while pos < end and (text[pos] in " \t\r\n" or (text[pos] == "\\" and text[pos + 1 : pos + 2] in ("\n", "\r"))):
        pos += 1
    return pos
