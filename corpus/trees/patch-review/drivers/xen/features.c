// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>
#include <asm/xen_setup.h>

/* Runtime code in another file that asks the same question. */
int xen_feature_mode(const char *opt)
{
	return xen_parse_mode(opt);
}
EXPORT_SYMBOL(xen_feature_mode);
