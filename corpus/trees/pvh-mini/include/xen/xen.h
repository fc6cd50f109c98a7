/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XEN_XEN_H
#define _XEN_XEN_H

enum xen_domain_type {
	XEN_NATIVE,		/* running on bare hardware    */
	XEN_PV_DOMAIN,		/* running in a PV domain      */
	XEN_HVM_DOMAIN,		/* running in a Xen hvm domain */
};

extern enum xen_domain_type xen_domain_type;

#define xen_domain()		(xen_domain_type != XEN_NATIVE)
#define xen_pv_domain()		(xen_domain_type == XEN_PV_DOMAIN)
#define xen_hvm_domain()	(xen_domain_type == XEN_HVM_DOMAIN)

#ifdef CONFIG_XEN_PVH
extern int xen_hvmlite;
#define xen_pvh_domain()	(xen_hvm_domain() && xen_hvmlite)
#else
#define xen_pvh_domain()	0
#endif

struct start_info;
extern struct start_info *xen_start_info;

void __init xen_pvh_early_init(void);
uint32_t xen_cpuid_base(void);

#endif /* _XEN_XEN_H */
