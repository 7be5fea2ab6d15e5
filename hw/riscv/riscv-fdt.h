/* SPDX-License-Identifier: MIT */
/*
 * The /cpus node of a RISC-V board's device tree, built from the realized
 * harts (virt-machine.md §5, §7).
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "hw/core/fdt.h"
#include "target/riscv/cpu.h"

/* Our harts' paging modes: satp accepts Sv39, Sv48 and Sv57 (csr.c). */
#define RISCV_FDT_MMU_TYPE "riscv,sv57"

/**
 * The "riscv,isa" string of @cpu: "rv64" + the single-letter extensions
 * of its misa + the multi-letter ones it implements, e.g.
 * "rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc".  The
 * caller frees it.
 */
char *riscv_fdt_isa_string(const RiscvHart *cpu);

/**
 * Adds /cpus (timebase-frequency @timebase_hz) with one cpu@N node per
 * realized hart, each with its riscv,cpu-intc interrupt-controller child,
 * and cpu-map/cluster0/coreN, in QEMU 7.2's order and phandle numbering
 * (highest hart first).  Binds each hart to its intc phandle so that
 * interrupts-extended of the devices wired to the hart's irq inputs point
 * there.
 */
bool riscv_fdt_add_cpus(FdtContext *ctx, uint32_t timebase_hz, GError **errp);
