"""Precise mode: libclang over the files a compile database lists (hvlint.frontend.clang),
the flags of a hostile database, and `hvlint crosscheck`.

The fixture tree is corpus/precise; its compile_commands.json is written here (a database
holds absolute paths).  Marks in its files: `/* precise: HV301 */` is a finding with the
database, `/* tree-sitter: HV301 */` one without it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hvlint.errors import HvlintError
from hvlint.frontend.clang import Command, available, load_database, parse, sanitize

FIXTURE = Path(__file__).resolve().parent.parent / "corpus" / "precise"
MARK = re.compile(r"/\*\s*(precise|tree-sitter):\s*(HV\d{3}(?:\s+HV\d{3})*)\s*\*/")
needs_libclang = pytest.mark.skipif(available() is not None, reason=f"{available()}")

PVH_ARGS = [
    "gcc",
    "-nostdinc",
    "-I",
    "include",
    "-Iarch/x86/include",
    "-DCONFIG_XEN_PVH=1",
    "-D__KERNEL__",
    "-fconserve-stack",
    "-mrecord-mcount",
    "-Wp,-MMD,arch/x86/xen/.pvh.o.d",
    "-c",
    "-o",
    "arch/x86/xen/pvh.o",
    "arch/x86/xen/pvh.c",
]


def _hostile(tree: Path) -> str:
    """evil.c's command: a plugin three ways, a response file, paths outside the tree, a
    toolchain of the tree's choosing, output files."""
    so = tree / "evil.so"
    return (
        f"gcc -fplugin={so} -fplugin-arg-evil-x=1 -Xclang -load -Xclang {so} -fpass-plugin={so} "
        f"@{tree}/rsp.txt -I/etc -include /etc/passwd -B/usr/lib --gcc-toolchain=/opt "
        "-MF dep.d -o /tmp/evil.o -fmodule-map-file=/etc/x.modulemap -ftime-trace=/tmp/trace.json "
        "-fcrash-diagnostics-dir=/tmp -iwithprefix/etc -mllvm -some-backend-option -c arch/x86/xen/evil.c"
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    t = tmp_path / "linux"
    shutil.copytree(FIXTURE, t)
    (t / "rsp.txt").write_text("-DFROM_RESPONSE_FILE\n")
    db = [
        {"directory": str(t), "file": "arch/x86/xen/pvh.c", "arguments": PVH_ARGS},
        {"directory": str(t), "file": str(t / "arch/x86/xen/evil.c"), "command": _hostile(t)},
        {"directory": str(t), "file": "/usr/include/stdio.h", "command": "gcc -c /usr/include/stdio.h"},
    ]
    (t / "compile_commands.json").write_text(json.dumps(db, indent=1))
    return t


def _hvlint(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hvlint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def _marks(tree: Path, which: str) -> set[tuple[str, int, str]]:
    out = set()
    for p in sorted(tree.rglob("*.c")):
        for n, line in enumerate(p.read_text().splitlines(), 1):
            for m in MARK.finditer(line):
                if m.group(1) == which:
                    out |= {(p.relative_to(tree).as_posix(), n, r) for r in m.group(2).split()}
    return out


def _found(stdout: str) -> set[tuple[str, int, str]]:
    d = json.loads(stdout)
    return {(f["path"], f["line"], f["rule"]) for f in d["findings"]}


# -- sanitizing a hostile command (no libclang needed) ------------------------------------------


def test_sanitize_drops_every_flag_that_loads_code_or_leaves_the_tree(tree: Path) -> None:
    import shlex

    cmd = sanitize(shlex.split(_hostile(tree)), str(tree), "arch/x86/xen/evil.c", [str(tree)])
    assert cmd.path == "arch/x86/xen/evil.c"
    joined = " ".join(cmd.args)
    for bad in (
        "plugin",
        "evil.so",
        "-load",
        "rsp.txt",
        "/etc",
        "/usr/lib",
        "/opt",
        "dep.d",
        "evil.o",
        "gcc",
        "/tmp",
        "llvm",
    ):
        assert bad not in joined, (bad, cmd.args)
    reasons = {why for _, why in cmd.dropped}
    assert reasons == {
        "loads code (plugin)",
        "response file",
        "path outside the tree and the build folder",
        "chooses a toolchain",
        "output or dependency file",
        "not needed to parse (only known flags are passed)",
    }
    assert sorted(f for f, why in cmd.dropped if why.startswith("not needed")) == [
        "-fcrash-diagnostics-dir=/tmp",
        "-fmodule-map-file=/etc/x.modulemap",
        "-ftime-trace=/tmp/trace.json",
        "-iwithprefix/etc",
        "-mllvm",
        "-some-backend-option",
    ]
    dropped = [flag for flag, _ in cmd.dropped]
    assert f"-Xclang -load {tree}/evil.so" in dropped
    assert sum(why == "loads code (plugin)" for _, why in cmd.dropped) == 4


def test_sanitize_keeps_include_paths_in_the_tree_and_the_build_folder(tmp_path: Path) -> None:
    tree, build = tmp_path / "src", tmp_path / "out"
    (tree / "include").mkdir(parents=True)
    (build / "include/generated").mkdir(parents=True)
    argv = ["gcc", f"-I{tree}/include", "-I./include/generated", "-I", "../elsewhere", "-DX=1", "-O2", "-Wall"]
    argv += ["-fconserve-stack", "-std=gnu11", "-c", f"{tree}/a.c"]
    cmd = sanitize(argv, str(build), f"{tree}/a.c", [str(tree), str(build)])
    assert cmd.args == ("-I", f"{tree}/include", "-I", f"{build}/include/generated", "-DX=1", "-std=gnu11")
    assert ("-I ../elsewhere", "path outside the tree and the build folder") in cmd.dropped
    assert ("-fconserve-stack", "GCC-only flag clang rejects") in cmd.dropped
    assert cmd.path == "a.c"


def test_database_entries_outside_the_tree_are_skipped_and_bad_databases_are_one_line_errors(
    tree: Path, tmp_path: Path
) -> None:
    db = load_database(str(tree / "compile_commands.json"), str(tree))
    assert sorted(db.commands) == ["arch/x86/xen/evil.c", "arch/x86/xen/pvh.c"]
    assert db.skipped == [("/usr/include/stdio.h", "file outside the tree")]
    for text, why in (("{", "not a compile database (JSON"), ('{"a": 1}', "a JSON list of entries")):
        bad = tmp_path / "bad.json"
        bad.write_text(text)
        with pytest.raises(HvlintError, match=re.escape(why)):
            load_database(str(bad), str(tree))
    with pytest.raises(HvlintError, match="cannot read the compile database"):
        load_database(str(tmp_path / "missing.json"), str(tree))
    r = _hvlint("--compile-commands", str(tmp_path / "missing.json"), str(tree))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


# -- libclang -----------------------------------------------------------------------------------


@needs_libclang
def test_precise_findings_follow_the_configuration_and_macro_made_definitions(tree: Path) -> None:
    plain = _hvlint("--format", "json", "--no-compile-commands", str(tree))
    assert _found(plain.stdout) == _marks(tree, "tree-sitter"), plain.stderr
    r = _hvlint("--format", "json", "-v", str(tree))  # compile_commands.json at the root: found
    assert _found(r.stdout) == _marks(tree, "precise"), r.stderr
    assert json.loads(r.stdout)["stats"]["front_ends"] == {"libclang": 2, "tree-sitter": 4}
    assert "front_ends" not in json.loads(plain.stdout)["stats"]
    assert "precise mode: 2 files from libclang, 4 from tree-sitter" in r.stderr
    assert "dropped 4 flags: loads code (plugin)" in r.stderr
    assert "dropped 2 flags: GCC-only flag clang rejects: -fconserve-stack, -mrecord-mcount" in r.stderr


@needs_libclang
def test_precise_graph_has_the_real_sections_and_the_macro_made_symbols(tree: Path) -> None:
    r = _hvlint("callgraph", "--format", "json", "--compile-commands", str(tree / "compile_commands.json"), str(tree))
    assert r.returncode == 0, r.stderr
    g = json.loads(r.stdout)
    nodes = {n["id"]: n for n in g["nodes"]}
    assert nodes["arch/x86/xen/pvh.c::pvh_probe"]["section"] == ".init.text"  # __pvh_init under CONFIG_XEN_PVH
    assert nodes["arch/x86/xen/pvh.c::board_setup"]["section"] == ".init.text"  # DEFINE_SETUP(board)
    edges = {(e["source"], e["target"]) for e in g["edges"]}
    assert ("arch/x86/xen/pvh.c::pvh_runtime", "arch/x86/xen/pvh.c::board_setup") in edges
    assert ("arch/x86/xen/pvh.c::__initcall_early_helper", "arch/x86/xen/pvh.c::early_helper") in edges
    # calls through a struct member reach what is assigned to that struct's member only
    typed = {
        (e["source"].split("::")[1], e["target"].split("::")[1], e.get("through")) for e in g["edges"] if "via" in e
    }
    assert ("pvh_only_pvh_ops", "pvh_probe", "pvh_ops.probe") in typed
    assert not any(s == "pvh_only_pvh_ops" and t == "other_probe" for s, t, _ in typed)
    assert ("pvh_through_ops", "other_probe", "other_ops.probe") in typed


@needs_libclang
def test_crosscheck_lists_the_disagreements_by_kind(tree: Path) -> None:
    r = _hvlint("crosscheck", "--format", "json", str(tree))
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["counts"]["section"] == 1
    assert d["counts"]["only-libclang-symbol"] == 2
    assert [(m["caller"], m["through"]) for m in d["member_calls"]] == [
        ("pvh_through_ops", "other_ops.probe"),
        ("pvh_through_ops", "pvh_ops.probe"),
        ("pvh_only_pvh_ops", "pvh_ops.probe"),
    ]
    got = {(x["kind"], x["symbol"]) for x in d["disagreements"]}
    assert got == {
        ("section", "pvh_probe"),
        ("only-libclang-symbol", "board_setup"),
        ("only-libclang-symbol", "__initcall_early_helper"),
        # p->probe() with p a struct pvh_ops *: tree-sitter, by the member's name, reaches other_probe too
        ("only-tree-sitter-edge", "pvh_only_pvh_ops"),
    }
    text = _hvlint("crosscheck", str(tree)).stdout
    assert "arch/x86/xen/pvh.c:25: section: pvh_probe: tree-sitter .text, libclang .init.text" in text


@needs_libclang
def test_a_plugin_named_by_the_database_is_never_loaded(tree: Path, tmp_path: Path) -> None:
    """With a real shared object whose constructor leaves a mark: hvlint's sanitizing drops
    the flags (the libclang wheel's own driver ignores them too, so this guards hvlint
    against a libclang that would not)."""
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler to build the plugin with")
    src = tmp_path / "evil.c"
    src.write_text(
        "#include <stdio.h>\n#include <stdlib.h>\n__attribute__((constructor)) static void pwn(void)"
        '{ const char *p = getenv("HVLINT_PWNED"); FILE *f = p ? fopen(p, "w") : 0; if (f) fclose(f); }\n'
    )
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(tree / "evil.so"), str(src)], check=True)
    mark = tmp_path / "PWNED"
    r = _hvlint("--no-cache", str(tree), env={"HVLINT_PWNED": str(mark)})
    assert "precise mode: 2 files from libclang" in r.stderr, r.stderr
    assert not mark.exists()


