// SPDX-License-Identifier: GPL-2.0
/*
 * HV203: a function annotation on data, or a data annotation on a function.
 * The compiler accepts both; the object ends up in a section made for the
 * other kind (code in .init.data, data in .init.text).
 */
#include <linux/init.h>

struct pvh_ops {
	int (*probe)(void);
};

/* Function macros on data. */
static int pvh_boot_stage __init; /* expect: HV203 */
static int __init pvh_boot_stage2 = 1; /* expect: HV203 */
static unsigned long pvh_teardown_flags __exit; /* expect: HV203 */
static void *pvh_ref_ptr __ref; /* expect: HV203 */
static int pvh_hotplug_state __meminit; /* expect: HV203 */
struct pvh_ops pvh_ops_table __init; /* expect: HV203 */
static void (*pvh_late_hook)(void) __init; /* expect: HV203 */

/* Data macros on functions: prototypes and definitions. */
void __initdata pvh_setup_early(void); /* expect: HV203 */
int __initconst pvh_probe(void); /* expect: HV203 */
void pvh_finish(void) __initdata; /* expect: HV203 */
static int __initdata pvh_detect(void) /* expect: HV203 */
{
	return 0;
}
static void __exitdata pvh_exit_hook(void) { } /* expect: HV203 */
static int __refdata pvh_rescan(void) /* expect: HV203 */
{
	return 1;
}

/* An init section spelled by hand, of the wrong kind: the same mistake. */
static int pvh_text_data __section(".init.text"); /* expect: HV203 */
void __section(".init.data") pvh_data_func(void); /* expect: HV203 */
static int pvh_raw_text_data __attribute__((section(".init.text"))); /* expect: HV201 HV203 */

/* The right kind: no finding. */
void __init pvh_setup(void);
int __init pvh_main(void)
{
	return pvh_detect() + pvh_rescan();
}
static void __exit pvh_exit(void) { }
static int __ref pvh_hotplug(void) { return 0; }
static int __meminit pvh_online(void) { return 0; }
static int pvh_state __initdata;
static int __initdata pvh_state2;

/* A function pointer is an object: data macros are right, function macros wrong. */
static int (*pvh_hook)(void) __initdata = pvh_main;
static int (*pvh_hooks[2])(void) __initdata = { pvh_main, pvh_hotplug };
static const struct pvh_ops pvh_default_ops __initconst = { .probe = pvh_main };

/* A function returning a pointer is a function. */
static int * __init pvh_find_slot(int i)
{
	static int slots[4] __initdata;

	return &slots[i & 3];
}
