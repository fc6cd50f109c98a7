// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>
#include <asm/xen_demo.h>

static int __init xen_drv_probe_boot(void)
{
	return 0;
}

static void __exit xen_drv_exit(void)
{
}

static void __exit xen_drv_cleanup(void)
{
}

/* modpost lets data named *_probe/*_ops/*_console refer to init and exit code. */
static struct xen_driver xen_drv_probe = { .probe = xen_drv_probe_boot, .remove = xen_drv_exit };

/* Other .data may not. */
static struct xen_driver xen_drv = {
	.probe = xen_drv_probe_boot,	/* expect: HV301 */
	.remove = xen_drv_exit,		/* expect: HV304 */
};

/* __exit_p() is NULL when the code is built in. */
static struct xen_driver xen_drv2 = { .remove = __exit_p(xen_drv_cleanup) };

/* Init code using exit code: ANY_INIT_TO_ANY_EXIT. */
static int __init xen_drv_init(void)
{
	xen_drv_cleanup();	/* expect: HV304 */
	return xen_drv.probe() + xen_drv_probe.probe() + (xen_drv2.remove != 0);
}
module_init(xen_drv_init);

/* Runtime users of the driver tables (so that they are not init-only data). */
void xen_drv_remove_all(void)
{
	xen_drv.remove();
	xen_drv_probe.remove();
	if (xen_drv2.remove)
		xen_drv2.remove();
}
EXPORT_SYMBOL(xen_drv_remove_all);
module_exit(xen_drv_exit);			/* registration: fine */
