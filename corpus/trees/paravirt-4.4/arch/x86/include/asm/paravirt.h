/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_PARAVIRT_H
#define _ASM_X86_PARAVIRT_H

struct pv_info {
	unsigned int kernel_rpl;
	int shared_kernel_pmd;
#ifdef CONFIG_X86_64
	unsigned short extra_user_64bit_cs;	/* __USER_CS if none */
#endif
	int paravirt_enabled;
	const char *name;
};

#ifdef CONFIG_PARAVIRT
extern struct pv_info pv_info;

/* The accessor itself: reading the flag here is what it is for. */
static inline int paravirt_enabled(void)
{
	return pv_info.paravirt_enabled;
}
#else
#define paravirt_enabled()	0
#endif /* CONFIG_PARAVIRT */

#endif /* _ASM_X86_PARAVIRT_H */
