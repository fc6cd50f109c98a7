/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_DEMO_H
#define _LINUX_DEMO_H
#include <linux/init.h>

struct demo_ops {
	int (*init_platform)(void);
	void (*shutdown)(void);
};

struct demo_init {
	struct demo_ops hyper;
};

extern struct demo_init demo_init;

/* The prototype carries __init; the definition in drivers/demo/proto.c does not. */
void __init demo_proto_setup(void);
int demo_exported(int x);
int demo_outside(void);

/* One node per header definition, reached from every file that calls it. */
static inline int demo_inline_helper(int x)
{
	return demo_exported(x) + 1;
}

#define DEMO_MACRO(x)	((x) * 2)
#endif
