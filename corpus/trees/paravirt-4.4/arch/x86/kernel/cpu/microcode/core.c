// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU Microcode Update Driver for Linux (reduced: the late loader's init).
 */
#include <linux/init.h>

#include <asm/paravirt.h>

#define EINVAL		22
#define ENODEV		19
#define X86_VENDOR_INTEL	0
#define X86_VENDOR_AMD		2

struct microcode_ops {
	void (*apply_microcode)(int cpu);
};
struct syscore_ops {
	void (*resume)(void);
};
struct cpuinfo_x86 {
	unsigned char x86_vendor;
};

extern struct cpuinfo_x86 boot_cpu_data;
extern struct microcode_ops *init_intel_microcode(void);
extern struct microcode_ops *init_amd_microcode(void);
extern void printk(const char *fmt, ...);
extern void register_syscore_ops(struct syscore_ops *ops);

static struct microcode_ops *microcode_ops;
bool dis_ucode_ldr;

/* Reapply the microcode on the boot CPU after resume. */
static void mc_bp_resume(void)
{
	if (microcode_ops)
		microcode_ops->apply_microcode(0);
}

static struct syscore_ops mc_syscore_ops = {
	.resume			= mc_bp_resume,
};

static int __init microcode_init(void)
{
	struct cpuinfo_x86 *c = &boot_cpu_data;

	if (paravirt_enabled() || dis_ucode_ldr) /* expect: HV102 */
		return -EINVAL;

	if (c->x86_vendor == X86_VENDOR_INTEL)
		microcode_ops = init_intel_microcode();
	else if (c->x86_vendor == X86_VENDOR_AMD)
		microcode_ops = init_amd_microcode();
	else
		printk("no support for this CPU vendor\n");

	if (!microcode_ops)
		return -ENODEV;

	register_syscore_ops(&mc_syscore_ops);

	printk("Microcode Update Driver: v2.01\n");
	return 0;
}
module_init(microcode_init);
