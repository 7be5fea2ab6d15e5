/* SPDX-License-Identifier: MIT */
/*
 * Instruction descriptors and the decoder.
 *
 * Each extension lists its instructions in target/riscv/insn-<ext>.def as
 *   INSN(name, fmt, match, mask, ext)
 * and implements `static void exec_<name>(RiscvHart *cpu, uint32_t insn)`
 * in target/riscv/exec-<ext>.c.inc.  A handler reads operands from @insn,
 * updates state, sets cpu->next_pc for control transfers (it is pc + length
 * on entry) and calls riscv_raise_exception() on a fault (then returns).
 * Compressed instructions are expanded to their 32-bit equivalents before
 * decoding; cpu->insn_len tells handlers the real length (JAL/JALR link).
 */
#pragma once

#include <stdint.h>

#include "target/riscv/cpu.h"

typedef void (*RiscvExecFn)(RiscvHart *cpu, uint32_t insn);

typedef struct RiscvInsnDesc {
    const char *name;
    const char *fmt; /* R I S B U J R4 CSR ... (for the disassembler) */
    uint32_t match;
    uint32_t mask;
    const char *ext; /* "I", "M", "A", "F", "D", "Zba", ... */
    RiscvExecFn exec;
} RiscvInsnDesc;

/** Every instruction, in .def order (for the decoder and its tests). */
extern const RiscvInsnDesc riscv_insns[];
extern const unsigned riscv_insn_count;

/** Descriptor matching the 32-bit @insn, or NULL (illegal). */
const RiscvInsnDesc *riscv_decode(uint32_t insn);

/**
 * Expands a 16-bit RVC parcel to the equivalent 32-bit instruction, or
 * returns 0 for an illegal/reserved encoding (incl. c.illegal 0x0000).
 */
uint32_t riscv_expand_compressed(uint16_t c);

/* Operand field helpers */
static inline unsigned insn_rd(uint32_t i)
{
    return (i >> 7) & 31;
}
static inline unsigned insn_rs1(uint32_t i)
{
    return (i >> 15) & 31;
}
static inline unsigned insn_rs2(uint32_t i)
{
    return (i >> 20) & 31;
}
static inline unsigned insn_rs3(uint32_t i)
{
    return (i >> 27) & 31;
}
static inline unsigned insn_rm(uint32_t i)
{
    return (i >> 12) & 7;
}
static inline int64_t insn_imm_i(uint32_t i)
{
    return (int64_t)(int32_t)i >> 20;
}
static inline int64_t insn_imm_s(uint32_t i)
{
    return (int64_t)(((uint64_t)((int64_t)(int32_t)i >> 25) << 5) |
                     ((i >> 7) & 31));
}
static inline int64_t insn_imm_b(uint32_t i)
{
    return (int64_t)(((uint64_t)((int64_t)(int32_t)i >> 31) << 12) |
                     (((i >> 7) & 1) << 11) | (((i >> 25) & 0x3f) << 5) |
                     (((i >> 8) & 0xf) << 1));
}
static inline int64_t insn_imm_u(uint32_t i)
{
    return (int64_t)(int32_t)(i & 0xfffff000u);
}
static inline int64_t insn_imm_j(uint32_t i)
{
    return (int64_t)(((uint64_t)((int64_t)(int32_t)i >> 31) << 20) |
                     (i & 0xff000) | (((i >> 20) & 1) << 11) |
                     (((i >> 21) & 0x3ff) << 1));
}

/** Writes rd (x0 stays 0). */
static inline void riscv_set_gpr(RiscvHart *cpu, unsigned rd, uint64_t v)
{
    if (rd) {
        cpu->gpr[rd] = v;
    }
}
