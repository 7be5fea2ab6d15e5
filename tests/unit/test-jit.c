/* SPDX-License-Identifier: MIT */
/*
 * Differential tests of the block compiler (JIT): random guest programs run
 * from identical initial state with riscv_jit_set_enabled(false) and (true)
 * must end in identical states (registers, pc, privilege, retired count,
 * trap CSRs, data and code bytes), after riscv_hart_run and again after a
 * riscv_hart_run_slice.  A third run single-steps the same program
 * (riscv_hart_step, no decoded blocks) as a reference for both.  Where the
 * JIT is not available both block runs interpret, so the test then checks
 * the block interpreter against stepping; each outcome is also checked to
 * be plausible (the program reached its final spin loop with the whole
 * budget retired, or trapped at a faulting access into the spinning trap
 * vector).  Directed cases pin corner cases (shift amounts, sign
 * extension, a 1000-iteration loop, a store into the running block).
 *
 * Blocks are compiled only once they are hot (have run a few times), so a
 * program's body of forward-only code (every RV64IM/Zba/Zbb/Zbc/Zbs
 * register op of the .def tables, loads and stores, branches, jal, jalr,
 * compressed instructions, CSR accesses, fences) repeats ITERS times,
 * counted down in x29.  Faults, FENCE.I and most stores into the code are
 * gated on x29 so that they may first happen in a late repeat, in blocks
 * that are compiled by then.
 *
 * Layout: 64 KiB of RAM at 0x80000000; code at its start, the trap vector
 * (`jal x0, 0`) at +0x4000, random data at +0x8000..+0xbfff.  x31 points
 * at +0x9000 (base of loads and stores) and x30 at the code (base of
 * self-modifying stores); neither is ever written, nor is x29.  Set
 * TEST_JIT_SEED to run (and list) one seed only.
 */
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emu/clock.h"
#include "emu/device.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "target/riscv/cpu.h"
#include "target/riscv/disas.h"
#include "target/riscv/insn.h"
#include "tests/unit/riscv-encode.h"

#define RAM_BASE  0x80000000ull
#define RAM_SIZE  0x10000ull
#define CODE      RAM_BASE
#define CODE_SIZE 0x1000u /* compared after each run */
#define MTVEC     (RAM_BASE + 0x4000)
#define DATA      (RAM_BASE + 0x8000)
#define DATA_SIZE 0x4000u
#define DATA_PTR  (RAM_BASE + 0x9000) /* x31 */
#define RAM_END   (RAM_BASE + RAM_SIZE)

#define N_SEEDS      1500
#define MIN_INSNS    10
#define MAX_INSNS    200
#define MAX_SLOTS    (MAX_INSNS + 16)
#define SLACK        50 /* spins after the program's end */
#define SLICE        7
#define NO_TRAP      0xdeadull /* mcause before any trap */
#define BLOCK_INSNS  32        /* a slice overruns by fewer than this */
#define ITERS        8         /* body repeats: more than the JIT's hot count */
#define JIT_HOT      4         /* blocks compile at their 4th start here */
#define REG_ITER     29        /* counts the repeats down */
#define REG_CODE_PTR 30
#define REG_DATA_PTR 31

/* ---- encoders (enc_r..enc_j: tests/unit/riscv-encode.h) ---- */

static uint32_t enc_u(uint32_t imm20, unsigned rd, unsigned op)
{
    return (imm20 << 12) | (rd << 7) | op;
}

#define ADDI(rd, rs1, imm)       enc_i((imm), (rs1), 0, (rd), 0x13)
#define ADDIW(rd, rs1, imm)      enc_i((imm), (rs1), 0, (rd), 0x1b)
#define SLTI(rd, rs1, imm)       enc_i((imm), (rs1), 2, (rd), 0x13)
#define SLTIU(rd, rs1, imm)      enc_i((imm), (rs1), 3, (rd), 0x13)
#define SLLI(rd, rs1, sh)        enc_i((sh), (rs1), 1, (rd), 0x13)
#define SRLI(rd, rs1, sh)        enc_i((sh), (rs1), 5, (rd), 0x13)
#define SRAI(rd, rs1, sh)        enc_i(0x400 | (sh), (rs1), 5, (rd), 0x13)
#define SLLIW(rd, rs1, sh)       enc_i((sh), (rs1), 1, (rd), 0x1b)
#define SRLIW(rd, rs1, sh)       enc_i((sh), (rs1), 5, (rd), 0x1b)
#define SRAIW(rd, rs1, sh)       enc_i(0x400 | (sh), (rs1), 5, (rd), 0x1b)
#define ADD(rd, a, b)            enc_r(0, (b), (a), 0, (rd), 0x33)
#define SLL(rd, a, b)            enc_r(0, (b), (a), 1, (rd), 0x33)
#define SRL(rd, a, b)            enc_r(0, (b), (a), 5, (rd), 0x33)
#define SRA(rd, a, b)            enc_r(0x20, (b), (a), 5, (rd), 0x33)
#define ADDW(rd, a, b)           enc_r(0, (b), (a), 0, (rd), 0x3b)
#define SUBW(rd, a, b)           enc_r(0x20, (b), (a), 0, (rd), 0x3b)
#define SLLW(rd, a, b)           enc_r(0, (b), (a), 1, (rd), 0x3b)
#define SRLW(rd, a, b)           enc_r(0, (b), (a), 5, (rd), 0x3b)
#define SRAW(rd, a, b)           enc_r(0x20, (b), (a), 5, (rd), 0x3b)
#define LOAD(f3, rd, off, rs1)   enc_i((off), (rs1), (f3), (rd), 0x03)
#define STORE(f3, rs2, off, rs1) enc_s((off), (rs2), (rs1), (f3))
#define SW(rs2, off, rs1)        enc_s((off), (rs2), (rs1), 2)
#define BNE(a, b, off)           enc_b((off), (b), (a), 1)
#define CSRRS(rd, csr, rs1)      enc_i((csr), (rs1), 2, (rd), 0x73)
#define CSRRW(rd, csr, rs1)      enc_i((csr), (rs1), 1, (rd), 0x73)
#define CSRRC(rd, csr, rs1)      enc_i((csr), (rs1), 3, (rd), 0x73)
#define CSRRWI(rd, csr, u)       enc_i((csr), (u), 5, (rd), 0x73)
#define JAL_SELF                 enc_j(0, 0) /* jal x0, 0: spins in place */
#define FENCE                    0x0ff0000fu
#define FENCE_I                  0x0000100fu

/* Compressed (RVC) encoders; rdp/rs1p/rs2p are x8..x15 as 0..7. */

static uint16_t enc_ci(unsigned f3, int imm6, unsigned rd, unsigned op)
{
    unsigned u = (unsigned)imm6 & 0x3f;

    return (uint16_t)((f3 << 13) | ((u >> 5) << 12) | (rd << 7) |
                      ((u & 31) << 2) | op);
}

/* c.srli (f2 0), c.srai (1), c.andi (2) */
static uint16_t enc_cb_alu(unsigned f2, int imm6, unsigned rdp)
{
    unsigned u = (unsigned)imm6 & 0x3f;

    return (uint16_t)((4u << 13) | ((u >> 5) << 12) | (f2 << 10) | (rdp << 7) |
                      ((u & 31) << 2) | 1);
}

/* c.sub c.xor c.or c.and (w 0, f2 0..3), c.subw c.addw (w 1, f2 0..1) */
static uint16_t enc_ca(unsigned w, unsigned f2, unsigned rdp, unsigned rs2p)
{
    return (uint16_t)((4u << 13) | (w << 12) | (3u << 10) | (rdp << 7) |
                      (f2 << 5) | (rs2p << 2) | 1);
}

/* c.mv (add 0) and c.add (add 1) */
static uint16_t enc_cr(unsigned add, unsigned rd, unsigned rs2)
{
    return (uint16_t)((4u << 13) | (add << 12) | (rd << 7) | (rs2 << 2) | 2);
}

/* c.lw (f3 2) / c.sw (f3 6): uimm[5:3] at 12:10, uimm[2] at 6, [6] at 5 */
static uint16_t enc_cl_w(unsigned f3, unsigned uimm, unsigned rs1p, unsigned rp)
{
    return (uint16_t)((f3 << 13) | ((uimm >> 3 & 7) << 10) | (rs1p << 7) |
                      ((uimm >> 2 & 1) << 6) | ((uimm >> 6 & 1) << 5) |
                      (rp << 2));
}

/* c.ld (f3 3) / c.sd (f3 7): uimm[5:3] at 12:10, uimm[7:6] at 6:5 */
static uint16_t enc_cl_d(unsigned f3, unsigned uimm, unsigned rs1p, unsigned rp)
{
    return (uint16_t)((f3 << 13) | ((uimm >> 3 & 7) << 10) | (rs1p << 7) |
                      ((uimm >> 6 & 3) << 5) | (rp << 2));
}

