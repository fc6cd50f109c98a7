// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>
#include <linux/demo.h>

DEFINE_IDTENTRY(exc_demo)
{
	demo_exported(0);
}
