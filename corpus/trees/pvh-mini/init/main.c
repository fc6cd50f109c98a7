// SPDX-License-Identifier: GPL-2.0-only
/*
 *  linux/init/main.c, reduced: start_kernel() and the road to user space.
 */
#include <linux/init.h>
#include <linux/cache.h>
#include <linux/linkage.h>
#include <linux/start_kernel.h>

#include <asm/setup.h>

enum system_states {
	SYSTEM_BOOTING,
	SYSTEM_RUNNING,
} system_state __read_mostly;

/* Untouched command line saved by arch-specific code. */
char __initdata boot_command_line[COMMAND_LINE_SIZE];
/* Untouched saved command line (eg. for /proc) */
char *saved_command_line __ro_after_init;

/* Names for the initcall levels, printed by initcall_debug.  The pointers change
 * nothing at run time, but they are not const: __initdata is right. */
static const char *initcall_level_names[] __initdata = {
	"pure",
	"core",
	"postcore",
	"arch",
	"subsys",
	"fs",
	"device",
	"late",
};

/* The short forms are a const table: wants __initconst. */
static const char * const initcall_level_short[] __initdata = { /* expect: HV203 */
	"0", "1", "2", "3", "4", "5", "6", "7",
};

static int initcall_debug __initdata;

static void __init setup_command_line(char *command_line)
{
	unsigned long len = strlen(boot_command_line) + 1;

	saved_command_line = memblock_alloc(len, SMP_CACHE_BYTES);
	strcpy(saved_command_line, boot_command_line);
}

static void __init do_initcall_level(int level)
{
	if (initcall_debug)
		pr_debug("initcall level %s (%s)\n", initcall_level_names[level],
			 initcall_level_short[level]);
}

static void __init do_basic_setup(void)
{
	int level;

	for (level = 0; level < 8; level++)
		do_initcall_level(level);
}

static int __ref kernel_init(void *unused)
{
	do_basic_setup();

	free_initmem();
	system_state = SYSTEM_RUNNING;

	return run_init_process("/sbin/init");
}

noinline void __ref __noreturn rest_init(void)
{
	user_mode_thread(kernel_init, NULL, 0);
	cpu_startup_entry(0);
}

void __init __noreturn arch_call_rest_init(void)
{
	rest_init();
}

asmlinkage __visible __init __noreturn void start_kernel(void)
{
	char *command_line;

	system_state = SYSTEM_BOOTING;

	setup_arch(&command_line);
	setup_command_line(command_line);

	arch_call_rest_init();
}
