/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_SETUP_H
#define _ASM_X86_SETUP_H

#include <uapi/asm/bootparam.h>

#define COMMAND_LINE_SIZE 2048

#ifndef __ASSEMBLY__

#include <linux/linkage.h>
#include <linux/init.h>

extern struct boot_params boot_params;
extern unsigned long _brk_start, _brk_end;

/* Boot entry points in C, reached from head_64.S and the Xen entries. */
asmlinkage void __init __noreturn x86_64_start_kernel(char *real_mode_data);
void __init __noreturn x86_64_start_reservations(char *real_mode_data);
unsigned long __head __startup_64(unsigned long physaddr, struct boot_params *bp);

#ifdef CONFIG_XEN_PVH
void __init xen_prepare_pvh(void);
#endif

#endif /* __ASSEMBLY__ */

#endif /* _ASM_X86_SETUP_H */
