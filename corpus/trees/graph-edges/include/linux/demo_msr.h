/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_DEMO_MSR_H
#define _LINUX_DEMO_MSR_H

/* A macro with one definition per configuration: a call to it calls what each definition
 * calls, each edge labelled with the condition of its definition. */
#ifdef CONFIG_DEMO_PARAVIRT
#define demo_rdmsr(m)		paravirt_demo_read_msr(m)
#else
#define demo_rdmsr(m)		native_demo_read_msr(m)
#endif

/* A function with debugging on, a macro otherwise (like __phys_addr). */
#ifdef CONFIG_DEMO_DEBUG
extern void demo_count_add(int v);
#else
#define demo_count_add(v)	__demo_count_add(v)
#endif

/* `if (0)` keeps the format checked and the call compiled out. */
#define demo_no_printk(fmt)	({ if (0) demo_printk(fmt); 0; })

/* A pasted name is not the parameter's value; a cast is not a call to `void`. */
#define demo_assert(cond, prefix, suffix)	\
	do { if (!(cond)) prefix ## suffix(); ((void (*)(int))demo_sink)(0); } while (0)
#define DEMO_BUILD_BUG_ON(c)	demo_assert(!(c), __demo_assert_, __COUNTER__)

int paravirt_demo_read_msr(int m);
int native_demo_read_msr(int m);
void __demo_count_add(int v);
void demo_printk(const char *fmt);
void demo_sink(int x);
#endif
