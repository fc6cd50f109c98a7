/* SPDX-License-Identifier: GPL-2.0 */
/*
 * linux/arch/x86/kernel/head_64.S -- start in 32bit and switch to 64bit
 *
 * Reduced to the path that matters here: startup_64 sets up a stack and the
 * early page tables, then leaves for C through initial_code.
 */
#include <linux/linkage.h>
#include <linux/init.h>

	__HEAD
	.code64
SYM_CODE_START_NOALIGN(startup_64)
	/*
	 * 64-bit mode, paging on with an identity map of the kernel, and
	 * %rsi holding the physical address of the boot_params.
	 */
	leaq	(__end_init_task - 8)(%rip), %rsp

	/* Keep the boot_params pointer over the call. */
	pushq	%rsi
	leaq	_text(%rip), %rdi
	call	__startup_64
	popq	%rsi

	/* Form the CR3 value from the result of __startup_64. */
	addq	$(init_top_pgt - __START_KERNEL_map), %rax
	movq	%rax, %cr3

	/* %rdi: first argument of x86_64_start_kernel. */
	movq	%rsi, %rdi
	callq	*initial_code(%rip)
1:	hlt
	jmp	1b
SYM_CODE_END(startup_64)

	__REFDATA
	.balign	8
SYM_DATA(initial_code,	.quad x86_64_start_kernel)

	__PAGE_ALIGNED_BSS
	.balign 4096
SYM_DATA(init_top_pgt,	.fill 512, 8, 0)
