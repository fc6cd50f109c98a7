// SPDX-License-Identifier: GPL-2.0
/*
 * HV203 through typedefs in the same file: what is const, and what is a
 * function, is a property of the type, however it is spelled.
 */
#include <linux/init.h>

struct pvh_quirk {
	int vendor;
	int flags;
};

/* A const typedef makes the object const: should be __initconst. */
typedef const struct pvh_quirk pvh_quirk_ro_t;
static pvh_quirk_ro_t pvh_typedef_quirks[] __initdata = { { 1, 2 } }; /* expect: HV203 */
typedef const int pvh_cint;
static pvh_cint pvh_typedef_limit __initdata = 8; /* expect: HV203 */
static const pvh_cint pvh_typedef_twice __initconst = 9;

/* A typedef of a pointer to const: the pointer is writable. */
typedef const char *pvh_str_t;
static pvh_str_t pvh_typedef_names[] __initdata = { "a" };
static pvh_str_t pvh_typedef_bad[] __initconst = { "b" }; /* expect: HV203 */
static const pvh_str_t pvh_typedef_ok[] __initconst = { "c" };

/* A typedef of a function type declares a function. */
typedef int pvh_initfn_t(void);
static pvh_initfn_t pvh_probe_fn __initdata; /* expect: HV203 */
static pvh_initfn_t *pvh_probe_ptr __initdata;
