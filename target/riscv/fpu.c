/* SPDX-License-Identifier: MIT */
/*
 * F and D arithmetic: IEEE 754-2019 binary32/binary64 in software.
 *
 * Every finite operand is unpacked to sign, integer significand and
 * exponent (value = sig * 2^exp).  Each operation computes its exact result
 * in 128-bit integer arithmetic (sums are aligned with a "sticky" bit that
 * stands for anything shifted out; quotients and square roots fold a
 * nonzero remainder into that bit), and one routine, fpu_round_pack(),
 * rounds to the destination format.  That routine implements all five
 * RISC-V rounding modes, including RMM (ties away from zero), which has no
 * host equivalent, detects tininess after rounding (unprivileged spec 11.6:
 * UF only when the result is tiny and inexact) and handles overflow per
 * rounding direction.  No host floating point is used, so the host's
 * rounding mode, MXCSR, compiler flags and x87 are irrelevant.
 *
 * NaN rules (RISC-V, unprivileged spec 11.3): any NaN result is the
 * canonical NaN; NV for signalling NaN operands of arithmetic, for invalid
 * operations and for ordered comparisons with any NaN.
 * Spec: RISC-V unprivileged ISA 20191213, chapters 11 and 12.
 */
#include "target/riscv/fpu.h"

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "target/riscv/cpu.h"

typedef unsigned __int128 FpuU128;

/* Classes of an unpacked operand */
typedef enum FpuCls {
    FPU_CLS_ZERO,
    FPU_CLS_FINITE, /* nonzero normal or subnormal */
    FPU_CLS_INF,
    FPU_CLS_QNAN,
    FPU_CLS_SNAN,
} FpuCls;

/* An operand: value = (-1)^sign * sig * 2^exp when finite */
typedef struct FpuUnpacked {
    FpuCls cls;
    bool sign;
    int exp;
    uint64_t sig;
} FpuUnpacked;

/* ---- FS tracking (privileged spec 3.1.6.6) ---- */

bool riscv_fp_enabled(const RiscvHart *cpu)
{
    return (cpu->mstatus & MSTATUS_FS) != 0;
}

void riscv_fp_set_dirty(RiscvHart *cpu)
{
    cpu->mstatus |= MSTATUS_FS | MSTATUS_SD;
}

/* ---- format parameters ---- */

static int fpu_mbits(FpuFmt f)
{
    return f == FPU_S ? 23 : 52;
}

static int fpu_ebits(FpuFmt f)
{
    return f == FPU_S ? 8 : 11;
}

static int fpu_bias(FpuFmt f)
{
    return (1 << (fpu_ebits(f) - 1)) - 1;
}

static int fpu_emin(FpuFmt f)
{
    return 1 - fpu_bias(f);
}

static uint64_t fpu_emask(FpuFmt f)
{
    return (1ull << fpu_ebits(f)) - 1;
}

static uint64_t fpu_fracmask(FpuFmt f)
{
    return (1ull << fpu_mbits(f)) - 1;
}

static uint64_t fpu_signbit(FpuFmt f)
{
    return 1ull << (fpu_mbits(f) + fpu_ebits(f));
}

static uint64_t fpu_width_mask(FpuFmt f)
{
    return f == FPU_S ? 0xffffffffull : ~0ull;
}

uint64_t fpu_default_nan(FpuFmt fmt)
{
    return fmt == FPU_S ? FPU_NAN_S : FPU_NAN_D;
}

uint64_t fpu_unbox_s(uint64_t reg)
{
    if ((reg & FPU_BOX_S) == FPU_BOX_S) {
        return reg & 0xffffffffull;
    }
    return FPU_NAN_S;
}

static uint64_t fpu_pack_zero(FpuFmt f, bool sign)
{
    return sign ? fpu_signbit(f) : 0;
}

static uint64_t fpu_pack_inf(FpuFmt f, bool sign)
{
    return fpu_pack_zero(f, sign) | (fpu_emask(f) << fpu_mbits(f));
}

static uint64_t fpu_pack_max(FpuFmt f, bool sign)
{
    return fpu_pack_zero(f, sign) | ((fpu_emask(f) - 1) << fpu_mbits(f)) |
           fpu_fracmask(f);
}

