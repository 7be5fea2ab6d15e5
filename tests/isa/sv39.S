/* SPDX-License-Identifier: MIT */
/*
 * Sv39: three-level walks built here, permissions per mode (U bit, SUM,
 * MXR, R/W/X), A/D updates, 2 MiB and 1 GiB superpages, misaligned
 * superpages, reserved encodings, canonical addresses, MPRV, SFENCE.VMA,
 * delegated page faults, fetch faults with stval.
 */
#include "common.h"
#include "vm.h"

#define ROOT    (SCRATCH + 0x0000)
#define L1      (SCRATCH + 0x1000)      /* VA 0x40000000 .. 0x7fffffff */
#define L0      (SCRATCH + 0x2000)      /* VA 0x40000000 .. 0x401fffff */
#define L0B     (SCRATCH + 0x3000)
#define DPAGE(i) (SCRATCH + 0x10000 + (i) * 0x1000)
#define DALT    (SCRATCH + 0x20000)
#define BIG     0x80600000              /* 2 MiB aligned */
#define VB      0x40000000
#define VA(i)   (VB + (i) * 0x1000)
#define UCODE   VA(8)

#define RW_AD   (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

    MAIN_BEGIN
    li a7, 0

    /* ---- build the tables */
    ZERO_PAGES ROOT, 4
    /* identity 1 GiB for the program (S may run the handlers) */
    PTE_SET ROOT, 2, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
    /* 1 GiB alias at VA 0xc0000000, read-only */
    PTE_SET ROOT, 3, 0x80000000, PTE_V | PTE_R | PTE_A
    PTE_SET ROOT, 1, L1, PTE_V
    PTE_SET L1, 0, L0, PTE_V
    PTE_SET L1, 1, BIG, RW_AD                       /* 2 MiB leaf */
    PTE_SET L1, 2, BIG + 0x1000, RW_AD              /* misaligned 2 MiB */
    PTE_SET L1, 4, L0B, PTE_V
    PTE_SET L0B, 0, DPAGE(0), PTE_V                 /* pointer at level 0 */
    PTE_SET L0, 0, DPAGE(0), RW_AD
    PTE_SET L0, 1, DPAGE(1), RW_AD | PTE_U
    PTE_SET L0, 2, DPAGE(2), PTE_V | PTE_X | PTE_A
    PTE_SET L0, 3, DPAGE(3), PTE_V | PTE_R | PTE_A | PTE_D
    PTE_SET L0, 4, DPAGE(4), PTE_R | PTE_W | PTE_A | PTE_D   /* V = 0 */
    PTE_SET L0, 5, DPAGE(5), PTE_V | PTE_R | PTE_W  /* A = D = 0 */
    PTE_SET L0, 6, DPAGE(6), PTE_V | PTE_W | PTE_A | PTE_D
    PTE_SET L0, 7, DPAGE(7), RW_AD
    li t0, L0 + 7 * 8
    ld t1, 0(t0)
    li t2, (1 << 60)
    or t1, t1, t2
    sd t1, 0(t0)                                    /* reserved bit 60 */
    PTE_SETA L0, 8, ucode_page, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A
    PTE_SET L0, 9, DPAGE(9), RW_AD | PTE_U          /* U, no X */
    /* markers */
    li t2, 0
