/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the parts of the hart (cpu.c, csr.c, exec.c, trap.c)
 * and nobody else.
 */
#pragma once

#include <stdint.h>

#include "target/riscv/cpu.h"

/* misa letters */
#define MISA_A      (UINT64_C(1) << 0)
#define MISA_C      (UINT64_C(1) << 2)
#define MISA_D      (UINT64_C(1) << 3)
#define MISA_F      (UINT64_C(1) << 5)
#define MISA_I      (UINT64_C(1) << 8)
#define MISA_M      (UINT64_C(1) << 12)
#define MISA_S      (UINT64_C(1) << 18)
#define MISA_U      (UINT64_C(1) << 20)
#define MISA_MXL_64 (UINT64_C(2) << 62)

/* menvcfg */
#define MENVCFG_FIOM (UINT64_C(1) << 0)
#define MENVCFG_STCE (UINT64_C(1) << 63)

/* Recomputes the live mip from mip_hw, mip_sw and Sstc; wakes WFI. */
void riscv_update_mip(RiscvHart *cpu);

/*
 * Re-evaluates Sstc: STIP = time >= stimecmp while menvcfg.STCE=1, and
 * (re)arms the timer for the crossing.  Called on stimecmp/menvcfg writes,
 * reset and when the timer fires.
 */
void riscv_sstc_update(RiscvHart *cpu);

/* Resets the CSR-side state (called by riscv_hart_reset). */
void riscv_csr_reset(RiscvHart *cpu);

/*
 * Allocates the hart's decoded-instruction cache (realize); a hart without
 * one (built by hand in a unit test) runs uncached.  unrealize frees it.
 */
void riscv_hart_init_code_cache(RiscvHart *cpu);
void riscv_hart_free_code_cache(RiscvHart *cpu);
