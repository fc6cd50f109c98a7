// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>
#include <asm/xen_setup.h>

static int xen_mode;

/* Parses the xen_mode= option; also asked at run time by xen_runtime_mode(). */
int xen_parse_mode(const char *s)
{
	if (!s)
		return 0;
	return s[0] == 'p' ? 1 : 2;
}

void __init xen_boot_setup(void)
{
	xen_mode = xen_parse_mode("pvh");
}

int xen_runtime_mode(void)
{
	return xen_mode ? xen_mode : xen_parse_mode("hvm");
}
EXPORT_SYMBOL(xen_runtime_mode);
