/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __X86_MEM_ENCRYPT_H__
#define __X86_MEM_ENCRYPT_H__

#ifndef __ASSEMBLY__

#include <linux/init.h>
#include <asm/bootparam.h>

#ifdef CONFIG_AMD_MEM_ENCRYPT

extern u64 sme_me_mask;

void __init sme_early_init(void);
void __head sme_enable(struct boot_params *bp);

/* Shared with the hypervisor: mapped unencrypted, so kept apart from .bss. */
#define __bss_decrypted __section(".bss..decrypted")

#else	/* !CONFIG_AMD_MEM_ENCRYPT */

#define sme_me_mask	0ULL

static inline void __init sme_early_init(void) { }
static inline void sme_enable(struct boot_params *bp) { }

#define __bss_decrypted

#endif	/* CONFIG_AMD_MEM_ENCRYPT */

#endif	/* __ASSEMBLY__ */

#endif	/* __X86_MEM_ENCRYPT_H__ */
