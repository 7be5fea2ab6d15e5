/* SPDX-License-Identifier: MIT */
/* Helpers shared by the virtual-memory programs (sv39.S, sv48.S). */
#ifndef TESTS_ISA_VM_H
#define TESTS_ISA_VM_H

/* clang-format off */

#ifdef __ASSEMBLER__

/* *(table + 8 * index) = PTE for the constant physical address pa. */
.macro PTE_SET table, index, pa, flags
    li t0, (\table) + (\index) * 8
    li t1, (((\pa) >> 12) << 10) | (\flags)
    sd t1, 0(t0)
.endm

/* *(table + 8 * index) = PTE for the physical address of symbol sym. */
.macro PTE_SETA table, index, sym, flags
    li t0, (\table) + (\index) * 8
    la t1, \sym
    srli t1, t1, 12
    slli t1, t1, 10
    ori t1, t1, \flags
    sd t1, 0(t0)
.endm

/* Zero n 4 KiB pages from pa. */
.macro ZERO_PAGES pa, n
    li t0, \pa
    li t1, (\pa) + (\n) * 4096
1005:
    sd zero, 0(t0)
    addi t0, t0, 8
    bltu t0, t1, 1005b
.endm

/* Run `insn` (using a0 = va, a1 = value) in S; result in t0. */
.macro S_DO va, insn:vararg
    li a0, \va
    li a1, 0x5a
    TRAP_BEGIN
    GOTO_MODE PRV_S
    \insn
    TRAP_END
    BACK_TO_M
.endm

/* Enter U at virtual address entry with a0 = va, a1 = 0x5a; the snippet
 * ends in ECALL, so success is recorded as cause 8. */
.macro U_DO entry, va
    li a0, \va
    li a1, 0x5a
    li a7, 0
    TRAP_BEGIN
    li t6, MSTATUS_MPP
    csrc mstatus, t6
    li t6, \entry
    csrw mepc, t6
    mret
    TRAP_END
.endm

/* Check: no trap and t0 == want. */
.macro T_LOADOK name, want
    T_SAVE
    sd t0, 56(sp)
    la a0, trap_rec
    ld a0, 0(a0)
    li a1, -1
    ld a3, 56(sp)
    li a4, \want
    T_NAME \name
    li a5, 2
    call t_check
    T_RESTORE
.endm

#endif /* __ASSEMBLER__ */

/* clang-format on */

#endif /* TESTS_ISA_VM_H */
