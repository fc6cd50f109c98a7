/*
 * pnpbios -- PnP BIOS driver (reduced to the probe)
 *
 * This driver provides access to Plug-'n'-Play services provided by
 * the PnP BIOS firmware.
 */
#include <linux/init.h>

#include <asm/paravirt.h>

#define ENODEV		19

extern int pnpbios_disabled;
extern int pnpbios_probe_system(void);
extern void printk(const char *fmt, ...);

static int __init pnpbios_init(void)
{
	if (pnpbios_disabled) {
		printk("PnPBIOS: Disabled by user\n");
		return -ENODEV;
	}

	/*
	 * HV102 here, but outside hvlint's default scope (arch/x86, drivers/xen,
	 * include/xen, init): reported when the file is named, not when the tree
	 * is checked whole, so not marked.
	 */
	if (paravirt_enabled()) {
		printk("PnPBIOS: Disabled\n");
		return -ENODEV;
	}

	/* scan the system for pnpbios support */
	if (!pnpbios_probe_system())
		return -ENODEV;

	return 0;
}
fs_initcall(pnpbios_init);
