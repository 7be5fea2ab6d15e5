/* SPDX-License-Identifier: MIT */
/*
 * Accelerators: what runs the harts.  "tcg" interprets them from the main
 * loop; "qtest" runs none (the test owns time and steps harts with the
 * hart_* commands).  Run state (vm_start/vm_stop) lives in emu/loop.h; the
 * main program forwards it to the accelerator's start/stop.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct Machine Machine;

typedef struct AccelOps {
    const char *name;
    /** Attaches to the machine's harts; false + @errp on failure. */
    bool (*init)(Machine *m, GError **errp);
    /** The VM started running: harts may run. */
    void (*start)(void);
    /** The VM stopped: no hart runs until start. */
    void (*stop)(void);
    /** Something may have made a hart runnable (interrupt, WFI wake). */
    void (*kick)(void);
} AccelOps;

/** The interpreter accelerator (accel/tcg/tcg.c). */
extern const AccelOps accel_tcg_ops;

/** True after accel_tcg_ops.init: harts run from the main loop. */
bool accel_tcg_enabled(void);

/**
 * Virtual time per executed instruction in ns (default 1); also used by
 * the hart_step/hart_run qtest commands under the qtest accelerator.
 */
void accel_tcg_set_ns_per_insn(uint64_t ns);
uint64_t accel_tcg_ns_per_insn(void);

/** Instructions per hart per round-robin slice (default 10000). */
void accel_tcg_set_slice(uint64_t insns);

/**
 * Host-coupled virtual time (-accel tcg,clock=host): virtual time never runs
 * ahead of host time, and idle harts sleep until the host time of the next
 * deadline instead of jumping to it.  Off by default (deterministic).
 */
void accel_tcg_set_clock_host(bool on);
bool accel_tcg_clock_host(void);
