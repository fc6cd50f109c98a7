// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>
#include <asm/xen_setup.h>

void __init start_kernel(void)
{
	xen_boot_setup();
}
