/* SPDX-License-Identifier: MIT */
/*
 * Interrupts: CLINT software (msip) and timer (mtimecmp/mtime), precise
 * epc, vectored mtvec, priority order, mideleg delegation to S and the
 * acceptance rules per mode, WFI wake-up (MIE ignored), Sstc stimecmp.
 */
#include "common.h"

#define INT_MSI (CAUSE_INT | 3)
#define INT_MTI (CAUSE_INT | 7)
#define INT_SSI (CAUSE_INT | 1)
#define INT_STI (CAUSE_INT | 5)
#define INT_SEI (CAUSE_INT | 9)

/* Wait (bounded) until at least one interrupt was taken in M. */
.macro WAIT_INT
    li t5, 3000000
1003:
    addi t5, t5, -1
    beqz t5, 1004f
    la t6, int_rec
    ld t6, 24(t6)
    beqz t6, 1003b
1004:
.endm

/* Check int_rec field at off. */
.macro T_INT name, off, want
    la t0, int_rec
    ld t1, \off(t0)
    T_EQ \name, t1, \want
.endm

    MAIN_BEGIN
    li a7, 0
    li s0, CLINT_MSIP
    li s1, CLINT_MTIMECMP
    li s2, CLINT_MTIME
    li t0, -1
    sd t0, 0(s1)                /* no timer interrupt yet */

    /* ---- CLINT msip drives mip.MSIP (read-only in mip) */
    li t0, 1
    sw t0, 0(s0)
    csrr t1, mip
    andi t1, t1, MIP_MSIP
    T_EQ msip-sets-mip, t1, MIP_MSIP
    li t0, MIP_MSIP
    csrc mip, t0
    csrr t1, mip
    andi t1, t1, MIP_MSIP
    T_EQ mip-msip-read-only, t1, MIP_MSIP
    sw zero, 0(s0)
    csrr t1, mip
    andi t1, t1, MIP_MSIP
    T_EQ msip-clear, t1, 0

    /* ---- software interrupt, taken right after MIE is set */
    INT_CLEAR
    li t0, 1
    sw t0, 0(s0)
    li t0, MIP_MSIP
    csrs mie, t0
    csrs mstatus, MSTATUS_MIE
