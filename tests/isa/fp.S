/* SPDX-License-Identifier: MIT */
/*
 * F and D corner cases: signed zeros, canonical NaN (payloads never
 * propagate), NaN-boxing of single inputs and results, fmin/fmax, compares,
 * fclass, exception flags (NX UF OF DZ NV, tininess after rounding),
 * rounding in RNE RTZ RDN RUP RMM (static and dynamic), fused multiply-add
 * with a single rounding, saturating conversions, FS dirty tracking.
 */
#include "common.h"

#define NX 1
#define UF 2
#define OF 4
#define DZ 8
#define NV 16

#define BOX(x)  (0xffffffff00000000 | (x))
#define CNAN_D  0x7ff8000000000000
#define CNAN_S  BOX(0x7fc00000)
#define SNAN_D  0x7ff0000000000001
#define QNANP_D 0x7ff8000000000123
#define SNAN_S  BOX(0x7f800001)
#define QNANP_S BOX(0x7fc00123)
#define PZ      0
#define NZ      0x8000000000000000
#define NZ_S    BOX(0x80000000)
#define ONE_D   0x3ff0000000000000
#define MONE_D  0xbff0000000000000
#define TWO_D   0x4000000000000000
#define THREE_D 0x4008000000000000
#define FIVE_D  0x4014000000000000
#define INF_D   0x7ff0000000000000
#define MINF_D  0xfff0000000000000
#define MAX_D   0x7fefffffffffffff
#define MMAX_D  0xffefffffffffffff
#define ONE_S   BOX(0x3f800000)
#define MONE_S  BOX(0xbf800000)
#define TWO_S   BOX(0x40000000)
#define HALFULP 0x3ca0000000000000      /* 2^-53 */
#define ONEUP_D 0x3ff0000000000001
#define MONEUP_D 0xbff0000000000001

/* ft2 = op(ft0 = a, ft1 = b[, rm]); checks the 64-bit register and fflags */
.macro T_F2 name, op, a, b, want, flags, rm=dyn
    csrw fflags, zero
    li t0, \a
    fmv.d.x ft0, t0
    li t0, \b
    fmv.d.x ft1, t0
    \op ft2, ft0, ft1, \rm
    fmv.x.d t2, ft2
    csrr t3, fflags
    T_EQ2 \name, t2, \want, t3, \flags
.endm

/* the same for operations without a rounding mode */
.macro T_F2N name, op, a, b, want, flags
    csrw fflags, zero
    li t0, \a
    fmv.d.x ft0, t0
    li t0, \b
    fmv.d.x ft1, t0
    \op ft2, ft0, ft1
    fmv.x.d t2, ft2
    csrr t3, fflags
    T_EQ2 \name, t2, \want, t3, \flags
.endm

/* ft2 = op(ft0 = a) */
.macro T_F1 name, op, a, want, flags, rm=dyn
    csrw fflags, zero
    li t0, \a
    fmv.d.x ft0, t0
    \op ft2, ft0, \rm
    fmv.x.d t2, ft2
    csrr t3, fflags
    T_EQ2 \name, t2, \want, t3, \flags
.endm

.macro T_F1N name, op, a, want, flags
    csrw fflags, zero
    li t0, \a
    fmv.d.x ft0, t0
    \op ft2, ft0
    fmv.x.d t2, ft2
    csrr t3, fflags
    T_EQ2 \name, t2, \want, t3, \flags
.endm

/* ft3 = op(a, b, c) */
.macro T_F3 name, op, a, b, c, want, flags, rm=dyn
    csrw fflags, zero
    li t0, \a
    fmv.d.x ft0, t0
    li t0, \b
    fmv.d.x ft1, t0
    li t0, \c
    fmv.d.x ft2, t0
    \op ft3, ft0, ft1, ft2, \rm
    fmv.x.d t2, ft3
    csrr t3, fflags
    T_EQ2 \name, t2, \want, t3, \flags
.endm