static uint16_t enc_c_lwsp(unsigned rd, unsigned u)
{
    return (uint16_t)((2u << 13) | ((u >> 5 & 1) << 12) | (rd << 7) |
                      ((u >> 2 & 7) << 4) | ((u >> 6 & 3) << 2) | 2);
}

static uint16_t enc_c_ldsp(unsigned rd, unsigned u)
{
    return (uint16_t)((3u << 13) | ((u >> 5 & 1) << 12) | (rd << 7) |
                      ((u >> 3 & 3) << 5) | ((u >> 6 & 7) << 2) | 2);
}

static uint16_t enc_c_swsp(unsigned rs2, unsigned u)
{
    return (uint16_t)((6u << 13) | ((u >> 2 & 0xf) << 9) | ((u >> 6 & 3) << 7) |
                      (rs2 << 2) | 2);
}

static uint16_t enc_c_sdsp(unsigned rs2, unsigned u)
{
    return (uint16_t)((7u << 13) | ((u >> 3 & 7) << 10) | ((u >> 6 & 7) << 7) |
                      (rs2 << 2) | 2);
}

/* c.j: offset[11|4|9:8|10|6|7|3:1|5] in bits 12:2 */
static uint16_t enc_c_j(int off)
{
    unsigned o = (unsigned)off;

    return (uint16_t)((5u << 13) | ((o >> 11 & 1) << 12) |
                      ((o >> 4 & 1) << 11) | ((o >> 8 & 3) << 9) |
                      ((o >> 10 & 1) << 8) | ((o >> 6 & 1) << 7) |
                      ((o >> 7 & 1) << 6) | ((o >> 1 & 7) << 3) |
                      ((o >> 5 & 1) << 2) | 1);
}

/* c.beqz (f3 6) / c.bnez (f3 7): offset[8|4:3] rs1' offset[7:6|2:1|5] */
static uint16_t enc_c_bz(unsigned f3, unsigned rs1p, int off)
{
    unsigned o = (unsigned)off;

    return (uint16_t)((f3 << 13) | ((o >> 8 & 1) << 12) | ((o >> 3 & 3) << 10) |
                      (rs1p << 7) | ((o >> 6 & 3) << 5) | ((o >> 1 & 3) << 3) |
                      ((o >> 5 & 1) << 2) | 1);
}

#define C_NOP 0x0001u

/* ---- random numbers (xorshift64*, seeded by splitmix64) ---- */

typedef struct Rng {
    uint64_t s;
} Rng;

static void rng_seed(Rng *r, uint64_t seed)
{
    uint64_t z = seed + 0x9e3779b97f4a7c15ull;

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    r->s = (z ^ (z >> 31)) | 1;
}

static uint64_t rng_next(Rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545f4914f6cdd1dull;
}

/* Uniform-enough value in [0, n). */
static unsigned rng_below(Rng *r, unsigned n)
{
    return (unsigned)((rng_next(r) >> 32) % n);
}

static bool rng_chance(Rng *r, unsigned percent_x10)
{
    return rng_below(r, 1000) < percent_x10;
}

/* ---- the hart ---- */

typedef struct Rig {
    Device *dev;
    RiscvHart *cpu;
    MemoryRegion *ram;
} Rig;

static void rig_up(Rig *r)
{
    static bool registered;

    if (!registered) {
        object_register_types();
        device_register_types();
        type_register(&riscv_hart_class.obj);
        registered = true;
    }
    object_reset_root();
    memory_reset_for_test();
    clock_reset_for_test();
    r->ram = memory_region_new_ram(NULL, "ram", RAM_SIZE, NULL);
    assert_non_null(r->ram);
    memory_region_add_subregion(memory_system_root(), RAM_BASE, r->ram, 0);
    r->dev = device_new(TYPE_RISCV_HART, NULL);
    assert_non_null(r->dev);
    assert_true(device_realize(r->dev, NULL));
    r->cpu = RISCV_HART(r->dev);
    r->cpu->pc = CODE;
    r->cpu->mtvec = MTVEC;
    /* PMP entry 0: NAPOT over everything, RWX */
    assert_true(riscv_csr_write_debug(r->cpu, 0x3b0, UINT64_MAX));
    assert_true(riscv_csr_write_debug(r->cpu, 0x3a0, 0x1f));
}

/*
 * Puts a hart made by rig_up back into the state rig_up left it in (reset,
 * RAM zeroed): much cheaper than a new hart, whose decoded-block cache is
 * megabytes that a sanitizer build clears and poisons each time.
 */
static void rig_reset(Rig *r)
{
    g_autofree uint8_t *zero = g_malloc0(RAM_SIZE);

    riscv_hart_reset(r->cpu);
    assert_int_equal(
        address_space_write(address_space_system(), RAM_BASE, zero, RAM_SIZE),
        MEMTX_OK);
    r->cpu->pc = CODE;
    r->cpu->mtvec = MTVEC;
    assert_true(riscv_csr_write_debug(r->cpu, 0x3b0, UINT64_MAX));
    assert_true(riscv_csr_write_debug(r->cpu, 0x3a0, 0x1f));
}

static void rig_down(Rig *r)
{
    object_unref(&r->dev->obj);
    memory_region_del_subregion(memory_system_root(), r->ram);
    memory_region_free(r->ram);
    memory_reset_for_test();
}

static void put32(uint64_t addr, uint32_t v)
{
    assert_int_equal(address_space_st(address_space_system(), addr, 4, v),
                     MEMTX_OK);
}

static void put_bytes(uint64_t addr, const void *buf, size_t len)
{
    assert_int_equal(
        address_space_write(address_space_system(), addr, buf, len), MEMTX_OK);
}

static void get_bytes(uint64_t addr, void *buf, size_t len)
{
    assert_int_equal(address_space_read(address_space_system(), addr, buf, len),
                     MEMTX_OK);
}

static RiscvCodeStats code_stats(RiscvHart *cpu)
{
    RiscvCodeStats st;

    riscv_hart_code_stats(cpu, &st);
    return st;
}

/* How a run executes: blocks interpreted, blocks compiled, or stepping. */
typedef enum RunMode {
    RUN_JIT_OFF,
    RUN_JIT_ON,
    RUN_STEP,
} RunMode;

static const char *const run_mode_names[] = {"jit=off", "jit=on", "step"};

/* Switches the JIT for blocks decoded from now on. */
static void rig_set_mode(Rig *r, RunMode mode)
{
    riscv_jit_set_enabled(mode == RUN_JIT_ON);
    riscv_jit_set_hot_threshold(JIT_HOT);
    riscv_hart_flush_code(r->cpu);
}

/* Runs @budget instructions in @mode; returns the number retired. */
static uint64_t rig_run(Rig *r, RunMode mode, uint64_t budget, bool slice)
{
    uint64_t start = r->cpu->retired;

    if (mode == RUN_STEP) {
        for (uint64_t i = 0; i < budget; i++) {
            riscv_hart_step(r->cpu);
        }
        return r->cpu->retired - start;
    }
    if (slice) {
        return riscv_hart_run_slice(r->cpu, budget);
    }
    return riscv_hart_run(r->cpu, budget);
}

/* ---- state snapshots ---- */

typedef struct Snap {
    uint64_t gpr[32];
    uint64_t pc, retired, mcause, mepc, mtval, mscratch, mstatus, minstret;
    uint64_t ret; /* what the run call returned */
    uint8_t priv;
    uint8_t code[CODE_SIZE];
    uint8_t data[DATA_SIZE];
} Snap;

static void snap_take(RiscvHart *cpu, uint64_t ret, Snap *s)
{
    memcpy(s->gpr, cpu->gpr, sizeof(s->gpr));
    s->pc = cpu->pc;
    s->retired = cpu->retired;
    s->mcause = cpu->mcause;
    s->mepc = cpu->mepc;
    s->mtval = cpu->mtval;
    s->mscratch = cpu->mscratch;
    s->mstatus = cpu->mstatus;
    assert_true(riscv_csr_read_debug(cpu, 0xb02, &s->minstret));
    s->ret = ret;
    s->priv = cpu->priv;
    get_bytes(CODE, s->code, CODE_SIZE);
    get_bytes(DATA, s->data, DATA_SIZE);
}

/*
 * Compares two snapshots; on a difference prints every differing field
 * (with @what naming the runs) and returns false.
 */