msi_next:
    nop
    csrc mstatus, MSTATUS_MIE
    sw zero, 0(s0)
    T_INT msi-cause, 0, INT_MSI
    la t0, int_rec
    ld t1, 8(t0)
    T_EQA msi-epc-next-insn, t1, msi_next
    ld t1, 16(t0)
    li t0, MSTATUS_MPIE | MSTATUS_MIE | MSTATUS_MPP
    and t1, t1, t0
    T_EQ msi-entry-mstatus, t1, MSTATUS_MPIE | MSTATUS_MPP
    T_INT msi-taken-once, 24, 1

    /* ---- timer: mtimecmp vs mtime */
    li t0, -1
    sd t0, 0(s1)
    csrr t1, mip
    andi t1, t1, MIP_MTIP
    T_EQ mtip-clear-when-cmp-max, t1, 0
    sd zero, 0(s1)
    csrr t1, mip
    andi t1, t1, MIP_MTIP
    T_EQ mtip-set-when-cmp-zero, t1, MIP_MTIP
    ld t0, 0(s2)
    SPIN 1000
    ld t1, 0(s2)
    sltu t2, t0, t1
    T_EQ mtime-advances, t2, 1
    /* the time CSR is the same counter as mtime */
    ld t0, 0(s2)
    csrr t1, time
    ld t2, 0(s2)
    sltu t3, t1, t0             /* time < mtime before: wrong */
    sltu t4, t2, t1             /* mtime after < time: wrong */
    or t3, t3, t4
    T_EQ time-csr-is-mtime, t3, 0
    INT_CLEAR
    li t0, -1
    sd t0, 0(s1)
    ld t0, 0(s2)
    addi t0, t0, 1000
    sd t0, 0(s1)
    li t0, MIP_MTIP
    csrs mie, t0
    csrs mstatus, MSTATUS_MIE
    WAIT_INT
    csrc mstatus, MSTATUS_MIE
    li t0, -1
    sd t0, 0(s1)
    T_INT mti-cause, 0, INT_MTI

    /* ---- vectored mtvec: interrupt n goes to BASE + 4n */
    INT_CLEAR
    la t0, vec_hits
    sd zero, 0(t0)
    csrr s9, mtvec
    la t0, vec_table
    ori t0, t0, 1
    csrw mtvec, t0
    li t0, 1
    sw t0, 0(s0)
    li t0, MIP_MSIP
    csrs mie, t0
    csrs mstatus, MSTATUS_MIE
    nop
    csrc mstatus, MSTATUS_MIE
    sw zero, 0(s0)
    csrw mtvec, s9
    T_MEM vectored-msi-base+12, vec_hits, 1
    T_INT vectored-msi-cause, 0, INT_MSI

    /* ---- priority among pending M-level interrupts */
    INT_CLEAR
    li t0, 1
    sw t0, 0(s0)
    sd zero, 0(s1)
    li t0, MIP_MSIP | MIP_MTIP
    csrs mie, t0
    csrs mstatus, MSTATUS_MIE
    nop
    nop
    csrc mstatus, MSTATUS_MIE
    sw zero, 0(s0)
    li t0, -1
    sd t0, 0(s1)
    csrw mie, zero
    T_INT priority-msi-over-mti, 32, INT_MSI
    INT_CLEAR
    sd zero, 0(s1)
    li t0, MIP_SSIP
    csrs mip, t0
    li t0, MIP_MTIP | MIP_SSIP
    csrs mie, t0
    csrs mstatus, MSTATUS_MIE
    nop
    nop
    csrc mstatus, MSTATUS_MIE
    li t0, -1
    sd t0, 0(s1)
    csrw mip, zero
    csrw mie, zero
    T_INT priority-mti-over-ssi, 32, INT_MTI
    INT_CLEAR
    li t0, MIP_SSIP | MIP_SEIP
    csrs mip, t0
    csrs mie, t0
    csrs mstatus, MSTATUS_MIE
    nop
    nop
    csrc mstatus, MSTATUS_MIE
    csrw mip, zero
    csrw mie, zero
    T_INT priority-sei-over-ssi, 32, INT_SEI

    /* ---- delegated S interrupts */
    li t0, 0x222
    csrw mideleg, t0
    INT_CLEAR
    li t0, MIP_SSIP
    csrs mie, t0
    csrs mip, t0
    csrs mstatus, MSTATUS_MIE | MSTATUS_SIE
    nop
    nop
    csrc mstatus, MSTATUS_MIE | MSTATUS_SIE
    T_INT delegated-never-in-m, 24, 0
    /* in S with SIE = 0: not taken */
    TRAP_BEGIN
    GOTO_MODE PRV_S
    nop
    nop
    TRAP_END
    BACK_TO_M
    T_NOTRAP delegated-s-sie-0-not-taken
    /* in S with SIE = 1: taken to S */
    csrs mstatus, MSTATUS_SIE
    TRAP_BEGIN
    GOTO_MODE PRV_S
    nop
    nop
    TRAP_END
    BACK_TO_M
    csrc mstatus, MSTATUS_SIE
    T_STRAP delegated-ssi-in-s, INT_SSI, 0
    /* in U: taken whatever SIE */
    TRAP_BEGIN
    GOTO_MODE PRV_U
    nop
    nop
    TRAP_END
    BACK_TO_M
    T_STRAP delegated-ssi-in-u-sie-0, INT_SSI, 0
    csrw mip, zero
    csrw mie, zero
    csrw mideleg, zero

    /* undelegated M interrupt is taken in S even with MIE = 0 */
    INT_CLEAR
    li t0, 1
    sw t0, 0(s0)
    li t0, MIP_MSIP
    csrs mie, t0
    GOTO_MODE PRV_S
    nop
    BACK_TO_M
    sw zero, 0(s0)
    T_INT m-int-in-s-ignores-mie, 0, INT_MSI
    la t0, int_rec
    ld t1, 16(t0)
    li t0, MSTATUS_MPP
    and t1, t1, t0
    T_EQ m-int-in-s-mpp, t1, (1 << 11)

    /* ---- WFI */
    /* pending and enabled, MIE = 0: WFI returns, no trap */
    INT_CLEAR
    li t0, 1
    sw t0, 0(s0)
    li t0, MIP_MSIP
    csrs mie, t0
    TRAP_BEGIN
    wfi
    TRAP_END
    T_NOTRAP wfi-pending-mie-0-continues
    T_INT wfi-pending-mie-0-no-interrupt, 24, 0
    sw zero, 0(s0)
    csrw mie, zero

    /* wakes on a delegated STIP while in M (mip & mie, no enables) */
    li t0, 0x222
    csrw mideleg, t0
    li t0, MIP_STIP
    csrs mip, t0
    csrs mie, t0
    TRAP_BEGIN
    wfi
    TRAP_END
    T_NOTRAP wfi-delegated-stip-wakes
    csrw mip, zero
    csrw mie, zero
    csrw mideleg, zero

    /* sleeping with MIE = 1: the timer interrupt has epc = WFI + 4 */
    INT_CLEAR
    ld t0, 0(s2)
    addi t0, t0, 2000
    sd t0, 0(s1)
    li t0, MIP_MTIP
    csrs mie, t0
    csrs mstatus, MSTATUS_MIE
    .option push
    .option norvc
