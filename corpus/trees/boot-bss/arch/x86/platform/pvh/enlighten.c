// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>

struct hvm_start_info {
	unsigned int magic;
	unsigned int flags;
	unsigned long cmdline_paddr;
};

/* Filled by pvh_start_xen with rep movsl before BSS is cleared: must not be in .bss. */
struct hvm_start_info pvh_start_info;
struct hvm_start_info pvh_saved_info __section(".data");
unsigned int pvh_bootflags __initdata;

/* Runs before BSS is cleared: reads pvh_start_info, writes only what is out of .bss. */
void __init xen_prepare_pvh(void)
{
	pvh_bootflags = pvh_start_info.flags;
}