static bool snap_same(const Snap *a, const Snap *b, const char *what)
{
    bool same = true;

#define SNAP_CMP(field, name)                                                  \
    do {                                                                       \
        if (a->field != b->field) {                                            \
            print_error("%s: %s differs: %#llx vs %#llx\n", what, name,        \
                        (unsigned long long)a->field,                          \
                        (unsigned long long)b->field);                         \
            same = false;                                                      \
        }                                                                      \
    } while (0)

    for (unsigned i = 0; i < 32; i++) {
        char name[8];

        snprintf(name, sizeof(name), "x%u", i);
        SNAP_CMP(gpr[i], name);
    }
    SNAP_CMP(pc, "pc");
    SNAP_CMP(priv, "priv");
    SNAP_CMP(retired, "retired");
    SNAP_CMP(ret, "returned count");
    SNAP_CMP(mcause, "mcause");
    SNAP_CMP(mepc, "mepc");
    SNAP_CMP(mtval, "mtval");
    SNAP_CMP(mscratch, "mscratch");
    SNAP_CMP(mstatus, "mstatus");
    SNAP_CMP(minstret, "minstret");
#undef SNAP_CMP
    for (unsigned i = 0; i < CODE_SIZE; i++) {
        if (a->code[i] != b->code[i]) {
            print_error("%s: code byte %#llx differs: %#x vs %#x\n", what,
                        (unsigned long long)(CODE + i), a->code[i], b->code[i]);
            same = false;
            break;
        }
    }
    for (unsigned i = 0; i < DATA_SIZE; i++) {
        if (a->data[i] != b->data[i]) {
            print_error("%s: data byte %#llx differs: %#x vs %#x\n", what,
                        (unsigned long long)(DATA + i), a->data[i], b->data[i]);
            same = false;
            break;
        }
    }
    return same;
}

/* ---- random programs ---- */

/* Integer ops of the .def tables that take only register/immediate operands */
typedef struct InsnPattern {
    const char *name;
    uint32_t match, mask;
} InsnPattern;

static const InsnPattern def_insns[] = {
#define INSN(name, fmt, match, mask, ext) {#name, match, mask},
#include "target/riscv/insn-i.def"
#include "target/riscv/insn-m.def"
#include "target/riscv/insn-zb.def"
#undef INSN
};

static const InsnPattern *alu_insns[G_N_ELEMENTS(def_insns)];
static unsigned n_alu_insns;

static void alu_table_init(void)
{
    if (n_alu_insns) {
        return;
    }
    for (unsigned i = 0; i < G_N_ELEMENTS(def_insns); i++) {
        switch (def_insns[i].match & 0x7f) {
        case 0x13: /* OP-IMM */
        case 0x1b: /* OP-IMM-32 */
        case 0x33: /* OP */
        case 0x3b: /* OP-32 */
        case 0x37: /* LUI */
        case 0x17: /* AUIPC */
            alu_insns[n_alu_insns++] = &def_insns[i];
            break;
        default:
            break;
        }
    }
}

typedef enum SlotKind {
    SLOT_ALU,    /* register/immediate op, 32-bit or compressed */
    SLOT_MEM,    /* load or store that stays in the data region */
    SLOT_FAULT,  /* load or store that faults (unmapped, end of RAM) */
    SLOT_BRANCH, /* conditional branch, jal, c.j, c.beqz/c.bnez */
    SLOT_JALR,   /* jalr of an auipc/jalr pair */
    SLOT_SMC,    /* sw of an instruction word into the code ahead */
    SLOT_OTHER,  /* csr, fence, sequence set-up */
    SLOT_SPIN,   /* the final jal x0, 0 */
} SlotKind;

typedef enum FixKind {
    FIX_NONE,
    FIX_B,    /* 32-bit branch: offset to the target */
    FIX_J,    /* jal */
    FIX_CJ,   /* c.j */
    FIX_CB,   /* c.beqz / c.bnez */
    FIX_JALR, /* jalr: offset from the auipc before it */
    FIX_SMC,  /* sw: offset from x30 of a patchable slot */
} FixKind;

typedef struct Slot {
    uint32_t bits; /* the instruction, or a 16-bit parcel */
    uint64_t addr;
    uint8_t len;
    uint8_t kind;
    uint8_t fix;
    bool target_ok; /* may be jumped to (not inside a sequence) */
    bool patchable; /* self-modifying stores may overwrite it */
} Slot;

typedef struct Prog {
    uint64_t seed;
    Slot slot[MAX_SLOTS];
    unsigned n;   /* slots before the spin loop */
    uint64_t end; /* address of the spin loop */
    uint64_t gpr[32];
    uint64_t mscratch;
    uint8_t data[DATA_SIZE];
} Prog;

static Slot *prog_add(Prog *p, uint32_t bits, unsigned len, SlotKind kind)
{
    Slot *s = &p->slot[p->n];
    uint64_t addr =
        p->n ? p->slot[p->n - 1].addr + p->slot[p->n - 1].len : CODE;

    g_assert(p->n < MAX_SLOTS);
    *s = (Slot){
        .bits = bits,
        .addr = addr,
        .len = (uint8_t)len,
        .kind = (uint8_t)kind,
        .fix = FIX_NONE,
        .target_ok = true,
        /* only single instructions whose operands need no set-up */
        .patchable = len == 4 && (addr & 3) == 0 && kind != SLOT_OTHER &&
                     kind != SLOT_SPIN,
    };
    p->n++;
    return s;
}

/* Marks slot @s as the continuation of a sequence. */
static Slot *in_seq(Slot *s)
{
    s->target_ok = false;
    s->patchable = false;
    return s;
}

/* A register the program may write (x0 sometimes, never x30/x31). */
static unsigned rand_rd(Rng *r)
{
    return rng_chance(r, 50) ? 0 : 1 + rng_below(r, REG_ITER - 1);
}

static unsigned rand_rd_nonzero(Rng *r)
{
    return 1 + rng_below(r, REG_ITER - 1);
}

static unsigned rand_rs(Rng *r)
{
    return rng_below(r, 32);
}

static uint32_t set_rd(uint32_t insn, unsigned rd)
{
    return (insn & ~(31u << 7)) | (rd << 7);
}

/* A random instance of one of the .def register/immediate ops. */
static uint32_t rand_alu32(Rng *r, unsigned rd)
{
    const InsnPattern *p = alu_insns[rng_below(r, n_alu_insns)];
    uint32_t insn = p->match | ((uint32_t)rng_next(r) & ~p->mask);
    unsigned op = insn & 0x7f, f3 = insn >> 12 & 7;

    if ((op == 0x13 || op == 0x1b) && rng_chance(r, 250)) {
        static const int imms[] = {0, 1, -1, 2047, -2048, 31, 32, 63};
        static const unsigned shamts[] = {0, 1, 31, 32, 63};

        if (f3 == 1 || f3 == 5) {
            /* shift immediates: only the shamt bits the mask leaves free */
            uint32_t free = ~p->mask & (0x3fu << 20);
            uint32_t sh = shamts[rng_below(r, G_N_ELEMENTS(shamts))];

            insn = (insn & ~free) | ((sh << 20) & free);
        } else if ((p->mask & 0xfff00000u) == 0) {
            uint32_t imm = (uint32_t)imms[rng_below(r, G_N_ELEMENTS(imms))];

            insn = (insn & 0x000fffffu) | (imm << 20);
        }
    }
    return set_rd(insn, rd);
}

/* A compressed register/immediate op (never writes x30/x31). */
static uint16_t rand_alu16(Rng *r)
{
    unsigned rd = rand_rd_nonzero(r), rdp = rng_below(r, 8),
             rs2p = rng_below(r, 8);
    int imm = (int)rng_below(r, 63) - 31; /* -31..31 */
    unsigned sh = 1 + rng_below(r, 63);

    if (imm == 0) {
        imm = 1;
    }
    switch (rng_below(r, 12)) {
    case 0:
        return enc_ci(0, imm, rd, 1); /* c.addi */
    case 1:
        return enc_ci(1, imm, rd, 1); /* c.addiw */
    case 2:
        return enc_ci(2, imm, rd, 1); /* c.li */
    case 3:
        return enc_ci(3, imm, rd == 2 ? 3 : rd, 1); /* c.lui */
    case 4:
        return enc_ci(0, (int)sh, rd, 2); /* c.slli */
    case 5:
        return enc_cb_alu(0, (int)sh, rdp); /* c.srli */
    case 6:
        return enc_cb_alu(1, (int)sh, rdp); /* c.srai */
    case 7:
        return enc_cb_alu(2, imm, rdp); /* c.andi */
    case 8:
        return enc_ca(0, rng_below(r, 4), rdp, rs2p); /* c.sub/xor/or/and */
    case 9:
        return enc_ca(1, rng_below(r, 2), rdp, rs2p); /* c.subw/addw */
    case 10:
        return enc_cr(0, rd, 1 + rng_below(r, 31)); /* c.mv */
    default:
        return enc_cr(1, rd, 1 + rng_below(r, 31)); /* c.add */
    }
}

/* Offset from x31 for an access of @size inside the data region. */
static int rand_data_off(Rng *r, unsigned size)
{
    int off = (int)rng_below(r, 4096) - 2048;

    if (off > 2048 - (int)size) {
        off = 2048 - (int)size;
    }
    if (!rng_chance(r, 120)) {
        off &= ~(int)(size - 1); /* aligned, mostly */
    }
    return off;
}

