/* SPDX-License-Identifier: GPL-2.0 */
#include <linux/init.h>

	__HEAD
	.code64
SYM_CODE_START_NOALIGN(startup_64)
	leaq	_text(%rip), %rdi
	call	verify_cpu_demo
	jmp	*initial_code(%rip)
SYM_CODE_END(startup_64)

SYM_FUNC_START_LOCAL(verify_cpu_demo)
	ret
SYM_FUNC_END(verify_cpu_demo)

	__INITDATA
SYM_DATA(initial_code,	.quad x86_64_start_kernel)
