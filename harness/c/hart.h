/* SPDX-License-Identifier: MIT */
/*
 * Hart control from C tests: wrappers over the hart_* qtest extension
 * (docs/qtest-extensions.md, "Hart control") and QEMU's csr command.
 * A FAIL reply fails the current test with the command and the reply.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "harness/c/libqtest.h"

/** Value of @reg ("a0", "x5", "pc", "priv", "mstatus", "0x300") of @hart. */
uint64_t qtest_hart_get(QTestState *s, unsigned hart, const char *reg);

/** Writes @val to @reg of @hart. */
void qtest_hart_set(QTestState *s, unsigned hart, const char *reg,
                    uint64_t val);

/**
 * Steps @hart by @n instructions; returns how many retired (a trap retires
 * none) and stores the new pc in *@pc when @pc is not NULL.
 */
uint64_t qtest_hart_step(QTestState *s, unsigned hart, unsigned n,
                         uint64_t *pc);

/** Privilege of @hart: 'M', 'S' or 'U'. */
char qtest_hart_priv(QTestState *s, unsigned hart);

/**
 * libqtest's qtest_csr_call(): "csr get_csr|set_csr HART CSR VAL"; returns
 * the first reply word's value and stores the CSR value in *@val.
 */
uint64_t qtest_csr_call(QTestState *s, const char *name, uint64_t cpu, int csr,
                        uint64_t *val);