static FpuUnpacked fpu_unpack(FpuFmt f, uint64_t a)
{
    int m = fpu_mbits(f);
    uint64_t bexp;
    uint64_t frac;
    FpuUnpacked u = {0};

    a &= fpu_width_mask(f);
    u.sign = (a & fpu_signbit(f)) != 0;
    bexp = (a >> m) & fpu_emask(f);
    frac = a & fpu_fracmask(f);
    if (bexp == fpu_emask(f)) {
        if (frac == 0) {
            u.cls = FPU_CLS_INF;
        } else if (frac & (1ull << (m - 1))) {
            u.cls = FPU_CLS_QNAN;
        } else {
            u.cls = FPU_CLS_SNAN;
        }
    } else if (bexp == 0) {
        u.cls = frac ? FPU_CLS_FINITE : FPU_CLS_ZERO;
        u.sig = frac;
        u.exp = fpu_emin(f) - m;
    } else {
        u.cls = FPU_CLS_FINITE;
        u.sig = frac | (1ull << m);
        u.exp = (int)bexp - fpu_bias(f) - m;
    }
    return u;
}

static bool fpu_is_nan(const FpuUnpacked *u)
{
    return u->cls == FPU_CLS_QNAN || u->cls == FPU_CLS_SNAN;
}

/* ---- rounding ---- */

static int fpu_bitlen(FpuU128 x)
{
    uint64_t hi = (uint64_t)(x >> 64);

    if (hi) {
        return 128 - __builtin_clzll(hi);
    }
    if ((uint64_t)x) {
        return 64 - __builtin_clzll((uint64_t)x);
    }
    return 0;
}

/* x >> d, with any bits shifted out ORed into bit 0 ("jamming") */
static FpuU128 fpu_shift_right_jam(FpuU128 x, int d)
{
    if (d <= 0) {
        return x;
    }
    if (d >= 128) {
        return x != 0;
    }
    return (x >> d) | ((x & (((FpuU128)1 << d) - 1)) != 0);
}

/*
 * sig / 2^shift rounded to an integer per @rm (@sign gives the direction
 * for RDN/RUP); *inexact tells whether anything nonzero was dropped.
 */
static FpuU128 fpu_round_shift(FpuU128 sig, int shift, bool sign, unsigned rm,
                               bool *inexact)
{
    FpuU128 kept;
    bool above_half;
    bool at_half;
    bool inc = false;

    if (shift <= 0) {
        *inexact = false;
        return sig << -shift;
    }
    if (shift >= 128) {
        /* sig < 2^127 <= half: everything is below the rounding point */
        kept = 0;
        *inexact = sig != 0;
        above_half = false;
        at_half = false;
    } else {
        FpuU128 rem = sig & (((FpuU128)1 << shift) - 1);
        FpuU128 half = (FpuU128)1 << (shift - 1);

        kept = sig >> shift;
        *inexact = rem != 0;
        above_half = rem > half;
        at_half = rem == half;
    }
    switch (rm) {
    case FPU_RNE:
        inc = above_half || (at_half && (kept & 1));
        break;
    case FPU_RMM:
        inc = above_half || at_half;
        break;
    case FPU_RDN:
        inc = *inexact && sign;
        break;
    case FPU_RUP:
        inc = *inexact && !sign;
        break;
    default: /* FPU_RTZ */
        break;
    }
    return kept + inc;
}

/*
 * Rounds (-1)^sign * sig * 2^exp to format @f.  @sig is either the exact
 * value or has at least p + 2 significant bits with bit 0 jammed (set when
 * the exact value lies strictly between sig - 1 and sig + 1 and is not sig
 * itself).  Tininess is detected after rounding, as RISC-V requires.
 */
