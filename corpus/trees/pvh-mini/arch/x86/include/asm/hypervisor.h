/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _ASM_X86_HYPERVISOR_H
#define _ASM_X86_HYPERVISOR_H

#include <linux/init.h>

/* x86 hypervisor types */
enum x86_hypervisor_type {
	X86_HYPER_NATIVE = 0,
	X86_HYPER_XEN_PV,
	X86_HYPER_XEN_HVM,
	X86_HYPER_KVM,
};

struct x86_hyper_init {
	void (*init_platform)(void);
	void (*guest_late_init)(void);
};

struct hypervisor_x86 {
	/* Hypervisor name */
	const char *name;

	/* Detection routine */
	uint32_t (*detect)(void);

	/* Hypervisor type */
	enum x86_hypervisor_type type;

	/* init time callbacks */
	struct x86_hyper_init init;
};

extern const struct hypervisor_x86 x86_hyper_xen_pv;
extern const struct hypervisor_x86 x86_hyper_xen_hvm;

extern enum x86_hypervisor_type x86_hyper_type;
extern void __init init_hypervisor_platform(void);

/* Only meaningful once init_hypervisor_platform() has run. */
static inline bool hypervisor_is_type(enum x86_hypervisor_type type)
{
	return x86_hyper_type == type;
}

#endif /* _ASM_X86_HYPERVISOR_H */