static void gen_mem(Prog *p, Rng *r)
{
    static const unsigned load_f3[] = {0, 1, 2, 3, 4, 5, 6};
    unsigned f3, size;
    bool store = rng_chance(r, 450);

    if (store) {
        f3 = rng_below(r, 4);
    } else {
        f3 = load_f3[rng_below(r, G_N_ELEMENTS(load_f3))];
    }
    size = 1u << (f3 & 3);
    if (store) {
        prog_add(p, STORE(f3, rand_rs(r), rand_data_off(r, size), REG_DATA_PTR),
                 4, SLOT_MEM);
    } else {
        prog_add(p, LOAD(f3, rand_rd(r), rand_data_off(r, size), REG_DATA_PTR),
                 4, SLOT_MEM);
    }
}

/* A compressed load/store after setting its base register in the data. */
static void gen_mem16(Prog *p, Rng *r)
{
    unsigned kind = rng_below(r, 8), rp = rng_below(r, 8);
    unsigned basep = rng_below(r, 8), rd = rand_rd_nonzero(r);
    unsigned uimm = rng_below(r, 256);
    int off0 = (int)rng_below(r, 3000) - 2048;
    uint16_t c;

    if (kind >= 4) {
        prog_add(p, ADDI(2, REG_DATA_PTR, off0), 4, SLOT_OTHER);
    } else {
        prog_add(p, ADDI(8 + basep, REG_DATA_PTR, off0), 4, SLOT_OTHER);
    }
    switch (kind) {
    case 0:
        c = enc_cl_w(2, uimm & 0x7c, basep, rp); /* c.lw */
        break;
    case 1:
        c = enc_cl_w(6, uimm & 0x7c, basep, rp); /* c.sw */
        break;
    case 2:
        c = enc_cl_d(3, uimm & 0xf8, basep, rp); /* c.ld */
        break;
    case 3:
        c = enc_cl_d(7, uimm & 0xf8, basep, rp); /* c.sd */
        break;
    case 4:
        c = enc_c_lwsp(rd == 2 ? 3 : rd, uimm & 0xfc); /* c.lwsp */
        break;
    case 5:
        c = enc_c_swsp(rand_rs(r), uimm & 0xfc); /* c.swsp */
        break;
    case 6:
        c = enc_c_ldsp(rd == 2 ? 3 : rd, (uimm << 1) & 0x1f8); /* c.ldsp */
        break;
    default:
        c = enc_c_sdsp(rand_rs(r), (uimm << 1) & 0x1f8); /* c.sdsp */
        break;
    }
    in_seq(prog_add(p, c, 2, SLOT_MEM));
}

/*
 * t = 1 from a random repeat of the body on (x29 < k, k in 2..ITERS+1;
 * ITERS+1: the first), else 0: a sequence's first slot.  Faults and code
 * patches wait for it, so they also hit blocks already hot (compiled).
 */
static void gen_late(Prog *p, Rng *r, unsigned t)
{
    prog_add(p, SLTIU(t, REG_ITER, 2 + (int)rng_below(r, ITERS)), 4,
             SLOT_OTHER);
}

/* Marks @s as a store into the code (its offset is fixed later) */
static void smc_store(Slot *s)
{
    s->fix = FIX_SMC;
}

/* Two distinct temporaries */
static void rand_temps(Rng *r, unsigned *t, unsigned *u)
{
    *t = rand_rd_nonzero(r);
    do {
        *u = rand_rd_nonzero(r);
    } while (*u == *t);
}

/*
 * A load or store of the data region that, from a late repeat on, faults:
 * its base becomes 0 (unmapped low addresses, or the top 2 KiB of the
 * address space) or the end of RAM (the access straddles or is past it).
 */
static void gen_fault(Prog *p, Rng *r)
{
    bool store = rng_chance(r, 500);
    unsigned f3 = rng_below(r, 4), size = 1u << f3;
    unsigned t, u;
    int off;
    Slot *s;

    rand_temps(r, &t, &u);
    gen_late(p, r, t);
    if (rng_chance(r, 500)) {
        /* t = late ? 0 : x31 */
        in_seq(prog_add(p, ADDI(t, t, -1), 4, SLOT_OTHER));
        in_seq(prog_add(p, enc_r(0, REG_DATA_PTR, t, 7, t, 0x33), 4,
                        SLOT_OTHER)); /* and */
        off = (int)rng_below(r, 4096) - 2048;
    } else {
        /* t = x31 + (late ? 0x7000 : 0): 0x80010000, the end of RAM */
        in_seq(prog_add(p, enc_r(0x20, t, 0, 0, t, 0x33), 4,
                        SLOT_OTHER)); /* sub t, x0, t */
        in_seq(prog_add(p, enc_u(0x7, u, 0x37), 4, SLOT_OTHER));
        in_seq(prog_add(p, enc_r(0, u, t, 7, t, 0x33), 4, SLOT_OTHER));
        in_seq(prog_add(p, ADD(t, t, REG_DATA_PTR), 4, SLOT_OTHER));
        off = size == 1 ? 0 : -(int)(1 + rng_below(r, size - 1));
    }
    if (store) {
        s = prog_add(p, STORE(f3, rand_rs(r), off, t), 4, SLOT_FAULT);
    } else {
        s = prog_add(p, LOAD(f3, rand_rd(r), off, t), 4, SLOT_FAULT);
    }
    in_seq(s);
}

static void gen_branch(Prog *p, Rng *r)
{
    static const unsigned f3s[] = {0, 1, 4, 5, 6, 7};
    unsigned rs1 = rand_rs(r), rs2 = rng_chance(r, 100) ? rs1 : rand_rs(r);
    Slot *s;

    switch (rng_below(r, 10)) {
    case 0:
        s = prog_add(p, enc_j(0, rand_rd(r)), 4, SLOT_BRANCH);
        s->fix = FIX_J;
        break;
    case 1:
        s = prog_add(p, enc_c_j(0), 2, SLOT_BRANCH);
        s->fix = FIX_CJ;
        break;
    case 2:
        s = prog_add(p, enc_c_bz(6 + rng_below(r, 2), rng_below(r, 8), 0), 2,
                     SLOT_BRANCH);
        s->fix = FIX_CB;
        break;
    default:
        s = prog_add(p, enc_b(0, rs2, rs1, f3s[rng_below(r, 6)]), 4,
                     SLOT_BRANCH);
        s->fix = FIX_B;
        break;
    }
}

static void gen_jalr(Prog *p, Rng *r)
{
    unsigned t = rand_rd_nonzero(r);
    Slot *s;

    prog_add(p, enc_u(0, t, 0x17), 4, SLOT_OTHER)->patchable =
        false; /* auipc */
    s = in_seq(prog_add(p, enc_i(0, t, 0, rand_rd(r), 0x67), 4, SLOT_JALR));
    s->fix = FIX_JALR;
}

/*
 * w = an instruction word (lui + addiw); sw w into a slot further on, from
 * a late repeat on (before that, into the data: base x31 instead of x30).
 */
static void gen_smc(Prog *p, Rng *r)
{
    unsigned t, u, w;
    uint32_t word = rand_alu32(r, rand_rd(r));
    uint32_t hi = (word + 0x800) >> 12;
    int32_t lo = (int32_t)(word - (hi << 12));

    rand_temps(r, &t, &u);
    do {
        w = rand_rd_nonzero(r);
    } while (w == t || w == u);
    if (rng_chance(r, 250)) {
        /* in every repeat: sw w, off(x30) */
        prog_add(p, enc_u(hi & 0xfffff, w, 0x37), 4, SLOT_OTHER);
        in_seq(prog_add(p, ADDIW(w, w, lo), 4, SLOT_OTHER));
        smc_store(in_seq(prog_add(p, SW(w, 0, REG_CODE_PTR), 4, SLOT_SMC)));
        return;
    }
    gen_late(p, r, t);
    /* t = x31 - (late ? 0x9000 : 0): x30 (the code) when late */
    in_seq(prog_add(p, enc_r(0x20, t, 0, 0, t, 0x33), 4, SLOT_OTHER));
    in_seq(prog_add(p, enc_u(0x9, u, 0x37), 4, SLOT_OTHER));
    in_seq(prog_add(p, enc_r(0, u, t, 7, t, 0x33), 4, SLOT_OTHER));
    in_seq(prog_add(p, enc_r(0x20, t, REG_DATA_PTR, 0, t, 0x33), 4,
                    SLOT_OTHER)); /* sub t, x31, t */
    in_seq(prog_add(p, enc_u(hi & 0xfffff, w, 0x37), 4, SLOT_OTHER));
    in_seq(prog_add(p, ADDIW(w, w, lo), 4, SLOT_OTHER));
    smc_store(in_seq(prog_add(p, SW(w, 0, t), 4, SLOT_SMC)));
}

/* FENCE.I (drops every block) from a late repeat on, else skipped */
static void gen_fence_i(Prog *p, Rng *r)
{
    unsigned t = rand_rd_nonzero(r);

    gen_late(p, r, t);
    in_seq(prog_add(p, enc_b(8, 0, t, 0), 4, SLOT_OTHER)); /* beq t, x0 */
    in_seq(prog_add(p, FENCE_I, 4, SLOT_OTHER));
}

