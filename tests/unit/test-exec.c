/* SPDX-License-Identifier: MIT */
/*
 * Executor tests: single instructions on one hart with 64 KiB of RAM at
 * 0x80000000 (riscv-hart.md §1-4, §7, §9; privileged spec 1.12).
 * Instructions are encoded by the helpers below and written at pc; each
 * test states the spec rule it checks.
 */
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/clock.h"
#include "emu/device.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "target/riscv/cpu.h"
#include "target/riscv/insn.h"
#include "tests/unit/riscv-encode.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE 0x10000ull
#define CODE     RAM_BASE
#define DATA     (RAM_BASE + 0x8000)
#define MTVEC    (RAM_BASE + 0x4000)
#define STVEC    (RAM_BASE + 0x5000)

#define ADDI(rd, rs1, imm)  enc_i((imm), (rs1), 0, (rd), 0x13)
#define CSRRW(rd, csr, rs1) enc_i((csr), (rs1), 1, (rd), 0x73)
#define CSRRS(rd, csr, rs1) enc_i((csr), (rs1), 2, (rd), 0x73)
#define CSRRC(rd, csr, rs1) enc_i((csr), (rs1), 3, (rd), 0x73)
#define CSRRSI(rd, csr, u)  enc_i((csr), (u), 6, (rd), 0x73)
#define AMO(f5, f3, rd, rs1, rs2)                                              \
    enc_r((unsigned)(f5) << 2, (rs2), (rs1), (f3), (rd), 0x2f)
#define ECALL  0x00000073u
#define EBREAK 0x00100073u
#define MRET   0x30200073u
#define SRET   0x10200073u
#define WFI    0x10500073u
#define SFENCE 0x12000073u

/* ---- fixture ---- */

static RiscvHart *cpu;
static Device *dev;

static int setup(void **state)
{
    static bool registered;
    MemoryRegion *ram;

    if (!registered) {
        object_register_types();
        device_register_types();
        type_register(&riscv_hart_class.obj);
        registered = true;
    }
    object_reset_root();
    memory_reset_for_test();
    clock_reset_for_test();
    ram = memory_region_new_ram(NULL, "ram", RAM_SIZE, NULL);
    assert_non_null(ram);
    memory_region_add_subregion(memory_system_root(), RAM_BASE, ram, 0);
    dev = device_new(TYPE_RISCV_HART, NULL);
    assert_non_null(dev);
    assert_true(device_realize(dev, NULL));
    cpu = RISCV_HART(dev);
    cpu->pc = CODE;
    cpu->mtvec = MTVEC;
    cpu->stvec = STVEC;
    /* PMP entry 0: NAPOT over everything, RWX, so S and U may run */
    assert_true(riscv_csr_write_debug(cpu, 0x3b0, UINT64_MAX));
    assert_true(riscv_csr_write_debug(cpu, 0x3a0, 0x1f));
    *state = ram;
    return 0;
}

static int teardown(void **state)
{
    object_unref(&dev->obj);
    memory_region_del_subregion(memory_system_root(), *state);
    memory_region_free(*state);
    memory_reset_for_test();
    return 0;
}

static void put32(uint64_t addr, uint32_t v)
{
    assert_int_equal(address_space_st(address_space_system(), addr, 4, v),
                     MEMTX_OK);
}

static void put64(uint64_t addr, uint64_t v)
{
    assert_int_equal(address_space_st(address_space_system(), addr, 8, v),
                     MEMTX_OK);
}

static void put16(uint64_t addr, uint16_t v)
{
    assert_int_equal(address_space_st(address_space_system(), addr, 2, v),
                     MEMTX_OK);
}

static uint64_t get64(uint64_t addr)
{
    uint64_t v = 0;

    assert_int_equal(address_space_ld(address_space_system(), addr, 8, &v),
                     MEMTX_OK);
    return v;
}

/* Writes @insn at pc and executes it. */
static void exec1(uint32_t insn)
{
    put32(cpu->pc, insn);
    riscv_hart_step(cpu);
}

/* Same for a 16-bit parcel. */
static void exec16(uint16_t parcel)
{
    put16(cpu->pc, parcel);
    riscv_hart_step(cpu);
}

/* x3 = OP(x1 = a, x2 = b) for an R-type funct7/funct3/opcode */
static uint64_t rr(unsigned f7, unsigned f3, unsigned op, uint64_t a,
                   uint64_t b)
{
    cpu->gpr[1] = a;
    cpu->gpr[2] = b;
    cpu->gpr[3] = 0xdeadbeef;
    exec1(enc_r(f7, 2, 1, f3, 3, op));
    assert_false(cpu->trapped);
    return cpu->gpr[3];
}

/* x3 = OP-IMM(x1 = a, imm) */
static uint64_t ri(int32_t imm, unsigned f3, unsigned op, uint64_t a)
{
    cpu->gpr[1] = a;
    exec1(enc_i(imm, 1, f3, 3, op));
    assert_false(cpu->trapped);
    return cpu->gpr[3];
}

static void assert_trap(uint64_t cause, uint64_t tval, uint64_t epc)
{
    assert_true(cpu->trapped);
    assert_int_equal(cpu->mcause, cause);
    assert_int_equal(cpu->mtval, tval);
    assert_int_equal(cpu->mepc, epc);
    assert_int_equal(cpu->pc, MTVEC);
    assert_int_equal(cpu->priv, PRV_M);
}

#define OP     0x33
#define OP32   0x3b
#define OPI    0x13
#define OPI32  0x1b
#define MULDIV 1

/* ---- reset ---- */

static void test_reset_state(void **state)
{
    uint64_t v;

    riscv_hart_reset(cpu);
    assert_int_equal(cpu->pc, 0x1000);
    assert_int_equal(cpu->priv, PRV_M);
    assert_int_equal(cpu->misa, 0x800000000014112Dull);
    assert_true(riscv_csr_read_debug(cpu, 0x300, &v));
    assert_int_equal(v, 0x0000000A00000000ull);
    assert_true(riscv_csr_read_debug(cpu, 0xf12, &v)); /* marchid */
    assert_int_equal(v, 0x70216);
    assert_true(riscv_csr_read_debug(cpu, 0xf14, &v)); /* mhartid */
    assert_int_equal(v, 0);
}

/* ---- RV64I / M arithmetic corner cases ---- */

