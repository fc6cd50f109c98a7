/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H
#include <linux/compiler_attributes.h>

#define __init		__section(".init.text") __cold
#define __initdata	__section(".init.data")
#define __initconst	__section(".init.rodata")
#define __exit		__section(".exit.text") __cold
#define __ref		__section(".ref.text") noinline

#ifndef __ASSEMBLY__
/* Reduced: the real ones put a pointer in .initcallN.init; runners in init/main.c. */
#define early_initcall(fn)	static int (*__initcall_##fn)(void) = fn
#define arch_initcall(fn)	static int (*__initcall_##fn)(void) = fn
#define subsys_initcall(fn)	static int (*__initcall_##fn)(void) = fn
#define fs_initcall(fn)		static int (*__initcall_##fn)(void) = fn
#define device_initcall(fn)	static int (*__initcall_##fn)(void) = fn
#define late_initcall(fn)	static int (*__initcall_##fn)(void) = fn
#define __initcall(fn)		device_initcall(fn)

/* Built in (no MODULE): module_init() is a device initcall. */
#define module_init(x)		__initcall(x)
#endif

#ifdef __ASSEMBLY__
#define __HEAD		.section	".head.text","ax"
#define __INIT		.section	".init.text","ax"
#define __FINIT		.previous
#endif
#endif /* _LINUX_INIT_H */
