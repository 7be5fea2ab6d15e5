/* SPDX-License-Identifier: MIT */
/*
 * Shared definitions and macros of the self-checking ISA suite.
 *
 * Every program is a bare-metal M-mode image linked at 0x80000000 and
 * started by the virt boot ROM with a0 = hartid.  common.S provides _start
 * (stack, trap vectors, a permissive PMP entry so that S and U may run) and
 * calls the program's `main`; when main returns, the result goes to the
 * SiFive test device: 0x5555 when every check passed, otherwise
 * (failures << 16) | 0x3333.
 *
 * Each T_* macro is one check and prints exactly one line on the UART:
 *   ok N name
 *   not ok N name got=0x... want=0x...
 * The runner (tests/functional/test_isa.py) builds its per-check index by
 * reading the T_* invocations of a program in source order, so a T_* macro
 * must run exactly once, in the order written (never inside a loop or a
 * skipped branch), and its name must be unique in the file.
 *
 * Register conventions: T_* preserve every register.  TRAP_BEGIN/TRAP_END
 * and the mode-switch macros clobber t5 and t6 (BACK_TO_M also a7); numeric
 * label 9 is reserved for TRAP_BEGIN/TRAP_END.
 */
#ifndef TESTS_ISA_COMMON_H
#define TESTS_ISA_COMMON_H

/* clang-format off */

#define UART0_BASE      0x10000000
#define UART_THR        0
#define UART_LSR        5
#define UART_LSR_THRE   0x20
#define TESTDEV_BASE    0x100000
#define TESTDEV_PASS    0x5555
#define TESTDEV_FAIL    0x3333

#define CLINT_MSIP      0x2000000
#define CLINT_MTIMECMP  0x2004000
#define CLINT_MTIME     0x200bff8

/* Free RAM the programs may use for page tables and data (below the FDT). */
#define SCRATCH         0x80400000
#define RAM_END         0x88000000

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define MSTATUS_SIE     (1 << 1)
#define MSTATUS_MIE     (1 << 3)
#define MSTATUS_SPIE    (1 << 5)
#define MSTATUS_MPIE    (1 << 7)
#define MSTATUS_SPP     (1 << 8)
#define MSTATUS_MPP     (3 << 11)
#define MSTATUS_FS      (3 << 13)
#define MSTATUS_MPRV    (1 << 17)
#define MSTATUS_SUM     (1 << 18)
#define MSTATUS_MXR     (1 << 19)
#define MSTATUS_TVM     (1 << 20)
#define MSTATUS_TW      (1 << 21)
#define MSTATUS_TSR     (1 << 22)

#define MIP_SSIP (1 << 1)
#define MIP_MSIP (1 << 3)
#define MIP_STIP (1 << 5)
#define MIP_MTIP (1 << 7)
#define MIP_SEIP (1 << 9)
#define MIP_MEIP (1 << 11)

#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL           2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_U           8
#define CAUSE_ECALL_S           9
#define CAUSE_ECALL_M           11
#define CAUSE_FETCH_PAGE        12
#define CAUSE_LOAD_PAGE         13
#define CAUSE_STORE_PAGE        15
#define CAUSE_INT               0x8000000000000000

/* CSR numbers (the assembler does not know every name). */
#define CSR_MENVCFG     0x30a
#define CSR_SENVCFG     0x10a
#define CSR_STIMECMP    0x14d
#define CSR_MCONFIGPTR  0xf15
#define CSR_MSTATEEN0   0x30c
#define CSR_MTOPI       0xfb0
#define CSR_SCOUNTOVF   0xda0
#define CSR_SEED        0x015
#define CSR_VSTART      0x008
#define CSR_HSTATUS     0x600
#define CSR_MTINST      0x34a
#define CSR_MTVAL2      0x34b
#define CSR_MSECCFG     0x747

/* PTE bits */
#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80

#define SATP_SV39 (8 << 60)
#define SATP_SV48 (9 << 60)

/* PMP cfg byte */
#define PMP_R     0x01
#define PMP_W     0x02
#define PMP_X     0x04
#define PMP_TOR   0x08
#define PMP_NA4   0x10
#define PMP_NAPOT 0x18
#define PMP_L     0x80

/* Magic a7 value: an ECALL with it returns to M at the next instruction. */
#define BACK_TO_M_MAGIC 0x4241434b

#ifdef __ASSEMBLER__

    .option nopic

/* Stores the line's name in .rodata and leaves its address in a2. */
.macro T_NAME name
    .pushsection .rodata.tnames, "a"
.Ltname\@:
    .asciz "\name"
    .popsection
    la a2, .Ltname\@
.endm