static void test_div_rem_corner_cases(void **state)
{
    const uint64_t min = 0x8000000000000000ull;

    assert_int_equal(rr(MULDIV, 4, OP, 7, 0), UINT64_MAX);     /* div x/0 */
    assert_int_equal(rr(MULDIV, 5, OP, 7, 0), UINT64_MAX);     /* divu x/0 */
    assert_int_equal(rr(MULDIV, 6, OP, 7, 0), 7);              /* rem x%0 */
    assert_int_equal(rr(MULDIV, 7, OP, 7, 0), 7);              /* remu x%0 */
    assert_int_equal(rr(MULDIV, 4, OP, min, UINT64_MAX), min); /* MIN/-1 */
    assert_int_equal(rr(MULDIV, 6, OP, min, UINT64_MAX), 0);   /* MIN%-1 */
    assert_int_equal(rr(MULDIV, 4, OP, (uint64_t)-7, 2), (uint64_t)-3);
    assert_int_equal(rr(MULDIV, 6, OP, (uint64_t)-7, 2), (uint64_t)-1);
    /* W forms: 32-bit operands, sign-extended results */
    assert_int_equal(rr(MULDIV, 4, OP32, 0x80000000, UINT64_MAX),
                     0xffffffff80000000ull); /* divw MIN/-1 */
    assert_int_equal(rr(MULDIV, 6, OP32, 0x80000000, UINT64_MAX), 0);
    assert_int_equal(rr(MULDIV, 4, OP32, 5, 0x100000000ull), UINT64_MAX);
    assert_int_equal(rr(MULDIV, 5, OP32, 5, 0), UINT64_MAX); /* divuw /0 */
    assert_int_equal(rr(MULDIV, 6, OP32, 0xfffffffb, 0), (uint64_t)-5);
    assert_int_equal(rr(MULDIV, 7, OP32, 0x80000005, 0),
                     0xffffffff80000005ull); /* remuw x%0 = sext(x) */
    assert_int_equal(rr(MULDIV, 5, OP32, 0xfffffffe, 1),
                     0xfffffffffffffffeull); /* divuw sign-extends */
}

static void test_mul_high(void **state)
{
    assert_int_equal(rr(MULDIV, 1, OP, (uint64_t)-1, (uint64_t)-1), 0);
    assert_int_equal(rr(MULDIV, 3, OP, (uint64_t)-1, (uint64_t)-1),
                     UINT64_MAX - 1); /* mulhu */
    assert_int_equal(rr(MULDIV, 2, OP, (uint64_t)-1, (uint64_t)-1),
                     UINT64_MAX);                               /* mulhsu */
    assert_int_equal(rr(MULDIV, 0, OP32, 0x10000, 0x10000), 0); /* mulw */
    assert_int_equal(rr(MULDIV, 0, OP32, 0x40000000, 2), 0xffffffff80000000ull);
}

static void test_w_forms_sign_extend(void **state)
{
    assert_int_equal(rr(0, 0, OP32, 0x7fffffff, 1), 0xffffffff80000000ull);
    assert_int_equal(rr(0x20, 0, OP32, 0, 1), UINT64_MAX); /* subw */
    assert_int_equal(ri(1, 0, OPI32, 0x7fffffff), 0xffffffff80000000ull);
    assert_int_equal(ri(31, 1, OPI32, 1), 0xffffffff80000000ull); /* slliw */
    assert_int_equal(ri(0, 5, OPI32, 0xffffffff80000000ull),
                     0xffffffff80000000ull);                   /* srliw 0 */
    assert_int_equal(ri(1, 5, OPI32, 0x80000000), 0x40000000); /* srliw */
    assert_int_equal(ri(0x400 | 4, 5, OPI32, 0x80000000),
                     0xfffffffff8000000ull);    /* sraiw */
    assert_int_equal(rr(0, 1, OP32, 1, 33), 2); /* sllw uses 5 bits */
}

static void test_shifts(void **state)
{
    assert_int_equal(rr(0, 1, OP, 1, 65), 2); /* sll uses 6 bits */
    assert_int_equal(rr(0, 1, OP, 1, 63), 0x8000000000000000ull);
    assert_int_equal(rr(0x20, 5, OP, 0x8000000000000000ull, 63),
                     UINT64_MAX);                                 /* sra */
    assert_int_equal(rr(0, 5, OP, 0x8000000000000000ull, 63), 1); /* srl */
    assert_int_equal(ri(63, 1, OPI, 1), 0x8000000000000000ull);   /* slli */
    assert_int_equal(ri(0x400 | 63, 5, OPI, 0x8000000000000000ull),
                     UINT64_MAX); /* srai 63 */
}

static void test_slt_and_x0(void **state)
{
    assert_int_equal(rr(0, 2, OP, (uint64_t)-1, 0), 1); /* slt */
    assert_int_equal(rr(0, 3, OP, (uint64_t)-1, 0), 0); /* sltu */
    assert_int_equal(ri(-1, 3, OPI, 5), 1);             /* sltiu vs 0xfff..f */
    cpu->gpr[1] = 5;
    exec1(ADDI(0, 1, 1));
    assert_int_equal(cpu->gpr[0], 0);
}

static void test_lui_auipc(void **state)
{
    exec1(0xfffff0b7); /* lui x1, 0xfffff */
    assert_int_equal(cpu->gpr[1], 0xfffffffffffff000ull);
    exec1(0x00001117); /* auipc x2, 1 at CODE+4 */
    assert_int_equal(cpu->gpr[2], CODE + 4 + 0x1000);
}

static void test_zb_samples(void **state)
{
    assert_int_equal(ri(0x600, 1, OPI, 1), 63); /* clz */
    assert_int_equal(ri(0x600, 1, OPI, 0), 64);
    assert_int_equal(ri(0x601, 1, OPI32, 0), 32); /* ctzw */
    assert_int_equal(ri(0x287, 5, OPI, 0x0100ff0000000001ull),
                     0xff00ff00000000ffull); /* orc.b */
    assert_int_equal(ri(0x6b8, 5, OPI, 0x0102030405060708ull),
                     0x0807060504030201ull);        /* rev8 */
    assert_int_equal(rr(0x10, 2, OP, 3, 100), 106); /* sh1add */
    assert_int_equal(rr(0x04, 0, OP32, 0xffffffff00000001ull, 1), 2);
    assert_int_equal(rr(0x05, 4, OP, (uint64_t)-1, 1), (uint64_t)-1); /* min */
    assert_int_equal(rr(0x05, 1, OP, 3, 3), 5);            /* clmul */
    assert_int_equal(rr(0x30, 1, OP32, 0x80000000, 1), 1); /* rolw */
    assert_int_equal(rr(0x24, 5, OP, 0x10, 4), 1);         /* bext */
}

/* ---- control transfer ---- */

static void test_jal_jalr_link(void **state)
{
    exec1(enc_j(0x100, 1)); /* jal ra, +0x100 */
    assert_int_equal(cpu->gpr[1], CODE + 4);
    assert_int_equal(cpu->pc, CODE + 0x100);
    cpu->gpr[5] = CODE + 0x201; /* jalr clears bit 0 */
    exec1(enc_i(0, 5, 0, 1, 0x67));
    assert_int_equal(cpu->pc, CODE + 0x200);
    assert_int_equal(cpu->gpr[1], CODE + 0x104);
    /* rd == rs1: the target uses the old value */
    cpu->gpr[6] = CODE + 0x300;
    exec1(enc_i(4, 6, 0, 6, 0x67));
    assert_int_equal(cpu->pc, CODE + 0x304);
    assert_int_equal(cpu->gpr[6], CODE + 0x204);
}

