/* SPDX-License-Identifier: GPL-2.0 */
/*
 *  linux/arch/x86/kernel/head_64.S -- start in 32bit and switch to 64bit
 *
 *  Reduced: startup_64 fixes up the early page tables and leaves for C.
 */
#include <linux/linkage.h>
#include <linux/init.h>

	__HEAD
	.code64
ENTRY(startup_64)
	/*
	 * At this point the CPU runs in 64bit mode CS.L = 1 CS.D = 0,
	 * and someone has loaded an identity mapped page table for us.
	 * %rsi holds a physical pointer to real_mode_data.
	 */
	leaq	_text(%rip), %rbp
	movq	%rsi, %rdi
	jmp	x86_64_start_kernel
END(startup_64)
