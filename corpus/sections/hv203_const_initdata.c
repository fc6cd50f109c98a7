// SPDX-License-Identifier: GPL-2.0
/*
 * HV203: const objects in an init *data* section (they belong in .init.rodata:
 * __initconst), and __initconst on objects that are not const.  What counts is
 * whether the object itself is const, not what it points to.
 */
#include <linux/init.h>
#include <linux/types.h>

struct pvh_quirk {
	int vendor;
	int flags;
};

/* Const objects with a data macro: should be __initconst. */
static const int pvh_e820_limits[] __initdata = { 128, 256 }; /* expect: HV203 */
const int xen_pvh_min_version __initdata = 1; /* expect: HV203 */
static const char pvh_banner[] __initdata = "Booting on Xen PVH"; /* expect: HV203 */
static const char * const pvh_boot_modes[] __initdata = { "hvm", "pvh" }; /* expect: HV203 */
static char * const pvh_argv[] __initdata = { "init", NULL }; /* expect: HV203 */
static int const pvh_order __initdata = 3; /* expect: HV203 */
static __initdata const int pvh_before = 5; /* expect: HV203 */
static const int __initdata pvh_middle = 6; /* expect: HV203 */
static const struct pvh_quirk pvh_quirks[] __initdata = { /* expect: HV203 */
	{ .vendor = 1, .flags = 2 },
};
static const int pvh_refs[] __refdata = { 1, 2 }; /* expect: HV203 */
static const int pvh_exit_codes[] __exitdata = { 0, 1 }; /* expect: HV203 */
static const unsigned long pvh_hotplug_base __meminitdata = 0x100000; /* expect: HV203 */
static const int pvh_sect_const __section(".init.data") = 4; /* expect: HV203 */
extern const u8 pvh_vendor_id[] __initdata; /* expect: HV203 */

/* Multi-line: reported on the line of the macro. */
static const char * const
pvh_long_table[]
	__initdata = { /* expect: HV203 */
	"a", "b",
};

/* More ways to be const. */
static const char pvh_names2[][8] __initdata = { "xen" }; /* expect: HV203 */
static char *const *const pvh_pp __initdata = NULL; /* expect: HV203 */
static volatile const int pvh_vc __initdata = 1; /* expect: HV203 */
static const int pvh_aligned __initdata __aligned(8) = 1; /* expect: HV203 */
const int __initdata pvh_list_a = 1, pvh_list_b = 2; /* expect: HV203 */
static const int pvh_list_c = 1, pvh_list_d __initdata = 2; /* expect: HV203 */

/* Under #ifdef, and with #ifdef inside the initializer. */
#ifdef CONFIG_XEN_PVH
static const int pvh_cfg_a[] __initdata = { 1 }; /* expect: HV203 */
#else
static const int pvh_cfg_b[] __initdata = { 2 }; /* expect: HV203 */
#endif
static const struct pvh_quirk pvh_cfg_quirks[] __initdata = { /* expect: HV203 */
#ifdef CONFIG_XEN_PVH
	{ .vendor = 3 },
#endif
	{ .vendor = 0 },
};

/* Not const objects: __initdata is right (checkpatch gets the first one wrong). */
static struct { const int a; } pvh_member_const __initdata = { 1 };
static const char *const *pvh_pp2 __initdata;
static const char *pvh_names[] __initdata = { "xen", "kvm" };
static const char *pvh_default_name __initdata = "xen";
static char pvh_cmdline[256] __initdata;
static int pvh_nr_modules __initdata;
static struct pvh_quirk *pvh_active_quirk __initdata;
static const struct pvh_quirk *pvh_first_quirk __initdata;
static const char **pvh_argvp __initdata;
static const char *pvh_grid[2][2] __initdata;
struct pvh_quirk pvh_runtime_quirk __initdata = { 0 };

/* Const objects with __initconst: right. */
static const int pvh_limits[] __initconst = { 1, 2 };
static __initconst const u64 pvh_magic[2] = { 0x336ec578, 0 };
static const __initconst u64 pvh_magic2[2] = { 0x336ec578, 0 };
static const char * const pvh_modes[] __initconst = { "32", "64" };
static char * const pvh_env[] __initconst = { "HOME=/", NULL };
const struct pvh_quirk pvh_default_quirk __initconst = { .vendor = 0 };
static const int pvh_refconst_tab[] __refconst = { 3 };
static const int pvh_meminitconst_tab[] __meminitconst = { 4 };
extern const u8 pvh_vendor_name[] __initconst;

/* __initconst (and friends) on objects that are not const. */
static int pvh_retries __initconst = 1; /* expect: HV203 */
static const char *pvh_console __initconst = "hvc0"; /* expect: HV203 */
static char pvh_cmdline_copy[64] __initconst; /* expect: HV203 */
static __initconst u64 pvh_seed[2] = { 1, 2 }; /* expect: HV203 */
static int pvh_refconst_bad __refconst = 2; /* expect: HV203 */
static u32 pvh_meminit_bad[4] __meminitconst; /* expect: HV203 */
static const char *pvh_names_bad[] __initconst = { "a", "b" }; /* expect: HV203 */
static void (*pvh_hooks_bad[])(void) __initconst = { NULL }; /* expect: HV203 */

/* Static locals are declarations too. */
static int __init pvh_parse(const char *arg)
{
	static const char buf[] __initdata = "x"; /* expect: HV203 */
	static const char *fallback __initdata = "none";
	static const char tag[] __initconst = "pvh";
	static int calls __initconst; /* expect: HV203 */
	const int local_const = 2;

	if (!arg)
		arg = fallback;
	calls++;
	return arg[0] == buf[0] || arg[0] == tag[0] || local_const == calls;
}