static void test_rvc_jumps_link_pc_plus_2(void **state)
{
    cpu->gpr[10] = CODE + 0x40;
    exec16(0x9502); /* c.jalr a0 */
    assert_int_equal(cpu->pc, CODE + 0x40);
    assert_int_equal(cpu->gpr[1], CODE + 2);
    exec16(0xa009); /* c.j +2 */
    assert_int_equal(cpu->pc, CODE + 0x42);
    exec16(0x8082); /* c.jr ra */
    assert_int_equal(cpu->pc, CODE + 2);
    cpu->gpr[10] = 0;
    exec16(0xd101); /* c.beqz a0, -256 */
    assert_int_equal(cpu->pc, CODE + 2 - 256);
}

static void test_branches(void **state)
{
    cpu->gpr[1] = (uint64_t)-1;
    cpu->gpr[2] = 1;
    exec1(enc_b(16, 2, 1, 4)); /* blt -1 < 1: taken */
    assert_int_equal(cpu->pc, CODE + 16);
    exec1(enc_b(16, 2, 1, 6)); /* bltu 0xff..f < 1: not taken */
    assert_int_equal(cpu->pc, CODE + 20);
    exec1(enc_b(-20, 1, 1, 0)); /* beq x1, x1, -20 */
    assert_int_equal(cpu->pc, CODE);
    exec1(enc_b(8, 1, 1, 1)); /* bne not taken */
    assert_int_equal(cpu->pc, CODE + 4);
}

/* ---- loads and stores ---- */

static void test_load_extension(void **state)
{
    put64(DATA, 0x8081828384858687ull);
    cpu->gpr[1] = DATA;
    exec1(enc_i(0, 1, 0, 2, 0x03)); /* lb */
    assert_int_equal(cpu->gpr[2], 0xffffffffffffff87ull);
    exec1(enc_i(0, 1, 4, 2, 0x03)); /* lbu */
    assert_int_equal(cpu->gpr[2], 0x87);
    exec1(enc_i(4, 1, 2, 2, 0x03)); /* lw */
    assert_int_equal(cpu->gpr[2], 0xffffffff80818283ull);
    exec1(enc_i(4, 1, 6, 2, 0x03)); /* lwu */
    assert_int_equal(cpu->gpr[2], 0x80818283ull);
    exec1(enc_i(1, 1, 3, 2, 0x03)); /* misaligned ld completes */
    assert_false(cpu->trapped);
    assert_int_equal(cpu->gpr[2], 0x0080818283848586ull);
    cpu->gpr[3] = 0x1122334455667788ull;
    exec1(enc_s(-8 + 16, 3, 1, 2)); /* sw at DATA+8 */
    assert_int_equal(get64(DATA + 8), 0x55667788ull);
}

static void test_code_changes_are_seen(void **state)
{
    exec1(ADDI(1, 0, 1)); /* executed once: now in the decoded cache */
    assert_int_equal(cpu->gpr[1], 1);
    cpu->pc = CODE;
    exec1(ADDI(1, 0, 2)); /* the same pc, new bits, no fence.i */
    assert_int_equal(cpu->gpr[1], 2);
    cpu->pc = CODE;
    exec16(0x4095); /* c.li ra, 5 over the first half */
    assert_int_equal(cpu->gpr[1], 5);
    assert_int_equal(cpu->pc, CODE + 2);
    /* a cached instruction still honours a new privilege's PMP view */
    assert_true(riscv_csr_write_debug(cpu, 0x3a0, 0x18)); /* no X */
    cpu->pc = CODE;
    cpu->priv = PRV_S;
    riscv_hart_step(cpu);
    assert_trap(EXC_INSN_ACCESS, CODE, CODE);
}

/* ---- decoded blocks (riscv_hart_run) ---- */

#define JAL_SELF          enc_j(0, 0) /* jal x0, 0: spins in place */
#define SW(rs2, off, rs1) enc_s((off), (rs2), (rs1), 2)

static RiscvCodeStats code_stats(void)
{
    RiscvCodeStats st;

    riscv_hart_code_stats(cpu, &st);
    return st;
}

static void test_block_write_by_bus_drops_it(void **state)
{
    put32(CODE, ADDI(1, 0, 1));
    put32(CODE + 4, JAL_SELF);
    assert_int_equal(riscv_hart_run(cpu, 2), 2);
    assert_int_equal(cpu->gpr[1], 1);
    assert_int_equal(cpu->pc, CODE + 4);
    assert_int_equal(code_stats().blocks_decoded, 1);
    assert_int_equal(code_stats().blocks_dropped, 0);
    /* the same block runs again without decoding */
    cpu->pc = CODE;
    assert_int_equal(riscv_hart_run(cpu, 2), 2);
    assert_int_equal(code_stats().blocks_decoded, 1);
    /* a bus write (qtest, DMA) into its page drops it: no FENCE.I needed */
    put32(CODE, ADDI(1, 0, 2));
    assert_int_equal(code_stats().blocks_dropped, 1);
    cpu->pc = CODE;
    assert_int_equal(riscv_hart_run(cpu, 2), 2);
    assert_int_equal(cpu->gpr[1], 2);
    assert_int_equal(code_stats().blocks_decoded, 2);
    /* a write into another page leaves it alone */
    put32(DATA, 0x12345678);
    assert_int_equal(code_stats().blocks_dropped, 1);
}

static void test_block_store_into_itself(void **state)
{
    /* the store patches an instruction further down the running block */
    put32(CODE, SW(2, 12, 3));
    put32(CODE + 4, ADDI(1, 0, 1));
    put32(CODE + 8, ADDI(0, 0, 0));
    put32(CODE + 12, ADDI(1, 0, 3));
    put32(CODE + 16, JAL_SELF);
    cpu->gpr[2] = ADDI(1, 0, 7);
    cpu->gpr[3] = CODE;
    assert_int_equal(riscv_hart_run(cpu, 5), 5);
    assert_int_equal(cpu->pc, CODE + 16);
    assert_int_equal(cpu->gpr[1], 7);
    assert_int_equal(code_stats().blocks_dropped, 1);
    /* instret counted every instruction once */
    assert_int_equal(cpu->retired, 5);
}

