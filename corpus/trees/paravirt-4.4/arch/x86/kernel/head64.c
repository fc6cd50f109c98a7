// SPDX-License-Identifier: GPL-2.0
/*
 *  prepare to run common code
 */
#include <linux/init.h>
#include <linux/linkage.h>

extern char __bss_start[], __bss_stop[];
extern void start_kernel(void);
extern void reserve_ebda_region(void);
extern void *memset(void *s, int c, unsigned long n);

/* Don't add a printk in there. printk relies on the PDA which is not initialized yet. */
static void __init clear_bss(void)
{
	memset(__bss_start, 0,
	       (unsigned long) __bss_stop - (unsigned long) __bss_start);
}

void __init x86_64_start_reservations(char *real_mode_data)
{
	reserve_ebda_region();

	start_kernel();
}

asmlinkage __visible void __init x86_64_start_kernel(char *real_mode_data)
{
	clear_bss();

	x86_64_start_reservations(real_mode_data);
}
