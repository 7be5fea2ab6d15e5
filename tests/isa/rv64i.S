/* SPDX-License-Identifier: MIT */
/*
 * RV64I: boot-ROM register state, arithmetic, W forms, shifts, loads and
 * stores, branches, jumps, LUI/AUIPC, x0, FENCE encodings.
 */
#include "common.h"

    MAIN_BEGIN

    /* ---- register state left by the boot ROM (virt-machine §6) */
    la s0, reset_regs
    ld t0, 80(s0)
    T_EQ reset-a0-hartid, t0, 0
    ld t0, 88(s0)
    T_EQ reset-a1-fdt, t0, 0x87e00000
    ld t0, 96(s0)
    T_EQ reset-a2-fw-dynamic-info, t0, 0x1028
    ld t0, 40(s0)
    T_EQ reset-t0-entry, t0, 0x80000000
    /* every other register: OR of them all */
    li t1, 0
    li t2, 1
1:
    li t3, 5
    beq t2, t3, 2f
    li t3, 10
    beq t2, t3, 2f
    li t3, 11
    beq t2, t3, 2f
    li t3, 12
    beq t2, t3, 2f
    slli t3, t2, 3
    add t3, t3, s0
    ld t3, 0(t3)
    or t1, t1, t3
2:
    addi t2, t2, 1
    li t3, 32
    bltu t2, t3, 1b
    T_EQ reset-other-regs-zero, t1, 0

    /* ---- add / sub / immediates */
    T_RR add, add, 3, 4, 7
    T_RR add-wrap, add, 0x7fffffffffffffff, 1, 0x8000000000000000
    T_RR add-neg, add, -5, 3, -2
    T_RR sub, sub, 3, 5, -2
    T_RR sub-wrap, sub, 0x8000000000000000, 1, 0x7fffffffffffffff
    T_RI addi-neg, addi, 0x100, -2048, -0x700
    T_RI addi-max, addi, 1, 2047, 2048
    T_RR slt, slt, -1, 1, 1
    T_RR slt-false, slt, 1, -1, 0
    T_RR sltu, sltu, 1, -1, 1
    T_RR sltu-false, sltu, -1, 1, 0
    T_RI slti, slti, -3, -2, 1
    T_RI sltiu-signext-imm, sltiu, 0xfffffffffffffffe, -1, 1
    T_RI sltiu-zero, sltiu, 0, 1, 1
    T_RR and, and, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0x0f000f000f000f00
    T_RR or, or, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xfff0fff0fff0fff0
    T_RR xor, xor, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0
    T_RI andi-signext, andi, 0x123456789abcdef0, -16, 0x123456789abcdef0
    T_RI andi, andi, 0x123456789abcdef0, 0x7f0, 0x6f0
    T_RI ori-signext, ori, 0, -1, -1
    T_RI xori-not, xori, 0x0f0f, -1, 0xfffffffffffff0f0

    /* ---- shifts: 6-bit amounts, SRA sign fill */
    T_RR sll, sll, 1, 63, 0x8000000000000000
    T_RR sll-amount-6bit, sll, 1, 67, 8
    T_RR srl, srl, 0x8000000000000000, 63, 1
    T_RR srl-amount-6bit, srl, 0x80, 0x7ffffff04, 8
    T_RR sra, sra, 0x8000000000000000, 60, 0xfffffffffffffff8
    T_RR sra-positive, sra, 0x4000000000000000, 62, 1
    T_RI slli, slli, 0xff, 56, 0xff00000000000000
    T_RI srli, srli, 0xff00000000000000, 60, 0xf
    T_RI srai, srai, 0xff00000000000000, 60, -1
    T_RI srai-63, srai, 0x8000000000000000, 63, -1

    /* ---- W forms: 32-bit result, sign-extended */
    T_RR addw-overflow, addw, 0x7fffffff, 1, 0xffffffff80000000
    T_RR addw-ignores-high, addw, 0x123456700000001, 0xabc00000002, 3
    T_RR subw, subw, 0, 1, -1
    T_RR subw-wrap, subw, 0x80000000, 1, 0x7fffffff
    T_RI addiw, addiw, 0x7fffffff, 1, 0xffffffff80000000
    T_RI addiw-sext, addiw, 0xffffffff00000005, 0, 5
    T_R1 sext.w, sext.w, 0x00000000fffffffe, -2
    T_RR sllw, sllw, 1, 31, 0xffffffff80000000
    T_RR sllw-amount-5bit, sllw, 1, 33, 2
    T_RR srlw, srlw, 0xffffffff80000000, 4, 0x08000000
    T_RR srlw-zero-amount, srlw, 0x00000000ffffffff, 0, -1
    T_RR sraw, sraw, 0x0000000080000000, 4, 0xfffffffff8000000
    T_RR sraw-amount-5bit, sraw, 0x40000000, 62, 1
    T_RI slliw, slliw, 0x1, 31, 0xffffffff80000000
    T_RI srliw, srliw, 0xfffffffff0000000, 28, 0xf
    T_RI sraiw, sraiw, 0x00000000f0000000, 28, -1
    T_RI srliw-0-sext, srliw, 0x0000000080000000, 0, 0xffffffff80000000

    /* ---- LUI / AUIPC */
    lui t0, 0x80000
    T_EQ lui-sext, t0, 0xffffffff80000000
    lui t0, 0x7ffff
    T_EQ lui, t0, 0x7ffff000
