"""The default C front end: prepared text -> tree-sitter-c -> `FileFacts`.

The text is first prepared (`prepare.py`): annotations are recorded and blanked, so that
tree-sitter sees plain declarations.  Annotations are then reattached by byte position to
the declaration (and declarator) that holds them.  Function bodies and initializers are
scanned lexically for the identifiers they call and name.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from itertools import compress
from operator import attrgetter, itemgetter, methodcaller

import tree_sitter
import tree_sitter_c

from hvlint.facts import (
    Annotation,
    AttrItem,
    Decl,
    Diagnostic,
    FileFacts,
    Invocation,
    MacroDef,
    ParseStats,
    Span,
    span_at,
)
from hvlint.facts import Ref as FactRef
from hvlint.frontend.prepare import (
    Prepared,
    RawAnnotation,
    Vocabulary,
    condition_segments,
    match_paren,
    one_branch,
    prepare,
    split_top_level,
)

_CONTAINERS = frozenset(
    {
        "translation_unit",
        "preproc_if",
        "preproc_ifdef",
        "preproc_else",
        "preproc_elif",
        "preproc_elifdef",
        "declaration_list",
        "linkage_specification",
    }
)
_DECL_TYPES = frozenset({"declaration", "function_definition"})
_STOP_TYPES = frozenset({"field_declaration", "parameter_declaration", "type_definition", "field_declaration_list"})
_KEYWORDS = frozenset(
    "if else while for do switch case default return goto break continue sizeof typeof "
    "__typeof__ __typeof _Generic _Static_assert static_assert alignof _Alignof __alignof__ "
    "defined asm __asm__ __asm volatile __volatile__ struct union enum const static extern "
    "inline __inline __inline__ register auto signed unsigned int char short long void float "
    "double _Bool bool restrict __restrict __restrict__ typedef __extension__ __builtin_offsetof "
    "offsetof OFFSETOF __label__ true false NULL".split()
)
# The texts scanned are Latin-1 decoded (one character a byte, none above U+00FF).  Over those
# 256 characters `\w` and `\s` are these classes; spelled out they match the same, and the
# regex engine tests them against a bitmap instead of looking each character up as Unicode.
_LATIN1_CLASSES = {
    "w": r"0-9A-Za-z_\xaa\xb2\xb3\xb5\xb9\xba\xbc-\xbe\xc0-\xd6\xd8-\xf6\xf8-\xff",
    "s": r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0",
}


def _latin1(pattern: str) -> str:
    r"""`pattern` with `\w` and `\s` spelled out as classes of Latin-1 characters."""
    out: list[str] = []
    in_class = False
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            spelled = _LATIN1_CLASSES.get(pattern[i + 1])
            out.append(pattern[i : i + 2] if spelled is None else spelled if in_class else f"[{spelled}]")
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
            lead = 2 if pattern.startswith("[^", i) else 1
            if pattern.startswith("]", i + lead):  # a `]` first in a class is a member
                lead += 1
            out.append(pattern[i : i + lead])
            i += lead
            continue
        if c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


# What a body or an initializer names.  Strings and numbers are stepped over; `.m`/`->m`
# is a member (a call through it, or `.m = fn` / `->m = &fn`); PVOP_*CALL*(ops.member) and
# static_call(key)(...) are calls through ops; static_call_update(key, fn) assigns one.
# `m.lastgroup` tells the token: None (a string or a number), "name", "paren" (a call),
# "mtail", "pvtail" or "sutail"; its text tells it too (a name, a name and `(`, ...).
# The alternatives are, in this order: a string or character literal, `.m`/`->m`, PVOP or
# static_call, static_call_update, a number, a name.  The pattern starts with the class of
# their first characters, taken once and told apart by look-behind: the regex engine then
# skips to the next such character in C instead of trying every alternative everywhere.
_REFS = re.compile(
    _latin1(
        r"""[-"'.0-9A-Za-z_](?:"""
        r"""(?<=")(?:[^"\\\n]|\\.|\\\n)*"|(?<=')(?:[^'\\\n]|\\.){1,8}'"""
        r"""|(?P<mtail>(?:(?<=\.)|(?<=-)>)\s*(?P<mname>[A-Za-z_]\w*)\s*(?:(?P<mcall>\)?\s*\()"""
        r"""|=\s*&?\s*(?P<mval>[A-Za-z_]\w*)\s*(?=[;,}])(?!\s*\())?)"""
        r"""|(?P<pvtail>(?:(?<=P)VOP_\w*CALL\w*\s*\(\s*(?P<pvmem>[\w.]+))"""
        r"""|(?:(?<=s)tatic_call\s*\(\s*(?P<sckey>\w+)\s*\)\s*\())"""
        r"""|(?P<sutail>(?<=s)tatic_call_update\s*\(\s*(?P<sukey>\w+)\s*,\s*&?\s*(?P<sufn>\w+))"""
        r"""|(?<=[0-9])\w*"""
        r"""|(?<=[A-Za-z_])(?P<name>\w*)(?P<paren>\s*\()?)"""
    )
)
_TEXT_OF = itemgetter(0)
_MNAME, _MCALL, _MVAL, _PVMEM, _SCKEY, _SUKEY, _SUFN = (
    _REFS.groupindex[g] for g in ("mname", "mcall", "mval", "pvmem", "sckey", "sukey", "sufn")
)
_LASTGROUP = attrgetter("lastgroup")
_START = methodcaller("start")
_SPECIAL = frozenset({"mtail", "pvtail", "sutail"})
_NEWLINE = re.compile("\n")
_WS = r"(?:\s|\\\r?\n)*"
# `name` or `name(args)` with balanced-enough args (the outer split already respects parens)
_ATTR_ITEM = re.compile(_WS + r"(\w+)" + _WS + r"(\((.*)\))?" + _WS, re.S)
_STRING_LIT = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


