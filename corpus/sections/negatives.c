// SPDX-License-Identifier: GPL-2.0
/*
 * Nothing in this file is a finding.  Comments may mention
 * __attribute__((section(".init.data"))), __section(".init.data") and
 * "static const int x[] __initdata" freely.
 */
#include <linux/init.h>
#include <linux/cache.h>
#include <linux/percpu.h>
#include <linux/syscalls.h>

// int commented_out __attribute__((section(".init.data")));
/* static const char * const names[] __initdata = { "x" }; */

/* Strings and characters. */
static const char *pvh_msg = "__attribute__((section(\".init.data\")))";
static const char *pvh_msg2 = "static const int z __initdata = 1; struct __initdata s x;";
static const char pvh_quote = '"';
static const char *pvh_after_quote = "__section(\".init.rodata\")";

/* __section(".data"): the deliberate idiom for data written before .bss is cleared. */
int xen_start_flags __section(".data") = 0;
struct hvm_start_info pvh_start_info_copy __section(".data");

/* Attributes that are not sections. */
static u8 early_stack[4096] __attribute__((aligned(16)));
struct pvh_packed { u8 a; u32 b; } __attribute__((packed));
static int pvh_unused __attribute__((unused));
static void __attribute__((noinline)) pvh_slow(void) { }
int pvh_weak_hook(void) __attribute__((weak));
static int pvh_cleanup_var __attribute__((cleanup(pvh_free)));
int pvh_alias(void) __attribute__((alias("pvh_weak_hook")));

/* Declarator lists: the annotation belongs to one object. */
static int pvh_a __initdata, pvh_b;
static int pvh_c, pvh_d __initdata = 2;
static const char *pvh_e __initdata, *const pvh_f = "f";
static const int pvh_g = 1, *pvh_h __initdata = &pvh_g;

/* Multi-line declarations. */
static const char *pvh_long_names[]
	__initdata = {
	"one",
	"two",
};
static unsigned long
pvh_multi
__initdata;

/* Declarations of things defined elsewhere. */
void __init pvh_init_prototype(void);
extern int pvh_extern_data __initdata;
extern const int pvh_extern_const __initconst;
extern char __initdata boot_command_line[];
extern void __exit pvh_exit_prototype(void);

/* Assembly that names sections. */
asm(".pushsection .init.data, \"aw\"\n\t.popsection");
static void pvh_barrier(void)
{
	asm volatile(".pushsection .data..read_mostly, \"aw\"\n\t.popsection" ::: "memory");
	__asm__ __volatile__(".section .init.rodata, \"a\"\n\t.previous");
}

/* Kernel declaration macros. */
DEFINE_PER_CPU(int, xen_vcpu_id);
DEFINE_PER_CPU_READ_MOSTLY(int, xen_vcpu_nr);
DECLARE_PER_CPU(struct vcpu_info *, xen_vcpu);
SYSCALL_DEFINE2(pvh_test, int, a, const char __user *, b)
{
	return a;
}
DEFINE_VVAR(struct vdso_data, _vdso_data);
EXPORT_SYMBOL_GPL(xen_start_flags);
early_param("pvh", pvh_init_prototype);

/* Identifiers that merely look like the keywords. */
struct pvh_sec_desc {
	const char *section;
	int __initdata_count;
};
static struct pvh_sec_desc pvh_desc = { .section = ".init.data" };

static int pvh_locals(void)
{
	int section = 1;
	int __attribute__((unused)) tmp = section;

	pvh_desc.section = ".data..read_mostly";
	return tmp + pvh_desc.__initdata_count;
}

/* Right annotations, right kinds. */
static int __init pvh_setup(char *str)
{
	static char buf[16] __initdata;
	static const char *const tags[] __initconst = { "a", "b" };

	return buf[0] + tags[0][0] + str[0];
}
static void __exit pvh_cleanup(void) { }
unsigned long pvh_max_pfn __read_mostly;
unsigned long pvh_flags __ro_after_init;
static char pvh_page[4096] __page_aligned_bss;
static u64 pvh_decrypted __bss_decrypted;
noinstr void pvh_entry(void) { }
static int __ref pvh_late(void) { return pvh_setup(NULL); }

/* Annotation orders and shapes seen all over the kernel. */
asmlinkage __visible void __init pvh_start_c(void) { }
static int __init __maybe_unused pvh_opt(void) { return 0; }
static noinline int __init pvh_noinline(void) { return 0; }
int __init __weak pvh_arch_hook(void) { return 0; }
static __always_inline int __init pvh_inline_init(void) { return 0; }
static __init int pvh_early_order(void) { return 0; }
void __init pvh_param(struct boot_params *bp __maybe_unused) { }
static char * __init pvh_ret_ptr(void) { return NULL; }
static char __init *pvh_ret_ptr2(void) { return NULL; }
static int __init pvh_split_params(int a,
				   int b)
{
	int r = a + b;

	if (r)
		goto out;
out:
	return r;
}
late_initcall(pvh_opt);

static const char pvh_banner[] __initconst __aligned(1) = "pvh";
static char pvh_cmd[2048] __initdata __aligned(8);
static u8 pvh_bounce[4096] __initdata __aligned(4096);
static DEFINE_SPINLOCK(pvh_lock);
static LIST_HEAD(pvh_list);
static struct pvh_sec_desc pvh_init_desc __initdata = { .section = "x", };
static unsigned long __initdata pvh_nr = 0;
static int __initdata pvh_x1 = 1, pvh_x2 = 2;
static bool __initdata pvh_y1;
static __initconst const char *const pvh_tags[] = { "a" };
static const u16 __initconst pvh_ids[] = { 1 };
static const struct { int a; } pvh_anon_tbl[] __initconst = { { 1 } };
static const struct pci_device_id pvh_pci_ids[] __initconst = { { PCI_DEVICE(0x5853, 0x0001) }, { 0, } };
MODULE_DEVICE_TABLE(pci, pvh_pci_ids);

/* Function pointers: const tables in .init.rodata, writable ones in .init.data. */
static void (*const pvh_ro_hooks[])(void) __initconst = { pvh_cleanup }; /* expect: HV304 */
static int (*const pvh_init_fns[])(void) __initconst = { pvh_opt };
static const struct pvh_sec_desc *(*pvh_getter)(void) __initdata;
static void (*pvh_rw_hooks[2])(void) __initdata;
