// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>

void __init start_kernel(void)
{
}