@needs_libclang
def test_a_file_libclang_cannot_parse_falls_back_to_tree_sitter(tree: Path) -> None:
    view = parse(str(tree), Command("arch/x86/xen/gone.c", str(tree), ()))
    assert view.failed is not None and view.decls == ()
    os.unlink(tree / "arch/x86/xen/evil.c")  # listed in the database, gone from the tree
    r = _hvlint("--format", "json", str(tree))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "precise mode: 1 files from libclang" in r.stderr
    assert _found(r.stdout) == _marks(tree, "precise")


def test_precise_mode_asked_for_without_a_database_is_a_one_line_error(tmp_path: Path) -> None:
    t = tmp_path / "linux"
    shutil.copytree(FIXTURE, t)
    r = _hvlint("--build-dir", str(tmp_path), str(t))
    assert r.returncode == 2 and "no compile_commands.json in" in r.stderr and "Traceback" not in r.stderr
    r = _hvlint(str(t))  # none found, none asked for: tree-sitter, as always
    assert r.returncode == 1 and "precise mode" not in r.stderr


@needs_libclang
def test_libclang_views_are_kept_while_every_file_the_parse_read_is_unchanged(tree: Path) -> None:
    first = _hvlint("--format", "json", str(tree))
    assert "views from the cache" not in first.stderr, first.stderr
    again = _hvlint("--format", "json", str(tree))
    assert "2 libclang views from the cache" in again.stderr
    assert _found(again.stdout) == _found(first.stdout) == _marks(tree, "precise")
    # a header pvh.c includes changes: its view is parsed again (evil.c includes nothing)
    header = tree / "include/linux/init.h"
    header.write_text(header.read_text().replace('__section(".init.text")', '__section(".init.text") '))
    later = _hvlint("--format", "json", str(tree))
    assert "1 libclang views from the cache" in later.stderr, later.stderr
    # and a header edit that changes what the compiler sees changes the findings
    header.write_text(header.read_text().replace("#define __init\t\t__section", "#define __init_was\t__section"))
    header.write_text(header.read_text() + "#define __init\n")
    gone = _hvlint("--format", "json", str(tree))
    assert not {f for f in _found(gone.stdout) if f[2] == "HV301"}, gone.stdout


