/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ARCH_X86_CPU_H
#define ARCH_X86_CPU_H

#include <linux/compiler_attributes.h>

struct cpuinfo_x86 {
	unsigned char x86;		/* CPU family */
	unsigned char x86_vendor;	/* CPU vendor */
	unsigned char x86_model;
};

struct cpu_dev {
	const char *c_vendor;
	void (*c_init)(struct cpuinfo_x86 *);
};

#define cpu_dev_register(cpu_devX) \
	static const struct cpu_dev *const __cpu_dev_##cpu_devX __used \
	__section(".x86_cpu_dev.init") = &cpu_devX;

#define X86_BUG_F00F		0
#define X86_BUG_ESPFIX		9

extern void set_cpu_bug(struct cpuinfo_x86 *c, int bug);
extern void clear_cpu_bug(struct cpuinfo_x86 *c, int bug);

#endif /* ARCH_X86_CPU_H */
