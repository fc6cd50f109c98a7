"""Precise mode: what libclang sees of the files a compile database lists.

tree-sitter reads a file as written, every `#if` branch at once and macros unexpanded.
Where the tree was configured and built, `compile_commands.json` gives each file's own
compiler flags; libclang then sees what the compiler sees: the section each symbol lands in
after `__init`, `__section(...)` and friends are expanded, the function each call really
reaches (through macros), and the struct member a pointer call goes through.

The precise facts are tree-sitter's facts of the same file with libclang's view written
over them (`merge`): a declaration both see gets libclang's section, calls, references and
member assignments; one only libclang sees (made by a macro: `DEFINE_PER_CPU(...)`,
`__setup(...)`, `EXPORT_SYMBOL(...)`) is added; one only tree-sitter sees stands in a branch
this configuration leaves out and is kept as tree-sitter read it (hvlint still covers every
configuration).  Text-level facts (annotations as written, macros, invocations) stay
tree-sitter's, so every rule and every fix works on either front end.

Compile databases come from the tree and may be hostile: commands are split with shlex,
never run; flags that load code, response files, output and dependency files, and paths
outside the tree and the build folder are dropped (`sanitize`); GCC-only flags clang
rejects are dropped and counted.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shlex
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from hvlint.errors import HvlintError
from hvlint.facts import Decl, FileFacts, Ref, Span

# -- the compile database ---------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """One file's sanitized compile command: `args` are what libclang is given (no compiler,
    no source file, no output), `dropped` each flag left out with the reason."""

    path: str  # relative to the tree root
    directory: str
    args: tuple[str, ...]
    dropped: tuple[tuple[str, str], ...] = ()


@dataclass
class Database:
    """The compile commands of the tree's files (`commands`, by path relative to the root),
    where they came from, and the entries left out with the reason (`skipped`)."""

    source: str
    build_dir: str | None
    commands: dict[str, Command] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def dropped_counts(self) -> dict[str, int]:
        """reason -> how many flags were dropped for it, over every command."""
        out: dict[str, int] = {}
        for c in self.commands.values():
            for _, why in c.dropped:
                out[why] = out.get(why, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


# Flags that make the compiler load and run code: never passed on.
_LOADS_CODE = ("-fplugin=", "-fplugin-arg-", "-fpass-plugin=", "-load=", "--load=")
_LOADS_CODE_EXACT = frozenset({"-load", "-fplugin", "-fpass-plugin"})
# -Xclang VALUE pairs whose value loads code or a plugin action.
_XCLANG_CODE = re.compile(r"^-(load|plugin|add-plugin|plugin-arg-.*|fplugin.*|fpass-plugin.*)(=.*)?$")
# Output and dependency files (libclang writes nothing, but a path in them is the tree's say).
_OUTPUT_WITH_VALUE = frozenset({"-o", "-MF", "-MT", "-MQ", "-dumpdir", "-dumpbase", "-aux-info"})
_OUTPUT_FLAGS = frozenset({"-c", "-S", "-E", "-M", "-MM", "-MD", "-MMD", "-MG", "-MP", "-pipe", "-save-temps"})
# Flags whose value is a path the compiler reads.
_PATH_WITH_VALUE = frozenset(
    {"-I", "-isystem", "-iquote", "-idirafter", "-include", "-imacros", "-isysroot", "--sysroot", "-iprefix", "-B"}
)
_PATH_JOINED = ("-I", "-isystem", "-iquote", "-idirafter", "-B", "--sysroot=", "-isysroot")
# Toolchain selection from the tree: a compiler or linker of its choosing.
_TOOLCHAIN = ("--gcc-toolchain=", "-specs=", "--specs=", "-fuse-ld=", "-wrapper")
# GCC-only flags clang (and so libclang) rejects; the kernel's GCC builds use these.
# https://github.com/llvm/llvm-project/issues/58287 and 59411.
_GCC_ONLY = (
    "-fconserve-stack",
    "-fno-allow-store-data-races",
    "-mrecord-mcount",
    "-mindirect-branch=",
    "-mindirect-branch-register",
    "-mindirect-branch-cs-prefix",
    "-mfunction-return=",
    "-mpreferred-stack-boundary=",
    "-fno-ipa-",
    "-fno-tree-",
    "-fmin-function-alignment=",
    "-fno-var-tracking",
    "-fsanitize=kernel-hwaddress",
    "-mharden-sls=",
    "-fstack-protector-guard-symbol=",
    "-fno-code-hoisting",
    "-fno-inline-functions-called-once",
    "-fno-partial-inlining",
    "-fzero-init-padding-bits=",
    "-Wimplicit-fallthrough=",
    "-fdiagnostics-show-context",
    "-fno-stack-clash-protection",
    "-fno-gcse",
    "-falign-jumps=",
    "-falign-loops=",
    "-fno-reorder-blocks",
    "-mno-fp-ret-in-387",
    "-mskip-rax-setup",
    "-fstrict-flex-arrays=",
)
# What only changes diagnostics, code generation or optimisation: nothing a fact depends on.
_NOISE = ("-W", "-O", "-g", "-p", "-fdiagnostics", "-fmessage-length", "-fmacro-prefix-map=", "-ffile-prefix-map=")


# The flags libclang is given besides paths and output: macros, the language standard, the
# target and its features, and the -f options that change the language or predefine macros
# (__CHAR_UNSIGNED__, __SSP_STRONG__, __PIE__, __SANITIZE_ADDRESS__...).
_PARSE_FLAG = re.compile(
    r"-[DU].+|-std=[\w+]+|-ansi|-nostdinc|-nostdlibinc|-undef|-w|--target=[\w.-]+"
    r"|-m(?!llvm\b)[\w=.,+-]+"
    r"|-f(?:no-)?(?:short-wchar|unsigned-char|signed-char|common|ms-extensions|plan9-extensions"
    r"|gnu89-inline|gnu-keywords|asm|builtin[\w-]*|freestanding|hosted|PIE|PIC|pie|pic"
    r"|stack-protector[\w-]*|cf-protection(?:=\w+)?|sanitize=[\w,-]+|strict-aliasing|strict-overflow"
    r"|wrapv|trapv|delete-null-pointer-checks|signed-bitfields|unsigned-bitfields|declspec"
    r"|dollars-in-identifiers|trivial-auto-var-init=\w+|zero-call-used-regs=[\w-]+|omit-frame-pointer"
    r"|optimize-sibling-calls|jump-tables|asynchronous-unwind-tables|unwind-tables|exceptions"
    r"|function-sections|data-sections|align-functions(?:=\d+)?|patchable-function-entry=[\d,]+"
    r"|stack-check|stack-clash-protection|merge-all-constants|inline-functions|split-stack"
    r"|visibility=\w+|strict-flex-arrays=\d|ident|pcc-struct-return|reg-struct-return)"
)


def _inside(path: str, places: Sequence[str]) -> bool:
    real = os.path.realpath(path)
    return any(real == p or real.startswith(p.rstrip("/") + "/") for p in places)


def sanitize(argv: Sequence[str], directory: str, source: str, places: Sequence[str]) -> Command:
    """The flags of one compile command that libclang may be given: `argv` is the whole
    command (compiler first), `directory` where it ran, `source` the file it compiles (its
    path relative to the first of `places`, the tree root; the others are the build folder).
    Every flag left out is listed with the reason."""
    root = os.path.realpath(places[0])
    real_places = [os.path.realpath(p) for p in places]
    args: list[str] = []
    dropped: list[tuple[str, str]] = []
    src_real = os.path.realpath(os.path.join(directory, source))
    i = 1  # argv[0] is the compiler: never run, never looked at
    n = len(argv)

    def resolve(p: str) -> str:
        return p if os.path.isabs(p) else os.path.join(directory, p)

    def drop_with_value(flag: str, why: str) -> None:
        """Drop `flag` and the argument after it (`-o out.o`, `-load lib.so`)."""
        nonlocal i
        value = argv[i] if i < n else ""
        i += 1
        dropped.append((f"{flag} {value}", why))

    while i < n:
        a = argv[i]
        i += 1
        if a.startswith("@"):
            dropped.append((a, "response file"))
            continue
        if a in _LOADS_CODE_EXACT:
            drop_with_value(a, "loads code (plugin)")
            continue
        if a.startswith(_LOADS_CODE):
            dropped.append((a, "loads code (plugin)"))
            continue
        if a in ("-Xclang", "-Xassembler", "-Xlinker", "-Xpreprocessor", "-Xanalyzer"):
            value = argv[i] if i < n else ""
            i += 1
            if a == "-Xclang" and _XCLANG_CODE.match(value):
                if value.lstrip("-") in ("load", "plugin", "add-plugin") and i < n:
                    # `-Xclang -load -Xclang lib.so`: the library is the next -Xclang's value
                    if argv[i] == "-Xclang" and i + 1 < n:
                        value += " " + argv[i + 1]
                        i += 2
                dropped.append((f"-Xclang {value}", "loads code (plugin)"))
            else:
                dropped.append((f"{a} {value}", "passed to another tool"))
            continue
        if a in _OUTPUT_WITH_VALUE:
            drop_with_value(a, "output or dependency file")
            continue
        if a in _OUTPUT_FLAGS or a.startswith(("-Wp,-MD", "-Wp,-MMD", "-MF", "-o", "-save-temps=")):
            dropped.append((a, "output or dependency file"))
            continue
        if a.startswith(_TOOLCHAIN) or a in ("-wrapper",):
            dropped.append((a, "chooses a toolchain"))
            continue
        if a in _PATH_WITH_VALUE or (a.startswith(_PATH_JOINED) and a not in _PATH_WITH_VALUE):
            if a in _PATH_WITH_VALUE:
                value = argv[i] if i < n else ""
                i += 1
                flag = a
            else:
                flag = next(p for p in _PATH_JOINED if a.startswith(p))
                value = a[len(flag) :]
            if flag in ("-B", "--sysroot=", "-isysroot", "--sysroot", "-iprefix"):
                dropped.append((f"{a} {value}".strip() if a == flag else a, "chooses a toolchain"))
                continue
            if not _inside(resolve(value), real_places):
                dropped.append((f"{flag} {value}", "path outside the tree and the build folder"))
                continue
            args += [flag.rstrip("="), os.path.realpath(resolve(value))]
            continue
        if a.startswith(_GCC_ONLY):
            dropped.append((a, "GCC-only flag clang rejects"))
            continue
        if not a.startswith("-"):
            p = os.path.realpath(resolve(a))
            if p == src_real:
                continue  # the source file itself: libclang is given it apart
            dropped.append((a, "input other than the source file"))
            continue
        if a.startswith(_NOISE) and not a.startswith(("-Wa,", "-Wl,", "-Wp,")):
            continue  # warnings, optimisation, debug info: not a fact's business (not counted)
        if a.startswith(("-Wa,", "-Wl,", "-Wp,")):
            dropped.append((a, "passed to another tool"))
            continue
        if a in ("-D", "-U", "-target", "-x") and i < n:
            args += [a, argv[i]]
            i += 1
            continue
        if _PARSE_FLAG.fullmatch(a):
            args.append(a)
            continue
        # Only flags known to change what the parse sees are passed on: any other may
        # read or write files (-fmodule-map-file=, -ftime-trace=, -fcrash-diagnostics-dir=,
        # -iwithprefix) or reach the backend (-mllvm).
        dropped.append((a, "not needed to parse (only known flags are passed)"))
    rel = os.path.relpath(src_real, root)
    return Command(rel, directory, tuple(args), tuple(dropped))


def load_database(path: str, root: str, build_dir: str | None = None) -> Database:
    """The compile commands `path` holds for files inside the tree `root`, each sanitized.
    A database that cannot be read is a one-line error; an entry that makes no sense (no
    file, a file outside the tree, not C) is skipped with the reason."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(256 * 1024 * 1024 + 1)
    except OSError as exc:
        raise HvlintError(f"{path}: cannot read the compile database: {exc.strerror or exc}") from exc
    if len(raw) > 256 * 1024 * 1024:
        raise HvlintError(f"{path}: compile database over 256 MB: not read")
    try:
        entries = json.loads(raw.decode("utf-8", "replace"))
    except ValueError as exc:
        raise HvlintError(f"{path}: not a compile database (JSON: {exc})") from exc
    if not isinstance(entries, list):
        raise HvlintError(f"{path}: not a compile database (a JSON list of entries is expected)")
    root_real = os.path.realpath(root)
    places = [root_real] + ([os.path.realpath(build_dir)] if build_dir else [])
    db = Database(path, build_dir)
    for k, e in enumerate(entries):
        where = f"entry {k + 1}"
        if not isinstance(e, dict) or not isinstance(e.get("file"), str) or not isinstance(e.get("directory"), str):
            db.skipped.append((where, "no `file` and `directory`"))
            continue
        directory = e["directory"]
        if not os.path.isabs(directory):
            directory = os.path.join(os.path.dirname(os.path.abspath(path)), directory)
        source = e["file"]
        where = source
        full = os.path.realpath(os.path.join(directory, source))
        if not _inside(full, [root_real]):
            db.skipped.append((where, "file outside the tree"))
            continue
        if not full.endswith(".c"):
            db.skipped.append((where, "not a C file"))
            continue
        if isinstance(e.get("arguments"), list) and all(isinstance(a, str) for a in e["arguments"]):
            argv = list(e["arguments"])
        elif isinstance(e.get("command"), str):
            try:
                argv = shlex.split(e["command"])  # split like a shell would, never run by one
            except ValueError as exc:
                db.skipped.append((where, f"command cannot be split ({exc})"))
                continue
        else:
            db.skipped.append((where, "no `arguments` or `command`"))
            continue
        if not argv:
            db.skipped.append((where, "empty command"))
            continue
        cmd = sanitize(argv, directory, source, places)
        db.commands[cmd.path] = cmd
    return db