static uint64_t fpu_round_pack(FpuFmt f, bool sign, int exp, FpuU128 sig,
                               unsigned rm, unsigned *flags)
{
    int m = fpu_mbits(f);
    int p = m + 1;
    int emin = fpu_emin(f);
    int n;
    int etop;
    int lsb;
    bool inexact;
    FpuU128 kept;
    int biased;

    if (sig == 0) {
        return fpu_pack_zero(f, sign);
    }
    n = fpu_bitlen(sig);
    g_assert(n <= 127);
    etop = exp + n - 1; /* value in [2^etop, 2^(etop+1)) */
    lsb = (etop < emin ? emin : etop) - m;
    kept = fpu_round_shift(sig, lsb - exp, sign, rm, &inexact);
    if (inexact) {
        *flags |= FPU_NX;
        if (etop < emin) {
            bool tiny = true;

            if (etop == emin - 1) {
                /* rounding to p bits with unbounded range may reach 2^emin */
                bool unused;
                FpuU128 u = fpu_round_shift(sig, n - p, sign, rm, &unused);

                tiny = fpu_bitlen(u) <= p;
            }
            if (tiny) {
                *flags |= FPU_UF;
            }
        }
    }
    if (kept == 0) {
        return fpu_pack_zero(f, sign);
    }
    if (fpu_bitlen(kept) > p) {
        /* rounding carried out: kept == 2^p */
        kept >>= 1;
        lsb++;
    }
    if (fpu_bitlen(kept) < p) {
        /* subnormal: lsb == emin - m, biased exponent 0 */
        return fpu_pack_zero(f, sign) | (uint64_t)kept;
    }
    biased = lsb + m + fpu_bias(f);
    if (biased >= (int)fpu_emask(f)) {
        bool to_inf;

        *flags |= FPU_OF | FPU_NX;
        switch (rm) {
        case FPU_RTZ:
            to_inf = false;
            break;
        case FPU_RDN:
            to_inf = sign;
            break;
        case FPU_RUP:
            to_inf = !sign;
            break;
        default: /* RNE, RMM */
            to_inf = true;
            break;
        }
        return to_inf ? fpu_pack_inf(f, sign) : fpu_pack_max(f, sign);
    }
    return fpu_pack_zero(f, sign) | ((uint64_t)biased << m) |
           ((uint64_t)kept & fpu_fracmask(f));
}

/* ---- arithmetic ---- */

/* NV for signalling NaN operands; returns the canonical NaN */
static uint64_t fpu_nan_result(FpuFmt f, const FpuUnpacked *a,
                               const FpuUnpacked *b, unsigned *flags)
{
    if (a->cls == FPU_CLS_SNAN || (b && b->cls == FPU_CLS_SNAN)) {
        *flags |= FPU_NV;
    }
    return fpu_default_nan(f);
}

static uint64_t fpu_invalid(FpuFmt f, unsigned *flags)
{
    *flags |= FPU_NV;
    return fpu_default_nan(f);
}

/* An exact zero sum of nonzero operands: +0, or -0 when rounding down */
static uint64_t fpu_zero_sum(FpuFmt f, bool sign_a, bool sign_b, unsigned rm)
{
    if (sign_a == sign_b) {
        return fpu_pack_zero(f, sign_a);
    }
    return fpu_pack_zero(f, rm == FPU_RDN);
}

/*
 * Sum of two nonzero finite values given as sign, exponent and exact
 * significand (up to 106 bits, as a product is), with one rounding.
 */
static uint64_t fpu_add_core(FpuFmt f, bool sa, int ea, FpuU128 ma, bool sb,
                             int eb, FpuU128 mb, unsigned rm, unsigned *flags)
{
    int na = 124 - (fpu_bitlen(ma) - 1);
    int nb = 124 - (fpu_bitlen(mb) - 1);
    FpuU128 sum;

    /* normalize both to bit 124 (low bits stay zero: room for jamming) */
    ma <<= na;
    ea -= na;
    mb <<= nb;
    eb -= nb;
    if (eb > ea || (eb == ea && mb > ma)) {
        FpuU128 tm = ma;
        int te = ea;
        bool ts = sa;

        ma = mb;
        ea = eb;
        sa = sb;
        mb = tm;
        eb = te;
        sb = ts;
    }
    mb = fpu_shift_right_jam(mb, ea - eb);
    if (sa == sb) {
        sum = ma + mb;
    } else {
        sum = ma - mb;
        if (sum == 0) {
            return fpu_zero_sum(f, sa, sb, rm);
        }
    }
    return fpu_round_pack(f, sa, ea, sum, rm, flags);
}

