// SPDX-License-Identifier: GPL-2.0
/*
 * Comments inside and around annotations.  The compiler treats a comment as a
 * blank, so each of these is the same finding as without the comment.
 */
#include <linux/init.h>

/* HV201: between the keyword and its parentheses, first inside, anywhere inside. */
static unsigned long early_console_speed __attribute__ /* raw */ ((section(".data"))); /* expect: HV201 */
static unsigned long early_console_irq __attribute__((/* early */ section(".data"))); /* expect: HV201 */
static unsigned long early_console_port __attribute__((section(".data"), /* not .bss */ aligned(8))); /* expect: HV201 */
static unsigned long early_console_io __attribute__((section(/* early */ ".data"))); /* expect: HV201 */
static unsigned long early_console_base __attribute__(( /* expect: HV201 */
	section(".data"),
	aligned(64)));
/* expect: HV201 */ static unsigned long early_console_mmio __attribute__((
	/* written by the PVH entry code, before .bss is cleared */
	section(".data")));

/* HV202: inside __section()'s parentheses, and between __section and them. */
static int pvh_boot_mode __section(/* boot only */ ".init.data"); /* expect: HV202 */
static int pvh_boot_level __section /* boot only */ (".init.data"); /* expect: HV202 */
static int pvh_boot_order __section(".init.data" /* boot only */); /* expect: HV202 */

/* HV201 and HV202 together. */
int pvh_boot_done __attribute__((/* init */ section(".init.data"))) = 0; /* expect: HV201 HV202 */

/* HV203: comments between the parts of a declaration. */
static const int /* table */ pvh_limits[] /* boot only */ __initdata = { 1 }; /* expect: HV203 */
static struct /* state */ __initdata pvh_state_s { int a; } pvh_state; /* expect: HV203 */

/* No finding: the comment holds the only section. */
static int pvh_plain /* __attribute__((section(".init.data"))) */ = 1;
static int pvh_plain2 __initdata /* const? no */;
