/* SPDX-License-Identifier: MIT */
/*
 * Sv48: four-level walks, 512 GiB and 1 GiB superpages (aligned and not),
 * the 48-bit canonical rule, U pages through four levels, and the same VA
 * under Sv39.
 */
#include "common.h"
#include "vm.h"

#define ROOT    (SCRATCH + 0x0000)
#define L2A     (SCRATCH + 0x1000)
#define L2B     (SCRATCH + 0x2000)
#define L1B     (SCRATCH + 0x3000)
#define L0B     (SCRATCH + 0x4000)
#define DPAGE(i) (SCRATCH + 0x10000 + (i) * 0x1000)
#define VHI     0x700000000000          /* root index 0xe0 */
#define UCODE48 (VHI + 0x3000)          /* L0B[3] -> ucode48 */

#define RW_AD   (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

    MAIN_BEGIN
    li a7, 0

    ZERO_PAGES ROOT, 5
    PTE_SET ROOT, 0, L2A, PTE_V
    PTE_SET L2A, 2, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
    PTE_SET ROOT, 1, 0, RW_AD                       /* 512 GiB leaf -> PA 0 */
    PTE_SET ROOT, 2, 0x80000000, RW_AD | PTE_X     /* misaligned 512 GiB; Sv39: the code */
    PTE_SET ROOT, 0xe0, L2B, PTE_V
    PTE_SET L2B, 0, L1B, PTE_V
    PTE_SET L2B, 1, 0x80000000, PTE_V | PTE_R | PTE_A   /* 1 GiB leaf */
    PTE_SET L2B, 2, 0x80200000, PTE_V | PTE_R | PTE_A   /* misaligned 1 GiB */
    PTE_SET L1B, 0, L0B, PTE_V
    PTE_SET L0B, 0, DPAGE(0), RW_AD
    PTE_SET L0B, 1, DPAGE(1), RW_AD | PTE_U
    PTE_SETA L0B, 3, ucode48, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A
    li t0, DPAGE(0)
    li t1, 0x480
    sd t1, 0(t0)
    li t0, DPAGE(1)
    li t1, 0x481
    sd t1, 0(t0)
    la t0, marker
    li t1, 0x48
    sd t1, 0(t0)

    li t0, SATP_SV48 | (ROOT >> 12)
    csrw satp, t0
    sfence.vma
    csrr t1, satp
    T_EQ satp-sv48-set, t1, SATP_SV48 | (ROOT >> 12)

    S_DO VHI, ld t0, 0(a0)
    T_LOADOK sv48-4k-load, 0x480
    S_DO VHI + 0x20, sd a1, 0(a0)
    li t0, DPAGE(0) + 0x20
    ld t0, 0(t0)
    T_LOADOK sv48-4k-store, 0x5a
    S_DO VHI + 0x1000, ld t0, 0(a0)
    T_TRAP sv48-u-page-sum0, CAUSE_LOAD_PAGE, VHI + 0x1000
    S_DO VHI + 0x2000, ld t0, 0(a0)
    T_TRAP sv48-unmapped, CAUSE_LOAD_PAGE, VHI + 0x2000

    /* 512 GiB leaf: VA 0x8000000000 + pa -> pa */
    la t0, marker
    li t1, 0x8000000000
    add a0, t0, t1
    TRAP_BEGIN
    GOTO_MODE PRV_S
    ld t0, 0(a0)
    TRAP_END
    BACK_TO_M
    T_LOADOK sv48-512g-leaf, 0x48
    S_DO 0x10000000000, ld t0, 0(a0)
    T_TRAP sv48-512g-misaligned, CAUSE_LOAD_PAGE, 0x10000000000

    /* 1 GiB leaf at level 2 */
    la t0, marker
    li t1, 0x80000000
    sub t0, t0, t1
    li t1, VHI + 0x40000000
    add a0, t0, t1
    TRAP_BEGIN
    GOTO_MODE PRV_S
    ld t0, 0(a0)
    TRAP_END
    BACK_TO_M
    T_LOADOK sv48-1g-leaf, 0x48
    S_DO VHI + 0x80000000, ld t0, 0(a0)
    T_TRAP sv48-1g-misaligned, CAUSE_LOAD_PAGE, VHI + 0x80000000

    /* canonical rule: bits 63:48 equal bit 47 */
    S_DO 0x800000000000, ld t0, 0(a0)
    T_TRAP sv48-non-canonical, CAUSE_LOAD_PAGE, 0x800000000000
    S_DO 0xffff800000000000, ld t0, 0(a0)
    T_TRAP sv48-canonical-high-unmapped, CAUSE_LOAD_PAGE, 0xffff800000000000

    /* U page through four levels */
    U_DO UCODE48, VHI + 0x1000
    T_EQ sv48-u-load-value, t0, 0x481
    T_CAUSE sv48-u-load, CAUSE_ECALL_U

    /* the same tables under Sv39: VHI is not canonical there */
    li t0, SATP_SV39 | (ROOT >> 12)
    csrw satp, t0
    sfence.vma
    S_DO VHI, ld t0, 0(a0)
    T_TRAP sv39-rejects-48bit-va, CAUSE_LOAD_PAGE, VHI

    csrw satp, zero
    sfence.vma
    MAIN_END

    .data
    .balign 8
marker:
    .dword 0

    .text
    .option push
    .option norvc
    .balign 4096
ucode48:
    ld t0, 0(a0)
    ecall
    .option pop