static void gen_csr(Prog *p, Rng *r)
{
    static const unsigned readable[] = {0x340, 0xb00, 0xb02, 0xc00, 0xc02};
    unsigned csr = readable[rng_below(r, G_N_ELEMENTS(readable))];

    switch (rng_below(r, 5)) {
    case 0:
        prog_add(p, CSRRW(rand_rd(r), 0x340, rand_rs(r)), 4, SLOT_OTHER);
        break;
    case 1:
        prog_add(p, CSRRC(rand_rd(r), 0x340, rand_rs(r)), 4, SLOT_OTHER);
        break;
    case 2:
        prog_add(p, CSRRWI(rand_rd(r), 0x340, rng_below(r, 32)), 4, SLOT_OTHER);
        break;
    default:
        prog_add(p, CSRRS(rand_rd(r), csr, 0), 4, SLOT_OTHER);
        break;
    }
}

static uint64_t rand_value(Rng *r)
{
    static const uint64_t special[] = {
        0,
        1,
        2,
        31,
        32,
        63,
        64,
        UINT64_MAX,
        UINT64_MAX - 1,
        (uint64_t)INT64_MIN,
        (uint64_t)INT64_MAX,
        0x7fffffffull,
        0x80000000ull,
        0xffffffffull,
        0xffffffff80000000ull,
        0x8000000000000001ull,
        0x00000001ffffffffull,
    };

    if (rng_chance(r, 400)) {
        return special[rng_below(r, G_N_ELEMENTS(special))];
    }
    if (rng_chance(r, 200)) {
        return rng_next(r) & 0xffff;
    }
    return rng_next(r);
}

/* Picks the target slot index for slot @i, or -1 (none in reach). */
static int pick_target(const Prog *p, unsigned i, int64_t reach,
                       bool need_patchable)
{
    int cand[MAX_SLOTS + 1];
    unsigned n = 0;
    Rng r;

    rng_seed(&r, p->seed * 1000003u + i);
    for (unsigned j = i + 1; j <= p->n; j++) {
        const Slot *t = &p->slot[j];

        if ((int64_t)(t->addr - p->slot[i].addr) > reach) {
            break;
        }
        if (need_patchable ? t->patchable : t->target_ok) {
            cand[n++] = (int)j;
        }
    }
    if (n == 0) {
        return -1;
    }
    /* nearby targets are likelier, so blocks also branch within themselves */
    if (rng_chance(&r, 500)) {
        return cand[rng_below(&r, n < 4 ? n : 4)];
    }
    return cand[rng_below(&r, n)];
}

static void prog_fixups(Prog *p)
{
    for (unsigned i = 0; i < p->n; i++) {
        Slot *s = &p->slot[i];
        int j;
        int64_t off;

        switch (s->fix) {
        case FIX_B:
        case FIX_J:
            j = pick_target(p, i, 4094, false);
            g_assert(j >= 0); /* the spin loop is always in reach */
            off = (int64_t)(p->slot[j].addr - s->addr);
            s->bits = s->fix == FIX_B
                          ? enc_b((int32_t)off, s->bits >> 20 & 31,
                                  s->bits >> 15 & 31, s->bits >> 12 & 7)
                          : enc_j((int32_t)off, s->bits >> 7 & 31);
            break;
        case FIX_CJ:
            j = pick_target(p, i, 2046, false);
            g_assert(j >= 0);
            s->bits = enc_c_j((int)(p->slot[j].addr - s->addr));
            break;
        case FIX_CB:
            j = pick_target(p, i, 254, false);
            if (j < 0) {
                s->bits = C_NOP;
            } else {
                s->bits = enc_c_bz(s->bits >> 13 & 7, s->bits >> 7 & 7,
                                   (int)(p->slot[j].addr - s->addr));
            }
            break;
        case FIX_JALR:
            j = pick_target(p, i, 2000, false);
            g_assert(j >= 0);
            /* from the auipc; bit 0 of the sum is ignored by jalr */
            off = (int64_t)(p->slot[j].addr - p->slot[i - 1].addr) |
                  (int64_t)(s->addr & 4 ? 1 : 0);
            s->bits = (s->bits & 0x000fffffu) | ((uint32_t)off << 20);
            break;
        case FIX_SMC:
            j = pick_target(p, i, 2000, true);
            if (j < 0) {
                /* nothing to patch: store into the data instead */
                s->bits = SW(s->bits >> 20 & 31, 0, REG_DATA_PTR);
                s->kind = SLOT_MEM;
            } else {
                s->bits =
                    SW(s->bits >> 20 & 31, (int32_t)(p->slot[j].addr - CODE),
                       s->bits >> 15 & 31);
            }
            break;
        default:
            break;
        }
    }
}

static void prog_generate(Prog *p, uint64_t seed)
{
    Rng r;
    unsigned want;

    alu_table_init();
    memset(p, 0, sizeof(*p));
    p->seed = seed;
    rng_seed(&r, seed);
    want = MIN_INSNS + rng_below(&r, MAX_INSNS - MIN_INSNS + 1);
    while (p->n < want) {
        unsigned pick = rng_below(&r, 1000);

        if (pick < 560) {
            prog_add(p, rand_alu32(&r, rand_rd(&r)), 4, SLOT_ALU);
        } else if (pick < 650) {
            prog_add(p, rand_alu16(&r), 2, SLOT_ALU);
        } else if (pick < 800) {
            gen_mem(p, &r);
        } else if (pick < 830) {
            gen_mem16(p, &r);
        } else if (pick < 900) {
            gen_branch(p, &r);
        } else if (pick < 915) {
            gen_jalr(p, &r);
        } else if (pick < 920) {
            gen_smc(p, &r);
        } else if (pick < 925) {
            gen_fence_i(p, &r);
        } else if (pick < 935) {
            prog_add(p, FENCE, 4, SLOT_OTHER);
        } else if (pick < 965) {
            gen_csr(p, &r);
        } else if (pick < 970) {
            gen_fault(p, &r);
        } else {
            prog_add(p, rand_alu32(&r, 0), 4, SLOT_ALU); /* rd = x0 */
        }
    }
    /* repeat while --x29; then the spin loop (p->n: slots before it) */
    prog_add(p, ADDI(REG_ITER, REG_ITER, -1), 4, SLOT_OTHER);
    in_seq(prog_add(p, 0, 4, SLOT_OTHER));
    p->slot[p->n - 1].bits =
        BNE(REG_ITER, 0, (int32_t)(CODE - p->slot[p->n - 1].addr));
    in_seq(prog_add(p, JAL_SELF, 4, SLOT_SPIN));
    p->n--;
    p->end = p->slot[p->n].addr;
    prog_fixups(p);

    for (unsigned i = 1; i < REG_ITER; i++) {
        p->gpr[i] = rand_value(&r);
    }
    p->gpr[REG_ITER] = ITERS;
    p->gpr[REG_CODE_PTR] = CODE;
    p->gpr[REG_DATA_PTR] = DATA_PTR;
    p->mscratch = rand_value(&r);
    for (unsigned i = 0; i < DATA_SIZE; i += 8) {
        uint64_t v = rand_value(&r);

        memcpy(&p->data[i], &v, 8);
    }
}

/* Enough to finish every repeat (each runs at most every slot once). */
static uint64_t prog_budget(const Prog *p)
{
    return (uint64_t)ITERS * p->n + SLACK;
}

static const Slot *prog_slot_at(const Prog *p, uint64_t addr)
{
    for (unsigned i = 0; i <= p->n; i++) {
        if (p->slot[i].addr == addr) {
            return &p->slot[i];
        }
    }
    return NULL;
}

static void prog_print(const Prog *p)
{
    g_autoptr(GString) line = g_string_new(NULL);

    print_message("program of seed %llu (%u instructions):\n",
                  (unsigned long long)p->seed, p->n);
    for (unsigned i = 1; i < 32; i++) {
        print_message("  x%-2u = 0x%016llx\n", i,
                      (unsigned long long)p->gpr[i]);
    }
    for (unsigned i = 0; i <= p->n; i++) {
        const Slot *s = &p->slot[i];

        g_string_truncate(line, 0);
        riscv_disas(line, s->addr, s->bits);
        print_message("  %llx: %0*x  %s\n", (unsigned long long)s->addr,
                      s->len * 2, s->bits, line->str);
    }
}

/* The program's code bytes as generated (CODE_SIZE bytes). */
static void prog_image(const Prog *p, uint8_t *image)
{
    memset(image, 0, CODE_SIZE);
    for (unsigned i = 0; i <= p->n; i++) {
        const Slot *s = &p->slot[i];

        for (unsigned b = 0; b < s->len; b++) {
            image[s->addr - CODE + b] = (uint8_t)(s->bits >> (8 * b));
        }
    }
}

