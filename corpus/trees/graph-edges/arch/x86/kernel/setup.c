// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>
#include <linux/demo.h>

struct demo_init demo_init;

/* Two files define a static `helper`: two different symbols. */
static int helper(void) /* expect: HV305 */
{
	return 1;
}

void __init setup_arch(void)
{
	helper();
	/* a call through an ops member: connected to every function assigned to it */
	demo_init.hyper.init_platform();
	demo_inline_helper(DEMO_MACRO(2));
#ifdef CONFIG_DEMO_EXTRA
	demo_outside();
#endif
}
