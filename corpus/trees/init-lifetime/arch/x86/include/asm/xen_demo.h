/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_XEN_DEMO_H
#define _LINUX_XEN_DEMO_H
#include <linux/init.h>

struct xen_platform_ops {
	unsigned long (*calibrate_tsc)(void);
	void (*set_legacy)(void);
	int (*get_wallclock)(void);
};
extern struct xen_platform_ops xen_platform;

struct xen_driver {
	int (*probe)(void);
	void (*remove)(void);
};

int __init xen_early_parse(char *s);
void __init xen_setup_once(void);

/* Inlined into its callers: only a non-init caller makes its reference a mismatch. */
static inline int xen_parse_default(void)
{
	return xen_early_parse("default");	/* expect: HV301 */
}

/* Only init code calls this one: its reference lands in .init.text. */
static inline int xen_parse_boot(void)
{
	return xen_early_parse("boot");
}
#endif