static void test_block_keyed_by_physical_address(void **state)
{
    const uint64_t root = RAM_BASE + 0x6000;
    const uint64_t leaf = (RAM_BASE >> 12 << 10) | 0xcf; /* V R W X A D */
    const uint64_t va2 = 0x40000000;

    /* Sv39: gigapages at VA 0 and VA 1 GiB both map RAM_BASE */
    put64(root, leaf);
    put64(root + 8, leaf);
    assert_true(riscv_csr_write_debug(cpu, 0x180, 8ull << 60 | root >> 12));
    cpu->priv = PRV_S;
    put32(CODE, 0x00000097); /* auipc x1, 0 */
    put32(CODE + 4, JAL_SELF);
    cpu->pc = 0;
    assert_int_equal(riscv_hart_run(cpu, 2), 2);
    assert_int_equal(cpu->gpr[1], 0);
    assert_int_equal(cpu->pc, 4);
    /* same physical bytes at another pc: AUIPC's value differs */
    cpu->pc = va2;
    assert_int_equal(riscv_hart_run(cpu, 2), 2);
    assert_int_equal(cpu->gpr[1], va2);
    assert_int_equal(cpu->pc, va2 + 4);
    assert_int_equal(code_stats().blocks_decoded, 2);
    /* a satp write flushes the TLB but keeps decoded blocks */
    assert_true(riscv_csr_write_debug(cpu, 0x180, 8ull << 60 | root >> 12));
    cpu->pc = va2;
    assert_int_equal(riscv_hart_run(cpu, 2), 2);
    assert_int_equal(cpu->gpr[1], va2);
    assert_int_equal(code_stats().blocks_decoded, 2);
    /* remapping VA 1 GiB to nothing: the fetch faults, no stale block */
    put64(root + 8, 0);
    assert_true(riscv_csr_write_debug(cpu, 0x180, 8ull << 60 | root >> 12));
    cpu->pc = va2;
    riscv_hart_run(cpu, 1);
    assert_int_equal(cpu->mcause, EXC_INSN_PAGE_FAULT);
    assert_int_equal(cpu->mtval, va2);
    /* FENCE.I has nothing to drop (stores already did): blocks stay */
    put32(CODE + 8, 0x0000100f); /* fence.i (these stores drop VA 0's block) */
    put32(CODE + 12, JAL_SELF);
    cpu->priv = PRV_S; /* back from the page-fault trap */
    cpu->pc = 0;
    assert_int_equal(riscv_hart_run(cpu, 2), 2);
    assert_int_equal(code_stats().blocks_decoded, 3);
    cpu->pc = 8;
    assert_int_equal(riscv_hart_run(cpu, 1), 1);
    assert_int_equal(cpu->pc, 12);
    assert_int_equal(code_stats().blocks_decoded, 4); /* the fence.i one */
    cpu->pc = 0;
    assert_int_equal(riscv_hart_run(cpu, 2), 2);
    assert_int_equal(cpu->gpr[1], 0);
    assert_int_equal(code_stats().blocks_decoded, 4);
}

static void test_fetch_straddles_end_of_ram(void **state)
{
    cpu->pc = RAM_BASE + RAM_SIZE - 2;
    put16(cpu->pc, 0x0013); /* low half of a 32-bit instruction */
    riscv_hart_step(cpu);
    assert_trap(EXC_INSN_ACCESS, RAM_BASE + RAM_SIZE, RAM_BASE + RAM_SIZE - 2);
}

static void test_illegal_tval(void **state)
{
    exec1(0xffffffff);
    assert_trap(EXC_ILLEGAL_INSN, 0xffffffff, CODE);
    cpu->pc = CODE;
    exec16(0x0000); /* c.illegal: tval is the zero-extended parcel */
    assert_trap(EXC_ILLEGAL_INSN, 0, CODE);
    cpu->pc = CODE;
    exec1(0x0200101b); /* slliw with imm[5] set */
    assert_trap(EXC_ILLEGAL_INSN, 0x0200101b, CODE);
    cpu->pc = CODE;
    exec16(0x9002); /* c.ebreak: cause 3, tval 0 */
    assert_trap(EXC_BREAKPOINT, 0, CODE);
}

/* ---- A extension ---- */

static void test_lr_sc_rules(void **state)
{
    put64(DATA, 5);
    cpu->gpr[1] = DATA;
    cpu->gpr[2] = 42;
    exec1(AMO(0x03, 3, 3, 1, 2)); /* sc.d without reservation: fails */
    assert_int_equal(cpu->gpr[3], 1);
    assert_int_equal(get64(DATA), 5);

    exec1(AMO(0x02, 3, 4, 1, 0)); /* lr.d x4 */
    assert_int_equal(cpu->gpr[4], 5);
    exec1(AMO(0x03, 3, 3, 1, 2)); /* sc.d succeeds */
    assert_int_equal(cpu->gpr[3], 0);
    assert_int_equal(get64(DATA), 42);
    exec1(AMO(0x03, 3, 3, 1, 2)); /* every SC clears the reservation */
    assert_int_equal(cpu->gpr[3], 1);

    exec1(AMO(0x02, 3, 4, 1, 0)); /* lr.d DATA; sc.d DATA+8 fails */
    cpu->gpr[5] = DATA + 8;
    exec1(AMO(0x03, 3, 3, 5, 2));
    assert_int_equal(cpu->gpr[3], 1);
    exec1(AMO(0x03, 3, 3, 1, 2)); /* ... and cleared it */
    assert_int_equal(cpu->gpr[3], 1);

    exec1(AMO(0x02, 3, 4, 1, 0)); /* another agent changes the word */
    put64(DATA, 7);
    exec1(AMO(0x03, 3, 3, 1, 2));
    assert_int_equal(cpu->gpr[3], 1);
    assert_int_equal(get64(DATA), 7);

    exec1(AMO(0x02, 2, 4, 1, 0)); /* lr.w; trap; sc.w fails */
    put32(MTVEC, MRET);
    cpu->mepc = 0;
    exec1(ECALL);
    assert_true(cpu->trapped);
    cpu->pc = CODE + 0x100;
    exec1(AMO(0x03, 2, 3, 1, 2));
    assert_int_equal(cpu->gpr[3], 1);
}

static void test_lr_sc_sign_extends_w(void **state)
{
    put64(DATA, 0x00000000ffff8000ull);
    cpu->gpr[1] = DATA;
    exec1(AMO(0x02, 2, 4, 1, 0)); /* lr.w */
    assert_int_equal(cpu->gpr[4], 0xffffffffffff8000ull);
    cpu->gpr[2] = 0x123456789ull;
    exec1(AMO(0x03, 2, 3, 1, 2)); /* sc.w stores the low word */
    assert_int_equal(cpu->gpr[3], 0);
    assert_int_equal(get64(DATA), 0x23456789ull);
}

