/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Assembly spells sections with .section: none of this is a finding, even
 * where a C file would get one: __attribute__((section(".init.data"))).
 */
#include <linux/linkage.h>
#include <linux/init.h>

	__INIT
SYM_CODE_START(pvh_early_stub)
	movl	$pvh_early_flag, %eax
	ret
SYM_CODE_END(pvh_early_stub)

	.section ".init.data","aw"
	.balign 8
SYM_DATA(pvh_early_flag, .long 0)

	.section .data..read_mostly, "aw"
SYM_DATA(pvh_mostly_word, .quad 0)

	.pushsection .init.rodata, "a"
pvh_const_bytes:
	.byte 1, 2, 3
	.popsection

	.section .data
SYM_DATA(pvh_data_word, .quad 0)
