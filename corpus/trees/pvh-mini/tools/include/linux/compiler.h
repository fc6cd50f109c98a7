/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOOLS_LINUX_COMPILER_H_
#define _TOOLS_LINUX_COMPILER_H_

/*
 * User-space copies of the kernel's attribute shorthands, for tools/.  The
 * raw spellings are expected here: tools/ is not kernel code.
 */
#ifndef __section
# define __section(S) __attribute__((section(S)))
#endif

#define __maybe_unused	__attribute__((unused))

static int tools_probe_flag __attribute__((section(".data"))) __maybe_unused;

#endif /* _TOOLS_LINUX_COMPILER_H_ */