@lru_cache(maxsize=1)
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_c.language()))


class _Lines:
    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        starts = [m.end() for m in _NEWLINE.finditer(text)]
        starts.insert(0, 0)
        self.starts = starts

    def span(self, start: int, end: int) -> Span:
        return span_at(self.starts, start, end)


_INITIALIZER_LINE = re.compile(r"\n[ \t]*\.[A-Za-z_]\w*[ \t]*=")
_CAPS_CALL = re.compile(r"\b_*[A-Z][A-Z0-9_]*\s*\([^()]*\)")
_ALL_CAPS = re.compile(r"_*[A-Z][A-Z0-9_]*")


def _depth(text: str, pos: int) -> int:
    """Parenthesis and bracket nesting at `pos`."""
    return text.count("(", 0, pos) + text.count("[", 0, pos) - text.count(")", 0, pos) - text.count("]", 0, pos)


def _macro_calls(prepared: Prepared) -> tuple[tuple[str, tuple[str, ...]], ...]:
    from hvlint.tables import macro_calls

    out: dict[str, dict[str, None]] = {}
    for d in prepared.defines:
        if "(" in d.body:
            called = macro_calls(d.body, d.params or ())
            if called:
                out.setdefault(d.name, {}).update(dict.fromkeys(called))
    return tuple((k, tuple(v)) for k, v in out.items())


def _depth0_char(text: str, ch: str) -> int:
    """Offset of the first `ch` outside parentheses and brackets, or -1."""
    depth = 0
    for i, c in enumerate(text):
        if c == ch and depth == 0:
            return i
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
    return -1


def _node_span(node: tree_sitter.Node, lines: _Lines) -> Span:
    """A node's span from the points tree-sitter already computed (byte columns)."""
    sr, sc = node.start_point
    er, ec = node.end_point
    start, end = node.start_byte, node.end_byte
    if ec == 0 and end > start:
        return lines.span(start, end)
    return Span(sr + 1, sc + 1, er + 1, max(ec, 1), start, end)


def literal_section(expr: str) -> str | None:
    """`".init" ".data"` -> `.init.data`; None unless the text is string literals only."""
    rest = _STRING_LIT.sub("", expr)
    if rest.strip() or '"' not in expr:
        return None
    return "".join(m.group(1) for m in _STRING_LIT.finditer(expr))


def _attr_items(text: str, args: tuple[int, int], lines: _Lines) -> tuple[AttrItem, ...]:
    """The attributes of `__attribute__((a, b(x)))`, given the outer argument range."""
    a, b = args
    inner = text[a:b]
    lp = inner.find("(")
    rp = inner.rfind(")")
    if lp < 0 or rp < lp:
        return ()
    base = a + lp + 1
    items: list[AttrItem] = []
    for s, e in split_top_level(text, base, a + rp):
        seg = text[s:e]
        m = _ATTR_ITEM.fullmatch(seg)
        if m is None:
            if seg.strip(" \t\r\n\\"):
                # Not `name` or `name(args)`: keep a nameless item so no rule rewrites it.
                items.append(AttrItem("", seg.strip(), lines.span(s, e)))
            continue
        istart = s + m.start(1)
        iend = s + (m.end(2) if m.group(2) is not None else m.end(1))
        args_text = m.group(3).strip() if m.group(3) is not None else None
        items.append(AttrItem(m.group(1), args_text, lines.span(istart, iend)))
    return tuple(items)


def _annotation(raw: RawAnnotation, text: str, lines: _Lines) -> Annotation:
    args = None
    items: tuple[AttrItem, ...] = ()
    section_expr = None
    if raw.args is not None:
        args = text[raw.args[0] : raw.args[1]].strip()
        if raw.name in ("__attribute__", "__attribute"):
            items = _attr_items(text, raw.args, lines)
            for it in items:
                if it.base == "section" and it.args is not None:
                    section_expr = it.args
        elif raw.name == "__section":
            section_expr = args
    section = literal_section(section_expr) if section_expr is not None else raw.section
    return Annotation(
        raw.name,
        lines.span(raw.start, raw.end),
        args=args,
        items=items,
        section_expr=section_expr,
        section=section,
        in_macro=raw.in_macro,
    )


def _errors_near(root: tree_sitter.Node, conditionals: list[int], text: str, reach: int = 3) -> bool:
    """Whether an ERROR/MISSING node lies within `reach` lines of a conditional directive."""
    if not conditionals:
        return False
    if len(conditionals) < 200:
        # the newlines before each offset, counted on from the previous one
        counts: set[int] = set()
        row = prev = 0
        for off in sorted(conditionals):
            row += text.count("\n", prev, off)
            prev = off
            counts.add(row)
        lines = sorted(counts)
    else:
        newlines = [m.start() for m in _NEWLINE.finditer(text)]
        lines = sorted({bisect_right(newlines, off) for off in conditionals})
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            lo, hi = node.start_point[0] - reach, node.end_point[0] + reach
            i = bisect_right(lines, hi) - 1
            if i >= 0 and lines[i] >= lo:
                return True
            continue
        stack.extend(c for c in node.children if c.has_error)
    return False


def _error_weight(root: tree_sitter.Node) -> tuple[int, int]:
    stats = _count_errors(root)
    return (stats.error_lines, stats.error_nodes + stats.missing_nodes)


