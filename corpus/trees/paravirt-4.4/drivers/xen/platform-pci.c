// SPDX-License-Identifier: GPL-2.0-only
/*
 * platform-pci.c
 *
 * Xen platform PCI device driver (reduced to its init).
 */
#include <linux/init.h>

#include <xen/xen.h>

#include <asm/paravirt.h>

#define ENODEV		19

struct pci_driver;
extern struct pci_driver platform_driver;
extern int pci_register_driver(struct pci_driver *drv);

static int __init platform_pci_init(void)
{
	if (!xen_domain())
		return -ENODEV;

	/* A PV guest has no emulated platform PCI device to drive. */
	if (paravirt_enabled()) /* expect: HV102 */
		return -ENODEV;

	return pci_register_driver(&platform_driver);
}
device_initcall(platform_pci_init);
