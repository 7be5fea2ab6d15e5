/* SPDX-License-Identifier: MIT */
/*
 * Runtime of the ISA suite: entry, trap handlers, UART output, result
 * reporting.  Linked into every program (see common.h for the contract).
 */
#include "common.h"

    .section .text.init, "ax"
    .globl _start
_start:
    /* Snapshot the registers as the boot ROM left them. */
    csrw mscratch, t0
    la t0, reset_regs
    sd x1, 8(t0)
    sd x2, 16(t0)
    sd x3, 24(t0)
    sd x4, 32(t0)
    sd x6, 48(t0)
    sd x7, 56(t0)
    sd x8, 64(t0)
    sd x9, 72(t0)
    sd x10, 80(t0)
    sd x11, 88(t0)
    sd x12, 96(t0)
    sd x13, 104(t0)
    sd x14, 112(t0)
    sd x15, 120(t0)
    sd x16, 128(t0)
    sd x17, 136(t0)
    sd x18, 144(t0)
    sd x19, 152(t0)
    sd x20, 160(t0)
    sd x21, 168(t0)
    sd x22, 176(t0)
    sd x23, 184(t0)
    sd x24, 192(t0)
    sd x25, 200(t0)
    sd x26, 208(t0)
    sd x27, 216(t0)
    sd x28, 224(t0)
    sd x29, 232(t0)
    sd x30, 240(t0)
    sd x31, 248(t0)
    csrr t1, mscratch
    sd t1, 40(t0)

    /* ...and the CSRs every hart must have, before anything writes them. */
    la t0, reset_csrs
    csrr t1, mtvec
    sd t1, 0(t0)
    la t1, trap_m
    csrw mtvec, t1
    csrr t1, mstatus
    sd t1, 8(t0)
    csrr t1, misa
    sd t1, 16(t0)
    csrr t1, medeleg
    sd t1, 24(t0)
    csrr t1, mideleg
    sd t1, 32(t0)
    csrr t1, mie
    sd t1, 40(t0)
    csrr t1, mip
    sd t1, 48(t0)
    csrr t1, mcounteren
    sd t1, 56(t0)
    csrr t1, satp
    sd t1, 64(t0)
    csrr t1, pmpcfg0
    sd t1, 72(t0)
    csrr t1, pmpaddr0
    sd t1, 80(t0)
    csrr t1, stvec
    sd t1, 88(t0)
    csrr t1, mscratch
    sd t1, 96(t0)

    /* Only hart 0 runs the program. */
    csrr t0, mhartid
    bnez t0, park

    /* Zero .bss */
    la t0, __bss_start
    la t1, __bss_end
1:
    bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:
    la sp, stack_top
    la t0, mtrap_stack_top
    csrw mscratch, t0
    la t0, strap_stack_top
    csrw sscratch, t0
    la t0, trap_s
    csrw stvec, t0

    /*
     * PMP entry 15 = NAPOT over everything, RWX, so that S and U may run
     * (with any PMP entry implemented, S/U accesses matching none fail).
     * Entries 0..14 stay free for the PMP tests.
     */
    li t0, -1
    csrw pmpaddr15, t0
    li t0, (0x1f << 56)
    csrw pmpcfg2, t0

    call main
    j finish

park:
    wfi
    j park

/* ---------------------------------------------------------------- finish */
    .text
    .globl finish
finish:
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    la sp, stack_top
    la a0, s_summary
    call uart_puts
    la t0, test_num
    ld a0, 0(t0)
    call uart_putdec
    la a0, s_summary2
    call uart_puts
    la t0, failures
    ld a0, 0(t0)
    call uart_putdec
    li a0, '\n'
    call uart_putc
    la t0, failures
    ld t1, 0(t0)
    li t2, TESTDEV_PASS
    beqz t1, 1f
    slli t1, t1, 16
    li t2, TESTDEV_FAIL
    or t2, t2, t1
1:
    li t0, TESTDEV_BASE
    sw t2, 0(t0)
2:
    j 2b

/* ----------------------------------------------------------------- UART */
/* uart_putc(a0): clobbers t0, t1. */
    .globl uart_putc
uart_putc:
    li t0, UART0_BASE
1:
    lbu t1, UART_LSR(t0)
    andi t1, t1, UART_LSR_THRE
    beqz t1, 1b
    sb a0, UART_THR(t0)
    ret

/* uart_puts(a0 = NUL-terminated string): clobbers a0, t0-t2. */
    .globl uart_puts
