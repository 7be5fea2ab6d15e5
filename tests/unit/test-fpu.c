/* SPDX-License-Identifier: MIT */
/*
 * F and D: the software IEEE core (target/riscv/fpu.c) checked against the
 * values the RISC-V spec and QEMU give, every rounding mode, the flags, a
 * random cross-check against the host's IEEE arithmetic for the four modes
 * it has, and the instruction handlers run through the decoder (NaN-boxing,
 * rounding-mode legality, mstatus.FS, fflags accrual, loads and stores).
 */
#include <fenv.h>
#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "emu/memory.h"
#include "target/riscv/cpu.h"
#include "target/riscv/fpu.h"
#include "target/riscv/insn.h"

#define RAM_BASE UINT64_C(0x80000000)
#define RAM_SIZE 0x10000

/* binary32 / binary64 encodings used below */
#define S_ONE    UINT64_C(0x3f800000)
#define S_MONE   UINT64_C(0xbf800000)
#define S_TWO    UINT64_C(0x40000000)
#define S_PZERO  UINT64_C(0x00000000)
#define S_NZERO  UINT64_C(0x80000000)
#define S_PINF   UINT64_C(0x7f800000)
#define S_NINF   UINT64_C(0xff800000)
#define S_QNAN   UINT64_C(0x7fc00000)
#define S_SNAN   UINT64_C(0x7f800001)
#define S_HALF   UINT64_C(0x3f000000)
#define S_MHALF  UINT64_C(0xbf000000)
#define S_2P24P1 UINT64_C(0x4b800001) /* 2^24 + 2 */
#define D_ONE    UINT64_C(0x3ff0000000000000)
#define D_MONE   UINT64_C(0xbff0000000000000)
#define D_TWO    UINT64_C(0x4000000000000000)
#define D_THREE  UINT64_C(0x4008000000000000)
#define D_PZERO  UINT64_C(0x0000000000000000)
#define D_NZERO  UINT64_C(0x8000000000000000)
#define D_PINF   UINT64_C(0x7ff0000000000000)
#define D_NINF   UINT64_C(0xfff0000000000000)
#define D_QNAN   UINT64_C(0x7ff8000000000000)
#define D_SNAN   UINT64_C(0x7ff0000000000001)
#define D_MAX    UINT64_C(0x7fefffffffffffff)
#define D_2_5    UINT64_C(0x4004000000000000)
#define D_M2_5   UINT64_C(0xc004000000000000)
#define D_2P63   UINT64_C(0x43e0000000000000)
#define D_2P32   UINT64_C(0x41f0000000000000)
#define D_2P32M1 UINT64_C(0x41efffffffe00000)
#define BOX(s)   (UINT64_C(0xffffffff00000000) | (s))

#define NX FPU_NX
#define UF FPU_UF
#define OF FPU_OF
#define DZ FPU_DZ
#define NV FPU_NV

/*
 * Trap entry belongs to trap.c; when this test links without it, this
 * stand-in records the trap the way M-mode trap entry would.
 */
__attribute__((weak)) void riscv_raise_exception(RiscvHart *cpu, unsigned cause,
                                                 uint64_t tval)
{
    cpu->mcause = cause;
    cpu->mtval = tval;
    cpu->trapped = true;
}

/* ---- instruction encoders (unprivileged spec ch. 24 opcode map) ---- */

#define OP_FP     0x53
#define OP_LOADFP 0x07
#define OP_STFP   0x27
#define OP_FMADD  0x43
#define OP_FMSUB  0x47
#define OP_FNMSUB 0x4b
#define OP_FNMADD 0x4f

static uint32_t enc_r(unsigned funct7, unsigned rs2, unsigned rs1,
                      unsigned funct3, unsigned rd)
{
    return (funct7 << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) |
           (rd << 7) | OP_FP;
}

static uint32_t enc_r4(unsigned opcode, unsigned rs3, unsigned fmt,
                       unsigned rs2, unsigned rs1, unsigned rm, unsigned rd)
{
    return (rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) |
           (rd << 7) | opcode;
}

static uint32_t enc_load(unsigned width, unsigned rd, unsigned rs1, int imm)
{
    return ((uint32_t)(imm & 0xfff) << 20) | (rs1 << 15) | (width << 12) |
           (rd << 7) | OP_LOADFP;
}

