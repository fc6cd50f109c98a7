// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>
#include <linux/demo.h>

/* No annotation here: the prototype in include/linux/demo.h puts it in .init.text. */
void demo_proto_setup(void)
{
}

int demo_exported(int x)
{
	return x;
}
EXPORT_SYMBOL_GPL(demo_exported);

static int __init demo_device(void)
{
	return demo_exported(3);
}
device_initcall(demo_device);

SYSCALL_DEFINE1(demo, int, x)
{
	return demo_exported(x);
}
