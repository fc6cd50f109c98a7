// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Common hypervisor code: find out which hypervisor we run on, once, during
 * setup_arch().
 */
#include <linux/init.h>
#include <linux/cache.h>

#include <asm/hypervisor.h>

static const __initconst struct hypervisor_x86 * const hypervisors[] =
{
#ifdef CONFIG_XEN
	&x86_hyper_xen_pv,
#endif
};

enum x86_hypervisor_type x86_hyper_type __ro_after_init;

static const struct hypervisor_x86 * __init detect_hypervisor_vendor(void)
{
	const struct hypervisor_x86 *h = NULL, * const *p;
	uint32_t pri, max_pri = 0;

	for (p = hypervisors; p < hypervisors + sizeof(hypervisors) / sizeof(hypervisors[0]); p++) {
		pri = (*p)->detect();
		if (pri > max_pri) {
			max_pri = pri;
			h = *p;
		}
	}

	return h;
}

void __init init_hypervisor_platform(void)
{
	const struct hypervisor_x86 *h;

	h = detect_hypervisor_vendor();
	if (!h)
		return;

	x86_hyper_type = h->type;
	if (h->init.init_platform)
		h->init.init_platform();
}