static void test_every_amo(void **state)
{
    static const struct {
        unsigned f5;
        uint64_t mem, src, want_d, want_w;
    } amos[] = {
        {0x01, 5, 9, 9, 9},                                /* swap */
        {0x00, 5, 9, 14, 14},                              /* add */
        {0x04, 0xf0, 0xff, 0x0f, 0x0f},                    /* xor */
        {0x0c, 0xf0, 0x3c, 0x30, 0x30},                    /* and */
        {0x08, 0xf0, 0x0f, 0xff, 0xff},                    /* or */
        {0x10, 5, (uint64_t)-1, (uint64_t)-1, 0xffffffff}, /* min */
        {0x14, 5, (uint64_t)-1, 5, 5},                     /* max */
        {0x18, 5, (uint64_t)-1, 5, 5},                     /* minu */
        {0x1c, 5, (uint64_t)-1, (uint64_t)-1, 0xffffffff}, /* maxu */
    };

    for (size_t i = 0; i < G_N_ELEMENTS(amos); i++) {
        /* .d */
        cpu->pc = CODE;
        put64(DATA, amos[i].mem);
        cpu->gpr[1] = DATA;
        cpu->gpr[2] = amos[i].src;
        exec1(AMO(amos[i].f5, 3, 3, 1, 2));
        assert_false(cpu->trapped);
        assert_int_equal(cpu->gpr[3], amos[i].mem);
        assert_int_equal(get64(DATA), amos[i].want_d);
        /* .w: only the low word changes; rd is the sign-extended old */
        put64(DATA, 0xaaaaaaaa00000000ull | amos[i].mem | 0x80000000ull);
        cpu->gpr[2] = amos[i].src;
        exec1(AMO(amos[i].f5, 2, 3, 1, 2));
        assert_false(cpu->trapped);
        assert_int_equal(cpu->gpr[3], 0xffffffff80000000ull | amos[i].mem);
    }
    /* .w min/max compare signed 32-bit values */
    put64(DATA, 0x80000000ull); /* INT32_MIN */
    cpu->gpr[2] = 1;
    exec1(AMO(0x10, 2, 3, 1, 2)); /* amomin.w keeps MIN */
    assert_int_equal(get64(DATA), 0x80000000ull);
    exec1(AMO(0x14, 2, 3, 1, 2)); /* amomax.w takes 1 */
    assert_int_equal(get64(DATA), 1);
    exec1(AMO(0x18, 2, 3, 1, 2)); /* amominu.w */
    assert_int_equal(get64(DATA), 1);
}

static void test_atomics_misaligned_trap(void **state)
{
    cpu->gpr[1] = DATA + 4;
    exec1(AMO(0x02, 3, 3, 1, 0)); /* lr.d at +4: load misaligned */
    assert_trap(EXC_LOAD_MISALIGNED, DATA + 4, CODE);
    cpu->pc = CODE;
    exec1(AMO(0x00, 3, 3, 1, 2)); /* amoadd.d at +4: store misaligned */
    assert_trap(EXC_STORE_MISALIGNED, DATA + 4, CODE);
    cpu->pc = CODE;
    cpu->gpr[1] = DATA + 2;
    exec1(AMO(0x01, 2, 3, 1, 2)); /* amoswap.w at +2 */
    assert_trap(EXC_STORE_MISALIGNED, DATA + 2, CODE);
    cpu->pc = CODE;
    exec1(AMO(0x03, 2, 3, 1, 2)); /* sc.w without reservation: just fails */
    assert_false(cpu->trapped);
    assert_int_equal(cpu->gpr[3], 1);
}

static void test_amo_unmapped_is_store_fault(void **state)
{
    cpu->gpr[1] = 0x40000000;
    exec1(AMO(0x00, 3, 3, 1, 2));
    assert_trap(EXC_STORE_ACCESS, 0x40000000, CODE);
}

/* ---- CSR access rules (riscv-hart.md §2.1) ---- */

static void test_csr_missing_is_illegal(void **state)
{
    static const unsigned missing[] = {
        0x7a0, /* tselect */
        0x30c, /* mstateen0 */
        0xfb0, /* mtopi */
        0xda0, /* scountovf */
        0x015, /* seed */
        0xc80, /* cycleh (RV32 only) */
        0x600, /* hstatus (no H) */
        0x34a, /* mtinst */
        0x3a1, /* pmpcfg1 (odd on RV64) */
        0x3a4, /* pmpcfg4 */
        0x3c0, /* pmpaddr16 */
        0x747, /* mseccfg */
    };

    for (size_t i = 0; i < G_N_ELEMENTS(missing); i++) {
        uint32_t insn = CSRRS(5, missing[i], 0);

        cpu->pc = CODE;
        exec1(insn);
        assert_trap(EXC_ILLEGAL_INSN, insn, CODE);
    }
}

static void test_csr_read_only(void **state)
{
    uint32_t insn = CSRRW(0, 0xf11, 0); /* csrw mvendorid, x0 */

    exec1(insn);
    assert_trap(EXC_ILLEGAL_INSN, insn, CODE);
    cpu->pc = CODE;
    exec1(CSRRS(5, 0xf14, 0)); /* csrr mhartid: no write, no trap */
    assert_false(cpu->trapped);
    cpu->gpr[6] = 0; /* csrrs with rs1 != x0 writes, whatever its value */
    insn = CSRRS(5, 0xf11, 6);
    exec1(insn);
    assert_trap(EXC_ILLEGAL_INSN, insn, CODE + 4);
    cpu->pc = CODE;
    exec1(CSRRSI(5, 0xc00, 0)); /* csrrsi cycle, 0: read */
    assert_false(cpu->trapped);
}

static void test_csr_privilege(void **state)
{
    uint32_t insn = CSRRS(5, 0x300, 0); /* mstatus from S */

    cpu->priv = PRV_S;
    exec1(insn);
    assert_trap(EXC_ILLEGAL_INSN, insn, CODE);
    cpu->pc = CODE;
    cpu->priv = PRV_S;
    exec1(CSRRS(5, 0x100, 0)); /* sstatus from S: fine */
    assert_false(cpu->trapped);
    cpu->priv = PRV_U;
    insn = CSRRS(5, 0x100, 0);
    exec1(insn);
    assert_trap(EXC_ILLEGAL_INSN, insn, CODE + 4);
}

static void test_csr_counteren(void **state)
{
    uint32_t rdcycle = CSRRS(5, 0xc00, 0);
    uint32_t rdtime = CSRRS(5, 0xc01, 0);

    cpu->priv = PRV_S;
    exec1(rdcycle); /* mcounteren.CY = 0 */
    assert_trap(EXC_ILLEGAL_INSN, rdcycle, CODE);
    cpu->mcounteren = 1;
    cpu->pc = CODE;
    cpu->priv = PRV_S;
    exec1(rdcycle);
    assert_false(cpu->trapped);
    cpu->priv = PRV_U; /* U needs scounteren.CY too */
    exec1(rdcycle);
    assert_trap(EXC_ILLEGAL_INSN, rdcycle, CODE + 4);
    cpu->scounteren = 1;
    cpu->pc = CODE;
    cpu->priv = PRV_U;
    exec1(rdcycle);
    assert_false(cpu->trapped);
    exec1(rdtime); /* TM clear in both */
    assert_trap(EXC_ILLEGAL_INSN, rdtime, CODE + 4);
    cpu->mcounteren = cpu->scounteren = 2;
    cpu->pc = CODE;
    cpu->priv = PRV_U;
    exec1(rdtime);
    assert_false(cpu->trapped);
}

