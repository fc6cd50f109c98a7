// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>
#include <linux/demo.h>

extern void setup_arch(void);

static void __init do_pre_smp_initcalls(void)
{
	/* walks the early initcall table: registered functions are called from here */
}

static void __init do_initcall_level(int level)
{
	/* walks the initcall table of one level */
}

static bool __init obsolete_checksetup(char *line)
{
	return false;
}

void __init start_kernel(void)
{
	setup_arch();
	demo_proto_setup();
	do_pre_smp_initcalls();
	do_initcall_level(6);
	obsolete_checksetup("demo");
}
