// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>

extern char __bss_start[], __bss_stop[];
extern void start_kernel(void);
extern void *memset(void *s, int c, unsigned long n);

/* Written by startup_64 before BSS is cleared: in .bss, wiped again by clear_bss(). */
unsigned long early_boot_info;
/* The fix: out of .bss. */
unsigned long early_data_copy __section(".data");

static unsigned int early_pgt_count;
static unsigned int early_pgt_limit __section(".data");
static unsigned int late_state;

static void __init early_tables(void)
{
	early_pgt_count = 2; /* expect: HV306 */
	early_pgt_limit = 64;
}

static void __init late_setup(void)
{
	late_state = 1;
}

void __init clear_bss(void)
{
	memset(__bss_start, 0, __bss_stop - __bss_start);
}

void __init __startup_64(void)
{
	early_data_copy = 1;
}

void __init x86_64_start_kernel(char *real_mode_data)
{
	early_tables();
	clear_bss();
	late_setup();
	late_state++;
	start_kernel();
}

/* Runtime users: the objects above are not init-only. */
unsigned int early_pgt_stats(void)
{
	return early_pgt_count + early_pgt_limit + late_state;
}