def _count_errors(root: tree_sitter.Node) -> ParseStats:
    errors = missing = 0
    error_lines: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error:
            errors += 1
            error_lines.update(range(node.start_point[0], node.end_point[0] + 1))
            continue
        if node.is_missing:
            missing += 1
            continue
        stack.extend(c for c in node.children if c.has_error)
    return ParseStats(root.end_point[0] + 1, errors, missing, len(error_lines))


# `obj = ...`, `obj.m[i]->n |= ...` (not `a.obj =`, not `==`); with the stored name when the
# value is a bare (address-of) identifier: `obj.m = &name;`
# Written so that the engine scans fast: it starts with a character class (the engine skips
# to the next letter in C; a leading look-behind would try the whole pattern everywhere), the
# name and the member/index path are taken whole (`(?=(X))\N`, atomic: a shorter name or
# path is followed by a letter, `.`, `->` or `[`, never by an operator), and a name followed
# by no operator, member or index is left at once.  The same matches as
# `(?<![\w.>$])([A-Za-z_]\w*)(?P<path>(?:\s*(?:\.|->)\s*[A-Za-z_]\w*|\s*\[[^\]\[;]*\])*)\s*(?P<op>...`.
_WRITE = re.compile(
    _latin1(
        r"([A-Za-z_](?<![\w.>$][A-Za-z_])(?=(\w*))\2)(?=\s*[-.\[=+*/%&|^<>])"
        r"(?P<path>(?=((?:\s*(?:\.|->)\s*[A-Za-z_]\w*|\s*\[[^\]\[;]*\])*))\4)\s*"
        r"(?P<op>=(?!=)|[-+*/%&|^]=|<<=|>>=|\+\+|--)"
        r"(?:\s*(?:\(\s*[A-Za-z_][\w\s*]*\))?\s*(?P<amp>&?)\s*(?P<value>[A-Za-z_]\w*)\s*;)?"
    )
)
# What GCC puts in .bss all the same (-fzero-initialized-in-bss, the default).
# (No two white-space runs side by side: `\{\s*(?:0+|NULL)?\s*,?\s*\}` backtracks cubically
# over the long blanked runs of a big initializer.)
_ZERO_INIT = re.compile(r"\s*(?:0+[uUlL]*|NULL|false|'\\0'|\{\s*(?:(?:0+|NULL)\s*)?(?:,\s*)?\})\s*")
_LAST_MEMBER = re.compile(r"(?:\.|->)\s*([A-Za-z_]\w*)\s*$")
# What the compiler never evaluates: no reference is emitted for names inside these.
_UNEVALUATED_NAMES = (
    "sizeof typeof __typeof__ __typeof ARRAY_SIZE BUILD_BUG_ON BUILD_BUG_ON_MSG BUILD_BUG_ON_ZERO static_assert "
    "_Static_assert __same_type sizeof_field __must_be_array offsetof alignof __alignof__"
).split()
_UNEVALUATED = re.compile(r"\b(?:" + "|".join(_UNEVALUATED_NAMES) + r")\s*\(")
_PRE_WRITE = re.compile(
    r"(?:\+\+|--)\s*([A-Za-z_]\w*)"
    # early boot code writes through RIP-relative accessors: `RIP_REL_REF(sme_me_mask) = ...`
    r"|\b(?:RIP_REL_REF|rip_rel_ptr)\s*\(\s*&?\s*([A-Za-z_]\w*)\s*\)\s*(?:=(?!=)|[-+*/%&|^]=|<<=|>>=)"
)
# the destination of the copy/fill builtins: `memcpy(&boot_params, ...)`, `memset(obj, 0, ...)`
_COPY_FUNCTIONS = (
    "memcpy memset memmove strcpy strncpy strscpy strlcpy sprintf snprintf scnprintf __memcpy __memset "
    "__builtin_memset __builtin_memcpy copy_from_user"
).split()
_ARG_WRITE = re.compile(
    r"\b(?P<fn>" + "|".join(_COPY_FUNCTIONS) + r")\s*\(\s*(?:\(\s*[\w\s*]+\))?\s*&?\s*"
    r"([A-Za-z_]\w*)\s*(?:,\s*(?P<zero>0\s*,)?|\))"
)


def _led_by_one_character(words: list[str]) -> tuple[re.Pattern[str], ...]:
    """The words as patterns, one per first character: the regex engine looks for a single
    leading character with a tight loop, while for a pattern led by a class of characters
    (an alternation of words) it tests each character against the class, and for one led by
    a word boundary it tries the pattern at every offset."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0], []).append(re.escape(w))
    return tuple(re.compile("|".join(g)) for g in groups.values())


# Where a match of each may start (every match begins with one of these words).
_UNEVALUATED_AT = _led_by_one_character(_UNEVALUATED_NAMES)
# Labels name no symbol: `goto error;` and a line holding `error:` (init/initramfs.c has a
# function named error(): hvlint crosscheck found error paths "referencing" it).
_LABEL = re.compile(r"\bgoto\s+([A-Za-z_]\w*)|\n[ \t]*([A-Za-z_]\w*)[ \t]*:(?!:)(?=[ \t]*(?:\n|/[*/]))")
_PRE_WRITE_AT = _led_by_one_character(["++", "--", "RIP_REL_REF", "rip_rel_ptr"])
_ARG_WRITE_AT = _led_by_one_character(_COPY_FUNCTIONS)


def _scan(
    pattern: re.Pattern[str], at: tuple[re.Pattern[str], ...], text: str, start: int, end: int
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text, start, end)`, for a pattern every match of which begins with a
    match of one of `at`: the pattern is tried only there.  (No match may be empty.)"""
    starts: list[int] = []
    for first in at:
        search = first.search
        pos = start
        while (a := search(text, pos, end)) is not None:
            starts.append(a.start())
            pos = a.start() + 1
    starts.sort()
    cur = start
    for p in starts:
        if p >= cur:
            m = pattern.match(text, p, end)
            if m is not None:
                yield m
                cur = m.end()


