// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>

#include <asm/paravirt.h>

#include "cpu.h"

extern void printk(const char *fmt, ...);
extern void early_init_intel_cache(struct cpuinfo_x86 *c);

static void intel_workarounds(struct cpuinfo_x86 *c)
{
#ifdef CONFIG_X86_F00F_BUG
	/*
	 * All models of Pentium and Pentium with MMX technology CPUs have
	 * the F0 0F bug, which lets nonprivileged users lock up the system.
	 * Announce that the fault handler will be checking for it.  The
	 * Quark is also family 5, but does not have the same bug.
	 */
	clear_cpu_bug(c, X86_BUG_F00F);
	if (!paravirt_enabled() && c->x86 == 5 && c->x86_model < 9) { /* expect: HV102 */
		static int f00f_workaround_enabled;

		set_cpu_bug(c, X86_BUG_F00F);
		if (!f00f_workaround_enabled) {
			printk("Intel Pentium with F0 0F bug - workaround enabled.\n");
			f00f_workaround_enabled = 1;
		}
	}
#endif
}

static void init_intel(struct cpuinfo_x86 *c)
{
	early_init_intel_cache(c);
	intel_workarounds(c);
}

static const struct cpu_dev intel_cpu_dev = {
	.c_vendor	= "Intel",
	.c_init		= init_intel,
};

cpu_dev_register(intel_cpu_dev);
