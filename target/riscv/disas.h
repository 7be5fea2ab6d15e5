/* SPDX-License-Identifier: MIT */
/*
 * RISC-V disassembler for the -d in_asm trace and debugging: every
 * instruction of the insn-*.def tables in the syntax of
 * `objdump -M no-aliases` (binutils 2.40): ABI register names, CSR names,
 * branch and jump targets as absolute addresses, shift amounts and U-type
 * immediates in hex, other immediates in decimal, the rounding mode only
 * when it is not dyn, e.g. `addi sp,sp,-16`, `ld ra,8(sp)`,
 * `beq a0,zero,0x80000010`, `csrrw zero,mtvec,t0`, `fadd.d fa0,fa1,fa2,rne`.
 *
 * Compressed instructions are shown as their 32-bit expansion (`c.addi
 * sp,-16` prints as `addi sp,sp,-16`), which is what the hart executes.
 * Encodings that do not decode print as objdump does: `.2byte 0x0`,
 * `.4byte 0xffffffff`.  A CSR the hart does not implement prints as a
 * number (`0x7c0`), where objdump may know a name.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

/**
 * Appends the disassembly of one instruction at @pc to @out (no newline).
 * @bits holds the raw instruction: a 16-bit parcel in the low half when
 * bits 1:0 are not 11, else the 32-bit instruction.  Never fails.
 */
void riscv_disas(GString *out, uint64_t pc, uint32_t bits);

/** Length in bytes (2 or 4) of the instruction whose first parcel is @lo. */
unsigned riscv_insn_length(uint32_t lo);
