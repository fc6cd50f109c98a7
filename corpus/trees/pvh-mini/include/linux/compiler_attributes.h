/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __LINUX_COMPILER_ATTRIBUTES_H
#define __LINUX_COMPILER_ATTRIBUTES_H

/*
 * The one place where attributes are spelled as __attribute__((x)); everything
 * else in the tree uses the short names below.  Keep them sorted by attribute.
 */
#define __aligned(x)			__attribute__((__aligned__(x)))
#define __always_inline			inline __attribute__((__always_inline__))
#define __cold				__attribute__((__cold__))
#define __maybe_unused			__attribute__((__unused__))
#define noinline			__attribute__((__noinline__))
#define __noreturn			__attribute__((__noreturn__))
#define __packed			__attribute__((__packed__))
#define __section(section)		__attribute__((__section__(section)))
#define __used				__attribute__((__used__))
#define __visible			__attribute__((__externally_visible__))
#define __weak				__attribute__((__weak__))

#endif /* __LINUX_COMPILER_ATTRIBUTES_H */
