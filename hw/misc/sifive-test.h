/* SPDX-License-Identifier: MIT */
/*
 * SiFive test finisher: a write to FINISHER ends the emulator or resets the
 * machine.  Offsets and command values shared by boards and tests.
 */
#pragma once

#include "emu/device.h"

#define TYPE_SIFIVE_TEST "sifive-test"

extern const DeviceClass sifive_test_class;

#define SIFIVE_TEST_REGS_SIZE 0x1000

/* Offsets */
#define SIFIVE_TEST_FINISHER 0x000

/* FINISHER: bits 15:0 are the status, bits 31:16 the FAIL exit code. */
#define SIFIVE_TEST_STATUS_MASK 0xffffu
#define SIFIVE_TEST_CODE_SHIFT  16
#define SIFIVE_TEST_FAIL        0x3333u
#define SIFIVE_TEST_PASS        0x5555u
#define SIFIVE_TEST_RESET       0x7777u