uart_puts:
    mv t2, a0
    li t0, UART0_BASE
1:
    lbu a0, 0(t2)
    beqz a0, 3f
2:
    lbu t1, UART_LSR(t0)
    andi t1, t1, UART_LSR_THRE
    beqz t1, 2b
    sb a0, UART_THR(t0)
    addi t2, t2, 1
    j 1b
3:
    ret

/* uart_puthex(a0): "0x" and 16 hex digits; clobbers a0, a1, t0-t3. */
    .globl uart_puthex
uart_puthex:
    mv t2, a0
    li t0, UART0_BASE
    li t3, 18
1:
    /* t3 = characters left; first '0', 'x', then digits msb first */
    li a1, 18
    beq t3, a1, 5f
    li a1, 17
    beq t3, a1, 6f
    srli a0, t2, 60
    slli t2, t2, 4
    li a1, 10
    blt a0, a1, 2f
    addi a0, a0, 'a' - 10 - '0'
2:
    addi a0, a0, '0'
    j 3f
5:
    li a0, '0'
    j 3f
6:
    li a0, 'x'
3:
    lbu t1, UART_LSR(t0)
    andi t1, t1, UART_LSR_THRE
    beqz t1, 3b
    sb a0, UART_THR(t0)
    addi t3, t3, -1
    bnez t3, 1b
    ret

/* uart_putdec(a0): unsigned decimal; clobbers a0, a1, t0-t3. */
    .globl uart_putdec
uart_putdec:
    addi sp, sp, -32
    mv t2, sp           /* digits stored backwards below sp + 32 */
    addi t2, t2, 32
    li a1, 10
1:
    remu t1, a0, a1
    divu a0, a0, a1
    addi t1, t1, '0'
    addi t2, t2, -1
    sb t1, 0(t2)
    bnez a0, 1b
    li t0, UART0_BASE
    addi t3, sp, 32
2:
    lbu a0, 0(t2)
3:
    lbu t1, UART_LSR(t0)
    andi t1, t1, UART_LSR_THRE
    beqz t1, 3b
    sb a0, UART_THR(t0)
    addi t2, t2, 1
    bltu t2, t3, 2b
    addi sp, sp, 32
    ret

/* ---------------------------------------------------------------- check */
/*
 * t_check(a0 got, a1 want, a2 name, a3 got2, a4 want2, a5 nfields):
 * prints one ok / not ok line.  Preserves everything but a0-a5 and ra
 * (the T_* macros save those).
 */
    .globl t_check
t_check:
    addi sp, sp, -96
    sd ra, 0(sp)
    sd t0, 8(sp)
    sd t1, 16(sp)
    sd t2, 24(sp)
    sd t3, 32(sp)
    sd s0, 40(sp)
    sd s1, 48(sp)
    sd s2, 56(sp)
    sd s3, 64(sp)
    sd s4, 72(sp)
    sd s5, 80(sp)
    mv s0, a0
    mv s1, a1
    mv s2, a2
    mv s3, a3
    mv s4, a4
    mv s5, a5
    la t0, test_num
    ld t1, 0(t0)
    addi t1, t1, 1
    sd t1, 0(t0)
    bne s0, s1, .Lfail
    li t0, 2
    bne s5, t0, .Lpass
    bne s3, s4, .Lfail
.Lpass:
    la a0, s_ok
    call uart_puts
    la t0, test_num
    ld a0, 0(t0)
    call uart_putdec
    li a0, ' '
    call uart_putc
    mv a0, s2
    call uart_puts
    j .Lend
.Lfail:
    la t0, failures
    ld t1, 0(t0)
    addi t1, t1, 1
    sd t1, 0(t0)
    la a0, s_notok
    call uart_puts
    la t0, test_num
    ld a0, 0(t0)
    call uart_putdec
    li a0, ' '
    call uart_putc
    mv a0, s2
    call uart_puts
    la a0, s_got
    call uart_puts
    mv a0, s0
    call uart_puthex
    li t0, 2
    bne s5, t0, 1f
    li a0, ','
    call uart_putc
    mv a0, s3
    call uart_puthex
1:
    la a0, s_want
    call uart_puts
    mv a0, s1
    call uart_puthex
    li t0, 2
    bne s5, t0, .Lend
    li a0, ','
    call uart_putc
    mv a0, s4
    call uart_puthex
