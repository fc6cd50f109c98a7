/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H
#include <linux/compiler_attributes.h>

#define __init		__section(".init.text") __cold
#define __initdata	__section(".init.data")
#define __initconst	__section(".init.rodata")
#define __exit		__section(".exit.text") __cold
#define __ref		__section(".ref.text") noinline
#define __refdata	__section(".ref.data")
#define __head		__section(".head.text")
#define __ro_after_init	__section(".data..ro_after_init")

#define early_initcall(fn)	static int (*__initcall_##fn)(void) = fn
#define device_initcall(fn)	static int (*__initcall_##fn)(void) = fn
#define module_init(fn)		static int (*__initcall_##fn)(void) = fn
#define module_exit(fn)		static void (*__exitcall_##fn)(void) = fn
#define __setup(str, fn)	static int (*__setup_##fn)(char *) = fn
#define EXPORT_SYMBOL(sym)	extern typeof(sym) sym

#ifdef MODULE
#define __exit_p(x) x
#else
#define __exit_p(x) NULL
#endif
#endif /* _LINUX_INIT_H */
