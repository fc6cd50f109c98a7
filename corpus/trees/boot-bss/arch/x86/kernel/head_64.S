/* SPDX-License-Identifier: GPL-2.0 */
/* Native entry: everything here runs before x86_64_start_kernel() clears BSS. */
#include <linux/init.h>

	__HEAD
	.code64
SYM_CODE_START_NOALIGN(startup_64)
	movq	%rsi, early_boot_info(%rip)	/* expect: HV306 */
	movq	%rsi, early_data_copy(%rip)
	cmpq	$0, early_boot_info(%rip)
	call	__startup_64
	leaq	early_scratch(%rip), %rdi
	movl	$512, %ecx
	xorl	%eax, %eax
	rep stosq				/* expect: HV306 */
	leaq	early_saved(%rip), %rdi
	movl	$512, %ecx
	rep stosq
	jmp	*initial_code(%rip)
SYM_CODE_END(startup_64)

	__INITDATA
SYM_DATA(initial_code,	.quad x86_64_start_kernel)

	.data
SYM_DATA_START(early_saved)
	.skip	4096
SYM_DATA_END(early_saved)

	.bss
SYM_DATA_START(early_scratch)
	.skip	4096
SYM_DATA_END(early_scratch)
