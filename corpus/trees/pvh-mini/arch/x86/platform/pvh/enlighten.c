// SPDX-License-Identifier: GPL-2.0
/*
 * HVMlite (PVH) guests start at pvh_start_xen in head.S, in 32-bit protected
 * mode with paging off and %ebx pointing at struct hvm_start_info.  The code
 * here turns the start_info into the boot_params that startup_64 expects.
 */
#include <linux/init.h>
#include <linux/cache.h>

#include <xen/xen.h>
#include <xen/interface/hvm/start_info.h>

#include <asm/bootparam.h>
#include <asm/setup.h>

#ifdef CONFIG_XEN_PVH
/*
 * pvh_start_xen fills these in before startup_64 clears .bss, so they must not
 * be in .bss.  Posted like this in "xen/hvmlite: Bootstrap HVMlite guest" (v2).
 */
int xen_hvmlite __attribute__((section(".data"))) = 0; /* expect: HV201 */
struct hvm_start_info hvmlite_start_info __attribute__((section(".data"))); /* expect: HV201 */
uint hvmlite_start_info_sz = sizeof(hvmlite_start_info);
struct boot_params xen_hvmlite_boot_params __attribute__((section(".data"))); /* expect: HV201 */
#endif

/* E820 types as the zeropage knows them. */
#define E820_TYPE_RAM		1
#define E820_TYPE_RESERVED	2
#define ISA_START_ADDRESS	0xa0000
#define ISA_END_ADDRESS		0x100000

static void __init init_pvh_bootparams(void)
{
	struct hvm_memmap_table_entry *ep;
	unsigned int i;

	memset(&xen_hvmlite_boot_params, 0, sizeof(xen_hvmlite_boot_params));

	ep = __va(hvmlite_start_info.memmap_paddr);
	for (i = 0; i < hvmlite_start_info.memmap_entries &&
		    i < E820_MAX_ENTRIES_ZEROPAGE - 1; i++, ep++) {
		xen_hvmlite_boot_params.e820_table[i].addr = ep->addr;
		xen_hvmlite_boot_params.e820_table[i].size = ep->size;
		xen_hvmlite_boot_params.e820_table[i].type = ep->type;
	}

	/* The ISA hole is never RAM, whatever the map says. */
	xen_hvmlite_boot_params.e820_table[i].addr = ISA_START_ADDRESS;
	xen_hvmlite_boot_params.e820_table[i].size = ISA_END_ADDRESS - ISA_START_ADDRESS;
	xen_hvmlite_boot_params.e820_table[i].type = E820_TYPE_RESERVED;
	xen_hvmlite_boot_params.e820_entries = i + 1;

	xen_hvmlite_boot_params.hdr.cmd_line_ptr = hvmlite_start_info.cmdline_paddr;

	/* "xen-v4.x" loader, version 0 */
	xen_hvmlite_boot_params.hdr.type_of_loader = (9 << 4) | 0;
}

/*
 * Called from pvh_start_xen in 64-bit mode, still on the early page tables.
 * This routine (and those that it calls) must not touch anything that lives
 * in .bss: startup_64 clears it afterwards.
 */
void __init xen_prepare_pvh(void)
{
	if (hvmlite_start_info.magic != XEN_HVM_START_MAGIC_VALUE)
		for (;;)
			;

	xen_hvmlite = 1;

	xen_pvh_early_init();
	init_pvh_bootparams();
}
