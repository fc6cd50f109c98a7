/* SPDX-License-Identifier: GPL-2.0 */
/* PVH entry: copies the start info, calls xen_prepare_pvh(), then jumps to startup_64. */
#define rva(x)		((x) - pvh_start_xen)

#include <linux/init.h>

	__HEAD
	.code32
SYM_CODE_START_LOCAL(pvh_start_xen)
	call	1f
1:	popl	%ebp
	subl	$rva(1b), %ebp

	/* Stash hvm_start_info: pvh_start_info is in .bss here, the bug of the 2016 patch. */
	leal	rva(pvh_start_info)(%ebp), %edi
	mov	%ebx, %esi
	movl	$4, %ecx
	rep
	movsl					/* expect: HV306 */

	leal	rva(pvh_saved_info)(%ebp), %edi
	mov	%ebx, %esi
	movl	$4, %ecx
	rep
	movsl

	call	xen_prepare_pvh
	jmp	startup_64
SYM_CODE_END(pvh_start_xen)
