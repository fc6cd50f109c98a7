// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>
#include <asm/xen_demo.h>

static unsigned long __init xen_tsc_early(void)
{
	return 1000;
}

static unsigned long xen_tsc_khz(void)
{
	return 2000;
}

static void __init xen_set_legacy_boot(void)
{
}

static int __init xen_wallclock_boot(void)
{
	return 0;
}

static int xen_wallclock(void)
{
	return 1;
}

/* A long-lived table (.data..ro_after_init) holding init code that runtime code calls. */
static struct xen_platform_ops xen_ro_platform __ro_after_init = {
	.get_wallclock = xen_wallclock_boot,	/* expect: HV303 */
	.set_legacy = xen_set_legacy_boot,	/* nobody calls .set_legacy after boot: fine */
};

struct xen_platform_ops xen_boot_copy __initdata;

void __init xen_time_init(void)
{
	/* stored again below: the last store is the one that stays */
	xen_platform.calibrate_tsc = xen_tsc_early;
	/* replaced before init ends: fine */
	xen_platform.get_wallclock = xen_wallclock_boot;
	xen_platform.get_wallclock = xen_wallclock;
	/* a value copy of init data, no address: fine */
	xen_platform = xen_boot_copy;
	/* the boot version stays: a runtime caller uses it after init memory is freed */
	xen_platform.calibrate_tsc = xen_tsc_early;	/* expect: HV303 */
	(void)xen_tsc_khz;
}
early_initcall(xen_time_init);

unsigned long xen_read_tsc_khz(void)
{
	return xen_platform.calibrate_tsc() + xen_ro_platform.get_wallclock();
}
EXPORT_SYMBOL(xen_read_tsc_khz);
