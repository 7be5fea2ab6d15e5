/* SPDX-License-Identifier: MIT */
/*
 * Guest execution-speed benchmark: a bare-metal M-mode integer loop for
 * -machine virt, loaded with -bios at 0x80000000.  Each iteration runs
 * five instructions (three ALU operations, the counter decrement and a
 * taken branch); after ITERS iterations (default 200,000,000, i.e. 10^9
 * instructions) it writes FINISHER_PASS to the SiFive test device, which
 * ends the emulator with exit status 0.  a0 holds a checksum of the work
 * so the loop cannot be skipped.
 *
 * Build: riscv64-linux-gnu-gcc -nostdlib -Wl,-Ttext=0x80000000 [-DITERS=N]
 *        guest-loop.S -o loop.elf && objcopy -O binary loop.elf loop.bin
 */
#ifndef ITERS
#define ITERS 200000000
#endif

#define FINISHER      0x100000
#define FINISHER_PASS 0x5555

    .section .text
    .globl _start
_start:
    li      t0, ITERS
    li      a0, 0
    li      a1, 1
1:
    add     a0, a0, a1
    xor     a1, a1, a0
    slli    a2, a0, 3
    addi    t0, t0, -1
    bnez    t0, 1b

    li      t1, FINISHER
    li      t2, FINISHER_PASS
    sw      t2, 0(t1)
2:
    wfi
    j       2b