_STATEMENTS = frozenset(
    "compound_statement if_statement else_clause for_statement while_statement do_statement "
    "switch_statement case_statement labeled_statement".split()
)


def _local_names(body: tree_sitter.Node, text: str) -> frozenset[str]:
    """The names a function body declares (at any block depth, `for (int i ...)` included);
    `text` is the one the tree was parsed from."""
    names: set[str] = set()
    stack = [body]
    while stack:
        node = stack.pop()
        for c in node.named_children:
            t = c.type
            if t == "declaration":
                for d in c.children_by_field_name("declarator"):
                    ident = _declarator_path(d)[1]
                    if ident is not None and ident.end_byte > ident.start_byte:
                        names.add(text[ident.start_byte : ident.end_byte])
            elif t in _STATEMENTS:
                stack.append(c)
            elif t == "for_statement" or t == "ERROR":
                stack.append(c)
    return frozenset(names)


def _parameter_names(declarator: tree_sitter.Node, text: str) -> frozenset[str]:
    """The parameter names of a function definition's declarator (`text`: the parsed one)."""
    cur: tree_sitter.Node | None = declarator
    while cur is not None and cur.type != "function_declarator":
        nxt = cur.child_by_field_name("declarator")
        cur = nxt if nxt is not None else next((c for c in cur.named_children if c.type != "type_qualifier"), None)
    params = cur.child_by_field_name("parameters") if cur is not None else None
    names: set[str] = set()
    for p in params.named_children if params is not None else ():
        d = p.child_by_field_name("declarator")
        if p.type == "parameter_declaration" and d is not None:
            ident = _declarator_path(d)[1]
            if ident is not None and ident.type == "identifier" and ident.end_byte > ident.start_byte:
                names.add(text[ident.start_byte : ident.end_byte])
    return frozenset(names)


def _declarator_path(node: tree_sitter.Node) -> tuple[list[tree_sitter.Node], tree_sitter.Node | None]:
    """The declarators from `node` down to its identifier, and the identifier (None if none)."""
    chain: list[tree_sitter.Node] = []
    cur: tree_sitter.Node | None = node
    while cur is not None and cur.type not in ("identifier", "field_identifier", "type_identifier"):
        chain.append(cur)
        nxt = cur.child_by_field_name("declarator")
        if nxt is None:
            # parenthesized_declarator has no field name
            nxt = next((c for c in cur.named_children if c.type != "type_qualifier"), None)
        cur = nxt
    return chain, cur


def _innermost_name(node: tree_sitter.Node) -> tuple[tree_sitter.Node | None, str, bool | None]:
    """Walk a declarator down to its identifier.

    Returns (identifier node, kind, pointer-constness) where kind is "function" when the
    first derivation from the name outward is a function declarator, and the constness is
    that of the outermost pointer level (None when there is no pointer: the base type's
    const decides)."""
    chain, cur = _declarator_path(node)
    kind = "object"
    ptr_const: bool | None = None
    for d in reversed(chain):
        t = d.type
        if t in ("array_declarator", "parenthesized_declarator", "init_declarator", "attributed_declarator"):
            continue
        if t == "function_declarator":
            kind = "function"
            break
        if t == "pointer_declarator":
            ptr_const = any(c.type == "type_qualifier" and c.text == b"const" for c in d.children)
            break
        break
    return cur, kind, ptr_const