static void test_csr_tvm_tw_tsr(void **state)
{
    uint32_t rdsatp = CSRRS(5, 0x180, 0);

    cpu->mstatus |= MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR;
    cpu->priv = PRV_S;
    exec1(rdsatp);
    assert_trap(EXC_ILLEGAL_INSN, rdsatp, CODE);
    cpu->pc = CODE;
    cpu->priv = PRV_S;
    exec1(SFENCE);
    assert_trap(EXC_ILLEGAL_INSN, SFENCE, CODE);
    cpu->pc = CODE;
    cpu->priv = PRV_S;
    exec1(WFI);
    assert_trap(EXC_ILLEGAL_INSN, WFI, CODE);
    cpu->pc = CODE;
    cpu->priv = PRV_S;
    exec1(SRET);
    assert_trap(EXC_ILLEGAL_INSN, SRET, CODE);
    /* in M the bits do not apply */
    cpu->pc = CODE;
    exec1(rdsatp);
    assert_false(cpu->trapped);
    exec1(SFENCE);
    assert_false(cpu->trapped);
    /* WFI in U traps even with TW = 0; MRET below M traps */
    cpu->mstatus &= ~(MSTATUS_TW | MSTATUS_TVM | MSTATUS_TSR);
    cpu->pc = CODE;
    cpu->priv = PRV_U;
    exec1(WFI);
    assert_trap(EXC_ILLEGAL_INSN, WFI, CODE);
    cpu->pc = CODE;
    cpu->priv = PRV_S;
    exec1(MRET);
    assert_trap(EXC_ILLEGAL_INSN, MRET, CODE);
    cpu->pc = CODE;
    cpu->priv = PRV_S;
    exec1(rdsatp); /* TVM clear: S may read satp */
    assert_false(cpu->trapped);
}

static void test_csr_fp_gated_by_fs(void **state)
{
    uint32_t rdfcsr = CSRRS(5, 0x003, 0);
    uint64_t v;

    exec1(rdfcsr); /* FS = Off after reset */
    assert_trap(EXC_ILLEGAL_INSN, rdfcsr, CODE);
    cpu->pc = CODE;
    cpu->mstatus |= 1ull << 13; /* FS = Initial */
    cpu->gpr[6] = 0xffff;
    exec1(CSRRW(5, 0x003, 6)); /* fcsr w ~0 -> 0xff, FS dirty */
    assert_false(cpu->trapped);
    assert_true(riscv_csr_read_debug(cpu, 0x003, &v));
    assert_int_equal(v, 0xff);
    assert_true(riscv_csr_read_debug(cpu, 0x300, &v));
    assert_int_equal(v & MSTATUS_FS, MSTATUS_FS);
    assert_true(v & MSTATUS_SD);
    cpu->gpr[6] = 5;
    exec1(CSRRW(5, 0x002, 6)); /* frm keeps 3 bits, even invalid 5 */
    assert_true(riscv_csr_read_debug(cpu, 0x002, &v));
    assert_int_equal(v, 5);
}

static uint64_t csr_wr(unsigned csr, uint64_t val)
{
    uint64_t v;

    assert_true(riscv_csr_write_debug(cpu, csr, val));
    assert_true(riscv_csr_read_debug(cpu, csr, &v));
    return v;
}

static void test_csr_warl(void **state)
{
    assert_int_equal(csr_wr(0x300, UINT64_MAX), 0x8000000A007E79AAull);
    assert_int_equal(csr_wr(0x300, 2ull << 11) & MSTATUS_MPP, 0); /* MPP=2 */
    assert_int_equal(csr_wr(0x100, UINT64_MAX), 0x80000002000C6122ull);
    assert_int_equal(csr_wr(0x301, 0), 0x800000000014112Dull); /* misa */
    assert_int_equal(csr_wr(0x302, UINT64_MAX), 0xB3FF);
    assert_int_equal(csr_wr(0x303, UINT64_MAX), 0x222);
    assert_int_equal(csr_wr(0x304, UINT64_MAX), 0xAAA);
    assert_int_equal(csr_wr(0x104, UINT64_MAX), 0x222); /* sie */
    assert_int_equal(csr_wr(0x144, UINT64_MAX), 0x2);   /* sip: SSIP only */
    assert_int_equal(csr_wr(0x305, 0x80001001), 0x80001001);
    assert_int_equal(csr_wr(0x305, 0x80002002), 0x80001001);     /* MODE 2 */
    assert_int_equal(csr_wr(0x341, UINT64_MAX), UINT64_MAX - 1); /* mepc */
    assert_int_equal(csr_wr(0x141, 3), 2);                       /* sepc */
    assert_int_equal(csr_wr(0x306, UINT64_MAX), 0xffffffff);
    assert_int_equal(csr_wr(0x30a, UINT64_MAX), 0x8000000000000001ull);
    assert_int_equal(csr_wr(0x10a, UINT64_MAX), 1);
    assert_int_equal(csr_wr(0x320, UINT64_MAX), 5);
    assert_int_equal(csr_wr(0xb03, 1), 0); /* mhpmcounter3 RO 0 */
    /* satp: unsupported modes change nothing */
    assert_int_equal(csr_wr(0x180, 0xa000000000012345ull),
                     0xa000000000012345ull);
    assert_int_equal(csr_wr(0x180, 0x1000000000000001ull),
                     0xa000000000012345ull);
    assert_int_equal(csr_wr(0x180, 0x8fffffffffffffffull),
                     0x8fffffffffffffffull);
}

static void test_csr_pmp(void **state)
{
    assert_int_equal(csr_wr(0x3a0, 0x7f1a), 0x1f18); /* 6:5 RO 0, W w/o R */
    assert_int_equal(csr_wr(0x3b0, UINT64_MAX), 0x003fffffffffffffull);
    assert_int_equal(cpu->pmpcfg[0], 0x1f18);
    /* lock entry 1 as TOR: pmpaddr1 and pmpaddr0 become read-only */
    assert_int_equal(csr_wr(0x3a0, 0x8f00), 0x8f00);
    assert_int_equal(csr_wr(0x3b1, 0x1234), 0);
    assert_int_equal(csr_wr(0x3b0, 0x1234), 0x003fffffffffffffull);
    assert_int_equal(csr_wr(0x3a0, 0), 0x8f00);  /* the L byte stays */
    assert_int_equal(csr_wr(0x3a2, 0x1f), 0x1f); /* entry 8 */
    assert_int_equal(cpu->pmpcfg[1], 0x1f);
}

static void test_counters_count_retired(void **state)
{
    uint64_t v;

    exec1(ADDI(1, 0, 1));
    exec1(ADDI(1, 0, 1));
    assert_true(riscv_csr_read_debug(cpu, 0xb02, &v));
    assert_int_equal(v, 2);
    cpu->gpr[6] = 100;
    exec1(CSRRW(0, 0xb02, 6)); /* csrw minstret, 100 */
    exec1(CSRRS(5, 0xb02, 0)); /* the next read sees exactly 100 */
    assert_int_equal(cpu->gpr[5], 100);
    exec1(CSRRSI(0, 0x320, 4)); /* inhibit IR */
    assert_true(riscv_csr_read_debug(cpu, 0xb02, &v));
    assert_int_equal(v, 101);
    exec1(ADDI(1, 0, 1)); /* stopped */
    assert_true(riscv_csr_read_debug(cpu, 0xb02, &v));
    assert_int_equal(v, 101);
    assert_true(riscv_csr_read_debug(cpu, 0xb00, &v)); /* mcycle runs */
    assert_int_equal(v, 6);
}

