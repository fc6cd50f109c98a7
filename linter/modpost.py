"""modpost's section-mismatch table, read from the tree's own `scripts/mod/modpost.c`.

modpost checks every relocation of a built object: a reference from a section of a check's
`fromsec` list to one of its `bad_tosec` list is a "section mismatch", unless
`secref_whitelist()` lets it pass.  hvlint applies the same table to the references it finds
in the source (linter/data/modpost.toml holds the 6.12 table for trees whose modpost.c it
cannot read).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import lru_cache

from hvlint.datafiles import load_toml
from hvlint.errors import HvlintError


@dataclass(frozen=True, slots=True)
class Check:
    fromsec: tuple[str, ...]
    bad_tosec: tuple[str, ...]
    mismatch: str


@dataclass(frozen=True, slots=True)
class ModpostTable:
    groups: dict[str, tuple[str, ...]]
    checks: tuple[Check, ...]
    # secref_whitelist(): data symbols that may refer to init/exit sections (`*_ops`...)
    data_symbols: tuple[str, ...]
    # symbols that may always be referenced (`__init_begin`, `_sinittext`, `_einittext`)
    to_symbols: tuple[str, ...]
    source: str  # where the table came from

    def group(self, name: str) -> tuple[str, ...]:
        return self.groups.get(name, ())

    def mismatch(self, fromsec: str, tosec: str) -> Check | None:
        """The first check that forbids a reference from `fromsec` to `tosec` (modpost's
        section_mismatch(), first match wins), or None."""
        for c in self.checks:
            if match(fromsec, c.fromsec):
                return c if match(tosec, c.bad_tosec) else None
        return None

    def whitelisted(self, fromsec: str, fromsym: str, tosec: str, tosym: str) -> str | None:
        """Why modpost's secref_whitelist() lets the reference pass, or None."""
        data = self.group("DATA_SECTIONS")
        init_exit = self.group("ALL_INIT_SECTIONS") + self.group("ALL_EXIT_SECTIONS")
        if match(tosec, self.group("ALL_INIT_DATA_SECTIONS")) and match(fromsec, data):
            if fromsym.startswith("__param"):
                return "a module parameter (__param_*)"
        if tosec == ".init.text" and match(fromsec, data) and fromsym.startswith("__param_ops_"):
            return "a module_param_call() setter"
        if match(fromsec, data) and match(tosec, init_exit) and match(fromsym, self.data_symbols):
            return f"modpost lets data named {' / '.join(self.data_symbols)} refer to init/exit code"
        if fromsec.startswith(".head.text") and match(tosec, self.group("ALL_INIT_SECTIONS")):
            return "early boot code (.head.text) may use init code"
        if match(tosym, self.to_symbols):
            return "a section boundary symbol"
        return None


def match(name: str, patterns: tuple[str, ...]) -> bool:
    """Whether `name` matches one of modpost's glob patterns."""
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


_DEFINE = re.compile(r"^#define\s+(ALL_\w+|DATA_SECTIONS|TEXT_SECTIONS|OTHER_TEXT_SECTIONS)\s+((?:.*\\\n)*.*)", re.M)
_STRING = re.compile(r'"([^"]*)"')
_ROW = re.compile(
    r"\{\s*\.fromsec\s*=\s*\{([^}]*)\},\s*\.bad_tosec\s*=\s*\{([^}]*)\},(?:[^{}]|\{[^}]*\})*?\.mismatch\s*=\s*(\w+)"
)
_DATA_SYMS = re.compile(r"match\(fromsym,\s*PATTERNS\(([^)]*)\)\)")
_TO_SYMS = re.compile(r"match\(tosym,\s*PATTERNS\(([^)]*)\)\)")


def parse_modpost(text: str, source: str) -> ModpostTable | None:
    """The table of a modpost.c, or None if its shape is not the one hvlint knows."""
    raw: dict[str, str] = {m.group(1): m.group(2).replace("\\\n", " ") for m in _DEFINE.finditer(text)}

    def expand(body: str, depth: int = 0) -> tuple[str, ...]:
        out: list[str] = []
        for tok in re.findall(r'"[^"]*"|[A-Z_]+', body):
            if tok.startswith('"'):
                out.append(tok[1:-1])
            elif tok in raw and depth < 4:
                out.extend(expand(raw[tok], depth + 1))
        return tuple(out)

    groups = {name: expand(body) for name, body in raw.items()}
    start = text.find("sectioncheck[] = {")
    end = text.find("\n};", start)
    if start < 0 or end < 0:
        return None
    checks = []
    for m in _ROW.finditer(text, start, end):
        fromsec = expand(m.group(1))
        bad = expand(m.group(2))
        if fromsec and bad:
            checks.append(Check(fromsec, bad, m.group(3)))
    wl = text[text.find("static int secref_whitelist") :]
    data_syms = next((tuple(_STRING.findall(m.group(1))) for m in _DATA_SYMS.finditer(wl) if "_ops" in m.group(1)), ())
    to_syms = next((tuple(_STRING.findall(m.group(1))) for m in _TO_SYMS.finditer(wl)), ())
    if not checks or "DATA_SECTIONS" not in groups or "TEXT_SECTIONS" not in groups or not data_syms:
        return None
    return ModpostTable(groups, tuple(checks), data_syms, to_syms, source)


def _fallback() -> ModpostTable:
    src = "hvlint/data/modpost.toml"
    doc = load_toml("modpost.toml")
    try:
        groups = {k: tuple(v) for k, v in doc["groups"].items()}
        checks = tuple(Check(tuple(c["fromsec"]), tuple(c["bad_tosec"]), str(c["mismatch"])) for c in doc["check"])
        return ModpostTable(groups, checks, tuple(doc["data_symbols"]), tuple(doc["to_symbols"]), src)
    except (KeyError, TypeError, ValueError) as exc:
        raise HvlintError(f"{src}: {exc}") from exc


@lru_cache(maxsize=4)
def modpost_table(root: str | None) -> ModpostTable:
    """The tree's own table (scripts/mod/modpost.c), else the 6.12 one hvlint ships."""
    if root:
        from hvlint.discover import read_source

        data = read_source(root, "scripts/mod/modpost.c").data
        got = parse_modpost(data.decode("latin-1"), "scripts/mod/modpost.c") if data is not None else None
        if got is not None:
            return got
    return _fallback()