uint64_t fpu_add(FpuFmt fmt, uint64_t a, uint64_t b, unsigned rm,
                 unsigned *flags)
{
    FpuUnpacked x = fpu_unpack(fmt, a);
    FpuUnpacked y = fpu_unpack(fmt, b);

    if (fpu_is_nan(&x) || fpu_is_nan(&y)) {
        return fpu_nan_result(fmt, &x, &y, flags);
    }
    if (x.cls == FPU_CLS_INF) {
        if (y.cls == FPU_CLS_INF && x.sign != y.sign) {
            return fpu_invalid(fmt, flags);
        }
        return fpu_pack_inf(fmt, x.sign);
    }
    if (y.cls == FPU_CLS_INF) {
        return fpu_pack_inf(fmt, y.sign);
    }
    if (x.cls == FPU_CLS_ZERO && y.cls == FPU_CLS_ZERO) {
        return fpu_zero_sum(fmt, x.sign, y.sign, rm);
    }
    if (x.cls == FPU_CLS_ZERO) {
        return b & fpu_width_mask(fmt);
    }
    if (y.cls == FPU_CLS_ZERO) {
        return a & fpu_width_mask(fmt);
    }
    return fpu_add_core(fmt, x.sign, x.exp, x.sig, y.sign, y.exp, y.sig, rm,
                        flags);
}

uint64_t fpu_sub(FpuFmt fmt, uint64_t a, uint64_t b, unsigned rm,
                 unsigned *flags)
{
    /* flipping a NaN's sign is harmless: NaN results are canonical */
    return fpu_add(fmt, a, b ^ fpu_signbit(fmt), rm, flags);
}

uint64_t fpu_mul(FpuFmt fmt, uint64_t a, uint64_t b, unsigned rm,
                 unsigned *flags)
{
    FpuUnpacked x = fpu_unpack(fmt, a);
    FpuUnpacked y = fpu_unpack(fmt, b);
    bool sign = x.sign != y.sign;

    if (fpu_is_nan(&x) || fpu_is_nan(&y)) {
        return fpu_nan_result(fmt, &x, &y, flags);
    }
    if (x.cls == FPU_CLS_INF || y.cls == FPU_CLS_INF) {
        if (x.cls == FPU_CLS_ZERO || y.cls == FPU_CLS_ZERO) {
            return fpu_invalid(fmt, flags);
        }
        return fpu_pack_inf(fmt, sign);
    }
    if (x.cls == FPU_CLS_ZERO || y.cls == FPU_CLS_ZERO) {
        return fpu_pack_zero(fmt, sign);
    }
    return fpu_round_pack(fmt, sign, x.exp + y.exp, (FpuU128)x.sig * y.sig, rm,
                          flags);
}

/* Shifts @u's significand so its top bit is bit @top */
static void fpu_normalize(FpuUnpacked *u, int top)
{
    int shift = top - (fpu_bitlen(u->sig) - 1);

    u->sig <<= shift;
    u->exp -= shift;
}

uint64_t fpu_div(FpuFmt fmt, uint64_t a, uint64_t b, unsigned rm,
                 unsigned *flags)
{
    FpuUnpacked x = fpu_unpack(fmt, a);
    FpuUnpacked y = fpu_unpack(fmt, b);
    bool sign = x.sign != y.sign;
    FpuU128 num;
    FpuU128 q;

    if (fpu_is_nan(&x) || fpu_is_nan(&y)) {
        return fpu_nan_result(fmt, &x, &y, flags);
    }
    if (x.cls == FPU_CLS_INF) {
        if (y.cls == FPU_CLS_INF) {
            return fpu_invalid(fmt, flags);
        }
        return fpu_pack_inf(fmt, sign);
    }
    if (y.cls == FPU_CLS_INF) {
        return fpu_pack_zero(fmt, sign);
    }
    if (y.cls == FPU_CLS_ZERO) {
        if (x.cls == FPU_CLS_ZERO) {
            return fpu_invalid(fmt, flags);
        }
        *flags |= FPU_DZ;
        return fpu_pack_inf(fmt, sign);
    }
    if (x.cls == FPU_CLS_ZERO) {
        return fpu_pack_zero(fmt, sign);
    }
    /* both in [2^63, 2^64): the quotient has 64 or 65 bits */
    fpu_normalize(&x, 63);
    fpu_normalize(&y, 63);
    num = (FpuU128)x.sig << 64;
    q = num / y.sig;
    if (num % y.sig) {
        q |= 1;
    }
    return fpu_round_pack(fmt, sign, x.exp - y.exp - 64, q, rm, flags);
}

