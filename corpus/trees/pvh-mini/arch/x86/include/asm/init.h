/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_INIT_H
#define _ASM_X86_INIT_H

/*
 * Code that runs from the identity mapping, before the kernel's own page
 * tables exist: it must not use absolute addresses.
 */
#define __head	__section(".head.text")

#endif /* _ASM_X86_INIT_H */
