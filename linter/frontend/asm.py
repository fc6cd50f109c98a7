"""Assembly (.S) files: the symbols a file defines, the section each one is in, and what each
one calls, jumps to and otherwise names.

The reading is line based and the C preprocessor is not run: `#include` and `#define` lines
are skipped, every branch of `#if`/`#ifdef`/`#else` is read (the innermost condition is
kept as `Ref.cond`), comments (`/* */`, `//`, and `#` when it starts no directive) are
blanked in place so that offsets stay those of the file.

Symbols come from the kernel's linkage macros (include/linux/linkage.h,
arch/x86/include/asm/linkage.h):

* `SYM_FUNC_START*`, `SYM_TYPED_FUNC_START`, `SYM_CODE_START*`, `SYM_START`, old-style
  `ENTRY`/`GLOBAL`/`WEAK` open a symbol that `SYM_*_END`/`SYM_END`/`END`/`ENDPROC` closes;
  `SYM_DATA_START*` the same for data, `SYM_DATA`/`SYM_DATA_LOCAL` are one statement;
* `SYM_INNER_LABEL*`, `SYM_ENTRY` and `.globl` labels are labels inside the open symbol (or
  alone); code that falls through into one gets a "jump" edge to it;
* `SYM_DATA_END_LABEL(name, linkage, label)` and `SYM_FUNC_ALIAS*(alias, name)` add a
  symbol without taking over what follows (an alias "jumps" to the code it names);
* a plain `name:` label outside any symbol is a static symbol of its own (a `.globl` one a
  global one); inside a symbol it is a local label of that symbol, and a jump to it from
  elsewhere becomes a jump to that symbol.

References go to the symbol opened last (after its end too: code between symbols belongs
to the symbol before); references before the first symbol are dropped.  A `.macro` body
is no code where it is written; an invocation of a macro of the same file whose body
defines a symbol or calls/jumps to a name is read with its arguments put in, at the place
of the invocation (how xen-asm.S makes its `xen_asm_exc_*` trap stubs).

Sections follow `.section`, `.pushsection`/`.popsection`, `.previous`, `.text`/`.data`/
`.bss` and the section macros of hvlint/data/asm.toml (`__HEAD`, `__INIT`, `__FINIT`...),
with the assembler's semantics (`.previous` swaps with the section before, it does not pop).

Writes (`Decl.writes`, kind "write", besides the plain reference) are the symbols a store
names in its destination, the last AT&T operand (`movq %rax, sym(%rip)`, `movl $1,
_pa(sym)`, `incl sym(%rip)`; both operands of `xchg`/`xadd`; not the operand of `cmp`,
`test`, `push`, `lgdt`... that only read, hvlint/data/asm.toml [writes]), and block writes:
the symbol whose address the code loaded into %rdi/%edi (`lea sym(%rip), %rdi`, `mov $sym,
%edi`) when a string store (`rep movsl`, `stosq`) follows in the same symbol's code before
%rdi gets another value or a call intervenes; the write is at the string store's line.

Linker scripts (`*.lds.S`) define no code or data and give empty facts.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Any

from hvlint.datafiles import load_toml
from hvlint.errors import HvlintError
from hvlint.facts import Decl, Diagnostic, FileFacts, ParseStats, Ref, Span, span_at

if sys.version_info >= (3, 11):
    pass
else:  # pragma: no cover
    pass

TABLE = "asm.toml"
_SOURCE = "hvlint/data/asm.toml"

# -- the data table -----------------------------------------------------------------------

SectionOp = tuple[str, "str | None"]  # ("set" | "push" | "pop" | "previous", section name)

_IDENT_RE = re.compile(r"[A-Za-z_][\w$]*")
_DIRECTIVE_RE = re.compile(r"\s*(\.[A-Za-z_][\w.]*)(.*)", re.S)
_SECTION_NAME = re.compile(r'\s*(?:"([^"]*)"|([^\s,"]+))')


def _section_op(text: str, directives: dict[str, str]) -> SectionOp | None:
    """The section change a directive makes (`.section ".init.text","ax"` -> ("set",
    ".init.text")), or None when it makes none."""
    m = _DIRECTIVE_RE.match(text)
    if not m:
        return None
    word, rest = m.group(1), m.group(2)
    if word in (".section", ".pushsection"):
        n = _SECTION_NAME.match(rest)
        name = (n.group(1) if n.group(1) is not None else n.group(2)) if n else None
        if not name:
            return None
        return ("set" if word == ".section" else "push", name)
    if word == ".popsection":
        return ("pop", None)
    if word == ".previous":
        return ("previous", None)
    if word in directives:
        return ("set", directives[word])
    return None


@dataclass(frozen=True)
class AsmTables:
    section_macros: dict[str, SectionOp]
    section_directives: dict[str, str]
    skip_macros: frozenset[str]
    skip_prefixes: tuple[str, ...]
    leading_args: dict[str, int]
    stop: frozenset[str]
    # [writes]: mnemonics (without size suffix) whose operands are only read, exactly or by
    # prefix; that write both operands; string stores that write at the block registers.
    write_reads: frozenset[str] = frozenset()
    write_read_prefixes: tuple[str, ...] = ()
    write_both: frozenset[str] = frozenset()
    block_writes: frozenset[str] = frozenset()
    block_registers: frozenset[str] = frozenset()
    # What the walk makes of each statement word (filled as words are met).
    categories: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    # What each instruction word writes (_W_*, filled as words are met).
    write_kinds: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


def parse_tables(doc: dict[str, Any], source: str = _SOURCE) -> AsmTables:
    """Check and convert the parsed asm.toml; a bad entry raises one HvlintError naming
    `source` and the key."""

    def fail(key: str, why: str) -> HvlintError:
        return HvlintError(f"{source}: key '{key}': {why}")

    for top in doc:
        if top not in ("section_macros", "section_directives", "refs", "writes"):
            raise fail(top, "unknown table (expected section_macros, section_directives, refs, writes)")

    def table(key: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise fail(key, "must be a table")
        return value

    directives: dict[str, str] = {}
    for k, v in table("section_directives", doc.get("section_directives", {})).items():
        if not re.fullmatch(r"\.[A-Za-z_][\w.]*", k):
            raise fail(f"section_directives.{k}", "must be a directive such as .text")
        if not isinstance(v, str) or not v.startswith(".") or len(v) < 2 or any(c.isspace() for c in v):
            raise fail(f"section_directives.{k}", 'must be a section name such as ".text"')
        directives[k] = v

    macros: dict[str, SectionOp] = {}
    for k, v in table("section_macros", doc.get("section_macros", {})).items():
        if not _IDENT_RE.fullmatch(k):
            raise fail(f"section_macros.{k}", "must be a macro name")
        op = _section_op(v, directives) if isinstance(v, str) else None
        if op is None:
            raise fail(
                f"section_macros.{k}",
                "must be a section directive (.section NAME, .pushsection NAME, .popsection, .previous, "
                + ", ".join(sorted(directives))
                + ")",
            )
        macros[k] = op

    refs = table("refs", doc.get("refs", {}))
    for k in refs:
        if k not in ("skip_macros", "leading_args", "stop"):
            raise fail(f"refs.{k}", "unknown key (expected skip_macros, leading_args, stop)")
    skip = refs.get("skip_macros", [])
    if not isinstance(skip, list) or not all(isinstance(s, str) and _IDENT_RE.fullmatch(s.rstrip("*")) for s in skip):
        raise fail("refs.skip_macros", "must be a list of macro names (a trailing * matches a prefix)")
    leading = table("refs.leading_args", refs.get("leading_args", {}))
    for k, v in leading.items():
        if not _IDENT_RE.fullmatch(k) or not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise fail(f"refs.leading_args.{k}", "must map a macro name to a number of arguments (0, 1, ...)")
    stop = refs.get("stop", [])
    if not isinstance(stop, list) or not all(isinstance(s, str) and _IDENT_RE.fullmatch(s) for s in stop):
        raise fail("refs.stop", "must be a list of identifiers")

    writes = table("writes", doc.get("writes", {}))
    for k in writes:
        if k not in ("reads", "both", "block", "block_registers"):
            raise fail(f"writes.{k}", "unknown key (expected reads, both, block, block_registers)")

    def mnemonics(key: str, prefixes: bool) -> list[str]:
        v = writes.get(key, [])
        pattern = r"[a-z][a-z0-9]*\*?" if prefixes else r"[a-z][a-z0-9]*"
        if not isinstance(v, list) or not all(isinstance(m, str) and re.fullmatch(pattern, m) for m in v):
            what = " (a trailing * matches a prefix)" if prefixes else ""
            raise fail(f"writes.{key}", f"must be a list of lower-case mnemonics{what}")
        return v

    reads = mnemonics("reads", True)
    block_regs = mnemonics("block_registers", False)
    if not all(_REGISTER.fullmatch(r) for r in block_regs):
        raise fail("writes.block_registers", "must be a list of register names without % (rdi, edi)")
    return AsmTables(
        section_macros=macros,
        section_directives=directives,
        skip_macros=frozenset(s for s in skip if not s.endswith("*")),
        skip_prefixes=tuple(s[:-1] for s in skip if s.endswith("*")),
        leading_args=dict(leading),
        stop=frozenset(stop),
        write_reads=frozenset(m for m in reads if not m.endswith("*")),
        write_read_prefixes=tuple(m[:-1] for m in reads if m.endswith("*")),
        write_both=frozenset(mnemonics("both", False)),
        block_writes=frozenset(mnemonics("block", False)),
        block_registers=frozenset(block_regs),
    )


@lru_cache(maxsize=1)
def load_tables() -> AsmTables:
    return parse_tables(load_toml(TABLE))


# -- lexical ------------------------------------------------------------------------------

# Comments and strings, in one pass so that neither hides the other.  A comment becomes
# blanks (newlines kept); in a string `;` becomes \x1f (it separates statements outside).
_LEX = re.compile(r'/\*[^*]*\*+(?:[^/*][^*]*\*+)*/|/\*[\s\S]*|//[^\n]*|"(?:[^"\\\n]|\\.)*"?')
_NOT_NL = re.compile(r"[^\n]+")
_CONTINUATION = re.compile(r"\\[ \t\r]*\n")


def _blank(m: re.Match[str]) -> str:
    s = m.group()
    if s[0] == '"':
        return s.replace(";", "\x1f").replace("#", " ") if (";" in s or "#" in s) else s
    if "\n" not in s:
        return " " * len(s)
    return _NOT_NL.sub(lambda x: " " * len(x.group()), s)


def _prepare(raw: str) -> str:
    """The text the walk reads: continued lines joined as the preprocessor does before it
    removes comments (backslash-newline becomes blanks), then comments blanked.  Offsets
    are those of the file; joined lines have fewer newlines."""
    if "\\" in raw:
        raw = _CONTINUATION.sub(lambda m: " " * len(m.group()), raw)
    return _LEX.sub(_blank, raw)


_STRING = re.compile(r'"[^"\n]*"?')
_PP_LINE = re.compile(r"\s*#\s*([A-Za-z_]\w*|\d*)(.*)", re.S)
_CONDITIONALS = frozenset(("if", "ifdef", "ifndef", "elif", "else", "endif", "elifdef", "elifndef"))
_PP_OTHER = frozenset(
    ("define", "undef", "include", "include_next", "error", "warning", "pragma", "line", "ident", "import", "")
)
_DEFINE_NAME = re.compile(r"\s*([A-Za-z_]\w*)")

# A label at the start of a statement: `name:`, `1:`, `.Lfoo:` (not `name::` or `a:=`).
_LABEL = re.compile(r"[ \t]*([A-Za-z_.$][\w.$\\@]*|\d+)[ \t]*:(?![:=])")
_WORD = re.compile(r"[ \t]*([A-Za-z_.][\w.$]*)")
# An identifier in an operand and what follows it: `\` (a name built from a macro argument),
# `(` (a macro call, unless a register or `,` follows: `sym(%rip)`, `tbl(,%rax,8)`), `=`.
# (The lookbehind follows the first letter so that the scan can skip to letters quickly.)
_IDENT = re.compile(r"([A-Za-z_](?<![\w.%\\@)].)[\w.$]*)(?:(\\)|\s*(\()\s*([%,]?)|\s*(=)(?!=))?")
_REGISTER = re.compile(
    r"(?:[re]?[abcd]x|[abcd][lh]|[re]?(?:si|di|sp|bp|ip)|(?:si|di|sp|bp)l|r(?:[89]|1[0-5])[dwb]?"
    r"|[xyz]mm\d{1,2}|mm[0-7]|k[0-7]|[cd]r\d{1,2}|[cdefgs]s|st|eflags|rflags)"
)
# Preprocessor-style constants and asm-offsets names: `X86_CR4_PAE`, `__KERNEL_CS`,
# `TASK_threadsp`, `X86_current_task`.
_CONSTANT = re.compile(r"_*[A-Z][A-Z0-9]*(?:_|$)")
# The target of a call/jump: `name`, `name@PLT`, `*name(%rip)`, `*name`, `name+8`.
_TARGET = re.compile(r"\s*(\*)?\s*([A-Za-z_.$][\w.$]*)(?:@\w+)?\s*(?:[-+][^()]*)?(?:\(\s*([^)]*?)\s*\))?\s*$")
# A line from its first non-blank character, with the word it starts with (if any).
_CONTENT_LINE = re.compile(r"(?:([A-Za-z_.][\w.$]*)|[^\s])[^\n]*")
_TARGET_ABS = re.compile(r"\s*\*\s*\(\s*([A-Za-z_$][\w.$]*)\s*\)\s*$")  # `call *(name)`
_MACRO_PARAM = re.compile(r"([A-Za-z_]\w*)(?::\w+)?(?:[ \t]*=[ \t]*([^\s,]*))?")
_MACRO_ARG = re.compile(r'[ \t]*(?:([A-Za-z_]\w*)[ \t]*=[ \t]*)?("[^"]*"|[^\s,"]+)[ \t]*,?')
_MACRO_REF = re.compile(r"\\(\w+|\(\)|@)")
_MAX_EXPANSION = 8  # nesting of in-file macro invocations
_MAX_EXPANDED = 20_000  # body lines read from expansions, per file
_DEFINES = re.compile(r"\b(?:SYM_\w*(?:START|INNER_LABEL|DATA|ENTRY|ALIAS)\w*|ENTRY|GLOBAL)[ \t]*\(|\.glob")
_BRANCHES = re.compile(r"\b(?:call|jmp|j[a-z]{1,4})[lqw]?[ \t]+\*?[A-Za-z_\\]")
_MACRO_KW = re.compile(r"(?<![\w.$])\.(macro|endm|endmacro)\b")
_SYM_NAME = re.compile(r"\s*\(\s*([A-Za-z_.$][\w.$]*)\s*")
_LINKAGE = re.compile(r"SYM_L_(GLOBAL|LOCAL|WEAK)")
_END_LABEL = re.compile(r",\s*(SYM_L_\w+)\s*,\s*([A-Za-z_.$][\w.$]*)")
_ALIAS_TARGET = re.compile(r",\s*([A-Za-z_.$][\w.$]*)")
_SYM_TYPE = re.compile(r"SYM_T_(FUNC|OBJECT|NONE)")
_DATA_SECTION = re.compile(r"(?:^|\.)(?:data|bss|rodata|tdata|tbss|note|initdata|pgtable|header)\b")

# Whole-file scans done before the line walk (only when the directive occurs at all).
_PRE_GLOBL = re.compile(r"\.(?:globl|global|weak)[ \t]+([^\n;]*)")
_PRE_TYPE = re.compile(r"\.type[ \t]+([\w.$]+)[ \t]*,[ \t]*[@%\"]?(\w+)")

_PREFIXES = frozenset(
    "lock rep repe repz repne repnz notrack data16 data32 addr16 addr32 rex rex64 bnd xacquire xrelease".split()
)
_CALLS = frozenset(("call", "callq", "calll", "callw"))
_FAR = {"lcall": "call", "lcalll": "call", "lcallw": "call", "lcallq": "call"}
_FAR.update({"ljmp": "jump", "ljmpl": "jump", "ljmpw": "jump", "ljmpq": "jump"})
_JUMP = re.compile(r"j(?:mp[qlw]?|n?(?:a|ae|b|be|c|e|g|ge|l|le|o|p|s|z)|pe|po|[er]?cxz)|loop(?:n?[ez])?[lqw]?")
# After these, execution does not fall through to the next label.
_TERMINAL = frozenset(
    "jmp jmpq jmpl jmpw ljmp ljmpl ljmpq ljmpw ret retq retl retw RET lret lretq lretl lretw iret iretq iretl "
    "iretw sysret sysretq sysretl sysexit sysexitl sysexitq ud2 JMP_NOSPEC".split()
)
_NEUTRAL = frozenset(("int3", "nop"))
# Directives whose operands name symbols (everything else: none).
_DATA_DIRECTIVES = frozenset(
    ".quad .long .word .int .short .hword .byte .octa .2byte .4byte .8byte .dc .dc.a .dc.b .dc.w .dc.l .dc.q "
    ".ptr .fill .skip .space .zero .org .reloc .uleb128 .sleb128".split()
)
_SET_DIRECTIVES = frozenset((".set", ".equ", ".equiv", ".eqv"))
_SECTION_WORDS = frozenset((".section", ".pushsection", ".popsection", ".previous"))

# -- the walk -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Sym:
    name: str
    kind: str
    storage: str | None
    section: str
    start: int
    name_start: int
    name_end: int
    explicit: bool  # closed by an END macro
    end: int = -1  # exclusive end offset; -1 while open
    pending: bool = False  # plain label whose kind the next statement decides
    fall_from: _Sym | None = None
    refs: list[tuple[str, int, str, str | None, bool]] = field(default_factory=list)
    writes: list[tuple[str, int, str | None]] = field(default_factory=list)
    block_dest: list[str] | None = None  # names whose address the block register holds


@dataclass(slots=True)
class _Macro:
    """A `.macro` of the file: its parameters (name, default) and body lines."""

    name: str
    params: list[tuple[str, str]]
    body: list[str] = field(default_factory=list)
    defines: bool = False  # its body (or a macro it invokes) defines a symbol
    branches: bool = False  # its body calls or jumps to a name (not a local label)


@dataclass(slots=True)
class _Cond:
    branches: list[str]
    text: str | None
    transparent: bool = False


_ARG = re.compile(r"[^,()]*,")


def _skip_args(rest: str, n: int) -> int:
    """Where the text after the first `n` arguments of `(a, b, c...` starts (its end when
    there are fewer)."""
    m = re.match(r"\s*\(?", rest)
    pos = m.end() if m else 0
    for _ in range(n):
        a = _ARG.match(rest, pos)
        if a is None:
            return len(rest)
        pos = a.end()
    return pos


def _classify(word: str) -> tuple[str, str | None, str | None] | None:
    """(action, kind, storage) of a linkage macro, or None for any other macro."""
    local = "static" if "_LOCAL" in word else None
    if word in ("ENTRY", "GLOBAL", "WEAK"):
        return ("start", "function", None)
    if word in ("END", "SYM_END"):
        return ("end", None, None)
    if word == "ENDPROC":
        return ("end", "function", None)
    if not word.startswith("SYM_"):
        return None
    if word in ("SYM_DATA", "SYM_DATA_LOCAL"):
        return ("data", "object", local)
    if word == "SYM_DATA_END_LABEL":
        return ("end_label", "object", None)
    if word.startswith(("SYM_FUNC_ALIAS", "SYM_CODE_ALIAS")) or word == "SYM_ALIAS":
        return ("alias", "function", local)
    if word.endswith("_END") or word.startswith(("SYM_FUNC_END", "SYM_CODE_END")) or word == "SYM_DATA_END":
        return ("end", None, None)
    if word.startswith(("SYM_FUNC_START", "SYM_CODE_START", "SYM_TYPED_FUNC_START")):
        return ("start", "function", local)
    if word.startswith("SYM_DATA_START"):
        return ("start", "object", local)
    if word == "SYM_START":
        return ("start", "function", "linkage")
    if word.startswith("SYM_INNER_LABEL") or word == "SYM_ENTRY":
        return ("inner", None, "linkage")
    return None


_GENERIC, _DATA, _QUIET, _SLOW, _CALL, _JMP, _JCC = range(7)
_LOCAL_TARGET = re.compile(r"\s*(?:\d+[fb]|\.L[\w.$]*)\s*")
# Directives that neither name symbols nor change anything the walk tracks.
_QUIET_DIRECTIVES = frozenset(
    ".align .balign .p2align .code16 .code32 .code64 .if .ifdef .ifndef .ifb .ifnb .ifc .ifeq .ifne .else .elseif "
    ".endif .rept .endr .irp .irpc .ascii .asciz .string .file .loc .size .hidden .protected .internal .cfi_startproc "
    ".cfi_endproc .nops .globl .global .weak .local .type .intel_syntax .att_syntax .arch .error .warning .print "
    ".altmacro .noaltmacro .ident .purgem .exitm .err .end".split()
)


def _category(word: str, t: AsmTables) -> int:
    """How the fast path treats a statement starting with `word` (without a label, a `;`,
    a `:` or a string): _GENERIC (instruction or macro: operands are references), _DATA
    (data directive), _QUIET (nothing to do), _CALL/_JMP/_JCC (fast only to a local label)
    or _SLOW (the full statement walk)."""
    if word[0] == ".":
        if word in _DATA_DIRECTIVES:
            return _DATA
        if word in _QUIET_DIRECTIVES or word.startswith(".cfi_"):
            return _QUIET
        return _SLOW
    if word in _CALLS:
        return _CALL
    if _JUMP.fullmatch(word):
        return _JMP if word.startswith("jmp") else _JCC
    if (
        word in t.section_macros
        or word in _PREFIXES
        or word in _FAR
        or word.startswith("ALTERNATIVE")
        or word in t.skip_macros
        or word.startswith(t.skip_prefixes)
        or word in t.leading_args
        or _classify(word) is not None
    ):
        return _SLOW
    return _GENERIC


# What an instruction writes: nothing (or only registers), its last operand, both operands,
# a block at the block register (string stores), or the block register (lea: an address).
_W_NONE, _W_DEST, _W_BOTH, _W_BLOCK, _W_LEA = range(5)
_SIZE_SUFFIX = "bwlq"
_BLOCK_SUFFIX = "bwlqd"
_MNEMONIC = re.compile(r"[a-z][a-z0-9]*")
# Instructions that move the block register within the object it points into.
_ADVANCE = frozenset(("add", "sub", "inc", "dec"))


def _write_kind(word: str, t: AsmTables) -> int:
    """What an instruction (a lower-case mnemonic, never a macro) writes (_W_*)."""
    if _MNEMONIC.fullmatch(word) is None:
        return _W_NONE
    bare = word[:-1] if len(word) > 2 and word[-1] in _SIZE_SUFFIX else None
    if word in t.block_writes or (word[-1] in _BLOCK_SUFFIX and word[:-1] in t.block_writes):
        return _W_BLOCK
    if word in ("lea", "leal", "leaq", "leaw"):
        return _W_LEA
    if word in t.write_reads or bare in t.write_reads or word.startswith(t.write_read_prefixes):
        return _W_NONE
    if word in t.write_both or bare in t.write_both:
        return _W_BOTH
    return _W_DEST


def _operands(text: str) -> list[str]:
    """The operands of an instruction, split at the commas outside parentheses."""
    if "(" not in text:
        return text.split(",")
    out: list[str] = []
    depth = 0
    start = 0
    for i, c in enumerate(text):
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif c == "," and not depth:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


def _names(operand: str) -> list[str]:
    """The identifiers an operand names: not registers (`%rdi`), not the macro around a
    name (`_pa` in `_pa(sym)`), not names pasted from macro arguments."""
    out: list[str] = []
    for m in _IDENT.finditer(operand):
        name, bs, paren, inner, eq = m.groups()
        if not (bs or eq or (paren and not inner)):
            out.append(name.rstrip("."))
    return out


_CLASSES: dict[str, tuple[str, str | None, str | None] | None] = {}


class _Walk:
    def __init__(self, text: str, tables: AsmTables) -> None:
        self.text = text
        self.t = tables
        self.syms: list[_Sym] = []
        self.open: list[_Sym] = []
        self.cur: _Sym | None = None
        self.section = ".text"
        self.prev_section = ".text"
        self.stack: list[tuple[str, str]] = []
        self.conds: list[_Cond] = []
        self.cond: str | None = None
        self.guard: str | None = None  # name of a first `#ifndef NAME` that may be an include guard
        self.seen_directive = False
        self.macro_depth = 0
        self.macros: dict[str, _Macro] = {}
        self.recording: _Macro | None = None
        self.expanding = 0  # depth of in-file macro expansion
        self.fixed_line = 0  # while expanding: the line of the invocation
        self.expansions = 0  # for `\@`
        self.expanded = 0  # body lines read
        self.terminal = False
        self.skip_parens = 0  # open parentheses of a skipped macro invocation
        self.last_end = 0
        self.pending: list[_Sym] = []
        self.nested: dict[str, _Sym] = {}  # local labels inside a symbol
        self.dropped = 0  # references outside any symbol
        self.line_starts: list[int] = []
        self._pre_scan(text)
        self.keep_cache: dict[str, bool] = {}
        self.target_cache: dict[str, bool] = {}

    # -- whole-file facts ----------------------------------------------------------------

    def _pre_scan(self, text: str) -> None:
        self.globals: set[str] = set()
        if ".glob" in text or ".weak" in text:
            for m in _PRE_GLOBL.finditer(text):
                self.globals.update(n.strip() for n in m.group(1).split(","))
        self.types: dict[str, str] = {}
        if ".type" in text:
            for m in _PRE_TYPE.finditer(text):
                t = m.group(2).lower()
                if t in ("function", "stt_func", "gnu_indirect_function"):
                    self.types[m.group(1)] = "function"
                elif t in ("object", "stt_object", "tls_object", "common", "stt_tls"):
                    self.types[m.group(1)] = "object"
        # Filled by the walk; references are filtered against them at the end.
        self.defined: set[str] = set()  # labels and symbols of the file
        self.excluded: set[str] = set()  # #define, .macro, .set/.equ and `name = expr` names

    # -- positions -----------------------------------------------------------------------

    def span(self, start: int, end: int) -> Span:
        return span_at(self.line_starts, start, end)

    def line_of(self, off: int) -> int:
        return self.fixed_line or bisect_right(self.line_starts, off)

    # -- references ----------------------------------------------------------------------

    def keep(self, name: str, generic: bool) -> bool:
        """Whether a reference to `name` is kept (at the end, when the file's own names are
        known).  A call or jump target is a symbol unless it is a register or a name the
        file gives a constant; an operand must also not look like a preprocessor constant."""
        if name in self.defined:
            return True
        if name in self.excluded:
            return False
        cache = self.keep_cache if generic else self.target_cache
        v = cache.get(name)
        if v is None:
            v = _REGISTER.fullmatch(name) is None and (
                not generic or (name not in self.t.stop and _CONSTANT.match(name) is None)
            )
            cache[name] = v
        return v

    def add(self, name: str, off: int, kind: str, generic: bool = True) -> None:
        cur = self.cur
        if cur is None:
            self.dropped += 1
        elif name != cur.name:
            cur.refs.append((name, self.line_of(off), kind, self.cond, generic))

    def refs_in(self, text: str, base: int, kind: str = "ref") -> None:
        if '"' in text:
            text = _STRING.sub(lambda m: " " * len(m.group()), text)
        for m in _IDENT.finditer(text):
            name, bs, paren, inner, eq = m.groups()
            if bs or eq or (paren and not inner):
                continue
            if name[-1] == ".":
                name = name.rstrip(".")
            self.add(name, base + m.start(), kind)

    def branch(self, kind: str, rest: str, base: int) -> None:
        m = _TARGET.match(rest) if len(rest) < 400 else None
        if m is None:
            a = _TARGET_ABS.match(rest) if len(rest) < 400 else None
            if a is not None:
                self.add(a.group(1), base + a.start(1), kind, False)
                return
            self.refs_in(rest, base)
            return
        star, name, reg = m.groups()
        if name[0] in ".$" or "\\" in name:
            return
        if star and reg not in (None, "%rip", "%eip"):
            kind = "ref"  # a table indexed by a register
        self.add(name, base + m.start(2), kind, False)

    def stores(self, word: str, rest: str, base: int) -> None:
        """The writes of one instruction of the current symbol (`word` its mnemonic, `rest`
        its operands at offset `base`): a symbol in the destination operand, or a block
        store (`rep movsl`) at the address the code loaded into the block register."""
        cur = self.cur
        if cur is None or word in self.macros:
            return
        kinds = self.t.write_kinds
        wk = kinds.get(word)
        if wk is None:
            wk = kinds[word] = _write_kind(word, self.t)
        if wk == _W_NONE:
            return
        if wk == _W_BLOCK:
            if not _names(rest):  # `rep movsl`, `movsb (%rsi), %es:(%rdi)`
                if cur.block_dest:
                    line = self.line_of(base)
                    cur.writes.extend((n, line, self.cond) for n in cur.block_dest)
                return
            wk = _W_DEST  # `movsd %xmm0, sym(%rip)`: the SSE move, not the string one
        comma = rest.rfind(",")
        dest = rest[comma + 1 :].strip()
        if ")" in dest and "(" not in dest:  # `tbl(,%rax,8)`: the comma is inside the operand
            ops = _operands(rest)
            dest = ops[-1].strip()
        else:
            ops = [rest[:comma], dest] if comma >= 0 else [dest]
        if dest[:1] == "%" and ":" not in dest:  # a register (`%gs:sym` is memory)
            regs = self.t.block_registers
            if dest[1:] not in regs:
                if wk == _W_BOTH and len(ops) > 1:
                    self.written(ops[0], base)  # `xchg sym(%rip), %rax`
                return
            src = ops[0] if len(ops) > 1 else ""
            if wk == _W_LEA:
                names = _names(src)
                if names:
                    cur.block_dest = names  # `lea sym(%rip), %rdi`
                elif not any(f"%{r}" in src for r in regs):
                    cur.block_dest = None  # `lea (%rsi), %rdi`: another address
            elif src.lstrip().startswith("$") and word.startswith("mov"):
                cur.block_dest = _names(src) or None  # `mov $sym, %edi`, `movl $_pa(sym), %edi`
            elif not (word in _ADVANCE or (word[-1] in _SIZE_SUFFIX and word[:-1] in _ADVANCE)):
                cur.block_dest = None  # `mov %rsi, %rdi`, `pop %rdi`, `xor %edi, %edi`
            return
        if wk == _W_LEA:
            return
        for op in ops if wk == _W_BOTH else (dest,):
            self.written(op, base)

    def written(self, operand: str, base: int) -> None:
        """The symbols a memory operand the current symbol writes names."""
        cur = self.cur
        if cur is not None:
            line = 0
            for n in _names(operand):
                if n != cur.name:
                    line = line or self.line_of(base)
                    cur.writes.append((n, line, self.cond))

    # -- symbols -------------------------------------------------------------------------

    def close(self, sym: _Sym, end: int) -> None:
        if sym.end < 0:
            sym.end = max(end, sym.name_end)
        if sym.pending:
            self.resolve(sym, "function")

    def resolve(self, sym: _Sym, kind: str) -> None:
        sym.kind = kind
        sym.pending = False
        if kind == "function" and sym.fall_from is not None:
            self.add_fall(sym.fall_from, sym)
        sym.fall_from = None

    def add_fall(self, src: _Sym, dst: _Sym) -> None:
        if src.name != dst.name:
            src.refs.append((dst.name, self.line_of(dst.name_start), "jump", self.cond, False))

    def close_implicit(self) -> None:
        while self.open and not self.open[-1].explicit:
            self.close(self.open.pop(), self.last_end)

    def new_sym(self, name: str, kind: str, storage: str | None, start: int, name_start: int, explicit: bool) -> _Sym:
        sym = _Sym(name, kind, storage, self.section, start, name_start, name_start + len(name), explicit)
        self.syms.append(sym)
        self.defined.add(name)
        return sym

    def start(self, name: str, kind: str, storage: str | None, start: int, name_start: int) -> None:
        for s in self.open:
            self.close(s, self.last_end)
        self.open = []
        sym = self.new_sym(name, kind, storage, start, name_start, True)
        self.open.append(sym)
        self.cur = sym

    def inner(
        self, name: str, kind: str | None, storage: str | None, start: int, name_start: int, pending: bool = False
    ) -> _Sym:
        """A label that continues the symbol before it (SYM_INNER_LABEL, .globl label, a plain
        label outside any symbol).  Code that runs into it gets a "jump" edge to it."""
        prev = self.cur if self.cur is not None and self.cur.end < 0 else None
        self.close_implicit()
        if prev is not None and (prev.kind != "function" or self.terminal):
            prev = None
        if kind is None:
            kind = self.cur.kind if self.cur is not None and self.cur.end < 0 else "function"
        sym = self.new_sym(name, kind, storage, start, name_start, False)
        if pending:
            sym.pending = True
            sym.fall_from = prev
            self.pending.append(sym)
        elif prev is not None and kind == "function":
            self.add_fall(prev, sym)
        self.open.append(sym)
        self.cur = sym
        return sym

    def end(self, name: str, kind: str | None, end: int) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            sym = self.open[i]
            if sym.name == name:
                for s in self.open[i:]:
                    self.close(s, end)
                if kind is not None:
                    sym.kind = kind
                del self.open[i:]
                return

    def label(self, name: str, start: int) -> None:
        enclosing = next((s for s in reversed(self.open) if s.explicit), None)
        if name not in self.globals and enclosing is not None:
            self.defined.add(name)
            self.nested.setdefault(name, enclosing)  # a local label of the enclosing symbol
            return
        storage = None if name in self.globals else "static"
        kind = self.types.get(name)
        if kind is None and enclosing is not None:
            kind = enclosing.kind
        if kind is None and _DATA_SECTION.search(self.section):
            kind = "object"
        # Without a type, the next statement decides: data directive -> object, else function.
        self.inner(name, kind or "function", storage, start, start, pending=kind is None)

    # -- sections ------------------------------------------------------------------------

    def switch(self, op: SectionOp) -> None:
        what, name = op
        if what == "set" and name is not None:
            self.prev_section, self.section = self.section, name
        elif what == "push" and name is not None:
            self.stack.append((self.section, self.prev_section))
            self.prev_section, self.section = self.section, name
        elif what == "pop":
            if self.stack:
                self.section, self.prev_section = self.stack.pop()
        elif what == "previous":
            self.section, self.prev_section = self.prev_section, self.section
        if not any(s.explicit for s in self.open):
            self.close_implicit()
        self.flush_pending("function")

    def flush_pending(self, kind: str) -> None:
        if self.pending:
            for s in self.pending:
                if s.pending:
                    self.resolve(s, kind)
            self.pending = []

    # -- preprocessor --------------------------------------------------------------------

    def directive(self, name: str, rest: str) -> None:
        first = not self.seen_directive
        self.seen_directive = True
        guard, self.guard = self.guard, None
        if name in ("if", "ifdef", "ifndef"):
            c = " ".join(rest.split())
            if name == "ifdef":
                c = f"defined({c})"
            elif name == "ifndef":
                if first:
                    self.guard = c
                c = f"!defined({c})"
            transparent = c in ("defined(__ASSEMBLY__)", "defined(__ASSEMBLER__)")
            self.conds.append(_Cond([c], c, transparent))
        elif name in ("elif", "elifdef", "elifndef") and self.conds:
            top = self.conds[-1]
            c = " ".join(rest.split())
            if name == "elifdef":
                c = f"defined({c})"
            elif name == "elifndef":
                c = f"!defined({c})"
            top.text = " && ".join([f"!({b})" for b in top.branches] + [f"({c})"])
            top.branches.append(c)
        elif name == "else" and self.conds:
            top = self.conds[-1]
            top.text = " && ".join(f"!({b})" for b in top.branches)
            top.transparent = False
        elif name == "endif" and self.conds:
            self.conds.pop()
        elif name == "define":
            m = _DEFINE_NAME.match(rest)
            if m is not None:
                self.excluded.add(m.group(1))
                if m.group(1) == guard and self.conds:
                    self.conds[-1].transparent = True
                    self.cond = next((f.text for f in reversed(self.conds) if not f.transparent), None)
            return
        else:
            return
        self.cond = next((f.text for f in reversed(self.conds) if not f.transparent), None)

    # -- statements ----------------------------------------------------------------------

    def statement(self, st: str, base: int) -> None:
        pos = 0
        while True:
            m = _LABEL.match(st, pos)
            if m is None:
                break
            name = m.group(1)
            if name[0] != "." and not name[0].isdigit() and "\\" not in name and "@" not in name:
                self.label(name, base + m.start(1))
            pos = m.end()
        m = _WORD.match(st, pos)
        if m is not None:
            self.dispatch(m.group(1), st, m.end(), base, base + m.start(1))
            if not self.expanding:
                self.last_end = base + len(st.rstrip())
        elif pos and not self.expanding:
            self.last_end = base + pos

    def dispatch(self, word: str, st: str, after: int, base: int, word_off: int) -> None:
        if word[0] == ".":
            self.dot(word, st, after, base)
            return
        if self.pending:
            self.flush_pending("function")
        rest = st[after:]
        r = rest.lstrip()
        c = r[:1]
        if c == "(":
            cls = _CLASSES.get(word, ...)
            if cls is ...:
                cls = _CLASSES[word] = _classify(word)
            if cls is not None:
                self.linkage(cls, word, st, after, base, word_off)
                return
        elif c == "=" and r[1:2] != "=":
            self.excluded.add(word)
            self.refs_in(rest, base + after)
            return
        op = self.t.section_macros.get(word)
        if op is not None and not r:
            self.switch(op)
            return
        mac = self.macros.get(word)
        if (
            mac is not None
            and (mac.defines or mac.branches)
            and self.expanding < _MAX_EXPANSION
            and self.expanded < _MAX_EXPANDED
        ):
            self.expand(mac, rest, base + after, word_off)
            return
        self.insn(word, rest, base + after)

    def insn(self, word: str, rest: str, base: int) -> None:
        while word in _PREFIXES:
            m = _WORD.match(rest)
            if m is None:
                return
            word = m.group(1)
            base += m.end()
            rest = rest[m.end() :]
        if word in _CALLS:
            self.branch("call", rest, base)
            self.terminal = False
            if self.cur is not None:
                self.cur.block_dest = None  # the callee may change the block register
            return
        if _JUMP.fullmatch(word):
            self.branch("jump", rest, base)
            self.terminal = word.startswith("jmp")
            return
        far = _FAR.get(word)
        if far is not None:
            comma = rest.rfind(",")
            self.refs_in(rest[comma + 1 :], base + comma + 1, far)
            self.terminal = far == "jump"
            return
        if word.startswith("ALTERNATIVE"):
            self.alternative(rest, base)
        elif word in self.t.skip_macros or word.startswith(self.t.skip_prefixes):
            self.skip_parens = max(0, rest.count("(") - rest.count(")"))
        else:
            skip = self.t.leading_args.get(word)
            if skip:
                cut = _skip_args(rest, skip)
                self.refs_in(rest[cut:], base + cut)
            elif rest:
                self.refs_in(rest, base)
            self.stores(word, rest, base)
        if word in _TERMINAL:
            self.terminal = True
        elif word not in _NEUTRAL and not word.isupper():
            self.terminal = False

    def alternative(self, rest: str, base: int) -> None:
        """ALTERNATIVE "insn; insn", "insn", FEATURE: the instructions in the strings."""
        for m in re.finditer(r'"([^"\n]*)"', rest):
            off = base + m.start(1)
            for piece in m.group(1).split("\x1f"):
                w = _WORD.match(piece)
                if w is not None and w.group(1)[0] != ".":
                    self.insn(w.group(1), piece[w.end() :], off + w.end())
                off += len(piece) + 1

    def dot(self, word: str, st: str, after: int, base: int) -> None:
        if word in _SECTION_WORDS or word in self.t.section_directives:
            op = _section_op(st[after - len(word) :], self.t.section_directives)
            if op is not None:
                self.switch(op)
            return
        if word == ".macro":
            self.macro_depth += 1
            m = _WORD.match(st, after)
            if m is not None:
                self.excluded.add(m.group(1))
                params = [(p, d or "") for p, d in _MACRO_PARAM.findall(st, m.end())]
                self.recording = _Macro(m.group(1), params)
            return
        if word in _DATA_DIRECTIVES:
            self.flush_pending("object")
            self.refs_in(st[after:], base + after)
        elif word in _SET_DIRECTIVES:
            rest = st[after:]
            m = _WORD.match(rest)
            if m is not None:
                self.excluded.add(m.group(1))
            comma = rest.find(",")
            if comma >= 0:
                self.refs_in(rest[comma + 1 :], base + after + comma + 1)

    def linkage(
        self, cls: tuple[str, str | None, str | None], word: str, st: str, after: int, base: int, word_off: int
    ) -> None:
        action, kind, storage = cls
        m = _SYM_NAME.match(st, after)
        if m is None:
            return
        name = m.group(1)
        if "\\" in name:
            return
        name_off = base + m.start(1)
        tail = st[m.end() :]
        tail_off = base + m.end()
        if storage == "linkage":
            lk = _LINKAGE.search(tail)
            storage = "static" if lk is not None and lk.group(1) == "LOCAL" else None
        stmt_end = base + len(st.rstrip())
        if action == "start":
            self.start(name, kind or "function", storage, word_off, name_off)
        elif action == "inner":
            self.inner(name, kind, storage, word_off, name_off)
        elif action == "end":
            if word == "SYM_END":
                t = _SYM_TYPE.search(tail)
                kind = {"FUNC": "function", "OBJECT": "object"}.get(t.group(1)) if t else None
            self.end(name, kind, stmt_end)
        elif action == "data":
            enclosing = self.open[-1] if self.open and self.open[-1].explicit else None
            self.close_implicit()
            sym = self.new_sym(name, "object", storage, word_off, name_off, False)
            self.cur = sym
            self.refs_in(tail, tail_off)
            sym.end = stmt_end
            if enclosing is not None:
                self.cur = enclosing
        elif action == "end_label":
            e = _END_LABEL.match(tail)
            self.end(name, None, stmt_end)
            if e is not None:
                lk = _LINKAGE.search(e.group(1))
                label = self.new_sym(
                    e.group(2),
                    "object",
                    "static" if lk is not None and lk.group(1) == "LOCAL" else None,
                    word_off,
                    tail_off + e.start(2),
                    False,
                )
                label.end = stmt_end
        elif action == "alias":
            a = _ALIAS_TARGET.match(tail)
            sym = self.new_sym(name, "function", storage, word_off, name_off, False)
            sym.end = stmt_end
            if a is not None and a.group(1) != name:
                sym.refs.append((a.group(1), self.line_of(tail_off + a.start(1)), "jump", self.cond, False))

    # -- driver --------------------------------------------------------------------------

    def piece(self, st: str, base: int) -> None:
        """One statement, or a line of a .macro body (recorded up to its .endm)."""
        if self.macro_depth:
            kws = _MACRO_KW.findall(st)
            for kw in kws:
                self.macro_depth += 1 if kw == "macro" else -1
                if not self.macro_depth:
                    break
            rec = self.recording
            if rec is not None:
                if not self.macro_depth:
                    self.finish_macro(rec)
                elif "endm" not in kws and len(rec.body) < 10_000:
                    rec.body.append(st)
            return
        self.statement(st, base)

    def finish_macro(self, rec: _Macro) -> None:
        body = "\n".join(rec.body)
        rec.defines = _DEFINES.search(body) is not None
        rec.branches = _BRANCHES.search(body) is not None
        if not rec.defines and self.macros:
            for line in rec.body:
                w = _WORD.match(line)
                inner = self.macros.get(w.group(1)) if w is not None else None
                if inner is not None and inner.defines:
                    rec.defines = True
                    break
        self.macros[rec.name] = rec
        self.recording = None

    def expand(self, mac: _Macro, rest: str, base: int, inv_start: int) -> None:
        """An invocation of a macro of the file: its body, with the arguments put in, read as
        statements standing at the invocation (spans and lines are the invocation's)."""
        values = {p: d for p, d in mac.params}
        spans: list[tuple[str, int]] = []
        positional = 0
        for a in _MACRO_ARG.finditer(rest):
            key, value = a.group(1), a.group(2)
            if key is not None and key in values:
                values[key] = value
            elif positional < len(mac.params):
                values[mac.params[positional][0]] = value
                positional += 1
            spans.append((value, base + a.start(2)))
        self.expansions += 1
        counter = str(self.expansions)

        def put(m: re.Match[str]) -> str:
            g = m.group(1)
            if g == "()":
                return ""
            if g == "@":
                return counter
            v = values.get(g)
            return m.group() if v is None else v

        inv_end = base + len(rest.rstrip())
        first = len(self.syms)
        saved = self.fixed_line
        self.fixed_line = self.line_of(inv_start)
        self.expanding += 1
        self.expanded += len(mac.body)
        try:
            for line in mac.body:
                text = _MACRO_REF.sub(put, line) if "\\" in line else line
                for st in text.split(";"):
                    if st and not st.isspace():
                        self.piece(st, inv_start)
        finally:
            self.expanding -= 1
            self.fixed_line = saved
        for sym in self.syms[first:]:
            sym.start = inv_start
            named = [(v, off) for v, off in spans if v and v in sym.name]
            if named:
                v, off = max(named, key=lambda x: len(x[0]))
                sym.name_start, sym.name_end = off, off + len(v)
            else:
                sym.name_start, sym.name_end = inv_start, inv_start + len(mac.name)
            if sym.end >= 0:
                sym.end = inv_end
        self.last_end = inv_end

    def run(self) -> None:
        """Walk the prepared text (`_prepare`); `line_starts` are those of the file."""
        starts = self.line_starts
        categories = self.t.categories
        for m in _CONTENT_LINE.finditer(self.text):
            line = m.group()
            base = m.start()
            if line[0] == "#":
                d = _PP_LINE.match(line)
                if d is not None and (d.group(1) in _CONDITIONALS or d.group(1) in _PP_OTHER or d.group(1).isdigit()):
                    self.directive(d.group(1), d.group(2))
                continue
            h = line.find("#")
            if h >= 0:
                line = line[:h]
            if self.macro_depth:
                if ".endm" in line or ".macro" in line:
                    self.piece(line, base)
                elif self.recording is not None and len(self.recording.body) < 10_000:
                    self.recording.body.append(line)
                continue
            if self.skip_parens > 0:
                # the continuation lines of a skipped macro invocation (a multi-line ELFNOTE)
                self.skip_parens += line.count("(") - line.count(")")
                continue
            if ";" in line:
                t = line.rstrip()
                if t.endswith(";") and t.count(";") == 1:  # `insn ops;` (a one-statement line)
                    line = t[:-1]
            # The fast path: an instruction or a data directive, no label, no second statement.
            word = m.group(1)
            if word is not None and not (";" in line or ":" in line or "=" in line or '"' in line):
                cat = categories.get(word)
                if cat is None:
                    cat = categories[word] = _category(word, self.t)
                if cat >= _CALL:  # a call or jump to a local label: nothing but the flow
                    if _LOCAL_TARGET.fullmatch(line, m.end(1) - base) is None:
                        cat = _SLOW
                    else:
                        if self.pending:
                            self.flush_pending("function")
                        self.terminal = cat == _JMP
                        self.last_end = base + len(line.rstrip())
                        continue
                if cat != _SLOW and (not self.macros or word not in self.macros):
                    if cat == _GENERIC:
                        if self.pending:
                            self.flush_pending("function")
                        if word in _TERMINAL:
                            self.terminal = True
                        elif word not in _NEUTRAL and not word.isupper():
                            self.terminal = False
                    elif self.pending and cat == _DATA:
                        self.flush_pending("object")
                    if cat != _QUIET:
                        cur = self.cur
                        after = m.end(1) - base
                        found = _IDENT.findall(line, after)
                        if found:
                            if cur is None:
                                self.dropped += len(found)
                            else:
                                ln = bisect_right(starts, base)
                                if bisect_right(starts, base + len(line) - 1) != ln:  # continued line
                                    found = []
                                    self.refs_in(line[after:], base + after)
                                refs = cur.refs
                                cond = self.cond
                                for name, bs, paren, inner, eq in found:
                                    if bs or eq or (paren and not inner) or name == cur.name:
                                        continue
                                    if name[-1] == ".":
                                        name = name.rstrip(".")
                                    refs.append((name, ln, "ref", cond, True))
                        if cat == _GENERIC and cur is not None:
                            self.stores(word, line[after:], base + after)
                    self.last_end = base + len(line.rstrip())
                    continue
            if ";" not in line:
                self.piece(line, base)
            else:
                off = base
                for st in line.split(";"):
                    if st and not st.isspace():
                        self.piece(st, off)
                    off += len(st) + 1
        self.flush_pending("function")
        for sym in self.open:
            self.close(sym, self.last_end)
        self.open = []

    def target(self, sym: _Sym, name: str, generic: bool) -> str | None:
        """What a reference of `sym` to `name` names: the symbol that owns a local label, or
        None when it is kept out (a local label of `sym` itself, an ignored name)."""
        if not self.keep(name, generic):
            return None
        owner = self.nested.get(name)
        if owner is not None:
            if owner is sym or owner.name == sym.name:
                return None
            return owner.name
        return name

    def decls(self) -> tuple[Decl, ...]:
        out: list[Decl] = []
        for sym in self.syms:
            seen: set[tuple[str, str]] = set()
            calls: list[Ref] = []
            refs: list[Ref] = []
            for raw, line, kind, cond, generic in sym.refs:
                name = self.target(sym, raw, generic)
                if name is None:
                    continue
                key = (name, kind)
                if key in seen:
                    continue
                seen.add(key)
                (refs if kind == "ref" else calls).append(Ref(name, line, kind, cond))
            writes: dict[str, Ref] = {}
            for raw, line, cond in sym.writes:
                name = self.target(sym, raw, True)
                if name is not None and name not in writes:
                    writes[name] = Ref(name, line, "write", cond)
            end = sym.end if sym.end >= 0 else max(self.last_end, sym.name_end)
            out.append(
                Decl(
                    name=sym.name,
                    kind=sym.kind,
                    span=self.span(sym.start, max(end, sym.start + 1)),
                    name_span=self.span(sym.name_start, sym.name_end),
                    is_definition=True,
                    storage=sym.storage,
                    section=sym.section,
                    calls=tuple(calls),
                    refs=tuple(refs),
                    writes=tuple(writes.values()),
                )
            )
        return tuple(out)


def _is_linker_script(path: str) -> bool:
    return path.endswith(".lds.S")


def extract_asm(path: str, data: bytes) -> FileFacts:
    """The facts of one .S file; never raises on bad input (at worst fewer symbols and a
    diagnostic)."""
    tables = load_tables()
    if _is_linker_script(path):
        return FileFacts(path=path, lang="asm", size=len(data), stats=ParseStats(lines=data.count(b"\n") + 1))
    try:
        raw = data.decode("latin-1")
        walk = _Walk(_prepare(raw), tables)
        walk.line_starts = list(accumulate(map((1).__add__, map(len, raw.split("\n"))), initial=0))
        walk.run()
        decls = walk.decls()
    except Exception as exc:  # a bug must not stop the run: the file is reported unread
        return FileFacts(
            path=path,
            lang="asm",
            size=len(data),
            diagnostics=(Diagnostic(f"assembly front end failed ({type(exc).__name__}): file not read"),),
        )
    return FileFacts(
        path=path,
        lang="asm",
        size=len(data),
        decls=decls,
        stats=ParseStats(lines=len(walk.line_starts) - 1),
    )
