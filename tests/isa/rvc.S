/* SPDX-License-Identifier: MIT */
/*
 * C extension (RV64C): every compressed instruction at least once, HINTs,
 * reserved encodings (illegal, mtval = the 16-bit parcel), C.EBREAK.
 */
#include "common.h"

/* A 16-bit parcel expected to be illegal. */
.macro T_CILL name, parcel
    TRAP_BEGIN
    .half \parcel
    TRAP_END
    T_TRAP \name, CAUSE_ILLEGAL, \parcel
.endm

/* A 16-bit HINT: must execute without trapping and change nothing. */
.macro T_CHINT name, parcel
    TRAP_BEGIN
    .half \parcel
    TRAP_END
    T_NOTRAP \name
.endm

    MAIN_BEGIN
    /* FP on for C.FLD & co. */
    li t0, MSTATUS_FS
    csrs mstatus, t0

    /* scratch frame on the stack for the SP-relative forms */
    addi sp, sp, -128
    mv s0, sp

    /* ---- quadrant 1: immediates and arithmetic */
    li a0, 0
    c.addi a0, -32
    T_EQ c.addi, a0, -32
    li a0, 0x7fffffff
    c.addiw a0, 1
    T_EQ c.addiw, a0, 0xffffffff80000000
    li a0, 0x100000005
    c.addiw a0, 0
    T_EQ c.addiw-sext.w, a0, 5
    c.li a1, -1
    T_EQ c.li, a1, -1
    c.lui a2, 0xfffe0
    T_EQ c.lui-neg, a2, 0xfffffffffffe0000
    c.lui a2, 1
    T_EQ c.lui, a2, 0x1000
    mv t0, sp
    c.addi16sp sp, -64
    sub t1, t0, sp
    c.addi16sp sp, 64
    T_EQ c.addi16sp, t1, 64
    li a3, 0x8000000000000000
    c.srli a3, 63
    T_EQ c.srli, a3, 1
    li a3, 0x8000000000000000
    c.srai a3, 62
    T_EQ c.srai, a3, -2
    li a3, 0xff
    c.andi a3, -16
    T_EQ c.andi, a3, 0xf0
    li a4, 10
    li a5, 3
    c.sub a4, a5
    T_EQ c.sub, a4, 7
    li a4, 0xf0
    c.xor a4, a5
    T_EQ c.xor, a4, 0xf3
    li a4, 0xf0
    c.or a4, a5
    T_EQ c.or, a4, 0xf3
    li a4, 0xf1
    c.and a4, a5
    T_EQ c.and, a4, 1
    li a4, 0x80000000
    li a5, 1
    c.subw a4, a5
    T_EQ c.subw, a4, 0x7fffffff
    li a4, 0x7fffffff
    c.addw a4, a5
    T_EQ c.addw, a4, 0xffffffff80000000
    c.nop
    li s1, 1
    c.slli s1, 63
    T_EQ c.slli, s1, 0x8000000000000000

    /* ---- quadrant 2: moves, adds */
    li a0, 0x1234
    c.mv a1, a0
    T_EQ c.mv, a1, 0x1234
    c.add a1, a0
    T_EQ c.add, a1, 0x2468

    /* ---- quadrant 0: c.addi4spn and loads/stores through rs1' */
    c.addi4spn a0, sp, 1020
    sub a0, a0, sp
    T_EQ c.addi4spn, a0, 1020
    li a1, 0x8877665544332211
    c.sd a1, 8(s0)
    ld a2, 8(s0)
    T_EQ c.sd, a2, 0x8877665544332211
    c.ld a3, 8(s0)
    T_EQ c.ld, a3, 0x8877665544332211
    li a1, 0x80000001
    c.sw a1, 16(s0)
    lwu a2, 16(s0)
    T_EQ c.sw, a2, 0x80000001
    c.lw a3, 16(s0)
    T_EQ c.lw-sext, a3, 0xffffffff80000001
    li a1, 0x3ff8000000000000      /* 1.5 */
    sd a1, 24(s0)
    c.fld fa0, 24(s0)
    fmv.x.d a2, fa0
    T_EQ c.fld, a2, 0x3ff8000000000000
    c.fsd fa0, 32(s0)
    ld a2, 32(s0)
    T_EQ c.fsd, a2, 0x3ff8000000000000

    /* ---- quadrant 2: SP-relative */
    li a1, 0x0102030405060708
    c.sdsp a1, 40(sp)
    ld a2, 40(s0)
    T_EQ c.sdsp, a2, 0x0102030405060708
    c.ldsp a3, 40(sp)
    T_EQ c.ldsp, a3, 0x0102030405060708
    li a1, 0xfedcba98
    c.swsp a1, 48(sp)
    lwu a2, 48(s0)
    T_EQ c.swsp, a2, 0xfedcba98
    c.lwsp a3, 48(sp)
    T_EQ c.lwsp-sext, a3, 0xfffffffffedcba98
    li a1, 0xc000000000000000      /* -2.0 */
    sd a1, 56(s0)
    c.fldsp fa1, 56(sp)
    fmv.x.d a2, fa1
    T_EQ c.fldsp, a2, 0xc000000000000000
    c.fsdsp fa1, 64(sp)
    ld a2, 64(s0)
    T_EQ c.fsdsp, a2, 0xc000000000000000

    /* ---- control transfer */
    li s1, 0
    c.j 1f
    li s1, 1
