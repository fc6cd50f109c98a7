// SPDX-License-Identifier: GPL-2.0
/* Its compile command (written by the test) tries to load a plugin and read outside the tree. */
int evil_value(void)
{
	return 42;
}
