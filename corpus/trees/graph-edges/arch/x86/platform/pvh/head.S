/* SPDX-License-Identifier: GPL-2.0 */
#include <linux/init.h>

	__HEAD
	.code32
SYM_CODE_START_LOCAL(pvh_start_xen)
	call	xen_prepare_pvh
	jmp	startup_64
SYM_CODE_END(pvh_start_xen)
