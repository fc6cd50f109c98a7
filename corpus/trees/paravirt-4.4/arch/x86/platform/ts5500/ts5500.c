// SPDX-License-Identifier: GPL-2.0-only
/*
 * Technologic Systems TS-5500 Single Board Computer support
 * (reduced: board detection and the jumper block).
 */
#include <linux/init.h>
#include <linux/export.h>

#include <asm/paravirt.h>

#define ENODEV			19
#define TS5500_PRODUCT_CODE_ADDR	0x74
#define TS5500_PRODUCT_CODE	0x60

extern unsigned char inb(unsigned short port);
extern int ts5500_register_devices(unsigned char jumpers);
extern void printk(const char *fmt, ...);

/*
 * Comments do not count: paravirt_enabled() and pv_info.paravirt_enabled
 * named here are no test.
 */
static int __init ts5500_init(void)
{
	unsigned char product, jumpers;

	/* The board's CPLD answers at fixed I/O ports; no such thing in a guest. */
	if (paravirt_enabled()) /* expect: HV102 */
		return -ENODEV;

	product = inb(TS5500_PRODUCT_CODE_ADDR);
	if (product != TS5500_PRODUCT_CODE) {
		printk("ts5500: paravirt_enabled() is 0, pv_info.paravirt_enabled = 0, no board\n");
		return -ENODEV;
	}

	jumpers = inb(TS5500_PRODUCT_CODE_ADDR + 1);
	return ts5500_register_devices(jumpers);
}
device_initcall(ts5500_init);

/* A read of the flag itself, not through the accessor. */
int ts5500_on_real_board(void)
{
	return !pv_info.paravirt_enabled; /* expect: HV102 */
}
EXPORT_SYMBOL(ts5500_on_real_board);
