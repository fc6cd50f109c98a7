/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Not 4.4: 4.4 had `x86_hyper`, a pointer to the detected struct hypervisor_x86.
 * x86_hyper_type and hypervisor_is_type() are the 4.15 interface, back-ported
 * here so that HV103 has something to find.
 */
#ifndef _ASM_X86_HYPERVISOR_H
#define _ASM_X86_HYPERVISOR_H

#include <linux/init.h>

enum x86_hypervisor_type {
	X86_HYPER_NATIVE = 0,
	X86_HYPER_VMWARE,
	X86_HYPER_MS_HYPERV,
	X86_HYPER_XEN_PV,
	X86_HYPER_XEN_HVM,
	X86_HYPER_KVM,
};

struct hypervisor_x86 {
	const char *name;
	unsigned int (*detect)(void);
	enum x86_hypervisor_type type;
	void (*init_platform)(void);
};

extern enum x86_hypervisor_type x86_hyper_type;
extern void __init init_hypervisor_platform(void);

/* Only meaningful once init_hypervisor_platform() has run. */
static inline bool hypervisor_is_type(enum x86_hypervisor_type type)
{
	return x86_hyper_type == type;
}

#endif /* _ASM_X86_HYPERVISOR_H */
