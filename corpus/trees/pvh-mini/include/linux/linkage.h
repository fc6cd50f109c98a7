/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_LINKAGE_H
#define _LINUX_LINKAGE_H

#include <linux/compiler_types.h>

#ifndef asmlinkage
#define asmlinkage
#endif

#define __page_aligned_data	__section(".data..page_aligned") __aligned(PAGE_SIZE)
#define __page_aligned_bss	__section(".bss..page_aligned") __aligned(PAGE_SIZE)

/* The same sections for assembly, which spells them with .section. */
#define __PAGE_ALIGNED_DATA	.section ".data..page_aligned", "aw"
#define __PAGE_ALIGNED_BSS	.section ".bss..page_aligned", "aw"

#ifdef __ASSEMBLY__

#define SYM_L_GLOBAL(name)	.globl name
#define SYM_L_LOCAL(name)

#define SYM_CODE_START(name)		SYM_L_GLOBAL(name); name:
#define SYM_CODE_START_NOALIGN(name)	SYM_L_GLOBAL(name); name:
#define SYM_CODE_START_LOCAL(name)	name:
#define SYM_CODE_END(name)		.type name, @function; .size name, .-name
#define SYM_DATA(name, ...)		.globl name; name: __VA_ARGS__
#define SYM_DATA_START_LOCAL(name)	name:
#define SYM_DATA_END(name)		.type name, @object; .size name, .-name

#endif /* __ASSEMBLY__ */

#endif /* _LINUX_LINKAGE_H */
