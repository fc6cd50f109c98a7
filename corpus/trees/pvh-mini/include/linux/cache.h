/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __LINUX_CACHE_H
#define __LINUX_CACHE_H

#include <linux/compiler_types.h>
#include <asm/cache.h>

#ifndef SMP_CACHE_BYTES
#define SMP_CACHE_BYTES L1_CACHE_BYTES
#endif

/*
 * __read_mostly keeps rarely written variables away from the busy cache lines.
 * Architectures that can do it define it in asm/cache.h; elsewhere it is empty.
 */
#ifndef __read_mostly
#define __read_mostly
#endif

/*
 * __ro_after_init: written during init only; the section is made read-only by
 * mark_rodata_ro() once init is done.
 */
#ifndef __ro_after_init
#define __ro_after_init __section(".data..ro_after_init")
#endif

#ifndef __cacheline_aligned
#define __cacheline_aligned						\
  __attribute__((__aligned__(SMP_CACHE_BYTES),				\
		 __section__(".data..cacheline_aligned")))
#endif

#endif /* __LINUX_CACHE_H */