/* t2 = op(ft0 = a[, rm]): float to integer */
.macro T_FI name, op, a, want, flags, rm=dyn
    csrw fflags, zero
    li t0, \a
    fmv.d.x ft0, t0
    \op t2, ft0, \rm
    csrr t3, fflags
    T_EQ2 \name, t2, \want, t3, \flags
.endm

/* t2 = op(ft0 = a): fclass, fmv.x.* */
.macro T_FIN name, op, a, want, flags
    csrw fflags, zero
    li t0, \a
    fmv.d.x ft0, t0
    \op t2, ft0
    csrr t3, fflags
    T_EQ2 \name, t2, \want, t3, \flags
.endm

/* t2 = op(ft0 = a, ft1 = b): compares */
.macro T_FC name, op, a, b, want, flags
    csrw fflags, zero
    li t0, \a
    fmv.d.x ft0, t0
    li t0, \b
    fmv.d.x ft1, t0
    \op t2, ft0, ft1
    csrr t3, fflags
    T_EQ2 \name, t2, \want, t3, \flags
.endm

/* ft2 = op(t0 = int[, rm]): integer to float */
.macro T_IF name, op, a, want, flags, rm
    csrw fflags, zero
    li t0, \a
    .ifb \rm
    \op ft2, t0
    .else
    \op ft2, t0, \rm
    .endif
    fmv.x.d t2, ft2
    csrr t3, fflags
    T_EQ2 \name, t2, \want, t3, \flags
