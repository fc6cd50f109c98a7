// SPDX-License-Identifier: GPL-2.0
/*
 * Core of the Xen paravirt ops implementation (reduced).
 *
 * This file contains the xen_paravirt_ops structure itself, and the
 * implementations for the Xen PV and, under CONFIG_XEN_PVH, the early
 * HVMlite boot path.
 */
#include <linux/init.h>
#include <linux/linkage.h>

#include <xen/xen.h>

#include <asm/paravirt.h>

enum xen_domain_type xen_domain_type = XEN_NATIVE;

struct start_info;
extern struct start_info *xen_start_info;
extern void xen_setup_features(void);
extern void xen_init_cpuid_mask(void);
extern void x86_64_start_reservations(char *real_mode_data);
extern char *xen_boot_params_pa(void);

static const struct pv_info xen_info __initconst = {
	.paravirt_enabled = 1, /* expect: HV101 */
	.shared_kernel_pmd = 0,
#ifdef CONFIG_X86_64
	.extra_user_64bit_cs = 0xe033,	/* FLAT_USER_CS64 */
#endif
	.name = "Xen",
};

/* First C function to be called on Xen boot */
asmlinkage __visible void __init xen_start_kernel(void)
{
	if (!xen_start_info)
		return;

	xen_domain_type = XEN_PV_DOMAIN;

	xen_setup_features();

	/* Install Xen paravirt ops */
	pv_info = xen_info;

	xen_init_cpuid_mask();

	x86_64_start_reservations(xen_boot_params_pa());
}

#ifdef CONFIG_XEN_PVH
/*
 * Called from the HVMlite entry code before startup_64, in the style of the
 * 2016 HVMlite series: an HVMlite guest has no legacy PC devices, so it
 * borrowed the PV guest's flag to turn off their probing.
 */
void __init xen_prepare_hvmlite(void)
{
	xen_domain_type = XEN_HVM_DOMAIN;
	pv_info.name = "Xen HVMlite";
	pv_info.paravirt_enabled = 1; /* expect: HV101 */
}
#endif