/* Writes the program, its data and registers into a fresh hart. */
static void prog_load(const Prog *p, Rig *rig)
{
    RiscvHart *cpu = rig->cpu;
    uint8_t image[CODE_SIZE];

    prog_image(p, image);
    put_bytes(CODE, image, CODE_SIZE);
    put32(MTVEC, JAL_SELF);
    put_bytes(DATA, p->data, DATA_SIZE);
    memcpy(cpu->gpr, p->gpr, sizeof(cpu->gpr));
    cpu->pc = CODE;
    cpu->mscratch = p->mscratch;
    cpu->mcause = NO_TRAP;
    cpu->mepc = 0;
    cpu->mtval = 0;
}

/*
 * Runs @p in @mode on @rig's hart, reset first: riscv_hart_run(budget)
 * (riscv_hart_run_slice with @sliced: compiled blocks then link to each
 * other, and a run may end past the budget) into @after_run, then a slice of
 * SLICE into @after_slice (stepping runs
 * @slice_steps steps instead, the number the slice retired).  Returns the
 * number of blocks compiled.
 */
static uint64_t prog_run(Rig *rig, const Prog *p, RunMode mode,
                         uint64_t slice_steps, bool sliced, Snap *after_run,
                         Snap *after_slice)
{
    uint64_t ret, compiled0;

    rig_reset(rig);
    rig_set_mode(rig, mode);
    compiled0 = code_stats(rig->cpu).blocks_compiled;
    prog_load(p, rig);
    ret = rig_run(rig, mode, prog_budget(p), sliced);
    snap_take(rig->cpu, ret, after_run);
    ret = rig_run(rig, mode, mode == RUN_STEP ? slice_steps : SLICE, true);
    snap_take(rig->cpu, ret, after_slice);
    if (!riscv_jit_enabled()) {
        assert_int_equal(code_stats(rig->cpu).blocks_compiled, compiled0);
    }
    return code_stats(rig->cpu).blocks_compiled - compiled0;
}

/* Is the outcome of the jit=off run what the program can do at all? */
static bool prog_plausible(const Prog *p, const Snap *run, const Snap *slice)
{
    uint64_t budget = prog_budget(p);
    const Slot *s;

    if (run->mcause == NO_TRAP) {
        /* reached the spin loop, every instruction retired */
        if (run->pc != p->end || run->ret != budget || run->retired != budget ||
            run->minstret != budget) {
            print_error("seed %llu: no trap, but pc %#llx (end %#llx), "
                        "retired %llu of %llu\n",
                        (unsigned long long)p->seed,
                        (unsigned long long)run->pc, (unsigned long long)p->end,
                        (unsigned long long)run->ret,
                        (unsigned long long)budget);
            return false;
        }
    } else {
        /* one faulting access, then the trap vector's spin loop */
        s = prog_slot_at(p, run->mepc);
        if (run->pc != MTVEC || run->priv != PRV_M || run->ret != budget - 1 ||
            !s || s->kind != SLOT_FAULT ||
            (run->mcause != EXC_LOAD_ACCESS &&
             run->mcause != EXC_STORE_ACCESS)) {
            print_error(
                "seed %llu: trap cause %llu at %#llx, pc %#llx, "
                "retired %llu of %llu\n",
                (unsigned long long)p->seed, (unsigned long long)run->mcause,
                (unsigned long long)run->mepc, (unsigned long long)run->pc,
                (unsigned long long)run->ret, (unsigned long long)budget);
            return false;
        }
    }
    if (slice->pc != run->pc || slice->ret < SLICE ||
        slice->ret >= SLICE + BLOCK_INSNS) {
        print_error("seed %llu: slice of %u retired %llu, pc %#llx\n",
                    (unsigned long long)p->seed, SLICE,
                    (unsigned long long)slice->ret,
                    (unsigned long long)slice->pc);
        return false;
    }
    return true;
}

/* Snapshots of the three runs of one program */
typedef struct Outcome {
    Snap run[3], slice[3];
    Snap srun[2], sslice[2]; /* jit=off/on, the whole run as a slice */
    uint64_t compiled;       /* blocks the jit=on run compiled */
    bool trapped;
} Outcome;

/* Runs seed @seed three ways; true when all agree and the outcome is sane. */
static bool check_seed(Rig *rig, uint64_t seed, Prog *p, Outcome *o)
{
    char what[96];
    bool ok = true;

    prog_generate(p, seed);
    prog_run(rig, p, RUN_JIT_OFF, 0, false, &o->run[RUN_JIT_OFF],
             &o->slice[RUN_JIT_OFF]);
    o->compiled = prog_run(rig, p, RUN_JIT_ON, 0, false, &o->run[RUN_JIT_ON],
                           &o->slice[RUN_JIT_ON]);
    prog_run(rig, p, RUN_STEP, o->slice[RUN_JIT_OFF].ret, false,
             &o->run[RUN_STEP], &o->slice[RUN_STEP]);
    /* whole runs as slices: the interpreter's chaining against linking */
    for (unsigned m = RUN_JIT_OFF; m <= RUN_JIT_ON; m++) {
        prog_run(rig, p, (RunMode)m, 0, true, &o->srun[m], &o->sslice[m]);
    }
    snprintf(what, sizeof(what), "seed %llu, sliced run, jit=off vs jit=on",
             (unsigned long long)seed);
    ok &= snap_same(&o->srun[RUN_JIT_OFF], &o->srun[RUN_JIT_ON], what);
    snprintf(what, sizeof(what),
             "seed %llu, sliced run + slice, jit=off vs "
             "jit=on",
             (unsigned long long)seed);
    ok &= snap_same(&o->sslice[RUN_JIT_OFF], &o->sslice[RUN_JIT_ON], what);
    for (unsigned m = RUN_JIT_ON; m <= RUN_STEP; m++) {
        snprintf(what, sizeof(what), "seed %llu, after run, %s vs %s",
                 (unsigned long long)seed, run_mode_names[RUN_JIT_OFF],
                 run_mode_names[m]);
        ok &= snap_same(&o->run[RUN_JIT_OFF], &o->run[m], what);
        snprintf(what, sizeof(what), "seed %llu, after slice, %s vs %s",
                 (unsigned long long)seed, run_mode_names[RUN_JIT_OFF],
                 run_mode_names[m]);
        ok &= snap_same(&o->slice[RUN_JIT_OFF], &o->slice[m], what);
    }
    ok &= prog_plausible(p, &o->run[RUN_JIT_OFF], &o->slice[RUN_JIT_OFF]);
    o->trapped = o->run[RUN_JIT_OFF].mcause != NO_TRAP;
    return ok;
}

static void test_random_programs(void **state)
{
    g_autofree Prog *p = g_new0(Prog, 1);
    g_autofree Outcome *o = g_new0(Outcome, 1);
    g_autofree uint8_t *image = g_malloc0(CODE_SIZE);
    const char *only = getenv("TEST_JIT_SEED");
    uint64_t first = 1, count = N_SEEDS;
    unsigned failed = 0, trapped_count = 0, smc = 0, compiling = 0;
    bool jit;
    Rig rig;

    if (only) {
        first = g_ascii_strtoull(only, NULL, 0);
        count = 1;
    }
    rig_up(&rig);
    riscv_jit_set_enabled(true);
    jit = riscv_jit_enabled();
    for (uint64_t seed = first; seed < first + count; seed++) {
        if (!check_seed(&rig, seed, p, o)) {
            /* the first few listings are enough to go on */
            if (failed < 3) {
                prog_print(p);
            }
            failed++;
        } else if (only) {
            prog_print(p);
        }
        trapped_count += o->trapped;
        /* more than the two spin loops: the program's own blocks */
        compiling += o->compiled > 2;
        prog_image(p, image);
        smc += memcmp(image, o->run[RUN_JIT_OFF].code, CODE_SIZE) != 0;
    }
    rig_down(&rig);
    print_message("%llu programs, %u trapped, %u modified their code, "
                  "%u had blocks compiled (JIT %s)\n",
                  (unsigned long long)count, trapped_count, smc, compiling,
                  jit ? "available" : "not available");
    if (failed) {
        fail_msg("%u of %llu seeds differ or are implausible", failed,
                 (unsigned long long)count);
    }
    if (!only) {
        /* the mix must reach both endings */
        assert_true(trapped_count > count / 10);
        assert_true(trapped_count < count * 9 / 10);
        assert_true(smc > count / 20);
        /* the repeats make the programs' blocks hot enough to compile */
        assert_true(!jit || compiling > count / 2);
    }
}

/* ---- directed cases ---- */

/*
 * Runs @code (ending in a spin loop) ITERS times from pc = CODE with x1..
 * = @regs (@last instead, when not NULL, in the last run) for @budget
 * instructions each (a budget that ends inside a block runs its
 * instructions one by one, so the tests' budgets take the spin loop once),
 * in both JIT modes, so the blocks are hot by the last run; checks both end
 * states are the same and returns the jit=off one in
 * @out (ret: the last run's count).  Returns the blocks jit=on compiled.
 */
