"""paravirt_enabled misuse (HV101-HV103): the context map, and the seed replayed on a copy
of the real tree (HVLINT_LINUX_TREE)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hvlint.cli import main
from hvlint.rules.paravirt import choose_context, data

TREE = os.environ.get("HVLINT_LINUX_TREE", "")
needs_tree = pytest.mark.skipif(
    not TREE or not os.path.isdir(TREE),
    reason="HVLINT_LINUX_TREE is not set: no real kernel tree to replay the seed on",
)


@pytest.mark.parametrize(
    "path, function, code, expected",
    [
        ("arch/x86/kernel/rtc.c", "add_rtc_cmos", "if (paravirt_enabled()) return -ENODEV;", "rtc"),
        ("arch/x86/kernel/head.c", "reserve_ebda_region", "if (paravirt_enabled()) return;", "ebda"),
        ("drivers/pnp/pnpbios/core.c", "pnpbios_init", "if (paravirt_enabled()) {", "pnpbios"),
        ("arch/x86/kernel/apm_32.c", "apm_init", "if (apm_info.bios.version == 0 || paravirt_enabled())", "apm"),
        ("arch/x86/kernel/tboot.c", "tboot_probe", "if (paravirt_enabled()) return;", "tboot"),
        (
            "arch/x86/kernel/cpu/microcode/core.c",
            "microcode_init",
            "if (paravirt_enabled() || dis_ucode_ldr)",
            "microcode",
        ),
        ("arch/x86/mm/dump_pagetables.c", "note_page", "if (paravirt_enabled())", "dump_pagetables"),
        ("arch/x86/kernel/cpu/common.c", "init_espfix_bsp", "if (paravirt_enabled())", "espfix"),
        ("arch/x86/xen/setup.c", "xen_arch_setup", "if (paravirt_enabled())", "xen-pv"),
        ("drivers/misc/foo.c", "foo_probe", "if (paravirt_enabled()) return;", None),
    ],
)
def test_context_map(path: str, function: str, code: str, expected: str | None) -> None:
    got = choose_context(path, function, code)
    assert (got.name if got else None) == expected
    assert all(c.action in ("replace", "delete") and c.upstream for c in data().contexts)


def _replace_in_copy(copy: Path, rel: str, old: str, new: str) -> None:
    p = copy / rel
    text = p.read_text(encoding="latin-1")
    assert text.count(old) == 1, f"{rel}: anchor not found once"
    p.unlink()  # break the hard link: the pristine tree is never written
    p.write_text(text.replace(old, new), encoding="latin-1")


@needs_tree
def test_seed_replayed_on_a_copy_of_the_real_tree(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    copy = tmp_path / "linux"
    subprocess.run(["cp", "-al", TREE, str(copy)], check=True)
    # the seed: the new guest type sets the flag, and the RTC code decides on it again
    _replace_in_copy(
        copy, "arch/x86/xen/enlighten_pvh.c", "\txen_pvh = 1;\n", "\txen_pvh = 1;\n\tpv_info.paravirt_enabled = 1;\n"
    )
    _replace_in_copy(
        copy,
        "arch/x86/kernel/rtc.c",
        "\tif (!x86_platform.legacy.rtc)\n\t\treturn -ENODEV;\n",
        "\tif (paravirt_enabled())\n\t\treturn -ENODEV;\n",
    )
    # and a hypervisor query in setup_arch() before init_hypervisor_platform()
    _replace_in_copy(
        copy,
        "arch/x86/kernel/setup.c",
        "\tinit_hypervisor_platform();\n",
        '\tif (hypervisor_is_type(X86_HYPER_KVM))\n\t\tpr_info("kvm\\n");\n\tinit_hypervisor_platform();\n',
    )
    code = main(["check", "--select", "HV1", "--format", "json", "--jobs", "2", str(copy)])
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    got = [(f["rule"], f["path"], f["message"]) for f in out["findings"]]
    assert code == 1
    assert sorted(g[:2] for g in got) == [
        ("HV101", "arch/x86/xen/enlighten_pvh.c"),
        ("HV102", "arch/x86/kernel/rtc.c"),
        ("HV103", "arch/x86/kernel/setup.c"),
    ], got
    hv102 = next(m for r, _, m in got if r == "HV102")
    assert "x86_platform.legacy.rtc" in hv102 and "add_rtc_cmos()" in hv102
    hv103 = next(f for f in out["findings"] if f["rule"] == "HV103")
    assert hv103["trace"][0]["symbol"] in ("startup_64", "startup_xen", "pvh_start_xen")
    assert hv103["trace"][-1]["symbol"] == "setup_arch"
    # the pristine tree reports none of them
    code = main(["check", "--select", "HV1", "--format", "json", "--jobs", "2", TREE])
    assert json.loads(capsys.readouterr().out)["findings"] == [] and code == 0


def test_pnpbios_context_on_the_fixture_tree(capsys: pytest.CaptureFixture[str]) -> None:
    # drivers/pnp is outside the default scope the corpus test lints: name the file, the tree
    # around it is the context
    tree = Path(__file__).resolve().parent.parent / "corpus" / "trees" / "paravirt-4.4"
    code = main(["check", "--select", "HV102", "--format", "json", str(tree / "drivers/pnp/pnpbios/core.c")])
    out = json.loads(capsys.readouterr().out)
    assert code == 1 and [(f["path"], f["line"]) for f in out["findings"]] == [("drivers/pnp/pnpbios/core.c", 29)]
    assert "arch_pnpbios_disabled()" in out["findings"][0]["message"]


def test_set_forms_and_what_is_not_a_use(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "guest.c"
    src.write_text(
        "struct pv_info { int paravirt_enabled; } pv_info;\n"
        "static const struct pv_info guest_info = { .paravirt_enabled = 1, };\n"  # 2: HV101
        "static const struct pv_info native_info = { .paravirt_enabled = 0, };\n"  # native default: fine
        "static inline int paravirt_enabled(void) { return pv_info.paravirt_enabled; }\n"  # the accessor
        "void guest_init(void)\n{\n"
        "\tpv_info.paravirt_enabled |= 1;\n"  # 7: HV101
        "\t/* paravirt_enabled() in a comment */\n"
        '\tprintk("pv_info.paravirt_enabled = 1");\n'
        "\tif (pv_info.paravirt_enabled == 1)\n"  # 10: HV102 (a read)
        "\t\treturn;\n}\n"
    )
    main(["check", "--select", "HV101,HV102", "--format", "json", str(src)])
    got = [(f["rule"], f["line"]) for f in json.loads(capsys.readouterr().out)["findings"]]
    assert got == [("HV101", 2), ("HV101", 7), ("HV102", 10)]
