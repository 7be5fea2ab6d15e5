/* SPDX-License-Identifier: MIT */
/*
 * Misaligned loads and stores (not LR/SC/AMO, see rv64a.S).  Both legal
 * behaviours are accepted: the access completes with the right
 * little-endian data, or it traps with cause 4 (load) / 6 (store) and
 * mtval = the address.  Anything else (wrong data, other cause or tval)
 * fails.  Line format: got=verdict,value want=1,expected.
 */
#include "common.h"

/*
 * After `TRAP_BEGIN; access; TRAP_END` with a0 = address and t2 = data read
 * back: verdict 1 if (no trap and t2 == want) or (trap == cause and
 * mtval == a0).
 */
.macro T_MIS name, cause, want
    T_SAVE
    sd t2, 56(sp)
    sd a0, 64(sp)
    la a0, trap_rec
    ld a1, 0(a0)            /* mcause */
    ld a3, 8(a0)            /* mtval */
    li a4, -1
    beq a1, a4, 1006f
    /* trapped */
    ld a4, 64(sp)           /* expected tval = address */
    li a0, 0
    li a5, \cause
    bne a1, a5, 1007f
    bne a3, a4, 1007f
    li a0, 1
    j 1007f
1006:
    /* completed */
    ld a3, 56(sp)
    li a4, \want
    li a0, 0
    bne a3, a4, 1007f
    li a0, 1
1007:
    li a1, 1
    T_NAME \name
    li a5, 2
    call t_check
    T_RESTORE
.endm

/* load: a0 = buf + off; t2 = insn result */
.macro T_MISLOAD name, insn, off, want
    la a0, buf
    addi a0, a0, \off
    li t2, 0
    TRAP_BEGIN
    \insn t2, 0(a0)
    TRAP_END
    T_MIS \name, CAUSE_MISALIGNED_LOAD, \want
.endm

/* store value to buf + off, then t2 = the aligned dword at buf + 8*word */
.macro T_MISSTORE name, insn, off, value, word, want
    la a0, buf
    li t0, 0x0706050403020100
    sd t0, 0(a0)
    li t0, 0x0f0e0d0c0b0a0908
    sd t0, 8(a0)
    addi a0, a0, \off
    li t1, \value
    TRAP_BEGIN
    \insn t1, 0(a0)
    TRAP_END
    la t0, buf
    ld t2, (\word * 8)(t0)
    T_MIS \name, CAUSE_MISALIGNED_STORE, \want
.endm

    MAIN_BEGIN
    li t0, MSTATUS_FS
    csrs mstatus, t0
    la a0, buf
    li t0, 0x0706050403020100
    sd t0, 0(a0)
    li t0, 0x0f0e0d0c0b8f0908
    sd t0, 8(a0)

    T_MISLOAD lh-plus-1, lh, 1, 0x0201
    T_MISLOAD lhu-plus-7, lhu, 7, 0x0807
    T_MISLOAD lh-sext-plus-9, lh, 9, 0xffffffffffff8f09
    T_MISLOAD lw-plus-1, lw, 1, 0x04030201
    T_MISLOAD lw-plus-6, lw, 6, 0x09080706
    T_MISLOAD lwu-plus-7, lwu, 7, 0x8f090807
    T_MISLOAD lw-sext-plus-7, lw, 7, 0xffffffff8f090807
    T_MISLOAD ld-plus-3, ld, 3, 0x8f09080706050403
    T_MISLOAD ld-plus-7, ld, 7, 0x0e0d0c0b8f090807

    T_MISSTORE sh-plus-1, sh, 1, 0xaabb, 0, 0x0706050403aabb00
    T_MISSTORE sh-plus-7, sh, 7, 0xaabb, 1, 0x0f0e0d0c0b0a09aa
    T_MISSTORE sw-plus-2, sw, 2, 0x11223344, 0, 0x0706112233440100
    T_MISSTORE sw-plus-6, sw, 6, 0x11223344, 0, 0x3344050403020100
    T_MISSTORE sd-plus-5, sd, 5, 0x1122334455667788, 1, 0x0f0e0d1122334455
    T_MISSTORE sd-plus-5-low, sd, 5, 0x1122334455667788, 0, 0x6677880403020100

    /* FP loads and stores */
    la a0, buf
    li t0, 0x0706050403020100
    sd t0, 0(a0)
    li t0, 0x0f0e0d0c0b8f0908
    sd t0, 8(a0)
    addi a0, a0, 1
    li t2, 0
    TRAP_BEGIN
    flw ft0, 0(a0)
    fmv.x.w t2, ft0
    TRAP_END
    T_MIS flw-plus-1, CAUSE_MISALIGNED_LOAD, 0x04030201
    la a0, buf
    addi a0, a0, 3
    li t2, 0
    TRAP_BEGIN
    fld ft0, 0(a0)
    fmv.x.d t2, ft0
    TRAP_END
    T_MIS fld-plus-3, CAUSE_MISALIGNED_LOAD, 0x8f09080706050403
    la a0, buf
    addi a0, a0, 4
    li t0, 0x1122334455667788
    fmv.d.x ft0, t0
    TRAP_BEGIN
    fsd ft0, 0(a0)
    TRAP_END
    la t0, buf
    ld t2, 8(t0)
    T_MIS fsd-plus-4, CAUSE_MISALIGNED_STORE, 0x0f0e0d0c11223344

    MAIN_END

    .data
    .balign 16
buf:
    .dword 0, 0, 0