static uint32_t enc_store(unsigned width, unsigned rs2, unsigned rs1, int imm)
{
    uint32_t u = (uint32_t)imm & 0xfff;

    return ((u >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (width << 12) |
           ((u & 31) << 7) | OP_STFP;
}

/* funct7 values of OP-FP (bit 0 = fmt D) */
#define F7_ADD    0x00
#define F7_SUB    0x04
#define F7_MUL    0x08
#define F7_DIV    0x0c
#define F7_SGNJ   0x10
#define F7_MINMAX 0x14
#define F7_CVT_SD 0x20 /* fcvt.s.d (rs2 = 1) / fcvt.d.s (0x21, rs2 = 0) */
#define F7_SQRT   0x2c
#define F7_CMP    0x50
#define F7_CVT_I  0x60 /* fcvt.{w,wu,l,lu}.fmt, rs2 = 0..3 */
#define F7_CVT_F  0x68 /* fcvt.fmt.{w,wu,l,lu} */
#define F7_MV_X   0x70 /* fmv.x.fmt (funct3 0) / fclass (funct3 1) */
#define F7_MV_F   0x78 /* fmv.fmt.x */

/* ---- fixture ---- */

typedef struct Fixture {
    RiscvHart *cpu;
    MemoryRegion *ram;
    uint8_t *host;
} Fixture;

static int setup(void **state)
{
    Fixture *f = g_new0(Fixture, 1);

    memory_reset_for_test();
    f->ram = memory_region_new_ram(NULL, "ram", RAM_SIZE, NULL);
    assert_non_null(f->ram);
    memory_region_add_subregion(memory_system_root(), RAM_BASE, f->ram, 0);
    f->host = memory_region_get_host(f->ram);

    f->cpu = g_new0(RiscvHart, 1);
    f->cpu->as = address_space_system();
    f->cpu->priv = PRV_M;
    f->cpu->xlen = 64;
    f->cpu->ext_f = true;
    f->cpu->ext_d = true;
    f->cpu->mstatus = UINT64_C(1) << 13; /* FS = Initial */
    riscv_tlb_flush(f->cpu);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;

    memory_reset_for_test();
    memory_region_free(f->ram);
    g_free(f->cpu);
    g_free(f);
    return 0;
}

/* Runs one 32-bit instruction through the decoder; true if it trapped */
static bool run(RiscvHart *cpu, uint32_t insn)
{
    const RiscvInsnDesc *d = riscv_decode(insn);

    assert_non_null(d);
    cpu->insn_bits = insn;
    cpu->insn_len = 4;
    cpu->next_pc = cpu->pc + 4;
    cpu->trapped = false;
    d->exec(cpu, insn);
    return cpu->trapped;
}

static void assert_illegal(RiscvHart *cpu, uint32_t insn)
{
    assert_true(run(cpu, insn));
    assert_int_equal(cpu->mcause, EXC_ILLEGAL_INSN);
    assert_int_equal(cpu->mtval, insn);
}

static unsigned fs(const RiscvHart *cpu)
{
    return (cpu->mstatus >> 13) & 3;
}

/* ---- core: signed zeros ---- */

static void test_fpu_signed_zeros(void **state)
{
    unsigned fl = 0;

    /* +0 + -0 = +0, except -0 when rounding down (IEEE 754 6.3) */
    assert_int_equal(fpu_add(FPU_D, D_PZERO, D_NZERO, FPU_RNE, &fl), D_PZERO);
    assert_int_equal(fpu_add(FPU_D, D_PZERO, D_NZERO, FPU_RDN, &fl), D_NZERO);
    assert_int_equal(fpu_add(FPU_S, S_NZERO, S_NZERO, FPU_RNE, &fl), S_NZERO);
    assert_int_equal(fpu_sub(FPU_S, S_NZERO, S_PZERO, FPU_RUP, &fl), S_NZERO);
    /* x - x = +0 (RDN: -0) */
    assert_int_equal(fpu_sub(FPU_D, D_THREE, D_THREE, FPU_RNE, &fl), D_PZERO);
    assert_int_equal(fpu_sub(FPU_D, D_THREE, D_THREE, FPU_RMM, &fl), D_PZERO);
    assert_int_equal(fpu_sub(FPU_D, D_THREE, D_THREE, FPU_RDN, &fl), D_NZERO);
    assert_int_equal(fpu_add(FPU_S, S_ONE, S_MONE, FPU_RDN, &fl), S_NZERO);
    /* products carry the xor of the signs */
    assert_int_equal(fpu_mul(FPU_D, D_NZERO, D_ONE, FPU_RNE, &fl), D_NZERO);
    assert_int_equal(fpu_mul(FPU_D, D_NZERO, D_MONE, FPU_RNE, &fl), D_PZERO);
    assert_int_equal(fpu_div(FPU_S, S_PZERO, S_MONE, FPU_RNE, &fl), S_NZERO);
    /* fma: (-1 * +0) + +0 = +0, RDN -0; (-1 * +0) + -0 = -0 */
    assert_int_equal(
        fpu_muladd(FPU_D, D_MONE, D_PZERO, D_PZERO, false, false, FPU_RNE, &fl),
        D_PZERO);
    assert_int_equal(
        fpu_muladd(FPU_D, D_MONE, D_PZERO, D_PZERO, false, false, FPU_RDN, &fl),
        D_NZERO);
    assert_int_equal(
        fpu_muladd(FPU_D, D_MONE, D_PZERO, D_NZERO, false, false, FPU_RNE, &fl),
        D_NZERO);
    /* fnmadd: -(1 * 0) - 0 = -0 */
    assert_int_equal(
        fpu_muladd(FPU_S, S_ONE, S_PZERO, S_PZERO, true, true, FPU_RNE, &fl),
        S_NZERO);
    /* fma exact cancellation: 1 * 1 - 1 = +0, RDN -0 */
    assert_int_equal(
        fpu_muladd(FPU_D, D_ONE, D_ONE, D_ONE, false, true, FPU_RNE, &fl),
        D_PZERO);
    assert_int_equal(
        fpu_muladd(FPU_D, D_ONE, D_ONE, D_ONE, false, true, FPU_RDN, &fl),
        D_NZERO);
    /* sqrt(-0) = -0 without NV */
    assert_int_equal(fpu_sqrt(FPU_D, D_NZERO, FPU_RNE, &fl), D_NZERO);
    /* -0 < +0 for fmin/fmax, either order */
    assert_int_equal(fpu_min(FPU_S, S_PZERO, S_NZERO, &fl), S_NZERO);
    assert_int_equal(fpu_min(FPU_S, S_NZERO, S_PZERO, &fl), S_NZERO);
    assert_int_equal(fpu_max(FPU_D, D_NZERO, D_PZERO, &fl), D_PZERO);
    assert_int_equal(fpu_max(FPU_D, D_PZERO, D_NZERO, &fl), D_PZERO);
    assert_int_equal(fl, 0);
}

/* ---- core: NaNs ---- */

static void test_fpu_nan_rules(void **state)
{
    unsigned fl = 0;

    /* sNaN + 1 -> canonical NaN, NV (QEMU: 7ff8..., x86 would give 7ffc..) */
    assert_int_equal(fpu_add(FPU_D, D_SNAN, D_ONE, FPU_RNE, &fl), D_QNAN);
    assert_int_equal(fl, NV);
    fl = 0;
    assert_int_equal(fpu_add(FPU_S, S_SNAN, S_ONE, FPU_RNE, &fl), S_QNAN);
    assert_int_equal(fl, NV);
    /* quiet NaN with payload and sign: canonical, no flag */
    fl = 0;
    assert_int_equal(
        fpu_mul(FPU_D, UINT64_C(0xfff8000000001234), D_ONE, FPU_RNE, &fl),
        D_QNAN);
    assert_int_equal(fpu_div(FPU_S, S_ONE, UINT64_C(0xffc00123), FPU_RUP, &fl),
                     S_QNAN);
    assert_int_equal(fl, 0);
    /* invalid operations */
    assert_int_equal(fpu_add(FPU_D, D_PINF, D_NINF, FPU_RNE, &fl), D_QNAN);
    assert_int_equal(fl, NV);
    fl = 0;
    assert_int_equal(fpu_mul(FPU_S, S_PINF, S_NZERO, FPU_RNE, &fl), S_QNAN);
    assert_int_equal(fl, NV);
    fl = 0;
    assert_int_equal(fpu_div(FPU_D, D_PZERO, D_NZERO, FPU_RNE, &fl), D_QNAN);
    assert_int_equal(fl, NV);
    fl = 0;
    assert_int_equal(fpu_div(FPU_D, D_NINF, D_PINF, FPU_RNE, &fl), D_QNAN);
    assert_int_equal(fl, NV);
    fl = 0;
    assert_int_equal(fpu_sqrt(FPU_S, S_MONE, FPU_RNE, &fl), S_QNAN);
    assert_int_equal(fl, NV);
    /* inf * 0 + qNaN raises NV (x86 glibc fma() does not) */
    fl = 0;
    assert_int_equal(
        fpu_muladd(FPU_D, D_PINF, D_PZERO, D_QNAN, false, false, FPU_RNE, &fl),
        D_QNAN);
    assert_int_equal(fl, NV);
    /* qNaN addend with a valid product: no flag; sNaN addend: NV */
    fl = 0;
    assert_int_equal(
        fpu_muladd(FPU_S, S_TWO, S_TWO, S_QNAN, false, false, FPU_RNE, &fl),
        S_QNAN);
    assert_int_equal(fl, 0);
    assert_int_equal(
        fpu_muladd(FPU_S, S_TWO, S_TWO, S_SNAN, false, false, FPU_RNE, &fl),
        S_QNAN);
    assert_int_equal(fl, NV);
    /* inf * 2 - inf is invalid */
    fl = 0;
    assert_int_equal(
        fpu_muladd(FPU_D, D_PINF, D_TWO, D_PINF, false, true, FPU_RNE, &fl),
        D_QNAN);
    assert_int_equal(fl, NV);
    /* fcvt.d.s of a payload qNaN -> 7ff8..., no flag; fcvt.s.d sNaN -> NV */
    fl = 0;
    assert_int_equal(
        fpu_convert(FPU_D, FPU_S, UINT64_C(0x7fc12345), FPU_RNE, &fl), D_QNAN);
    assert_int_equal(fl, 0);
    assert_int_equal(fpu_convert(FPU_S, FPU_D, D_SNAN, FPU_RNE, &fl), S_QNAN);
    assert_int_equal(fl, NV);
    /* 1 / 0 -> inf with DZ only */
    fl = 0;
    assert_int_equal(fpu_div(FPU_D, D_MONE, D_PZERO, FPU_RNE, &fl), D_NINF);
    assert_int_equal(fl, DZ);
    assert_int_equal(fpu_default_nan(FPU_S), S_QNAN);
    assert_int_equal(fpu_default_nan(FPU_D), D_QNAN);
}

/* ---- core: overflow, underflow and inexact in every rounding mode ---- */

static void test_fpu_overflow_each_mode(void **state)
{
    static const struct {
        unsigned rm;
        uint64_t pos, neg;
    } cases[] = {
        {FPU_RNE, D_PINF, D_NINF}, {FPU_RTZ, D_MAX, D_MAX | D_NZERO},
        {FPU_RDN, D_MAX, D_NINF},  {FPU_RUP, D_PINF, D_MAX | D_NZERO},
        {FPU_RMM, D_PINF, D_NINF},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        unsigned fl = 0;

        assert_int_equal(fpu_mul(FPU_D, D_MAX, D_TWO, cases[i].rm, &fl),
                         cases[i].pos);
        assert_int_equal(fl, OF | NX);
        fl = 0;
        assert_int_equal(
            fpu_mul(FPU_D, D_MAX | D_NZERO, D_TWO, cases[i].rm, &fl),
            cases[i].neg);
        assert_int_equal(fl, OF | NX);
    }
    /* single: FLT_MAX + FLT_MAX in RTZ stays at max finite */
    {
        unsigned fl = 0;

        assert_int_equal(fpu_add(FPU_S, UINT64_C(0x7f7fffff),
                                 UINT64_C(0x7f7fffff), FPU_RTZ, &fl),
                         UINT64_C(0x7f7fffff));
        assert_int_equal(fl, OF | NX);
        /* fcvt.s.d of 1e300 overflows */
        fl = 0;
        assert_int_equal(fpu_convert(FPU_S, FPU_D, UINT64_C(0x7e37e43c8800759c),
                                     FPU_RNE, &fl),
                         S_PINF);
        assert_int_equal(fl, OF | NX);
    }
}

static void test_fpu_underflow_after_rounding(void **state)
{
    /* (1 - 2^-23)(1 + 2^-23) 2^-126 = (1 - 2^-46) 2^-126 (spec 8, live) */
    uint64_t a = UINT64_C(0x3f7ffffe); /* 1 - 2^-23 */
    uint64_t b = UINT64_C(0x00800001); /* (1 + 2^-23) 2^-126 */
    static const struct {
        unsigned rm;
        uint64_t res;
        unsigned flags;
    } cases[] = {
        {FPU_RNE, 0x00800000, NX},      /* rounds up to 2^-126: not tiny */
        {FPU_RMM, 0x00800000, NX},      /* same */
        {FPU_RUP, 0x00800000, NX},      /* same */
        {FPU_RTZ, 0x007fffff, UF | NX}, /* stays subnormal */
        {FPU_RDN, 0x007fffff, UF | NX},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        unsigned fl = 0;

        assert_int_equal(fpu_mul(FPU_S, a, b, cases[i].rm, &fl), cases[i].res);
        assert_int_equal(fl, cases[i].flags);
    }
    {
        unsigned fl = 0;

        /* exact subnormal result: no flags at all */
        assert_int_equal(
            fpu_mul(FPU_S, UINT64_C(0x00000010), S_HALF, FPU_RNE, &fl),
            UINT64_C(0x00000008));
        assert_int_equal(fl, 0);
        /* 2^-1074 / 2: RNE ties to even 0 (UF|NX), RUP min subnormal */
        assert_int_equal(
            fpu_mul(FPU_D, 1, UINT64_C(0x3fe0000000000000), FPU_RNE, &fl),
            D_PZERO);
        assert_int_equal(fl, UF | NX);
        fl = 0;
        assert_int_equal(
            fpu_mul(FPU_D, 1, UINT64_C(0x3fe0000000000000), FPU_RUP, &fl), 1);
        assert_int_equal(fl, UF | NX);
        fl = 0;
        assert_int_equal(
            fpu_mul(FPU_D, 1, UINT64_C(0x3fe0000000000000), FPU_RMM, &fl), 1);
        assert_int_equal(fl, UF | NX);
        /* subnormal - subnormal stays exact */
        fl = 0;
        assert_int_equal(fpu_sub(FPU_D, 3, 1, FPU_RNE, &fl), 2);
        assert_int_equal(fl, 0);
    }
}

static void test_fpu_inexact_directed(void **state)
{
    /* 1/3 in every mode: RNE/RTZ/RDN/RMM 0x3fd5555555555555, RUP ...56 */
    static const uint64_t third[] = {
        [FPU_RNE] = UINT64_C(0x3fd5555555555555),
        [FPU_RTZ] = UINT64_C(0x3fd5555555555555),
        [FPU_RDN] = UINT64_C(0x3fd5555555555555),
        [FPU_RUP] = UINT64_C(0x3fd5555555555556),
        [FPU_RMM] = UINT64_C(0x3fd5555555555555),
    };

    for (unsigned rm = 0; rm <= FPU_RMM; rm++) {
        unsigned fl = 0;

        assert_int_equal(fpu_div(FPU_D, D_ONE, D_THREE, rm, &fl), third[rm]);
        assert_int_equal(fl, NX);
        /* -1/3: RDN rounds away from zero, RUP toward */
        fl = 0;
        assert_int_equal(fpu_div(FPU_D, D_MONE, D_THREE, rm, &fl),
                         D_NZERO |
                             (rm == FPU_RDN ? third[FPU_RUP] : third[FPU_RNE]));
        assert_int_equal(fl, NX);
    }
    {
        unsigned fl = 0;

        /* sqrt(2) single RNE 0x3fb504f3, RUP 0x3fb504f4; sqrt(4) exact */
        assert_int_equal(fpu_sqrt(FPU_S, S_TWO, FPU_RNE, &fl),
                         UINT64_C(0x3fb504f3));
        assert_int_equal(fl, NX);
        assert_int_equal(fpu_sqrt(FPU_S, S_TWO, FPU_RUP, &fl),
                         UINT64_C(0x3fb504f4));
        fl = 0;
        assert_int_equal(
            fpu_sqrt(FPU_D, UINT64_C(0x4010000000000000), FPU_RNE, &fl), D_TWO);
        assert_int_equal(fl, 0);
    }
}

/* ---- core: RMM ties away from zero ---- */

static void test_fpu_rmm_ties(void **state)
{
    unsigned fl = 0;

    /* fcvt.w.d 2.5: RMM 3, RNE 2, RDN 2, RUP 3, RTZ 2; all NX */
    assert_int_equal(fpu_to_int(FPU_D, D_2_5, 32, true, FPU_RMM, &fl), 3);
    assert_int_equal(fl, NX);
    assert_int_equal(fpu_to_int(FPU_D, D_2_5, 32, true, FPU_RNE, &fl), 2);
    assert_int_equal(fpu_to_int(FPU_D, D_2_5, 32, true, FPU_RTZ, &fl), 2);
    assert_int_equal(fpu_to_int(FPU_D, D_2_5, 32, true, FPU_RUP, &fl), 3);
    /* -2.5: RMM -3, RDN -3, RUP -2, RNE -2 */
    assert_int_equal(fpu_to_int(FPU_D, D_M2_5, 32, true, FPU_RMM, &fl),
                     (uint64_t)-3);
    assert_int_equal(fpu_to_int(FPU_D, D_M2_5, 64, true, FPU_RDN, &fl),
                     (uint64_t)-3);
    assert_int_equal(fpu_to_int(FPU_D, D_M2_5, 64, true, FPU_RUP, &fl),
                     (uint64_t)-2);
    assert_int_equal(fpu_to_int(FPU_D, D_M2_5, 32, true, FPU_RNE, &fl),
                     (uint64_t)-2);
    /* 0.5: RMM 1, RNE 0 */
    assert_int_equal(fpu_to_int(FPU_S, S_HALF, 64, true, FPU_RMM, &fl), 1);
    assert_int_equal(fpu_to_int(FPU_S, S_HALF, 64, true, FPU_RNE, &fl), 0);
    assert_int_equal(fl, NX);

    /* addition: 1 + 2^-24 is halfway between 1 and 1 + 2^-23 */
    fl = 0;
    assert_int_equal(fpu_add(FPU_S, S_ONE, UINT64_C(0x33800000), FPU_RNE, &fl),
                     S_ONE);
    assert_int_equal(fpu_add(FPU_S, S_ONE, UINT64_C(0x33800000), FPU_RMM, &fl),
                     UINT64_C(0x3f800001));
    assert_int_equal(fpu_sub(FPU_S, S_MONE, UINT64_C(0x33800000), FPU_RMM, &fl),
                     UINT64_C(0xbf800001));
    /* 1 + 2^-53 (double) */
    assert_int_equal(
        fpu_add(FPU_D, D_ONE, UINT64_C(0x3ca0000000000000), FPU_RMM, &fl),
        UINT64_C(0x3ff0000000000001));
    assert_int_equal(
        fpu_add(FPU_D, D_ONE, UINT64_C(0x3ca0000000000000), FPU_RNE, &fl),
        D_ONE);
    assert_int_equal(fl, NX);
    /* multiplication: (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24, a tie */
    assert_int_equal(fpu_mul(FPU_S, UINT64_C(0x3f800800), UINT64_C(0x3f800800),
                             FPU_RNE, &fl),
                     UINT64_C(0x3f801000));
    assert_int_equal(fpu_mul(FPU_S, UINT64_C(0x3f800800), UINT64_C(0x3f800800),
                             FPU_RMM, &fl),
                     UINT64_C(0x3f801001));
    /* integer -> float: 2^24 + 1 ties to 2^24 (RNE) or 2^24 + 2 (RMM) */
    assert_int_equal(fpu_from_int(FPU_S, 0x1000001, 32, true, FPU_RNE, &fl),
                     UINT64_C(0x4b800000));
    assert_int_equal(fpu_from_int(FPU_S, 0x1000001, 32, true, FPU_RMM, &fl),
                     S_2P24P1);
    assert_int_equal(
        fpu_from_int(FPU_S, (uint64_t)-0x1000001, 64, true, FPU_RMM, &fl),
        S_2P24P1 | S_NZERO);
    /* below a tie, RMM rounds to nearest: 1 + 2^-26 -> 1 */
    assert_int_equal(fpu_add(FPU_S, S_ONE, UINT64_C(0x32800000), FPU_RMM, &fl),
                     S_ONE);
}

/* ---- core: fused multiply-add rounds once ---- */

static void test_fpu_fma_single_rounding(void **state)
{
    /* (1 + 2^-30)(1 - 2^-30) - 1 = -2^-60 exactly; mul then add gives 0 */
    uint64_t a = UINT64_C(0x3ff0000000400000);
    uint64_t b = UINT64_C(0x3fefffffff800000);
    unsigned fl = 0;
    uint64_t p;

    assert_int_equal(fpu_muladd(FPU_D, a, b, D_ONE, false, true, FPU_RNE, &fl),
                     UINT64_C(0xbc30000000000000));
    assert_int_equal(fl, 0);
    p = fpu_mul(FPU_D, a, b, FPU_RNE, &fl);
    assert_int_equal(p, D_ONE);
    assert_int_equal(fl, NX);
    assert_int_equal(fpu_sub(FPU_D, p, D_ONE, FPU_RNE, &fl), D_PZERO);
    /* the same in single: (1 + 2^-13)(1 - 2^-13) - 1 = -2^-26 */
    fl = 0;
    assert_int_equal(fpu_muladd(FPU_S, UINT64_C(0x3f800400),
                                UINT64_C(0x3f7ff800), S_ONE, false, true,
                                FPU_RNE, &fl),
                     UINT64_C(0xb2800000));
    assert_int_equal(fl, 0);
    assert_int_equal(fpu_mul(FPU_S, UINT64_C(0x3f800400), UINT64_C(0x3f7ff800),
                             FPU_RNE, &fl),
                     S_ONE);
    assert_int_equal(fl, NX);
    fl = 0;
    assert_int_equal(fl, 0);
    /* fnmsub: -(2 * 3) + 1 = -5; fnmadd: -(2 * 3) - 1 = -7 */
    assert_int_equal(
        fpu_muladd(FPU_D, D_TWO, D_THREE, D_ONE, true, false, FPU_RNE, &fl),
        UINT64_C(0xc014000000000000));
    assert_int_equal(
        fpu_muladd(FPU_D, D_TWO, D_THREE, D_ONE, true, true, FPU_RNE, &fl),
        UINT64_C(0xc01c000000000000));
    /* a tiny addend only matters through the single rounding (RUP) */
    assert_int_equal(
        fpu_muladd(FPU_D, D_ONE, D_ONE, 1, false, false, FPU_RUP, &fl),
        UINT64_C(0x3ff0000000000001));
    assert_int_equal(fl, NX);
}

/* ---- core: float -> integer saturation ---- */

static void test_fpu_to_int_saturation(void **state)
{
    static const struct {
        FpuFmt fmt;
        uint64_t in;
        unsigned width;
        bool is_signed;
        unsigned rm;
        uint64_t out;
        unsigned flags;
    } cases[] = {
        /* the spec's table (section 8), live QEMU values */
        {FPU_S, S_QNAN, 32, true, FPU_RNE, 0x7fffffff, NV},
        {FPU_S, S_SNAN, 32, true, FPU_RNE, 0x7fffffff, NV},
        {FPU_S, S_NINF, 32, true, FPU_RNE, UINT64_C(0xffffffff80000000), NV},
        {FPU_S, S_PINF, 32, true, FPU_RNE, 0x7fffffff, NV},
        {FPU_S, S_MONE, 32, false, FPU_RNE, 0, NV},
        {FPU_S, S_MHALF, 32, false, FPU_RNE, 0, NX},
        {FPU_S, S_MHALF, 32, false, FPU_RDN, 0, NV},
        {FPU_S, S_MHALF, 64, false, FPU_RTZ, 0, NX},
        {FPU_S, S_QNAN, 32, false, FPU_RNE, UINT64_C(0xffffffffffffffff), NV},
        {FPU_S, S_PINF, 32, false, FPU_RNE, UINT64_C(0xffffffffffffffff), NV},
        {FPU_S, S_NINF, 32, false, FPU_RNE, 0, NV},
        {FPU_D, D_2P63, 64, true, FPU_RNE, UINT64_C(0x7fffffffffffffff), NV},
        {FPU_D, D_2P63, 64, false, FPU_RNE, UINT64_C(0x8000000000000000), 0},
        {FPU_D, D_2P63 | D_NZERO, 64, true, FPU_RNE,
         UINT64_C(0x8000000000000000), 0},
        {FPU_D, D_2P32, 32, false, FPU_RNE, UINT64_C(0xffffffffffffffff), NV},
        {FPU_D, D_2P32M1, 32, false, FPU_RNE, UINT64_C(0xffffffffffffffff), 0},
        {FPU_D, D_QNAN, 64, true, FPU_RNE, UINT64_C(0x7fffffffffffffff), NV},
        {FPU_D, D_QNAN, 64, false, FPU_RNE, UINT64_C(0xffffffffffffffff), NV},
        {FPU_D, D_NINF, 64, true, FPU_RNE, UINT64_C(0x8000000000000000), NV},
        {FPU_D, D_NINF, 64, false, FPU_RNE, 0, NV},
        {FPU_D, D_PINF, 64, false, FPU_RNE, UINT64_C(0xffffffffffffffff), NV},
        {FPU_D, D_MAX, 64, true, FPU_RNE, UINT64_C(0x7fffffffffffffff), NV},
        {FPU_D, D_NZERO, 64, false, FPU_RNE, 0, 0},
        /* 2147483647.5: RNE rounds out of range, RTZ stays inside */
        {FPU_D, UINT64_C(0x41dfffffffe00000), 32, true, FPU_RNE, 0x7fffffff,
         NV},
        {FPU_D, UINT64_C(0x41dfffffffe00000), 32, true, FPU_RTZ, 0x7fffffff,
         NX},
        /* -2147483648.5: RNE -> -2^31 (even), RDN out of range */
        {FPU_D, UINT64_C(0xc1e0000000100000), 32, true, FPU_RNE,
         UINT64_C(0xffffffff80000000), NX},
        {FPU_D, UINT64_C(0xc1e0000000100000), 32, true, FPU_RDN,
         UINT64_C(0xffffffff80000000), NV},
        /* 4294967295.5: WU with RUP overflows, RDN gives all ones + NX */
        {FPU_D, UINT64_C(0x41effffffff00000), 32, false, FPU_RUP,
         UINT64_C(0xffffffffffffffff), NV},
        {FPU_D, UINT64_C(0x41efffffffe00000) + 0x100000, 32, false, FPU_RDN,
         UINT64_C(0xffffffffffffffff), NX},
        /* 2^31 as WU: 0x80000000 sign-extended */
        {FPU_D, UINT64_C(0x41e0000000000000), 32, false, FPU_RNE,
         UINT64_C(0xffffffff80000000), 0},
        /* tiny values */
        {FPU_D, 1, 64, true, FPU_RUP, 1, NX},
        {FPU_D, 1 | D_NZERO, 64, true, FPU_RDN, (uint64_t)-1, NX},
        {FPU_D, 1 | D_NZERO, 64, false, FPU_RDN, 0, NV},
        {FPU_D, 1 | D_NZERO, 64, false, FPU_RNE, 0, NX},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        unsigned fl = 0;
        uint64_t r = fpu_to_int(cases[i].fmt, cases[i].in, cases[i].width,
                                cases[i].is_signed, cases[i].rm, &fl);

        if (r != cases[i].out || fl != cases[i].flags) {
            fail_msg("case %zu: got %#" PRIx64 "/%#x want %#" PRIx64 "/%#x", i,
                     r, fl, cases[i].out, cases[i].flags);
        }
    }
}

static void test_fpu_from_int(void **state)
{
    unsigned fl = 0;

    /* fcvt.s.w 2^24 + 1 -> 0x4b800000, NX (spec 8, live) */
    assert_int_equal(fpu_from_int(FPU_S, 0x1000001, 32, true, FPU_RNE, &fl),
                     UINT64_C(0x4b800000));
    assert_int_equal(fl, NX);
    fl = 0;
    /* W forms look at the low 32 bits only */
    assert_int_equal(fpu_from_int(FPU_D, UINT64_C(0x12345678ffffffff), 32, true,
                                  FPU_RNE, &fl),
                     D_MONE);
    assert_int_equal(fpu_from_int(FPU_D, UINT64_C(0x12345678ffffffff), 32,
                                  false, FPU_RNE, &fl),
                     D_2P32M1);
    assert_int_equal(fpu_from_int(FPU_D, 0, 64, true, FPU_RDN, &fl), D_PZERO);
    assert_int_equal(fl, 0);
    /* INT64_MIN is exact; UINT64_MAX rounds to 2^64 (RNE) or down (RTZ) */
    assert_int_equal(fpu_from_int(FPU_D, UINT64_C(0x8000000000000000), 64, true,
                                  FPU_RNE, &fl),
                     D_2P63 | D_NZERO);
    assert_int_equal(fl, 0);
    assert_int_equal(fpu_from_int(FPU_D, ~UINT64_C(0), 64, false, FPU_RNE, &fl),
                     UINT64_C(0x43f0000000000000));
    assert_int_equal(fpu_from_int(FPU_D, ~UINT64_C(0), 64, false, FPU_RTZ, &fl),
                     UINT64_C(0x43efffffffffffff));
    assert_int_equal(fl, NX);
}

/* ---- core: classification and comparisons ---- */

static void test_fpu_fclass_all(void **state)
{
    static const struct {
        FpuFmt fmt;
        uint64_t in;
        unsigned cls;
    } cases[] = {
        {FPU_S, S_NINF, FPU_CLASS_NEG_INF},
        {FPU_S, S_MONE, FPU_CLASS_NEG_NORMAL},
        {FPU_S, UINT64_C(0x80000001), FPU_CLASS_NEG_SUBNORMAL},
        {FPU_S, S_NZERO, FPU_CLASS_NEG_ZERO},
        {FPU_S, S_PZERO, FPU_CLASS_POS_ZERO},
        {FPU_S, UINT64_C(0x007fffff), FPU_CLASS_POS_SUBNORMAL},
        {FPU_S, S_ONE, FPU_CLASS_POS_NORMAL},
        {FPU_S, S_PINF, FPU_CLASS_POS_INF},
        {FPU_S, S_SNAN, FPU_CLASS_SNAN},
        {FPU_S, S_QNAN, FPU_CLASS_QNAN},
        {FPU_S, UINT64_C(0xffffffff), FPU_CLASS_QNAN},
        {FPU_D, D_NINF, FPU_CLASS_NEG_INF},
        {FPU_D, D_MONE, FPU_CLASS_NEG_NORMAL},
        {FPU_D, UINT64_C(0x800fffffffffffff), FPU_CLASS_NEG_SUBNORMAL},
        {FPU_D, D_NZERO, FPU_CLASS_NEG_ZERO},
        {FPU_D, D_PZERO, FPU_CLASS_POS_ZERO},
        {FPU_D, 1, FPU_CLASS_POS_SUBNORMAL},
        {FPU_D, D_MAX, FPU_CLASS_POS_NORMAL},
        {FPU_D, D_PINF, FPU_CLASS_POS_INF},
        {FPU_D, UINT64_C(0xfff7ffffffffffff), FPU_CLASS_SNAN},
        {FPU_D, D_QNAN, FPU_CLASS_QNAN},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        assert_int_equal(fpu_class(cases[i].fmt, cases[i].in), cases[i].cls);
    }
    /* the encoding is the spec's bit numbering */
    assert_int_equal(FPU_CLASS_NEG_SUBNORMAL, 0x4);
    assert_int_equal(FPU_CLASS_SNAN, 0x100);
    assert_int_equal(FPU_CLASS_QNAN, 0x200);
}

static void test_fpu_compare_nan(void **state)
{
    unsigned fl = 0;

    /* feq is quiet: qNaN -> 0 without NV, sNaN -> NV */
    assert_false(fpu_eq(FPU_D, D_QNAN, D_QNAN, &fl));
    assert_false(fpu_eq(FPU_D, D_ONE, D_QNAN, &fl));
    assert_int_equal(fl, 0);
    assert_false(fpu_eq(FPU_S, S_SNAN, S_ONE, &fl));
    assert_int_equal(fl, NV);
    /* flt / fle signal on any NaN */
    fl = 0;
    assert_false(fpu_lt(FPU_D, D_QNAN, D_ONE, &fl));
    assert_int_equal(fl, NV);
    fl = 0;
    assert_false(fpu_le(FPU_S, S_ONE, S_QNAN, &fl));
    assert_int_equal(fl, NV);
    /* -0 == +0; neither is less than the other */
    fl = 0;
    assert_true(fpu_eq(FPU_D, D_NZERO, D_PZERO, &fl));
    assert_false(fpu_lt(FPU_D, D_NZERO, D_PZERO, &fl));
    assert_true(fpu_le(FPU_D, D_PZERO, D_NZERO, &fl));
    /* ordering across signs, infinities and subnormals */
    assert_true(fpu_lt(FPU_S, S_NINF, S_MONE, &fl));
    assert_true(fpu_lt(FPU_S, S_MONE, UINT64_C(0x80000001), &fl));
    assert_true(fpu_lt(FPU_D, 1, D_ONE, &fl));
    assert_false(fpu_lt(FPU_D, D_PINF, D_PINF, &fl));
    assert_true(fpu_le(FPU_D, D_PINF, D_PINF, &fl));
    assert_false(fpu_le(FPU_D, D_TWO, D_ONE, &fl));
    assert_int_equal(fl, 0);
}

static void test_fpu_minmax_nan(void **state)
{
    unsigned fl = 0;

    /* fmin.s(sNaN, 1.0) -> 1.0 with NV (live) */
    assert_int_equal(fpu_min(FPU_S, S_SNAN, S_ONE, &fl), S_ONE);
    assert_int_equal(fl, NV);
    /* one quiet NaN: the other operand, no flag */
    fl = 0;
    assert_int_equal(fpu_max(FPU_D, D_TWO, D_QNAN, &fl), D_TWO);
    assert_int_equal(fpu_min(FPU_D, UINT64_C(0xfff8000000000001), D_MONE, &fl),
                     D_MONE);
    assert_int_equal(fl, 0);
    /* two NaNs: canonical NaN (NV if one signals) */
    assert_int_equal(fpu_max(FPU_D, UINT64_C(0xfff8000000000001), D_QNAN, &fl),
                     D_QNAN);
    assert_int_equal(fl, 0);
    assert_int_equal(fpu_min(FPU_S, S_SNAN, S_SNAN, &fl), S_QNAN);
    assert_int_equal(fl, NV);
    fl = 0;
    assert_int_equal(fpu_max(FPU_S, S_NINF, S_MONE, &fl), S_MONE);
    assert_int_equal(fpu_min(FPU_D, D_PINF, D_MAX, &fl), D_MAX);
    assert_int_equal(fl, 0);
}

/* ---- core vs host IEEE arithmetic (x86-64 SSE) ---- */

#if defined(__x86_64__)
static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Operands biased toward zeros, subnormals, extremes and near-ties */
static uint64_t random_operand(uint64_t *s, FpuFmt f)
{
    unsigned m = f == FPU_S ? 23 : 52;
    unsigned e = f == FPU_S ? 8 : 11;
    uint64_t emax = (UINT64_C(1) << e) - 1;
    uint64_t r = xorshift(s);
    uint64_t ex;
    uint64_t frac = xorshift(s) & ((UINT64_C(1) << m) - 1);

    switch ((r >> 1) % 8) {
    case 0:
        ex = 0;
        break;
    case 1:
        ex = 1 + (r >> 8) % 3;
        break;
    case 2:
        ex = emax - 1 - (r >> 8) % 3;
        break;
    case 3:
        ex = (emax >> 1) + (r >> 8) % 5 - 2;
        break;
    default:
        ex = (r >> 8) % emax; /* finite only: NaN/inf are tested above */
        break;
    }
    switch ((r >> 20) % 4) {
    case 0:
        frac = 0;
        break;
    case 1:
        frac &= ~((UINT64_C(1) << (m - 4)) - 1);
        break;
    default:
        break;
    }
    return ((r & 1) << (m + e)) | (ex << m) | frac;
}

static unsigned host_flags(void)
{
    int x = fetestexcept(FE_ALL_EXCEPT);

    return (x & FE_INEXACT ? NX : 0) | (x & FE_UNDERFLOW ? UF : 0) |
           (x & FE_OVERFLOW ? OF : 0) | (x & FE_DIVBYZERO ? DZ : 0) |
           (x & FE_INVALID ? NV : 0);
}

/* Host result of op 0..5 (add sub mul div sqrt fma) in host mode @mode */
static uint64_t host_op(FpuFmt f, unsigned op, uint64_t a, uint64_t b,
                        uint64_t c, int mode, unsigned *flags)
{
    uint64_t r64 = 0;

    fesetround(mode);
    feclearexcept(FE_ALL_EXCEPT);
    if (f == FPU_S) {
        volatile float x, y, z, r;
        uint32_t t;

        t = (uint32_t)a;
        memcpy((void *)&x, &t, 4);
        t = (uint32_t)b;
        memcpy((void *)&y, &t, 4);
        t = (uint32_t)c;
        memcpy((void *)&z, &t, 4);
        switch (op) {
        case 0:
            r = x + y;
            break;
        case 1:
            r = x - y;
            break;
        case 2:
            r = x * y;
            break;
        case 3:
            r = x / y;
            break;
        case 4:
            r = sqrtf(x);
            break;
        default:
            r = fmaf(x, y, z);
            break;
        }
        *flags = host_flags();
        memcpy(&t, (void *)&r, 4);
        r64 = t;
    } else {
        volatile double x, y, z, r;

        memcpy((void *)&x, &a, 8);
        memcpy((void *)&y, &b, 8);
        memcpy((void *)&z, &c, 8);
        switch (op) {
        case 0:
            r = x + y;
            break;
        case 1:
            r = x - y;
            break;
        case 2:
            r = x * y;
            break;
        case 3:
            r = x / y;
            break;
        case 4:
            r = sqrt(x);
            break;
        default:
            r = fma(x, y, z);
            break;
        }
        *flags = host_flags();
        memcpy(&r64, (void *)&r, 8);
    }
    fesetround(FE_TONEAREST);
    return r64;
}

static uint64_t soft_op(FpuFmt f, unsigned op, uint64_t a, uint64_t b,
                        uint64_t c, unsigned rm, unsigned *flags)
{
    switch (op) {
    case 0:
        return fpu_add(f, a, b, rm, flags);
    case 1:
        return fpu_sub(f, a, b, rm, flags);
    case 2:
        return fpu_mul(f, a, b, rm, flags);
    case 3:
        return fpu_div(f, a, b, rm, flags);
    case 4:
        return fpu_sqrt(f, a, rm, flags);
    default:
        return fpu_muladd(f, a, b, c, false, false, rm, flags);
    }
}

static bool is_nan(FpuFmt f, uint64_t v)
{
    return fpu_class(f, v) & (FPU_CLASS_SNAN | FPU_CLASS_QNAN);
}
#endif

static void test_fpu_host_cross_check(void **state)
{
#if defined(__x86_64__)
    static const int modes[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD,
                                 FE_UPWARD};
    uint64_t seed = UINT64_C(0x9e3779b97f4a7c15);
    unsigned checked = 0;

    for (unsigned i = 0; i < 20000; i++) {
        FpuFmt f = i & 1 ? FPU_D : FPU_S;
        uint64_t a = random_operand(&seed, f);
        uint64_t b = random_operand(&seed, f);
        uint64_t c = random_operand(&seed, f);

        for (unsigned rm = FPU_RNE; rm <= FPU_RUP; rm++) {
            for (unsigned op = 0; op < 6; op++) {
                unsigned hf;
                unsigned sf = 0;
                uint64_t h = host_op(f, op, a, b, c, modes[rm], &hf);
                uint64_t s = soft_op(f, op, a, b, c, rm, &sf);

                if (is_nan(f, h)) {
                    h = fpu_default_nan(f); /* x86: negative default NaN */
                }
                if (h != s || hf != sf) {
                    fail_msg("fmt %d op %u rm %u a=%#" PRIx64 " b=%#" PRIx64
                             " c=%#" PRIx64 ": host %#" PRIx64
                             "/%#x, soft %#" PRIx64 "/%#x",
                             f, op, rm, a, b, c, h, hf, s, sf);
                }
                checked++;
            }
        }
    }
    assert_int_equal(checked, 20000 * 4 * 6);
#else
    skip();
#endif
}

static void test_fpu_unbox(void **state)
{
    assert_int_equal(fpu_unbox_s(BOX(S_ONE)), S_ONE);
    assert_int_equal(fpu_unbox_s(S_ONE), S_QNAN);
    assert_int_equal(fpu_unbox_s(UINT64_C(0xfffffffe3f800000)), S_QNAN);
    assert_int_equal(fpu_unbox_s(D_ONE), S_QNAN);
}

/* ---- instructions through the decoder ---- */

static void test_insn_nan_boxing(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;

    /* unboxed 1.0f + itself -> boxed canonical NaN, no flags (live) */
    cpu->fpr[1] = S_ONE;
    assert_false(run(cpu, enc_r(F7_ADD, 1, 1, FPU_RNE, 2)));
    assert_int_equal(cpu->fpr[2], BOX(S_QNAN));
    assert_int_equal(cpu->fflags, 0);
    /* boxed inputs: 1 + 1 = 2, result boxed */
    cpu->fpr[1] = BOX(S_ONE);
    assert_false(run(cpu, enc_r(F7_ADD, 1, 1, FPU_RNE, 2)));
    assert_int_equal(cpu->fpr[2], BOX(S_TWO));
    /* fclass.s unboxed -> quiet NaN (0x200) */
    cpu->fpr[3] = UINT64_C(0x00000000ff800000);
    assert_false(run(cpu, enc_r(F7_MV_X, 0, 3, 1, 10)));
    assert_int_equal(cpu->gpr[10], 0x200);
    /* fsgnj.s(unboxed, +1.0) -> canonical NaN; fsgnjn.s(1.0, unboxed) */
    assert_false(run(cpu, enc_r(F7_SGNJ, 1, 3, 0, 4)));
    assert_int_equal(cpu->fpr[4], BOX(S_QNAN));
    assert_false(run(cpu, enc_r(F7_SGNJ, 3, 1, 1, 4)));
    assert_int_equal(cpu->fpr[4], BOX(S_MONE));
    /* fmv.x.w takes the low 32 bits unchecked and sign-extends bit 31 */
    cpu->fpr[5] = UINT64_C(0x123456789abcdef0);
    assert_false(run(cpu, enc_r(F7_MV_X, 0, 5, 0, 11)));
    assert_int_equal(cpu->gpr[11], UINT64_C(0xffffffff9abcdef0));
    cpu->fpr[5] = BOX(S_ONE);
    assert_false(run(cpu, enc_r(F7_MV_X, 0, 5, 0, 11)));
    assert_int_equal(cpu->gpr[11], S_ONE);
    /* fmv.w.x boxes the low 32 bits of x[rs1] */
    cpu->gpr[12] = UINT64_C(0x55555555c0000000);
    assert_false(run(cpu, enc_r(F7_MV_F, 0, 12, 0, 6)));
    assert_int_equal(cpu->fpr[6], BOX(UINT64_C(0xc0000000)));
    /* fcvt.d.s of an unboxed value -> canonical double NaN */
    cpu->fpr[7] = UINT64_C(0x000000003f800000);
    assert_false(run(cpu, enc_r(F7_CVT_SD | 1, 0, 7, FPU_RNE, 8)));
    assert_int_equal(cpu->fpr[8], D_QNAN);
    /* fcvt.s.d boxes its result */
    cpu->fpr[9] = D_TWO;
    assert_false(run(cpu, enc_r(F7_CVT_SD, 1, 9, FPU_RNE, 8)));
    assert_int_equal(cpu->fpr[8], BOX(S_TWO));
    /* fmv.x.d / fmv.d.x move raw bits */
    cpu->gpr[13] = UINT64_C(0x7ff0000000000abc);
    assert_false(run(cpu, enc_r(F7_MV_F | 1, 0, 13, 0, 9)));
    assert_int_equal(cpu->fpr[9], UINT64_C(0x7ff0000000000abc));
    assert_false(run(cpu, enc_r(F7_MV_X | 1, 0, 9, 0, 14)));
    assert_int_equal(cpu->gpr[14], UINT64_C(0x7ff0000000000abc));
    assert_int_equal(cpu->fflags, 0);
}

static void test_insn_sign_injection(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;

    cpu->fpr[1] = D_THREE;
    cpu->fpr[2] = D_NZERO;
    /* fsgnj.d: sign of -0 */
    assert_false(run(cpu, enc_r(F7_SGNJ | 1, 2, 1, 0, 3)));
    assert_int_equal(cpu->fpr[3], D_THREE | D_NZERO);
    /* fsgnjn.d rs1, rs1 = fneg; of -0 gives +0 */
    assert_false(run(cpu, enc_r(F7_SGNJ | 1, 1, 1, 1, 3)));
    assert_int_equal(cpu->fpr[3], D_THREE | D_NZERO);
    assert_false(run(cpu, enc_r(F7_SGNJ | 1, 2, 2, 1, 3)));
    assert_int_equal(cpu->fpr[3], D_PZERO);
    /* fsgnjx.d rs1, rs1 = fabs */
    cpu->fpr[4] = D_MONE;
    assert_false(run(cpu, enc_r(F7_SGNJ | 1, 4, 4, 2, 3)));
    assert_int_equal(cpu->fpr[3], D_ONE);
    assert_false(run(cpu, enc_r(F7_SGNJ | 1, 4, 1, 2, 3)));
    assert_int_equal(cpu->fpr[3], D_THREE | D_NZERO);
    /* sign injection moves NaN payloads untouched, no flags */
    cpu->fpr[5] = D_SNAN;
    assert_false(run(cpu, enc_r(F7_SGNJ | 1, 4, 5, 0, 3)));
    assert_int_equal(cpu->fpr[3], D_SNAN | D_NZERO);
    /* single: fsgnjx.s(-0, -1) = +0, boxed */
    cpu->fpr[6] = BOX(S_NZERO);
    cpu->fpr[7] = BOX(S_MONE);
    assert_false(run(cpu, enc_r(F7_SGNJ, 7, 6, 2, 8)));
    assert_int_equal(cpu->fpr[8], BOX(S_PZERO));
    assert_false(run(cpu, enc_r(F7_SGNJ, 6, 7, 1, 8)));
    assert_int_equal(cpu->fpr[8], BOX(S_ONE));
    assert_int_equal(cpu->fflags, 0);
}

static void test_insn_rounding_mode_field(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint32_t insn;

    cpu->fpr[1] = D_ONE;
    cpu->fpr[2] = D_THREE;
    /* static rm: RUP vs RTZ of 1/3 */
    assert_false(run(cpu, enc_r(F7_DIV | 1, 2, 1, FPU_RUP, 3)));
    assert_int_equal(cpu->fpr[3], UINT64_C(0x3fd5555555555556));
    assert_false(run(cpu, enc_r(F7_DIV | 1, 2, 1, FPU_RTZ, 3)));
    assert_int_equal(cpu->fpr[3], UINT64_C(0x3fd5555555555555));
    assert_int_equal(cpu->fflags, NX);
    /* DYN (7) uses frm */
    cpu->frm = FPU_RUP;
    assert_false(run(cpu, enc_r(F7_DIV | 1, 2, 1, FPU_DYN, 3)));
    assert_int_equal(cpu->fpr[3], UINT64_C(0x3fd5555555555556));
    cpu->frm = FPU_RMM;
    cpu->fpr[4] = D_2_5;
    assert_false(run(cpu, enc_r(F7_CVT_I | 1, 0, 4, FPU_DYN, 10)));
    assert_int_equal(cpu->gpr[10], 3);
    /* rm 5 and 6 are reserved: illegal, rd untouched */
    cpu->fpr[3] = 0;
    insn = enc_r(F7_DIV | 1, 2, 1, 5, 3);
    assert_illegal(cpu, insn);
    assert_illegal(cpu, enc_r(F7_ADD, 2, 1, 6, 3));
    assert_int_equal(cpu->fpr[3], 0);
    /* DYN with frm 5, 6, 7 is illegal too, also for exact conversions */
    for (unsigned frm = 5; frm <= 7; frm++) {
        cpu->frm = frm;
        assert_illegal(cpu, enc_r(F7_MUL | 1, 2, 1, FPU_DYN, 3));
        assert_illegal(cpu, enc_r(F7_CVT_F | 1, 0, 1, FPU_DYN, 3));
        assert_illegal(cpu, enc_r4(OP_FMADD, 1, 1, 2, 1, FPU_DYN, 3));
    }
    assert_int_equal(cpu->fpr[3], 0);
    /* instructions without an rm field ignore a bad frm */
    cpu->frm = 6;
    assert_false(run(cpu, enc_r(F7_SGNJ | 1, 2, 1, 0, 3)));
    assert_int_equal(cpu->fpr[3], D_ONE);
    assert_false(run(cpu, enc_r(F7_CMP | 1, 2, 1, 1, 11)));
    assert_int_equal(cpu->gpr[11], 1);
}

static void test_insn_fs_tracking(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;

    /* FS = Off: every FP instruction is illegal */
    cpu->mstatus = 0;
    assert_false(riscv_fp_enabled(cpu));
    assert_illegal(cpu, enc_r(F7_ADD, 1, 1, FPU_RNE, 2));
    assert_illegal(cpu, enc_r(F7_MV_X, 0, 1, 0, 10));
    assert_illegal(cpu, enc_r(F7_MV_F | 1, 0, 1, 0, 2));
    assert_illegal(cpu, enc_r(F7_SGNJ, 1, 1, 0, 2));
    assert_illegal(cpu, enc_r(F7_CMP, 1, 1, 2, 10));
    assert_illegal(cpu, enc_load(2, 1, 0, 0));
    assert_illegal(cpu, enc_store(3, 1, 0, 0));
    assert_illegal(cpu, enc_r4(OP_FNMADD, 1, 1, 1, 1, FPU_RNE, 2));
    assert_int_equal(fs(cpu), 0); /* still Off (trap entry set MPP) */

    /* Initial: fmv.x.d, fclass and a flagless feq leave FS alone */
    cpu->mstatus = UINT64_C(1) << 13;
    assert_true(riscv_fp_enabled(cpu));
    cpu->fpr[1] = D_ONE;
    assert_false(run(cpu, enc_r(F7_MV_X | 1, 0, 1, 0, 10)));
    assert_false(run(cpu, enc_r(F7_MV_X | 1, 0, 1, 1, 10)));
    assert_false(run(cpu, enc_r(F7_CMP | 1, 1, 1, 2, 10)));
    assert_int_equal(cpu->gpr[10], 1);
    assert_int_equal(fs(cpu), 1);
    /* an fcvt that only raises NV marks the state dirty (spec, not QEMU) */
    cpu->fpr[2] = D_QNAN;
    assert_false(run(cpu, enc_r(F7_CVT_I | 1, 0, 2, FPU_RNE, 10)));
    assert_int_equal(cpu->gpr[10], 0x7fffffff);
    assert_int_equal(cpu->fflags, NV);
    assert_int_equal(fs(cpu), 3);
    assert_true(cpu->mstatus & MSTATUS_SD);

    /* Clean -> Dirty on an f-register write (fadd.s) */
    cpu->mstatus = UINT64_C(2) << 13;
    cpu->fpr[3] = BOX(S_ONE);
    assert_false(run(cpu, enc_r(F7_ADD, 3, 3, FPU_RNE, 4)));
    assert_int_equal(fs(cpu), 3);
    assert_true(cpu->mstatus & MSTATUS_SD);
    riscv_fp_set_dirty(cpu);
    assert_int_equal(fs(cpu), 3);
}

static void test_insn_fflags_accrue(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;

    cpu->fpr[1] = D_ONE;
    cpu->fpr[2] = D_THREE;
    cpu->fpr[3] = D_PZERO;
    assert_false(run(cpu, enc_r(F7_DIV | 1, 2, 1, FPU_RNE, 4))); /* NX */
    assert_int_equal(cpu->fflags, NX);
    assert_false(run(cpu, enc_r(F7_DIV | 1, 3, 1, FPU_RNE, 4))); /* DZ */
    assert_int_equal(cpu->fpr[4], D_PINF);
    assert_int_equal(cpu->fflags, NX | DZ);
    /* an exact operation clears nothing */
    assert_false(run(cpu, enc_r(F7_ADD | 1, 1, 1, FPU_RNE, 4)));
    assert_int_equal(cpu->fpr[4], D_TWO);
    assert_int_equal(cpu->fflags, NX | DZ);
    /* flt with a NaN adds NV, x[rd] = 0 */
    cpu->fpr[5] = D_QNAN;
    cpu->gpr[10] = 55;
    assert_false(run(cpu, enc_r(F7_CMP | 1, 5, 1, 1, 10)));
    assert_int_equal(cpu->gpr[10], 0);
    assert_int_equal(cpu->fflags, NX | DZ | NV);
    /* overflow and underflow from fmul.d */
    cpu->fflags = 0;
    cpu->fpr[6] = D_MAX;
    assert_false(run(cpu, enc_r(F7_MUL | 1, 6, 6, FPU_RTZ, 4)));
    assert_int_equal(cpu->fpr[4], D_MAX);
    assert_int_equal(cpu->fflags, OF | NX);
    cpu->fpr[7] = 1;
    assert_false(run(cpu, enc_r(F7_MUL | 1, 7, 7, FPU_RUP, 4)));
    assert_int_equal(cpu->fpr[4], 1);
    assert_int_equal(cpu->fflags, OF | UF | NX);
}

static void test_insn_compare_and_class(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;

    cpu->fpr[1] = BOX(S_ONE);
    cpu->fpr[2] = BOX(S_QNAN);
    cpu->fpr[3] = BOX(S_TWO);
    /* feq.s with a qNaN: 0, no flag; flt.s: 0 and NV */
    assert_false(run(cpu, enc_r(F7_CMP, 2, 1, 2, 10)));
    assert_int_equal(cpu->gpr[10], 0);
    assert_int_equal(cpu->fflags, 0);
    assert_false(run(cpu, enc_r(F7_CMP, 2, 1, 1, 10)));
    assert_int_equal(cpu->fflags, NV);
    /* flt.s 1 < 2, fle.s 2 <= 1, feq.s 1 == 1 */
    assert_false(run(cpu, enc_r(F7_CMP, 3, 1, 1, 11)));
    assert_int_equal(cpu->gpr[11], 1);
    assert_false(run(cpu, enc_r(F7_CMP, 1, 3, 0, 11)));
    assert_int_equal(cpu->gpr[11], 0);
    assert_false(run(cpu, enc_r(F7_CMP, 1, 1, 2, 11)));
    assert_int_equal(cpu->gpr[11], 1);
    /* rd = x0 stays 0 */
    assert_false(run(cpu, enc_r(F7_CMP, 1, 1, 2, 0)));
    assert_int_equal(cpu->gpr[0], 0);
    /* fclass.d of sNaN / -subnormal (live values) */
    cpu->fpr[4] = D_SNAN;
    assert_false(run(cpu, enc_r(F7_MV_X | 1, 0, 4, 1, 12)));
    assert_int_equal(cpu->gpr[12], 0x100);
    cpu->fpr[4] = UINT64_C(0x8000000000000001);
    assert_false(run(cpu, enc_r(F7_MV_X | 1, 0, 4, 1, 12)));
    assert_int_equal(cpu->gpr[12], 0x4);
    /* fmin.s / fmax.d through the decoder */
    cpu->fpr[5] = BOX(S_SNAN);
    cpu->fflags = 0;
    assert_false(run(cpu, enc_r(F7_MINMAX, 1, 5, 0, 6)));
    assert_int_equal(cpu->fpr[6], BOX(S_ONE));
    assert_int_equal(cpu->fflags, NV);
    cpu->fpr[7] = D_NZERO;
    cpu->fpr[8] = D_PZERO;
    assert_false(run(cpu, enc_r(F7_MINMAX | 1, 8, 7, 1, 9)));
    assert_int_equal(cpu->fpr[9], D_PZERO);
    assert_false(run(cpu, enc_r(F7_MINMAX | 1, 8, 7, 0, 9)));
    assert_int_equal(cpu->fpr[9], D_NZERO);
}

static void test_insn_arith_and_fma(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;

    cpu->fpr[1] = D_TWO;
    cpu->fpr[2] = D_THREE;
    cpu->fpr[3] = D_ONE;
    /* fmadd 7, fmsub 5, fnmsub -5, fnmadd -7 */
    assert_false(run(cpu, enc_r4(OP_FMADD, 3, 1, 2, 1, FPU_RNE, 4)));
    assert_int_equal(cpu->fpr[4], UINT64_C(0x401c000000000000));
    assert_false(run(cpu, enc_r4(OP_FMSUB, 3, 1, 2, 1, FPU_RNE, 4)));
    assert_int_equal(cpu->fpr[4], UINT64_C(0x4014000000000000));
    assert_false(run(cpu, enc_r4(OP_FNMSUB, 3, 1, 2, 1, FPU_RNE, 4)));
    assert_int_equal(cpu->fpr[4], UINT64_C(0xc014000000000000));
    assert_false(run(cpu, enc_r4(OP_FNMADD, 3, 1, 2, 1, FPU_RNE, 4)));
    assert_int_equal(cpu->fpr[4], UINT64_C(0xc01c000000000000));
    /* fmsub.s rounding once: (1 + 2^-13)(1 - 2^-13) - 1 = -2^-26 */
    cpu->fpr[5] = BOX(UINT64_C(0x3f800400));
    cpu->fpr[6] = BOX(UINT64_C(0x3f7ff800));
    cpu->fpr[7] = BOX(S_ONE);
    assert_false(run(cpu, enc_r4(OP_FMSUB, 7, 0, 6, 5, FPU_RNE, 8)));
    assert_int_equal(cpu->fpr[8], BOX(UINT64_C(0xb2800000)));
    assert_int_equal(cpu->fflags, 0);
    /* fsub.d, fmul.s, fsqrt.d, fsqrt.s */
    assert_false(run(cpu, enc_r(F7_SUB | 1, 2, 3, FPU_RNE, 4)));
    assert_int_equal(cpu->fpr[4], UINT64_C(0xc000000000000000));
    assert_false(run(cpu, enc_r(F7_MUL, 7, 5, FPU_RNE, 4)));
    assert_int_equal(cpu->fpr[4], BOX(UINT64_C(0x3f800400)));
    cpu->fpr[9] = UINT64_C(0x4022000000000000); /* 9.0 */
    assert_false(run(cpu, enc_r(F7_SQRT | 1, 0, 9, FPU_RNE, 4)));
    assert_int_equal(cpu->fpr[4], D_THREE);
    cpu->fpr[10] = BOX(S_MONE);
    assert_false(run(cpu, enc_r(F7_SQRT, 0, 10, FPU_RNE, 4)));
    assert_int_equal(cpu->fpr[4], BOX(S_QNAN));
    assert_int_equal(cpu->fflags, NV);
}

static void test_insn_conversions(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;

    /* fcvt.w.d 2.5: RMM 3, RNE 2; -2.5: RDN -3, RUP -2 (live) */
    cpu->fpr[1] = D_2_5;
    cpu->fpr[2] = D_M2_5;
    assert_false(run(cpu, enc_r(F7_CVT_I | 1, 0, 1, FPU_RMM, 10)));
    assert_int_equal(cpu->gpr[10], 3);
    assert_false(run(cpu, enc_r(F7_CVT_I | 1, 0, 1, FPU_RNE, 10)));
    assert_int_equal(cpu->gpr[10], 2);
    assert_false(run(cpu, enc_r(F7_CVT_I | 1, 0, 2, FPU_RDN, 10)));
    assert_int_equal(cpu->gpr[10], (uint64_t)-3);
    assert_false(run(cpu, enc_r(F7_CVT_I | 1, 0, 2, FPU_RUP, 10)));
    assert_int_equal(cpu->gpr[10], (uint64_t)-2);
    assert_int_equal(cpu->fflags, NX);
    /* fcvt.wu.s -0.5 -> 0 with NX only; fcvt.wu.s -1 -> 0 with NV */
    cpu->fflags = 0;
    cpu->fpr[3] = BOX(S_MHALF);
    assert_false(run(cpu, enc_r(F7_CVT_I, 1, 3, FPU_RNE, 11)));
    assert_int_equal(cpu->gpr[11], 0);
    assert_int_equal(cpu->fflags, NX);
    cpu->fpr[3] = BOX(S_MONE);
    assert_false(run(cpu, enc_r(F7_CVT_I, 1, 3, FPU_RNE, 11)));
    assert_int_equal(cpu->fflags, NX | NV);
    /* fcvt.wu.d 2^32 - 1 -> all ones (sign-extended), no flag */
    cpu->fflags = 0;
    cpu->fpr[4] = D_2P32M1;
    assert_false(run(cpu, enc_r(F7_CVT_I | 1, 1, 4, FPU_RNE, 12)));
    assert_int_equal(cpu->gpr[12], UINT64_C(0xffffffffffffffff));
    /* fcvt.lu.d 2^63, fcvt.l.s -inf */
    cpu->fpr[5] = D_2P63;
    assert_false(run(cpu, enc_r(F7_CVT_I | 1, 3, 5, FPU_RNE, 12)));
    assert_int_equal(cpu->gpr[12], UINT64_C(0x8000000000000000));
    assert_int_equal(cpu->fflags, 0);
    cpu->fpr[6] = BOX(S_NINF);
    assert_false(run(cpu, enc_r(F7_CVT_I, 2, 6, FPU_RNE, 12)));
    assert_int_equal(cpu->gpr[12], UINT64_C(0x8000000000000000));
    assert_int_equal(cpu->fflags, NV);
    /* integer -> float: fcvt.s.w 2^24 + 1, fcvt.d.wu, fcvt.s.lu, fcvt.d.l */
    cpu->fflags = 0;
    cpu->gpr[13] = 0x1000001;
    assert_false(run(cpu, enc_r(F7_CVT_F, 0, 13, FPU_RNE, 7)));
    assert_int_equal(cpu->fpr[7], BOX(UINT64_C(0x4b800000)));
    assert_int_equal(cpu->fflags, NX);
    cpu->gpr[14] = UINT64_C(0xffffffff);
    assert_false(run(cpu, enc_r(F7_CVT_F | 1, 1, 14, FPU_RNE, 7)));
    assert_int_equal(cpu->fpr[7], D_2P32M1);
    assert_false(run(cpu, enc_r(F7_CVT_F | 1, 0, 14, FPU_RNE, 7)));
    assert_int_equal(cpu->fpr[7], D_MONE);
    cpu->gpr[15] = UINT64_C(0x8000000000000000);
    assert_false(run(cpu, enc_r(F7_CVT_F, 3, 15, FPU_RNE, 7)));
    assert_int_equal(cpu->fpr[7], BOX(UINT64_C(0x5f000000)));
    assert_false(run(cpu, enc_r(F7_CVT_F | 1, 2, 15, FPU_RNE, 7)));
    assert_int_equal(cpu->fpr[7], D_2P63 | D_NZERO);
    /* fcvt.s.d rounds per rm; fcvt.d.s is exact */
    cpu->fpr[8] = UINT64_C(0x3ff0000010000000); /* 1 + 2^-24: a tie */
    assert_false(run(cpu, enc_r(F7_CVT_SD, 1, 8, FPU_RTZ, 9)));
    assert_int_equal(cpu->fpr[9], BOX(S_ONE));
    assert_false(run(cpu, enc_r(F7_CVT_SD, 1, 8, FPU_RUP, 9)));
    assert_int_equal(cpu->fpr[9], BOX(UINT64_C(0x3f800001)));
    assert_false(run(cpu, enc_r(F7_CVT_SD | 1, 0, 9, FPU_RNE, 10)));
    assert_int_equal(cpu->fpr[10], UINT64_C(0x3ff0000020000000));
}

static void test_insn_load_store(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    uint64_t d = D_THREE;
    uint32_t s = 0xc0490fdb; /* -pi */

    memcpy(f->host + 0x100, &d, 8);
    memcpy(f->host + 0x108, &s, 4);
    cpu->gpr[5] = RAM_BASE + 0x100;
    /* fld f1, 0(x5); flw f2, 8(x5) (boxed) */
    assert_false(run(cpu, enc_load(3, 1, 5, 0)));
    assert_int_equal(cpu->fpr[1], D_THREE);
    assert_false(run(cpu, enc_load(2, 2, 5, 8)));
    assert_int_equal(cpu->fpr[2], BOX(UINT64_C(0xc0490fdb)));
    assert_int_equal(fs(cpu), 3);
    /* fsd f1, 16(x5); fsw of an unboxed register stores its low 32 bits */
    cpu->mstatus = UINT64_C(1) << 13;
    cpu->fpr[3] = UINT64_C(0x1122334455667788);
    assert_false(run(cpu, enc_store(3, 1, 5, 16)));
    assert_false(run(cpu, enc_store(2, 3, 5, 24)));
    assert_false(run(cpu, enc_store(2, 2, 5, 32)));
    assert_int_equal(fs(cpu), 1); /* stores leave FS alone */
    memcpy(&d, f->host + 0x110, 8);
    assert_int_equal(d, D_THREE);
    memcpy(&s, f->host + 0x118, 4);
    assert_int_equal(s, 0x55667788);
    memcpy(&s, f->host + 0x11c, 4);
    assert_int_equal(s, 0); /* only four bytes written */
    memcpy(&s, f->host + 0x120, 4);
    assert_int_equal(s, 0xc0490fdb);
    /* negative offset: fld f5, -256(x5) reads RAM_BASE */
    memcpy(f->host, &d, 8);
    assert_false(run(cpu, enc_load(3, 5, 5, -256)));
    assert_int_equal(cpu->fpr[5], D_THREE);
    /* a faulting load leaves f[rd] alone (access fault from the bus) */
    cpu->gpr[6] = 0x40000000;
    cpu->fpr[4] = D_ONE;
    assert_true(run(cpu, enc_load(3, 4, 6, 0)));
    assert_int_equal(cpu->mcause, EXC_LOAD_ACCESS);
    assert_int_equal(cpu->fpr[4], D_ONE);
    assert_true(run(cpu, enc_store(3, 4, 6, 0)));
    assert_int_equal(cpu->mcause, EXC_STORE_ACCESS);
}

static void test_insn_through_interpreter(void **state)
{
    Fixture *f = *state;
    RiscvHart *cpu = f->cpu;
    /* c.fld fs0, 8(s1); fadd.d fs1, fs0, fs0; c.fsdsp fs1, 16(sp);
     * fcvt.w.d a0, fs1, rmm */
    static const uint8_t prog[] = {0x80, 0x24, 0xd3, 0x74, 0x84, 0x02,
                                   0x26, 0xa8, 0x53, 0xc5, 0x04, 0xc2};
    uint64_t d = UINT64_C(0x3ff4000000000000); /* 1.25 */

    memcpy(f->host + 0x200, prog, sizeof(prog));
    memcpy(f->host + 0x308, &d, 8);
    cpu->pc = RAM_BASE + 0x200;
    cpu->gpr[9] = RAM_BASE + 0x300;
    cpu->gpr[2] = RAM_BASE + 0x400;
    for (int i = 0; i < 4; i++) {
        riscv_hart_step(cpu);
        assert_false(cpu->trapped);
    }
    assert_int_equal(cpu->pc, RAM_BASE + 0x20c);
    assert_int_equal(cpu->fpr[8], d);
    assert_int_equal(cpu->fpr[9], D_2_5);
    memcpy(&d, f->host + 0x410, 8);
    assert_int_equal(d, D_2_5);
    assert_int_equal(cpu->gpr[10], 3);
    assert_int_equal(cpu->fflags, NX);
    assert_int_equal(fs(cpu), 3);
    /* with FS = Off, C.FLD is illegal and mtval holds the 16-bit parcel */
    cpu->mstatus &= ~MSTATUS_FS;
    cpu->pc = RAM_BASE + 0x200;
    riscv_hart_step(cpu);
    assert_true(cpu->trapped);
    assert_int_equal(cpu->mcause, EXC_ILLEGAL_INSN);
    assert_int_equal(cpu->mtval, 0x2480);
}

static void test_insn_decode_table(void **state)
{
    /* every F/D encoding decodes to the instruction the assembler names */
    static const struct {
        uint32_t insn;
        const char *name;
    } cases[] = {
        {0x00012087, "flw"},       {0x00112027, "fsw"},
        {0x0000b087, "fld"},       {0x00113427, "fsd"},
        {0x00000043, "fmadd_s"},   {0x02000043, "fmadd_d"},
        {0x00000047, "fmsub_s"},   {0x0000004b, "fnmsub_s"},
        {0x0000004f, "fnmadd_s"},  {0x00000053, "fadd_s"},
        {0x0a000053, "fsub_d"},    {0x10000053, "fmul_s"},
        {0x1a000053, "fdiv_d"},    {0x58000053, "fsqrt_s"},
        {0x5a000053, "fsqrt_d"},   {0x20000053, "fsgnj_s"},
        {0x22001053, "fsgnjn_d"},  {0x20002053, "fsgnjx_s"},
        {0x28000053, "fmin_s"},    {0x2a001053, "fmax_d"},
        {0x40100053, "fcvt_s_d"},  {0x42000053, "fcvt_d_s"},
        {0xa0002053, "feq_s"},     {0xa2001053, "flt_d"},
        {0xa0000053, "fle_s"},     {0xe0001053, "fclass_s"},
        {0xe2001053, "fclass_d"},  {0xc0000053, "fcvt_w_s"},
        {0xc2300053, "fcvt_lu_d"}, {0xd0000053, "fcvt_s_w"},
        {0xd2300053, "fcvt_d_lu"}, {0xe0000053, "fmv_x_w"},
        {0xe2000053, "fmv_x_d"},   {0xf0000053, "fmv_w_x"},
        {0xf2000053, "fmv_d_x"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const RiscvInsnDesc *d = riscv_decode(cases[i].insn);

        assert_non_null(d);
        assert_string_equal(d->name, cases[i].name);
    }
    /* reserved: fmt 2/3 (H, Q), fsqrt with rs2 != 0, fcvt.s.d rs2 = 0 */
    assert_null(riscv_decode(0x04000053));
    assert_null(riscv_decode(0x06000043));
    assert_null(riscv_decode(0x58100053));
    assert_null(riscv_decode(0x40000053));
    assert_null(riscv_decode(0xa0003053));
    assert_null(riscv_decode(0xe0002053));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fpu_signed_zeros),
        cmocka_unit_test(test_fpu_nan_rules),
        cmocka_unit_test(test_fpu_overflow_each_mode),
        cmocka_unit_test(test_fpu_underflow_after_rounding),
        cmocka_unit_test(test_fpu_inexact_directed),
        cmocka_unit_test(test_fpu_rmm_ties),
        cmocka_unit_test(test_fpu_fma_single_rounding),
        cmocka_unit_test(test_fpu_to_int_saturation),
        cmocka_unit_test(test_fpu_from_int),
        cmocka_unit_test(test_fpu_fclass_all),
        cmocka_unit_test(test_fpu_compare_nan),
        cmocka_unit_test(test_fpu_minmax_nan),
        cmocka_unit_test(test_fpu_host_cross_check),
        cmocka_unit_test(test_fpu_unbox),
        cmocka_unit_test(test_insn_decode_table),
        T(test_insn_nan_boxing),
        T(test_insn_sign_injection),
        T(test_insn_rounding_mode_field),
        T(test_insn_fs_tracking),
        T(test_insn_fflags_accrue),
        T(test_insn_compare_and_class),
        T(test_insn_arith_and_fma),
        T(test_insn_conversions),
        T(test_insn_load_store),
        T(test_insn_through_interpreter),
    };
    return cmocka_run_group_tests_name("fpu", tests, NULL, NULL);
}
