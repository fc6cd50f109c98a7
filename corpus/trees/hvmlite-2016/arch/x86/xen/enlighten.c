/*
 * Core of the Xen paravirt ops implementation, reduced to the HVMlite boot
 * path of the v2 series.  Section macros here are the 4.5 ones: unquoted.
 */
#include <linux/init.h>
#include <linux/cache.h>
#include <linux/linkage.h>

#include <xen/interface/hvm/start_info.h>

#include <asm/bootparam.h>
#include <asm/setup.h>

/* Set by the entry code before .bss is cleared. */
struct start_info *xen_start_info __section(.data);

enum xen_domain_type xen_domain_type __read_mostly = XEN_NATIVE;

#ifdef CONFIG_XEN_PVH
/*
 * These variables are used before startup_{32|64} have cleared .bss, so they
 * must not be in .bss.  The review asked for a named macro instead of the raw
 * attribute; "we only need this early in the boot" pointed at __initdata.
 */
int xen_hvmlite __attribute__((section(".data"))) = 0; /* expect: HV201 */
struct hvm_start_info hvmlite_start_info __attribute__((section(".data"))); /* expect: HV201 */
uint hvmlite_start_info_sz = sizeof(hvmlite_start_info);
struct boot_params xen_hvmlite_boot_params __attribute__((section(".data"))); /* expect: HV201 */
#endif

/* Old-style spellings of named sections: this tree has a macro for them. */
static int xen_early_stage __section(.init.data); /* expect: HV202 */
static int xen_boot_cookie __attribute__((section(".init.data"))); /* expect: HV201 HV202 */
unsigned long xen_max_pfn_seen __section(.data..read_mostly); /* expect: HV202 */
static char xen_bounce[4096] __section(.bss..page_aligned); /* expect: HV202 */

/*
 * No HV202 here, although Linux 6.12 has names for both: this tree has no
 * __ro_after_init yet, and its __initconst depends on CONFIG_BROKEN_RODATA.
 */
unsigned long xen_features_seen __section(.data..ro_after_init);
static const char xen_sig[] __section(.init.rodata) = "XenVMMXenVMM";

/* Const data with a data macro is wrong in any era. */
static const char * const xen_boot_modes[] __initdata = { "pv", "hvmlite" }; /* expect: HV203 */
static const char *xen_boot_names[] __initdata = { "pv", "hvmlite" };

#ifdef CONFIG_XEN_PVH
static void __init init_hvmlite_boot_params(void)
{
	xen_hvmlite_boot_params.hdr.cmd_line_ptr = hvmlite_start_info.cmdline_paddr;
	xen_hvmlite_boot_params.hdr.type_of_loader = (9 << 4) | 0;
	xen_early_stage = 1;
}

/*
 * Called from hvmlite_start_xen in 64-bit mode, before startup_64 and so
 * before .bss is cleared.
 */
void __init xen_prepare_hvmlite(void)
{
	xen_hvmlite = 1;
	xen_domain_type = XEN_HVM_DOMAIN;
	init_hvmlite_boot_params();
}
#endif
