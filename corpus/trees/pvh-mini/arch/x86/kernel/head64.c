// SPDX-License-Identifier: GPL-2.0
/*
 *  prepare to run common code
 *
 *  Runs from startup_64 on the early identity map: __head code may not use
 *  absolute addresses, and nothing here may rely on .bss before clear_bss().
 */
#include <linux/init.h>
#include <linux/linkage.h>
#include <linux/cache.h>
#include <linux/start_kernel.h>

#include <asm/init.h>
#include <asm/mem_encrypt.h>
#include <asm/setup.h>

#define EARLY_DYNAMIC_PAGE_TABLES	64

/* Early page table state: written before .bss is cleared, hence .data. */
static unsigned int next_early_pgt __section(".data");
unsigned long early_pmd_flags __section(".data") = 0x1e3;

unsigned int __pgtable_l5_enabled __ro_after_init;
unsigned int pgdir_shift __ro_after_init = 39;
unsigned int ptrs_per_p4d __section(".data..ro_after_init") = 1; /* expect: HV202 */

/* GHCB page shared with the hypervisor: unencrypted, so not plain .bss. */
static char early_ghcb_page[4096] __bss_decrypted __aligned(4096);
static char early_ghcb_spare[4096] __section(".bss..decrypted") __aligned(4096);

static unsigned long __head fixup_address(unsigned long vaddr, unsigned long physaddr)
{
	return vaddr - (unsigned long)_text + physaddr;
}

static void __section(".head.text") reset_early_pgts(void) /* expect: HV202 */
{
	next_early_pgt = 0;
}

unsigned long __head __startup_64(unsigned long physaddr, struct boot_params *bp)
{
	unsigned long load_delta;

	load_delta = fixup_address((unsigned long)_text, physaddr);
	reset_early_pgts();
	sme_enable(bp);

	return load_delta + early_pmd_flags;
}

/* Don't add a printk in there: printk relies on state that is not set up yet. */
static void __init clear_bss(void)
{
	memset(__bss_start, 0,
	       (unsigned long) __bss_stop - (unsigned long) __bss_start);
}

static void __init copy_bootdata(char *real_mode_data)
{
	char *command_line;

	memcpy(&boot_params, real_mode_data, sizeof(boot_params));
	if (boot_params.hdr.cmd_line_ptr) {
		command_line = __va(boot_params.hdr.cmd_line_ptr);
		memcpy(boot_command_line, command_line, COMMAND_LINE_SIZE);
	}
}

asmlinkage __visible void __init __noreturn x86_64_start_kernel(char *real_mode_data)
{
	/* Kill off the identity-map trampoline */
	reset_early_pgts();

	clear_bss();

	copy_bootdata(__va(real_mode_data));

	sme_early_init();

	x86_64_start_reservations(real_mode_data);
}

void __init __noreturn x86_64_start_reservations(char *real_mode_data)
{
	/* version is always not zero if it is copied */
	if (!boot_params.hdr.type_of_loader)
		copy_bootdata(__va(real_mode_data));

	start_kernel();
}
