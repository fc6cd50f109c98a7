// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>

extern void start_kernel(void);

void __init x86_64_start_kernel(char *real_mode_data)
{
	start_kernel();
}
