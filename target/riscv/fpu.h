/* SPDX-License-Identifier: MIT */
/*
 * IEEE 754-2019 binary32/binary64 arithmetic for the F and D extensions.
 *
 * A software implementation (integer arithmetic only, no host FP and no
 * host rounding mode), so results, flags and all five RISC-V rounding
 * modes are exact and identical on every host.  Operands and results are
 * raw encodings: binary32 in the low 32 bits (NaN-boxing is the caller's
 * job), binary64 in all 64.  Every function ORs the exceptions it raises
 * into *@flags using the fflags bit layout (FPU_NX ... FPU_NV); no
 * function clears flags.  NaN results are always the canonical NaN
 * (unprivileged spec 11.3): payloads are never propagated.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* fflags bits */
#define FPU_NX 0x01 /* inexact */
#define FPU_UF 0x02 /* underflow */
#define FPU_OF 0x04 /* overflow */
#define FPU_DZ 0x08 /* divide by zero */
#define FPU_NV 0x10 /* invalid operation */

/* Rounding modes (rm field / frm) */
#define FPU_RNE 0 /* nearest, ties to even */
#define FPU_RTZ 1 /* toward zero */
#define FPU_RDN 2 /* toward -infinity */
#define FPU_RUP 3 /* toward +infinity */
#define FPU_RMM 4 /* nearest, ties away from zero */
#define FPU_DYN 7 /* rm field only: use frm */

/* Canonical NaNs */
#define FPU_NAN_S 0x7fc00000u
#define FPU_NAN_D 0x7ff8000000000000ull

/* NaN-boxing of binary32 values in 64-bit f registers */
#define FPU_BOX_S 0xffffffff00000000ull

/* fclass result bits */
#define FPU_CLASS_NEG_INF       (1u << 0)
#define FPU_CLASS_NEG_NORMAL    (1u << 1)
#define FPU_CLASS_NEG_SUBNORMAL (1u << 2)
#define FPU_CLASS_NEG_ZERO      (1u << 3)
#define FPU_CLASS_POS_ZERO      (1u << 4)
#define FPU_CLASS_POS_SUBNORMAL (1u << 5)
#define FPU_CLASS_POS_NORMAL    (1u << 6)
#define FPU_CLASS_POS_INF       (1u << 7)
#define FPU_CLASS_SNAN          (1u << 8)
#define FPU_CLASS_QNAN          (1u << 9)

/* Operand formats */
typedef enum FpuFmt {
    FPU_S, /* binary32 */
    FPU_D, /* binary64 */
} FpuFmt;

/** Canonical NaN of @fmt. */
uint64_t fpu_default_nan(FpuFmt fmt);

/** a + b, correctly rounded per @rm (one of FPU_RNE..FPU_RMM). */
uint64_t fpu_add(FpuFmt fmt, uint64_t a, uint64_t b, unsigned rm,
                 unsigned *flags);
/** a - b. */
uint64_t fpu_sub(FpuFmt fmt, uint64_t a, uint64_t b, unsigned rm,
                 unsigned *flags);
/** a * b. */
uint64_t fpu_mul(FpuFmt fmt, uint64_t a, uint64_t b, unsigned rm,
                 unsigned *flags);
/** a / b (DZ for finite nonzero / 0). */
uint64_t fpu_div(FpuFmt fmt, uint64_t a, uint64_t b, unsigned rm,
                 unsigned *flags);
/** sqrt(a) (NV for a < 0; sqrt(-0) = -0). */
uint64_t fpu_sqrt(FpuFmt fmt, uint64_t a, unsigned rm, unsigned *flags);

/**
 * Fused multiply-add with a single rounding: (+/-)(a * b) (+/-) c, the
 * product negated when @neg_prod, the addend when @neg_add (FMADD: false,
 * false; FMSUB: false, true; FNMSUB: true, false; FNMADD: true, true).
 * inf * 0 raises NV even when c is a quiet NaN.
 */
uint64_t fpu_muladd(FpuFmt fmt, uint64_t a, uint64_t b, uint64_t c,
                    bool neg_prod, bool neg_add, unsigned rm, unsigned *flags);

/**
 * IEEE 754-2019 minimumNumber: a NaN operand yields the other operand,
 * two NaNs the canonical NaN, -0 < +0; NV iff an operand is a signalling
 * NaN.
 */
uint64_t fpu_min(FpuFmt fmt, uint64_t a, uint64_t b, unsigned *flags);
/** maximumNumber, the same rules as fpu_min(). */
uint64_t fpu_max(FpuFmt fmt, uint64_t a, uint64_t b, unsigned *flags);

/** Quiet equality (NV only for signalling NaNs). */
bool fpu_eq(FpuFmt fmt, uint64_t a, uint64_t b, unsigned *flags);
/** Signalling a < b (NV for any NaN operand). */
bool fpu_lt(FpuFmt fmt, uint64_t a, uint64_t b, unsigned *flags);
/** Signalling a <= b (NV for any NaN operand). */
bool fpu_le(FpuFmt fmt, uint64_t a, uint64_t b, unsigned *flags);

/** FCLASS: exactly one FPU_CLASS_* bit. */
unsigned fpu_class(FpuFmt fmt, uint64_t a);

/**
 * Float -> integer of @width bits (32 or 64), signed or not, rounded per
 * @rm then saturated: NaN and too-large values give the maximum, too-small
 * ones the minimum, with NV only; otherwise NX when inexact.  The result
 * is sign-extended from @width bits to 64 (so FCVT.WU of 2^32-1 gives all
 * ones), as the W/WU forms write it to a register.
 */
uint64_t fpu_to_int(FpuFmt fmt, uint64_t a, unsigned width, bool is_signed,
                    unsigned rm, unsigned *flags);

/**
 * Integer -> float: the low @width bits (32 or 64) of @x, signed or not,
 * rounded per @rm (NX when inexact).
 */
uint64_t fpu_from_int(FpuFmt fmt, uint64_t x, unsigned width, bool is_signed,
                      unsigned rm, unsigned *flags);

/** Float -> float (FCVT.S.D rounds per @rm; FCVT.D.S is exact). */
uint64_t fpu_convert(FpuFmt to, FpuFmt from, uint64_t a, unsigned rm,
                     unsigned *flags);

/**
 * The binary32 value held in an f register: its low 32 bits when bits
 * 63:32 are all ones (NaN-boxed), else the canonical NaN.
 */
uint64_t fpu_unbox_s(uint64_t reg);
