/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen PVH (HVMlite) entry point.  The hypervisor starts us here in 32-bit
 * protected mode, paging off, %ebx = physical address of hvm_start_info.
 * Only .data is safe to write from here: startup_64 clears .bss later.
 */
	.code32
	.text
#include <linux/linkage.h>
#include <linux/init.h>

#define _pa(x)		((x) - __START_KERNEL_map)
#define PVH_GDT_ENTRY_CS	1
#define PVH_CS_SEL		(PVH_GDT_ENTRY_CS * 8)

	__HEAD

SYM_CODE_START_LOCAL(pvh_start_xen)
	cld

	lgdt (_pa(gdt))

	/* Copy the start_info; %ebx does not survive the calls below. */
	mov %ebx, %esi
	mov $_pa(hvmlite_start_info), %edi
	mov $_pa(hvmlite_start_info_sz), %eax
	mov (%eax), %ecx
	shr $2, %ecx
	rep movsl

	/* Enable PAE, long mode and paging on the early page tables. */
	mov %cr4, %eax
	orl $0x20, %eax
	mov %eax, %cr4

	mov $0xc0000080, %ecx
	rdmsr
	btsl $8, %eax
	wrmsr

	mov $_pa(init_top_pgt), %eax
	mov %eax, %cr3
	mov $0x80000001, %eax
	mov %eax, %cr0

	ljmp $PVH_CS_SEL, $_pa(1f)
	.code64
1:
	/* Still on the identity map: only .data and .init.data may be written. */
	call xen_prepare_pvh

	/* startup_64 expects boot_params in %rsi. */
	mov $_pa(xen_hvmlite_boot_params), %rsi
	jmp startup_64
SYM_CODE_END(pvh_start_xen)

	/* The assembler's way to name a section: not C, never a finding. */
	.section ".init.data","aw"
	.balign 8
SYM_DATA_START_LOCAL(gdt)
	.word gdt_end - gdt_start - 1
	.long _pa(gdt_start)
	.word 0
gdt_start:
	.quad 0x0000000000000000	/* NULL descriptor */
	.quad 0x00af9a000000ffff	/* __KERNEL_CS */
gdt_end:
SYM_DATA_END(gdt)

	.pushsection .note.Xen, "a"
	.balign 4
	.long 4, 8, 18			/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.quad _pa(pvh_start_xen)
	.popsection
