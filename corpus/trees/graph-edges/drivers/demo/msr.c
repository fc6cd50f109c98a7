// SPDX-License-Identifier: GPL-2.0
#include <linux/demo_msr.h>

int demo_msr_user(void)
{
	int v = demo_rdmsr(0x10);

	demo_count_add(v);
	demo_no_printk("quiet\n");
	DEMO_BUILD_BUG_ON(sizeof(int) != 4);
#ifdef CONFIG_X86_64
	v += native_demo_read_msr(0x11);
#endif
	return v;
}