def find_database(root: str, build_dir: str | None) -> str | None:
    """compile_commands.json in the build folder, else at the tree root, else None."""
    for d in ([build_dir] if build_dir else []) + [root]:
        p = os.path.join(d, "compile_commands.json")
        if os.path.isfile(p):
            return p
    return None


# -- libclang ---------------------------------------------------------------------------------


def available() -> str | None:
    """None when libclang can be loaded, else why not (one line)."""
    try:
        import clang.cindex as ci

        ci.conf.lib  # noqa: B018 - loads the library
    except Exception as exc:  # ImportError, or a library that does not load
        return f"libclang is not available ({type(exc).__name__}: {exc}); install hvlint[clang]"
    return None


_PRETTY: Any = None


def _pretty_printer() -> Any:
    """clang_getCursorPrettyPrinted with TerseOutput (a declaration without its body): the
    Python bindings of libclang 18 do not wrap it."""
    global _PRETTY
    if _PRETTY is None:
        import clang.cindex as ci

        lib = ci.conf.lib
        lib.clang_getCursorPrintingPolicy.restype = ctypes.c_void_p
        lib.clang_getCursorPrintingPolicy.argtypes = [ci.Cursor]
        lib.clang_PrintingPolicy_setProperty.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint]
        lib.clang_PrintingPolicy_dispose.argtypes = [ctypes.c_void_p]
        lib.clang_getCursorPrettyPrinted.argtypes = [ci.Cursor, ctypes.c_void_p]
        lib.clang_getCursorPrettyPrinted.restype = ci._CXString

        def pretty(cursor: Any) -> str:
            policy = lib.clang_getCursorPrintingPolicy(cursor)
            try:
                lib.clang_PrintingPolicy_setProperty(policy, 6, 1)  # SuppressInitializers
                lib.clang_PrintingPolicy_setProperty(policy, 17, 1)  # TerseOutput
                return str(ci._CXString.from_result(lib.clang_getCursorPrettyPrinted(cursor, policy)))
            finally:
                lib.clang_PrintingPolicy_dispose(policy)

        _PRETTY = pretty
    return _PRETTY


