// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>

struct start_info;
extern void clear_bss(void);
extern void start_kernel(void);

struct start_info *xen_start_info;
static unsigned int xen_boot_attempts;
static unsigned long xen_start_flags;

/* First C function to be called on Xen boot */
void __init xen_start_kernel(struct start_info *si)
{
	xen_boot_attempts++; /* expect: HV306 */
	if (!si)
		return;

	clear_bss();

	xen_start_info = si;
	xen_start_flags = 1;
	start_kernel();
}

/* Runtime users: the objects above are not init-only. */
unsigned long xen_boot_stats(void)
{
	return xen_boot_attempts + xen_start_flags;
}
