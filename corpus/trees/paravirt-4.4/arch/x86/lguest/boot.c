/*
 * Lguest-specific paravirt_ops implementation (reduced to lguest_init()).
 *
 * Copyright (C) 2006, Rusty Russell <rusty@rustcorp.com.au> IBM Corporation.
 */
#include <linux/init.h>

#include <asm/paravirt.h>

extern void lguest_init_IRQ(void);
extern void lguest_setup_irq_ops(void);
extern void i386_start_kernel(void);

/*
 * lguest_init() is called from head_32.S's lguest_entry, before the kernel
 * proper starts: it fills pv_info and the paravirt ops with our versions.
 */
__init void lguest_init(void)
{
	/* We're under lguest. */
	pv_info.name = "lguest";
	/* Paravirt is enabled. */
	pv_info.paravirt_enabled = 1; /* expect: HV101 */
	/* We're running at privilege level 1, not 0 as normal. */
	pv_info.kernel_rpl = 1;
	/* Everyone except Xen runs with this set. */
	pv_info.shared_kernel_pmd = 1;

	lguest_setup_irq_ops();

	/* Now we're set up, call i386_start_kernel() in head32.c and we proceed
	 * to boot as normal.  It never returns. */
	i386_start_kernel();
}
