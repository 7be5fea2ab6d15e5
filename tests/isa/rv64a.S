/* SPDX-License-Identifier: MIT */
/*
 * A extension: LR/SC success and failure rules, every AMO in .W and .D with
 * aq/rl variants, alignment and access faults.
 */
#include "common.h"

/* amo_word holds init; t2 = op(t1 = opnd); checks rd and the whole dword. */
.macro T_AMO name, op, init, opnd, want_rd, want_mem
    la t0, amo_word
    li t1, \init
    sd t1, 0(t0)
    li t1, \opnd
    \op t2, t1, (t0)
    ld t3, 0(t0)
    T_EQ2 \name, t2, \want_rd, t3, \want_mem
.endm

#define WI 0x5555555580000001   /* .W: high word is a sentinel */
#define WO 0xffffffff00000003   /* .W operand: high bits ignored */
#define WR 0xffffffff80000001   /* .W old value, sign-extended */
#define DI 0x8000000000000001
#define DO 3

    MAIN_BEGIN

    /* ---- LR/SC */
    la s0, amo_word
    li t0, 0x1111
    sd t0, 0(s0)
    lr.d t1, (s0)
    li t2, 0x2222
    sc.d t3, t2, (s0)
    ld t4, 0(s0)
    T_EQ2 lr-sc-d-success, t3, 0, t4, 0x2222
    T_EQ lr-d-value, t1, 0x1111

    li t2, 0x3333
    sc.d t3, t2, (s0)
    ld t4, 0(s0)
    T_EQ2 sc-after-sc-fails, t3, 1, t4, 0x2222

    la s1, amo_other
    sd zero, 0(s1)
    lr.d t1, (s0)
    li t2, 0x4444
    sc.d t3, t2, (s1)
    ld t4, 0(s1)
    T_EQ2 sc-other-address-fails, t3, 1, t4, 0
    sc.d t3, t2, (s0)
    ld t4, 0(s0)
    T_EQ2 failed-sc-clears-reservation, t3, 1, t4, 0x2222

    lr.d t1, (s0)
    TRAP_INSN ecall
    li t2, 0x5555
    sc.d t3, t2, (s0)
    T_EQ trap-clears-reservation, t3, 1

    li t0, 0xffffffff80000000
    sd t0, 0(s0)
    lr.w t1, (s0)
    T_EQ lr-w-sext, t1, 0xffffffff80000000
    li t2, 0x1234567876543210
    sc.w t3, t2, (s0)
    ld t4, 0(s0)
    T_EQ2 sc-w-stores-32, t3, 0, t4, 0xffffffff76543210

    lr.w.aq t1, (s0)
    li t2, 7
    sc.w.rl t3, t2, (s0)
    lwu t4, 0(s0)
    T_EQ2 lr-aq-sc-rl, t3, 0, t4, 7
    lr.d.aqrl t1, (s0)
    li t2, 8
    sc.d.aqrl t3, t2, (s0)
    ld t4, 0(s0)
    T_EQ2 lr-sc-aqrl, t3, 0, t4, 8

    /* ---- AMO .W */
    T_AMO amoswap.w, amoswap.w, WI, WO, WR, 0x5555555500000003
    T_AMO amoadd.w, amoadd.w, WI, WO, WR, 0x5555555580000004
    T_AMO amoxor.w, amoxor.w, WI, WO, WR, 0x5555555580000002
    T_AMO amoand.w, amoand.w, WI, WO, WR, 0x5555555500000001
    T_AMO amoor.w, amoor.w, WI, WO, WR, 0x5555555580000003
    T_AMO amomin.w, amomin.w, WI, WO, WR, 0x5555555580000001
    T_AMO amomax.w, amomax.w, WI, WO, WR, 0x5555555500000003
    T_AMO amominu.w, amominu.w, WI, WO, WR, 0x5555555500000003
    T_AMO amomaxu.w, amomaxu.w, WI, WO, WR, 0x5555555580000001
    T_AMO amoswap.w.aq, amoswap.w.aq, WI, WO, WR, 0x5555555500000003
    T_AMO amoadd.w.rl, amoadd.w.rl, WI, WO, WR, 0x5555555580000004
    T_AMO amoxor.w.aqrl, amoxor.w.aqrl, WI, WO, WR, 0x5555555580000002
    T_AMO amoand.w.aq, amoand.w.aq, WI, WO, WR, 0x5555555500000001
    T_AMO amoor.w.rl, amoor.w.rl, WI, WO, WR, 0x5555555580000003
    T_AMO amomin.w.aqrl, amomin.w.aqrl, WI, WO, WR, 0x5555555580000001
    T_AMO amomax.w.aq, amomax.w.aq, WI, WO, WR, 0x5555555500000003
    T_AMO amominu.w.rl, amominu.w.rl, WI, WO, WR, 0x5555555500000003
    T_AMO amomaxu.w.aqrl, amomaxu.w.aqrl, WI, WO, WR, 0x5555555580000001

    /* ---- AMO .D */
    T_AMO amoswap.d, amoswap.d, DI, DO, DI, 3
    T_AMO amoadd.d, amoadd.d, DI, DO, DI, 0x8000000000000004
    T_AMO amoxor.d, amoxor.d, DI, DO, DI, 0x8000000000000002
    T_AMO amoand.d, amoand.d, DI, DO, DI, 1
    T_AMO amoor.d, amoor.d, DI, DO, DI, 0x8000000000000003
    T_AMO amomin.d, amomin.d, DI, DO, DI, 0x8000000000000001
    T_AMO amomax.d, amomax.d, DI, DO, DI, 3
    T_AMO amominu.d, amominu.d, DI, DO, DI, 3
    T_AMO amomaxu.d, amomaxu.d, DI, DO, DI, 0x8000000000000001
    T_AMO amoswap.d.aqrl, amoswap.d.aqrl, DI, DO, DI, 3
    T_AMO amoadd.d.aq, amoadd.d.aq, DI, DO, DI, 0x8000000000000004
    T_AMO amoxor.d.rl, amoxor.d.rl, DI, DO, DI, 0x8000000000000002
    T_AMO amoand.d.aqrl, amoand.d.aqrl, DI, DO, DI, 1
    T_AMO amoor.d.aq, amoor.d.aq, DI, DO, DI, 0x8000000000000003
    T_AMO amomin.d.rl, amomin.d.rl, DI, DO, DI, 0x8000000000000001
    T_AMO amomax.d.aqrl, amomax.d.aqrl, DI, DO, DI, 3
    T_AMO amominu.d.aq, amominu.d.aq, DI, DO, DI, 3
    T_AMO amomaxu.d.rl, amomaxu.d.rl, DI, DO, DI, 0x8000000000000001

    /* rd == rs2: rd gets the old value, memory the sum with the operand */
    la t0, amo_word
    li t1, 10
    sd t1, 0(t0)
    li t1, 5
    amoadd.d t1, t1, (t0)
    ld t3, 0(t0)
    T_EQ2 amoadd-rd-eq-rs2, t1, 10, t3, 15
    /* rd == x0: memory still updated */
    amoswap.d x0, t1, (t0)
    ld t3, 0(t0)
    T_EQ amoswap-rd-x0, t3, 10

    /* ---- alignment and access faults */
    la s0, amo_word
    addi s1, s0, 2
    TRAP_INSN lr.w t0, (s1)
    T_TRAPR lr-w-misaligned, CAUSE_MISALIGNED_LOAD, s1
    addi s1, s0, 4
    TRAP_INSN lr.d t0, (s1)
    T_TRAPR lr-d-misaligned, CAUSE_MISALIGNED_LOAD, s1
    addi s1, s0, 1
    li t1, 1
    TRAP_INSN amoadd.w t0, t1, (s1)
    T_TRAPR amo-w-misaligned, CAUSE_MISALIGNED_STORE, s1
    addi s1, s0, 4
    TRAP_INSN amoswap.d t0, t1, (s1)
    T_TRAPR amo-d-misaligned, CAUSE_MISALIGNED_STORE, s1
    li s1, 0
    TRAP_INSN amoor.d t0, t1, (s1)
    T_TRAP amo-unmapped-access, CAUSE_STORE_ACCESS, 0
    TRAP_INSN lr.d t0, (s1)
    T_TRAP lr-unmapped-access, CAUSE_LOAD_ACCESS, 0

    MAIN_END

    .data
    .balign 64
amo_word:
    .dword 0
    .balign 64
amo_other:
    .dword 0