wfi_sleep:
    wfi
wfi_after:
    .option pop
    WAIT_INT
    csrc mstatus, MSTATUS_MIE
    li t0, -1
    sd t0, 0(s1)
    T_INT wfi-timer-cause, 0, INT_MTI
    la t0, int_rec
    ld t1, 8(t0)
    la t2, wfi_sleep
    la t3, wfi_after
    /* epc is WFI + 4, or WFI itself if it returned early and the
     * interrupt hit the next instructions: accept only WFI + 4 or later */
    sltu t4, t1, t3
    T_EQ wfi-timer-epc-after-wfi, t4, 0

    /* ---- Sstc */
    li t0, (1 << 63)
    csrw CSR_MENVCFG, t0
    csrw CSR_STIMECMP, zero
    csrr t1, mip
    andi t1, t1, MIP_STIP
    T_EQ sstc-stimecmp-0-stip, t1, MIP_STIP
    li t0, -1
    csrw CSR_STIMECMP, t0
    csrr t1, mip
    andi t1, t1, MIP_STIP
    T_EQ sstc-stimecmp-max-no-stip, t1, 0
    li t0, MIP_STIP
    csrs mip, t0
    csrr t1, mip
    andi t1, t1, MIP_STIP
    T_EQ sstc-mip-stip-read-only, t1, 0
    /* STI to S through stimecmp */
    li t0, 0x222
    csrw mideleg, t0
    li t0, MIP_STIP
    csrs mie, t0
    li t0, 2
    csrw mcounteren, t0
    csrs mstatus, MSTATUS_SIE
    TRAP_BEGIN
    GOTO_MODE PRV_S
    csrw CSR_STIMECMP, zero
    nop
    nop
    TRAP_END
    BACK_TO_M
    csrc mstatus, MSTATUS_SIE
    li t0, -1
    csrw CSR_STIMECMP, t0
    csrw mie, zero
    csrw mideleg, zero
    csrw mcounteren, zero
    T_STRAP sstc-sti-in-s, INT_STI, 0
    /* STCE = 0: STIP is the software bit again */
    csrw CSR_MENVCFG, zero
    csrw CSR_STIMECMP, zero
    csrr t1, mip
    andi t1, t1, MIP_STIP
    T_EQ sstc-off-stimecmp-no-effect, t1, 0
    li t0, MIP_STIP
    csrs mip, t0
    csrr t1, mip
    andi t1, t1, MIP_STIP
    T_EQ sstc-off-stip-writable, t1, MIP_STIP
    csrw mip, zero
    li t0, -1
    csrw CSR_STIMECMP, t0

    MAIN_END

    .data
    .balign 8
vec_hits:
    .dword 0

    .text
    .option push
    .option norvc
    .balign 256
vec_table:
    j trap_m            /* 0: exceptions */
    j trap_m
    j trap_m
    j vec_msi           /* 3: MSI */
    j trap_m
    j trap_m
    j trap_m
    j trap_m
    j trap_m
    j trap_m
    j trap_m
    j trap_m
vec_msi:
    csrrw sp, mscratch, sp
    addi sp, sp, -16
    sd t0, 0(sp)
    sd t1, 8(sp)
    la t0, vec_hits
    ld t1, 0(t0)
    addi t1, t1, 1
    sd t1, 0(t0)
    ld t0, 0(sp)
    ld t1, 8(sp)
    addi sp, sp, 16
    csrrw sp, mscratch, sp
    j trap_m
    .option pop