1:
    li t0, DPAGE(0)
    slli t1, t2, 12
    add t0, t0, t1
    addi t1, t2, 0x100
    sd t1, 0(t0)
    addi t2, t2, 1
    li t1, 10
    bltu t2, t1, 1b
    li t0, DALT
    li t1, 0xa17
    sd t1, 0(t0)
    li t0, BIG + 0x1238
    li t1, 0xb16
    sd t1, 0(t0)
    la t0, marker
    li t1, 0x61
    sd t1, 0(t0)

    li t0, SATP_SV39 | (ROOT >> 12)
    csrw satp, t0
    sfence.vma
    csrr t1, satp
    T_EQ satp-sv39-set, t1, SATP_SV39 | (ROOT >> 12)

    /* ---- basic S accesses */
    S_DO VA(0), ld t0, 0(a0)
    T_LOADOK s-load-4k, 0x100
    S_DO VA(0) + 8, sd a1, 0(a0)
    li t0, DPAGE(0) + 8
    ld t0, 0(t0)
    T_LOADOK s-store-4k, 0x5a
    S_DO VA(0) + 0x10, ld t0, -0x10(a0)
    T_LOADOK s-load-offset, 0x100

    /* ---- U bit and SUM */
    U_DO UCODE + 0, VA(0)
    T_TRAP u-load-s-page, CAUSE_LOAD_PAGE, VA(0)
    U_DO UCODE + 0, VA(1)
    T_EQ u-load-u-page-value, t0, 0x101
    T_CAUSE u-load-u-page, CAUSE_ECALL_U
    S_DO VA(1), ld t0, 0(a0)
    T_TRAP s-load-u-page-sum0, CAUSE_LOAD_PAGE, VA(1)
    li t0, MSTATUS_SUM
    csrs mstatus, t0
    S_DO VA(1), ld t0, 0(a0)
    T_LOADOK s-load-u-page-sum1, 0x101
    S_DO UCODE, jalr ra, 0(a0)
    T_TRAP s-fetch-u-page-sum1, CAUSE_FETCH_PAGE, UCODE
    li t0, MSTATUS_SUM
    csrc mstatus, t0

    /* ---- R / W / X and MXR */
    S_DO VA(2), ld t0, 0(a0)
    T_TRAP s-load-x-only, CAUSE_LOAD_PAGE, VA(2)
    li t0, MSTATUS_MXR
    csrs mstatus, t0
    S_DO VA(2), ld t0, 0(a0)
    T_LOADOK s-load-x-only-mxr, 0x102
    li t0, MSTATUS_MXR
    csrc mstatus, t0
    S_DO VA(3) + 8, sd a1, 0(a0)
    T_TRAP s-store-r-only, CAUSE_STORE_PAGE, VA(3) + 8
    S_DO VA(3), amoadd.d t0, a1, (a0)
    T_TRAP s-amo-r-only, CAUSE_STORE_PAGE, VA(3)
    S_DO VA(3), ld t0, 0(a0)
    T_LOADOK s-load-r-only, 0x103
    S_DO VA(0), jalr ra, 0(a0)
    T_TRAP s-fetch-no-x, CAUSE_FETCH_PAGE, VA(0)
    U_DO UCODE + 16, VA(9)
    T_TRAP u-fetch-no-x, CAUSE_FETCH_PAGE, VA(9)
    U_DO UCODE + 0xffe, 0
    T_TRAP u-fetch-crossing-page, CAUSE_FETCH_PAGE, VA(9)
    la t0, trap_rec
    ld t1, 16(t0)
    T_EQ u-fetch-crossing-page-epc, t1, UCODE + 0xffe

    /* ---- invalid and reserved PTEs */
    S_DO VA(4), ld t0, 0(a0)
    T_TRAP invalid-pte, CAUSE_LOAD_PAGE, VA(4)
    S_DO VA(4), lr.d t0, (a0)
    T_TRAP invalid-pte-lr, CAUSE_LOAD_PAGE, VA(4)
    S_DO VA(4), sd a1, 0(a0)
    T_TRAP invalid-pte-store, CAUSE_STORE_PAGE, VA(4)
    S_DO VA(6), ld t0, 0(a0)
    T_TRAP w-without-r-reserved, CAUSE_LOAD_PAGE, VA(6)
    S_DO VA(7), ld t0, 0(a0)
    T_TRAP reserved-bit-60, CAUSE_LOAD_PAGE, VA(7)
    S_DO 0x40800000, ld t0, 0(a0)
    T_TRAP pointer-at-level-0, CAUSE_LOAD_PAGE, 0x40800000

    /* ---- A and D updates */
    S_DO VA(5), ld t0, 0(a0)
    li t1, L0 + 5 * 8
    ld t1, 0(t1)
    andi t1, t1, PTE_A | PTE_D
    T_EQ2 load-sets-a, t0, 0x105, t1, PTE_A
    S_DO VA(5), sd a1, 8(a0)
    li t1, L0 + 5 * 8
    ld t1, 0(t1)
    andi t1, t1, PTE_A | PTE_D
    T_EQ store-sets-d, t1, PTE_A | PTE_D

    /* ---- superpages */
    S_DO 0x40201238, ld t0, 0(a0)
    T_LOADOK megapage-2m, 0xb16
    S_DO 0x40400000, ld t0, 0(a0)
    T_TRAP megapage-misaligned, CAUSE_LOAD_PAGE, 0x40400000
    la t0, marker
    li t1, 0x40000000
    add a0, t0, t1              /* the 0xc0000000 alias */
    mv s3, a0
    TRAP_BEGIN
    GOTO_MODE PRV_S
    ld t0, 0(a0)
    TRAP_END
    BACK_TO_M
    T_LOADOK gigapage-alias, 0x61
    mv a0, s3
    TRAP_BEGIN
    GOTO_MODE PRV_S
    sd zero, 0(a0)
    TRAP_END
    BACK_TO_M
    T_TRAPR gigapage-alias-read-only, CAUSE_STORE_PAGE, s3

    /* ---- canonical addresses */
    S_DO 0x4000000000, ld t0, 0(a0)
    T_TRAP non-canonical, CAUSE_LOAD_PAGE, 0x4000000000
    S_DO 0xffffffffc0000000, ld t0, 0(a0)
    T_TRAP canonical-high-unmapped, CAUSE_LOAD_PAGE, 0xffffffffc0000000

    /* ---- MPRV: M-mode loads translated with MPP = S */
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, (1 << 11) | MSTATUS_MPRV
    csrs mstatus, t0
    li a0, VA(0)
    ld t0, 0(a0)
    li t1, MSTATUS_MPRV
    csrc mstatus, t1
    T_EQ mprv-load-translated, t0, 0x100

    /* ---- SFENCE.VMA makes a changed PTE visible */
    S_DO VA(0), ld t0, 0(a0)
    PTE_SET L0, 0, DALT, RW_AD
    sfence.vma
    S_DO VA(0), ld t0, 0(a0)
    T_LOADOK sfence-remap, 0xa17
    S_DO VA(0), ld t0, 0(a0)
    PTE_SET L0, 0, DPAGE(0), RW_AD
    li a0, VA(0)
    sfence.vma a0, zero
    S_DO VA(0), ld t0, 0(a0)
    T_LOADOK sfence-page-remap, 0x100

    /* ---- page fault delegated to S */
    li t0, (1 << CAUSE_LOAD_PAGE)
    csrw medeleg, t0
    S_DO VA(4) + 0x18, ld t0, 0(a0)
    csrw medeleg, zero
    T_STRAP load-page-fault-delegated, CAUSE_LOAD_PAGE, VA(4) + 0x18

    /* ---- M-mode ignores satp */
    li t0, DPAGE(1)
    ld t1, 0(t0)
    T_EQ m-mode-bare, t1, 0x101

    csrw satp, zero
    sfence.vma
    MAIN_END

    .data
    .balign 8
marker:
    .dword 0

    /* U-mode snippets, mapped at UCODE (position independent) */
    .text
    .option push
    .option norvc
    .balign 4096
ucode_page:
    ld t0, 0(a0)            /* +0 */
    ecall
    sd a1, 0(a0)            /* +8 */
    ecall
    jalr ra, 0(a0)          /* +16 */
    ecall
    .skip 0xffe - (. - ucode_page)
    addi t0, t0, 0          /* +0xffe: crosses into VA(9) */
    ecall
    .option pop
