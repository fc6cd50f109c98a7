"""Preprocessor conditions against one configuration.

hvlint keeps every `#if` alternative and labels what it found inside with the condition
(`defined(CONFIG_SMP) && !(defined(CONFIG_X86_32))`).  This module reads a kernel `.config`
and evaluates such a condition the way the preprocessor would for that configuration, in
three-valued logic: True, False, or None when the condition depends on something a
`.config` does not say (`defined(__WARN_FLAGS)`, `BITS_PER_LONG == 64`).

Kconfig semantics: `CONFIG_X=y` defines `CONFIG_X` as 1, `CONFIG_X=m` defines
`CONFIG_X_MODULE` instead, `# CONFIG_X is not set` and absent options are undefined;
`IS_ENABLED(X)` is y-or-m, `IS_BUILTIN(X)` y, `IS_MODULE(X)` m, `IS_REACHABLE(X)` y (or m
from a module, which a whole-tree view cannot tell: None).
"""

from __future__ import annotations

import operator
import re

from hvlint.errors import HvlintError

Value = bool | int | None

_LINE = re.compile(r"(CONFIG_\w+)=(.*)")
_TOKEN = re.compile(
    r"\s*(?:(\d+[uUlL]*|0[xX][0-9a-fA-F]+[uUlL]*)|([A-Za-z_]\w*)|(&&|\|\||==|!=|<=|>=|<<|>>|[!()<>+\-*/%?:,~]))"
)