static void test_csr_by_name(void **state)
{
    assert_int_equal(riscv_csr_by_name("mstatus"), 0x300);
    assert_int_equal(riscv_csr_by_name("pmpaddr15"), 0x3bf);
    assert_int_equal(riscv_csr_by_name("hpmcounter31"), 0xc1f);
    assert_int_equal(riscv_csr_by_name("stimecmp"), 0x14d);
    assert_int_equal(riscv_csr_by_name("nonsense"), -1);
    assert_string_equal(riscv_csr_name(0x344), "mip");
    assert_null(riscv_csr_name(0x7a0));
}

/* ---- traps ---- */

static void test_ecall_to_m_and_mret(void **state)
{
    cpu->priv = PRV_U;
    cpu->mstatus |= MSTATUS_MIE;
    exec1(ECALL);
    assert_trap(EXC_ECALL_U, 0, CODE);
    assert_int_equal(cpu->mstatus & MSTATUS_MPP, 0);
    assert_true(cpu->mstatus & MSTATUS_MPIE);
    assert_false(cpu->mstatus & MSTATUS_MIE);
    /* mret back to S with MPRV set: MPRV clears (1.12) */
    cpu->mstatus |= (1ull << 11) | MSTATUS_MPRV;
    cpu->mepc = CODE + 0x20;
    exec1(MRET);
    assert_int_equal(cpu->priv, PRV_S);
    assert_int_equal(cpu->pc, CODE + 0x20);
    assert_true(cpu->mstatus & MSTATUS_MIE);
    assert_true(cpu->mstatus & MSTATUS_MPIE);
    assert_int_equal(cpu->mstatus & MSTATUS_MPP, 0);
    assert_false(cpu->mstatus & MSTATUS_MPRV);
    /* mret to M keeps MPRV */
    cpu->priv = PRV_M;
    cpu->mstatus |= MSTATUS_MPP | MSTATUS_MPRV;
    cpu->mepc = CODE + 0x40;
    exec1(MRET);
    assert_int_equal(cpu->priv, PRV_M);
    assert_true(cpu->mstatus & MSTATUS_MPRV);
}

static void test_delegated_exception_to_s(void **state)
{
    cpu->medeleg = 1u << EXC_ECALL_U | 1u << EXC_BREAKPOINT;
    cpu->priv = PRV_U;
    cpu->mstatus |= MSTATUS_SIE;
    exec1(ECALL);
    assert_int_equal(cpu->priv, PRV_S);
    assert_int_equal(cpu->pc, STVEC);
    assert_int_equal(cpu->scause, EXC_ECALL_U);
    assert_int_equal(cpu->sepc, CODE);
    assert_false(cpu->mstatus & MSTATUS_SPP);
    assert_true(cpu->mstatus & MSTATUS_SPIE);
    assert_false(cpu->mstatus & MSTATUS_SIE);
    assert_int_equal(cpu->mcause, 0); /* M state untouched */
    /* ebreak in S: delegated, SPP = S */
    exec1(EBREAK);
    assert_int_equal(cpu->scause, EXC_BREAKPOINT);
    assert_true(cpu->mstatus & MSTATUS_SPP);
    /* sret returns to S, SIE = SPIE, SPP = U */
    cpu->sepc = CODE + 0x10;
    exec1(SRET);
    assert_int_equal(cpu->priv, PRV_S);
    assert_int_equal(cpu->pc, CODE + 0x10);
    assert_false(cpu->mstatus & MSTATUS_SPP);
    /* in M nothing is delegated */
    cpu->priv = PRV_M;
    exec1(EBREAK);
    assert_trap(EXC_BREAKPOINT, 0, CODE + 0x10);
}

static void test_vectored_mtvec(void **state)
{
    cpu->mtvec = MTVEC | 1;
    exec1(ECALL); /* exceptions use BASE */
    assert_int_equal(cpu->pc, MTVEC);
    cpu->mstatus |= MSTATUS_MIE;
    cpu->mie = MIP_MSIP;
    riscv_hart_set_mip(cpu, MIP_MSIP, true);
    riscv_hart_step(cpu);
    assert_int_equal(cpu->pc, MTVEC + 4 * IRQ_M_SOFT);
    assert_int_equal(cpu->mcause, (1ull << 63) | IRQ_M_SOFT);
    assert_int_equal(cpu->mepc, MTVEC);
}

/* ---- interrupts ---- */

static void test_interrupt_priority(void **state)
{
    cpu->mstatus |= MSTATUS_MIE;
    cpu->mie = 0xAAA;
    riscv_hart_set_mip(cpu, MIP_MTIP | MIP_MSIP | MIP_MEIP, true);
    riscv_hart_step(cpu);
    assert_int_equal(cpu->mcause, (1ull << 63) | IRQ_M_EXT);
    cpu->mstatus |= MSTATUS_MIE;
    riscv_hart_set_mip(cpu, MIP_MEIP, false);
    riscv_hart_step(cpu);
    assert_int_equal(cpu->mcause, (1ull << 63) | IRQ_M_SOFT);
    cpu->mstatus |= MSTATUS_MIE;
    riscv_hart_set_mip(cpu, MIP_MSIP, false);
    riscv_hart_step(cpu);
    assert_int_equal(cpu->mcause, (1ull << 63) | IRQ_M_TIMER);
    /* S-level: SEI > SSI > STI (spec order, not QEMU's lowest bit) */
    riscv_hart_set_mip(cpu, MIP_MTIP, false);
    cpu->mip_sw = MIP_SSIP | MIP_STIP | MIP_SEIP;
    riscv_hart_set_mip(cpu, 0, false);
    cpu->priv = PRV_U;
    riscv_hart_step(cpu);
    assert_int_equal(cpu->mcause, (1ull << 63) | IRQ_S_EXT);
    cpu->mip_sw = MIP_SSIP | MIP_STIP;
    riscv_hart_set_mip(cpu, 0, false);
    cpu->priv = PRV_U;
    riscv_hart_step(cpu);
    assert_int_equal(cpu->mcause, (1ull << 63) | IRQ_S_SOFT);
}

