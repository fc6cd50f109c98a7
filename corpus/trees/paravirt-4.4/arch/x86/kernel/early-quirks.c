// SPDX-License-Identifier: GPL-2.0
/*
 * Early quirks, run from setup_arch() before the hypervisor is detected.
 */
#include <linux/init.h>

#include <asm/hypervisor.h>

extern void early_disable_port_probe(void);

static void __init helper2(void)
{
	/* Wrong this early: x86_hyper_type is still X86_HYPER_NATIVE. */
	if (hypervisor_is_type(X86_HYPER_XEN_HVM)) /* expect: HV103 */
		early_disable_port_probe();
}

void __init early_query_helper(void)
{
	helper2();
}