class _Extractor:
    def __init__(
        self, path: str, text: str, prepared: Prepared, tree: tree_sitter.Tree, refs: bool, sections: frozenset[str]
    ) -> None:
        self.path = path
        self.sections = sections
        self.want_refs = refs
        self.text = text
        self.ptext = prepared.text
        self.prepared = prepared
        self.tree = tree
        self.lines = _Lines(text)
        self.decls: list[Decl] = []
        self.decl_index: dict[tuple[int, int], list[int]] = {}  # declaration node range -> decls
        self.diagnostics: list[Diagnostic] = []
        # typedefs of this file: name -> (the type is const at top level, "function"|"object")
        self.typedefs: dict[str, tuple[bool, str]] = {}
        self._cond_segments: tuple[list[int], list[int], list[str]] | None = None
        self._collect_typedefs(tree.root_node, 0)

    def _collect_typedefs(self, node: tree_sitter.Node, depth: int) -> None:
        for child in node.named_children:
            if child.type == "type_definition":
                const = any(c.type == "type_qualifier" and c.text == b"const" for c in child.children)
                for d in child.children_by_field_name("declarator"):
                    ident, kind, ptr_const = _innermost_name(d)
                    if ident is not None and ident.text:
                        self.typedefs[ident.text.decode("latin-1")] = (const if ptr_const is None else ptr_const, kind)
            elif child.type in _CONTAINERS and depth < 200:
                self._collect_typedefs(child, depth + 1)

    # -- declarations -------------------------------------------------------------------
    def walk_top(self, node: tree_sitter.Node | None = None, depth: int = 0) -> None:
        for child in (node or self.tree.root_node).named_children:
            t = child.type
            if t in _DECL_TYPES:
                self.add_decl(child, None)
            elif t in _CONTAINERS and depth < 200:
                self.walk_top(child, depth + 1)

    def add_decl(self, node: tree_sitter.Node, scope: str | None) -> list[int]:
        key = (node.start_byte, node.end_byte)
        if key in self.decl_index:
            return self.decl_index[key]
        out: list[int] = []
        storage = None
        base_const = False
        is_inline = False
        declarators: list[tree_sitter.Node] = []
        for child in node.children:
            t = child.type
            if t == "storage_class_specifier":
                word = child.text.decode("latin-1") if child.text else ""
                if word in ("static", "extern"):
                    storage = word
                elif word in ("inline", "__inline", "__inline__"):
                    is_inline = True
            elif t == "type_qualifier" and child.text == b"const":
                base_const = True
        if node.type == "function_definition":
            d = node.child_by_field_name("declarator")
            if d is not None:
                declarators.append(d)
        else:
            declarators = node.children_by_field_name("declarator")
        is_def = node.type == "function_definition"
        body = node.child_by_field_name("body")
        typ = node.child_by_field_name("type")
        typedef = None
        if typ is not None and typ.type == "type_identifier" and typ.text:
            typedef = self.typedefs.get(typ.text.decode("latin-1"))
        for d in declarators:
            ident, kind, ptr_const = _innermost_name(d)
            if ident is None or ident.type != "identifier" or ident.is_missing or not ident.text:
                continue
            name = ident.text.decode("latin-1") if ident.text else ""
            has_init = d.type == "init_declarator"
            zero_init = False
            if has_init:
                value = d.child_by_field_name("value")
                if value is not None:  # the node's text is the prepared text's, byte for byte
                    zero_init = _ZERO_INIT.fullmatch(self.ptext, value.start_byte, value.end_byte) is not None
            const = base_const if ptr_const is None else ptr_const
            if typedef is not None and kind == "object" and ptr_const is None:
                # no pointer between the name and the typedef: its constness and function-ness show
                const = const or typedef[0]
                if typedef[1] == "function":
                    kind = "function"
            calls: tuple[FactRef, ...] = ()
            refs: tuple[FactRef, ...] = ()
            assigns: tuple[tuple[str, str], ...] = ()
            writes: tuple[FactRef, ...] = ()
            stores: tuple[tuple[str, str, str, int], ...] = ()
            if not self.want_refs:
                pass
            elif body is not None:
                # a parameter or a local: `fn(arg)` is a call through a pointer, `obj` no global
                params = _parameter_names(d, self.ptext)
                hidden = params | _local_names(body, self.ptext)
                calls, refs, assigns, named = self.scan_refs(body.start_byte, body.end_byte, hidden)
                writes, stores = self.scan_writes(body, hidden if named else params)
            elif has_init:
                value = d.child_by_field_name("value")
                if value is not None:
                    calls, refs, assigns, _ = self.scan_refs(value.start_byte, value.end_byte)
            decl = Decl(
                name=name,
                kind=kind,
                span=_node_span(node, self.lines),
                name_span=_node_span(ident, self.lines),
                is_definition=is_def or (kind == "object" and storage != "extern") or has_init,
                storage=storage,
                is_const=kind == "object" and const,
                is_inline=is_inline,
                has_init=has_init,
                zero_init=zero_init,
                scope=scope,
                calls=calls,
                refs=refs,
                assigns=assigns,
                writes=writes,
                stores=stores,
            )
            out.append(len(self.decls))
            self.decls.append(decl)
        self.decl_index[key] = out
        return out

    def scan_writes(
        self, body: tree_sitter.Node, local: frozenset[str]
    ) -> tuple[tuple[FactRef, ...], tuple[tuple[str, str, str, int], ...]]:
        """Which file-scope objects a function body writes (`obj = `, `obj.m[i] |= `, `obj++`,
        `memcpy(&obj, ...)`) and which names it stores into one (`obj.m = &name;`); names
        declared in the body or as parameters are locals, not objects."""
        text = self.ptext
        start, end = body.start_byte, body.end_byte
        found: list[tuple[str, int, re.Match[str] | None]] = [
            (m.group(1), m.start(1), m) for m in _WRITE.finditer(text, start, end)
        ]
        found += [
            (m.group(1) or m.group(2), m.start(1) if m.group(1) else m.start(2), None)
            for m in _scan(_PRE_WRITE, _PRE_WRITE_AT, text, start, end)
        ]
        zeroed = set()
        for a in _scan(_ARG_WRITE, _ARG_WRITE_AT, text, start, end):
            found.append((a.group(2), a.start(2), None))
            if a.group("zero") and "memset" in a.group("fn"):
                zeroed.add(a.start(2))  # memset(&obj, 0, ...): the same zeros BSS clearing writes
        found = [f for f in found if f[0] not in _KEYWORDS and f[0] not in local]
        if not found:
            return (), ()
        starts = self.lines.starts
        c_starts, c_ends, c_conds = self.cond_segments()
        writes: dict[str, FactRef] = {}
        stores: dict[tuple[str, str, str], int] = {}
        for name, pos, m in sorted(found, key=lambda f: f[1]):
            line = bisect_right(starts, pos)
            if name not in writes or (writes[name].kind == "zero-write" and pos not in zeroed):
                cond = None
                i = bisect_right(c_starts, pos) - 1 if c_starts else -1
                if i >= 0 and pos < c_ends[i]:
                    cond = c_conds[i]
                writes[name] = FactRef(name, line, "zero-write" if pos in zeroed else "write", cond)
            if m is not None and m.group("value") and m.group("op") == "=":
                value = m.group("value")
                if value not in _KEYWORDS and value not in local:
                    member = _LAST_MEMBER.search(m.group("path") or "")
                    stores[(name, member.group(1) if member else "", m.group("amp") + value)] = line  # the last
        return tuple(writes.values()), tuple((t, mb, v, ln) for (t, mb, v), ln in stores.items())

    def cond_segments(self) -> tuple[list[int], list[int], list[str]]:
        if self._cond_segments is None:
            self._cond_segments = condition_segments(self.prepared.cond_regions)
        return self._cond_segments

    def scan_refs(
        self, start: int, end: int, hidden: frozenset[str] = frozenset()
    ) -> tuple[tuple[FactRef, ...], tuple[FactRef, ...], tuple[tuple[str, str], ...], bool]:
        """Calls, other references and member assignments in text[start:end]; calls (not
        member calls) and references to a `hidden` name (a parameter or a local) are left out.
        The flag tells whether there was any call or reference before they were."""
        text = self.ptext
        toks = list(_REFS.finditer(text, start, end))
        if not toks:
            return (), (), (), False
        kinds: list[str | None] = list(map(_LASTGROUP, toks))
        texts: list[str | None] = list(map(_TEXT_OF, toks))
        # Tokens starting inside an unevaluated operand count for nothing.
        skip: list[tuple[int, int]] = []
        for u in _scan(_UNEVALUATED, _UNEVALUATED_AT, text, start, end):
            close = match_paren(text, u.end() - 1)
            if close > 0:
                skip.append((u.end(), close))
        for lm in _LABEL.finditer(text, start, end):
            g = 1 if lm.group(1) is not None else 2
            if lm.group(g) not in ("default", "case"):
                skip.append((lm.start(g), lm.end(g)))
        if skip:
            token_starts = list(map(_START, toks))
            for a, b in skip:
                i, j = bisect_left(token_starts, a), bisect_left(token_starts, b)
                kinds[i:j] = texts[i:j] = [None] * (j - i)
        n = len(toks)
        # The first token of each text (a dict keeps the last value given it: walk back).
        first = dict(zip(reversed(texts), range(n - 1, -1, -1)))
        # What the first occurrence of each reference and call is: token index, offset of
        # its line, offset of its condition (-1: none), name, kind.
        found_refs: dict[str, tuple[int, int, int, str, str]] = {}
        found_calls: dict[str, tuple[int, int, int, str, str]] = {}  # by name, or "." + member
        dropped = False
        for text_i, i in first.items():
            kind = kinds[i]
            if text_i is None:
                continue
            if kind == "name":
                name = text_i
            elif kind == "paren":  # `name (`: the first of its spellings
                name = text_i[:-1].rstrip()
                if name in found_calls and found_calls[name][0] < i:
                    continue
            else:
                continue
            if name in _KEYWORDS:
                continue
            if name in hidden:
                dropped = True
                continue
            pos = toks[i].start()
            if kind == "name":
                found_refs[name] = (i, pos, pos, name, "ref")
            else:
                found_calls[name] = (i, pos, pos, name, "call")
        assigns: dict[tuple[str, str], None] = {}
        for i in compress(range(n), map(_SPECIAL.__contains__, kinds)):
            m = toks[i]
            kind = kinds[i]
            if kind == "mtail":
                member = m[_MNAME]
                if m[_MCALL] and "." + member not in found_calls:
                    pos = m.start()
                    found_calls["." + member] = (i, pos, pos, member, "member-call")
                value = m[_MVAL]
                if value and value not in _KEYWORDS:
                    assigns[(member, value)] = None
                    if value in hidden:
                        dropped = True
                    elif value not in found_refs or found_refs[value][0] > i:
                        found_refs[value] = (i, m.start(_MVAL), -1, value, "ref")
            elif kind == "pvtail":
                member = "static_call:" + m[_SCKEY] if m[_SCKEY] else m[_PVMEM].rsplit(".", 1)[-1]
                if "." + member not in found_calls:
                    found_calls["." + member] = (i, m.start(), -1, member, "member-call")
            else:  # sutail
                key, fn = m[_SUKEY], m[_SUFN]
                assigns[("static_call:" + key, fn)] = None
                if fn in hidden:
                    dropped = True
                elif fn not in found_refs or found_refs[fn][0] > i:
                    found_refs[fn] = (i, m.start(), -1, fn, "ref")
        return (
            self._refs(sorted(found_calls.values())),
            self._refs(sorted(found_refs.values())),
            tuple(assigns),
            dropped or bool(found_refs or found_calls),
        )

    def _refs(self, found: list[tuple[int, int, int, str, str]]) -> tuple[FactRef, ...]:
        """The Refs of scan_refs's first occurrences, with their lines and conditions."""
        starts = self.lines.starts
        c_starts, c_ends, c_conds = self.cond_segments()
        out: list[FactRef] = []
        for _, pos, cond_pos, name, kind in found:
            line = bisect_right(starts, pos)
            if c_starts and cond_pos >= 0:
                i = bisect_right(c_starts, cond_pos) - 1
                if i >= 0 and cond_pos < c_ends[i]:
                    out.append(FactRef(name, line, kind, c_conds[i]))
                    continue
            out.append(FactRef(name, line, kind))
        return tuple(out)

    # -- annotations ----------------------------------------------------------------------
    def attach(self, annotations: list[Annotation], raws: list[RawAnnotation]) -> list[Annotation]:
        root = self.tree.root_node
        out: list[Annotation] = []
        for ann, raw in zip(annotations, raws):
            if raw.in_macro is not None:
                out.append(ann)
                continue
            owner, position = self.owner(root, raw.start, raw.end)
            if raw.section is not None and owner is None:
                # `DEFINE_PER_CPU(type, name)`: the declaration whose name follows the macro
                owner, position = self._declared_after(raw.end), "specifiers"
            if owner is None and position not in ("member", "argument") and self._places(ann):
                # The tree gave no declaration here: read the statement's tokens instead.
                owner, position = self.scan_decl(raw.start, raw.end), "declarator"
                if owner is None:
                    self.diagnostics.append(
                        Diagnostic(f"cannot tell which declaration {ann.name} annotates: not checked", ann.span)
                    )
            if owner is None:
                out.append(ann)
                continue
            out.append(replace(ann, owner=owner, position=position))
        return out

    def _declared_after(self, pos: int) -> int | None:
        best = None
        for i, d in enumerate(self.decls):
            s = d.name_span.start
            if pos <= s < pos + 512 and d.scope is None and (best is None or s < self.decls[best].name_span.start):
                best = i
        return best

    def _places(self, ann: Annotation) -> bool:
        return ann.name in self.sections or ann.section_expr is not None

    def scan_decl(self, start: int, end: int) -> int | None:
        """A declaration read from the tokens around an annotation, as checkpatch would: the
        statement from the previous `;`, `{` or `}` to the next `;`, `{` or `=`."""
        text = self.ptext
        s0 = max(text.rfind(";", 0, start), text.rfind("{", 0, start), text.rfind("}", 0, start)) + 1
        stops = [i for i in (text.find(";", end), text.find("{", end), text.find("=", end)) if i >= 0]
        e0 = min(stops) if stops else len(text)
        if e0 - s0 > 4096:
            return None
        before = text[s0:start]
        if before.count("(") > before.count(")"):
            return None  # inside an argument list: a macro argument, not a declaration
        if _INITIALIZER_LINE.search(text, s0, e0):
            return None  # designated initializers of a macro-made object: not one declaration
        # Upper-case macro calls (`OOPS(1)`) are attributes here, not declarators.
        stmt = _CAPS_CALL.sub(lambda m: " " * len(m.group()), text[s0:e0])
        words = [(m.group(), m.start()) for m in re.finditer(r"[A-Za-z_]\w*", stmt)]
        words = [w for w in words if w[0] not in _KEYWORDS and _depth(stmt, w[1]) == 0]
        if not words:
            return None
        paren = _depth0_char(stmt, "(")
        kind = "function" if paren >= 0 and not re.match(r"\s*\*", stmt[paren + 1 :]) else "object"
        if kind == "function":
            words = [w for w in words if w[1] < paren]
        rel = start - s0
        after = [w for w in words if w[1] >= rel and not _ALL_CAPS.fullmatch(w[0])]
        before_words = [w for w in words if w[1] < rel]
        pick = after or before_words or words
        if not pick:
            return None
        name, off = pick[-1] if not after else after[0]
        between = stmt[:off]
        storage = (
            "static" if re.search(r"\bstatic\b", between) else "extern" if re.search(r"\bextern\b", between) else None
        )
        last_star = between.rfind("*")
        const = bool(re.search(r"\bconst\b", between[last_star + 1 :] if last_star >= 0 else between))
        decl = Decl(
            name=name,
            kind=kind,
            span=self.lines.span(s0, e0),
            name_span=self.lines.span(s0 + off, s0 + off + len(name)),
            is_definition=kind == "object" and storage != "extern",
            storage=storage,
            is_const=kind == "object" and const,
            has_init=e0 < len(text) and text[e0] == "=",
        )
        self.decls.append(decl)
        return len(self.decls) - 1

    def owner(self, root: tree_sitter.Node, start: int, end: int) -> tuple[int | None, str]:
        node: tree_sitter.Node | None = root.descendant_for_byte_range(start, end)
        decl_node = None
        while node is not None:
            t = node.type
            if t in _DECL_TYPES:
                decl_node = node
                break
            if t in _STOP_TYPES:
                return None, "member"
            if t == "argument_list":
                return None, "argument"  # a macro argument (`register_nmi_handler(..., __initdata)`)
            if t in _CONTAINERS or t == "compound_statement":
                # Whitespace between items: the annotation leads the next declaration.
                for child in node.named_children:
                    if child.start_byte >= end:
                        if child.type in _DECL_TYPES and not self.ptext[end : child.start_byte].strip():
                            decl_node = child
                        break
                break
            node = node.parent
        if decl_node is None:
            return None, ""
        if decl_node.has_error:
            return None, "error"  # the tree is unsure of this declaration: read its tokens
        scope = self.enclosing_function(decl_node)
        idxs = self.add_decl(decl_node, scope)
        if not idxs:
            return None, ""
        declarators = (
            [decl_node.child_by_field_name("declarator")]
            if decl_node.type == "function_definition"
            else decl_node.children_by_field_name("declarator")
        )
        first = declarators[0] if declarators and declarators[0] is not None else None
        if first is None or start < first.start_byte:
            typ = decl_node.child_by_field_name("type")
            position = "specifiers"
            if typ is not None and typ.type in ("struct_specifier", "union_specifier", "enum_specifier"):
                body = typ.child_by_field_name("body")
                name = typ.child_by_field_name("name")
                if typ.start_byte <= start and end <= typ.end_byte:
                    lead_end = (name or body or typ).start_byte if (name or body) else typ.end_byte
                    if start < lead_end or body is None or start < body.start_byte:
                        position = "type-tag"
                elif body is not None and start >= typ.end_byte:
                    position = "after-body"
            # Applies to every declarator of the declaration; report the first.
            return idxs[0], position
        # After a declarator: it belongs to the last declarator that starts before it.
        best = 0
        for i, d in enumerate(declarators):
            if d is not None and d.start_byte < start:
                best = i
        best = min(best, len(idxs) - 1)
        return idxs[best], "declarator"

    @staticmethod
    def enclosing_function(node: tree_sitter.Node) -> str | None:
        cur = node.parent
        while cur is not None:
            if cur.type == "function_definition":
                d = cur.child_by_field_name("declarator")
                if d is not None:
                    ident, _, _ = _innermost_name(d)
                    if ident is not None and ident.text:
                        return ident.text.decode("latin-1")
                return None
            cur = cur.parent
        return None


