/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A xen-head.S-shaped hypervisor entry file: an init-only entry point that
 * reaches the C start routine, hypercall stubs pushed into .noinstr.text, a
 * macro that builds more stubs, and old-style ENTRY/ENDPROC symbols.  Written
 * for hvlint; it is no kernel code.
 */
#include <linux/elfnote.h>
#include <linux/init.h>
#include <linux/linkage.h>
#include <asm/asm.h>

#ifdef CONFIG_DEMO_HYP_PV
	__INIT
SYM_CODE_START(demo_hyp_startup)
	UNWIND_HINT_END_OF_STACK
	cld
	leaq	demo_hyp_stack_top(%rip), %rsp
	mov	%rsi, %rdi
	call	demo_hyp_start_kernel
SYM_CODE_END(demo_hyp_startup)
	__FINIT
#endif

	.pushsection .noinstr.text, "ax"
SYM_FUNC_START(demo_hypercall)
	ENDBR
	call	demo_hypercall_setfunc
	lea	demo_hypercall_amd(%rip), %rcx
	cmp	%rax, %rcx
	jz	demo_hypercall_amd
	jmp	demo_hypercall_intel
SYM_FUNC_END(demo_hypercall)

SYM_FUNC_START(demo_hypercall_amd)
	vmmcall
	RET
SYM_FUNC_END(demo_hypercall_amd)

SYM_FUNC_START(demo_hypercall_intel)
	vmcall
	RET
SYM_FUNC_END(demo_hypercall_intel)
	.popsection

/* A stub per hypercall number; the macro body is no symbol of its own. */
.macro demo_stub name nr
SYM_FUNC_START(\name)
	movl	$\nr, %eax
	jmp	demo_hypercall
SYM_FUNC_END(\name)
.endm

	demo_stub demo_hyp_yield 1

ENTRY(demo_hyp_old_entry)
	call	demo_hypercall
	ret
ENDPROC(demo_hyp_old_entry)

	.section .rodata, "a"
	.globl	demo_hyp_table
	.type	demo_hyp_table, @object
demo_hyp_table:
	.quad	demo_hypercall_amd
	.quad	demo_hypercall_intel
	.size	demo_hyp_table, . - demo_hyp_table

	.bss
	.balign 16
demo_hyp_stack:
	.skip	4096
demo_hyp_stack_top:
