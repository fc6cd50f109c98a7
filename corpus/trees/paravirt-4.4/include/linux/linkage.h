/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_LINKAGE_H
#define _LINUX_LINKAGE_H

#include <linux/compiler_attributes.h>

#ifndef asmlinkage
#define asmlinkage
#endif

#ifdef __ASSEMBLY__
/* 4.4 spellings: SYM_CODE_START() and friends came in 5.5. */
#define ENTRY(name)	.globl name; name:
#define END(name)	.size name, .-name
#endif

#endif /* _LINUX_LINKAGE_H */
