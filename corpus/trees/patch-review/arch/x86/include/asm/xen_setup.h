/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_XEN_SETUP_H
#define _ASM_X86_XEN_SETUP_H

struct pv_info {
	int paravirt_enabled;
	const char *name;
};
extern struct pv_info pv_info;

int xen_parse_mode(const char *s);
void xen_boot_setup(void);
int xen_runtime_mode(void);

#endif