.endm

    MAIN_BEGIN
    li t0, MSTATUS_FS
    csrs mstatus, t0
    csrw fcsr, zero

    /* ---- signed zeros */
    T_F2 add-pz-nz, fadd.d, PZ, NZ, PZ, 0
    T_F2 add-pz-nz-rdn, fadd.d, PZ, NZ, NZ, 0, rdn
    T_F2 sub-x-x-rdn, fsub.d, ONE_D, ONE_D, NZ, 0, rdn
    T_F2 sub-x-x-rne, fsub.d, ONE_D, ONE_D, PZ, 0, rne
    T_F2 mul-nz, fmul.d, NZ, FIVE_D, NZ, 0
    T_F1 sqrt-nz, fsqrt.d, NZ, NZ, 0
    T_F2 div-by-nz, fdiv.d, ONE_D, NZ, MINF_D, DZ
    T_F2N fmin-zeros, fmin.d, PZ, NZ, NZ, 0
    T_F2N fmax-zeros, fmax.d, NZ, PZ, PZ, 0
    T_F2N fmin-zeros-s, fmin.s, BOX(0), NZ_S, NZ_S, 0

    /* ---- canonical NaN, no payload propagation */
    T_F2 add-snan, fadd.d, SNAN_D, ONE_D, CNAN_D, NV
    T_F2 add-qnan-payload, fadd.d, QNANP_D, ONE_D, CNAN_D, 0
    T_F2 mul-qnan-payload-s, fmul.s, QNANP_S, ONE_S, CNAN_S, 0
    T_F2 mul-snan-s, fmul.s, ONE_S, SNAN_S, CNAN_S, NV
    T_F2 mul-zero-inf, fmul.d, PZ, INF_D, CNAN_D, NV
    T_F2 sub-inf-inf, fsub.d, INF_D, INF_D, CNAN_D, NV
    T_F2 div-zero-zero, fdiv.d, PZ, PZ, CNAN_D, NV
    T_F1 sqrt-neg, fsqrt.d, MONE_D, CNAN_D, NV
    T_F1 sqrt-neg-s, fsqrt.s, MONE_S, CNAN_S, NV
    T_F1N cvt-d-s-qnan-payload, fcvt.d.s, QNANP_S, CNAN_D, 0
    T_F1N cvt-d-s-snan, fcvt.d.s, SNAN_S, CNAN_D, NV
    T_F1 cvt-s-d-snan, fcvt.s.d, SNAN_D, CNAN_S, NV
    T_F2N fsgnjn-keeps-payload, fsgnjn.d, SNAN_D, SNAN_D, 0xfff0000000000001, 0
    T_F2N fsgnjx-d, fsgnjx.d, MONE_D, MONE_D, ONE_D, 0
    T_F2N fsgnj-d, fsgnj.d, ONE_D, NZ, MONE_D, 0

    /* ---- fmin / fmax (minimumNumber / maximumNumber) */
    T_F2N fmin-snan-s, fmin.s, SNAN_S, ONE_S, ONE_S, NV
    T_F2N fmax-qnan, fmax.d, QNANP_D, TWO_D, TWO_D, 0
    T_F2N fmin-both-nan, fmin.d, QNANP_D, QNANP_D, CNAN_D, 0
    T_F2N fmax-both-nan-snan, fmax.d, SNAN_D, QNANP_D, CNAN_D, NV
    T_F2N fmin-normal, fmin.d, MONE_D, TWO_D, MONE_D, 0

    /* ---- compares */
    T_FC feq-qnan-quiet, feq.d, QNANP_D, QNANP_D, 0, 0
    T_FC feq-snan-signals, feq.d, SNAN_D, ONE_D, 0, NV
    T_FC flt-qnan-signals, flt.d, QNANP_D, ONE_D, 0, NV
    T_FC fle-qnan-signals, fle.s, ONE_S, QNANP_S, 0, NV
    T_FC feq-zeros, feq.d, PZ, NZ, 1, 0
    T_FC flt-zeros, flt.d, NZ, PZ, 0, 0
    T_FC fle-equal, fle.d, TWO_D, TWO_D, 1, 0
    T_FC flt-s, flt.s, MONE_S, ONE_S, 1, 0

    /* ---- fclass */
    T_FIN fclass-d-neg-inf, fclass.d, MINF_D, 0x001, 0
    T_FIN fclass-d-neg-normal, fclass.d, MONE_D, 0x002, 0
    T_FIN fclass-d-neg-subnormal, fclass.d, 0x8000000000000001, 0x004, 0
    T_FIN fclass-d-neg-zero, fclass.d, NZ, 0x008, 0
    T_FIN fclass-d-pos-zero, fclass.d, PZ, 0x010, 0
    T_FIN fclass-d-pos-subnormal, fclass.d, 1, 0x020, 0
    T_FIN fclass-d-pos-normal, fclass.d, ONE_D, 0x040, 0
    T_FIN fclass-d-pos-inf, fclass.d, INF_D, 0x080, 0
    T_FIN fclass-d-snan, fclass.d, SNAN_D, 0x100, 0
    T_FIN fclass-d-qnan, fclass.d, QNANP_D, 0x200, 0
    T_FIN fclass-s-neg-subnormal, fclass.s, BOX(0x80000001), 0x004, 0
    T_FIN fclass-s-snan, fclass.s, SNAN_S, 0x100, 0
    T_FIN fclass-s-pos-inf, fclass.s, BOX(0x7f800000), 0x080, 0

    /* ---- NaN-boxing */
    T_F2 unboxed-input-is-nan, fadd.s, 0x3f800000, 0x3f800000, CNAN_S, 0
    T_FIN fclass-unboxed, fclass.s, 0x000000003f800000, 0x200, 0
    T_F2N fsgnj-unboxed, fsgnj.s, 0x3f800000, ONE_S, CNAN_S, 0
    T_F2N fsgnjn-unboxed-rs2, fsgnjn.s, ONE_S, 0x3f800000, MONE_S, 0
    T_F1N cvt-d-s-unboxed, fcvt.d.s, 0xffff00003f800000, CNAN_D, 0
    T_FIN fmv-x-w-no-check, fmv.x.w, 0x123456783f800000, 0x3f800000, 0
    T_FIN fmv-x-w-sext, fmv.x.w, 0x12345678bf800000, 0xffffffffbf800000, 0
    T_F2 result-boxed, fadd.s, ONE_S, ONE_S, TWO_S, 0
    li t0, 0x40490fdb
    fmv.w.x ft0, t0
    fmv.x.d t2, ft0
    T_EQ fmv-w-x-boxes, t2, BOX(0x40490fdb)
    la s0, fpmem
    li t0, 0x11223344c0000000
    sd t0, 0(s0)
    flw ft0, 0(s0)
    fmv.x.d t2, ft0
    T_EQ flw-boxes, t2, BOX(0xc0000000)
    li t0, 0x123456783f800000
    fmv.d.x ft0, t0
    li t0, -1
    sd t0, 8(s0)
    fsw ft0, 8(s0)
    ld t2, 8(s0)
    T_EQ fsw-low-32-raw, t2, 0xffffffff3f800000

    /* ---- flags: overflow, underflow (after rounding), inexact, DZ */
    T_F2 overflow-rne, fmul.d, MAX_D, TWO_D, INF_D, OF | NX
    T_F2 overflow-rtz, fmul.d, MAX_D, TWO_D, MAX_D, OF | NX, rtz
    T_F2 overflow-rdn, fmul.d, MAX_D, TWO_D, MAX_D, OF | NX, rdn
    T_F2 overflow-rup, fmul.d, MAX_D, TWO_D, INF_D, OF | NX, rup
    T_F2 overflow-neg-rup, fmul.d, MMAX_D, TWO_D, MMAX_D, OF | NX, rup
    T_F2 overflow-neg-rmm, fmul.d, MMAX_D, TWO_D, MINF_D, OF | NX, rmm
    T_F2 tiny-rounds-to-normal-rne, fmul.s, BOX(0x007fffff), BOX(0x3f800001), BOX(0x00800000), NX
    T_F2 tiny-rtz-underflow, fmul.s, BOX(0x007fffff), BOX(0x3f800001), BOX(0x007fffff), UF | NX, rtz
    T_F2 exact-subnormal-no-flags, fmul.s, BOX(0x00800000), BOX(0x3f000000), BOX(0x00400000), 0
    T_F2 underflow-to-zero, fmul.d, 1, 0x3fe0000000000000, 0, UF | NX
    T_F2 inexact-third, fdiv.d, ONE_D, THREE_D, 0x3fd5555555555555, NX
    T_F2 div-by-zero-s, fdiv.s, ONE_S, BOX(0), BOX(0x7f800000), DZ
    T_F2 inf-arith-exact, fadd.d, INF_D, ONE_D, INF_D, 0
    /* flags accrue */
    csrw fflags, zero
    li t0, ONE_D
    fmv.d.x ft0, t0
    li t0, THREE_D
    fmv.d.x ft1, t0
    fdiv.d ft2, ft0, ft1
    li t0, PZ
    fmv.d.x ft1, t0
    fdiv.d ft2, ft0, ft1
    csrr t3, fflags
    T_EQ flags-accrue, t3, NX | DZ

    /* ---- rounding: a tie (1 + 2^-53) and a non-tie (1 + 0.75 ulp) */
    T_F2 tie-rne, fadd.d, ONE_D, HALFULP, ONE_D, NX, rne
    T_F2 tie-rtz, fadd.d, ONE_D, HALFULP, ONE_D, NX, rtz
    T_F2 tie-rdn, fadd.d, ONE_D, HALFULP, ONE_D, NX, rdn
    T_F2 tie-rup, fadd.d, ONE_D, HALFULP, ONEUP_D, NX, rup
    T_F2 tie-rmm, fadd.d, ONE_D, HALFULP, ONEUP_D, NX, rmm
    T_F2 tie-neg-rne, fsub.d, MONE_D, HALFULP, MONE_D, NX, rne
    T_F2 tie-neg-rtz, fsub.d, MONE_D, HALFULP, MONE_D, NX, rtz
    T_F2 tie-neg-rdn, fsub.d, MONE_D, HALFULP, MONEUP_D, NX, rdn
    T_F2 tie-neg-rup, fsub.d, MONE_D, HALFULP, MONE_D, NX, rup
    T_F2 tie-neg-rmm, fsub.d, MONE_D, HALFULP, MONEUP_D, NX, rmm
    T_F2 odd-tie-rne, fadd.d, ONEUP_D, HALFULP, 0x3ff0000000000002, NX, rne
    T_F2 above-half-rne, fadd.d, ONE_D, 0x3ca8000000000000, ONEUP_D, NX, rne
    T_F2 above-half-rtz, fadd.d, ONE_D, 0x3ca8000000000000, ONE_D, NX, rtz
    T_F2 tie-s-rne, fadd.s, ONE_S, BOX(0x33800000), ONE_S, NX, rne
    T_F2 tie-s-rmm, fadd.s, ONE_S, BOX(0x33800000), BOX(0x3f800001), NX, rmm
    T_F2 tie-s-rup, fadd.s, ONE_S, BOX(0x33800000), BOX(0x3f800001), NX, rup
    /* dynamic rounding through frm */
    li t0, 4
    csrw frm, t0
    T_F2 tie-dyn-rmm, fadd.d, ONE_D, HALFULP, ONEUP_D, NX
    li t0, 2
    csrw frm, t0
    T_F2 tie-neg-dyn-rdn, fsub.d, MONE_D, HALFULP, MONEUP_D, NX
    T_F2 static-rm-overrides-frm, fsub.d, MONE_D, HALFULP, MONE_D, NX, rup
    csrw frm, zero

    /* ---- fused multiply-add: one rounding */
    T_F3 fmadd-single-rounding, fmadd.d, 0x3ff0000000400000, 0x3fefffffff800000, MONE_D, 0xbc30000000000000, 0
    T_F3 fmsub, fmsub.d, TWO_D, THREE_D, ONE_D, FIVE_D, 0
    T_F3 fnmadd, fnmadd.d, TWO_D, THREE_D, ONE_D, 0xc01c000000000000, 0
    T_F3 fnmsub, fnmsub.d, TWO_D, THREE_D, ONE_D, 0xc014000000000000, 0
    T_F3 fmadd-s, fmadd.s, TWO_S, BOX(0x40400000), ONE_S, BOX(0x40e00000), 0
    T_F3 fma-inf-zero-qnan, fmadd.d, INF_D, PZ, QNANP_D, CNAN_D, NV
    T_F3 fma-inf-zero, fmadd.d, INF_D, PZ, ONE_D, CNAN_D, NV
    T_F3 fma-zero-sign-rdn, fmadd.d, ONE_D, PZ, NZ, NZ, 0, rdn

    /* ---- float -> integer: round, then saturate */
    T_FI cvt-w-d-2.5-rne, fcvt.w.d, 0x4004000000000000, 2, NX, rne
    T_FI cvt-w-d-2.5-rmm, fcvt.w.d, 0x4004000000000000, 3, NX, rmm
    T_FI cvt-w-d-2.5-rup, fcvt.w.d, 0x4004000000000000, 3, NX, rup
    T_FI cvt-w-d-2.5-rtz, fcvt.w.d, 0x4004000000000000, 2, NX, rtz
    T_FI cvt-w-d-m2.5-rdn, fcvt.w.d, 0xc004000000000000, -3, NX, rdn
    T_FI cvt-w-d-m2.5-rup, fcvt.w.d, 0xc004000000000000, -2, NX, rup
    T_FI cvt-w-d-m2.5-rmm, fcvt.w.d, 0xc004000000000000, -3, NX, rmm
    T_FI cvt-w-s-qnan, fcvt.w.s, CNAN_S, 0x7fffffff, NV
    T_FI cvt-w-s-minf, fcvt.w.s, BOX(0xff800000), 0xffffffff80000000, NV
    T_FI cvt-w-s-inf, fcvt.w.s, BOX(0x7f800000), 0x7fffffff, NV
    T_FI cvt-wu-s-m1, fcvt.wu.s, MONE_S, 0, NV
    T_FI cvt-wu-s-m0.5, fcvt.wu.s, BOX(0xbf000000), 0, NX
    T_FI cvt-wu-s-nan, fcvt.wu.s, CNAN_S, 0xffffffffffffffff, NV
    T_FI cvt-l-d-2^63, fcvt.l.d, 0x43e0000000000000, 0x7fffffffffffffff, NV
    T_FI cvt-l-d-minf, fcvt.l.d, MINF_D, 0x8000000000000000, NV
    T_FI cvt-l-d-nan, fcvt.l.d, CNAN_D, 0x7fffffffffffffff, NV
    T_FI cvt-lu-d-2^63, fcvt.lu.d, 0x43e0000000000000, 0x8000000000000000, 0
    T_FI cvt-lu-d-m1, fcvt.lu.d, MONE_D, 0, NV
    T_FI cvt-lu-d-2^64, fcvt.lu.d, 0x43f0000000000000, 0xffffffffffffffff, NV
    T_FI cvt-wu-d-2^32, fcvt.wu.d, 0x41f0000000000000, 0xffffffffffffffff, NV
    T_FI cvt-wu-d-2^32-1, fcvt.wu.d, 0x41efffffffe00000, 0xffffffffffffffff, 0
    T_FI cvt-w-d-round-out-of-range, fcvt.w.d, 0x41dfffffffe00000, 0x7fffffff, NV, rne
    T_FI cvt-w-d-round-in-range, fcvt.w.d, 0x41dfffffffe00000, 0x7fffffff, NX, rtz
    T_FI cvt-l-d-m0.5-rtz, fcvt.l.d, 0xbfe0000000000000, 0, NX, rtz
    T_FI cvt-w-d-nz, fcvt.w.d, NZ, 0, 0, rne

    /* ---- integer -> float */
    T_IF cvt-s-w-inexact, fcvt.s.w, 0x1000001, BOX(0x4b800000), NX, rne
    T_IF cvt-s-w-rup, fcvt.s.w, 0x1000001, BOX(0x4b800001), NX, rup
    T_IF cvt-s-l-boxed, fcvt.s.l, -1, MONE_S, 0, rne
    T_IF cvt-d-lu-max, fcvt.d.lu, -1, 0x43f0000000000000, NX, rne
    T_IF cvt-d-lu-max-rtz, fcvt.d.lu, -1, 0x43efffffffffffff, NX, rtz
    T_IF cvt-d-w-uses-low-32, fcvt.d.w, 0x1234567880000000, 0xc1e0000000000000, 0
    T_IF cvt-d-wu, fcvt.d.wu, 0xffffffff, 0x41efffffffe00000, 0

    /* ---- FS tracking */
    li t0, MSTATUS_FS
    csrc mstatus, t0
    li t0, (1 << 13)            /* Initial */
    csrs mstatus, t0
    fadd.d ft0, ft1, ft2
    csrr t1, mstatus
    srli t2, t1, 63
    srli t1, t1, 13
    andi t1, t1, 3
    T_EQ2 fs-dirty-after-fadd, t1, 3, t2, 1
    li t0, MSTATUS_FS
    csrc mstatus, t0
    li t0, (2 << 13)            /* Clean */
    csrs mstatus, t0
    fsd ft0, 0(s0)
    fmv.x.d t0, ft0
    csrr t1, mstatus
    srli t1, t1, 13
    andi t1, t1, 3
    T_EQ fs-clean-after-fsd-fmv-x, t1, 2
    li t0, CNAN_D
    fmv.d.x ft0, t0
    li t0, MSTATUS_FS
    csrc mstatus, t0
    li t0, (2 << 13)
    csrs mstatus, t0
    fcvt.w.d t0, ft0            /* writes only fflags (NV) */
    csrr t1, mstatus
    srli t1, t1, 13
    andi t1, t1, 3
    T_EQ fs-dirty-after-flags-only, t1, 3
    li t0, MSTATUS_FS
    csrs mstatus, t0

    MAIN_END

    .data
    .balign 8
fpmem:
    .dword 0, 0
