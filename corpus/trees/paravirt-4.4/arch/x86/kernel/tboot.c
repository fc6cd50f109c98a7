// SPDX-License-Identifier: GPL-2.0-only
/*
 * tboot.c: main implementation of helper functions used by kernel for
 *          runtime support of Intel(R) Trusted Execution Technology
 */
#include <linux/init.h>

#include <asm/paravirt.h>

struct tboot;
struct boot_params_tboot {
	unsigned long tboot_addr;
};

extern struct boot_params_tboot boot_params;
extern struct tboot *tboot;
extern int e820_any_mapped(unsigned long start, unsigned long end, unsigned int type);
extern struct tboot *tboot_map_shared_page(unsigned long addr);
extern void printk(const char *fmt, ...);

#define E820_RESERVED	2

void __init tboot_probe(void)
{
	/* Look for valid page-aligned address for shared page. */
	if (!boot_params.tboot_addr)
		return;

	/*
	 * also verify that it is mapped as we expect it before calling
	 * set_fixmap(), to reduce chance of garbage value causing crash
	 */
	if (!e820_any_mapped(boot_params.tboot_addr, boot_params.tboot_addr, E820_RESERVED)) {
		printk("non-0 tboot_addr but it is not of type E820_RESERVED\n");
		return;
	}

	/* only a natively booted kernel should be using TXT */
	if (paravirt_enabled()) { /* expect: HV102 */
		printk("non-0 tboot_addr but pv_ops is enabled\n");
		return;
	}

	tboot = tboot_map_shared_page(boot_params.tboot_addr);
}
