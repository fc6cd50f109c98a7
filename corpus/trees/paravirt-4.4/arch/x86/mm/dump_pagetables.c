// SPDX-License-Identifier: GPL-2.0-only
/*
 * Debug helper to dump the current kernel pagetables of the system
 * so that we can see what the various memory ranges are set to.
 *
 * Reduced to the top-level walk.
 */
#include <linux/export.h>

#include <asm/paravirt.h>

#define PTRS_PER_PGD		512
#define PGD_LEVEL_MULT		(1UL << 39)
#define __PAGE_OFFSET		0xffff880000000000UL
#define pgd_index(a)		(((a) >> 39) & (PTRS_PER_PGD - 1))

struct seq_file;
typedef struct { unsigned long pgd; } pgd_t;

extern void note_page(struct seq_file *m, unsigned long addr, unsigned long val, int level);
extern int pgd_present(pgd_t pgd);
extern unsigned long pgd_val(pgd_t pgd);
extern pgd_t *swapper_pg_dir;

static inline bool is_hypervisor_range(int idx)
{
	/*
	 * ffff800000000000 - ffff87ffffffffff is reserved for
	 * the hypervisor.
	 */
	return paravirt_enabled() && /* expect: HV102 */
		(idx >= pgd_index(__PAGE_OFFSET) - 16) &&
		(idx < pgd_index(__PAGE_OFFSET));
}

void ptdump_walk_pgd_level(struct seq_file *m, pgd_t *pgd)
{
	pgd_t *start = pgd ? pgd : swapper_pg_dir;
	int i;

	for (i = 0; i < PTRS_PER_PGD; i++) {
		if (pgd_present(*start) && !is_hypervisor_range(i))
			note_page(m, i * PGD_LEVEL_MULT, pgd_val(*start), 1);
		else
			note_page(m, i * PGD_LEVEL_MULT, 0, 1);
		start++;
	}
}
EXPORT_SYMBOL_GPL(ptdump_walk_pgd_level);
