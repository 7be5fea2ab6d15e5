/* SPDX-License-Identifier: MIT */
/*
 * Every CSR of the hart checklist (riscv-hart.md §2): reset values, WARL
 * write-back masks as specified "to build", read-only and absent CSRs,
 * counter access rules.  Where QEMU 7.2 keeps more bits, the check expects
 * the specified value and is listed in qemu-quirks.txt.
 */
#include "common.h"

/* Write val, read back, restore the old value, check. Uses s10, t0, t1. */
.macro T_WARL name, csr, val, want
    csrr s10, \csr
    li t0, \val
    csrw \csr, t0
    csrr t1, \csr
    csrw \csr, s10
    T_EQ \name, t1, \want
.endm

/* The same, checking (read-back & mask). */
.macro T_WARLM name, csr, val, mask, want
    csrr s10, \csr
    li t0, \val
    csrw \csr, t0
    csrr t1, \csr
    csrw \csr, s10
    li t0, \mask
    and t1, t1, t0
    T_EQ \name, t1, \want
.endm

/* Reset snapshot slot check (see reset_csrs in common.S). */
.macro T_RESET name, off, want
    la t0, reset_csrs
    ld t1, \off(t0)
    T_EQ \name, t1, \want
.endm

#define MSTATUS_RESET 0x0000000a00000000

    MAIN_BEGIN

    /* ---- reset values */
    T_RESET reset-mtvec, 0, 0
    T_RESET reset-mstatus, 8, MSTATUS_RESET
    T_RESET reset-misa, 16, 0x800000000014112d
    T_RESET reset-medeleg, 24, 0
    T_RESET reset-mideleg, 32, 0
    T_RESET reset-mie, 40, 0
    T_RESET reset-mip-mtip, 48, MIP_MTIP
    T_RESET reset-mcounteren, 56, 0
    T_RESET reset-satp, 64, 0
    T_RESET reset-pmpcfg0, 72, 0
    T_RESET reset-pmpaddr0, 80, 0
    csrr t0, CSR_MENVCFG
    T_EQ reset-menvcfg, t0, 0
    csrr t0, CSR_STIMECMP
    T_EQ reset-stimecmp, t0, 0
    li t0, MSTATUS_FS
    csrs mstatus, t0
    csrr t0, fcsr
    T_EQ reset-fcsr, t0, 0

    /* ---- identification */
    T_WARL misa-write-ignored, misa, 0, 0x800000000014112d
    csrr t0, mvendorid
    T_EQ mvendorid, t0, 0
    csrr t0, mhartid
    T_EQ mhartid, t0, 0
    csrr t0, CSR_MCONFIGPTR
    T_EQ mconfigptr, t0, 0
    T_NOTRAPI marchid-readable, csrr t0, marchid
    T_NOTRAPI mimpid-readable, csrr t0, mimpid
    T_ILLEGAL marchid-ro, csrw marchid, zero
    T_ILLEGAL mimpid-ro, csrw mimpid, zero
    T_ILLEGAL mconfigptr-ro, csrw CSR_MCONFIGPTR, zero

    /* ---- mstatus */
    T_WARL mstatus-write-all-ones, mstatus, -1, 0x8000000a007e79aa
    T_WARL mstatus-write-zero, mstatus, 0, MSTATUS_RESET
    T_WARLM mstatus-vs-ro, mstatus, (3 << 9), (3 << 9), 0
    T_WARLM mstatus-uxl-ro, mstatus, (3 << 32), (0xf << 32), (0xa << 32)
    T_WARLM mstatus-sxl-ro, mstatus, (1 << 34), (0xf << 32), (0xa << 32)
    T_WARLM mstatus-be-ro, mstatus, (1 << 6) | (3 << 36), (1 << 6) | (3 << 36), 0
    T_WARLM mstatus-gva-mpv-ro, mstatus, (3 << 38), (3 << 38), 0
    T_WARLM mstatus-xs-ro, mstatus, (3 << 15), (3 << 15), 0
    T_WARLM mstatus-mpp-2-is-u, mstatus, (2 << 11), MSTATUS_MPP, 0
    T_WARLM mstatus-mpp-s, mstatus, (1 << 11), MSTATUS_MPP, (1 << 11)
    T_WARLM mstatus-sd-fs-dirty, mstatus, (3 << 13), (1 << 63) | MSTATUS_FS, (1 << 63) | (3 << 13)
    T_WARLM mstatus-sd-fs-clean, mstatus, (2 << 13), (1 << 63) | MSTATUS_FS, (2 << 13)
    T_WARL mstatus-rw-fields, mstatus, 0x1c69aa, 0x8000000a001c69aa

    /* ---- sstatus: a view of mstatus */
    csrr s9, mstatus
    li t0, 0x1c69aa
    csrw mstatus, t0
    csrr t1, sstatus
    csrw mstatus, s9
    T_EQ sstatus-read-view, t1, 0x80000002000c6122
    li t0, 0x1c69aa
    csrw mstatus, t0
    csrw sstatus, zero
    csrr t1, mstatus
    csrw mstatus, s9
    T_EQ sstatus-write-keeps-m-bits, t1, 0x0000000a00100888
    csrw mstatus, zero
    li t0, -1
    csrw sstatus, t0
    csrr t1, mstatus
    csrw mstatus, s9
    T_EQ sstatus-write-all-ones, t1, 0x8000000a000c6122

    /* ---- trap setup */
    T_WARL medeleg-write-all-ones, medeleg, -1, 0xb3ff
    T_WARL medeleg-opensbi-value, medeleg, 0xb109, 0xb109
    T_WARLM medeleg-bit11-ro, medeleg, (1 << 11), (1 << 11), 0
    T_WARL mideleg-write-all-ones, mideleg, -1, 0x222
    T_WARL mideleg-write-0x222, mideleg, 0x222, 0x222
    T_WARL mie-write-all-ones, mie, -1, 0xaaa
    T_WARL mie-write-0xaaa, mie, 0xaaa, 0xaaa

    /* mtvec: MODE 0/1 kept, MODE >= 2 leaves the register unchanged */
    csrr s9, mtvec
    li t0, 0x80001000
    csrw mtvec, t0
    csrr t1, mtvec
    li t0, 0x80002001
    csrw mtvec, t0
    csrr t2, mtvec
    li t0, 0x80003002
    csrw mtvec, t0
    csrr t3, mtvec
    csrw mtvec, s9
    T_EQ mtvec-direct, t1, 0x80001000
    T_EQ mtvec-vectored, t2, 0x80002001
    T_EQ mtvec-mode2-ignored, t3, 0x80002001
    csrr s9, stvec
    li t0, 0x80004001
    csrw stvec, t0
    li t0, 0x80005003
    csrw stvec, t0
    csrr t1, stvec
    csrw stvec, s9
    T_EQ stvec-mode3-ignored, t1, 0x80004001

    T_WARL mcounteren-32bit, mcounteren, -1, 0xffffffff
    T_WARL menvcfg-write-all-ones, CSR_MENVCFG, -1, 0x8000000000000001
    T_WARL menvcfg-fiom, CSR_MENVCFG, 1, 1
    T_WARL mcountinhibit-write-all-ones, mcountinhibit, -1, 5
    T_WARL mhpmevent3-ro-zero, mhpmevent3, -1, 0
    T_WARL mhpmevent31-ro-zero, mhpmevent31, -1, 0

    /* ---- trap handling */
    csrr s9, mscratch
    li t0, 0x123456789abcdef0
    csrw mscratch, t0
    csrr t1, mscratch
    csrw mscratch, s9
    T_EQ mscratch-rw, t1, 0x123456789abcdef0
    T_WARL mepc-bit0-zero, mepc, -1, 0xfffffffffffffffe
    T_WARL mepc-bit1-kept, mepc, 0x80000002, 0x80000002
    T_WARL mcause-rw, mcause, 0x8000000000000007, 0x8000000000000007
    T_WARL mtval-rw, mtval, 0xfedcba9876543210, 0xfedcba9876543210

    /* mip: only SSIP, STIP, SEIP are writable (STCE = 0 here) */
    csrw mip, zero
    csrr t1, mip
    li t0, -1
    csrw mip, t0
    csrr t2, mip
    csrw mip, zero
    li t0, ~0x888
    and t1, t1, t0
    and t2, t2, t0
    T_EQ mip-write-zero, t1, 0
    T_EQ mip-write-all-ones, t2, 0x222

    /* sie / sip: views through mideleg */
    csrw mideleg, zero
    li t0, -1
    csrw sie, t0
    csrr t1, sie
    csrr t2, mie
    csrw mie, zero
    T_EQ2 sie-nothing-delegated, t1, 0, t2, 0
    li t0, MIP_SSIP
    csrs mip, t0
    csrr t1, sip
    csrw mip, zero
    T_EQ sip-nothing-delegated, t1, 0
    li t0, 0x222
    csrw mideleg, t0
    li t0, -1
    csrw sie, t0
    csrr t1, sie
    csrr t2, mie
    csrw mie, zero
    T_EQ2 sie-delegated, t1, 0x222, t2, 0x222
    li t0, -1
    csrw sip, t0
    csrr t1, sip
    csrr t2, mip
    csrw mip, zero
    li t0, ~0x888
    and t2, t2, t0
    T_EQ2 sip-write-only-ssip, t1, 2, t2, 2
    li t0, MIP_STIP | MIP_SEIP
    csrs mip, t0
    csrr t1, sip
    csrw mip, zero
    T_EQ sip-shows-stip-seip, t1, 0x220
    csrw mideleg, zero

    /* ---- S-level CSRs */
    T_WARL scounteren-32bit, scounteren, -1, 0xffffffff
    T_WARL senvcfg-write-all-ones, CSR_SENVCFG, -1, 1
    T_WARL sscratch-rw, sscratch, 0x0123456789abcdef, 0x0123456789abcdef
    T_WARL sepc-bit0-zero, sepc, -1, 0xfffffffffffffffe
    T_WARL scause-rw, scause, 0x8000000000000005, 0x8000000000000005
    T_WARL stval-rw, stval, 0x42, 0x42
    T_WARL stimecmp-rw, CSR_STIMECMP, 0x123456789, 0x123456789
    li t0, -1
    csrw CSR_STIMECMP, t0

    /* ---- satp */
    csrw satp, zero
    li t0, (1 << 60) | 0x1234
    csrw satp, t0
    csrr t1, satp
    T_EQ satp-mode1-ignored, t1, 0
    li t0, SATP_SV39 | 0x80400
    csrw satp, t0
    csrr t1, satp
    T_EQ satp-sv39, t1, SATP_SV39 | 0x80400
    li t0, SATP_SV48 | 0x80401
    csrw satp, t0
    li t0, (1 << 60) | 0x1234
    csrw satp, t0
    csrr t1, satp
    T_EQ satp-sv48-then-bad-mode, t1, SATP_SV48 | 0x80401
    li t0, SATP_SV39 | (0xffff << 44) | 0x80400
    csrw satp, t0
    csrr t1, satp
    li t0, ~(0xffff << 44)
    and t1, t1, t0
    T_EQ satp-asid-write-keeps-mode-ppn, t1, SATP_SV39 | 0x80400
    csrw satp, zero

    /* ---- PMP CSRs */
    T_WARL pmpcfg-reserved-bits-ro, pmpcfg0, 0x7f, 0x1f
    T_WARL pmpcfg-w-without-r, pmpcfg0, 0x1a, 0x18
    T_WARL pmpcfg-entries-0-7, pmpcfg0, 0x0f0e0d0c0b0a0908, 0x0f0c0d0c0b080908
    T_WARL pmpaddr-54-bits, pmpaddr0, -1, 0x003fffffffffffff
    T_WARL pmpaddr14-rw, pmpaddr14, 0x1234567, 0x1234567
    T_ILLEGAL pmpcfg1-illegal, csrr t0, pmpcfg1
    T_ILLEGAL pmpcfg3-illegal, csrr t0, pmpcfg3

    /* ---- counters */
    li t0, 1000
    csrw minstret, t0
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    csrr t1, minstret
    addi t1, t1, -1000
    sltiu t2, t1, 13
    sltiu t3, t1, 10
    xori t3, t3, 1
    and t2, t2, t3
    T_EQ minstret-counts-instructions, t2, 1
    csrw mcycle, zero
    csrr t1, mcycle
    sltiu t2, t1, 1000
    T_EQ mcycle-write, t2, 1
    li t0, 4
    csrw mcountinhibit, t0
    li t0, 500
    csrw minstret, t0
    nop
    nop
    csrr t1, minstret
    csrw mcountinhibit, zero
    T_EQ mcountinhibit-ir-stops, t1, 500
    csrr t0, minstret
    csrr t1, instret
    sub t1, t1, t0
    sltiu t2, t1, 8
    T_EQ instret-shadows-minstret, t2, 1
    csrr t0, time
    SPIN 1000
    csrr t1, time
    sltu t2, t0, t1
    T_EQ time-advances, t2, 1
    T_ILLEGAL time-ro, csrw time, zero
    T_WARL mhpmcounter3-ro-zero, mhpmcounter3, -1, 0
    T_NOTRAPI mhpmcounter31-exists, csrr t0, mhpmcounter31
    T_NOTRAPI hpmcounter3-m-read, csrr t0, hpmcounter3

    /* counter access from S and U */
    csrw mcounteren, zero
    csrw scounteren, zero
    T_ILLEGAL_IN time-s-mcounteren-0, PRV_S, csrr t0, time
    T_ILLEGAL_IN cycle-u-mcounteren-0, PRV_U, csrr t0, cycle
    li t0, 7
    csrw mcounteren, t0
    T_NOTRAP_IN time-s-mcounteren-tm, PRV_S, csrr t0, time
    T_ILLEGAL_IN time-u-scounteren-0, PRV_U, csrr t0, time
    li t0, 2
    csrw scounteren, t0
    T_NOTRAP_IN time-u-both-tm, PRV_U, csrr t0, time
    T_ILLEGAL_IN instret-u-scounteren-ir-0, PRV_U, csrr t0, instret
    csrw mcounteren, zero
    csrw scounteren, zero
    T_ILLEGAL rv32-cycleh, csrr t0, 0xc80

    /* stimecmp from S needs mcounteren.TM and menvcfg.STCE */
    T_ILLEGAL_IN stimecmp-s-neither, PRV_S, csrr t0, CSR_STIMECMP
    li t0, 2
    csrw mcounteren, t0
    T_ILLEGAL_IN stimecmp-s-tm-only, PRV_S, csrr t0, CSR_STIMECMP
    li t0, (1 << 63)
    csrw CSR_MENVCFG, t0
    T_NOTRAP_IN stimecmp-s-tm-stce, PRV_S, csrr t0, CSR_STIMECMP
    csrw mcounteren, zero
    T_ILLEGAL_IN stimecmp-s-stce-only, PRV_S, csrr t0, CSR_STIMECMP
    csrw CSR_MENVCFG, zero

    /* satp from S with TVM */
    li t0, MSTATUS_TVM
    csrs mstatus, t0
    T_ILLEGAL_IN satp-s-tvm, PRV_S, csrr t0, satp
    li t0, MSTATUS_TVM
    csrc mstatus, t0
    T_NOTRAP_IN satp-s-no-tvm, PRV_S, csrr t0, satp

    /* ---- floating-point CSRs */
    T_WARL fcsr-write-all-ones, fcsr, -1, 0xff
    T_WARL fflags-write-all-ones, fflags, -1, 0x1f
    T_WARL frm-keeps-invalid-5, frm, 5, 5
    li t0, 0x3
    csrw fcsr, zero
    csrw frm, t0
    csrr t1, fcsr
    csrw fcsr, zero
    T_EQ frm-in-fcsr, t1, 0x60
    li t0, MSTATUS_FS
    csrc mstatus, t0
    T_ILLEGAL fcsr-fs-off, csrr t0, fcsr
    T_ILLEGAL fflags-fs-off, csrr t0, fflags
    li t0, MSTATUS_FS
    csrs mstatus, t0

    /* ---- CSRs that must not exist */
    T_ILLEGAL absent-mstateen0, csrr t0, CSR_MSTATEEN0
    T_ILLEGAL absent-mtopi, csrr t0, CSR_MTOPI
    T_ILLEGAL absent-scountovf, csrr t0, CSR_SCOUNTOVF
    T_ILLEGAL absent-seed, csrr t0, CSR_SEED
    T_ILLEGAL absent-vstart, csrr t0, CSR_VSTART
    T_ILLEGAL absent-mseccfg, csrr t0, CSR_MSECCFG
    T_ILLEGAL absent-hstatus, csrr t0, CSR_HSTATUS
    T_ILLEGAL absent-mtval2, csrr t0, CSR_MTVAL2
    T_ILLEGAL absent-mtinst, csrr t0, CSR_MTINST

    MAIN_END
