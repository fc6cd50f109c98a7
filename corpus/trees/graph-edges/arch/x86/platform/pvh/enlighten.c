// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>

void __init xen_prepare_pvh(void)
{
}