static uint64_t run_both(const uint32_t *code, unsigned n, const uint64_t *regs,
                         const uint64_t *last, unsigned nregs, uint64_t budget,
                         Snap *out)
{
    g_autofree Snap *on = g_new0(Snap, 1);
    uint64_t compiled = 0;

    for (unsigned m = RUN_JIT_OFF; m <= RUN_JIT_ON; m++) {
        Snap *s = m == RUN_JIT_OFF ? out : on;
        Rig rig;
        uint64_t ret = 0;

        rig_up(&rig);
        rig_set_mode(&rig, m);
        for (unsigned i = 0; i < n; i++) {
            put32(CODE + 4 * i, code[i]);
        }
        put32(MTVEC, JAL_SELF);
        rig.cpu->mcause = NO_TRAP;
        for (unsigned k = 0; k < ITERS; k++) {
            const uint64_t *v = k == ITERS - 1 && last ? last : regs;

            for (unsigned i = 0; i < nregs; i++) {
                rig.cpu->gpr[1 + i] = v[i];
            }
            rig.cpu->gpr[REG_DATA_PTR] = DATA;
            rig.cpu->pc = CODE;
            ret = riscv_hart_run(rig.cpu, budget);
        }
        snap_take(rig.cpu, ret, s);
        assert_int_equal(s->retired, ITERS * ret);
        if (m == RUN_JIT_ON) {
            compiled = code_stats(rig.cpu).blocks_compiled;
        }
        rig_down(&rig);
    }
    assert_true(snap_same(out, on, "directed case, jit=off vs jit=on"));
    assert_int_equal(out->mcause, NO_TRAP);
    return compiled;
}

/* When the JIT is available, the directed case's blocks were compiled. */
static void assert_compiled(uint64_t compiled)
{
    riscv_jit_set_enabled(true);
    if (riscv_jit_enabled()) {
        assert_true(compiled > 0);
    }
}

static void test_shift_amounts(void **state)
{
    const uint64_t v = 0xfedcba9887654321ull;
    const uint32_t lo = (uint32_t)v;
    /* x1 = v, x2 = 31, x3 = 32, x4 = 63, x5 = 95 (low 6 bits 31) */
    const uint64_t regs[] = {v, 31, 32, 63, 95};
    const uint32_t code[] = {
        SLLI(6, 1, 31),  SLLI(7, 1, 32),   SLLI(8, 1, 63),   SRLI(9, 1, 31),
        SRLI(10, 1, 32), SRLI(11, 1, 63),  SRAI(12, 1, 31),  SRAI(13, 1, 32),
        SRAI(14, 1, 63), SLLIW(15, 1, 31), SRLIW(16, 1, 31), SRAIW(17, 1, 31),
        SLL(18, 1, 5),   SLLW(19, 1, 3),   SRLW(20, 1, 3),   SRAW(21, 1, 2),
        SRL(22, 1, 4),   SRA(23, 1, 4),    SLLW(24, 1, 4),   SRLW(25, 1, 2),
        SRA(26, 1, 3),   SLLIW(27, 1, 0),  JAL_SELF,
    };
    g_autofree Snap *s = g_new0(Snap, 1);

    assert_compiled(run_both(code, G_N_ELEMENTS(code), regs, NULL,
                             G_N_ELEMENTS(regs), G_N_ELEMENTS(code), s));
    assert_int_equal(s->pc, CODE + 4 * (G_N_ELEMENTS(code) - 1));
    assert_int_equal(s->gpr[6], v << 31);
    assert_int_equal(s->gpr[7], v << 32);
    assert_int_equal(s->gpr[8], 0x8000000000000000ull);
    assert_int_equal(s->gpr[9], v >> 31);
    assert_int_equal(s->gpr[10], 0xfedcba98ull);
    assert_int_equal(s->gpr[11], 1);
    assert_int_equal(s->gpr[12], (uint64_t)((int64_t)v >> 31));
    assert_int_equal(s->gpr[13], 0xfffffffffedcba98ull);
    assert_int_equal(s->gpr[14], UINT64_MAX);
    assert_int_equal(s->gpr[15], 0xffffffff80000000ull); /* slliw 31 */
    assert_int_equal(s->gpr[16], 1);                     /* srliw 31 */
    assert_int_equal(s->gpr[17], UINT64_MAX);            /* sraiw 31 */
    assert_int_equal(s->gpr[18], v << 31);               /* sll by 95 */
    /* W shifts by a register use its low 5 bits: 32 shifts by 0 */
    assert_int_equal(s->gpr[19], 0xffffffff87654321ull);
    assert_int_equal(s->gpr[20], 0xffffffff87654321ull);
    assert_int_equal(s->gpr[21], UINT64_MAX);            /* sraw 31 */
    assert_int_equal(s->gpr[22], 1);                     /* srl 63 */
    assert_int_equal(s->gpr[23], UINT64_MAX);            /* sra 63 */
    assert_int_equal(s->gpr[24], 0xffffffff80000000ull); /* sllw 63 = 31 */
    assert_int_equal(s->gpr[25], 1);                     /* srlw 31 */
    assert_int_equal(s->gpr[26], 0xfedcba98ull | 0xffffffff00000000ull);
    assert_int_equal(s->gpr[27], (uint64_t)(int64_t)(int32_t)lo); /* sext.w */
}

static void test_set_less_than_minus_one(void **state)
{
    /* x1 = 5, x2 = -1, x3 = -5 */
    const uint64_t regs[] = {5, UINT64_MAX, (uint64_t)-5};
    const uint32_t code[] = {
        SLTIU(10, 1, -1), /* 5 <u 2^64-1 */
        SLTIU(11, 2, -1), /* equal: 0 */
        SLTIU(12, 0, -1), /* 0 <u 2^64-1 */
        SLTI(13, 1, -1),  /* 5 < -1: 0 */
        SLTI(14, 3, -1),  /* -5 < -1 */
        SLTIU(15, 1, 0),  /* never */
        SLTIU(16, 0, 1),  /* seqz */
        JAL_SELF,
    };
    g_autofree Snap *s = g_new0(Snap, 1);

    assert_compiled(run_both(code, G_N_ELEMENTS(code), regs, NULL,
                             G_N_ELEMENTS(regs), 8, s));
    assert_int_equal(s->gpr[10], 1);
    assert_int_equal(s->gpr[11], 0);
    assert_int_equal(s->gpr[12], 1);
    assert_int_equal(s->gpr[13], 0);
    assert_int_equal(s->gpr[14], 1);
    assert_int_equal(s->gpr[15], 0);
    assert_int_equal(s->gpr[16], 1);
    assert_int_equal(s->ret, 8);
}

static void test_addiw_overflow(void **state)
{
    /* x1 = 0x7fffffff, x2 = 0x1ffffffff, x3 = 0x80000000 */
    const uint64_t regs[] = {0x7fffffffull, 0x1ffffffffull, 0x80000000ull};
    const uint32_t code[] = {
        ADDIW(10, 1, 1),  ADDIW(11, 2, 1),     ADDW(12, 1, 1), SUBW(13, 3, 0),
        ADDIW(14, 3, -1), ADDIW(15, 0, -2048), ADDIW(0, 1, 1), JAL_SELF,
    };
    g_autofree Snap *s = g_new0(Snap, 1);

    assert_compiled(run_both(code, G_N_ELEMENTS(code), regs, NULL,
                             G_N_ELEMENTS(regs), 8, s));
    assert_int_equal(s->gpr[10], 0xffffffff80000000ull);
    assert_int_equal(s->gpr[11], 0);
    assert_int_equal(s->gpr[12], 0xfffffffffffffffeull);
    assert_int_equal(s->gpr[13], 0xffffffff80000000ull);
    assert_int_equal(s->gpr[14], 0x7fffffffull);
    assert_int_equal(s->gpr[15], (uint64_t)-2048);
    assert_int_equal(s->gpr[0], 0);
}

static void test_load_sign_extension(void **state)
{
    /* x31 = DATA holds 0x80000000; +8 0x8000; +16 0x80 (run_both) */
    const uint32_t code[] = {
        /* x1 = 0x80000000 via lui 0x80000 (sign-extends) and zero-extend */
        enc_u(0x80000, 1, 0x37),
        SLLI(1, 1, 32),
        SRLI(1, 1, 32),
        SW(1, 0, 31),
        SRLI(2, 1, 16),
        SW(2, 8, 31),
        SRLI(3, 1, 24),
        SW(3, 16, 31),
        LOAD(2, 10, 0, 31),
        LOAD(6, 11, 0, 31),
        LOAD(1, 12, 8, 31),
        LOAD(5, 13, 8, 31),
        LOAD(0, 14, 16, 31),
        LOAD(4, 15, 16, 31),
        LOAD(3, 16, 0, 31),
        LOAD(2, 17, 2, 31),
        JAL_SELF,
    };
    g_autofree Snap *s = g_new0(Snap, 1);

    assert_compiled(run_both(code, G_N_ELEMENTS(code), NULL, NULL, 0, 17, s));
    assert_int_equal(s->gpr[10], 0xffffffff80000000ull); /* lw */
    assert_int_equal(s->gpr[11], 0x80000000ull);         /* lwu */
    assert_int_equal(s->gpr[12], 0xffffffffffff8000ull); /* lh */
    assert_int_equal(s->gpr[13], 0x8000ull);             /* lhu */
    assert_int_equal(s->gpr[14], 0xffffffffffffff80ull); /* lb */
    assert_int_equal(s->gpr[15], 0x80ull);               /* lbu */
    assert_int_equal(s->gpr[16], 0x80000000ull);         /* ld */
    /* misaligned lw of 0x0000_8000 (bytes 2..5): 0x8000 in its low half */
    assert_int_equal(s->gpr[17], 0x8000ull);
    assert_int_equal(s->data[3], 0x80);
}

