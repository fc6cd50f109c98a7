// SPDX-License-Identifier: GPL-2.0
/*
 * The declarations from "[PATCH v2 02/11] xen/hvmlite: Bootstrap HVMlite guest"
 * (LKML, February 2016), and what review turned them into.
 *
 * The reviewer asked for the section to be named in one place instead of
 * spelled by hand; the author pointed out the data is only needed early in
 * boot, and later kernels made it __initdata / __initconst.
 */
#include <linux/init.h>
#include <xen/interface/hvm/start_info.h>
#include <asm/bootparam.h>

#ifdef CONFIG_XEN_PVH
/* As posted: .data spelled as a raw attribute.  .data has no named macro. */
int xen_hvmlite __attribute__((section(".data"))) = 0; /* expect: HV201 */
struct hvm_start_info hvmlite_start_info __attribute__((section(".data"))); /* expect: HV201 */
uint hvmlite_start_info_sz = sizeof(hvmlite_start_info);
struct boot_params xen_hvmlite_boot_params __attribute__((section(".data"))); /* expect: HV201 */
#endif

/* The same objects with the kernel's macro: the .data idiom is fine. */
int xen_pvh_v3 __section(".data") = 0;
struct hvm_start_info pvh_start_info_v3 __section(".data");
struct boot_params pvh_bootparams_v3 __section(".data");

/* Where it ended up: init-only data, and a const size in .init.rodata. */
struct boot_params __initdata pvh_bootparams;
struct hvm_start_info __initdata pvh_start_info;
const unsigned int __initconst pvh_start_info_sz = sizeof(pvh_start_info);

/* A tempting half-way step that gets the const/init split wrong. */
const unsigned int pvh_start_info_sz_v4 __initdata = sizeof(pvh_start_info); /* expect: HV203 */
