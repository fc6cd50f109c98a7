/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_COMPILER_TYPES_H
#define _LINUX_COMPILER_TYPES_H
#define __section(s)	__attribute__((__section__(s)))
#define __cold		__attribute__((__cold__))
#define __used		__attribute__((__used__))
#endif
