// SPDX-License-Identifier: GPL-2.0
/*
 * Architecture-specific setup: turn the boot_params into the kernel's view of
 * memory, parse the command line and find out which hypervisor we run on.
 */
#include <linux/init.h>
#include <linux/cache.h>
#include <linux/linkage.h>

#include <asm/hypervisor.h>
#include <asm/setup.h>

/* Filled in by copy_bootdata() from the real-mode data. */
struct boot_params boot_params;

/*
 * max_low_pfn_mapped: highest directly mapped pfn < 4 GB
 * max_pfn_mapped:     highest directly mapped pfn > 4 GB
 */
unsigned long max_low_pfn_mapped;
unsigned long max_pfn_mapped;

/* Range of the brk area; fixed once setup_arch() has reserved it. */
unsigned long _brk_start __attribute__((section(".data..ro_after_init"))) = 0; /* expect: HV201 HV202 */
unsigned long _brk_end __ro_after_init;

int bootloader_type __read_mostly;
int bootloader_version __read_mostly;

static char __initdata command_line[COMMAND_LINE_SIZE];

/* Printed once, at boot; the names are not needed afterwards. */
static const char *loader_names[] __initdata = {
	"LILO", "Loadlin", "bootsect-loader", "Syslinux",
	"Etherboot", "ELILO", "unknown", "GRUB",
	"U-Boot", "Xen",
};

static void __section(".init.text") parse_setup_data(void) /* expect: HV202 */
{
	bootloader_type = boot_params.hdr.type_of_loader;
	bootloader_version = bootloader_type & 0xf;
}

static void __init print_loader(void)
{
	unsigned int id = (unsigned int)bootloader_type >> 4;

	if (id < sizeof(loader_names) / sizeof(loader_names[0]))
		pr_info("Boot loader: %s\n", loader_names[id]);
}

/*
 * setup_arch - architecture-specific boot-time initializations
 *
 * Note: On x86_64, fixmaps are ready for use even before this is called.
 */
void __init setup_arch(char **cmdline_p)
{
	strscpy(command_line, boot_command_line, COMMAND_LINE_SIZE);
	*cmdline_p = command_line;

	parse_setup_data();
	print_loader();

	_brk_end = _brk_start;

	/*
	 * From here on the hypervisor is known: x86_hyper_type and the
	 * x86_init.hyper callbacks are only valid after this call.
	 */
	init_hypervisor_platform();

	max_pfn_mapped = max_low_pfn_mapped;
}
