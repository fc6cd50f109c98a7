/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __LINUX_COMPILER_TYPES_H
#define __LINUX_COMPILER_TYPES_H

#ifndef __ASSEMBLY__

#include <linux/compiler_attributes.h>

#define __user
#define __iomem
#define __force

#define notrace			__attribute__((__no_instrument_function__))
#define __no_kcsan		__attribute__((__no_sanitize__("thread")))
#define __no_sanitize_address	__attribute__((__no_sanitize_address__))

/*
 * Code that must not be instrumented at all: entry code, and what runs before
 * the instrumentation can cope.  noinline keeps it out of instrumented callers.
 */
#define __noinstr_section(section)					\
	noinline notrace __attribute((__section__(section)))		\
	__no_kcsan __no_sanitize_address

#define noinstr __noinstr_section(".noinstr.text")

#endif /* __ASSEMBLY__ */

#endif /* __LINUX_COMPILER_TYPES_H */