_UNTERMINATED = {
    "comment": "unterminated comment: the rest of the file is read as one",
    "string": "unterminated string literal: it ends at the end of its line",
    "#if": "unterminated #if: no #endif before the end of the file",
}


def extract_c(
    path: str, data: bytes, vocab: Vocabulary, pattern: re.Pattern[str] | None = None, *, refs: bool = False
) -> FileFacts:
    """Facts of one C source or header, given its bytes.  With `refs`, every function body
    and initializer is also scanned for the identifiers it calls and names (the call graph
    needs them; the per-file rules do not)."""
    text = data.decode("latin-1")
    prepared = prepare(text, vocab, pattern)
    parser = _parser()
    tree = parser.parse(prepared.text.encode("latin-1"))
    full: tuple[Prepared, tree_sitter.Tree] | None = None
    if tree.root_node.has_error and _errors_near(tree.root_node, prepared.conditionals, text):
        # Conditionals that split a statement: retry with one branch of each, keep the better.
        alt = one_branch(prepared)
        alt_tree = parser.parse(alt.text.encode("latin-1"))
        if _error_weight(alt_tree.root_node) < _error_weight(tree.root_node):
            full = (prepared, tree)
            prepared, tree = alt, alt_tree
    ex = _Extractor(path, text, prepared, tree, refs, vocab.sections)
    ex.walk_top()
    lines = ex.lines
    # Attribute arguments are read with the comments blanked (`__section(/* x */ ".init.data")`).
    atext = text
    if any(r.args is not None and "/" in text[r.args[0] : r.args[1]] for r in prepared.annotations):
        atext = prepared.without_comments(text)
    anns = ex.attach([_annotation(r, atext, lines) for r in prepared.annotations], prepared.annotations)
    if full is not None:
        # Annotations in the branches the retry left out are read on the full parse, so every
        # configuration's annotations are kept; their declarations come after the others.
        other = _Extractor(path, text, full[0], full[1], refs, vocab.sections)
        dead = [r for r in full[0].annotations if any(a <= r.start < b for a, b in prepared.dead)]
        extra = other.attach([_annotation(r, atext, lines) for r in dead], dead)
        base = len(ex.decls)
        anns += [a if a.owner is None else replace(a, owner=a.owner + base) for a in extra]
        ex.decls.extend(other.decls)
        order = sorted(range(len(anns)), key=lambda i: anns[i].span.start)
        anns = [anns[i] for i in order]
    # Attach annotation indexes to their declarations; one written before the declarators
    # (`static __initdata int a, b, c;`) applies to every declarator of the declaration.
    siblings: dict[int, list[int]] = {}
    for idxs in ex.decl_index.values():
        if len(idxs) > 1:
            for i in idxs:
                siblings[i] = idxs
    by_owner: dict[int, list[int]] = {}
    for i, a in enumerate(anns):
        if a.owner is not None:
            targets = (
                siblings.get(a.owner, [a.owner])
                if a.position in ("specifiers", "type-tag", "after-body")
                else [a.owner]
            )
            for t in targets:
                by_owner.setdefault(t, []).append(i)
    decls = [d if i not in by_owner else replace(d, annotations=tuple(by_owner[i])) for i, d in enumerate(ex.decls)]
    # Only the macros that hold an annotation are kept (the rules ask what such a macro is);
    # the section table reads headers' macros on its own.
    holders = {a.in_macro for a in anns if a.in_macro is not None}
    macros = tuple(
        MacroDef(d.name, d.params, d.body, lines.span(d.start, d.end), d.conditions)
        for d in prepared.defines
        if d.name in holders
    )
    invocations = tuple(
        Invocation(name, args, bisect_right(lines.starts, off)) for name, off, args in prepared.invocations
    )
    diagnostics = list(ex.diagnostics)
    for off in prepared.unbalanced:
        diagnostics.append(Diagnostic("annotation with unbalanced parentheses left unparsed", lines.span(off, off + 1)))
    for what, off in (full[0] if full is not None else prepared).unterminated:
        diagnostics.append(Diagnostic(_UNTERMINATED[what], lines.span(off, off + 1)))
    return FileFacts(
        path=path,
        lang="c",
        size=len(data),
        decls=tuple(decls),
        annotations=tuple(anns),
        macros=macros,
        macro_names=tuple(sorted({d.name for d in prepared.defines})),
        macro_calls=_macro_calls(prepared) if refs else (),
        invocations=invocations,
        diagnostics=tuple(diagnostics),
        stats=_count_errors(tree.root_node),
    )
