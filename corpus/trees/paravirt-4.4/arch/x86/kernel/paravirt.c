// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Paravirtualization interfaces
 *
 * Reduced to pv_info.  Upstream 4.4 also spells `.paravirt_enabled = 0,` here;
 * it is left out (0 is the default) so that the only initializers of the flag
 * in this tree are the ones that turn it on.
 */
#include <asm/paravirt.h>

struct pv_info pv_info = {
	.name = "bare hardware",
	.kernel_rpl = 0,
	.shared_kernel_pmd = 1,	/* Only used when CONFIG_X86_PAE is set */
};
