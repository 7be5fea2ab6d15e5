/* SPDX-License-Identifier: MIT */
/* Bit manipulation: Zba, Zbb, Zbc, Zbs (RV64). */
#include "common.h"

#define X 0x8000000012345678

    MAIN_BEGIN

    /* ---- Zba */
    T_RR sh1add, sh1add, 3, 100, 106
    T_RR sh2add, sh2add, 3, 100, 112
    T_RR sh3add, sh3add, -1, 100, 92
    T_RR sh3add-wrap, sh3add, 0x2000000000000001, 1, 9
    T_RR add.uw, add.uw, 0xffffffff80000000, 1, 0x80000001
    T_RR sh1add.uw, sh1add.uw, 0xffffffff80000000, 1, 0x100000001
    T_RR sh2add.uw, sh2add.uw, 0x1ffffffff, 0, 0x3fffffffc
    T_RR sh3add.uw, sh3add.uw, 0x100000001, 2, 10
    T_RI slli.uw, slli.uw, 0xffffffff80000001, 4, 0x800000010
    T_RI slli.uw-63, slli.uw, 0x1, 63, 0x8000000000000000

    /* ---- Zbb: logic with negate */
    T_RR andn, andn, 0xff, 0x0f, 0xf0
    T_RR orn, orn, 0xf0, -1, 0xf0
    T_RR orn-zero, orn, 0, 0, -1
    T_RR xnor, xnor, 0xff, 0x0f, 0xffffffffffffff0f

    /* ---- Zbb: counts */
    T_R1 clz, clz, 0x0000100000000000, 19
    T_R1 clz-zero, clz, 0, 64
    T_R1 clz-msb, clz, X, 0
    T_R1 ctz, ctz, 0x0000100000000000, 44
    T_R1 ctz-zero, ctz, 0, 64
    T_R1 cpop, cpop, X, 14
    T_R1 cpop-all, cpop, -1, 64
    T_R1 clzw, clzw, 0xffffffff00010000, 15
    T_R1 clzw-zero, clzw, 0xffffffff00000000, 32
    T_R1 ctzw, ctzw, 0x0000000180000000, 31
    T_R1 ctzw-zero, ctzw, 0xffffffff00000000, 32
    T_R1 cpopw, cpopw, 0xffffffff0000000f, 4

    /* ---- Zbb: min / max */
    T_RR max, max, -1, 1, 1
    T_RR maxu, maxu, -1, 1, -1
    T_RR min, min, -1, 1, -1
    T_RR minu, minu, -1, 1, 1

    /* ---- Zbb: extensions */
    T_R1 sext.b, sext.b, 0x1234567890abcd80, 0xffffffffffffff80
    T_R1 sext.b-pos, sext.b, 0xff7f, 0x7f
    T_R1 sext.h, sext.h, 0x1234567890ab8001, 0xffffffffffff8001
    T_R1 zext.h, zext.h, 0xffffffffffff8001, 0x8001

    /* ---- Zbb: rotates */
    T_RR rol, rol, X, 4, 0x0000000123456788
    T_RR rol-amount-6bit, rol, X, 68, 0x0000000123456788
    T_RR ror, ror, X, 4, 0x8800000001234567
    T_RI rori, rori, X, 63, 0x000000002468acf1
    T_RR rolw, rolw, 0x0000000080000001, 1, 3
    T_RR rolw-sext, rolw, 0x40000000, 1, 0xffffffff80000000
    T_RR rorw, rorw, 0x1, 1, 0xffffffff80000000
    T_RR rorw-amount-5bit, rorw, 0x2, 33, 1
    T_RI roriw, roriw, 0x12345678, 4, 0xffffffff81234567

    /* ---- Zbb: bytes */
    T_R1 orc.b, orc.b, 0x0001002000000300, 0x00ff00ff0000ff00
    T_R1 rev8, rev8, 0x0102030405060708, 0x0807060504030201

    /* ---- Zbc */
    T_RR clmul, clmul, 0x3, 0x3, 0x5
    T_RR clmul-wrap, clmul, 0x8000000000000001, 0x3, 0x8000000000000003
    T_RR clmulh, clmulh, 0x8000000000000001, 0x3, 0x1
    T_RR clmulh-full, clmulh, -1, -1, 0x5555555555555555
    T_RR clmulr, clmulr, 0x8000000000000001, 0x3, 0x3
    T_RR clmulr-full, clmulr, -1, -1, 0xaaaaaaaaaaaaaaaa

    /* ---- Zbs */
    T_RR bclr, bclr, -1, 63, 0x7fffffffffffffff
    T_RR bclr-amount-6bit, bclr, -1, 64, 0xfffffffffffffffe
    T_RR bset, bset, 0, 40, 0x10000000000
    T_RR binv, binv, 0x10, 4, 0
    T_RR bext, bext, X, 63, 1
    T_RR bext-zero, bext, X, 0, 0
    T_RI bclri, bclri, -1, 0, 0xfffffffffffffffe
    T_RI bseti, bseti, 0, 63, 0x8000000000000000
    T_RI binvi, binvi, 0, 32, 0x100000000
    T_RI bexti, bexti, X, 4, 1

    MAIN_END
