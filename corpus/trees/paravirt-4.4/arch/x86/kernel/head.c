// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>

#include <asm/paravirt.h>

#define BIOS_LOWMEM_KILOBYTES	0x413
#define INSANE_CUTOFF		0x20000U
#define LOWMEM_CAP		0x9f000U
#define BIOS_END		0x100000U

extern unsigned short get_bios_ebda(void);
extern unsigned int read_lowmem_kb(unsigned long where);
extern void memblock_reserve(unsigned long base, unsigned long size);

/*
 * The BIOS places the EBDA/XBDA at the top of conventional
 * memory, and usually decreases the reported amount of
 * conventional memory (int 0x12) too.  Reserve from the lowest of
 * the two up to the end of the BIOS area.
 */
void __init reserve_ebda_region(void)
{
	unsigned int lowmem, ebda_addr;

	/*
	 * To be on the safe side, no EBDA reservation in a paravirtualized
	 * guest: its low memory is not laid out by a PC BIOS.
	 */
	if (paravirt_enabled()) /* expect: HV102 HV103 */
		return;

	lowmem = read_lowmem_kb(BIOS_LOWMEM_KILOBYTES) << 10;
	ebda_addr = get_bios_ebda();

	if (ebda_addr < INSANE_CUTOFF)
		ebda_addr = LOWMEM_CAP;
	if (lowmem < INSANE_CUTOFF)
		lowmem = LOWMEM_CAP;

	lowmem = lowmem < ebda_addr ? lowmem : ebda_addr;
	if (lowmem > LOWMEM_CAP)
		lowmem = LOWMEM_CAP;

	memblock_reserve(lowmem, BIOS_END - lowmem);
}
