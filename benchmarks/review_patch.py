"""A realistic 10-file patch against Linux 6.12's arch/x86/xen, as a `git format-patch` mail,
for timing and testing `hvlint --patch` on the real tree.

    python benchmarks/review_patch.py TREE > xen-10-files.patch
    hvlint --patch xen-10-files.patch TREE

Three files get changes hvlint must report, seven only comment edits it must not:

* enlighten.c: `__init` added to xen_vcpu_info_reset(), which runtime code in other files
  (CPU hotplug, resume) still calls: HV301/HV302 *outside* the patch's lines;
* enlighten_pvh.c: a hand-spelled `.data` section (HV201) and `pv_info.paravirt_enabled = 1`,
  the 2016 review's complaint (HV101), on added lines;
* setup.c: const data in `__initdata` (HV203) on an added line.

EXPECTED lists what must be reported on the added lines; the edits are plain text
replacements, checked to apply to 6.12.
"""

from __future__ import annotations

import difflib
import os
import sys

# (path, old text, new text): each old text must occur once in the 6.12 file.
EDITS: list[tuple[str, str, str]] = [
    (
        "arch/x86/xen/enlighten.c",
        "\nvoid xen_vcpu_info_reset(int cpu)\n",
        "\nvoid __init xen_vcpu_info_reset(int cpu)\n",
    ),
    (
        "arch/x86/xen/enlighten_pvh.c",
        '#include "xen-ops.h"\n',
        '#include "xen-ops.h"\n\n'
        "/* The flags the PVH entry point saw, for the boot log. */\n"
        'static unsigned long pvh_boot_flags __attribute__((section(".data")));\n',
    ),
    (
        "arch/x86/xen/enlighten_pvh.c",
        "void __init xen_pvh_init(struct boot_params *boot_params)\n{\n",
        "void __init xen_pvh_init(struct boot_params *boot_params)\n{\n"
        "\tpv_info.paravirt_enabled = 1;\n"
        "\tpvh_boot_flags = boot_params->hdr.loadflags;\n",
    ),
    (
        "arch/x86/xen/setup.c",
        '#include "xen-ops.h"\n',
        '#include "xen-ops.h"\n\nstatic const char xen_setup_banner[] __initdata = "Xen: memory setup";\n',
    ),
    ("arch/x86/xen/mmu_pv.c", " * Xen mmu operations\n", " * Xen MMU operations for PV guests\n"),
    (
        "arch/x86/xen/irq.c",
        " * Force a proper event-channel callback from Xen after clearing the\n",
        " * Force a proper event-channel callback from Xen after having cleared the\n",
    ),
    ("arch/x86/xen/smp.c", " * Reschedule call back.\n", " * Reschedule callback.\n"),
    (
        "arch/x86/xen/p2m.c",
        " * Xen leaves the responsibility for maintaining p2m mappings to the\n",
        " * Xen leaves the responsibility for maintaining the p2m mappings to the\n",
    ),
    (
        "arch/x86/xen/spinlock.c",
        " * Split spinlock implementation out into its own file, so it can be\n",
        " * Split the spinlock implementation out into its own file, so it can be\n",
    ),
    (
        "arch/x86/xen/efi.c",
        " * Determine whether we're in secure boot mode.\n",
        " * Determine whether we are in secure boot mode.\n",
    ),
    ("arch/x86/xen/multicalls.c", " * Xen hypercall batching.\n", " * Xen hypercall batching (multicalls).\n"),
]

# (rule, path, text of the added line it is on)
EXPECTED = [
    ("HV201", "arch/x86/xen/enlighten_pvh.c", 'static unsigned long pvh_boot_flags __attribute__((section(".data")));'),
    ("HV101", "arch/x86/xen/enlighten_pvh.c", "\tpv_info.paravirt_enabled = 1;"),
    ("HV203", "arch/x86/xen/setup.c", 'static const char xen_setup_banner[] __initdata = "Xen: memory setup";'),
    ("HV302", "arch/x86/xen/enlighten.c", "void __init xen_vcpu_info_reset(int cpu)"),
]


def files_changed() -> list[str]:
    return sorted({p for p, _, _ in EDITS})


def make(tree: str) -> str:
    """The patch as a mail, as `git format-patch` writes it."""
    texts: dict[str, tuple[str, str]] = {}
    for path, old, new in EDITS:
        if path not in texts:
            with open(os.path.join(tree, path), encoding="utf-8") as fh:
                text = fh.read()
            texts[path] = (text, text)
        before, after = texts[path]
        if after.count(old) != 1:
            raise SystemExit(f"{path}: the edit's text occurs {after.count(old)} times (not Linux 6.12?)")
        texts[path] = (before, after.replace(old, new))
    diffs = []
    for path in sorted(texts):
        before, after = texts[path]
        body = "".join(
            difflib.unified_diff(
                before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}"
            )
        )
        diffs.append(f"diff --git a/{path} b/{path}\n{body}")
    return (
        "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n"
        "From: Ada Dev <ada@example.org>\n"
        "Date: Wed, 25 Nov 2026 12:00:00 +0000\n"
        "Subject: [PATCH] x86/xen: PVH boot flags, a setup banner and comment fixes\n"
        "Message-Id: <20261125120000.1-ada@example.org>\n"
        "To: xen-devel@lists.xenproject.org\n"
        "\n"
        "Record the PVH boot flags, tell the kernel it runs paravirtualized,\n"
        "keep xen_vcpu_info_reset() in .init.text and tidy a few comments.\n"
        "\n"
        "Signed-off-by: Ada Dev <ada@example.org>\n"
        "---\n" + "".join(diffs) + "-- \n2.39.5\n"
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    sys.stdout.write(make(sys.argv[1]))
