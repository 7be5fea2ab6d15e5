/* SPDX-License-Identifier: MIT */
/*
 * Zicsr: the six CSR instructions, read/write semantics, write-suppression
 * rules (rs1 = x0 / uimm = 0 do not write), read-only and privilege traps.
 */
#include "common.h"

    MAIN_BEGIN
    csrr s11, sscratch          /* restored at the end */

    /* ---- register forms on sscratch */
    li t0, 0x1234
    csrw sscratch, t0
    li t1, 0xff00
    csrrw t2, sscratch, t1
    csrr t3, sscratch
    T_EQ2 csrrw, t2, 0x1234, t3, 0xff00
    li t1, 0x0ff0
    csrrs t2, sscratch, t1
    csrr t3, sscratch
    T_EQ2 csrrs, t2, 0xff00, t3, 0xfff0
    li t1, 0x00f0
    csrrc t2, sscratch, t1
    csrr t3, sscratch
    T_EQ2 csrrc, t2, 0xfff0, t3, 0xff00
    li t0, 0x77
    csrrw t0, sscratch, t0
    csrr t3, sscratch
    T_EQ2 csrrw-rd-eq-rs1, t0, 0xff00, t3, 0x77
    li t0, -1
    csrw sscratch, t0
    csrr t3, sscratch
    T_EQ csr-64bit, t3, -1

    /* ---- immediate forms: 5-bit zero-extended uimm */
    csrrwi t2, sscratch, 31
    csrr t3, sscratch
    T_EQ2 csrrwi, t2, -1, t3, 31
    csrrci t2, sscratch, 0x11
    csrr t3, sscratch
    T_EQ2 csrrci, t2, 31, t3, 0x0e
    csrrsi t2, sscratch, 0x10
    csrr t3, sscratch
    T_EQ2 csrrsi, t2, 0x0e, t3, 0x1e
    csrrsi t2, sscratch, 0
    csrrci t2, sscratch, 0
    csrrs t2, sscratch, x0
    csrrc t2, sscratch, x0
    csrr t3, sscratch
    T_EQ no-write-forms-keep-value, t3, 0x1e

    /* ---- read-only CSR (mvendorid, 0xF11): writes trap, reads do not */
    T_NOTRAPI ro-csrr, csrr t0, mvendorid
    T_NOTRAPI ro-csrrs-x0, csrrs t0, mvendorid, x0
    T_NOTRAPI ro-csrrc-x0, csrrc t0, mvendorid, x0
    T_NOTRAPI ro-csrrsi-0, csrrsi t0, mvendorid, 0
    T_NOTRAPI ro-csrrci-0, csrrci t0, mvendorid, 0
    T_NOTRAPI ro-read-rd-x0, csrrs x0, mvendorid, x0
    T_ILLEGAL ro-csrrw-x0, csrrw t0, mvendorid, x0
    T_ILLEGAL ro-csrrw-rd-x0, csrrw x0, mvendorid, t0
    T_ILLEGAL ro-csrrwi-0, csrrwi t0, mvendorid, 0
    T_ILLEGAL ro-csrrsi-1, csrrsi t0, mvendorid, 1
    T_ILLEGAL ro-csrrci-1, csrrci t0, mvendorid, 1
    li t1, 0
    T_ILLEGAL ro-csrrs-rs1-zero-value, csrrs t0, mvendorid, t1
    T_ILLEGAL ro-csrrc-rs1-zero-value, csrrc t0, mvendorid, t1
    T_ILLEGAL ro-cycle-write, csrw cycle, t1
    T_ILLEGAL ro-mhartid-write, csrw mhartid, t1

    /* ---- a suppressed write has no side effect: fflags and FS */
    li t0, MSTATUS_FS
    csrc mstatus, t0
    li t0, (1 << 13)            /* FS = Initial */
    csrs mstatus, t0
    csrrs t0, fflags, x0
    csrr t1, mstatus
    srli t1, t1, 13
    andi t1, t1, 3
    T_EQ csrrs-x0-no-fs-dirty, t1, 1
    csrrsi t0, fflags, 0
    csrr t1, mstatus
    srli t1, t1, 13
    andi t1, t1, 3
    T_EQ csrrsi-0-no-fs-dirty, t1, 1
    li t2, 0
    csrrs t0, fflags, t2        /* rs1 != x0: a write, FS -> Dirty */
    csrr t1, mstatus
    srli t1, t1, 13
    andi t1, t1, 3
    T_EQ csrrs-rs1-zero-value-writes, t1, 3

    /* ---- unimplemented CSR numbers */
    T_ILLEGAL unimpl-custom-7c0, csrr t0, 0x7c0
    T_ILLEGAL unimpl-0x000, csrr t0, 0x000
    T_ILLEGAL unimpl-rv32-cycleh, csrr t0, 0xc80
    T_ILLEGAL unimpl-rv32-mstatush, csrr t0, 0x310

    /* ---- privilege: bits 9:8 give the lowest privilege */
    T_ILLEGAL_IN s-reads-mscratch, PRV_S, csrr t0, mscratch
    T_ILLEGAL_IN u-reads-sscratch, PRV_U, csrr t0, sscratch
    T_ILLEGAL_IN u-reads-mstatus, PRV_U, csrr t0, mstatus
    T_NOTRAP_IN s-reads-sscratch, PRV_S, csrr t0, sscratch
    T_ILLEGAL_IN s-writes-mhartid, PRV_S, csrw mhartid, x0

    csrw sscratch, s11
    MAIN_END
