// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Common hypervisor code: find out which hypervisor we run on, once, from
 * setup_arch().
 */
#include <linux/init.h>

#include <asm/hypervisor.h>

extern const struct hypervisor_x86 x86_hyper_vmware;
extern const struct hypervisor_x86 x86_hyper_xen_hvm;
extern const struct hypervisor_x86 x86_hyper_kvm;

static const struct hypervisor_x86 * const hypervisors[] __initconst =
{
	&x86_hyper_vmware,
	&x86_hyper_xen_hvm,
	&x86_hyper_kvm,
};

enum x86_hypervisor_type x86_hyper_type;

static const struct hypervisor_x86 * __init detect_hypervisor_vendor(void)
{
	const struct hypervisor_x86 *h = 0;
	unsigned int pri, max_pri = 0;
	int i;

	for (i = 0; i < 3; i++) {
		pri = hypervisors[i]->detect();
		if (pri > max_pri) {
			max_pri = pri;
			h = hypervisors[i];
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
	if (h->init_platform)
		h->init_platform();
}
