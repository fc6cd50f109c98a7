/* SPDX-License-Identifier: MIT */
#ifndef __XEN_PUBLIC_ARCH_X86_HVM_START_INFO_H__
#define __XEN_PUBLIC_ARCH_X86_HVM_START_INFO_H__

/*
 * What the hypervisor hands a PVH guest in %ebx at its 32-bit entry point.
 * All addresses are guest-physical; the layout is an ABI and only grows.
 */
#define XEN_HVM_START_MAGIC_VALUE 0x336ec578

struct hvm_start_info {
	uint32_t magic;			/* XEN_HVM_START_MAGIC_VALUE */
	uint32_t version;		/* 0 or 1 */
	uint32_t flags;
	uint32_t nr_modules;		/* entries in the module list */
	uint64_t modlist_paddr;		/* struct hvm_modlist_entry[] */
	uint64_t cmdline_paddr;		/* NUL-terminated command line */
	uint64_t rsdp_paddr;		/* ACPI RSDP, or 0 */
	uint64_t memmap_paddr;		/* version >= 1: the memory map */
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;			/* E820 type */
	uint32_t reserved;
};

#endif /* __XEN_PUBLIC_ARCH_X86_HVM_START_INFO_H__ */
