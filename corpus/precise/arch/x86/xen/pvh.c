// SPDX-License-Identifier: GPL-2.0
/*
 * Precise mode fixture: what libclang sees under this file's compile command
 * (-DCONFIG_XEN_PVH=1) that tree-sitter, reading the text, does not.
 * Marks: `precise:` findings with the compile command, `tree-sitter:` without it.
 */
#include <linux/init.h>

/* A section macro that depends on the configuration: __init here, as libclang sees. */
#ifdef CONFIG_XEN_PVH
#define __pvh_init __init
#else
#define __pvh_init
#endif

/* A definition made by a macro: tree-sitter sees a macro use, libclang a function. */
#define DEFINE_SETUP(name) \
	static int __init name##_setup(void) { return early_helper(); }

int __init early_helper(void) /* tree-sitter: HV302 */
{
	return 1;
}

static int __pvh_init pvh_probe(void)
{
	return early_helper(); /* tree-sitter: HV301 */
}

DEFINE_SETUP(board)

struct pvh_ops {
	int (*probe)(void);
};

static struct pvh_ops ops = {
	.probe = pvh_probe, /* precise: HV301 */
};

int pvh_runtime(void)
{
	return pvh_probe() + /* precise: HV301 */
	       board_setup(); /* precise: HV301 */
}

/* Another struct with a member of the same name: tree-sitter knows calls by the member's
 * name only, libclang by its struct too. */
struct other_ops {
	int (*probe)(void);
};

static int other_probe(void)
{
	return 0;
}

static struct other_ops other = {
	.probe = other_probe,
};

int pvh_through_ops(void)
{
	return ops.probe() + other.probe();
}

int pvh_only_pvh_ops(const struct pvh_ops *p)
{
	return p->probe();
}

early_initcall(early_helper);
