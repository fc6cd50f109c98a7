/* SPDX-License-Identifier: GPL-2.0 */
/* Xen PV entry: xen_start_kernel() clears BSS itself, first thing. */
#include <linux/init.h>

	__INIT
SYM_CODE_START(startup_xen)
	cld
	mov	%rsi, %rdi
	call	xen_start_kernel
SYM_CODE_END(startup_xen)
	__FINIT
