// SPDX-License-Identifier: GPL-2.0-only
/*
 * espfix: return to a 16-bit stack segment without leaking the high bits
 * of %esp.  Reduced to the decision whether to set it up at all.
 *
 * A native kernel running at CPL 0 needs it; a paravirtualized guest that
 * returns to user space through the hypervisor cannot use the IRET
 * trampoline.  (The 32-bit entry code makes the same test on
 * pv_info.paravirt_enabled in assembly.)
 */
#include <linux/init.h>

#include <asm/paravirt.h>

extern void espfix_map_stack(int cpu);
extern void espfix_init_pud(void);
void init_espfix_ap(int cpu);

static bool espfix_needed(void)
{
	return !paravirt_enabled(); /* expect: HV102 */
}

void __init init_espfix_bsp(void)
{
	if (!espfix_needed())
		return;
	espfix_init_pud();
	init_espfix_ap(0);
}

void init_espfix_ap(int cpu)
{
	if (!espfix_needed())
		return;
	espfix_map_stack(cpu);
}
