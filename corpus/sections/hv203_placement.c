// SPDX-License-Identifier: GPL-2.0
/*
 * HV203: the annotation sits where GCC applies it to the struct or union
 * *type* and drops it for the object ("attribute ignored in declaration of
 * 'struct x'"): between struct and the tag, or after the closing brace of the
 * body.  The object lands in .data or .bss, not in .init.data.
 */
#include <linux/init.h>
#include <linux/types.h>

struct pvh_mem_range {
	u64 start;
	u64 size;
};

/* Between struct/union and the tag. */
static struct __initdata pvh_boot_state_s { int stage; } pvh_boot_state; /* expect: HV203 */
struct __initdata pvh_mem_range pvh_first_range; /* expect: HV203 */
static union __initdata pvh_word_u { u32 w; u8 b[4]; } pvh_word; /* expect: HV203 */
static const struct __initconst pvh_tbl_s { int a; } pvh_tbl = { 1 }; /* expect: HV203 */

/* After the closing brace of a struct body. */
static struct {
	int nr;
	u64 base;
} __initdata pvh_early_mods = { 1 }; /* expect: HV203 */
static struct { int a; } __initdata pvh_one_line = { 1 }; /* expect: HV203 */
static struct pvh_cfg_s {
	int a;
} __initdata pvh_cfg; /* expect: HV203 */
static const struct {
	const char *name;
} __initconst pvh_names[] = { /* expect: HV203 */
	{ "xen" },
};

/* The same with pointer declarators, enums, and over several lines. */
static struct __initdata pvh_mem_range *pvh_range_ptr; /* expect: HV203 */
static struct pvh_node_s { int id; } __initdata *pvh_first_node; /* expect: HV203 */
static enum pvh_mode { PVH_MODE_32, PVH_MODE_64 } __initdata pvh_mode = PVH_MODE_64; /* expect: HV203 */
static struct
__initdata /* expect: HV203 */
pvh_mem_range pvh_split_range;

/* Static locals. */
static int __init pvh_scan(void)
{
	static struct { int a; } __initdata seen = { 1 }; /* expect: HV203 */
	static struct __initdata pvh_mem_range last; /* expect: HV203 */
	static struct pvh_mem_range first __initdata;

	return seen.a + (int)last.size + (int)first.size;
}

/* GCC honours these: the annotation reaches the object. */
static int __initdata pvh_count;
static __initdata int pvh_count2;
static int pvh_count3 __initdata;
struct pvh_mem_range pvh_second_range __initdata;
static struct pvh_mem_range __initdata pvh_third_range;
static __initdata struct pvh_mem_range pvh_fourth_range;
static struct pvh_mem_range pvh_ranges[4] __initdata = {
	{ .start = 0, .size = 0x9f000 },
};
static struct pvh_late_s { int a; } pvh_late __initdata;
static struct {
	int a;
} pvh_anon __initdata = { 2 };
static const struct pvh_mem_range pvh_low_range __initconst = { 0, 0x1000 };
struct pvh_mem_range __initdata *pvh_range_cursor;
static struct pvh_mem_range __initdata pvh_pair[2], pvh_single;
static struct pvh_mem_range /* boot only */ __initdata pvh_commented;

/* A plain struct definition with no object: nothing to place. */
struct pvh_empty_s {
	int unused;
};
