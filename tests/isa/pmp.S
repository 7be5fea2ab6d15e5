/* SPDX-License-Identifier: MIT */
/*
 * PMP: TOR, NA4 and NAPOT matching, R/W/X per access type, S and U denial,
 * lowest-numbered-entry priority, partial matches, MPRV, no-match rule,
 * locked entries (apply to M, ignore writes, lock the TOR base).
 * Entry 15 is common.S's allow-everything entry; locks come last.
 */
#include "common.h"
#include "vm.h"

#define TOR_LO  (SCRATCH + 0x10000)
#define TOR_HI  (SCRATCH + 0x11000)
#define NAP     (SCRATCH + 0x20000)     /* 4 KiB NAPOT */
#define NA4A    (SCRATCH + 0x30000)
#define PRI1    (SCRATCH + 0x40000)
#define PRI2    (SCRATCH + 0x41000)
#define LOCKA   (SCRATCH + 0x50000)
#define LTOR_LO (SCRATCH + 0x60000)
#define LTOR_HI (SCRATCH + 0x61000)

#define NAPOT_4K(a) (((a) >> 2) | 0x1ff)

/* Set the configuration byte of entry i (0..15) to val. */
.macro PMP_CFG i, val
    .if \i < 8
    csrr t0, pmpcfg0
    .else
    csrr t0, pmpcfg2
    .endif
    li t1, ~(0xff << ((\i % 8) * 8))
    and t0, t0, t1
    li t1, (\val) << ((\i % 8) * 8)
    or t0, t0, t1
    .if \i < 8
    csrw pmpcfg0, t0
    .else
    csrw pmpcfg2, t0
    .endif
.endm

/* Run insn (a0 = address, a1 = value) in mode; result t0. */
.macro P_DO mode, addr, insn:vararg
    li a0, \addr
    li a1, 0x5a
    TRAP_BEGIN
    GOTO_MODE \mode
    \insn
    TRAP_END
    BACK_TO_M