/* floor(sqrt(x)); *exact when the remainder is zero */
static FpuU128 fpu_isqrt(FpuU128 x, bool *exact)
{
    FpuU128 res = 0;
    FpuU128 bit = (FpuU128)1 << 126;

    while (bit > x) {
        bit >>= 2;
    }
    while (bit) {
        if (x >= res + bit) {
            x -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    *exact = x == 0;
    return res;
}

uint64_t fpu_sqrt(FpuFmt fmt, uint64_t a, unsigned rm, unsigned *flags)
{
    FpuUnpacked x = fpu_unpack(fmt, a);
    FpuU128 s;
    FpuU128 r;
    bool exact;
    int exp;

    if (fpu_is_nan(&x)) {
        return fpu_nan_result(fmt, &x, NULL, flags);
    }
    if (x.cls == FPU_CLS_ZERO) {
        return fpu_pack_zero(fmt, x.sign);
    }
    if (x.sign) {
        return fpu_invalid(fmt, flags);
    }
    if (x.cls == FPU_CLS_INF) {
        return fpu_pack_inf(fmt, false);
    }
    fpu_normalize(&x, 63);
    s = x.sig;
    exp = x.exp;
    if (exp & 1) {
        s <<= 1;
        exp--;
    }
    /* s < 2^65: scale to < 2^125 for a root of about 62 bits */
    s <<= 60;
    exp -= 60;
    r = fpu_isqrt(s, &exact);
    if (!exact) {
        r |= 1;
    }
    return fpu_round_pack(fmt, false, exp / 2, r, rm, flags);
}

uint64_t fpu_muladd(FpuFmt fmt, uint64_t a, uint64_t b, uint64_t c,
                    bool neg_prod, bool neg_add, unsigned rm, unsigned *flags)
{
    FpuUnpacked x = fpu_unpack(fmt, a);
    FpuUnpacked y = fpu_unpack(fmt, b);
    FpuUnpacked z = fpu_unpack(fmt, c);
    bool inf_times_zero = (x.cls == FPU_CLS_INF && y.cls == FPU_CLS_ZERO) ||
                          (x.cls == FPU_CLS_ZERO && y.cls == FPU_CLS_INF);
    bool psign = (x.sign != y.sign) != neg_prod;
    bool csign = z.sign != neg_add;

    if (fpu_is_nan(&x) || fpu_is_nan(&y) || fpu_is_nan(&z)) {
        /* inf * 0 is invalid even when the addend is a quiet NaN */
        if (inf_times_zero || z.cls == FPU_CLS_SNAN) {
            *flags |= FPU_NV;
        }
        return fpu_nan_result(fmt, &x, &y, flags);
    }
    if (inf_times_zero) {
        return fpu_invalid(fmt, flags);
    }
    if (x.cls == FPU_CLS_INF || y.cls == FPU_CLS_INF) {
        if (z.cls == FPU_CLS_INF && psign != csign) {
            return fpu_invalid(fmt, flags);
        }
        return fpu_pack_inf(fmt, psign);
    }
    if (z.cls == FPU_CLS_INF) {
        return fpu_pack_inf(fmt, csign);
    }
    if (x.cls == FPU_CLS_ZERO || y.cls == FPU_CLS_ZERO) {
        if (z.cls == FPU_CLS_ZERO) {
            return fpu_zero_sum(fmt, psign, csign, rm);
        }
        /* exact: the addend itself */
        return (c & fpu_width_mask(fmt) & ~fpu_signbit(fmt)) |
               fpu_pack_zero(fmt, csign);
    }
    if (z.cls == FPU_CLS_ZERO) {
        return fpu_round_pack(fmt, psign, x.exp + y.exp, (FpuU128)x.sig * y.sig,
                              rm, flags);
    }
    return fpu_add_core(fmt, psign, x.exp + y.exp, (FpuU128)x.sig * y.sig,
                        csign, z.exp, z.sig, rm, flags);
}

/* ---- comparisons, min/max, classification ---- */

/* A key whose unsigned order is the numeric order (-0 below +0) */
static uint64_t fpu_order_key(FpuFmt f, uint64_t a)
{
    a &= fpu_width_mask(f);
    if (a & fpu_signbit(f)) {
        return ~a & fpu_width_mask(f);
    }
    return a | fpu_signbit(f);
}

static bool fpu_both_zero(const FpuUnpacked *x, const FpuUnpacked *y)
{
    return x->cls == FPU_CLS_ZERO && y->cls == FPU_CLS_ZERO;
}

static uint64_t fpu_minmax(FpuFmt fmt, uint64_t a, uint64_t b, bool is_max,
                           unsigned *flags)
{
    FpuUnpacked x = fpu_unpack(fmt, a);
    FpuUnpacked y = fpu_unpack(fmt, b);
    bool a_less;

    if (x.cls == FPU_CLS_SNAN || y.cls == FPU_CLS_SNAN) {
        *flags |= FPU_NV;
    }
    if (fpu_is_nan(&x) && fpu_is_nan(&y)) {
        return fpu_default_nan(fmt);
    }
    if (fpu_is_nan(&x)) {
        return b & fpu_width_mask(fmt);
    }
    if (fpu_is_nan(&y)) {
        return a & fpu_width_mask(fmt);
    }
    a_less = fpu_order_key(fmt, a) < fpu_order_key(fmt, b);
    return (a_less != is_max ? a : b) & fpu_width_mask(fmt);
}

uint64_t fpu_min(FpuFmt fmt, uint64_t a, uint64_t b, unsigned *flags)
{
    return fpu_minmax(fmt, a, b, false, flags);
}

uint64_t fpu_max(FpuFmt fmt, uint64_t a, uint64_t b, unsigned *flags)
{
    return fpu_minmax(fmt, a, b, true, flags);
}

bool fpu_eq(FpuFmt fmt, uint64_t a, uint64_t b, unsigned *flags)
{
    FpuUnpacked x = fpu_unpack(fmt, a);
    FpuUnpacked y = fpu_unpack(fmt, b);

    if (fpu_is_nan(&x) || fpu_is_nan(&y)) {
        if (x.cls == FPU_CLS_SNAN || y.cls == FPU_CLS_SNAN) {
            *flags |= FPU_NV;
        }
        return false;
    }
    if (fpu_both_zero(&x, &y)) {
        return true;
    }
    return (a & fpu_width_mask(fmt)) == (b & fpu_width_mask(fmt));
}

bool fpu_lt(FpuFmt fmt, uint64_t a, uint64_t b, unsigned *flags)
{
    FpuUnpacked x = fpu_unpack(fmt, a);
    FpuUnpacked y = fpu_unpack(fmt, b);

    if (fpu_is_nan(&x) || fpu_is_nan(&y)) {
        *flags |= FPU_NV;
        return false;
    }
    if (fpu_both_zero(&x, &y)) {
        return false;
    }
    return fpu_order_key(fmt, a) < fpu_order_key(fmt, b);
}

bool fpu_le(FpuFmt fmt, uint64_t a, uint64_t b, unsigned *flags)
{
    FpuUnpacked x = fpu_unpack(fmt, a);
    FpuUnpacked y = fpu_unpack(fmt, b);

    if (fpu_is_nan(&x) || fpu_is_nan(&y)) {
        *flags |= FPU_NV;
        return false;
    }
    if (fpu_both_zero(&x, &y)) {
        return true;
    }
    return fpu_order_key(fmt, a) <= fpu_order_key(fmt, b);
}

unsigned fpu_class(FpuFmt fmt, uint64_t a)
{
    FpuUnpacked x = fpu_unpack(fmt, a);
    bool subnormal =
        (((a & fpu_width_mask(fmt)) >> fpu_mbits(fmt)) & fpu_emask(fmt)) == 0;

    switch (x.cls) {
    case FPU_CLS_SNAN:
        return FPU_CLASS_SNAN;
    case FPU_CLS_QNAN:
        return FPU_CLASS_QNAN;
    case FPU_CLS_INF:
        return x.sign ? FPU_CLASS_NEG_INF : FPU_CLASS_POS_INF;
    case FPU_CLS_ZERO:
        return x.sign ? FPU_CLASS_NEG_ZERO : FPU_CLASS_POS_ZERO;
    default:
        if (subnormal) {
            return x.sign ? FPU_CLASS_NEG_SUBNORMAL : FPU_CLASS_POS_SUBNORMAL;
        }
        return x.sign ? FPU_CLASS_NEG_NORMAL : FPU_CLASS_POS_NORMAL;
    }
}

/* ---- conversions ---- */

static uint64_t fpu_sext(uint64_t v, unsigned width)
{
    if (width == 32) {
        return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
    }
    return v;
}

uint64_t fpu_to_int(FpuFmt fmt, uint64_t a, unsigned width, bool is_signed,
                    unsigned rm, unsigned *flags)
{
    FpuUnpacked x = fpu_unpack(fmt, a);
    uint64_t umax = width == 64 ? ~0ull : (1ull << width) - 1;
    uint64_t pos_limit = is_signed ? umax >> 1 : umax;
    /* magnitude allowed for negative values: 2^(w-1), or 0 */
    FpuU128 neg_limit = is_signed ? (FpuU128)1 << (width - 1) : 0;
    uint64_t neg_sat = is_signed ? 1ull << (width - 1) : 0;
    FpuU128 mag;
    bool inexact = false;

    if (fpu_is_nan(&x) || (x.cls == FPU_CLS_INF && !x.sign)) {
        *flags |= FPU_NV;
        return fpu_sext(pos_limit, width);
    }
    if (x.cls == FPU_CLS_INF) {
        *flags |= FPU_NV;
        return fpu_sext(neg_sat, width);
    }
    if (x.cls == FPU_CLS_ZERO) {
        return 0;
    }
    if (x.exp > 64) {
        mag = (FpuU128)1 << 100; /* far out of range */
    } else {
        mag = fpu_round_shift(x.sig, -x.exp, x.sign, rm, &inexact);
    }
    if (x.sign ? mag > neg_limit : mag > pos_limit) {
        *flags |= FPU_NV;
        return fpu_sext(x.sign ? neg_sat : pos_limit, width);
    }
    if (inexact) {
        *flags |= FPU_NX;
    }
    return fpu_sext(x.sign ? -(uint64_t)mag : (uint64_t)mag, width);
}

uint64_t fpu_from_int(FpuFmt fmt, uint64_t x, unsigned width, bool is_signed,
                      unsigned rm, unsigned *flags)
{
    bool sign = false;

    if (width == 32) {
        x = is_signed ? (uint64_t)(int64_t)(int32_t)(uint32_t)x
                      : (uint64_t)(uint32_t)x;
    }
    if (is_signed && (int64_t)x < 0) {
        sign = true;
        x = -x;
    }
    return fpu_round_pack(fmt, sign, 0, x, rm, flags);
}

uint64_t fpu_convert(FpuFmt to, FpuFmt from, uint64_t a, unsigned rm,
                     unsigned *flags)
{
    FpuUnpacked x = fpu_unpack(from, a);

    switch (x.cls) {
    case FPU_CLS_QNAN:
    case FPU_CLS_SNAN:
        return fpu_nan_result(to, &x, NULL, flags);
    case FPU_CLS_INF:
        return fpu_pack_inf(to, x.sign);
    case FPU_CLS_ZERO:
        return fpu_pack_zero(to, x.sign);
    default:
        return fpu_round_pack(to, x.sign, x.exp, x.sig, rm, flags);
    }
}
