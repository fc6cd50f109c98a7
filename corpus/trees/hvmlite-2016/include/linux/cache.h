#ifndef __LINUX_CACHE_H
#define __LINUX_CACHE_H

#include <asm/cache.h>

/* No __ro_after_init yet: it arrived in Linux 4.6. */
#ifndef __read_mostly
#define __read_mostly
#endif

#endif /* __LINUX_CACHE_H */
