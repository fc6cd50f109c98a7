// SPDX-License-Identifier: GPL-2.0
/* No compile command: tree-sitter reads it in precise mode too. */
extern int pvh_runtime(void);

void start_kernel(void)
{
	pvh_runtime();
}
