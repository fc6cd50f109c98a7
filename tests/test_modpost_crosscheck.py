"""The pure parts of benchmarks/modpost_crosscheck.py: modpost output parsing, the edit table on a
tiny fake tree (hard-linked copy, pristine file untouched), line mapping and matching.  No build."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "benchmarks" / "modpost_crosscheck.py"


@pytest.fixture(scope="module")
def mc() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hvlint_modpost_crosscheck", SCRIPT)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["hvlint_modpost_crosscheck"] = mod
    spec.loader.exec_module(mod)
    return mod


MODPOST_OUT = """\
WARNING: modpost: vmlinux: section mismatch in reference: xen_prepare_pvh+0x1a (section: .text) -> pvh_start_info \
(section: .init.data)
WARNING: modpost: vmlinux: section mismatch in reference: xen_balloon_init_hook+0x0 (section: .data) -> balloon_init \
(section: .init.text)
WARNING: modpost: vmlinux: section mismatch in reference: 0x40 (section: .text) -> 0x10 (section: .exit.text)
WARNING: modpost: missing MODULE_LICENSE() in foo.o
vmlinux.o: section mismatch in reference: old_style() (section: .text) -> init_thing() (section: .init.text)
ld: warning: unrelated
"""


def test_parse_modpost(mc: ModuleType) -> None:
    ms = mc.parse_modpost(MODPOST_OUT)
    assert [m.key() for m in ms[:3]] == [
        ("xen_prepare_pvh", ".text", "pvh_start_info", ".init.data"),
        ("xen_balloon_init_hook", ".data", "balloon_init", ".init.text"),
        ("", ".text", "0x10", ".exit.text"),
    ]
    assert ms[0].offset == "0x1a" and ms[0].module == "vmlinux"
    assert ms[2].offset == "0x40"
    assert len(ms) == 3  # the pre-6.x line has no "WARNING:" prefix: only warn() lines are read
    assert mc.mismatch_tuples("WARNING: modpost: nothing here\n") == []


def test_parse_modpost_old_format(mc: ModuleType) -> None:
    line = (
        "WARNING: vmlinux.o: section mismatch in reference: old_style() (section: .text)"
        " -> init_thing() (section: .init.text)"
    )
    assert mc.mismatch_tuples(line) == [("old_style", ".text", "init_thing", ".init.text")]


def test_new_mismatches_ignores_offsets_and_duplicates(mc: ModuleType) -> None:
    M = mc.Mismatch
    old = [M("vmlinux", "f", "0x1", ".text", "g", ".init.text")]
    new = [
        M("vmlinux", "f", "0x9", ".text", "g", ".init.text"),
        M("vmlinux", "h", "0x1", ".text", "g", ".init.text"),
        M("vmlinux", "h", "0x5", ".text", "g", ".init.text"),
    ]
    assert [m.key() for m in mc.new_mismatches(new, old)] == [("h", ".text", "g", ".init.text")]


FAKE = {
    "drivers/xen/a.c": "static int __init a_init(void)\n{\n\treturn 0;\n}\nsubsys_initcall(a_init);\n\nint x;\n",
    "arch/x86/xen/b.c": "void __init b_setup(void)\n{\n\tuse(b_data);\n}\n",
}


def _fake_tree(tmp_path: Path) -> tuple[Path, Path]:
    tree = tmp_path / "linux"
    for rel, text in FAKE.items():
        p = tree / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-al", str(tree), str(copy)], check=True)  # the script's own method
    return tree, copy


def _edits(mc: ModuleType) -> list:
    E = mc.Edit
    return [
        E(
            id="A",
            path="drivers/xen/a.c",
            anchor="subsys_initcall(a_init);\n",
            replacement="subsys_initcall(a_init);\n\nint (*a_hook)(void) = a_init;\n",
            what="",
            fromsym="a_hook",
            tosym="a_init",
            tosec=".init.text",
            rules=("HV303",),
            ref_text="int (*a_hook)(void) = a_init;",
        ),
        E(
            id="B",
            path="arch/x86/xen/b.c",
            anchor="void __init b_setup(void)",
            replacement="void b_setup(void)",
            what="",
            fromsym="b_setup",
            tosym="b_data",
            tosec=".init.data",
            rules=("HV301",),
            ref_text="use(b_data);",
        ),
    ]


def test_apply_edits_breaks_hard_links(mc: ModuleType, tmp_path: Path) -> None:
    tree, copy = _fake_tree(tmp_path)
    assert os.stat(tree / "drivers/xen/a.c").st_ino == os.stat(copy / "drivers/xen/a.c").st_ino
    applied = mc.apply_edits(str(copy), _edits(mc), str(tree))
    for rel, text in FAKE.items():
        assert (tree / rel).read_text() == text  # pristine untouched
        assert os.stat(tree / rel).st_ino != os.stat(copy / rel).st_ino
    assert "int (*a_hook)(void) = a_init;" in (copy / "drivers/xen/a.c").read_text()
    a, b = applied
    assert (a.line, a.end_line, a.old_end_line, a.delta, a.ref_line) == (5, 7, 5, 2, 7)
    assert (b.line, b.end_line, b.delta, b.ref_line) == (1, 1, 0, 3)


def test_apply_edits_missing_anchor_fails_before_writing(mc: ModuleType, tmp_path: Path) -> None:
    tree, copy = _fake_tree(tmp_path)
    bad = _edits(mc)[0]
    bad = mc.Edit(**{**bad.__dict__, "anchor": "not in the file"})
    with pytest.raises(mc.EditError, match="anchor text found 0 times"):
        mc.apply_edits(str(copy), [_edits(mc)[1], bad], str(tree))
    assert os.stat(tree / "arch/x86/xen/b.c").st_ino == os.stat(copy / "arch/x86/xen/b.c").st_ino


def test_apply_edits_refuses_pristine_tree(mc: ModuleType, tmp_path: Path) -> None:
    tree, _copy = _fake_tree(tmp_path)
    with pytest.raises(mc.EditError, match="inside the pristine tree"):
        mc.apply_edits(str(tree), _edits(mc)[:1], str(tree))
    assert (tree / "drivers/xen/a.c").read_text() == FAKE["drivers/xen/a.c"]


def test_map_line_and_new_findings(mc: ModuleType, tmp_path: Path) -> None:
    tree, copy = _fake_tree(tmp_path)
    applied = mc.apply_edits(str(copy), _edits(mc), str(tree))
    assert mc.map_line(applied, "drivers/xen/a.c", 3) == 3
    assert mc.map_line(applied, "drivers/xen/a.c", 5) == 5
    assert mc.map_line(applied, "drivers/xen/a.c", 7) is None  # added by the edit
    assert mc.map_line(applied, "drivers/xen/a.c", 9) == 7
    assert mc.map_line(applied, "other.c", 9) == 9
    pristine = [{"rule": "HV301", "path": "drivers/xen/a.c", "line": 7, "symbol": "x"}]
    copy_f = [
        {"rule": "HV301", "path": "drivers/xen/a.c", "line": 9, "symbol": "x"},  # the same, moved down
        {"rule": "HV303", "path": "drivers/xen/a.c", "line": 7, "symbol": "a_hook", "message": "a_init() ..."},
    ]
    assert mc.new_findings(copy_f, pristine, applied) == [copy_f[1]]


def test_matching(mc: ModuleType, tmp_path: Path) -> None:
    tree, copy = _fake_tree(tmp_path)
    a, b = mc.apply_edits(str(copy), _edits(mc), str(tree))
    M = mc.Mismatch
    exact = M("vmlinux", "a_hook", "0x0", ".data", "a_init", ".init.text")
    inlined = M("vmlinux", "caller_of_b", "0x4", ".text", "b_data", ".init.data")
    other = M("vmlinux", "zzz", "0x4", ".text", "yyy", ".init.data")
    assert mc.match_modpost(a, [exact, inlined, other])["status"] == "exact"
    rb = mc.match_modpost(b, [exact, inlined, other])
    assert rb["status"] == "related" and rb["related"][0]["fromsym"] == "caller_of_b"
    assert mc.match_modpost(b, [exact, other])["status"] == "missed"
    assert mc.explained_by(inlined, [a, b]) == "B" and mc.explained_by(other, [a, b]) is None

    at_line = {"rule": "HV303", "path": "drivers/xen/a.c", "line": 7, "symbol": "a_hook", "message": "a_init() x"}
    elsewhere = {"rule": "HV301", "path": "drivers/xen/a.c", "line": 2, "symbol": "a_hook", "message": "a_init"}
    wrong_file = {"rule": "HV301", "path": "arch/x86/xen/b.c", "line": 7, "symbol": "a_hook", "message": "a_init"}
    r = mc.match_hvlint(a, [at_line, elsewhere, wrong_file])
    assert r["status"] == "exact" and [f["line"] for f in r["findings"]] == [7, 2]
    assert r["rules"] == ["HV301", "HV303"] and r["rules_expected_missing"] == []
    assert mc.match_hvlint(a, [elsewhere])["status"] == "related"
    assert mc.match_hvlint(a, [elsewhere])["rules_expected_missing"] == ["HV303"]
    assert mc.match_hvlint(a, [wrong_file])["status"] == "missed"
    trace = {"rule": "HV302", "path": "arch/x86/xen/b.c", "line": 3, "symbol": "b_setup", "trace": []}
    assert mc.match_hvlint(b, [trace])["status"] == "related"  # names the source only


def test_edit_table_is_well_formed(mc: ModuleType) -> None:
    assert len(mc.EDITS) == 5
    assert len({e.id for e in mc.EDITS}) == 5 and len({e.path for e in mc.EDITS}) == 5
    for e in mc.EDITS:
        assert e.anchor != e.replacement and e.path.endswith(".c")
        assert e.ref_text and set(e.rules) <= set(mc.RULES)
        assert e.tosec.startswith((".init.", ".exit."))


@pytest.mark.skipif(not os.environ.get("HVLINT_LINUX_TREE"), reason="HVLINT_LINUX_TREE is not set")
def test_edit_anchors_found_in_real_tree(mc: ModuleType) -> None:
    root = os.environ["HVLINT_LINUX_TREE"]
    for e in mc.EDITS:
        with open(os.path.join(root, e.path), encoding="utf-8") as fh:
            mc.locate_edit(fh.read(), e)  # raises EditError when the anchor is not there exactly once
