/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H
#include <linux/compiler_attributes.h>

#define __init		__section(".init.text") __cold
#define __initdata	__section(".init.data")
#define __initconst	__section(".init.rodata")
#define __exit		__section(".exit.text") __cold
#define __ref		__section(".ref.text") noinline

#define early_initcall(fn)	static int (*__initcall_##fn)(void) = fn
#define device_initcall(fn)	static int (*__initcall_##fn)(void) = fn
#define __setup(str, fn)	static int (*__setup_##fn)(char *) = fn

#ifdef __ASSEMBLY__
#define __HEAD		.section	".head.text","ax"
#define __INIT		.section	".init.text","ax"
#define __FINIT		.previous
#endif
#endif /* _LINUX_INIT_H */