1:
    T_EQ c.j, s1, 0
    li a0, 0
    c.beqz a0, 1f
    li s1, 2
1:
    li a0, 1
    c.beqz a0, 1f
    ori s1, s1, 4
1:
    c.bnez a0, 1f
    li s1, 8
1:
    li a0, 0
    c.bnez a0, 1f
    ori s1, s1, 16
1:
    T_EQ c.beqz-c.bnez, s1, 20
    la a5, 1f
    li s1, 0
    c.jr a5
    li s1, 1
1:
    T_EQ c.jr, s1, 0
    la a5, 2f
    c.jalr a5
1:
    li s1, 1
2:
    T_EQA c.jalr-link-pc+2, ra, 1b
    T_EQ c.jalr-jumped, s1, 0

    /* ---- HINTs execute as no-ops */
    li a0, 0x55
    T_CHINT c.nop-imm-hint, 0x0005         /* c.nop 1 */
    T_CHINT c.addi-imm0-hint, 0x0501       /* c.addi a0, 0 */
    T_CHINT c.li-rd0-hint, 0x4005          /* c.li x0, 1 */
    T_CHINT c.lui-rd0-hint, 0x6005         /* c.lui x0, 1 */
    T_CHINT c.mv-rd0-hint, 0x802a          /* c.mv x0, a0 */
    T_CHINT c.add-rd0-hint, 0x902a         /* c.add x0, a0 */
    T_CHINT c.slli-rd0-hint, 0x0006        /* c.slli x0, 1 */
    T_CHINT c.slli64-hint, 0x0502          /* c.slli a0, 0 */
    T_EQ hints-change-nothing, a0, 0x55

    /* ---- reserved encodings */
    T_CILL c.illegal-zero, 0x0000
    T_CILL c.addi4spn-zero-imm, 0x0004
    T_CILL c.addi16sp-zero-imm, 0x6101
    T_CILL c.lui-zero-imm, 0x6081
    T_CILL c.jr-x0, 0x8002
    T_CILL c.lwsp-x0, 0x4002
    T_CILL c.ldsp-x0, 0x6002
    T_CILL c.addiw-x0, 0x2001
    T_CILL q0-funct3-100, 0x8000
    T_CILL c.subw-slot-10, 0x9c41
    T_CILL c.subw-slot-11, 0x9c61

    /* ---- C.EBREAK: cause 3, tval 0, epc at the parcel */
    TRAP_BEGIN
cebreak:
    c.ebreak
    TRAP_END
    T_TRAPEPC c.ebreak, CAUSE_BREAKPOINT, cebreak
    la t0, trap_rec
    ld t0, 8(t0)
    T_EQ c.ebreak-tval, t0, 0

    /* ---- C.FLDSP with FS=Off is illegal */
    li t0, MSTATUS_FS
    csrc mstatus, t0
    TRAP_BEGIN
    c.fldsp fa1, 56(sp)
    TRAP_END
    T_TRAP c.fldsp-fs-off, CAUSE_ILLEGAL, 0x35e2
    li t0, MSTATUS_FS
    csrs mstatus, t0

    /* a 32-bit instruction at a 2-byte aligned address */
    .balign 4
    c.nop
    .option push
    .option norvc
    lui t0, 0x12
    addi t0, t0, 0x345
    .option pop
    T_EQ unaligned-32bit-insn, t0, 0x12345

    addi sp, sp, 128
    MAIN_END
