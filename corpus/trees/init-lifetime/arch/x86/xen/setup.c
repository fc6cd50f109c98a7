// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>
#include <asm/xen_demo.h>

struct xen_platform_ops xen_platform;

static unsigned long __initdata xen_early_pages[4];
static int __initdata xen_boot_mode;

int __init xen_early_parse(char *s) /* expect: HV302 */
{
	return s[0] + xen_boot_mode;
}
__setup("xen_opt=", xen_early_parse);			/* registration: fine */

void __init xen_setup_once(void) /* expect: HV302 */
{
	xen_early_pages[0] = 1;
}

/* Runtime code calling init code: modpost's TEXTDATA_TO_ANY_INIT_EXIT. */
int xen_runtime_query(void)
{
	return xen_early_parse("q");	/* expect: HV301 */
}

/* Exported: modules may call it at any time, and it reaches xen_setup_once(). */
void xen_runtime_helper(void)
{
	xen_setup_once();		/* expect: HV301 */
}
EXPORT_SYMBOL(xen_runtime_helper);

/* The address of init code exported to modules. */
EXPORT_SYMBOL(xen_early_parse);		/* expect: HV301 */

/* __ref: the reference is deliberate (modpost never checks .ref.text). */
static int __ref xen_maybe_parse(void)
{
	return xen_early_parse("r");
}

/* A static helper only init code calls still references init code after inlining is
 * disabled (CONFIG_DEBUG_SECTION_MISMATCH); hvlint says to mark it __init. */
static unsigned long xen_helper_pages(void) /* expect: HV305 */
{
	return xen_early_pages[1];	/* expect: HV301 */
}

/* __refdata: a pointer to init data modpost never checks (.ref.data), like mmu_pv.c's
 * discontig_frames. */
static unsigned long *xen_pages_ptr __refdata = xen_early_pages;

unsigned long xen_first_page(void)
{
	return xen_pages_ptr[0];
}
EXPORT_SYMBOL(xen_first_page);

/* sizeof() emits no reference. */
unsigned long xen_pages_size(void)
{
	return sizeof(xen_early_pages);
}

int __init xen_boot(void)
{
	xen_parse_boot();
	xen_helper_pages();
	return xen_maybe_parse() + xen_parse_default();
}
early_initcall(xen_boot);

int xen_late_default(void)
{
	return xen_parse_default();
}
EXPORT_SYMBOL(xen_late_default);
