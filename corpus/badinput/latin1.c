// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2016 René Müller <rene@example.org>
 * Written in Latin-1: é and ü are single bytes, not UTF-8.
 */
#include <linux/init.h>

int pvh_latin1_flag __attribute__((section(".data"))) = 0;
static const int pvh_latin1_tab[] __initdata = { 1 };
static int pvh_latin1_ok __initdata;
