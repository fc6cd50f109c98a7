#!/usr/bin/env python3
"""Measure hvlint's C front end on a kernel tree.

    python tools/parse_quality.py --tree /path/to/linux [--json] [--jobs N] [--seed S]

Three measurements on the .c/.h files `hvlint check TREE` lints (default scope):

1. **Parse quality**: bare tree-sitter-c on the raw bytes against hvlint's front end
   (`extract_c`, i.e. lexical preparation then tree-sitter-c).  Counting follows
   shared/research/tree-sitter-on-kernel.md: walk only into nodes with `has_error`; an ERROR
   node is counted once, at its top-most level; MISSING nodes are counted where found
   outside ERROR nodes; "lines inside ERROR" is the union of the line spans of the ERROR nodes.
2. **Remaining errors**: every top-level ERROR (and MISSING) site left after preparation,
   classified by the first line of the site (regexes below), the macro names seen on those
   lines, the 15 files with most error lines and 20 sample sites (fixed seed).
3. **Annotated declarations check**: an independent, grep-like count of declarations that
   carry a section annotation, compared with hvlint's `Annotation`/`Decl` facts.  See
   `grep_annotated` and `declared_name` for the heuristic.

Nothing is written anywhere; the tree is only read.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import tree_sitter
import tree_sitter_c

from hvlint.discover import read_source
from hvlint.frontend.prepare import prepare
from hvlint.frontend.treesitter import extract_c
from hvlint.tables import table_for, vocabulary_for


def default_scope(root: str) -> list[str]:
    """The files `hvlint check ROOT` lints (default scope plus the section headers the
    table found): hvlint's own resolution."""
    from hvlint.engine import Options, resolve_inputs

    return list(resolve_inputs(Options(paths=[root]))[2])


# Reference figures for bare tree-sitter-c (research note, 1,328-file scope of 2026-11-25).
REFERENCE = {"files_with_errors": "782 / 1,328 = 58.9 %", "error_lines": "14,147 / 478,694 = 2.96 %"}

# ---------------------------------------------------------------------------------------------
# tree-sitter error walk


_PARSER: tree_sitter.Parser | None = None


def parser() -> tree_sitter.Parser:
    global _PARSER
    if _PARSER is None:
        _PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_c.language()))
    return _PARSER


@dataclass
class ErrorWalk:
    errors: int = 0
    missing: int = 0
    error_lines: int = 0
    # (kind "ERROR"/"MISSING", 0-based start row, start col, 0-based end row, missing type,
    #  0-based row of the culprit: first nested ERROR/MISSING of a big ERROR, else start row)
    sites: list[tuple[str, int, int, int, str, int]] = field(default_factory=list)


# An ERROR spanning this many lines or more is classified by its culprit: the first ERROR or
# MISSING node nested in it (document order), when there is one.  Big ERROR nodes usually start
# at an include guard or function head that is fine, the real failure is further down.
BIG_SPAN = 10


def culprit(node: tree_sitter.Node) -> tuple[int, int] | None:
    for child in node.children:
        if child.is_error or child.is_missing:
            return child.start_point[0], child.start_point[1]
        if child.has_error:
            inner = culprit(child)
            if inner is not None:
                return inner
    return None


def walk_errors(root: tree_sitter.Node, keep_sites: bool) -> ErrorWalk:
    out = ErrorWalk()
    lines: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error:
            out.errors += 1
            r0, c0 = node.start_point
            r1 = node.end_point[0]
            lines.update(range(r0, r1 + 1))
            if keep_sites:
                cul = culprit(node) if r1 - r0 >= BIG_SPAN else None
                out.sites.append(("ERROR", r0, c0, r1, "", cul[0] if cul else r0))
            continue
        if node.is_missing:
            out.missing += 1
            if keep_sites:
                r0, c0 = node.start_point
                out.sites.append(("MISSING", r0, c0, r0, node.type, r0))
            continue
        stack.extend(c for c in node.children if c.has_error)
    out.error_lines = len(lines)
    out.sites.sort(key=lambda s: (s[1], s[2]))
    return out


def prepared_parse(text: str, vocab: Any, pattern: Any) -> tuple[str, tree_sitter.Tree]:
    """The text extract_c parses and its tree: `prepare()`, then, as extract_c does, the
    one-branch retry for conditionals that split a statement when it has fewer errors.
    (Mirrors extract_c through its private helpers when they exist; the report flags files
    where our error counts differ from extract_c's stats.)"""
    prepared = prepare(text, vocab, pattern)
    tree = parser().parse(prepared.text.encode("latin-1"))
    try:
        from hvlint.frontend import treesitter as ts_front

        errors_near = ts_front._errors_near
        error_weight = ts_front._error_weight
    except (ImportError, AttributeError):
        return prepared.text, tree
    conditionals = getattr(prepared, "conditionals", None)
    if tree.root_node.has_error and conditionals and errors_near(tree.root_node, conditionals, text):
        from hvlint.frontend.prepare import one_branch

        alt = one_branch(prepared)
        alt_tree = parser().parse(alt.text.encode("latin-1"))
        if error_weight(alt_tree.root_node) < error_weight(tree.root_node):
            return alt.text, alt_tree
    return prepared.text, tree


