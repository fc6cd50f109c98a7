#ifndef _LINUX_LINKAGE_H
#define _LINUX_LINKAGE_H

#include <linux/compiler.h>

#define __page_aligned_data	__section(.data..page_aligned) __aligned(PAGE_SIZE)
#define __page_aligned_bss	__section(.bss..page_aligned) __aligned(PAGE_SIZE)

#ifdef __ASSEMBLY__
#define ENTRY(name)	.globl name; name:
#define ENDPROC(name)	.type name, @function; .size name, .-name
#endif

#endif /* _LINUX_LINKAGE_H */