static void test_interrupt_delegation(void **state)
{
    cpu->mideleg = 0x222;
    cpu->mie = 0xAAA;
    cpu->mstatus |= MSTATUS_MIE | MSTATUS_SIE;
    riscv_hart_set_mip(cpu, MIP_STIP, true);
    /* delegated: never taken in M, even with MIE */
    exec1(ADDI(0, 0, 0));
    assert_false(cpu->trapped);
    assert_int_equal(cpu->pc, CODE + 4);
    /* in S with SIE=0: not taken; in U: taken to S */
    cpu->priv = PRV_S;
    cpu->mstatus &= ~MSTATUS_SIE;
    exec1(ADDI(0, 0, 0));
    assert_false(cpu->trapped);
    cpu->priv = PRV_U;
    riscv_hart_step(cpu);
    assert_true(cpu->trapped);
    assert_int_equal(cpu->priv, PRV_S);
    assert_int_equal(cpu->scause, (1ull << 63) | IRQ_S_TIMER);
    assert_int_equal(cpu->pc, STVEC);
    /* M-level interrupt taken in S whatever MIE says */
    riscv_hart_set_mip(cpu, MIP_STIP, false);
    cpu->mstatus &= ~MSTATUS_MIE;
    riscv_hart_set_mip(cpu, MIP_MTIP, true);
    riscv_hart_step(cpu);
    assert_int_equal(cpu->priv, PRV_M);
    assert_int_equal(cpu->mcause, (1ull << 63) | IRQ_M_TIMER);
    assert_int_equal(cpu->mstatus & MSTATUS_MPP, 1ull << 11);
}

static void test_mie_enable_traps_before_next(void **state)
{
    cpu->mie = MIP_MTIP;
    riscv_hart_set_mip(cpu, MIP_MTIP, true);
    put32(CODE + 4, ADDI(1, 0, 1));
    put32(CODE, CSRRSI(0, 0x300, 8)); /* csrsi mstatus, MIE */
    assert_int_equal(riscv_hart_run(cpu, 1), 1);
    assert_int_equal(cpu->mcause, (1ull << 63) | IRQ_M_TIMER);
    assert_int_equal(cpu->mepc, CODE + 4);
    assert_int_equal(cpu->gpr[1], 0);
}

static void test_wfi_wakes_with_mie_clear(void **state)
{
    put32(CODE, WFI);
    put32(CODE + 4, ADDI(1, 0, 7));
    cpu->mie = MIP_MTIP;
    riscv_hart_step(cpu);
    assert_true(cpu->wfi);
    assert_int_equal(cpu->pc, CODE + 4);
    assert_int_equal(riscv_hart_run(cpu, 10), 0); /* asleep */
    assert_int_equal(cpu->gpr[1], 0);
    riscv_hart_set_mip(cpu, MIP_MEIP, true); /* not enabled in mie */
    assert_true(cpu->wfi);
    riscv_hart_set_mip(cpu, MIP_MTIP, true); /* pending and enabled */
    assert_false(cpu->wfi);
    assert_int_equal(riscv_hart_run(cpu, 1), 1); /* MIE=0: no trap */
    assert_int_equal(cpu->gpr[1], 7);
    assert_false(cpu->has_trapped);
    /* WFI with an enabled interrupt already pending does not sleep */
    cpu->pc = CODE;
    riscv_hart_step(cpu);
    assert_false(cpu->wfi);
}

static void test_mip_seip_software_and_line(void **state)
{
    uint64_t v;

    riscv_hart_set_mip(cpu, MIP_SEIP, true); /* PLIC S-context line */
    assert_true(riscv_csr_read_debug(cpu, 0x344, &v));
    assert_int_equal(v, MIP_SEIP);
    cpu->gpr[6] = MIP_SSIP;
    exec1(CSRRS(0, 0x344, 6)); /* csrs mip, SSIP */
    riscv_hart_set_mip(cpu, MIP_SEIP, false);
    assert_true(riscv_csr_read_debug(cpu, 0x344, &v));
    assert_int_equal(v, MIP_SSIP); /* the line level was not copied */
    cpu->gpr[6] = MIP_MTIP | MIP_MSIP | MIP_MEIP;
    exec1(CSRRS(0, 0x344, 6)); /* M bits are not writable */
    assert_true(riscv_csr_read_debug(cpu, 0x344, &v));
    assert_int_equal(v, MIP_SSIP);
}

static void test_sstc_drives_stip(void **state)
{
    uint64_t v;

    cpu->menvcfg = 1ull << 63;
    assert_true(riscv_csr_write_debug(cpu, 0x14d, 0)); /* stimecmp = 0 */
    assert_true(riscv_csr_read_debug(cpu, 0x344, &v));
    assert_int_equal(v & MIP_STIP, MIP_STIP);
    assert_true(riscv_csr_write_debug(cpu, 0x14d, UINT64_MAX));
    assert_true(riscv_csr_read_debug(cpu, 0x344, &v));
    assert_int_equal(v & MIP_STIP, 0);
    cpu->gpr[6] = MIP_STIP; /* read-only while STCE = 1 */
    exec1(CSRRS(0, 0x344, 6));
    assert_true(riscv_csr_read_debug(cpu, 0x344, &v));
    assert_int_equal(v & MIP_STIP, 0);
    /* the timer raises STIP when time reaches stimecmp (100 ns/tick) */
    assert_true(riscv_csr_write_debug(cpu, 0x14d, 10));
    clock_advance_to(999);
    assert_int_equal(cpu->mip & MIP_STIP, 0);
    clock_advance_to(1000);
    assert_int_equal(cpu->mip & MIP_STIP, MIP_STIP);
    /* from S: needs mcounteren.TM and STCE */
    cpu->priv = PRV_S;
    exec1(CSRRS(5, 0x14d, 0));
    assert_true(cpu->trapped);
    cpu->pc = CODE;
    cpu->priv = PRV_S;
    cpu->mcounteren = 2;
    exec1(CSRRS(5, 0x14d, 0));
    assert_false(cpu->trapped);
    assert_int_equal(cpu->gpr[5], 10);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_reset_state),
        T(test_div_rem_corner_cases),
        T(test_mul_high),
        T(test_w_forms_sign_extend),
        T(test_shifts),
        T(test_slt_and_x0),
        T(test_lui_auipc),
        T(test_zb_samples),
        T(test_jal_jalr_link),
        T(test_rvc_jumps_link_pc_plus_2),
        T(test_branches),
        T(test_load_extension),
        T(test_code_changes_are_seen),
        T(test_block_write_by_bus_drops_it),
        T(test_block_store_into_itself),
        T(test_block_keyed_by_physical_address),
        T(test_fetch_straddles_end_of_ram),
        T(test_illegal_tval),
        T(test_lr_sc_rules),
        T(test_lr_sc_sign_extends_w),
        T(test_every_amo),
        T(test_atomics_misaligned_trap),
        T(test_amo_unmapped_is_store_fault),
        T(test_csr_missing_is_illegal),
        T(test_csr_read_only),
        T(test_csr_privilege),
        T(test_csr_counteren),
        T(test_csr_tvm_tw_tsr),
        T(test_csr_fp_gated_by_fs),
        T(test_csr_warl),
        T(test_csr_pmp),
        T(test_counters_count_retired),
        T(test_csr_by_name),
        T(test_ecall_to_m_and_mret),
        T(test_delegated_exception_to_s),
        T(test_vectored_mtvec),
        T(test_interrupt_priority),
        T(test_interrupt_delegation),
        T(test_mie_enable_traps_before_next),
        T(test_wfi_wakes_with_mie_clear),
        T(test_mip_seip_software_and_line),
        T(test_sstc_drives_stip),
    };

    return cmocka_run_group_tests_name("exec", tests, NULL, NULL);
}
