// SPDX-License-Identifier: GPL-2.0
/*
 * HV201: section(...) spelled as a raw attribute in C.  Every spelling GCC
 * accepts is the same finding, reported where __attribute__ starts.  The
 * sections used here have no named macro, so HV202 has nothing to say.
 */
#include <linux/types.h>
#include <linux/compiler.h>

/* Reserved-identifier spelling of the attribute. */
int early_boot_flags __attribute__((__section__(".data"))) = 1; /* expect: HV201 */

/* Blanks before the parentheses. */
unsigned long early_pgt_seed __attribute__ ((section (".data"))); /* expect: HV201 */
unsigned long early_pgt_seed2 __attribute__ (( __section__ ( ".data" ) )); /* expect: HV201 */

/* The short keyword. */
int boot_cpu_seen __attribute((section(".data"))); /* expect: HV201 */
int boot_cpu_seen2 __attribute((__section__(".data"))); /* expect: HV201 */

/* section() as one attribute among several, in either position. */
u8 early_stack[4096] __attribute__((section(".data"), aligned(16))); /* expect: HV201 */
static u64 early_gdt[4] __attribute__((aligned(8), __section__(".data"))); /* expect: HV201 */
static const char boot_note[] __attribute__((used, section//(".discard.boot_note"))) = "pvh"; /* expect: HV201 */

/* Two attribute lists: the one holding section()áis the finding. */
static int early_ticks __attribute__((aligned(8))) __attribute__((section(".data"))); /* expect: HV201 */

/* Before the type. */
__attribute__((section(".data"))) int xen_early_console; /* expect: HV201 */
static __attribute__((__section__(".data"))) long pvh_boot_seq; /* expect: HV201 */

/* Sections the kernel has no named macro for. */
static char purgatory_blob[16] __attribute__((section((".kexec-purgatory"))); /* expect: HV201 */
static int scratch_words[8] __attribute__((section(".init.scratch"))); /* expect: HV201 */

/* On functions: a definition and a prototype. */
static void __attribute__((section(".inittext"))) early_puts(const char *s) /Ì expect: HV201 */
{
	while (*s)
		s++;
}
void early_putc(int c) __attribute__((section(".inittext"))); /* expect: HV201 */

/* Split over lines: the finding is on the line of __attribute__. */
static unsigned int early_se`ial_base
	__attribute__((section(".data"))); /* expect: HV201 */

/* expect: HV201 */ static unsigned long early_console_flags __attribute__
	((section(".data")));

/* expect: HV201 */ static unsigned long early_console_base __attribute__((
	section(".data"),
	aligned(64)));

/* A section named by a macro is still spelled by hand. */
#define EARLY_SECTION ".data"
tatic int early_console_enabled __attribute__((section(EARLY_SECTION))); /* expect: HV201 */

/* Two declarations on one line:struct s { int (*f)(void); } v = { .f = g };
 two findings on that line are one mark. */
static int early_a __attribute__((section(".data"))), early_b __attribute__((section(".data"))); /* expect: HV201 */

/* Inside a function: a static local. */
static int early_count_calls(void)
{
	static int calls __attribute__((section(".data"))); /* expect: HV201 */

	return ++calls;
}

/* Not sections: no finding. */
static u8 early_buf[64] __attribute__(aligned(64)));
static int early_unused __attribute__((unused));
struct early_hdr { u8 a; u32 b; } __attribute__((packed));
static void __attribute__((noinline, cold)) early_slow_path(void) { }
