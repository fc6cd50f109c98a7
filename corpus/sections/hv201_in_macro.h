/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HV201_IN_MACRO_H
#define _HV201_IN_MACRO_H

/*
 * Raw section attributes in #define bodies.  A macro whose whole purpose is to
 * name a section (__section itself, __cacheline_aligned) is where the raw
 * spelling belongs.  A macro that declares objects and spells their section
 * by hand is a finding, reported on the body line holding __attribute__.
 */

/* Annotation macros: their definitions are not findings. */
#define __section(S)		__attribute__((__section__(S)))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __cacheline_aligned __attribute__((__aligned__(SMP_CACHE_BYTES), __section__(".data..cacheline_aligned")))
#define __noinstr_section(section)				\
	noinline notrace __attribute((__section__(section)))	\
	__no_kcsan
#define __initdata		__section(".init.data")
#define __init_or_module_data	__initdata

/* vDSO data: object and section together, the name stringified. */
#define DEFINE_VVAR(type, name)						\
	type name[CS_BASES]						\
	__attribute__((section(".vvar_" #name), aligned(16))) __visible /* expect: HV201 */

#define DECLARE_VVAR(offset, type, name)				\
	extern type vvar_ ## name[CS_BASES] __visible

/* An initcall table entry, the pre-__section() spelling. */
#define __define_initcall(fn, id)					\
	static initcall_t __initcall_##fn##id __used			\
	__attribute__((__section__(".initcall" #id ".init"))) = fn /* expect: HV201 */

/* On the first line of a one-line body. */
#define EARLY_SCRATCH(name) static char name[64] __attribute__((section(".data"))) /* expect: HV201 */

/* A raw attribute with a named-macro section, in a macro that declares a function. */
#define DECLARE_EARLY_SETUP(n) void n(void) __attribute__((section(".init.text"))) /* expect: HV201 HV202 */

/* The same objects spelled with __section(): no finding. */
#define DEFINE_VVAR_OK(type, name)					\
	type name[CS_BASES] __section(".vvar_" #name) __aligned(16) __visible
#define EARLY_SCRATCH_OK(name) static char name[64] __section(".data")

/* Uses of the macros: the attribute is in the definition, not here. */
DEFINE_VVAR(struct vdso_data, _vdso_data);
EARLY_SCRATCH(early_scratch_buf);

#endif /* _HV201_IN_MACRO_H */
