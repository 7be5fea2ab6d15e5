/* SPDX-License-Identifier: MIT */
/*
 * Exceptions: ECALL/EBREAK causes per mode, trap entry and xRET state
 * stacks, medeleg delegation to S, illegal instructions (mtval = bits),
 * privileged-instruction rules, access faults on unmapped addresses.
 */
#include "common.h"

/* t1 = recorded mstatus & mask */
.macro REC_MSTATUS mask
    la t0, trap_rec
    ld t1, 24(t0)
    li t0, \mask
    and t1, t1, t0
.endm

    MAIN_BEGIN
    li a7, 0

    /* ---- ECALL / EBREAK from each mode */
    TRAP_BEGIN
ecall_m:
    ecall
    TRAP_END
    T_TRAPEPC ecall-m-cause-epc, CAUSE_ECALL_M, ecall_m
    T_TRAP ecall-m-tval, CAUSE_ECALL_M, 0
    REC_MSTATUS MSTATUS_MPP
    T_EQ ecall-m-mpp, t1, (3 << 11)

    TRAP_BEGIN
    GOTO_MODE PRV_S
ecall_s:
    ecall
    TRAP_END
    T_TRAPEPC ecall-s-cause-epc, CAUSE_ECALL_S, ecall_s
    REC_MSTATUS MSTATUS_MPP
    T_EQ ecall-s-mpp, t1, (1 << 11)

    TRAP_BEGIN
    GOTO_MODE PRV_U
ecall_u:
    ecall
    TRAP_END
    T_TRAPEPC ecall-u-cause-epc, CAUSE_ECALL_U, ecall_u
    REC_MSTATUS MSTATUS_MPP
    T_EQ ecall-u-mpp, t1, 0

    TRAP_BEGIN
ebreak_m:
    .option push
    .option norvc
    ebreak
    .option pop
    TRAP_END
    T_TRAPEPC ebreak-cause-epc, CAUSE_BREAKPOINT, ebreak_m
    T_TRAP ebreak-tval-zero, CAUSE_BREAKPOINT, 0

    TRAP_BEGIN
    GOTO_MODE PRV_U
    ebreak
    TRAP_END
    T_TRAP ebreak-from-u, CAUSE_BREAKPOINT, 0

    /* ---- trap entry: MPIE = MIE, MIE = 0, MPP = priv */
    li t0, MSTATUS_MIE
    csrs mstatus, t0
    TRAP_INSN ecall
    REC_MSTATUS MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP
    T_EQ trap-entry-m-stack, t1, MSTATUS_MPIE | MSTATUS_MPP
    li t0, MSTATUS_MIE
    csrc mstatus, t0

    /* vectored mtvec: exceptions still go to BASE */
    csrr s9, mtvec
    ori t0, s9, 1
    csrw mtvec, t0
    TRAP_INSN ecall
    csrw mtvec, s9
    T_TRAP vectored-exception-to-base, CAUSE_ECALL_M, 0

    /* ---- MRET to M: MIE = MPIE, MPIE = 1, MPP = U */
    li t0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP
    csrc mstatus, t0
    li t0, MSTATUS_MPIE | MSTATUS_MPP
    csrs mstatus, t0
    la t0, 1f
    csrw mepc, t0
    mret
1:
    csrr t1, mstatus
    li t0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP
    and t1, t1, t0
    li t0, MSTATUS_MIE
    csrc mstatus, t0
    T_EQ mret-m-stack, t1, MSTATUS_MIE | MSTATUS_MPIE

    /* MRET to S clears MPRV (priv 1.12) */
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    TRAP_BEGIN
    GOTO_MODE PRV_S
    ecall
    TRAP_END
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    REC_MSTATUS MSTATUS_MPRV
    T_EQ mret-to-s-clears-mprv, t1, 0

    /* SRET from M to U: SIE = SPIE, SPIE = 1, SPP = U, MPRV = 0 */
    li t0, MSTATUS_SIE | MSTATUS_SPP
    csrc mstatus, t0
    li t0, MSTATUS_SPIE | MSTATUS_MPRV
    csrs mstatus, t0
    TRAP_BEGIN
    la t0, 1f
    csrw sepc, t0
    sret
