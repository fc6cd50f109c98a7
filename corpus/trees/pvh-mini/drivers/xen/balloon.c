// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen balloon driver, reduced to its boot-time half: read the target from the
 * command line and hand the pages above it back to the hypervisor.
 */
#include <linux/init.h>
#include <linux/cache.h>

#include <xen/xen.h>

struct balloon_stats {
	unsigned long current_pages;
	unsigned long target_pages;
	unsigned long balloon_low;
};

struct balloon_stats balloon_stats __read_mostly;
/* Set once from the command line; the x86 header names this section. */
static unsigned long balloon_max_pages __section(".data..read_mostly"); /* expect: HV202 */

/* Defaults for the command line; only read by balloon_setup(). */
static struct {
	unsigned long min_pages;
	unsigned long max_pages;
} __initdata balloon_defaults = { 16, 0 }; /* expect: HV203 */

static unsigned long balloon_target_kb __initdata;

static int __init balloon_setup(char *str)
{
	static const char * const units[] __initdata = { "K", "M", "G" }; /* expect: HV203 */
	static const char *last_unit __initdata;
	unsigned long val = 0;
	unsigned int i;

	while (*str >= '0' && *str <= '9')
		val = val * 10 + (*str++ - '0');

	for (i = 0; i < 3; i++) {
		if (*str == units[i][0]) {
			last_unit = units[i];
			while (i--)
				val *= 1024;
			break;
		}
	}

	balloon_target_kb = val ? val : balloon_defaults.min_pages * 4;
	return last_unit != NULL;
}
__setup("xen_balloon=", balloon_setup);

static int __init balloon_init(void)
{
	if (!xen_domain())
		return -19;

	balloon_stats.current_pages = balloon_target_kb / 4;
	balloon_stats.target_pages  = balloon_stats.current_pages;
	balloon_stats.balloon_low   = 0;
	balloon_max_pages = balloon_defaults.max_pages;

	return 0;
}
subsys_initcall(balloon_init);
