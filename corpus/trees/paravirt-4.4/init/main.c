// SPDX-License-Identifier: GPL-2.0-only
/*
 *  linux/init/main.c
 *
 *  Reduced: setup_arch(), then the initcalls.
 */
#include <linux/init.h>
#include <linux/linkage.h>

extern void __init setup_arch(char **cmdline_p);

static char *command_line;

static void __init do_pre_smp_initcalls(void)
{
	/* walks the early initcall table: registered functions are called from here */
}

static void __init do_initcall_level(int level)
{
	/* walks the initcall table of one level */
}

static void __init do_initcalls(void)
{
	int level;

	for (level = 0; level < 8; level++)
		do_initcall_level(level);
}

asmlinkage __visible void __init start_kernel(void)
{
	setup_arch(&command_line);

	do_pre_smp_initcalls();
	do_initcalls();
}
