/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __LINUX_COMPILER_ATTRIBUTES_H
#define __LINUX_COMPILER_ATTRIBUTES_H
#define __section(section)	__attribute__((__section__(section)))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __cold			__attribute__((__cold__))
#define noinline		__attribute__((__noinline__))
#endif
