"""The fixture corpus, run through the real pipeline.

Every finding hvlint reports on corpus/ must be marked in the source on the line where
it is reported, and every mark must be reported:

    int x __attribute__((section(".data"))) = 0; /* expect: HV201 */
    static const int t[] __initdata = { 1 };     /* expect: HV203 */
    ...                                          /* todo: HV203 */   (a known miss)

Fixture units (one test each, id = path relative to corpus/):

* each standalone .c/.h/.S file in corpus/ outside trees/ and badinput/ (linted on its
  own, outside any kernel tree: finding paths are the bare file name);
* each tree in corpus/trees/ (linted whole, from its root; marks from all its files,
  paths relative to the tree root);
* corpus/badinput, whose files cannot carry comments: expectations in EXPECT.toml.
* corpus/precise, a tree for precise mode: tests/test_precise.py lints it with a compile database.

A unit xfails only when everything matches except that exactly its `todo:` findings are
missing.  hvlint must write nothing while it runs: each unit's folder is compared
before and after.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from hvlint.cli import main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
TREES = CORPUS / "trees"
BADINPUT = CORPUS / "badinput"
SOURCE_SUFFIXES = (".c", ".h", ".S")

RULE_ID = r"HV\d{3}"
# A mark: `expect:` or `todo:` then one or more rule ids, alone in a /* ... */ comment.
MARK = re.compile(rf"/\*\s*(expect|todo):\s*({RULE_ID}(?:[\s,]+{RULE_ID})*)\s*\*/")
# Anything that looks like an attempt at a mark; each must be a well-formed MARK.
LOOSE_MARK = re.compile(r"/\*\s*(?:expect|todo)\s*:")

Key = tuple[str, int, str]  # (path, line, rule)


@dataclass(frozen=True)
class Unit:
    id: str  # path relative to corpus/, with / separators
    kind: str  # "file" | "tree" | "badinput"
    path: Path


def _rel(p: Path, base: Path) -> str:
    return p.relative_to(base).as_posix()


def _units() -> list[Unit]:
    units: list[Unit] = []
    for dirpath, dirnames, filenames in os.walk(CORPUS):
        d = Path(dirpath)
        if d == CORPUS:
            dirnames[:] = [n for n in dirnames if n not in ("trees", "badinput", "precise")]
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(SOURCE_SUFFIXES):
                units.append(Unit(_rel(d / name, CORPUS), "file", d / name))
    if TREES.is_dir():
        for tree in sorted(TREES.iterdir()):
            if tree.is_dir():
                units.append(Unit(_rel(tree, CORPUS), "tree", tree))
    if BADINPUT.is_dir():
        units.append(Unit(_rel(BADINPUT, CORPUS), "badinput", BADINPUT))
    return sorted(units, key=lambda u: u.id)


UNITS = _units()


# -- expectations -----------------------------------------------------------------------------


@dataclass
class Expected:
    expect: set[Key]
    todo: set[Key]
    lines: dict[tuple[str, int], str]  # source text of marked lines, for messages


def _marks(text: str, relpath: str, exp: Expected) -> None:
    for lineno, line in enumerate(text.splitlines(), 1):
        strict = list(MARK.finditer(line))
        loose = list(LOOSE_MARK.finditer(line))
        if len(loose) != len(strict) or any(a.start() != b.start() for a, b in zip(loose, strict)):
            pytest.fail(f"{relpath}:{lineno}: malformed mark (want /* expect: HV201 HV202 */): {line.strip()}")
        for m in strict:
            target = exp.expect if m.group(1) == "expect" else exp.todo
            for rule in re.findall(RULE_ID, m.group(2)):
                key = (relpath, lineno, rule)
                if key in exp.expect or key in exp.todo:
                    pytest.fail(f"{relpath}:{lineno}: {rule} marked twice")
                target.add(key)
                exp.lines[(relpath, lineno)] = line.strip()


def _read_text(p: Path) -> str:
    # Latin-1 maps every byte to one character, so lines count the same as hvlint's.
    return p.read_bytes().decode("latin-1")


def _expected_file(unit: Unit) -> Expected:
    exp = Expected(set(), set(), {})
    _marks(_read_text(unit.path), unit.path.name, exp)
    return exp


def _expected_tree(unit: Unit) -> Expected:
    exp = Expected(set(), set(), {})
    for dirpath, dirnames, filenames in os.walk(unit.path):
        dirnames.sort()
        for name in sorted(filenames):
            p = Path(dirpath) / name
            if p.is_file() and not p.is_symlink():
                _marks(_read_text(p), _rel(p, unit.path), exp)
    return exp


def _badinput_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith(SOURCE_SUFFIXES))


def _expected_badinput(unit: Unit) -> Expected:
    table_path = unit.path / "EXPECT.toml"
    with open(table_path, "rb") as fh:
        table = tomllib.load(fh)
    names = {p.name for p in _badinput_files(unit.path)}
    if set(table) != names:
        pytest.fail(
            f"{_rel(table_path, CORPUS)}: keys must be exactly the source files of the folder; "
            f"without a key: {sorted(names - set(table))}, no such file: {sorted(set(table) - names)}"
        )
    exp = Expected(set(), set(), {})
    for name, items in table.items():
        if not isinstance(items, list):
            pytest.fail(f'{_rel(table_path, CORPUS)}: {name}: want a list of "LINE:RULE" strings')
        for item in items:
            m = re.fullmatch(rf"(todo:)?(\d+):({RULE_ID})", str(item))
            if not m:
                pytest.fail(f'{_rel(table_path, CORPUS)}: {name}: bad entry {item!r} (want "LINE:RULE")')
            key = (name, int(m.group(2)), m.group(3))
            (exp.todo if m.group(1) else exp.expect).add(key)
            exp.lines[(name, key[1])] = f"(from {table_path.name})"
    return exp


# -- running hvlint ---------------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, str]:
    """Every entry below `folder`: content hash, or symlink target."""
    snap: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = _rel(p, folder)
            if p.is_symlink():
                snap[rel] = "-> " + os.readlink(p)
            elif p.is_dir():
                snap[rel] = "dir"
            else:
                snap[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return snap


def _paths_for(unit: Unit) -> list[str]:
    if unit.kind == "badinput":
        return [str(p) for p in _badinput_files(unit.path)]
    return [str(unit.path)]


def _render(f: dict[str, object]) -> str:
    return f"{f['path']}:{f['line']}: {f['rule']} {f['message']}"


@pytest.mark.parametrize("unit", UNITS, ids=[u.id for u in UNITS])
def test_corpus(
    unit: Unit, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if unit.kind == "file":
        exp = _expected_file(unit)
    elif unit.kind == "tree":
        exp = _expected_tree(unit)
    else:
        exp = _expected_badinput(unit)

    monkeypatch.setenv("HVLINT_CACHE_DIR", str(tmp_path / "cache"))
    watched = unit.path if unit.path.is_dir() else unit.path.parent
    before = _snapshot(watched)
    capsys.readouterr()
    rc = main(["check", "--format", "json", "--select", "ALL", *_paths_for(unit)])
    out, err = capsys.readouterr()
    after = _snapshot(watched)

    assert rc in (0, 1), f"hvlint exited {rc}: {err.strip()}"
    assert before == after, f"hvlint changed files under {watched} without --fix"
    try:
        doc = json.loads(out)
    except json.JSONDecodeError as exc:
        pytest.fail(f"stdout is not one JSON object ({exc}):\n{out[:2000]}")
    findings = doc["findings"]
    for f in findings:
        path = str(f["path"])
        assert not path.startswith(("/", "../")) and "\\" not in path, f"path not relative: {path}"

    found: dict[Key, list[dict[str, object]]] = {}
    for f in findings:
        found.setdefault((str(f["path"]), int(f["line"]), str(f["rule"])), []).append(f)

    missing = exp.expect - found.keys()
    unexpected = found.keys() - exp.expect - exp.todo
    todo_missing = exp.todo - found.keys()

    if missing or unexpected:
        lines = []
        if missing:
            lines.append(f"missing ({len(missing)}): marked, not reported")
            for key in sorted(missing):
                path, line, rule = key
                lines.append(f"  {path}:{line}: {rule} (expected)    | {exp.lines.get((path, line), '')}")
        if unexpected:
            lines.append(f"unexpected ({len(unexpected)}): reported, not marked")
            for key in sorted(unexpected):
                for f in found[key]:
                    lines.append(f"  {_render(f)}")
        if todo_missing:
            lines.append(f"(and {len(todo_missing)} todo marks not reported)")
        pytest.fail("\n".join(lines), pytrace=False)
    if todo_missing:
        pytest.xfail("known misses: " + "; ".join(f"{p}:{line}: {rule}" for p, line, rule in sorted(todo_missing)))
