// SPDX-License-Identifier: GPL-2.0
/*
 * Core of the Xen paravirt (PV) guest: the hypervisor starts a PV guest at
 * xen_start_kernel with a start_info page instead of boot_params.
 */
#include <linux/init.h>
#include <linux/cache.h>
#include <linux/linkage.h>

#include <xen/xen.h>

#include <asm/hypervisor.h>
#include <asm/setup.h>

enum xen_domain_type xen_domain_type __read_mostly = XEN_NATIVE;

/* Set by xen_start_kernel before .bss is cleared. */
struct start_info *xen_start_info __section(".data");

/*
 * Points at a dummy until the real shared_info page is mapped: reads must work
 * that early, so it cannot be in .bss.
 */
static struct shared_info xen_dummy_shared_info __attribute__((__section__(".bss..page_aligned"), __aligned__(4096))); /* expect: HV201 HV202 */
struct shared_info *HYPERVISOR_shared_info __section(".data..read_mostly") = &xen_dummy_shared_info; /* expect: HV202 */

static uint32_t __init xen_platform_pv(void)
{
	if (xen_pv_domain())
		return xen_cpuid_base();

	return 0;
}

static void __init xen_pv_init_platform(void)
{
	/* Nothing to do before the shared_info page is mapped. */
}

const __initconst struct hypervisor_x86 x86_hyper_xen_pv = {
	.name			= "Xen PV",
	.detect			= xen_platform_pv,
	.type			= X86_HYPER_XEN_PV,
	.init.init_platform	= xen_pv_init_platform,
};

/* First C function to be called on Xen PV boot */
asmlinkage __visible void __init xen_start_kernel(struct start_info *si)
{
	if (!si)
		return;

	xen_start_info = si;
	xen_domain_type = XEN_PV_DOMAIN;

	x86_64_start_reservations((char *)&boot_params);
}