1:
    auipc t0, 0
    la t1, 1b
    T_EQR auipc-zero, t0, t1
1:
    auipc t0, 0x1
    la t1, 1b
    sub t0, t0, t1
    T_EQ auipc-4k, t0, 0x1000

    /* ---- x0 */
    .option push
    .option norvc
    addi x0, x0, 5
    lui x0, 0x12345
    .option pop
    T_EQ x0-discards, x0, 0

    /* ---- loads */
    la s0, ldata
    lb t0, 7(s0)
    T_EQ lb-sext, t0, 0xffffffffffffff80
    lbu t0, 7(s0)
    T_EQ lbu, t0, 0x80
    lh t0, 6(s0)
    T_EQ lh-sext, t0, 0xffffffffffff8001
    lhu t0, 6(s0)
    T_EQ lhu, t0, 0x8001
    lw t0, 4(s0)
    T_EQ lw-sext, t0, 0xffffffff80017f02
    lwu t0, 4(s0)
    T_EQ lwu, t0, 0x80017f02
    ld t0, 0(s0)
    T_EQ ld, t0, 0x80017f0203040506
    lb t0, 0(s0)
    T_EQ lb-pos, t0, 6
    lw t0, -4(s0)
    T_EQ load-neg-offset, t0, 0x11223344

    /* ---- stores */
    la s0, sdata
    li t0, -1
    sd t0, 0(s0)
    li t0, 0x1122334455667788
    sb t0, 0(s0)
    sh t0, 2(s0)
    sw t0, 4(s0)
    ld t1, 0(s0)
    T_EQ sb-sh-sw, t1, 0x556677887788ff88
    sd t0, 8(s0)
    ld t1, 8(s0)
    T_EQ sd, t1, 0x1122334455667788

    /* ---- branches: a bit per outcome */
    li s1, 0
    li t0, -1
    li t1, 1
    beq t0, t0, 1f
    j 2f
1:  ori s1, s1, 1
2:  bne t0, t1, 1f
    j 2f
1:  ori s1, s1, 2
2:  blt t0, t1, 1f
    j 2f
1:  ori s1, s1, 4
2:  bge t1, t0, 1f
    j 2f
1:  ori s1, s1, 8
2:  bltu t1, t0, 1f
    j 2f
1:  ori s1, s1, 16
2:  bgeu t0, t1, 1f
    j 2f
1:  ori s1, s1, 32
2:  bge t0, t0, 1f
    j 2f
1:  ori s1, s1, 64
2:  beq t0, t1, 1f     /* not taken from here on */
    ori s1, s1, 128
1:  blt t1, t0, 1f
    ori s1, s1, 256
1:  bltu t0, t1, 1f
    ori s1, s1, 512
1:  bne t0, t0, 1f
    ori s1, s1, 1024
1:  bgeu t1, t0, 1f
    ori s1, s1, 1536
1:
    T_EQ branches, s1, 0x7ff

    /* ---- JAL / JALR */
    jal t0, 1f
jal_ret:
    j 2f
1:
    T_EQA jal-link, t0, jal_ret
2:
    la t1, jalr_target
    addi t1, t1, 1          /* bit 0 must be cleared */
    li s1, 0
    jalr t0, 0(t1)
jalr_ret:
    li s1, 99               /* skipped */
jalr_target:
    T_EQA jalr-link, t0, jalr_ret
    T_EQ jalr-clears-bit0, s1, 0
    la t1, jalr_target2 - 8
    jalr t1, 8(t1)           /* rd == rs1: target uses the old value */
jalr_ret2:
jalr_target2:
    T_EQA jalr-rd-eq-rs1, t1, jalr_ret2

    /* ---- every FENCE encoding is a no-op */
    TRAP_BEGIN
    fence
    fence rw, rw
    fence r, w
    fence.tso
    .word 0x0100000f        /* pause */
    .word 0x0000000f        /* fence with empty sets */
    .word 0xf0f0000f        /* fm=15, reserved: still a fence */
    TRAP_END
    T_NOTRAP fence-encodings

    /* ---- reserved shift encodings */
    TRAP_INSN .word 0x0205151b   /* slliw a0, a0, 32 */
    T_TRAP slliw-shamt5-illegal, CAUSE_ILLEGAL, 0x0205151b
    TRAP_INSN .word 0x0205551b   /* srliw a0, a0, 32 */
    T_TRAP srliw-shamt5-illegal, CAUSE_ILLEGAL, 0x0205551b
    TRAP_INSN .word 0x4205551b   /* sraiw a0, a0, 32 */
    T_TRAP sraiw-shamt5-illegal, CAUSE_ILLEGAL, 0x4205551b
    TRAP_INSN .word 0x0205153b   /* sllw with funct7 bit 0 set */
    T_TRAP sllw-funct7-illegal, CAUSE_ILLEGAL, 0x0205153b

    MAIN_END

    .data
    .balign 8
    .word 0x11223344
ldata:
    .dword 0x80017f0203040506
sdata:
    .dword 0, 0