static void test_backward_loop(void **state)
{
    /* x1 = 1000; do { x2 += x1; x1-- } while (x1) */
    const uint32_t code[] = {
        ADDI(1, 0, 1000), ADDI(2, 0, 0), ADD(2, 2, 1),
        ADDI(1, 1, -1),   BNE(1, 0, -8), JAL_SELF,
    };
    const uint64_t budget = 2 + 3 * 1000;
    g_autofree Snap *s = g_new0(Snap, 1);

    assert_compiled(
        run_both(code, G_N_ELEMENTS(code), NULL, NULL, 0, budget, s));
    assert_int_equal(s->gpr[2], 500500);
    assert_int_equal(s->gpr[1], 0);
    assert_int_equal(s->pc, CODE + 20);
    assert_int_equal(s->ret, budget);
    assert_int_equal(s->minstret, ITERS * budget);
    /* ten more: the spin loop */
    run_both(code, G_N_ELEMENTS(code), NULL, NULL, 0, budget + 10, s);
    assert_int_equal(s->pc, CODE + 20);
    assert_int_equal(s->ret, budget + 10);
    /* one short: the last bne has not run */
    run_both(code, G_N_ELEMENTS(code), NULL, NULL, 0, budget - 1, s);
    assert_int_equal(s->pc, CODE + 16);
    assert_int_equal(s->gpr[2], 500500);
}

static void test_store_into_running_block(void **state)
{
    /*
     * x1 = DATA (the stores go to the data) until the last run, whose
     * x1 = CODE patches the block, hot (compiled) by then;
     * x2 = addi x5, x0, 7, x3 = addi x6, x0, 9
     */
    const uint64_t regs[] = {DATA, ADDI(5, 0, 7), ADDI(6, 0, 9)};
    const uint64_t last[] = {CODE, ADDI(5, 0, 7), ADDI(6, 0, 9)};
    const uint32_t code[] = {
        SW(2, 16, 1),  /* patches +16 (addi x5, x0, 1) */
        SW(3, 8, 1),   /* patches the very next instruction */
        ADDI(6, 0, 2), /* replaced by addi x6, x0, 9 */
        ADDI(7, 0, 3), /*  */
        ADDI(5, 0, 1), /* replaced by addi x5, x0, 7 */
        ADDI(8, 5, 1), /* sees the new x5 */
        JAL_SELF,
    };
    g_autofree Snap *s = g_new0(Snap, 1);

    assert_compiled(run_both(code, G_N_ELEMENTS(code), regs, last,
                             G_N_ELEMENTS(regs), 7, s));
    assert_int_equal(s->pc, CODE + 24);
    assert_int_equal(s->gpr[5], 7);
    assert_int_equal(s->gpr[6], 9);
    assert_int_equal(s->gpr[7], 3);
    assert_int_equal(s->gpr[8], 8);
    assert_int_equal(s->ret, 7);
    assert_int_equal(s->code[8], ADDI(6, 0, 9) & 0xff);
}

/* The compressed encoders above expand to what the generator intends. */
static void test_rvc_encoders(void **state)
{
    assert_int_equal(riscv_expand_compressed(enc_ci(0, -3, 5, 1)),
                     ADDI(5, 5, -3));
    assert_int_equal(riscv_expand_compressed(enc_ci(1, 31, 7, 1)),
                     ADDIW(7, 7, 31));
    assert_int_equal(riscv_expand_compressed(enc_ci(2, -32, 9, 1)),
                     ADDI(9, 0, -32));
    assert_int_equal(riscv_expand_compressed(enc_ci(0, 63, 4, 2)),
                     SLLI(4, 4, 63));
    assert_int_equal(riscv_expand_compressed(enc_cb_alu(1, 33, 2)),
                     SRAI(10, 10, 33));
    assert_int_equal(riscv_expand_compressed(enc_ca(1, 1, 3, 4)),
                     ADDW(11, 11, 12));
    assert_int_equal(riscv_expand_compressed(enc_cr(1, 20, 21)),
                     ADD(20, 20, 21));
    assert_int_equal(riscv_expand_compressed(enc_cl_w(2, 0x44, 2, 1)),
                     LOAD(2, 9, 0x44, 10));
    assert_int_equal(riscv_expand_compressed(enc_cl_d(7, 0xc8, 7, 0)),
                     STORE(3, 8, 0xc8, 15));
    assert_int_equal(riscv_expand_compressed(enc_c_lwsp(3, 0xe4)),
                     LOAD(2, 3, 0xe4, 2));
    assert_int_equal(riscv_expand_compressed(enc_c_ldsp(3, 0x1e8)),
                     LOAD(3, 3, 0x1e8, 2));
    assert_int_equal(riscv_expand_compressed(enc_c_swsp(17, 0xc4)),
                     STORE(2, 17, 0xc4, 2));
    assert_int_equal(riscv_expand_compressed(enc_c_sdsp(17, 0x1c8)),
                     STORE(3, 17, 0x1c8, 2));
    assert_int_equal(riscv_expand_compressed(enc_c_j(0x7be)), enc_j(0x7be, 0));
    assert_int_equal(riscv_expand_compressed(enc_c_bz(7, 5, 0xfe)),
                     enc_b(0xfe, 0, 13, 1));
}

/* WFI stops the run even when the blocks around it are compiled. */
static void test_wfi_stops_compiled_code(void **state)
{
    Rig rig;

    riscv_jit_set_enabled(true);
    riscv_jit_set_hot_threshold(1);
    rig_up(&rig);
    riscv_hart_flush_code(rig.cpu);
    put32(CODE, 0x10500073u);       /* wfi (mie = 0: it sleeps) */
    put32(CODE + 4, ADDI(1, 1, 1)); /* addi x1, x1, 1 */
    put32(CODE + 8, enc_j(-8, 0));  /* j CODE */
    rig.cpu->gpr[1] = 0;
    for (unsigned round = 1; round <= 4; round++) {
        rig.cpu->wfi = false;
        /* a slice (as the tcg accelerator runs): compiled blocks link */
        assert_true(riscv_hart_run_slice(rig.cpu, 50) <= 3);
        assert_true(rig.cpu->wfi);
        assert_int_equal(rig.cpu->pc, CODE + 4);
        assert_true(rig.cpu->gpr[1] <= round);
    }
    riscv_jit_set_hot_threshold(JIT_HOT);
    rig_down(&rig);
}

/* The compiler really compiles when it is available. */
static void test_jit_compiles_blocks(void **state)
{
    const uint32_t code[] = {ADDI(1, 0, 5), ADDI(1, 1, 1), JAL_SELF};
    Rig rig;
    RiscvCodeStats st;

    riscv_jit_set_enabled(true);
    riscv_jit_set_hot_threshold(JIT_HOT);
    if (!riscv_jit_enabled()) {
        print_message("JIT not available on this host\n");
        skip();
    }
    rig_up(&rig);
    riscv_hart_flush_code(rig.cpu);
    for (unsigned i = 0; i < G_N_ELEMENTS(code); i++) {
        put32(CODE + 4 * i, code[i]);
    }
    assert_int_equal(riscv_hart_run(rig.cpu, 10), 10);
    assert_int_equal(rig.cpu->gpr[1], 6);
    riscv_hart_code_stats(rig.cpu, &st);
    assert_true(st.blocks_compiled > 0);
    rig_down(&rig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rvc_encoders),
        cmocka_unit_test(test_shift_amounts),
        cmocka_unit_test(test_set_less_than_minus_one),
        cmocka_unit_test(test_addiw_overflow),
        cmocka_unit_test(test_load_sign_extension),
        cmocka_unit_test(test_backward_loop),
        cmocka_unit_test(test_store_into_running_block),
        cmocka_unit_test(test_random_programs),
        cmocka_unit_test(test_wfi_stops_compiled_code),
        cmocka_unit_test(test_jit_compiles_blocks),
    };

    if (getenv("TEST_JIT_SEED")) {
        cmocka_set_test_filter("test_random_programs");
    }
    return cmocka_run_group_tests_name("jit", tests, NULL, NULL);
}
