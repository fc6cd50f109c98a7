// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * APM BIOS driver for Linux (reduced: the probe).
 */
#include <linux/init.h>

#include <asm/paravirt.h>

#define ENODEV		19

struct apm_bios_info {
	unsigned short version;
	unsigned short cseg;
	unsigned long offset;
	unsigned short flags;
};

struct apm_info {
	struct apm_bios_info bios;
	int disabled;
};

extern struct apm_info apm_info;
extern int machine_is_olpc(void);
extern void printk(const char *fmt, ...);
extern int apm_start_kthread(void);

static int __init apm_init(void)
{
	if (apm_info.bios.version == 0 || paravirt_enabled() || machine_is_olpc()) { /* expect: HV102 */
		printk("apm: BIOS not found.\n");
		return -ENODEV;
	}
	if ((apm_info.bios.flags & 0x02) == 0) {
		printk("apm: no 32 bit BIOS support\n");
		return -ENODEV;
	}
	if (apm_info.disabled) {
		printk("apm: disabled on user request.\n");
		return -ENODEV;
	}

	return apm_start_kthread();
}
module_init(apm_init);
