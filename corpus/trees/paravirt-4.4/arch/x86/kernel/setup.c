// SPDX-License-Identifier: GPL-2.0
/*
 *  Copyright (C) 1995  Linus Torvalds
 *
 *  Reduced: the order of hypervisor detection against the code around it.
 */
#include <linux/init.h>

#include <asm/hypervisor.h>
#include <xen/xen.h>

extern void __init early_query_helper(void);
extern void __init tboot_probe(void);
extern void early_cpu_init(void);
extern void parse_early_param(void);
extern void dmi_scan_machine(void);
extern void xen_reserve_p2m(void);
extern void vmware_disable_tsc_calibration(void);
extern void xen_setup_shared_info_late(void);
extern void e820_reserve_resources(void);
extern void kvm_guest_hint(void);
extern void mark_tsc_unstable(const char *reason);

/* Pretends to know the hypervisor before it is detected. */
static void __init early_platform_quirks(void)
{
	if (x86_hyper_type == X86_HYPER_MS_HYPERV) /* expect: HV103 */
		mark_tsc_unstable("running on Hyper-V");
}

/*
 * Fine this early: xen_domain_type is set by xen_start_kernel() on the Xen PV
 * entry path, before start_kernel() is called.
 */
static void __init early_xen_reserve(void)
{
	if (xen_pv_domain())
		xen_reserve_p2m();
}

void __init setup_arch(char **cmdline_p)
{
	early_cpu_init();
	parse_early_param();

	early_query_helper();

	if (hypervisor_is_type(X86_HYPER_KVM)) /* expect: HV103 */
		kvm_guest_hint();

	early_platform_quirks();
	early_xen_reserve();

	dmi_scan_machine();

	/*
	 * VMware detection requires dmi to be available, so this
	 * needs to be done after dmi_scan_machine, for the BP.
	 */
	init_hypervisor_platform();

	if (hypervisor_is_type(X86_HYPER_VMWARE))
		vmware_disable_tsc_calibration();
	if (xen_domain())
		xen_setup_shared_info_late();

	e820_reserve_resources();

	tboot_probe();
}
