// SPDX-License-Identifier: GPL-2.0
/*
 * RTC related functions
 */
#include <linux/init.h>

#include <asm/paravirt.h>

struct platform_device;
extern struct platform_device rtc_device;
extern int platform_device_register(struct platform_device *pdev);
extern int of_have_populated_dt(void);
extern int intel_mid_identify_cpu(void);
extern void printk(const char *fmt, ...);

static int __init add_rtc_cmos(void)
{
	if (of_have_populated_dt())
		return 0;

	/* Intel MID platforms don't have ioport rtc */
	if (intel_mid_identify_cpu())
		return -19;

	/* A paravirtualized guest has no CMOS clock at port 0x70. */
	if (paravirt_enabled()) /* expect: HV102 */
		return -19;

	platform_device_register(&rtc_device);
	printk("Platform CMOS RTC device registered\n");
	return 0;
}
device_initcall(add_rtc_cmos);
