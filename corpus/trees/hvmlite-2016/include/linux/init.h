#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H

#include <linux/compiler.h>

/*
 * Some architecture have tool chains which do not handle rodata attributes
 * correctly.  For those, const data gets no special section, so __initconst
 * depends on the configuration here.
 */
#ifdef CONFIG_BROKEN_RODATA
#define __constsection(x)
#else
#define __constsection(x) __section(x)
#endif

/* These are for everybody (although not all archs will actually
   discard it in modules) */
#define __init		__section(.init.text) __cold notrace
#define __initdata	__section(.init.data)
#define __initconst	__constsection(.init.rodata)
#define __exitdata	__section(.exit.data)
#define __exit_call	__used __section(.exitcall.exit)

/* modpost does not warn about references to .init from these. */
#define __ref		__section(.ref.text) noinline
#define __refdata	__section(.ref.data)
#define __refconst	__constsection(.ref.rodata)

#define __exit		__section(.exit.text) __used __cold notrace

#endif /* _LINUX_INIT_H */
