/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A head.S-shaped boot file for the assembly front end: the boot CPU enters in
 * .head.text, jumps to common code in .text through a pointer in .init.rodata,
 * and the common code calls the C entry point through a pointer kept in
 * .ref.data (the way __REFDATA silences the init reference).  Written for
 * hvlint; it is no kernel code.
 */
#include <linux/linkage.h>
#include <linux/init.h>
#include <asm/segment.h>

#define DEMO_STACK_OFFSET	16

	__HEAD
	.code64
SYM_CODE_START_NOALIGN(demo_startup)
	UNWIND_HINT_END_OF_STACK
	leaq	demo_boot_stack(%rip), %rsp
	call	demo_early_setup
#ifdef CONFIG_DEMO_ENCRYPT
	movq	%r15, %rdi
	call	demo_enable_encryption
#endif
	pushq	$__KERNEL_CS
	leaq	.Ldemo_on_kernel_cs(%rip), %rax
	pushq	%rax
	lretq
.Ldemo_on_kernel_cs:
	ANNOTATE_RETPOLINE_SAFE
	jmp	*0f(%rip)
SYM_CODE_END(demo_startup)

	__INITRODATA
0:	.quad	demo_common_startup

	.text
SYM_CODE_START(demo_secondary_startup)
	UNWIND_HINT_END_OF_STACK
	call	demo_verify_cpu
SYM_INNER_LABEL(demo_common_startup, SYM_L_LOCAL)
	movq	demo_phys_base(%rip), %rax
	addq	$(demo_top_pgt - DEMO_STACK_OFFSET), %rax	/* expect: HV301 */
	testl	%eax, %eax
	jz	1f
	call	demo_setup_idt
1:
	xorl	%ebp, %ebp	# clear the frame pointer
	ANNOTATE_RETPOLINE_SAFE
	callq	*demo_initial_code(%rip)
	ud2
SYM_CODE_END(demo_secondary_startup)

	__REFDATA
	.balign	8
SYM_DATA(demo_initial_code,	.quad demo_start_kernel)
	__FINITDATA

	__INIT
SYM_CODE_START_LOCAL(demo_early_fault)
	pushq	%rsi
	call	demo_do_early_exception
	popq	%rsi
	iretq
SYM_CODE_END(demo_early_fault)
	__FINIT

	__INITDATA
	.balign 4
SYM_DATA_START_PAGE_ALIGNED(demo_top_pgt)
	.fill	511,8,0
	.quad	demo_level3_pgt - DEMO_STACK_OFFSET
SYM_DATA_END(demo_top_pgt)

SYM_DATA_START_LOCAL(demo_boot_stack_area)
	.fill	64, 8, 0
SYM_DATA_END_LABEL(demo_boot_stack_area, SYM_L_LOCAL, demo_boot_stack)

	.data
#ifdef CONFIG_DEMO_5LEVEL
SYM_DATA_START_PAGE_ALIGNED(demo_level4_pgt)
	.quad	demo_level3_pgt - DEMO_STACK_OFFSET
SYM_DATA_END(demo_level4_pgt)
#endif

SYM_DATA_START_PAGE_ALIGNED(demo_level3_pgt)
	.fill	512,8,0
SYM_DATA_END(demo_level3_pgt)

SYM_DATA(demo_phys_base, .quad 0x0)
