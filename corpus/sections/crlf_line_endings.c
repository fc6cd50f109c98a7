// SPDX-License-Identifier: GPL-2.0
/*
 * Windows line endings: line numbers must still count CRLF as one line end.
 */
#include <linux/init.h>

int pvh_crlf_flag __attribute__((section(".data"))) = 0; /* expect: HV201 */
static const int pvh_crlf_table[] __initdata = { 1, 2 }; /* expect: HV203 */
static int pvh_crlf_count __section(".init.data"); /* expect: HV202 */
static int pvh_crlf_ok __initdata;

static int __init pvh_crlf_init(void)
{
	return pvh_crlf_count + pvh_crlf_ok + pvh_crlf_table[0];
}
