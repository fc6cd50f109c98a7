/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H
#include <linux/compiler_attributes.h>

#define __init		__section(".init.text") __cold
#define __initdata	__section(".init.data")

#ifdef __ASSEMBLY__
#define __HEAD		.section	".head.text","ax"
#define __INIT		.section	".init.text","ax"
#define __FINIT		.previous
#define __INITDATA	.section	".init.data","aw",%progbits
#endif
#endif /* _LINUX_INIT_H */