.macro T_SAVE
    addi sp, sp, -80
    sd a0, 0(sp)
    sd a1, 8(sp)
    sd a2, 16(sp)
    sd a3, 24(sp)
    sd a4, 32(sp)
    sd a5, 40(sp)
    sd ra, 48(sp)
.endm

.macro T_RESTORE
    ld a0, 0(sp)
    ld a1, 8(sp)
    ld a2, 16(sp)
    ld a3, 24(sp)
    ld a4, 32(sp)
    ld a5, 40(sp)
    ld ra, 48(sp)
    addi sp, sp, 80
.endm

/* Check: register reg equals the constant want. */
.macro T_EQ name, reg, want
    T_SAVE
    sd \reg, 56(sp)
    ld a0, 56(sp)
    li a1, \want
    T_NAME \name
    li a5, 1
    call t_check
    T_RESTORE
.endm

/* Check: register reg equals register ref. */
.macro T_EQR name, reg, ref
    T_SAVE
    sd \reg, 56(sp)
    sd \ref, 64(sp)
    ld a0, 56(sp)
    ld a1, 64(sp)
    T_NAME \name
    li a5, 1
    call t_check
    T_RESTORE
.endm

/* Check: register reg equals the address of symbol sym (plus offset). */
.macro T_EQA name, reg, sym
    T_SAVE
    sd \reg, 56(sp)
    ld a0, 56(sp)
    la a1, \sym
    T_NAME \name
    li a5, 1
    call t_check
    T_RESTORE
.endm

/* Check: two registers against two constants, reported as one line. */
.macro T_EQ2 name, reg1, want1, reg2, want2
    T_SAVE
    sd \reg1, 56(sp)
    sd \reg2, 64(sp)
    ld a0, 56(sp)
    ld a3, 64(sp)
    li a1, \want1
    li a4, \want2
    T_NAME \name
    li a5, 2
    call t_check
    T_RESTORE
.endm

/* Check: the last M-mode trap had this mcause and mtval. */
.macro T_TRAP name, cause, tval
    T_SAVE
    la a0, trap_rec
    ld a3, 8(a0)
    ld a0, 0(a0)
    li a1, \cause
    li a4, \tval
    T_NAME \name
    li a5, 2
    call t_check
    T_RESTORE
.endm

/* Check: the last M-mode trap had this mcause and mtval = address of sym. */
.macro T_TRAPA name, cause, sym
    T_SAVE
    la a0, trap_rec
    ld a3, 8(a0)
    ld a0, 0(a0)
    li a1, \cause
    la a4, \sym
    T_NAME \name
    li a5, 2
    call t_check
    T_RESTORE
.endm

/* Check: the last M-mode trap had this mcause and mepc = address of sym. */
.macro T_TRAPEPC name, cause, sym
    T_SAVE
    la a0, trap_rec
    ld a3, 16(a0)
    ld a0, 0(a0)
    li a1, \cause
    la a4, \sym
    T_NAME \name
    li a5, 2
    call t_check
    T_RESTORE
.endm

/* Check: the last M-mode trap had this mcause and mtval = register reg. */
.macro T_TRAPR name, cause, reg
    T_SAVE
    sd \reg, 56(sp)
    ld a4, 56(sp)
    la a0, trap_rec
    ld a3, 8(a0)
    ld a0, 0(a0)
    li a1, \cause
    T_NAME \name
    li a5, 2
    call t_check
    T_RESTORE
.endm

/* Check: the last M-mode trap had this mcause (mtval not checked). */
.macro T_CAUSE name, cause
    T_SAVE
    la a0, trap_rec
    ld a0, 0(a0)
    li a1, \cause
    T_NAME \name
    li a5, 1
    call t_check
    T_RESTORE
.endm

/* Check: no trap since TRAP_BEGIN (mcause record still -1). */
.macro T_NOTRAP name
    T_SAVE
    la a0, trap_rec
    ld a0, 0(a0)
    li a1, -1
    T_NAME \name
    li a5, 1
    call t_check
    T_RESTORE
.endm

/* Check: the last trap taken in S (delegated) had this scause and stval. */
.macro T_STRAP name, cause, tval
    T_SAVE
    la a0, strap_rec
    ld a3, 8(a0)
    ld a0, 0(a0)
    li a1, \cause
    li a4, \tval
    T_NAME \name
    li a5, 2
    call t_check
    T_RESTORE
.endm

/* Check: 64-bit word at symbol sym + off equals want. */
.macro T_MEM name, sym, want
    T_SAVE
    la a0, \sym
    ld a0, 0(a0)
    li a1, \want
    T_NAME \name
    li a5, 1
    call t_check
    T_RESTORE
.endm

