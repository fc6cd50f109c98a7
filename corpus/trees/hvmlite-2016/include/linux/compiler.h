#ifndef __LINUX_COMPILER_H
#define __LINUX_COMPILER_H

#ifndef __ASSEMBLY__

#define __aligned(x)	__attribute__((aligned(x)))
#define __used		__attribute__((__used__))
#define __cold		__attribute__((__cold__))
#define noinline	__attribute__((noinline))
#define notrace		__attribute__((no_instrument_function))

/* Simple shorthand for a section definition */
#ifndef __section
# define __section(S) __attribute__ ((__section__(#S)))
#endif

#endif /* __ASSEMBLY__ */

#endif /* __LINUX_COMPILER_H */
