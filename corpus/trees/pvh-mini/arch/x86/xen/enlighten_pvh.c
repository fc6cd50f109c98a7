// SPDX-License-Identifier: GPL-2.0
/*
 * The Xen side of the PVH entry: called from xen_prepare_pvh() in
 * arch/x86/platform/pvh/enlighten.c, still before .bss is cleared.
 */
#include <linux/init.h>
#include <linux/cache.h>

#include <xen/xen.h>
#include <xen/interface/hvm/start_info.h>

#include <asm/setup.h>

#define XEN_CPUID_FIRST_LEAF	0x40000000
#define XEN_CPUID_LEAF(i)	(XEN_CPUID_FIRST_LEAF + (i))

/* Which of the 256-leaf windows holds Xen's CPUID leaves. */
static uint32_t xen_cpuid_base_cached __section(".data");

/* Only needed to print the banner at boot; const, so __initconst. */
static const char xen_pvh_banner[] __initdata = "Booting kernel on Xen PVH"; /* expect: HV203 */
static const char xen_signature[] __initconst = "XenVMMXenVMM";

static uint32_t __init xen_find_cpuid_base(void)
{
	uint32_t base;

	for (base = XEN_CPUID_FIRST_LEAF; base < XEN_CPUID_FIRST_LEAF + 0x10000; base += 0x100) {
		if (cpuid_signature_matches(base, xen_signature))
			return base;
	}

	return 0;
}

uint32_t xen_cpuid_base(void)
{
	return xen_cpuid_base_cached;
}

void __init xen_pvh_early_init(void)
{
	xen_domain_type = XEN_HVM_DOMAIN;
	xen_cpuid_base_cached = xen_find_cpuid_base();

	early_printk("%s\n", xen_pvh_banner);
}