_SECTION_ATTR = re.compile(r'__attribute__\(\((?:__)?section(?:__)?\("((?:[^"\\]|\\.)*)"\)\)\)')


_ATTRIBUTES = re.compile(r"__attribute__\(\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)\)")


@dataclass(frozen=True, slots=True)
class ClangDecl:
    """A file-scope function or object as libclang sees it in one configuration."""

    name: str
    kind: str  # function | object
    line: int  # of the name (the macro's use, for a declaration a macro makes)
    col: int
    end_line: int
    end_col: int
    start: int
    end: int
    is_definition: bool
    storage: str | None
    is_const: bool
    is_inline: bool
    has_init: bool
    section: str | None  # the section attribute after expansion, None without one
    calls: tuple[Ref, ...]
    refs: tuple[Ref, ...]
    assigns: tuple[tuple[str, str], ...]
    # member-call name -> the struct type it goes through (`x86_hyper_init.init_platform`)
    through: tuple[tuple[str, str], ...] = ()
    typed_assigns: tuple[tuple[str, str], ...] = ()  # ("struct.member", function)


@dataclass(frozen=True, slots=True)
class ClangView:
    """What libclang made of one file: its declarations, the compiler errors it reported
    (`errors`, the first few), flags it rejected (dropped in a second parse), and the time."""

    path: str
    decls: tuple[ClangDecl, ...] = ()
    errors: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()
    seconds: float = 0.0
    failed: str | None = None  # why there is no view (libclang could not parse it)
    # every file the parse read (the source, each header) with its size and mtime: the
    # view stays valid while they do (hvlint.precise keeps views in the cache)
    read: tuple[tuple[str, int, int], ...] = ()


_REJECTED = re.compile(r"^(?:unknown argument|unsupported option|unknown warning option)[^']*'([^']+)'")


def parse(root: str, cmd: Command) -> ClangView:
    """libclang's view of one file under its sanitized command: never raises."""
    t0 = time.perf_counter()
    try:
        import clang.cindex as ci

        path = os.path.join(os.path.realpath(root), cmd.path)
        index = ci.Index.create()
        args = list(cmd.args)
        opts = ci.TranslationUnit.PARSE_INCOMPLETE
        tu = index.parse(path, args, options=opts)
        rejected = [m.group(1) for d in tu.diagnostics if (m := _REJECTED.match(d.spelling))]
        if rejected:  # flags clang does not know that the table missed: drop them and parse again
            bad = set(rejected)
            args = [a for a in args if a not in bad and a.split("=", 1)[0] + "=" not in bad]
            tu = index.parse(path, args, options=opts)
        errors = tuple(
            f"{d.location.line}: {d.spelling}" if d.location.file else d.spelling
            for d in tu.diagnostics
            if d.severity >= ci.Diagnostic.Error and not _REJECTED.match(d.spelling)
        )
        decls = tuple(_Walker(path).decls(tu))
        read = file_states([path] + [i.include.name for i in tu.get_includes()])
    except Exception as exc:  # libclang errors, a file that vanished: fall back to tree-sitter
        return ClangView(cmd.path, failed=f"{type(exc).__name__}: {exc}", seconds=time.perf_counter() - t0)
    return ClangView(cmd.path, decls, errors[:5], tuple(sorted(set(rejected))), time.perf_counter() - t0, None, read)


