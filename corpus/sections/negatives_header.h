/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PVH_NEGATIVES_H
#define _PVH_NEGATIVES_H

/*
 * A header's worth of declarations that carry annotations correctly:
 * prototypes with __init, extern data with __initdata / __initconst, and
 * inline helpers.  Nothing here is a finding.
 */
#include <linux/init.h>
#include <linux/cache.h>

struct boot_params;
struct hvm_start_info;

extern struct boot_params pvh_bootparams __initdata;
extern struct hvm_start_info pvh_start_info __initdata;
extern const unsigned int pvh_start_info_sz __initconst;
extern const char * const pvh_names[] __initconst;
extern const char *pvh_aliases[] __initdata;

void __init xen_prepare_pvh(void);
void __init mem_map_via_hcall(struct boot_params *boot_params_p);
int __init xen_pvh_setup(char *str);
void __exit xen_pvh_exit(void);
int __ref xen_pvh_online(unsigned int cpu);
int __meminit xen_pvh_add_memory(unsigned long start, unsigned long size);

extern bool xen_pvh __ro_after_init;

static inline bool xen_pvh_domain_early(void)
{
	return xen_pvh;
}

static __always_inline int pvh_probe_inline(void)
{
	return 0;
}

#ifdef CONFIG_XEN_PVH
void __init xen_pvh_init(struct boot_params *boot_params);
#else
static inline void xen_pvh_init(struct boot_params *boot_params) { }
#endif

#endif /* _PVH_NEGATIVES_H */