def load_config(path: str) -> dict[str, str]:
    """The options a `.config` sets: name -> raw value (`y`, `m`, `"text"`, `120200`)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError as exc:
        raise HvlintError(f"cannot read config {path}: {exc.strerror or exc}") from exc
    out: dict[str, str] = {}
    for line in text.splitlines():
        m = _LINE.match(line.strip())
        if m and m.group(2) != "n":
            out[m.group(1)] = m.group(2)
    if not out and text.strip():
        raise HvlintError(f"{path}: no CONFIG_ option in it: not a kernel .config")
    return out


# What GCC predefines when it builds x86_64 kernel code.
PREDEFINED = {"__KERNEL__": "1", "__x86_64__": "1", "__GNUC__": "12", "__CHAR_BIT__": "8", "__LP64__": "1"}
PREDEFINED_NOT = frozenset({"__i386__", "__ASSEMBLY__", "__CHECKER__", "__clang__", "__cplusplus", "__GENKSYMS__"})
# Defined on the command line by Kbuild for some objects only: never decided.  (`-DDEBUG`
# comes from a few Makefiles under a debug option, arch/x86/pci: taken as undefined.)
COMMAND_LINE = frozenset({"MODULE", "DYNAMIC_DEBUG_MODULE", "KBUILD_MODNAME", "KBUILD_BASENAME"})
Defines = dict[str, tuple[tuple[str, str], ...]]


_ARITH = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.floordiv,
    "%": operator.mod,
    "<<": operator.lshift,
    ">>": operator.rshift,
}


class _Parser:
    """Recursive descent over a C preprocessor expression, three-valued."""

    def __init__(
        self,
        text: str,
        config: dict[str, str],
        defines: Defines | None = None,
        depth: int = 0,
        local: frozenset[str] | None = None,
    ) -> None:
        self.config = config
        self.defines = defines
        self.local = local
        self.depth = depth
        self.toks: list[str] = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise ValueError(text[pos:])
            self.toks.append(m.group(0).strip())
            pos = m.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
        self.i = 0

    def peek(self) -> str:
        return self.toks[self.i] if self.i < len(self.toks) else ""

    def take(self, expect: str | None = None) -> str:
        tok = self.peek()
        if expect is not None and tok != expect:
            raise ValueError(f"expected {expect!r}, got {tok!r}")
        self.i += 1
        return tok

    # -- symbols --
    def defined(self, name: str) -> Value:
        if name.startswith("CONFIG_"):
            if name in self.config:
                return self.config[name] != "m"  # =m defines CONFIG_X_MODULE instead
            if name.endswith("_MODULE") and self.config.get(name[: -len("_MODULE")]) == "m":
                return True
            return False
        if self.defines is None:
            return None
        if name in PREDEFINED:
            return True
        if name in PREDEFINED_NOT:
            return False
        variants = self.defines.get(name)
        if not variants:
            if self.local is None or name in self.local or name in COMMAND_LINE:
                return None  # the .c file defines it, or the command line (-DMODULE) may
            return False
        if self.depth > 6:
            return None
        out: Value = False
        for cond, _ in variants:
            v = evaluate(cond, self.config, self.defines, self.depth + 1, self.local)
            if v:
                return True
            if v is None:
                out = None
        return out

    def value(self, name: str) -> Value:
        if name.startswith("CONFIG_"):
            d = self.defined(name)
            if not d:
                return 0
            raw = self.config.get(name, "y")
            if raw in ("y", "m"):
                return 1
            try:
                return int(raw, 0)
            except ValueError:
                return None
        if name in ("true", "false"):
            return name == "true"
        if self.defines is None:
            return None
        if name in PREDEFINED:
            return int(PREDEFINED[name])
        d = self.defined(name)
        if d is False:
            return 0  # an undefined name is 0 in #if
        if d is None:
            return None
        bodies = set()
        for cond, body in self.defines.get(name, ()):
            v = evaluate(cond, self.config, self.defines, self.depth + 1, self.local)
            if v is None:
                return None
            if v:
                bodies.add(body)
        if len(bodies) != 1:
            return None
        body = bodies.pop()
        if not body:
            return None
        try:
            p = _Parser(body, self.config, self.defines, self.depth + 1, self.local)
            r = p.expr()
        except (ValueError, IndexError, KeyError):
            return None
        return r if p.i == len(p.toks) else None

    def kconfig(self, fn: str, name: str) -> Value:
        v = self.config.get(name) if name.startswith("CONFIG_") else None
        if not name.startswith("CONFIG_"):
            return None
        if fn == "IS_BUILTIN":
            return v == "y"
        if fn == "IS_MODULE":
            return v == "m"
        if fn == "IS_REACHABLE":
            return True if v == "y" else (False if v is None else None)
        return v in ("y", "m")  # IS_ENABLED

    # -- grammar --
    def expr(self) -> Value:
        cond = self.lor()
        if self.peek() == "?":
            self.take()
            a = self.expr()
            self.take(":")
            b = self.expr()
            if cond is None:
                return a if a == b else None
            return a if cond else b
        return cond

    def lor(self) -> Value:
        v = self.land()
        while self.peek() == "||":
            self.take()
            w = self.land()
            v = True if (v or w) else (None if v is None or w is None else False)
        return v

    def land(self) -> Value:
        v = self.cmp()
        while self.peek() == "&&":
            self.take()
            w = self.cmp()
            if v is False or v == 0 or w is False or w == 0:
                v = False
            elif v is None or w is None:
                v = None
            else:
                v = True
        return v

    def cmp(self) -> Value:
        v = self.add()
        while self.peek() in ("==", "!=", "<", ">", "<=", ">="):
            op = self.take()
            w = self.add()
            if v is None or w is None:
                v = None
                continue
            a, b = int(v), int(w)
            v = {"==": a == b, "!=": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
        return v

    def add(self) -> Value:
        v = self.unary()
        while self.peek() in ("+", "-", "*", "/", "%", "<<", ">>"):
            op = self.take()
            w = self.unary()
            if v is None or w is None:
                v = None
                continue
            a, b = int(v), int(w)
            if op in ("/", "%") and b == 0:
                v = None
            else:
                v = _ARITH[op](a, b)
        return v

    def unary(self) -> Value:
        tok = self.peek()
        if tok == "!":
            self.take()
            v = self.unary()
            return None if v is None else not v
        if tok in ("-", "~", "+"):
            self.take()
            v = self.unary()
            if v is None:
                return None
            return -int(v) if tok == "-" else (~int(v) if tok == "~" else int(v))
        if tok == "(":
            self.take()
            v = self.expr()
            self.take(")")
            return v
        if tok == "defined":
            self.take()
            if self.peek() == "(":
                self.take()
                name = self.take()
                self.take(")")
            else:
                name = self.take()
            return self.defined(name)
        if tok in ("IS_ENABLED", "IS_BUILTIN", "IS_MODULE", "IS_REACHABLE"):
            self.take()
            self.take("(")
            name = self.take()
            self.take(")")
            return self.kconfig(tok, name)
        self.take()
        if tok[:1].isdigit():
            return int(tok.rstrip("uUlL"), 0)
        if re.fullmatch(r"[A-Za-z_]\w*", tok):
            if self.peek() == "(":  # an unknown function-like macro: skip its arguments
                depth = 0
                while self.i < len(self.toks):
                    t = self.take()
                    depth += t == "("
                    depth -= t == ")"
                    if depth == 0:
                        break
                return None
            return self.value(tok)
        raise ValueError(tok)


def evaluate(
    cond: str,
    config: dict[str, str],
    defines: Defines | None = None,
    depth: int = 0,
    local: frozenset[str] | None = None,
) -> bool | None:
    """Whether `cond` holds under `config`: True, False, or None (cannot tell).  With
    `defines` (hvlint.tables.tree_defines: the headers' macros and their conditions),
    `defined(__WARN_FLAGS)` and `BITS_PER_LONG == 64` are decided too; with `local`, the
    names the condition's own file #defines, any other name is undefined."""
    if not cond.strip():
        return True
    if depth > 6:
        return None
    try:
        p = _Parser(cond, config, defines, depth, local)
        v = p.expr()
        if p.i != len(p.toks):
            return None
    except (ValueError, IndexError, KeyError):
        return None
    return None if v is None else bool(v)