.Lend:
    li a0, '\n'
    call uart_putc
    ld ra, 0(sp)
    ld t0, 8(sp)
    ld t1, 16(sp)
    ld t2, 24(sp)
    ld t3, 32(sp)
    ld s0, 40(sp)
    ld s1, 48(sp)
    ld s2, 56(sp)
    ld s3, 64(sp)
    ld s4, 72(sp)
    ld s5, 80(sp)
    addi sp, sp, 96
    ret

/* ----------------------------------------------------------- M-mode trap */
    .balign 256
    .globl trap_m
trap_m:
    csrrw sp, mscratch, sp
    addi sp, sp, -256
    sd x1, 8(sp)
    sd x3, 24(sp)
    sd x4, 32(sp)
    sd x5, 40(sp)
    sd x6, 48(sp)
    sd x7, 56(sp)
    sd x8, 64(sp)
    sd x9, 72(sp)
    sd x10, 80(sp)
    sd x11, 88(sp)
    sd x12, 96(sp)
    sd x13, 104(sp)
    sd x14, 112(sp)
    sd x15, 120(sp)
    sd x16, 128(sp)
    sd x17, 136(sp)
    sd x18, 144(sp)
    sd x19, 152(sp)
    sd x20, 160(sp)
    sd x21, 168(sp)
    sd x22, 176(sp)
    sd x23, 184(sp)
    sd x24, 192(sp)
    sd x25, 200(sp)
    sd x26, 208(sp)
    sd x27, 216(sp)
    sd x28, 224(sp)
    sd x29, 232(sp)
    sd x30, 240(sp)
    sd x31, 248(sp)

    csrr t0, mcause
    bltz t0, .Lm_int

    /* ECALL with the magic a7: back to M at the next instruction. */
    li t1, BACK_TO_M_MAGIC
    bne a7, t1, 1f
    li t1, CAUSE_ECALL_U
    beq t0, t1, .Lm_back
    li t1, CAUSE_ECALL_S
    beq t0, t1, .Lm_back
    li t1, CAUSE_ECALL_M
    beq t0, t1, .Lm_back
1:
    la t1, trap_resume
    ld t2, 0(t1)
    beqz t2, .Lm_unexpected
    sd zero, 0(t1)
    la t1, trap_rec
    sd t0, 0(t1)
    csrr t3, mtval
    sd t3, 8(t1)
    csrr t3, mepc
    sd t3, 16(t1)
    csrr t3, mstatus
    sd t3, 24(t1)
    ld t3, 32(t1)
    addi t3, t3, 1
    sd t3, 32(t1)
    csrw mepc, t2
    li t1, MSTATUS_MPP
    csrs mstatus, t1
    li t1, MSTATUS_MPIE     /* back in M with MIE = 0 */
    csrc mstatus, t1
    j .Lm_ret

.Lm_back:
    csrr t1, mepc
    addi t1, t1, 4
    csrw mepc, t1
    li t1, MSTATUS_MPP
    csrs mstatus, t1
    li t1, MSTATUS_MPIE
    csrc mstatus, t1
    j .Lm_ret

.Lm_int:
    la t1, int_rec
    sd t0, 0(t1)
    csrr t3, mepc
    sd t3, 8(t1)
    csrr t3, mstatus
    sd t3, 16(t1)
    ld t3, 24(t1)
    andi t2, t3, 7
    slli t2, t2, 3
    add t2, t2, t1
    sd t0, 32(t2)           /* int_log[count & 7] = mcause */
    addi t3, t3, 1
    sd t3, 24(t1)
    /* mask the source that fired so that returning makes progress */
    andi t2, t0, 63
    li t3, 1
    sll t3, t3, t2
    csrc mie, t3
    j .Lm_ret

.Lm_unexpected:
    la t1, failures
    ld t2, 0(t1)
    addi t2, t2, 1
    sd t2, 0(t1)
    la a0, s_unexp
    call uart_puts
    csrr a0, mcause
    call uart_puthex
    la a0, s_mepc
    call uart_puts
    csrr a0, mepc
    call uart_puthex
    la a0, s_mtval
    call uart_puts
    csrr a0, mtval
    call uart_puthex
    li a0, '\n'
    call uart_putc
    /* give up after a few, or when mepc is not in our image */
    la t1, unexpected_count
    ld t2, 0(t1)
    addi t2, t2, 1
    sd t2, 0(t1)
    li t3, 8
    bltu t2, t3, 2f
    j finish