.endm

    MAIN_BEGIN
    li a7, 0
    li t0, TOR_LO
    li t1, 0x70
    sd t1, 0(t0)
    li t0, NA4A
    li t1, 0x11223344aabbccdd
    sd t1, 0(t0)

    /* ---- TOR: entry 1 over [pmpaddr0, pmpaddr1), read-only */
    li t0, TOR_LO >> 2
    csrw pmpaddr0, t0
    li t0, TOR_HI >> 2
    csrw pmpaddr1, t0
    PMP_CFG 1, PMP_TOR | PMP_R
    P_DO PRV_S, TOR_LO, ld t0, 0(a0)
    T_LOADOK tor-s-load, 0x70
    P_DO PRV_S, TOR_LO + 8, sd a1, 0(a0)
    T_TRAP tor-s-store-denied, CAUSE_STORE_ACCESS, TOR_LO + 8
    P_DO PRV_U, TOR_HI - 8, sd a1, 0(a0)
    T_TRAP tor-u-store-last-dword, CAUSE_STORE_ACCESS, TOR_HI - 8
    P_DO PRV_S, TOR_HI, sd a1, 0(a0)
    T_NOTRAP tor-upper-bound-exclusive
    P_DO PRV_S, TOR_LO - 8, sd a1, 0(a0)
    T_NOTRAP tor-below-lower-bound
    P_DO PRV_S, TOR_LO, amoadd.d t0, a1, (a0)
    T_TRAP tor-amo-needs-w, CAUSE_STORE_ACCESS, TOR_LO
    li t0, TOR_LO
    TRAP_BEGIN
    sd zero, 8(t0)
    TRAP_END
    T_NOTRAP tor-m-unaffected
    /* entry 0 TOR: lower bound 0 */
    PMP_CFG 1, 0
    li t0, TOR_HI >> 2
    csrw pmpaddr0, t0
    PMP_CFG 0, PMP_TOR | PMP_R | PMP_X
    P_DO PRV_S, TOR_LO, sd a1, 0(a0)
    T_TRAP tor-entry0-from-zero, CAUSE_STORE_ACCESS, TOR_LO
    PMP_CFG 0, 0
    /* empty TOR range (lower >= upper) matches nothing */
    li t0, TOR_HI >> 2
    csrw pmpaddr0, t0
    li t0, TOR_LO >> 2
    csrw pmpaddr1, t0
    PMP_CFG 1, PMP_TOR
    P_DO PRV_S, TOR_LO, ld t0, 0(a0)
    T_LOADOK tor-empty-range, 0x70
    PMP_CFG 1, 0

    /* ---- NAPOT 4 KiB, no permissions */
    li t0, NAPOT_4K(NAP)
    csrw pmpaddr2, t0
    PMP_CFG 2, PMP_NAPOT
    P_DO PRV_S, NAP + 0xff8, ld t0, 0(a0)
    T_TRAP napot-s-load-denied, CAUSE_LOAD_ACCESS, NAP + 0xff8
    P_DO PRV_U, NAP, ld t0, 0(a0)
    T_TRAP napot-u-load-denied, CAUSE_LOAD_ACCESS, NAP
    P_DO PRV_S, NAP + 0x1000, ld t0, 0(a0)
    T_NOTRAP napot-end
    P_DO PRV_S, NAP - 8, ld t0, 0(a0)
    T_NOTRAP napot-before
    PMP_CFG 2, PMP_NAPOT | PMP_R | PMP_W
    P_DO PRV_U, NAP, sd a1, 0(a0)
    T_NOTRAP napot-rw-u-store
    PMP_CFG 2, 0

    /* ---- NA4, read-only; an 8-byte access only half inside fails */
    li t0, NA4A >> 2
    csrw pmpaddr3, t0
    PMP_CFG 3, PMP_NA4 | PMP_R
    P_DO PRV_S, NA4A, lw t0, 0(a0)
    T_LOADOK na4-load, 0xffffffffaabbccdd
    P_DO PRV_S, NA4A, sw a1, 0(a0)
    T_TRAP na4-store-denied, CAUSE_STORE_ACCESS, NA4A
    P_DO PRV_S, NA4A + 4, sw a1, 0(a0)
    T_NOTRAP na4-next-word
    P_DO PRV_S, NA4A, ld t0, 0(a0)
    T_TRAP na4-partial-match-fails, CAUSE_LOAD_ACCESS, NA4A
    PMP_CFG 3, 0

    /* ---- priority: the lowest-numbered matching entry decides */
    li t0, NAPOT_4K(PRI1)
    csrw pmpaddr4, t0
    csrw pmpaddr5, t0
    PMP_CFG 4, PMP_NAPOT
    PMP_CFG 5, PMP_NAPOT | PMP_R | PMP_W
    P_DO PRV_S, PRI1, ld t0, 0(a0)
    T_TRAP priority-deny-first, CAUSE_LOAD_ACCESS, PRI1
    li t0, NAPOT_4K(PRI2)
    csrw pmpaddr6, t0
    csrw pmpaddr7, t0
    PMP_CFG 6, PMP_NAPOT | PMP_R
    PMP_CFG 7, PMP_NAPOT
    P_DO PRV_S, PRI2, ld t0, 0(a0)
    T_NOTRAP priority-allow-first
    PMP_CFG 4, 0
    PMP_CFG 5, 0
    PMP_CFG 6, 0
    PMP_CFG 7, 0

    /* ---- X: fetch from a region without X */
    la t0, pmp_code
    srli t0, t0, 2
    ori t0, t0, 0x1ff
    csrw pmpaddr2, t0
    PMP_CFG 2, PMP_NAPOT | PMP_R
    la a0, pmp_code
    mv s3, a0
    TRAP_BEGIN
    GOTO_MODE PRV_S
    jalr ra, 0(a0)
    TRAP_END
    BACK_TO_M
    T_TRAPR fetch-no-x, CAUSE_FETCH_ACCESS, s3
    PMP_CFG 2, PMP_NAPOT | PMP_R | PMP_X
    la a0, pmp_code
    li a7, 0
    TRAP_BEGIN
    GOTO_MODE PRV_S
    jalr ra, 0(a0)
    TRAP_END
    BACK_TO_M
    T_CAUSE fetch-with-x, CAUSE_ECALL_S
    PMP_CFG 2, 0

    /* ---- MPRV: M loads checked with MPP's privilege */
    li t0, NAPOT_4K(NAP)
    csrw pmpaddr2, t0
    PMP_CFG 2, PMP_NAPOT
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li a0, NAP
    TRAP_BEGIN
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    ld t0, 0(a0)
    TRAP_END
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    T_TRAP mprv-u-load-denied, CAUSE_LOAD_ACCESS, NAP
    PMP_CFG 2, 0

    /* ---- no matching entry: S and U are denied */
    li t0, NAPOT_4K(NAP)
    csrw pmpaddr2, t0
    PMP_CFG 2, PMP_NAPOT | PMP_R    /* keep one entry active */
    TRAP_BEGIN
    li t0, 0xff << 56
    csrc pmpcfg2, t0                /* drop entry 15 */
    GOTO_MODE PRV_S
    nop
    TRAP_END
    li t0, (0x1f << 56)
    csrs pmpcfg2, t0
    T_CAUSE no-match-s-fetch-denied, CAUSE_FETCH_ACCESS
    PMP_CFG 2, 0

    /* ---- locked entries (cannot be undone: last) */
    li t0, LOCKA >> 2
    csrw pmpaddr8, t0
    PMP_CFG 8, PMP_NA4 | PMP_L
    li a0, LOCKA
    TRAP_INSN lw t0, 0(a0)
    T_TRAP locked-applies-to-m, CAUSE_LOAD_ACCESS, LOCKA
    TRAP_INSN lw t0, 4(a0)
    T_NOTRAP locked-m-outside
    li t0, 0x1234
    csrw pmpaddr8, t0
    csrr t1, pmpaddr8
    T_EQ locked-pmpaddr-write-ignored, t1, LOCKA >> 2
    PMP_CFG 8, PMP_NA4 | PMP_R
    csrr t1, pmpcfg2
    andi t1, t1, 0xff
    T_EQ locked-cfg-write-ignored, t1, PMP_NA4 | PMP_L
    li t0, LTOR_LO >> 2
    csrw pmpaddr9, t0
    li t0, LTOR_HI >> 2
    csrw pmpaddr10, t0
    PMP_CFG 10, PMP_TOR | PMP_L | PMP_R | PMP_W
    li t0, 0x4321
    csrw pmpaddr9, t0
    csrr t1, pmpaddr9
    T_EQ locked-tor-base-write-ignored, t1, LTOR_LO >> 2
    li a0, LTOR_LO
    TRAP_BEGIN
    sd zero, 0(a0)
    ld t0, 0(a0)
    TRAP_END
    T_NOTRAP locked-tor-rw-m-allowed
    TRAP_BEGIN
    la t0, 1f
    jalr zero, 0(t0)        /* not in the region: allowed */
1:
    li t0, LTOR_LO
    jalr ra, 0(t0)          /* locked, no X: denied even in M */
    TRAP_END
    T_TRAP locked-tor-m-fetch-denied, CAUSE_FETCH_ACCESS, LTOR_LO

    MAIN_END

    .text
    .balign 4096
pmp_code:
    ecall
1:
    j 1b
    .balign 4096
