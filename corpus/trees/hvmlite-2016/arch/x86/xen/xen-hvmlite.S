/*
 * HVMlite entry point: 32-bit protected mode, paging off, %ebx = start_info.
 */
#include <linux/linkage.h>
#include <linux/init.h>

	.code32
	.section .init.text, "ax"

ENTRY(hvmlite_start_xen)
	cld
	mov %ebx, %esi
	mov $hvmlite_start_info, %edi
	mov $hvmlite_start_info_sz, %eax
	mov (%eax), %ecx
	shr $2, %ecx
	rep movsl

	/* Paging and long mode setup elided. */
	.code64
	call xen_prepare_hvmlite

	mov $xen_hvmlite_boot_params, %rsi
	jmp startup_64
ENDPROC(hvmlite_start_xen)
