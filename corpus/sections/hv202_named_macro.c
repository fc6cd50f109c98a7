// SPDX-License-Identifier: GPL-2.0
/*
 * HV202: a section spelled by hand although the kernel has a named macro for
 * it that fits the declaration (code, const data or data).
 */
#include <linux/init.h>
#include <linux/cache.h>
#include <linux/linkage.h>

/* __section() where a named macro exists. */
static int early_boot_irqs __section(".init.data"); /* expect: HV202 */
static const u32 early_cpuid_leaves[] __section(".init.rodata") = { 0x40000000, 0x40000100 }; /* expect: HV202 */
static void __section(".init.text") pvh_early_setup(void) { } /* expect: HV202 */
static void __section(".exit.text") pvh_teardown(void) { } /* expect: HV202 */
static int pvh_exit_state __section(".exit.data"); /* expect: HV202 */
static int __section(".ref.text") pvh_ref_helper(void) { return 0; } /* expect: HV202 */
static int *pvh_ref_table __section(".ref.data"); /* expect: HV202 */
unsigned long xen_max_p2m_pfn __section(".data..read_mostly"); /* expect: HV202 */
unsigned long xen_features_mask __section(".data..ro_after_init"); /* expect: HV202 */
void __section(".sched.text") xen_yield_wait(void) { } /* expect: HV202 */
void __section(".spinlock.text") xen_lock_spinning(void) { } /* expect: HV202 */
void __section(".noinstr.text") xen_evtchn_upcall(void) { } /* expect: HV202 */
static unsigned long saved_context_flags __section(".data..nosave"); /* expect: HV202 */
static char pvh_bounce_page[4096] __section(".data..page_aligned"); /* expect: HV202 */
static char pvh_scratch_page[4096] __section(".bss..page_aligned"); /* expect: HV202 */

unsigned long __section(".head.text") __startup_pvh(unsigned long physaddr) /* expect: HV202 */
{
	return physaddr;
}

/* Prototypes spell sections too. */
void pvh_late_setup(void) __section(".init.text"); /* expect: HV202 */
extern int pvh_boot_stage __section(".init.data"); /* expect: HV202 */

/* A raw attribute whose section has a named macro: both rules, one line. */
int pvh_boot_done __attribute__((section(".init.data"))) = 0; /* expect: HV201 HV202 */
static const char pvh_name[] __attribute__((__section__(".init.rodata"))) = "PVH"; /* expect: HV201 HV202 */
unsigned int xen_pv_ops_flags __attribute__ ((section (".data..read_mostly"))); /* expect: HV201 HV202 */
static void __attribute__((section(".init.text"))) pvh_early_banner(void) { } /* expect: HV201 HV202 */
static int pvh_frozen __attribute__((__section__(".data..ro_after_init"), __aligned__(8))); /* expect: HV201 HV202 */

/* Split declaration: reported at the line of __section. */
static unsigned long
pvh_boot_cookie
	__section(".init.data") = 0xdead; /* expect: HV202 */

/* Split string literals do not hide the section. */
static int pvh_boot_split __section(".init" ".data"); /* expect: HV202 */

/* Static local. */
static int __init pvh_count(void)
{
	static int seen __section(".init.data"); /* expect: HV202 */

	return ++seen;
}

/* No named macro for these sections: nothing to suggest. */
static int xen_early_flag __section(".data");
static char xen_scratch[64] __section(".init.scratch");
static void __section(".inittext") early_serial_putc(int c) { }
static char purgatory[8] __section(".kexec-purgatory");
static const char discard_me[] __section(".discard.pvh") = "x";

/* __bss_decrypted exists only under CONFIG_AMD_MEM_ENCRYPT: not suggested. */
static u64 early_decrypted_page __section(".bss..decrypted");

/* The named macros themselves, used: fine. */
static int early_ok __initdata;
static const u32 early_ok_const[] __initconst = { 1 };
unsigned long xen_ok_mostly __read_mostly;
unsigned long xen_ok_rai __ro_after_init;
static char ok_page[4096] __page_aligned_bss;
void __init pvh_ok_setup(void) { }
