"""Configuration: `.hvlint.toml`, found upward from the first linted path (or `[tool.hvlint]`
in a `pyproject.toml` on the way), like ruff's.

    select = ["HV2", "HV3"]            # ids, prefixes, names or "ALL"
    ignore = ["HV305"]
    scope = "default"                  # or "all"
    [per-file-ignores]
    "arch/x86/boot/*" = ["HV3"]        # globs relative to the tree root
    docs-url = "https://..."           # where docs/rules/ is published (SARIF helpUri)
    [section-macros]                   # macros hvlint cannot read from the tree's headers
    __foo_initdata = ".init.data"
    [[entry-points]]                   # boot entries the shipped boot-order data lacks
    name = "foo"
    entry = "foo_startup_64"
    file = "arch/x86/platform/foo/head_64.S"
    clears-in = "foo_start_kernel"     # the function on this path that clears BSS ...
    clears-in-file = "arch/x86/platform/foo/setup.c"
    clear = "clear_bss"                # ... by calling this
    [severity]
    HV201 = "error"                    # error | warning | info

Command-line flags win over the file.  Unknown keys and bad values are an error naming the
file and the key.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from dataclasses import dataclass, field, replace
from typing import Any

from hvlint.errors import HvlintError
from hvlint.findings import Finding, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KEYS = ("select", "ignore", "scope", "per-file-ignores", "severity", "docs-url", "section-macros", "entry-points")


@dataclass
class Config:
    path: str | None = None
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    scope: str | None = None
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, Severity] = field(default_factory=dict)
    docs_url: str | None = None
    section_macros: dict[str, str] = field(default_factory=dict)
    entry_points: tuple[Any, ...] = ()  # hvlint.bootorder.BootPath

    def apply(self, findings: list[Finding]) -> list[Finding]:
        """Per-file ignores and severity overrides (rule ids or prefixes)."""
        out = []
        for f in findings:
            if any(
                fnmatch.fnmatchcase(f.path, pat) and any(_matches(f, code) for code in codes)
                for pat, codes in self.per_file_ignores.items()
            ):
                continue
            for code, sev in self.severity.items():
                if _matches(f, code):
                    f = replace(f, severity=sev)
                    break
            out.append(f)
        return out


def _matches(f: Finding, code: str) -> bool:
    c = code.strip()
    return c.upper() == "ALL" or f.rule.startswith(c.upper()) or f.name == c


def find(start: str) -> str | None:
    """The nearest `.hvlint.toml`, or `pyproject.toml` with a [tool.hvlint] table, at or
    above `start`."""
    d = os.path.abspath(start)
    if not os.path.isdir(d):
        d = os.path.dirname(d)
    while True:
        cand = os.path.join(d, ".hvlint.toml")
        if os.path.isfile(cand):
            return cand
        py = os.path.join(d, "pyproject.toml")
        if os.path.isfile(py):
            try:
                with open(py, "rb") as fh:
                    if "hvlint" in tomllib.load(fh).get("tool", {}):
                        return py
            except (OSError, tomllib.TOMLDecodeError):
                pass
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


_IDENT = re.compile(r"^[A-Za-z_]\w*$")
_SECTION = re.compile(r"^\.[\w.$]+$")


def _entry_points(value: Any, where: str) -> tuple[Any, ...]:
    """`[[entry-points]]`: boot paths with bootorder.toml's keys (dashes for underscores)."""
    from hvlint.bootorder import load_table, parse_path

    if not isinstance(value, list) or not value:
        raise HvlintError(f"{where}: must be an array of tables ([[entry-points]])")

    def fail(key: str, why: str) -> HvlintError:
        return HvlintError(f"{where.rsplit(': key', 1)[0]}: key 'entry-points.{key}': {why}")

    out = []
    for i, raw in enumerate(value):
        if not isinstance(raw, dict):
            raise HvlintError(f"{where}[{i}]: must be a table")
        table = {str(k).replace("-", "_"): v for k, v in raw.items()}
        out.append(parse_path(table, f"[{i}]", lambda k, why: fail(k.replace("_", "-"), why), optional=("reason",)))
    names = [p.name for p in out] + [p.name for p in load_table().paths]
    if len(set(names)) != len(names):
        raise HvlintError(f"{where}: boot path names must be unique (the shipped ones included): {sorted(names)}")
    return tuple(out)


def _strings(v: Any, where: str) -> list[str]:
    if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
        raise HvlintError(f"{where}: must be a list of rule ids, prefixes or names")
    return list(v)


def load(path: str) -> Config:
    try:
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
    except OSError as exc:
        raise HvlintError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise HvlintError(f"{path}: not valid TOML: {exc}") from exc
    if os.path.basename(path) == "pyproject.toml":
        doc = doc.get("tool", {}).get("hvlint", {})
    cfg = Config(path)
    for key, value in doc.items():
        where = f"{path}: key '{key}'"
        if key not in KEYS:
            raise HvlintError(f"{where}: unknown key (expected {', '.join(KEYS)})")
        if key == "select":
            cfg.select = _strings(value, where)
        elif key == "ignore":
            cfg.ignore = _strings(value, where)
        elif key == "scope":
            if value not in ("default", "all"):
                raise HvlintError(f'{where}: must be "default" or "all"')
            cfg.scope = value
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise HvlintError(f"{where}: must be a table of glob = [rules]")
            cfg.per_file_ignores = {str(k): _strings(v, f"{where}.{k}") for k, v in value.items()}
        elif key == "docs-url":
            if not isinstance(value, str) or not value.startswith(("https://", "http://", "file://")):
                raise HvlintError(f"{where}: must be an http(s):// or file:// URL")
            cfg.docs_url = value
        elif key == "section-macros":
            if not isinstance(value, dict):
                raise HvlintError(f'{where}: must be a table of macro = ".section"')
            for name, section in value.items():
                if not _IDENT.match(str(name)) or not isinstance(section, str) or not _SECTION.match(section):
                    raise HvlintError(f'{where}.{name}: must map a macro name to a section name such as ".init.data"')
            cfg.section_macros = {str(k): str(v) for k, v in value.items()}
        elif key == "entry-points":
            cfg.entry_points = _entry_points(value, where)
        elif key == "severity":
            if not isinstance(value, dict) or not all(v in ("error", "warning", "info") for v in value.values()):
                raise HvlintError(f'{where}: must map rules to "error", "warning" or "info"')
            cfg.severity = {str(k): Severity(v) for k, v in value.items()}
    # every code must name a rule
    from hvlint.registry import select_rules

    select_rules(cfg.select, cfg.ignore)
    for codes in (*cfg.per_file_ignores.values(), list(cfg.severity)):
        select_rules(list(codes), None)
    return cfg
