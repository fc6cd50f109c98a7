/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H
#include <linux/compiler_types.h>

#define __init		__section(".init.text") __cold
#define __initdata	__section(".init.data")
#define __exit		__section(".exit.text") __cold

typedef int (*initcall_t)(void);
#define early_initcall(fn)	static initcall_t __initcall_##fn __used __section(".initcall0.init") = fn
#endif /* _LINUX_INIT_H */
