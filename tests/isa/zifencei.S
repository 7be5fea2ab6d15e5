/* SPDX-License-Identifier: MIT */
/*
 * Zifencei: self-modifying code made visible by FENCE.I (patching a routine
 * already executed, the very next instruction, a compressed parcel, and
 * freshly written code in another page).
 */
#include "common.h"

#define LI_A0(v) (0x00000513 | ((v) << 20))   /* addi a0, x0, v */
#define C_LI_A0(v) (0x4501 | ((v) << 2))      /* c.li a0, v (v < 32) */
#define RET 0x00008067                         /* jalr x0, 0(ra) */

    MAIN_BEGIN

    /* ---- patch a routine that already ran (and may be cached) */
    call smc_func
    T_EQ smc-before, a0, 1
    la s0, smc_func
    li t0, LI_A0(2)
    sw t0, 0(s0)
    fence.i
    call smc_func
    T_EQ smc-after-fence.i, a0, 2

    /* ...repeatedly, in a loop that runs the routine each time */
    li s1, 3
    li s2, 0
1:
    slli t0, s1, 20
    li t1, LI_A0(0)
    or t0, t0, t1
    sw t0, 0(s0)
    fence.i
    call smc_func
    add s2, s2, a0
    addi s1, s1, 1
    li t0, 8
    bltu s1, t0, 1b
    T_EQ smc-loop-sum, s2, 3 + 4 + 5 + 6 + 7

    /* ---- patch the next instruction in straight-line code */
    la s0, smc_next
    li t0, LI_A0(42)
    li a0, 0
    sw t0, 0(s0)
    fence.i
    .option push
    .option norvc
smc_next:
    addi a0, x0, 7
    .option pop
    T_EQ smc-next-insn, a0, 42

    /* ---- patch a compressed parcel */
    call smc_cfunc
    T_EQ smc-compressed-before, a0, 5
    la s0, smc_cfunc
    li t0, C_LI_A0(9)
    sh t0, 0(s0)
    fence.i
    call smc_cfunc
    T_EQ smc-compressed-after, a0, 9

    /* ---- code written to a fresh page, then run */
    li s0, SCRATCH
    li t0, LI_A0(0x123)
    sw t0, 0(s0)
    li t0, RET
    sw t0, 4(s0)
    fence.i
    jalr ra, 0(s0)
    T_EQ smc-fresh-page, a0, 0x123
    li t0, LI_A0(0x321)
    sw t0, 0(s0)
    fence.i
    jalr ra, 0(s0)
    T_EQ smc-fresh-page-rewrite, a0, 0x321

    MAIN_END

    .option push
    .option norvc
    .balign 4
smc_func:
    addi a0, x0, 1
    ret
    .option pop

    .balign 4
smc_cfunc:
    c.li a0, 5
    ret