def test_a_database_found_without_libclang_is_a_note_not_an_error(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hvlint import cli
    from hvlint.frontend import clang

    monkeypatch.setattr(clang, "available", lambda: "libclang is not available (ImportError: test)")
    assert cli.main(["check", "--jobs", "1", str(tree)]) == 1
    err = capsys.readouterr().err
    assert "compile_commands.json is not used: libclang is not available" in err
    assert "precise mode" not in err
    assert cli.main(["check", "--jobs", "1", "--build-dir", str(tree), str(tree)]) == 2
    assert "hvlint: error: libclang is not available" in capsys.readouterr().err


@needs_libclang
def test_a_libclang_parse_past_the_file_timeout_is_left_behind(tree: Path) -> None:
    """libclang runs in C, out of reach of the alarm that bounds tree-sitter's parse: it gets
    a thread of its own, and a view that says why when it takes longer (the file then falls
    back to tree-sitter, as in the test above)."""
    from hvlint.precise import _parse_one

    db = load_database(str(tree / "compile_commands.json"), str(tree))
    slow = _parse_one((str(tree), db.commands["arch/x86/xen/pvh.c"], 0.0001))
    assert slow.failed == "libclang took over 0.0001 s: not parsed (see --file-timeout)"
    ok = _parse_one((str(tree), db.commands["arch/x86/xen/pvh.c"], 60.0))
    assert ok.failed is None and any(d.name == "board_setup" for d in ok.decls)
