"""Preprocessor conditions against a kernel .config (hvlint.kconfig)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hvlint.errors import HvlintError
from hvlint.kconfig import evaluate, load_config

CONFIG = {"CONFIG_X86_64": "y", "CONFIG_XEN": "y", "CONFIG_USB": "m", "CONFIG_NR_CPUS": "64", "CONFIG_64BIT": "y"}
DEFINES = {
    "BITS_PER_LONG": (("defined(CONFIG_64BIT)", "64"), ("!(defined(CONFIG_64BIT))", "32")),
    "HAVE_ARCH_BUG": (("", ""),),
    "__WARN_FLAGS": (("defined(CONFIG_GENERIC_BUG)", ""),),
}


@pytest.mark.parametrize(
    "cond, expected",
    [
        ("", True),
        ("defined(CONFIG_XEN)", True),
        ("defined CONFIG_XEN && !defined(CONFIG_X86_32)", True),
        ("!(defined(CONFIG_XEN))", False),
        ("defined(CONFIG_USB)", False),  # =m defines CONFIG_USB_MODULE, not CONFIG_USB
        ("defined(CONFIG_USB_MODULE)", True),
        ("IS_ENABLED(CONFIG_USB) && IS_MODULE(CONFIG_USB) && !IS_BUILTIN(CONFIG_USB)", True),
        ("IS_REACHABLE(CONFIG_USB)", None),  # depends on whether the user is a module
        ("CONFIG_NR_CPUS > 8 && CONFIG_NR_CPUS <= 64", True),
        ("CONFIG_PGTABLE_LEVELS == 5", False),  # unset options are 0
        ("defined(__WARN_FLAGS)", None),  # not a config option: cannot tell without the headers
        ("defined(CONFIG_XEN) || defined(__WARN_FLAGS)", True),
        ("defined(CONFIG_X86_32) && defined(__WARN_FLAGS)", False),
        ("some_macro(1, 2) && defined(CONFIG_XEN)", None),
        ("defined(CONFIG_XEN) ? 1 : 0", True),
        ("defined((", None),  # malformed: undecided, no exception
    ],
)
def test_evaluate_without_the_headers(cond: str, expected: bool | None) -> None:
    assert evaluate(cond, CONFIG) is expected


@pytest.mark.parametrize(
    "cond, local, expected",
    [
        ("BITS_PER_LONG == 64", None, True),
        ("!defined(HAVE_ARCH_BUG)", None, False),
        ("defined(__WARN_FLAGS)", None, False),  # its definition needs CONFIG_GENERIC_BUG
        ("defined(__i386__)", None, False),  # what GCC predefines for x86_64
        ("defined(DEBUG)", None, None),  # the file, unknown here, may define it
        ("defined(DEBUG)", frozenset(), False),  # the file does not: undefined
        ("defined(DEBUG)", frozenset({"DEBUG"}), None),
        ("defined(MODULE)", frozenset(), None),  # set on the command line for modules
    ],
)
def test_evaluate_with_the_headers_defines(cond: str, local: frozenset[str] | None, expected: bool | None) -> None:
    assert evaluate(cond, CONFIG, DEFINES, local=local) is expected


def test_load_config(tmp_path: Path) -> None:
    p = tmp_path / ".config"
    p.write_text('CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C="text"\nCONFIG_D=n\n')
    assert load_config(str(p)) == {"CONFIG_A": "y", "CONFIG_C": '"text"'}
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n")
    with pytest.raises(HvlintError, match="not a kernel .config"):
        load_config(str(bad))
    with pytest.raises(HvlintError, match="cannot read config"):
        load_config(str(tmp_path / "missing"))