/*
 * Arms the trap recorder: the next synchronous trap is recorded (trap_rec:
 * mcause, mtval, mepc, mstatus) and execution resumes in M-mode, with
 * mstatus.MIE = 0, at the TRAP_END that follows.  The records are reset to mcause = -1 first.
 */
.macro TRAP_BEGIN
    la t5, trap_rec
    li t6, -1
    sd t6, 0(t5)
    sd t6, 8(t5)
    sd t6, 16(t5)
    sd t6, 24(t5)
    la t5, strap_rec
    sd t6, 0(t5)
    sd t6, 8(t5)
    sd t6, 16(t5)
    sd t6, 24(t5)
    la t6, 9f
    la t5, trap_resume
    sd t6, 0(t5)
.endm

.macro TRAP_END
9:
    la t5, trap_resume
    sd zero, 0(t5)
.endm

/* One instruction expected to trap (any mnemonic and operands). */
.macro TRAP_INSN insn:vararg
    TRAP_BEGIN
    \insn
    TRAP_END
.endm

/* Check: a 32-bit instruction raises illegal-instruction, mtval = its bits. */
.macro T_ILLEGAL name, insn:vararg
    TRAP_BEGIN
    .option push
    .option norvc
1002:
    \insn
    .option pop
    TRAP_END
    T_SAVE
    la a0, trap_rec
    ld a3, 8(a0)
    ld a0, 0(a0)
    li a1, CAUSE_ILLEGAL
    la a4, 1002b
    lwu a4, 0(a4)
    T_NAME \name
    li a5, 2
    call t_check
    T_RESTORE
.endm

/* T_ILLEGAL with the instruction executed in privilege mode `mode`. */
.macro T_ILLEGAL_IN name, mode, insn:vararg
    TRAP_BEGIN
    GOTO_MODE \mode
    .option push
    .option norvc
1002:
    \insn
    .option pop
    TRAP_END
    BACK_TO_M
    T_SAVE
    la a0, trap_rec
    ld a3, 8(a0)
    ld a0, 0(a0)
    li a1, CAUSE_ILLEGAL
    la a4, 1002b
    lwu a4, 0(a4)
    T_NAME \name
    li a5, 2
    call t_check
    T_RESTORE
.endm

/* Check: an instruction run in privilege mode `mode` does not trap. */
.macro T_NOTRAP_IN name, mode, insn:vararg
    TRAP_BEGIN
    GOTO_MODE \mode
    \insn
    TRAP_END
    BACK_TO_M
    T_NOTRAP \name
.endm

/* Check: an instruction executes without any trap. */
.macro T_NOTRAPI name, insn:vararg
    TRAP_BEGIN
    \insn
    TRAP_END
    T_NOTRAP \name
.endm

/* Forget the interrupts recorded so far (int_rec count and log). */
.macro INT_CLEAR
    la t5, int_rec
    li t6, -1
    sd t6, 0(t5)
    sd t6, 8(t5)
    sd zero, 24(t5)
    sd t6, 32(t5)
    sd t6, 40(t5)
    sd t6, 48(t5)
.endm

/* From M: continue at the next instruction in privilege mode `mode`. */
.macro GOTO_MODE mode
    li t6, MSTATUS_MPP
    csrc mstatus, t6
    li t6, (\mode << 11)
    csrs mstatus, t6
    la t6, 1000f
    csrw mepc, t6
    mret
1000:
.endm

/* From any mode (ECALL not delegated): back to M with MIE = 0, next insn. */
.macro BACK_TO_M
    li a7, BACK_TO_M_MAGIC
    ecall
.endm

/* Check: t2 = op(a, b) for a register-register instruction. */
.macro T_RR name, op, a, b, want
    li t0, \a
    li t1, \b
    \op t2, t0, t1
    T_EQ \name, t2, \want
.endm

/* Check: t2 = op(a, imm) for a register-immediate instruction. */
.macro T_RI name, op, a, imm, want
    li t0, \a
    \op t2, t0, \imm
    T_EQ \name, t2, \want
.endm

/* Check: t2 = op(a) for a unary instruction. */
.macro T_R1 name, op, a, want
    li t0, \a
    \op t2, t0
    T_EQ \name, t2, \want
.endm

/* Prologue / epilogue of a program's main. */
.macro MAIN_BEGIN
    .text
    .globl main
main:
    addi sp, sp, -16
    sd ra, 0(sp)
.endm

.macro MAIN_END
    ld ra, 0(sp)
    addi sp, sp, 16
    ret
.endm

/* Busy-wait roughly n iterations. */
.macro SPIN n
    li t6, \n
1001:
    addi t6, t6, -1
    bnez t6, 1001b
.endm

#endif /* __ASSEMBLER__ */

/* clang-format on */

#endif /* TESTS_ISA_COMMON_H */