1:
    ecall
    TRAP_END
    li t0, MSTATUS_MPRV | MSTATUS_SIE
    csrc mstatus, t0
    T_CAUSE sret-to-u, CAUSE_ECALL_U
    REC_MSTATUS MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_MPRV
    T_EQ sret-stack, t1, MSTATUS_SIE | MSTATUS_SPIE

    /* SRET from M to S via SPP */
    li t0, MSTATUS_SPP
    csrs mstatus, t0
    TRAP_BEGIN
    la t0, 1f
    csrw sepc, t0
    sret
1:
    ecall
    TRAP_END
    T_CAUSE sret-spp-s, CAUSE_ECALL_S

    /* ---- medeleg: delegated exceptions go to S */
    li t0, (1 << CAUSE_ECALL_U)
    csrw medeleg, t0
    li t0, MSTATUS_SIE
    csrs mstatus, t0
    TRAP_BEGIN
    GOTO_MODE PRV_U
ecall_u_deleg:
    ecall
    TRAP_END
    csrw medeleg, zero
    T_STRAP ecall-u-delegated, CAUSE_ECALL_U, 0
    la t0, strap_rec
    ld t1, 16(t0)
    T_EQA ecall-u-delegated-sepc, t1, ecall_u_deleg
    ld t1, 24(t0)
    li t0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
    and t1, t1, t0
    T_EQ trap-entry-s-stack, t1, MSTATUS_SPIE
    T_CAUSE s-handler-returned-by-ecall, CAUSE_ECALL_S
    li t0, MSTATUS_SIE
    csrc mstatus, t0

    /* delegated illegal instruction from S: stval = bits */
    li t0, (1 << CAUSE_ILLEGAL)
    csrw medeleg, t0
    TRAP_BEGIN
    GOTO_MODE PRV_S
    .word 0xffffffff
    TRAP_END
    csrw medeleg, zero
    T_STRAP illegal-s-delegated, CAUSE_ILLEGAL, 0xffffffff
    la t0, strap_rec
    ld t1, 24(t0)
    andi t1, t1, MSTATUS_SPP
    T_EQ illegal-s-delegated-spp, t1, MSTATUS_SPP

    /* ecall from S delegated (uses the handler that exits by MRET) */
    la t0, trap_s_alt
    csrw stvec, t0
    li t0, (1 << CAUSE_ECALL_S)
    csrw medeleg, t0
    TRAP_BEGIN
    GOTO_MODE PRV_S
    ecall
    TRAP_END
    csrw medeleg, zero
    la t0, trap_s
    csrw stvec, t0
    T_STRAP ecall-s-delegated, CAUSE_ECALL_S, 0

    /* exceptions in M are never delegated */
    li t0, (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_ECALL_U) | (1 << CAUSE_ILLEGAL)
    csrw medeleg, t0
    TRAP_INSN ebreak
    csrw medeleg, zero
    T_TRAP m-trap-not-delegated, CAUSE_BREAKPOINT, 0
    la t0, strap_rec
    ld t1, 0(t0)
    T_EQ m-trap-not-delegated-s-untouched, t1, -1

    /* not delegated: U ecall goes to M even with other bits set */
    li t0, (1 << CAUSE_BREAKPOINT)
    csrw medeleg, t0
    TRAP_BEGIN
    GOTO_MODE PRV_U
    ecall
    TRAP_END
    csrw medeleg, zero
    T_CAUSE undelegated-u-ecall-to-m, CAUSE_ECALL_U

    /* ---- illegal instructions: mtval = instruction bits */
    T_ILLEGAL illegal-all-ones, .word 0xffffffff
    T_ILLEGAL illegal-custom0, .word 0x0000000b
    T_ILLEGAL illegal-op-v, .word 0x02000057
    T_ILLEGAL illegal-hfence-gvma, .word 0x62000073
    T_ILLEGAL illegal-funct7-add, .word 0x40001033
    T_ILLEGAL illegal-system-funct3-4, .word 0x00004073
    li t0, MSTATUS_FS
    csrc mstatus, t0
    T_ILLEGAL illegal-fp-fs-off, fadd.s f1, f2, f3
    T_ILLEGAL illegal-fld-fs-off, fld f1, 0(sp)
    li t0, MSTATUS_FS
    csrs mstatus, t0
    T_ILLEGAL illegal-rm-5, .word 0x003150d3       /* fadd.s f1, f2, f3, rm=5 */
    T_ILLEGAL illegal-rm-6, .word 0x003160d3
    li t0, 5
    csrw frm, t0
    T_ILLEGAL illegal-dyn-frm-5, fadd.s f1, f2, f3, dyn
    csrw frm, zero
    T_NOTRAPI fadd-dyn-frm-0, fadd.s f1, f2, f3, dyn

    /* ---- privileged instructions */
    T_ILLEGAL_IN mret-in-s, PRV_S, mret
    T_ILLEGAL_IN mret-in-u, PRV_U, mret
    T_ILLEGAL_IN sret-in-u, PRV_U, sret
    T_ILLEGAL_IN sfence.vma-in-u, PRV_U, sfence.vma
    li t0, MSTATUS_TSR
    csrs mstatus, t0
    T_ILLEGAL_IN sret-in-s-tsr, PRV_S, sret
    li t0, MSTATUS_TSR
    csrc mstatus, t0
    li t0, MSTATUS_TVM
    csrs mstatus, t0
    T_ILLEGAL_IN sfence.vma-in-s-tvm, PRV_S, sfence.vma
    li t0, MSTATUS_TVM
    csrc mstatus, t0
    T_NOTRAP_IN sfence.vma-in-s, PRV_S, sfence.vma
    li t0, MSTATUS_TW
    csrs mstatus, t0
    T_ILLEGAL_IN wfi-in-s-tw, PRV_S, wfi
    T_ILLEGAL_IN wfi-in-u-tw, PRV_U, wfi
    li t0, MSTATUS_TW
    csrc mstatus, t0
    /* TSR/TVM/TW do not affect M */
    li t0, MSTATUS_TVM | MSTATUS_TW
    csrs mstatus, t0
    T_NOTRAPI sfence.vma-m-tvm, sfence.vma
    li t0, MSTATUS_TVM | MSTATUS_TW
    csrc mstatus, t0

    /* ---- access faults on unmapped physical addresses */
    li s0, 0
    TRAP_INSN lw t0, 0(s0)
    T_TRAP load-unmapped, CAUSE_LOAD_ACCESS, 0
    TRAP_INSN sw t0, 0(s0)
    T_TRAP store-unmapped, CAUSE_STORE_ACCESS, 0
    li s0, 0x10000008
    TRAP_INSN lbu t0, 0(s0)
    T_TRAP load-past-uart, CAUSE_LOAD_ACCESS, 0x10000008
    li s0, TESTDEV_BASE
    TRAP_INSN lbu t0, 0(s0)
    T_TRAP load-testdev-byte, CAUSE_LOAD_ACCESS, TESTDEV_BASE
    li s0, 0x1000
    TRAP_INSN sw zero, 0(s0)
    T_NOTRAP store-to-rom-ignored
    lw t0, 0(s0)
    T_EQ rom-reset-vector, t0, 0x00000297

    /* fetch from an unmapped address: cause 1, mtval = epc = target */
    li s0, 0x4
    TRAP_BEGIN
    jalr ra, 0(s0)
    TRAP_END
    T_TRAP fetch-unmapped, CAUSE_FETCH_ACCESS, 0x4
    la t0, trap_rec
    ld t1, 16(t0)
    T_EQ fetch-unmapped-epc, t1, 0x4

    MAIN_END
