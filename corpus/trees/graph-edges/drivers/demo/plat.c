// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>
#include <linux/demo.h>

static int helper(void)
{
	return 2;
}

static int __init demo_plat_init(void)
{
	return helper();
}

static void demo_shutdown(void)
{
}

/* The ops table: .init_platform = demo_plat_init is a reference from data to code. */
static const struct demo_ops demo_plat_ops __initconst = {
	.init_platform = demo_plat_init,
	.shutdown = demo_shutdown,
};

static int __init demo_early(void)
{
	demo_init.hyper = demo_plat_ops;
	return 0;
}
early_initcall(demo_early);

static int __init demo_param(char *str)
{
	return demo_inline_helper(1);
}
__setup("demo=", demo_param);

/* Outlives init: what it points to can be called at any time. */
const struct demo_ops demo_runtime_ops = {
	.shutdown = demo_shutdown,
};
