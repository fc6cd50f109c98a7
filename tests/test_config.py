""".hvlint.toml / [tool.hvlint]: found upward from the linted path, flags win, bad keys are
one clear error."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hvlint import config
from hvlint.cli import main
from hvlint.errors import HvlintError

SRC = 'int a __attribute__((section(".data")));\nstatic const int t[] __attribute__((section(".init.data"))) = { 1 };\n'


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[tuple[str, str, int]], str]:
    code = main(["check", "--format", "json", *args])
    out, err = capsys.readouterr()
    if code == 2:
        return code, [], err
    return code, [(f["rule"], f["severity"], f["line"]) for f in json.loads(out)["findings"]], err


def test_config_found_upward_and_flags_win(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    src = tmp_path / "sub" / "x.c"
    src.write_text(SRC)
    _, base, _ = lint(capsys, str(src))
    assert base == [("HV201", "warning", 1), ("HV201", "warning", 2), ("HV203", "warning", 2)]
    (tmp_path / ".hvlint.toml").write_text('[severity]\nHV201 = "error"\n[per-file-ignores]\n"*.c" = ["HV203"]\n')
    _, got, _ = lint(capsys, str(src))
    assert got == [("HV201", "error", 1), ("HV201", "error", 2)]
    _, got, _ = lint(capsys, "--isolated", str(src))
    assert got == base
    _, got, _ = lint(capsys, "--select", "HV203", str(src))  # the flag picks the rules, the file's ignores stay
    assert got == []
    (tmp_path / ".hvlint.toml").unlink()
    (tmp_path / "pyproject.toml").write_text('[tool.hvlint]\nselect = ["HV203"]\n')
    _, got, _ = lint(capsys, str(src))
    assert got == [("HV203", "warning", 2)]


@pytest.mark.parametrize(
    "text, words",
    [
        ("selct = []\n", "unknown key"),
        ('select = "HV2"\n', "must be a list"),
        ('scope = "some"\n', "default"),
        ('[severity]\nHV201 = "fatal"\n', "error"),
        ('ignore = ["HV999"]\n', "unknown rule"),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_bad_config_is_one_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, words: str
) -> None:
    (tmp_path / ".hvlint.toml").write_text(text)
    (tmp_path / "x.c").write_text(SRC)
    code, _, err = lint(capsys, str(tmp_path / "x.c"))
    assert code == 2 and words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


# -- the configuration's additions to the tree's data ------------------------------------


def _copy(tree: str, tmp_path: Path) -> Path:
    import shutil

    dst = tmp_path / "linux"
    shutil.copytree(Path(__file__).resolve().parent.parent / "corpus" / "trees" / tree, dst)
    return dst


def test_section_macros_from_the_configuration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A section macro defined where hvlint does not read (a driver's private header, or a
    generated one): declared in .hvlint.toml, hvlint knows what it places and where."""
    tree = _copy("patch-review", tmp_path)
    (tree / "drivers" / "xen" / "private.c").write_text(
        "// SPDX-License-Identifier: GPL-2.0\n"
        '#include "private.h"\n'
        "static int xen_boot_cookie __xen_initdata;\n"
        "int xen_cookie(void)\n{\n\treturn xen_boot_cookie;\n}\n"
        "EXPORT_SYMBOL(xen_cookie);\n"
    )
    args = ["--format", "json", "-q", "--select", "HV3", str(tree)]
    assert main(args) == 0  # unknown macro: no section, nothing to say
    capsys.readouterr()
    (tree / ".hvlint.toml").write_text('[section-macros]\n__xen_initdata = ".init.data"\n')
    assert main(args) == 1
    found = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["rule"], f["path"], f["line"]) for f in found] == [("HV301", "drivers/xen/private.c", 6)]
    assert "xen_boot_cookie" in found[0]["message"] and ".init.data" in found[0]["message"]


def test_entry_points_from_the_configuration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A boot entry the shipped boot-order data does not know: its path is walked too."""
    tree = _copy("boot-bss", tmp_path)
    (tree / "arch" / "x86" / "platform" / "foo").mkdir(parents=True)
    (tree / "arch" / "x86" / "platform" / "foo" / "foo.c").write_text(
        "// SPDX-License-Identifier: GPL-2.0\n"
        "#include <linux/init.h>\n"
        "extern void x86_64_start_kernel(char *real_mode_data);\n"
        "static unsigned long foo_boot_magic;\n"
        "void __init foo_start(char *data)\n{\n"
        "\tfoo_boot_magic = 0xf00;\n"
        "\tx86_64_start_kernel(data);\n}\n"
    )
    args = ["--format", "json", "-q", "--select", "HV306", str(tree)]
    main(args)
    before = {(f["path"], f["line"]) for f in json.loads(capsys.readouterr().out)["findings"]}
    assert ("arch/x86/platform/foo/foo.c", 7) not in before
    (tree / ".hvlint.toml").write_text(
        "[[entry-points]]\n"
        'name = "foo"\n'
        'entry = "foo_start"\n'
        'file = "arch/x86/platform/foo/foo.c"\n'
        'clears-in = "x86_64_start_kernel"\n'
        'clears-in-file = "arch/x86/kernel/head64.c"\n'
        'clear = "clear_bss"\n'
    )
    main(args)
    found = json.loads(capsys.readouterr().out)["findings"]
    new = [f for f in found if (f["path"], f["line"]) not in before]
    assert [(f["rule"], f["path"], f["line"]) for f in new] == [("HV306", "arch/x86/platform/foo/foo.c", 7)]
    assert "on the foo boot path" in new[0]["message"]
    assert [t["symbol"] for t in new[0]["trace"]] == ["foo_start"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[section-macros]\n"not a name" = ".data"\n', "must map a macro name to a section name"),
        ("[section-macros]\n__x = 3\n", "must map a macro name to a section name"),
        ('[section-macros]\n__x = "data"\n', "must map a macro name to a section name"),
        ('entry-points = "startup"\n', "must be an array of tables"),
        ('[[entry-points]]\nname = "x"\nentry = "a"\nfile = "a.c"\n', "entry-points.[0].clears-in'"),
        (
            '[[entry-points]]\nname = "x"\nentry = "a"\nfile = "../a.c"\nclears-in = "b"\n'
            'clears-in-file = "b.c"\nclear = "c"\n',
            "must be a path relative to the tree root",
        ),
        (
            '[[entry-points]]\nname = "pvh"\nentry = "a"\nfile = "a.c"\nclears-in = "b"\n'
            'clears-in-file = "b.c"\nclear = "c"\n',
            "boot path names must be unique",
        ),
        ('[[entry-points]]\nname = "x"\nbogus = 1\n', "unknown key"),
    ],
)
def test_bad_additions(tmp_path: Path, text: str, message: str) -> None:
    p = tmp_path / ".hvlint.toml"
    p.write_text(text)
    with pytest.raises(HvlintError, match=re.escape(message)):
        config.load(str(p))
