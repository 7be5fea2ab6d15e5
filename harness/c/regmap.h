/* SPDX-License-Identifier: MIT */
/*
 * Registers by name for C qtests: "uart0.LCR" instead of 0x10000003.
 *
 * Names resolve against the emulator's own register map (the qtest
 * extension "bt_regmap", docs/qtest-extensions.md), fetched once per
 * QTestState.  A name is DEVICE.REG or DEVICE.REGION.REG, where DEVICE is
 * the last component of the device's canonical path ("uart0" for
 * /machine/uart0, "t0" for /machine/peripheral/t0), a longer suffix of it
 * or the whole path.  Accesses use the register's width, clamped to the
 * sizes its region accepts.
 *
 * An unknown or ambiguous name, an unmapped region or a failed
 * expectation fails the test through qtest_fail_test() (the failure hook),
 * with a message naming the device, its type, the register, the fields
 * that differ and both values.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "harness/c/libqtest.h"

/** One register of the live map (strings owned by the map's cache). */
typedef struct QTestReg {
    const char *device_path; /* "/machine/uart0" */
    const char *device_type; /* "ns16550a" */
    const char *region;      /* "regs" */
    const char *name;        /* "LCR" */
    uint64_t addr;           /* base of the region + offset */
    uint64_t offset;
    unsigned width;       /* bytes */
    unsigned access_size; /* bytes per access */
    uint64_t reset, rw, w1c, w1s, rc, unimp;
    bool read_hook, write_hook;
} QTestReg;

/**
 * Resolves @name in @qts's register map into *@out (valid while @qts
 * lives).  Returns false with @errp set (listing the known names) for an
 * unknown, ambiguous or unmapped register, or when the emulator has no
 * bt_regmap.
 */
bool qtest_reg_lookup(QTestState *qts, const char *name, QTestReg *out,
                      GError **errp);

/** Address of register @name; fails the test if it does not resolve. */
uint64_t qtest_reg_addr(QTestState *qts, const char *name);

/** Reads register @name (masked to its width). */
uint64_t qtest_reg_read(QTestState *qts, const char *name);

/** Writes @value to register @name. */
void qtest_reg_write(QTestState *qts, const char *name, uint64_t value);

/**
 * Reads register @name and fails the test unless it equals @value; the
 * message names device, register, each differing field and both values.
 * Returns what was read.
 */
uint64_t qtest_reg_expect(QTestState *qts, const char *name, uint64_t value);

/** Same, comparing only the bits in @mask. */
uint64_t qtest_reg_expect_mask(QTestState *qts, const char *name,
                               uint64_t value, uint64_t mask);

/**
 * The message qtest_reg_expect_mask() fails with, for @got against @want
 * under @mask (caller frees).  For tests of this library.
 */
char *qtest_reg_mismatch_message(QTestState *qts, const char *name,
                                 uint64_t want, uint64_t got, uint64_t mask);