def count_lines(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


# ---------------------------------------------------------------------------------------------
# Classification of remaining error sites (by the first line of the site, prepared text)

_C_DUNDER_WORDS = frozenset(
    "__asm__ __asm __volatile__ __volatile __typeof__ __typeof __inline__ __inline __restrict__ "
    "__restrict __extension__ __label__ __alignof__ __alignof __func__ __FUNCTION__ __signed__ "
    "__signed __const__ __const __int128 __auto_type __real__ __imag__ __thread __VA_ARGS__ "
    "__LINE__ __FILE__ __COUNTER__ __KERNEL__ __ASSEMBLY__ __user_ptr".split()
)
_TYPE_LIKE = re.compile(r"__(?:[us](?:8|16|32|64|128)|(?:le|be)(?:16|32|64)|kernel_\w+|poll_t|wsum|sum16|builtin_\w+)$")
_ANNOT_LIKE = re.compile(
    r"(?<![\w$])(____\w+|__[a-z][a-z0-9_]*|asmlinkage|notrace|noinstr|noinline\w*)(?![\w$])(?!\s*\()"
)
_MACRO_CALL = re.compile(r"(?<![\w$])([A-Z_][A-Z0-9_]*[A-Z0-9])\s*\(")
_STRINGS = re.compile(r""""(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.){1,8}'""")
_ASM_LINE = re.compile(
    r"""%%?[re]?[a-z]{1,2}[xpil]?\b(?!\s*[=;])   # %rax %eax %cr4
      |(?<![\w)\]])\$(?:\(|-?\d|[A-Za-z_])          # $imm
      |\\[a-z_]\w*                                   # \macro_arg
      |^\s*\.(?:macro|endm|section|pushsection|popsection|previous|rept|endr|irp|if\w*|else|endif
               |globl|global|type|size|align|balign|p2align|long|quad|byte|word|short|ascii|asciz
               |set|equ|skip|fill|org|code\d+|text|data|bss|L\w*)\b(?!\s*=)
      |^\s*(?:mov|push|pop|call|jmp|lea|add|sub|xor|and|or|cmp|test|shl|shr|sar|inc|dec
              |sysret|iret|swapgs|wrmsr|rdmsr|cpuid|lfence|mfence|ud2|nop)[bwlq]?\s+[%$\\*]
      |^\s*\d+:                                      # local numeric label
    """,
    re.X,
)

CATEGORIES = ("annotation", "macro DSL / odd macro args", "preprocessor", "assembly", "other")


def annotation_tokens(line: str) -> list[str]:
    """Identifiers on a (prepared) line that look like declaration-annotation macros."""
    out = []
    for m in _ANNOT_LIKE.finditer(line):
        w = m.group(1)
        if w in _C_DUNDER_WORDS or _TYPE_LIKE.match(w):
            continue
        out.append(w)
    return out


_DETAILS = (
    ("conditional directive (#if/#else/#endif)", re.compile(r"^\s*#\s*(?:if|ifdef|ifndef|elif|else|endif)\b")),
    ("other directive", re.compile(r"^\s*#")),
    ("asm template / operands", re.compile(r'^\s*(?:""\s*)+$|^\s*:|\b(?:asm|__asm__)\b|\(\s*\d+[bf]\s*,')),
    ("assembly line", _ASM_LINE),
    ("GNU case range `case a ... b:`", re.compile(r"\bcase\b[^:]*\.\.\.|^\s*\w+\s*\.\.\.")),
    ("iterator macro (*for_each*)", re.compile(r"\w*for_each\w*\s*\(")),
    (
        "type as macro argument",
        re.compile(
            r"\b\w+\s*\((?:[^()]*,)?\s*(?:(?:const\s+)?(?:struct|union|enum)\s+\w+|(?:unsigned|signed)(?:\s+(?:int|long|char|short))?"
            r"|int|long|char|short|u8|u16|u32|u64|s8|s16|s32|s64|bool|size_t|void)\s*\**\s*[,)]"
            # continuation line of such a call: `struct foo, member);`
            r"|(?:^|,)\s*(?:const\s+)?(?:struct|union|enum)\s+\w+\s*\**\s*[,)]"
        ),
    ),
    ("annotation-like identifier", None),
    ("upper-case macro call", _MACRO_CALL),
    ("lone label", re.compile(r"^\s*[A-Za-z_]\w*:\s*$")),
    ("brace / blank / continuation", re.compile(r"^\s*[{}()\[\];,]*\s*$")),
)


_CALL_THEN_BRACE = re.compile(r"\)\s*\{\s*$")


def detail(prep_line: str, orig_line: str, kind: str = "ERROR") -> str:
    """A finer cause than `classify`, for the preparation's to-do list.  A MISSING site on a
    line ending in `) {` is an iterator macro whose first line is further up."""
    code = _STRINGS.sub('""', prep_line)
    if kind == "MISSING" and _CALL_THEN_BRACE.search(code) and not orig_line.lstrip().startswith("#"):
        return "iterator macro (*for_each*)"
    for label, rx in _DETAILS:
        if rx is None:
            if annotation_tokens(code):
                return label
            continue
        src = orig_line if "directive" in label else code
        if rx.search(src):
            return label
    return "other"


_LOWER_CALL = re.compile(r"(?<![\w$.>])([a-z_]\w*)\s*\(")


def classify(prep_line: str, orig_line: str) -> tuple[str, list[str], list[str]]:
    """(category, annotation-like tokens, macro names called) for the first line of a site.

    Order: preprocessor line (`#...`), assembly (registers, `$imm`, `\\arg`, directives,
    mnemonics, lone labels; strings removed first), annotation-like identifier still
    present (`__foo`, `____foo`, `notrace`... not followed by `(`, not a C/GNU keyword or a
    `__u32`-style type), upper-case macro invocation (`FOO(`), other."""
    code = _STRINGS.sub('""', prep_line)
    ann = annotation_tokens(code)
    macros = [m.group(1) for m in _MACRO_CALL.finditer(code)]
    if orig_line.lstrip().startswith("#"):
        return "preprocessor", ann, macros
    if _ASM_LINE.search(code):
        return "assembly", ann, macros
    if ann:
        return "annotation", ann, macros
    if macros:
        return "macro DSL / odd macro args", ann, macros
    return "other", ann, macros


# ---------------------------------------------------------------------------------------------
# Independent grep of section-annotated declarations

_STRIP_TOKENS = re.compile(
    r"""(?P<lc>//[^\n]*)|(?P<bc>/\*.*?(?:\*/|\Z))|(?P<str>"(?:[^"\\\n]|\\.|\\\n)*")|(?P<chr>'(?:[^'\\\n]|\\.){1,8}')"""
    r"""|(?P<pp>^[ \t]*\#)""",
    re.S | re.M,
)


def _spaces(chunk: str) -> str:
    return re.sub(r"[^\n]", " ", chunk)


def strip_source(text: str) -> str:
    """Same-length copy of `text` with comments blanked, string/char literal contents blanked
    (quotes kept) and every preprocessor logical line blanked (`#define` bodies, with their
    `\\` continuations and comments; other directives too, they hold no declarations).
    Newlines are kept, so offsets, lines and columns are those of the original."""
    out: list[str] = []
    pos = 0
    n = len(text)
    for m in _STRIP_TOKENS.finditer(text):
        s = m.start()
        if s < pos:
            continue
        out.append(text[pos:s])
        kind = m.lastgroup
        if kind in ("lc", "bc"):
            out.append(_spaces(m.group()))
            pos = m.end()
        elif kind in ("str", "chr"):
            g = m.group()
            out.append(g[0] + _spaces(g[1:-1]) + g[-1])
            pos = m.end()
        else:  # preprocessor line: to the end of the logical line
            e = s
            while True:
                nl = text.find("\n", e)
                if nl < 0:
                    e = n
                    break
                seg = text[e:nl]
                op = seg.rfind("/*")
                if op >= 0 and seg.find("*/", op) < 0:
                    close = text.find("*/", e + op + 2)
                    e = n if close < 0 else close + 2
                    continue
                if seg.rstrip("\r").endswith("\\"):
                    e = nl + 1
                    continue
                e = nl
                break
            out.append(_spaces(text[s:e]))
            pos = e
    out.append(text[pos:])
    res = "".join(out)
    assert len(res) == len(text)
    return res


def match_paren(s: str, i: int) -> int:
    """Offset past the `)` that closes the `(` at i (stripped text: no strings/comments), or -1."""
    depth = 0
    for j in range(i, min(len(s), i + 20000)):
        c = s[j]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    return -1


def _skip_ws(s: str, i: int) -> int:
    while i < len(s) and s[i] in " \t\r\n\f\v":
        i += 1
    return i


_IDENT = re.compile(r"(?<![\w$.])(?<!->)[A-Za-z_]\w*(?![\w$])")
_SECTION_ATTR = re.compile(r"(?<![\w$])(?:__)?section(?:__)?\s*\(")
_TOKEN = re.compile(r"[A-Za-z_]\w*|\d\w*|\S")

# Attribute-like macros removed from a statement before looking for its name (besides the
# tree's section macros).  Own list, not hvlint's vocabulary.
_OBJ_ATTRS = frozenset(
    "__visible __used __maybe_unused __always_unused __packed __weak __cold __noreturn __must_check "
    "__always_inline inline __inline __inline__ noinline noinline_for_stack notrace asmlinkage "
    "__latent_entropy __noinitretpoline __nocfi __noendbr __flatten __pure __attribute_const__ "
    "__randomize_layout __no_randomize_layout __user __iomem __percpu __rcu __force __kernel "
    "__private __bitwise __aligned_largest __designated_init __nonstring __malloc __deprecated "
    "__init __initdata __initconst __exit __read_mostly __ro_after_init __ref __refdata noinstr "
    "__cacheline_aligned __cacheline_aligned_in_smp __page_aligned_data __page_aligned_bss "
    "__always_used __weak __gnu_inline __naked __no_stack_protector __no_profile __noclone "
    "__sched __cpuidle __head __nosavedata __section __attribute__ __attribute const volatile".split()
)
_CALL_ATTRS = frozenset(
    "__attribute__ __attribute __section __aligned __printf __scanf __alias __cleanup __counted_by "
    "__alloc_size __realloc_size __assume_aligned __must_hold __acquires __releases __copy __mode "
    "__diagnose_as __PCPU_ATTRS".split()
)
_ATTR_LIKE = re.compile(r"^(?:____\w+|__no_\w+|__\w*aligned\w*|__\w*init\w*|__\w*exit\w*|__\w*ref\w*)$")
_C_WORDS = frozenset(
    "auto break case char const continue default do double else enum extern float for goto if int "
    "long register return short signed sizeof static struct switch typedef union unsigned void "
    "volatile while _Bool bool restrict __restrict __restrict__ __extension__ __signed__ __volatile__ "
    "__const __const__ typeof __typeof__ __typeof _Atomic _Thread_local __thread".split()
)
_TYPEOF = frozenset(("typeof", "__typeof__", "__typeof", "_Alignas", "alignas", "typeof_unqual"))
_PER_CPU_LAST = re.compile(r"^(?:DEFINE|DECLARE)_(?:EARLY_)?PER_CPU\w*$")


@dataclass
class Occurrence:
    line: int  # 1-based
    col: int  # 1-based
    offset: int
    macro: str  # the macro name, "__section" or "__attribute__"
    name: str | None  # declared name by the heuristic
    how: str  # "declarator", "function", "funcptr", "macro-first", "macro-last", "none"
    stmt: str  # the statement text the name came from (one line, trimmed)
    block_scope: bool  # inside braces (function body or initializer)


def _close_token(toks: list[str], open_index: int) -> int:
    """Index of the `)` matching the `(` at toks[open_index] (or len(toks))."""
    depth = 0
    j = open_index
    while j < len(toks):
        if toks[j] == "(":
            depth += 1
        elif toks[j] == ")":
            depth -= 1
            if depth == 0:
                break
        j += 1
    return j


def _filter_tokens(toks: list[str], section_names: frozenset[str], section_macro: str) -> list[str]:
    """Drop annotation macros (and the argument lists of function-like ones)."""
    out: list[str] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if (t in _CALL_ATTRS or t == section_macro) and nxt == "(":
            j = _close_token(toks, i + 1)
            i = j + 1
            continue
        if t in _TYPEOF and nxt == "(":
            j = _close_token(toks, i + 1)
            out.append("int")  # stands for the type
            i = j + 1
            continue
        if t in section_names or t in _OBJ_ATTRS or (_ATTR_LIKE.match(t) and nxt != "("):
            i += 1
            continue
        out.append(t)
        i += 1
    return out


def _is_ident(t: str) -> bool:
    return bool(t) and (t[0].isalpha() or t[0] == "_")


def declared_name(stmt: str, section_names: frozenset[str], section_macro: str) -> tuple[str | None, str]:
    """The name a declaration statement (text from its start up to, not including, the first
    `;`, `{`, `=` or `,` at depth 0) declares, once annotations are removed:

    * a top-level `( * ... )` group (function pointer, pointer to array): the last identifier
      inside it outside brackets -> "funcptr";
    * an identifier followed by a top-level `(`: that identifier -> "function"; but if it is
      an upper-case macro (`DECLARE_BITMAP(name, n)`, `DEFINE_PER_CPU(type, name)`), the
      first identifier argument (last for `*_PER_CPU*`) -> "macro-first"/"macro-last";
    * otherwise the last identifier before the first top-level `[` that is not a C keyword
      -> "declarator".
    """
    toks = _filter_tokens(_TOKEN.findall(stmt), section_names, section_macro)
    depth = 0
    for k, t in enumerate(toks):
        if t in "([{":
            if t == "(" and depth == 0:
                inner_first = toks[k + 1] if k + 1 < len(toks) else ""
                if inner_first in ("*", "^"):
                    # last identifier inside the group, outside brackets
                    d = 0
                    name = None
                    for t2 in toks[k + 1 :]:
                        if t2 in "([":
                            d += 1
                        elif t2 in ")]":
                            if d == 0:
                                break
                            d -= 1
                        elif d == 0 and _is_ident(t2) and t2 not in _C_WORDS:
                            name = t2
                    return name, "funcptr" if name else "none"
                prev = toks[k - 1] if k > 0 else ""
                if _is_ident(prev) and prev not in _C_WORDS:
                    if re.fullmatch(r"[A-Z][A-Z0-9_]*", prev):
                        args: list[str] = []
                        d = 0
                        cur: list[str] = []
                        for t2 in toks[k + 1 :]:
                            if t2 in "([":
                                d += 1
                            elif t2 in ")]":
                                if d == 0:
                                    break
                                d -= 1
                            if t2 == "," and d == 0:
                                args.append(" ".join(cur))
                                cur = []
                            else:
                                cur.append(t2)
                        args.append(" ".join(cur))
                        cand = [a for a in args if re.fullmatch(r"[A-Za-z_]\w*", a.strip())]
                        if cand:
                            if _PER_CPU_LAST.match(prev):
                                return args[-1].strip().split()[-1], "macro-last"
                            return cand[0].strip(), "macro-first"
                    return prev, "function"
                # `(` after a non-identifier: fall through to the declarator rule below
                break
            if t == "[" and depth == 0:
                break
            depth += 1
        elif t in ")]}":
            depth -= 1
    # last identifier at depth 0 before the first top-level `[` / `(`
    depth = 0
    name = None
    for t in toks:
        if t in "([{":
            if depth == 0 and t != "{":
                break
            depth += 1
        elif t in ")]}":
            depth -= 1
        elif depth == 0 and _is_ident(t) and t not in _C_WORDS:
            name = t
    return name, "declarator" if name else "none"


def statement_bounds(s: str, a: int, b: int) -> tuple[int, int, bool]:
    """[start, end) of the declarator/statement around an occurrence at [a, b) in stripped
    text `s`: back to the previous `;`, `{`, `}` or `,` at depth 0 (an unmatched `(`/`[`
    also stops: the occurrence is inside parentheses), forward to the next `;`, `{`, `}`,
    `=` or `,` at depth 0 (an unmatched `)` also stops), stepping over the body of
    `struct|union|enum [tag] {...}` to reach the declarator after it.
    Returns (start, end, inside_parens)."""
    depth = 0
    i = a - 1
    in_parens = False
    opened = 0  # `(*` declarator groups entered while going back: `void (* __initdata fp)(void)`
    while i >= 0:
        c = s[i]
        if c in ")]":
            depth += 1
        elif c in "([":
            if depth == 0:
                if c == "(" and s[i + 1 : a].lstrip().startswith("*"):
                    opened += 1
                    i -= 1
                    continue
                in_parens = True
                break
            depth -= 1
        elif depth == 0 and c in ";{},":
            break
        i -= 1
    start = i + 1
    depth = 0
    j = b
    n = len(s)
    while j < n:
        c = s[j]
        if c in "([":
            depth += 1
        elif c in ")]":
            if depth == 0:
                if c == ")" and opened:
                    opened -= 1
                    j += 1
                    continue
                break
            depth -= 1
        elif depth == 0 and c == "{" and _TAG_HEAD.search(s, start, j):
            # `struct tag {...} name`: step over the body to reach the declarator
            bd = 0
            while j < n:
                if s[j] == "{":
                    bd += 1
                elif s[j] == "}":
                    bd -= 1
                    if bd == 0:
                        break
                j += 1
        elif depth == 0 and c in ";{}=,":
            break
        j += 1
    if j < n and s[j] in ")]":
        in_parens = True
    return start, j, in_parens


_TAG_HEAD = re.compile(r"\b(?:struct|union|enum)\b[^;{}=()]*\Z")


def grep_annotated(text: str, section_names: frozenset[str], section_macro: str) -> list[Occurrence]:
    """Section annotations (macro names of the section table, `__section(`, and
    `__attribute__((... section(...) ...))`) outside comments, strings and preprocessor lines,
    each with the name of the declaration that carries it (see `declared_name`)."""
    s = strip_source(text)
    line_starts = [0]
    for m in re.finditer("\n", s):
        line_starts.append(m.end())
    braces = [(m.start(), 1 if m.group() == "{" else -1) for m in re.finditer(r"[{}]", s)]
    out: list[Occurrence] = []
    from bisect import bisect_right

    bpos = [p for p, _ in braces]
    bdepth: list[int] = []
    d = 0
    for _, delta in braces:
        d += delta
        bdepth.append(d)
    for m in _IDENT.finditer(s):
        w = m.group()
        a = m.start()
        b = m.end()
        if w in section_names:
            macro = w
        elif w == section_macro or w in ("__attribute__", "__attribute"):
            p = _skip_ws(s, b)
            if p >= len(s) or s[p] != "(":
                continue
            close = match_paren(s, p)
            if close < 0:
                continue
            if w != section_macro and not _SECTION_ATTR.search(s, p + 1, close):
                continue
            macro = "__attribute__" if w != section_macro else w
            b = close
        else:
            continue
        start, end, in_parens = statement_bounds(s, a, b)
        stmt = s[start:end]
        if in_parens:
            # a macro argument (`register_nmi_handler(..., __initdata)`), not a declaration
            name, how = None, "in-parens"
        else:
            name, how = declared_name(stmt, section_names, section_macro)
        line = bisect_right(line_starts, a) - 1
        k = bisect_right(bpos, a) - 1
        depth_here = bdepth[k] if k >= 0 else 0
        out.append(
            Occurrence(
                line=line + 1,
                col=a - line_starts[line] + 1,
                offset=a,
                macro=macro,
                name=name,
                how=how,
                stmt=" ".join(stmt.split())[:160],
                block_scope=depth_here > 0,
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Per-file work

_STATE: dict[str, Any] = {}


def _init_worker(root: str) -> None:
    table = table_for(root)
    vocab = vocabulary_for(table)
    _STATE.update(
        root=root,
        table=table,
        vocab=vocab,
        pattern=vocab.pattern(),
        section_names=frozenset(table.entries),
        section_macro=table.section_macro or "__section",
    )


def analyse_file(rel: str) -> dict[str, Any]:
    root = _STATE["root"]
    rr = read_source(root, rel)
    if rr.data is None:
        return {"path": rel, "skipped": rr.error}
    data = rr.data
    text = data.decode("latin-1")
    res: dict[str, Any] = {"path": rel, "lines": count_lines(data)}

    t0 = time.perf_counter()
    tree = parser().parse(data)
    bare = walk_errors(tree.root_node, keep_sites=False)
    t1 = time.perf_counter()
    facts = extract_c(rel, data, _STATE["vocab"], _STATE["pattern"])
    t2 = time.perf_counter()
    # Our own parse of the prepared text, for the error sites (extract_c keeps counts only).
    ptext, ptree = prepared_parse(text, _STATE["vocab"], _STATE["pattern"])
    prep = walk_errors(ptree.root_node, keep_sites=True)
    t3 = time.perf_counter()
    occs = grep_annotated(text, _STATE["section_names"], _STATE["section_macro"])
    t4 = time.perf_counter()

    res["t_bare"] = t1 - t0
    res["t_hvlint"] = t2 - t1
    res["t_sites"] = t3 - t2
    res["t_grep"] = t4 - t3
    res["bare"] = (bare.errors, bare.missing, bare.error_lines)
    st = facts.stats
    res["hv"] = (st.error_nodes, st.missing_nodes, st.error_lines)
    res["hv_recount"] = (prep.errors, prep.missing, prep.error_lines)

    olines = text.split("\n")
    plines = ptext.split("\n")
    sites = []
    for kind, r0, c0, r1, mtype, rc in prep.sites:
        oline = olines[rc] if rc < len(olines) else ""
        pline = plines[rc] if rc < len(plines) else ""
        cat, ann, macros = classify(pline, oline)
        sites.append(
            {
                "detail": detail(pline, oline, kind),
                "calls": [
                    c
                    for c in _LOWER_CALL.findall(_STRINGS.sub('""', pline))
                    if c not in _C_WORDS and c not in ("if", "while", "for", "switch", "return")
                ],
                "kind": kind,
                "line": r0 + 1,
                "col": c0 + 1,
                "end_line": r1 + 1,
                "missing": mtype,
                "culprit_line": rc + 1,
                "category": cat,
                "ann": ann,
                "macros": macros,
                "text": oline.strip()[:140],
            }
        )
    res["sites"] = sites

    # Annotated declarations: compare grep occurrences with hvlint annotations by position.
    section_names = _STATE["section_names"]
    section_macro = _STATE["section_macro"]
    by_pos: dict[tuple[int, int], int] = {}
    for i, a in enumerate(facts.annotations):
        if a.in_macro is None:
            by_pos[(a.span.line, a.span.col)] = i
    rows = []
    seen: set[int] = set()
    for o in occs:
        hit = by_pos.get((o.line, o.col))
        hv_name = None
        state = "no-annotation"
        if hit is not None:
            seen.add(hit)
            a = facts.annotations[hit]
            if a.owner is None:
                state = "agree-none" if o.name is None else "no-owner"
            else:
                hv_name = facts.decls[a.owner].name
                state = "same" if hv_name == o.name else "different"
        rows.append(
            {
                "line": o.line,
                "col": o.col,
                "macro": o.macro,
                "grep": o.name,
                "how": o.how,
                "block": o.block_scope,
                "hvlint": hv_name,
                "state": state,
                "stmt": o.stmt,
            }
        )
    hv_only = []
    unowned_all = 0
    for i, a in enumerate(facts.annotations):
        if a.in_macro is not None:
            continue
        if a.owner is None:
            unowned_all += 1
        is_section = a.name in section_names or a.name == section_macro or a.section_expr is not None
        if is_section and i not in seen:
            hv_only.append(
                {
                    "line": a.span.line,
                    "col": a.span.col,
                    "macro": a.name,
                    "hvlint": None if a.owner is None else facts.decls[a.owner].name,
                    "text": (olines[a.span.line - 1].strip() if a.span.line - 1 < len(olines) else "")[:140],
                }
            )
    res["ann_rows"] = rows
    res["hv_only"] = hv_only
    res["hv_annotations"] = sum(1 for a in facts.annotations if a.in_macro is None)
    res["hv_unowned"] = unowned_all
    res["hv_section_unowned"] = sum(
        1
        for a in facts.annotations
        if a.in_macro is None
        and a.owner is None
        and (a.name in section_names or a.name == section_macro or a.section_expr is not None)
    )
    return res


# ---------------------------------------------------------------------------------------------
# Report


def pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:.2f} %" if b else "n/a"


def build_report(results: list[dict[str, Any]], args: argparse.Namespace, meta: dict[str, Any]) -> dict[str, Any]:
    files = [r for r in results if "skipped" not in r]
    nfiles = len(files)
    total_lines = sum(r["lines"] for r in files)

    def side(key: str) -> dict[str, Any]:
        with_err = sum(1 for r in files if r[key][0] or r[key][1])
        with_error_node = sum(1 for r in files if r[key][0])
        with_missing = sum(1 for r in files if r[key][1])
        return {
            "files_with_errors": with_err,
            "files_with_error_node": with_error_node,
            "files_with_missing": with_missing,
            "files_pct": round(100.0 * with_err / nfiles, 2) if nfiles else 0.0,
            "error_lines": sum(r[key][2] for r in files),
            "error_lines_pct": round(100.0 * sum(r[key][2] for r in files) / total_lines, 3) if total_lines else 0.0,
            "error_nodes": sum(r[key][0] for r in files),
            "missing_nodes": sum(r[key][1] for r in files),
        }

    bare = side("bare")
    hv = side("hv")
    recount_mismatch = [r["path"] for r in files if tuple(r["hv"]) != tuple(r["hv_recount"])]

    # Remaining sites
    err_sites = [(r["path"], s) for r in files for s in r["sites"] if s["kind"] == "ERROR"]
    mis_sites = [(r["path"], s) for r in files for s in r["sites"] if s["kind"] == "MISSING"]
    err_cat = Counter(s["category"] for _, s in err_sites)
    mis_cat = Counter(s["category"] for _, s in mis_sites)
    mis_types = Counter(s["missing"] for _, s in mis_sites)
    ann_tok = Counter(t for _, s in err_sites + mis_sites for t in set(s["ann"]))
    macro_tok = Counter(t for _, s in err_sites + mis_sites for t in set(s["macros"]))
    detail_err = Counter(s["detail"] for _, s in err_sites)
    detail_mis = Counter(s["detail"] for _, s in mis_sites)
    detail_lines: Counter[str] = Counter()
    detail_example: dict[str, str] = {}
    for p, s in sorted(err_sites + mis_sites, key=lambda ps: (ps[0], ps[1]["line"])):
        if s["kind"] == "ERROR":
            detail_lines[s["detail"]] += s["end_line"] - s["line"] + 1
        detail_example.setdefault(s["detail"], f"{p}:{s['culprit_line']}: {s['text'][:80]}")
    lower_calls = Counter(t for _, s in err_sites + mis_sites for t in set(s["calls"]))
    # error lines by category (an ERROR's span lines credited to its category)
    cat_lines: Counter[str] = Counter()
    for _, s in err_sites:
        cat_lines[s["category"]] += s["end_line"] - s["line"] + 1
    spans = sorted((s["end_line"] - s["line"] + 1 for _, s in err_sites), reverse=True)
    biggest = sorted(err_sites, key=lambda ps: -(ps[1]["end_line"] - ps[1]["line"]))[:10]

    worst = sorted(files, key=lambda r: (-r["hv"][2], r["path"]))[:15]
    worst_rows = []
    for r in worst:
        if not r["hv"][2]:
            break
        cats = Counter(s["category"] for s in r["sites"] if s["kind"] == "ERROR")
        worst_rows.append(
            {
                "path": r["path"],
                "lines": r["lines"],
                "bare_error_lines": r["bare"][2],
                "hv_error_lines": r["hv"][2],
                "hv_error_nodes": r["hv"][0],
                "hv_missing": r["hv"][1],
                "categories": dict(cats.most_common()),
            }
        )

    rng = random.Random(args.seed)
    all_sites = sorted(err_sites + mis_sites, key=lambda ps: (ps[0], ps[1]["line"], ps[1]["col"]))
    sample = rng.sample(all_sites, min(args.samples, len(all_sites)))
    sample.sort(key=lambda ps: (ps[0], ps[1]["line"]))

    # Annotated declarations
    rows = [(r["path"], row) for r in files for row in r["ann_rows"]]
    states = Counter(row["state"] for _, row in rows)
    by_macro = Counter(row["macro"] for _, row in rows)
    hv_only = [(r["path"], row) for r in files for row in r["hv_only"]]
    disagreements = [(p, row) for p, row in rows if row["state"] not in ("same", "agree-none")]
    grep_none = sum(1 for _, row in rows if row["grep"] is None)

    times = {k: round(sum(r[f"t_{k}"] for r in files), 2) for k in ("bare", "hvlint", "sites", "grep")}

    return {
        "meta": meta,
        "files": nfiles,
        "skipped": [(r["path"], r["skipped"]) for r in results if "skipped" in r],
        "lines": total_lines,
        "reference_bare": REFERENCE,
        "bare": bare,
        "hvlint": hv,
        "recount_mismatch": recount_mismatch,
        "remaining": {
            "error_sites": len(err_sites),
            "missing_sites": len(mis_sites),
            "error_categories": dict(err_cat.most_common()),
            "error_category_lines": dict(cat_lines.most_common()),
            "missing_categories": dict(mis_cat.most_common()),
            "missing_types": dict(mis_types.most_common()),
            "annotation_tokens": ann_tok.most_common(30),
            "macro_tokens": macro_tok.most_common(30),
            "details": [
                {
                    "detail": k,
                    "error_sites": v,
                    "error_lines": detail_lines.get(k, 0),
                    "missing_sites": detail_mis.get(k, 0),
                    "example": detail_example.get(k, ""),
                }
                for k, v in (detail_err + Counter({k: 0 for k in detail_mis})).most_common()
            ],
            "lower_calls": lower_calls.most_common(30),
            "span_median": spans[len(spans) // 2] if spans else 0,
            "span_p90": spans[len(spans) // 10] if spans else 0,
            "biggest": [
                {
                    "path": p,
                    "line": s["line"],
                    "end_line": s["end_line"],
                    "culprit_line": s["culprit_line"],
                    "detail": s["detail"],
                    "text": s["text"],
                }
                for p, s in biggest
            ],
            "worst_files": worst_rows,
            "sample": [
                {
                    "path": p,
                    "line": s["culprit_line"],
                    "kind": s["kind"]
                    + (f" {s['missing']}" if s["missing"] else "")
                    + (f" {s['line']}-{s['end_line']}" if s["end_line"] - s["line"] >= BIG_SPAN else ""),
                    "category": s["category"],
                    "text": s["text"],
                }
                for p, s in sample
            ],
        },
        "annotated": {
            "grep_occurrences": len(rows),
            "grep_by_macro": dict(by_macro.most_common()),
            "grep_no_name": grep_none,
            "grep_block_scope": sum(1 for _, row in rows if row["block"]),
            "found_by_hvlint": len(rows) - states.get("no-annotation", 0),
            "hvlint_owned": states.get("same", 0) + states.get("different", 0),
            "same_name": states.get("same", 0),
            "different_name": states.get("different", 0),
            "hvlint_no_owner": states.get("no-owner", 0),
            "agree_not_declaration": states.get("agree-none", 0),
            "hvlint_missed": states.get("no-annotation", 0),
            "hvlint_only": len(hv_only),
            "hvlint_annotations_total": sum(r["hv_annotations"] for r in files),
            "hvlint_unowned_total": sum(r["hv_unowned"] for r in files),
            "hvlint_section_unowned": sum(r["hv_section_unowned"] for r in files),
            "disagreements": [
                {
                    "path": p,
                    "line": row["line"],
                    "col": row["col"],
                    "macro": row["macro"],
                    "grep": row["grep"],
                    "how": row["how"],
                    "hvlint": row["hvlint"],
                    "state": row["state"],
                    "stmt": row["stmt"],
                }
                for p, row in disagreements
            ],
            "hvlint_only_list": [{"path": p, **row} for p, row in hv_only],
        },
        "seconds": times,
    }


def render_markdown(rep: dict[str, Any], max_list: int) -> str:
    out: list[str] = []
    w = out.append
    m = rep["meta"]
    w(f"# hvlint parse quality — {m['tree']}")
    w("")
    w(
        f"Scope `default`: {rep['files']} .c/.h files, {rep['lines']:,} lines "
        f"({m['asm_files']} .S files not parsed with the C grammar). tree-sitter {m['tree_sitter']}, "
        f"tree-sitter-c {m['tree_sitter_c']}; section table: {m['table_entries']} macros, "
        f"section macro `{m['section_macro']}`. Command: `{m['command']}`"
    )
    if rep["skipped"]:
        w(f"Unreadable files skipped: {len(rep['skipped'])}")
    w("")
    w("## 1. Parse quality: bare tree-sitter-c vs hvlint preparation")
    w("")
    b, h = rep["bare"], rep["hvlint"]
    n, L = rep["files"], rep["lines"]
    w("| | bare tree-sitter-c | hvlint (`extract_c`) | reference (bare, research note) |")
    w("|---|---|---|---|")
    w(
        f"| files with ERROR or MISSING | {b['files_with_errors']} / {n} = {pct(b['files_with_errors'], n)} "
        f"| {h['files_with_errors']} / {n} = {pct(h['files_with_errors'], n)} | {REFERENCE['files_with_errors']} |"
    )
    w(
        f"| … with ERROR / with MISSING | {b['files_with_error_node']} / {b['files_with_missing']} "
        f"| {h['files_with_error_node']} / {h['files_with_missing']} | 747 / 377 |"
    )
    w(
        f"| lines inside ERROR nodes | {b['error_lines']:,} / {L:,} = {pct(b['error_lines'], L)} "
        f"| {h['error_lines']:,} / {L:,} = {pct(h['error_lines'], L)} | {REFERENCE['error_lines']} |"
    )
    w(f"| ERROR nodes (top-most) | {b['error_nodes']:,} | {h['error_nodes']:,} | 7,001 |")
    w(f"| MISSING nodes | {b['missing_nodes']:,} | {h['missing_nodes']:,} | 1,746 |")
    s = rep["seconds"]
    w(
        f"| time (sum over files, 1 process each) | {s['bare']:.2f} s (parse + error walk) "
        f"| {s['hvlint']:.2f} s (prepare + parse + extract) | |"
    )
    w("")
    if rep["recount_mismatch"]:
        w(
            f"Note: our re-parse of the prepared text disagrees with `extract_c` stats on "
            f"{len(rep['recount_mismatch'])} files (e.g. {', '.join(rep['recount_mismatch'][:3])})."
        )
        w("")
    r = rep["remaining"]
    w("## 2. Errors left after preparation")
    w("")
    w(
        f"{r['error_sites']:,} top-level ERROR sites, {r['missing_sites']:,} MISSING sites; ERROR span "
        f"median {r['span_median']} line(s), p90 {r['span_p90']}. Classified by the first line of each site "
        f"(prepared text; order: preprocessor, assembly, annotation-like token, upper-case macro call, other); "
        f"an ERROR of {BIG_SPAN}+ lines is classified by its culprit, the first ERROR/MISSING nested in it."
    )
    w("")
    w("| cause | ERROR sites | % | lines in those ERRORs | MISSING sites |")
    w("|---|---|---|---|---|")
    for cat in CATEGORIES:
        e = r["error_categories"].get(cat, 0)
        w(
            f"| {cat} | {e:,} | {pct(e, r['error_sites'])} | {r['error_category_lines'].get(cat, 0):,} "
            f"| {r['missing_categories'].get(cat, 0):,} |"
        )
    w("")
    w("Finer causes (first matching rule on the site's first line):")
    w("")
    w("| detail | ERROR sites | lines in those ERRORs | MISSING sites | first example |")
    w("|---|---|---|---|---|")
    for x in r["details"]:
        w(
            f"| {x['detail']} | {x['error_sites']:,} | {x['error_lines']:,} | {x['missing_sites']:,} | `{x['example']}` |"
        )
    w("")
    w(
        "Lower-case functions/macros called on error lines (sites): "
        + ", ".join(f"`{k}` {v}" for k, v in r["lower_calls"][:25])
    )
    w("")
    w("MISSING by token: " + ", ".join(f"`{k}` {v}" for k, v in r["missing_types"].items()))
    w("")
    w(
        "Annotation-like identifiers still on error lines (sites): "
        + ", ".join(f"`{k}` {v}" for k, v in r["annotation_tokens"][:25])
    )
    w("")
    w("Upper-case macros called on error lines (sites): " + ", ".join(f"`{k}` {v}" for k, v in r["macro_tokens"][:25]))
    w("")
    w("Largest ERROR spans (culprit = first nested ERROR/MISSING):")
    w("")
    w("```")
    for x in r["biggest"][:10]:
        w(f"{x['path']}:{x['line']}-{x['end_line']} culprit {x['culprit_line']} [{x['detail']}]: {x['text'][:90]}")
    w("```")
    w("")
    w("### 15 files with most error lines (after preparation)")
    w("")
    w("| file | lines | bare err lines | hvlint err lines | ERROR | MISSING | causes (ERROR sites) |")
    w("|---|---|---|---|---|---|---|")
    for x in r["worst_files"]:
        cats = ", ".join(f"{k} {v}" for k, v in x["categories"].items())
        w(
            f"| {x['path']} | {x['lines']} | {x['bare_error_lines']} | {x['hv_error_lines']} | {x['hv_error_nodes']} "
            f"| {x['hv_missing']} | {cats} |"
        )
    w("")
    w(f"### {len(r['sample'])} sample sites (seed {rep['meta']['seed']})")
    w("")
    w("```")
    for x in r["sample"]:
        w(f"{x['path']}:{x['line']}: [{x['kind']}; {x['category']}] {x['text']}")
    w("```")
    w("")
    a = rep["annotated"]
    w("## 3. Annotated declarations check (grep vs hvlint facts)")
    w("")
    w("| | count |")
    w("|---|---|")
    w(
        f"| section annotations found by grep | {a['grep_occurrences']:,} (block scope: {a['grep_block_scope']}, "
        f"no name found: {a['grep_no_name']}) |"
    )
    w(f"| … found by hvlint (Annotation at same line/col) | {a['found_by_hvlint']:,} |")
    w(f"| … with an owner Decl | {a['hvlint_owned']:,} |")
    w(f"| … **same name** | **{a['same_name']:,}** ({pct(a['same_name'], a['grep_occurrences'])}) |")
    w(f"| … different name | {a['different_name']:,} |")
    w(f"| … hvlint annotation without owner | {a['hvlint_no_owner']:,} |")
    w(f"| … not a declaration (macro argument) for both | {a['agree_not_declaration']:,} |")
    w(f"| … not seen by hvlint | {a['hvlint_missed']:,} |")
    w(f"| hvlint section annotations grep did not find | {a['hvlint_only']:,} |")
    w(
        f"| hvlint annotations outside #define (all kinds) / without owner | {a['hvlint_annotations_total']:,} / "
        f"{a['hvlint_unowned_total']:,} (section ones: {a['hvlint_section_unowned']:,}) |"
    )
    w(f"| time: grep side / hvlint side | {s['grep']:.2f} s / {s['hvlint']:.2f} s |")
    w("")
    w("By macro: " + ", ".join(f"`{k}` {v}" for k, v in a["grep_by_macro"].items()))
    w("")
    dis = a["disagreements"]
    w(
        f"Disagreements ({len(dis)}; first {min(len(dis), max_list)}): `path:line:col macro grep=NAME(how) "
        f"hvlint=NAME [state] | statement`"
    )
    w("")
    w("```")
    for x in dis[:max_list]:
        w(
            f"{x['path']}:{x['line']}:{x['col']} {x['macro']} grep={x['grep']}({x['how']}) hvlint={x['hvlint']} "
            f"[{x['state']}] | {x['stmt'][:90]}"
        )
    w("```")
    if a["hvlint_only_list"]:
        w("")
        w(
            f"hvlint-only section annotations ({len(a['hvlint_only_list'])}; first {min(max_list, len(a['hvlint_only_list']))}):"
        )
        w("")
        w("```")
        for x in a["hvlint_only_list"][:max_list]:
            w(f"{x['path']}:{x['line']}:{x['col']} {x['macro']} hvlint={x['hvlint']} | {x['text'][:90]}")
        w("```")
    w("")
    w(f"Total wall time: {rep['meta']['wall']:.1f} s with {rep['meta']['jobs']} process(es).")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1] if __doc__ else None)
    ap.add_argument("--tree", required=True, help="kernel tree root (read only)")
    ap.add_argument("--json", action="store_true", help="print the full report as JSON")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("--seed", type=int, default=0, help="seed for the sample sites (default 0)")
    ap.add_argument("--samples", type=int, default=20, help="number of sample sites (default 20)")
    ap.add_argument("--max-list", type=int, default=100, help="max disagreement lines (default 100)")
    ap.add_argument("--files", nargs="*", help="only these root-relative files (default: the scope)")
    args = ap.parse_args(argv)

    root = os.path.abspath(args.tree)
    t_start = time.perf_counter()
    allfiles = default_scope(root)
    cfiles = [f for f in allfiles if f.endswith((".c", ".h"))]
    if args.files:
        wanted = set(args.files)
        cfiles = [f for f in cfiles if f in wanted] or sorted(wanted)
    _init_worker(root)
    table = _STATE["table"]
    if args.jobs > 1:
        import multiprocessing as mp

        with mp.get_context("fork").Pool(args.jobs, initializer=_init_worker, initargs=(root,)) as pool:
            results = list(pool.imap(analyse_file, cfiles, chunksize=8))
    else:
        results = [analyse_file(f) for f in cfiles]
    import importlib.metadata as md

    def version(pkg: str) -> str:
        try:
            return md.version(pkg)
        except md.PackageNotFoundError:
            return "?"

    meta = {
        "tree": root,
        "asm_files": sum(1 for f in allfiles if f.endswith(".S")),
        "tree_sitter": version("tree-sitter"),
        "tree_sitter_c": version("tree-sitter-c"),
        "table_entries": len(table.entries),
        "section_macro": table.section_macro,
        "seed": args.seed,
        "jobs": args.jobs,
        "command": " ".join(["python", "tools/parse_quality.py"] + (argv if argv is not None else sys.argv[1:])),
    }
    meta["wall"] = time.perf_counter() - t_start
    rep = build_report(results, args, meta)
    rep["meta"]["wall"] = round(time.perf_counter() - t_start, 2)
    if args.json:
        json.dump(rep, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(render_markdown(rep, args.max_list))
    return 0


if __name__ == "__main__":
    sys.exit(main())