def file_states(paths: Iterable[str]) -> tuple[tuple[str, int, int], ...]:
    """(path, size, mtime) of each file, in order, once each (-1, -1 for one that is gone)."""
    out = []
    for p in dict.fromkeys(os.path.realpath(p) for p in paths):
        try:
            st = os.stat(p)
            out.append((p, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((p, -1, -1))
    return tuple(out)


class _Walker:
    """Walks a translation unit's file-scope declarations that stand in the main file."""

    def __init__(self, path: str) -> None:
        import clang.cindex as ci

        self.ci = ci
        self.K = ci.CursorKind
        self.path = path
        self.pretty = _pretty_printer()

    def _here(self, c: Any) -> bool:
        f = c.location.file
        return f is not None and os.path.realpath(f.name) == self.path

    def decls(self, tu: Any) -> Iterable[ClangDecl]:
        K = self.K
        for c in tu.cursor.get_children():
            if c.kind not in (K.FUNCTION_DECL, K.VAR_DECL) or not self._here(c):
                continue
            yield self.decl(c)  # block-scope statics stay tree-sitter's (merge keeps them)

    def decl(self, c: Any) -> ClangDecl:
        K, ci = self.K, self.ci
        kind = "function" if c.kind == K.FUNCTION_DECL else "object"
        sc = c.storage_class
        storage = "static" if sc == ci.StorageClass.STATIC else "extern" if sc == ci.StorageClass.EXTERN else None
        printed = self.pretty(c)
        m = _SECTION_ATTR.search(printed)
        section = m.group(1).encode().decode("unicode_escape") if m else None
        # the specifiers before the name, attributes left out: `static inline int f(...)`
        head = _ATTRIBUTES.sub(" ", printed).split(c.spelling, 1)[0]
        is_inline = kind == "function" and re.search(r"\b(?:__)?inline(?:__)?\b", head) is not None
        is_const = kind == "object" and c.type.is_const_qualified()
        has_init = False
        calls: dict[str, Ref] = {}
        refs: dict[str, Ref] = {}
        assigns: dict[tuple[str, str], None] = {}
        typed: dict[tuple[str, str], None] = {}
        through: dict[tuple[str, str], None] = {}
        body = None
        for ch in c.get_children():
            if ch.kind == K.COMPOUND_STMT:
                body = ch
            elif kind == "object" and ch.kind.is_expression():
                body = ch
                has_init = True
        if body is not None:
            self.scan(body, calls, refs, assigns, through, typed)
        ext = c.extent
        loc = c.location
        return ClangDecl(
            name=c.spelling,
            kind=kind,
            line=loc.line,
            col=loc.column,
            end_line=ext.end.line,
            end_col=max(1, ext.end.column - 1),
            start=ext.start.offset,
            end=ext.end.offset,
            is_definition=c.is_definition(),
            storage=storage,
            is_const=bool(is_const),
            is_inline=bool(is_inline),
            has_init=has_init,
            section=section,
            calls=tuple(sorted(calls.values(), key=lambda r: (r.line, r.name, r.through or ""))),
            refs=tuple(sorted(refs.values(), key=lambda r: (r.line, r.name))),
            assigns=tuple(assigns),
            through=tuple(sorted(through)),
            typed_assigns=tuple(typed),
        )

    def scan(
        self,
        node: Any,
        calls: dict[str, Ref],
        refs: dict[str, Ref],
        assigns: dict[tuple[str, str], None],
        through: dict[tuple[str, str], None],
        typed: dict[tuple[str, str], None],
    ) -> None:
        """Calls, references and member assignments under `node` (iteratively: deep
        expressions must not exhaust Python's stack)."""
        K = self.K
        stack = [(node, False)]
        while stack:
            n, in_asm = stack.pop()
            k = n.kind
            if k == K.CXX_UNARY_EXPR:  # sizeof / _Alignof: an unevaluated operand
                continue
            if k == K.CALL_EXPR:
                target = n.referenced
                line = n.location.line
                if target is not None and target.kind == K.FUNCTION_DECL:
                    name = target.spelling
                    if name.startswith("__SCT__"):  # x86 static_call(key)(...): the key's trampoline
                        key = "static_call:" + name[len("__SCT__") :]
                        calls.setdefault("." + key, Ref(key, line, "member-call"))
                    elif not name.startswith("__builtin"):
                        calls.setdefault(name, Ref(name, line, "call"))
                    args = list(n.get_children())[1:]  # the callee expression is not a reference
                    stack.extend((a, in_asm) for a in reversed(args))
                    continue
                if target is not None and target.kind == K.FIELD_DECL:
                    member = target.spelling
                    typed_name = _struct_member(target)  # one call per struct member
                    calls.setdefault("." + (typed_name or member), Ref(member, line, "member-call", None, typed_name))
                    if typed_name is not None:
                        through.setdefault((member, typed_name), None)
            elif k == K.DECL_REF_EXPR:
                target = n.referenced
                if target is not None and target.kind in (K.FUNCTION_DECL, K.VAR_DECL):
                    parent = target.semantic_parent
                    if target.kind == K.FUNCTION_DECL or (parent is not None and parent.kind == K.TRANSLATION_UNIT):
                        name = target.spelling
                        if not name.startswith("__builtin"):
                            refs.setdefault(name, Ref(name, n.location.line, "ref"))
            elif k == K.MEMBER_REF_EXPR and in_asm:
                # PVOP_CALL*(cpu.io_delay): pv_ops.cpu.io_delay is an asm operand, called there
                root = n
                while root.kind == K.MEMBER_REF_EXPR:
                    kids = list(root.get_children())
                    if not kids:
                        break
                    root = kids[0]
                    while root.kind in (K.UNEXPOSED_EXPR, K.PAREN_EXPR) and list(root.get_children()):
                        root = list(root.get_children())[0]
                if root.kind == K.DECL_REF_EXPR and root.spelling == "pv_ops":
                    member = n.spelling
                    calls.setdefault("." + member, Ref(member, n.location.line, "member-call"))
            elif k == K.BINARY_OPERATOR:
                kids = list(n.get_children())
                if len(kids) == 2 and kids[0].kind == K.MEMBER_REF_EXPR and _is_assignment(n):
                    fn = _function_named(kids[1], K)
                    if fn is not None:
                        assigns.setdefault((kids[0].spelling, fn), None)
                        typed_name = _struct_member(kids[0].referenced)
                        if typed_name is not None:
                            typed.setdefault((typed_name, fn), None)
            elif k == K.INIT_LIST_EXPR:
                for item in n.get_children():
                    kids = list(item.get_children()) if item.kind == K.UNEXPOSED_EXPR else []
                    if len(kids) >= 2 and kids[0].kind == K.MEMBER_REF:
                        fn = _function_named(kids[-1], K)
                        if fn is not None:
                            assigns.setdefault((kids[0].spelling, fn), None)
                            typed_name = _struct_member(kids[0].referenced)
                            if typed_name is not None:
                                typed.setdefault((typed_name, fn), None)
            elif k == K.ASM_STMT:
                in_asm = True
            stack.extend((ch, in_asm) for ch in reversed(list(n.get_children())))


def _struct_member(field: Any) -> str | None:
    """`struct.member` of a field cursor, None for a member of an unnamed struct or union."""
    if field is None:
        return None
    parent = field.semantic_parent
    name = parent.spelling if parent is not None else ""
    if not name or " " in name or "(" in name:  # `struct (unnamed at ...)`
        return None
    return f"{name}.{field.spelling}"


def _is_assignment(n: Any) -> bool:
    try:
        toks = [t.spelling for t in n.get_tokens()]
    except Exception:
        return False
    depth = 0
    for t in toks:
        if t in "([{":
            depth += 1
        elif t in ")]}":
            depth -= 1
        elif depth == 0 and t == "=":
            return True
        elif depth == 0 and t in ("==", "!=", "<=", ">="):
            return False
    return False


def _function_named(expr: Any, K: Any) -> str | None:
    """The function an expression names (`f`, `&f`, `(void *)f`), or None."""
    n = expr
    for _ in range(8):
        if n.kind == K.DECL_REF_EXPR:
            t = n.referenced
            return t.spelling if t is not None and t.kind == K.FUNCTION_DECL else None
        kids = list(n.get_children())
        if len(kids) != 1 and not (n.kind == K.CSTYLE_CAST_EXPR and kids):
            return None
        n = kids[-1]
    return None


# -- merging with tree-sitter ------------------------------------------------------------------


def _default_section(kind: str, is_const: bool, has_init: bool, zero_init: bool) -> str:
    if kind == "function":
        return ".text"
    if is_const:
        return ".rodata"
    return ".data" if has_init and not zero_init else ".bss"


def merge(ts: FileFacts, view: ClangView) -> FileFacts:
    """tree-sitter's facts of a file with libclang's view written over them (see the
    module's docstring).  The declarations keep tree-sitter's order (annotations point into
    it); those only libclang sees come after."""
    if view.failed is not None:
        return ts
    by_key: dict[tuple[str, int], list[int]] = {}
    for i, d in enumerate(ts.decls):
        if d.scope is None:
            by_key.setdefault((d.name, d.name_span.line), []).append(i)
    decls = list(ts.decls)
    added: list[Decl] = []
    for c in view.decls:
        hits = by_key.get((c.name, c.line), [])
        if hits:
            for i in hits:
                d = decls[i]
                section = c.section or _default_section(d.kind, d.is_const, d.has_init, d.zero_init)
                if not c.is_definition and c.section is None:
                    section = None  # a prototype without an attribute says nothing
                decls[i] = replace(
                    d,
                    section=section,
                    calls=c.calls if d.is_definition or c.calls else d.calls,
                    refs=c.refs if d.is_definition or c.refs else d.refs,
                    assigns=c.assigns or d.assigns,
                    typed_assigns=c.typed_assigns,
                )
            continue
        if not c.is_definition:
            continue
        span = Span(c.line, c.col, c.end_line, c.end_col, c.start, c.end)
        added.append(
            Decl(
                name=c.name,
                kind=c.kind,
                span=span,
                name_span=Span(c.line, c.col, c.line, c.col + len(c.name) - 1, c.start, c.start),
                is_definition=True,
                storage=c.storage,
                is_const=c.is_const,
                is_inline=c.is_inline,
                has_init=c.has_init,
                section=c.section or _default_section(c.kind, c.is_const, c.has_init, False),
                calls=c.calls,
                refs=c.refs,
                assigns=c.assigns,
                typed_assigns=c.typed_assigns,
            )
        )
    return replace(ts, decls=tuple(decls) + tuple(added), front="libclang")
