/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H

#include <linux/compiler_types.h>

/*
 * Code and data that are only needed while the kernel boots go to the .init
 * sections, which free_initmem() hands back to the page allocator.  Nothing
 * that runs after boot may point into them.
 *
 * Usage: variables "static int count __initdata = 1;", functions
 * "static int __init setup_foo(char *str)".  Read-only data takes __initconst.
 */
#define __init		__section(".init.text") __cold notrace
#define __initdata	__section(".init.data")
#define __initconst	__section(".init.rodata")
#define __exitdata	__section(".exit.data")
#define __exit_call	__used __section(".exitcall.exit")

/* References to .init from these are allowed: modpost does not warn. */
#define __ref		__section(".ref.text") noinline
#define __refdata	__section(".ref.data")
#define __refconst	__section(".ref.rodata")

#define __exit		__section(".exit.text") __used __cold notrace

/* Memory hotplug keeps the code that brings memory online around. */
#ifdef CONFIG_MEMORY_HOTPLUG
#define __meminit
#define __meminitdata
#define __meminitconst
#else
#define __meminit	__init
#define __meminitdata	__initdata
#define __meminitconst	__initconst
#endif

/* Data that software suspend does not save. */
#define __nosavedata	__section(".data..nosave")

#ifndef __ASSEMBLY__

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

extern initcall_t __initcall_start[], __initcall_end[];

/* Defined in init/main.c */
extern char __initdata boot_command_line[];
extern char *saved_command_line;

void __init setup_arch(char **cmdline_p);

/*
 * Initcalls are kept in one table per level, in link order.  The spelling of
 * the section below predates __section().
 */
#define __define_initcall(fn, id)					\
	static initcall_t __initcall_##fn##id __used			\
	__attribute__((__section__(".initcall" #id ".init"))) = fn /* expect: HV201 */

#define core_initcall(fn)		__define_initcall(fn, 1)
#define arch_initcall(fn)		__define_initcall(fn, 3)
#define subsys_initcall(fn)		__define_initcall(fn, 4)
#define device_initcall(fn)		__define_initcall(fn, 6)
#define late_initcall(fn)		__define_initcall(fn, 7)

#define __exitcall(fn)							\
	static exitcall_t __exitcall_##fn __exit_call = fn

struct obs_kernel_param {
	const char *str;
	int (*setup_func)(char *);
	int early;
};

/* Kernel command line options: __setup("foo=", foo_setup). */
#define __setup_param(str, unique_id, fn, early)			\
	static const char __setup_str_##unique_id[] __initconst	\
		__aligned(1) = str;					\
	static struct obs_kernel_param __setup_##unique_id		\
		__used __section(".init.setup")				\
		__aligned(__alignof__(struct obs_kernel_param))		\
		= { __setup_str_##unique_id, fn, early }

#define __setup(str, fn)	__setup_param(str, fn, fn, 0)
#define early_param(str, fn)	__setup_param(str, fn, fn, 1)

#endif /* __ASSEMBLY__ */

#ifdef __ASSEMBLY__
#define __HEAD		.section	".head.text","ax"
#define __INIT		.section	".init.text","ax"
#define __INITDATA	.section	".init.data","aw",%progbits
#define __REFDATA	.section	".ref.data", "aw"
#endif

#endif /* _LINUX_INIT_H */