2:
    csrr t0, mepc
    la t1, _start
    bgeu t0, t1, 3f
    j finish
3:
    la t1, _etext
    bltu t0, t1, 4f
    j finish
4:
    /* skip the instruction (16 or 32 bits) */
    lhu t1, 0(t0)
    andi t1, t1, 3
    li t2, 3
    addi t0, t0, 2
    bne t1, t2, 1f
    addi t0, t0, 2
1:
    csrw mepc, t0

.Lm_ret:
    ld x1, 8(sp)
    ld x3, 24(sp)
    ld x4, 32(sp)
    ld x5, 40(sp)
    ld x6, 48(sp)
    ld x7, 56(sp)
    ld x8, 64(sp)
    ld x9, 72(sp)
    ld x10, 80(sp)
    ld x11, 88(sp)
    ld x12, 96(sp)
    ld x13, 104(sp)
    ld x14, 112(sp)
    ld x15, 120(sp)
    ld x16, 128(sp)
    ld x17, 136(sp)
    ld x18, 144(sp)
    ld x19, 152(sp)
    ld x20, 160(sp)
    ld x21, 168(sp)
    ld x22, 176(sp)
    ld x23, 184(sp)
    ld x24, 192(sp)
    ld x25, 200(sp)
    ld x26, 208(sp)
    ld x27, 216(sp)
    ld x28, 224(sp)
    ld x29, 232(sp)
    ld x30, 240(sp)
    ld x31, 248(sp)
    addi sp, sp, 256
    csrrw sp, mscratch, sp
    mret

/* ----------------------------------------------------------- S-mode trap */
/*
 * Records scause/stval/sepc/sstatus in strap_rec, then leaves for M, which
 * resumes at the armed TRAP_END (an S trap is only expected inside
 * TRAP_BEGIN/TRAP_END).  trap_s leaves by ECALL (so a test using it must not
 * delegate cause 9); trap_s_alt leaves by an MRET, illegal in S (so a test
 * using it must not delegate cause 2).
 */
.macro S_RECORD
    csrrw sp, sscratch, sp
    addi sp, sp, -32
    sd t0, 0(sp)
    sd t1, 8(sp)
    la t0, strap_rec
    csrr t1, scause
    sd t1, 0(t0)
    csrr t1, stval
    sd t1, 8(t0)
    csrr t1, sepc
    sd t1, 16(t0)
    csrr t1, sstatus
    sd t1, 24(t0)
    ld t1, 32(t0)
    addi t1, t1, 1
    sd t1, 32(t0)
    ld t0, 0(sp)
    ld t1, 8(sp)
    addi sp, sp, 32
    csrrw sp, sscratch, sp
.endm

    .balign 256
    .globl trap_s
trap_s:
    S_RECORD
    li a7, 0
    ecall
1:
    j 1b

    .balign 256
    .globl trap_s_alt
trap_s_alt:
    S_RECORD
    .word 0x30200073
1:
    j 1b

    .section .rodata
s_ok:
    .asciz "ok "
s_notok:
    .asciz "not ok "
s_got:
    .asciz " got="
s_want:
    .asciz " want="
s_unexp:
    .asciz "# unexpected trap mcause="
s_mepc:
    .asciz " mepc="
s_mtval:
    .asciz " mtval="
s_summary:
    .asciz "# checks="
s_summary2:
    .asciz " failures="

    .data
    .balign 8
    .globl trap_resume, trap_rec, strap_rec, int_rec, reset_regs, reset_csrs
trap_resume:
    .dword 0
/* mcause, mtval, mepc, mstatus (at trap), count */
trap_rec:
    .dword -1, -1, -1, -1, 0
/* scause, stval, sepc, sstatus, count */
strap_rec:
    .dword -1, -1, -1, -1, 0
/* mcause, mepc, mstatus, count, log[8] of mcause (interrupts taken in M) */
int_rec:
    .dword -1, -1, -1, 0
    .fill 8, 8, -1
/* x0..x31 as the boot ROM left them */
reset_regs:
    .fill 32, 8, 0
/* mtvec mstatus misa medeleg mideleg mie mip mcounteren satp pmpcfg0
 * pmpaddr0 stvec mscratch */
reset_csrs:
    .fill 16, 8, 0
test_num:
    .dword 0
failures:
    .dword 0
unexpected_count:
    .dword 0

    .bss
    .balign 16
    .space 16384
stack_top:
    .space 4096
mtrap_stack_top:
    .space 4096
strap_stack_top:
